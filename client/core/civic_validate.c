/* civic_validate: checks and normalisation of a civic address. */

#include <re.h>
#include <string.h>
#include "civic.h"
#include "civic_validate.h"

/* ISO 3166-1 officially assigned codes, alpha-2 and alpha-3 (249, sorted
 * by alpha-2), written from the standard's list. */
static const struct country {
	char a2[3];
	char a3[4];
} countries[] = {{"AD", "AND"}, {"AE", "ARE"}, {"AF", "AFG"}, {"AG", "ATG"},
		 {"AI", "AIA"}, {"AL", "ALB"}, {"AM", "ARM"}, {"AO", "AGO"},
		 {"AQ", "ATA"}, {"AR", "ARG"}, {"AS", "ASM"}, {"AT", "AUT"},
		 {"AU", "AUS"}, {"AW", "ABW"}, {"AX", "ALA"}, {"AZ", "AZE"},
		 {"BA", "BIH"}, {"BB", "BRB"}, {"BD", "BGD"}, {"BE", "BEL"},
		 {"BF", "BFA"}, {"BG", "BGR"}, {"BH", "BHR"}, {"BI", "BDI"},
		 {"BJ", "BEN"}, {"BL", "BLM"}, {"BM", "BMU"}, {"BN", "BRN"},
		 {"BO", "BOL"}, {"BQ", "BES"}, {"BR", "BRA"}, {"BS", "BHS"},
		 {"BT", "BTN"}, {"BV", "BVT"}, {"BW", "BWA"}, {"BY", "BLR"},
		 {"BZ", "BLZ"}, {"CA", "CAN"}, {"CC", "CCK"}, {"CD", "COD"},
		 {"CF", "CAF"}, {"CG", "COG"}, {"CH", "CHE"}, {"CI", "CIV"},
		 {"CK", "COK"}, {"CL", "CHL"}, {"CM", "CMR"}, {"CN", "CHN"},
		 {"CO", "COL"}, {"CR", "CRI"}, {"CU", "CUB"}, {"CV", "CPV"},
		 {"CW", "CUW"}, {"CX", "CXR"}, {"CY", "CYP"}, {"CZ", "CZE"},
		 {"DE", "DEU"}, {"DJ", "DJI"}, {"DK", "DNK"}, {"DM", "DMA"},
		 {"DO", "DOM"}, {"DZ", "DZA"}, {"EC", "ECU"}, {"EE", "EST"},
		 {"EG", "EGY"}, {"EH", "ESH"}, {"ER", "ERI"}, {"ES", "ESP"},
		 {"ET", "ETH"}, {"FI", "FIN"}, {"FJ", "FJI"}, {"FK", "FLK"},
		 {"FM", "FSM"}, {"FO", "FRO"}, {"FR", "FRA"}, {"GA", "GAB"},
		 {"GB", "GBR"}, {"GD", "GRD"}, {"GE", "GEO"}, {"GF", "GUF"},
		 {"GG", "GGY"}, {"GH", "GHA"}, {"GI", "GIB"}, {"GL", "GRL"},
		 {"GM", "GMB"}, {"GN", "GIN"}, {"GP", "GLP"}, {"GQ", "GNQ"},
		 {"GR", "GRC"}, {"GS", "SGS"}, {"GT", "GTM"}, {"GU", "GUM"},
		 {"GW", "GNB"}, {"GY", "GUY"}, {"HK", "HKG"}, {"HM", "HMD"},
		 {"HN", "HND"}, {"HR", "HRV"}, {"HT", "HTI"}, {"HU", "HUN"},
		 {"ID", "IDN"}, {"IE", "IRL"}, {"IL", "ISR"}, {"IM", "IMN"},
		 {"IN", "IND"}, {"IO", "IOT"}, {"IQ", "IRQ"}, {"IR", "IRN"},
		 {"IS", "ISL"}, {"IT", "ITA"}, {"JE", "JEY"}, {"JM", "JAM"},
		 {"JO", "JOR"}, {"JP", "JPN"}, {"KE", "KEN"}, {"KG", "KGZ"},
		 {"KH", "KHM"}, {"KI", "KIR"}, {"KM", "COM"}, {"KN", "KNA"},
		 {"KP", "PRK"}, {"KR", "KOR"}, {"KW", "KWT"}, {"KY", "CYM"},
		 {"KZ", "KAZ"}, {"LA", "LAO"}, {"LB", "LBN"}, {"LC", "LCA"},
		 {"LI", "LIE"}, {"LK", "LKA"}, {"LR", "LBR"}, {"LS", "LSO"},
		 {"LT", "LTU"}, {"LU", "LUX"}, {"LV", "LVA"}, {"LY", "LBY"},
		 {"MA", "MAR"}, {"MC", "MCO"}, {"MD", "MDA"}, {"ME", "MNE"},
		 {"MF", "MAF"}, {"MG", "MDG"}, {"MH", "MHL"}, {"MK", "MKD"},
		 {"ML", "MLI"}, {"MM", "MMR"}, {"MN", "MNG"}, {"MO", "MAC"},
		 {"MP", "MNP"}, {"MQ", "MTQ"}, {"MR", "MRT"}, {"MS", "MSR"},
		 {"MT", "MLT"}, {"MU", "MUS"}, {"MV", "MDV"}, {"MW", "MWI"},
		 {"MX", "MEX"}, {"MY", "MYS"}, {"MZ", "MOZ"}, {"NA", "NAM"},
		 {"NC", "NCL"}, {"NE", "NER"}, {"NF", "NFK"}, {"NG", "NGA"},
		 {"NI", "NIC"}, {"NL", "NLD"}, {"NO", "NOR"}, {"NP", "NPL"},
		 {"NR", "NRU"}, {"NU", "NIU"}, {"NZ", "NZL"}, {"OM", "OMN"},
		 {"PA", "PAN"}, {"PE", "PER"}, {"PF", "PYF"}, {"PG", "PNG"},
		 {"PH", "PHL"}, {"PK", "PAK"}, {"PL", "POL"}, {"PM", "SPM"},
		 {"PN", "PCN"}, {"PR", "PRI"}, {"PS", "PSE"}, {"PT", "PRT"},
		 {"PW", "PLW"}, {"PY", "PRY"}, {"QA", "QAT"}, {"RE", "REU"},
		 {"RO", "ROU"}, {"RS", "SRB"}, {"RU", "RUS"}, {"RW", "RWA"},
		 {"SA", "SAU"}, {"SB", "SLB"}, {"SC", "SYC"}, {"SD", "SDN"},
		 {"SE", "SWE"}, {"SG", "SGP"}, {"SH", "SHN"}, {"SI", "SVN"},
		 {"SJ", "SJM"}, {"SK", "SVK"}, {"SL", "SLE"}, {"SM", "SMR"},
		 {"SN", "SEN"}, {"SO", "SOM"}, {"SR", "SUR"}, {"SS", "SSD"},
		 {"ST", "STP"}, {"SV", "SLV"}, {"SX", "SXM"}, {"SY", "SYR"},
		 {"SZ", "SWZ"}, {"TC", "TCA"}, {"TD", "TCD"}, {"TF", "ATF"},
		 {"TG", "TGO"}, {"TH", "THA"}, {"TJ", "TJK"}, {"TK", "TKL"},
		 {"TL", "TLS"}, {"TM", "TKM"}, {"TN", "TUN"}, {"TO", "TON"},
		 {"TR", "TUR"}, {"TT", "TTO"}, {"TV", "TUV"}, {"TW", "TWN"},
		 {"TZ", "TZA"}, {"UA", "UKR"}, {"UG", "UGA"}, {"UM", "UMI"},
		 {"US", "USA"}, {"UY", "URY"}, {"UZ", "UZB"}, {"VA", "VAT"},
		 {"VC", "VCT"}, {"VE", "VEN"}, {"VG", "VGB"}, {"VI", "VIR"},
		 {"VN", "VNM"}, {"VU", "VUT"}, {"WF", "WLF"}, {"WS", "WSM"},
		 {"YE", "YEM"}, {"YT", "MYT"}, {"ZA", "ZAF"}, {"ZM", "ZMB"},
		 {"ZW", "ZWE"}};

/* ISO 3166-1 exceptional reservations people use for a country. */
static const struct country reserved[] = {
	{"UK", "GB"}, /* United Kingdom */
	{"EL", "GR"}, /* Greece, as the European Union writes it */
};

/* What the field is called in messages, and its cap in characters.  The
 * caps are ours: long enough for any real address element, short enough
 * to keep a PIDF-LO and a dispatcher's screen readable; RFC 4776 allows
 * 255 octets for any element, which civic_set enforces. */
static const struct {
	const char *what;
	size_t max;
} field_info[CIVIC_FIELD_COUNT] = {
	[CIVIC_COUNTRY] = {"country", 2},
	[CIVIC_A1] = {"state or province", 128},
	[CIVIC_A2] = {"county", 128},
	[CIVIC_A3] = {"city", 128},
	[CIVIC_A4] = {"city division", 128},
	[CIVIC_A5] = {"neighbourhood", 128},
	[CIVIC_A6] = {"street group", 128},
	[CIVIC_PRD] = {"leading street direction", 32},
	[CIVIC_POD] = {"trailing street suffix", 32},
	[CIVIC_STS] = {"street suffix", 32},
	[CIVIC_HNO] = {"house number", 32},
	[CIVIC_HNS] = {"house number suffix", 32},
	[CIVIC_LMK] = {"landmark", 128},
	[CIVIC_LOC] = {"location description", 255},
	[CIVIC_NAM] = {"name", 128},
	[CIVIC_PC] = {"postal code", 32},
	[CIVIC_BLD] = {"building", 128},
	[CIVIC_UNIT] = {"unit", 32},
	[CIVIC_FLR] = {"floor", 32},
	[CIVIC_ROOM] = {"room", 32},
	[CIVIC_PLC] = {"place type", 32},
	[CIVIC_PCN] = {"postal community name", 128},
	[CIVIC_POBOX] = {"post office box", 32},
	[CIVIC_ADDCODE] = {"additional code", 32},
	[CIVIC_SEAT] = {"seat", 32},
	[CIVIC_RD] = {"street", 128},
	[CIVIC_RDSEC] = {"road section", 128},
	[CIVIC_RDBR] = {"road branch", 128},
	[CIVIC_RDSUBBR] = {"road sub-branch", 128},
	[CIVIC_PRM] = {"road pre-modifier", 32},
	[CIVIC_POM] = {"road post-modifier", 32},
};

size_t civic_field_max(enum civic_field f)
{
	return (unsigned)f < CIVIC_FIELD_COUNT ? field_info[f].max : 0;
}

bool civic_country_assigned(const char *cc)
{
	size_t i;

	if (!cc || strlen(cc) != 2)
		return false;

	for (i = 0; i < ARRAY_SIZE(countries); i++) {
		if (!strcmp(cc, countries[i].a2))
			return true;
	}

	return false;
}

const char *civic_country_suggest(const char *s)
{
	char up[4];
	size_t i, n;

	n = s ? strlen(s) : 0;
	if (n < 2 || n > 3)
		return NULL;

	for (i = 0; i < n; i++)
		up[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 'a' + 'A' : s[i];
	up[n] = '\0';

	for (i = 0; i < ARRAY_SIZE(countries); i++) {
		if (!strcmp(up, n == 2 ? countries[i].a2 : countries[i].a3))
			return countries[i].a2;
	}
	for (i = 0; n == 2 && i < ARRAY_SIZE(reserved); i++) {
		if (!strcmp(up, reserved[i].a2))
			return reserved[i].a3;
	}

	return NULL;
}

/* Count the characters of s; false if it is not valid UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
static bool utf8_count(const char *s, size_t *nchars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		unsigned cp, len, i;

		if (p[0] < 0x80) {
			++p;
			++n;
			continue;
		}
		if (p[0] >= 0xc2 && p[0] <= 0xdf) {
			len = 2;
			cp = p[0] & 0x1f;
		} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
			len = 3;
			cp = p[0] & 0x0f;
		} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
			len = 4;
			cp = p[0] & 0x07;
		} else {
			return false;
		}

		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;

		p += len;
		++n;
	}

	*nchars = n;
	return true;
}

static void problem(struct civic_problems *probs, enum civic_field f,
		    const char *fmt, ...)
{
	struct civic_problem *pr;
	va_list ap;
	int n;

	if (!probs || probs->n >= ARRAY_SIZE(probs->v))
		return;

	pr = &probs->v[probs->n++];
	pr->field = f;
	n = re_snprintf(pr->text, sizeof(pr->text),
			"%s: ", civic_field_name(f));
	if (n < 0)
		n = 0;
	va_start(ap, fmt);
	re_vsnprintf(pr->text + n, sizeof(pr->text) - (size_t)n, fmt, ap);
	va_end(ap);
}

static bool check_country(const char *cc, struct civic_problems *probs)
{
	const char *hint;

	if (civic_country_assigned(cc))
		return true;

	hint = civic_country_suggest(cc);
	if (hint)
		problem(probs, CIVIC_COUNTRY,
			"'%s' is not an ISO 3166 alpha-2 code (did you mean "
			"%s?)",
			cc, hint);
	else
		problem(probs, CIVIC_COUNTRY,
			"'%s' is not an ISO 3166 alpha-2 code", cc);

	return false;
}

/* Is the field missing though a dispatcher needs it? */
static bool required_missing(const struct civic *c, enum civic_field f)
{
	switch (f) {
	case CIVIC_COUNTRY:
	case CIVIC_A1:
	case CIVIC_A3:
		return !c->v[f];
	case CIVIC_HNO:
	case CIVIC_RD:
		/* LOC stands in for a street address that does not exist */
		return !c->v[f] && !c->v[CIVIC_LOC];
	default:
		return false;
	}
}

int civic_validate(const struct civic *c, struct civic_problems *probs)
{
	bool ok = true;
	int f;

	if (probs)
		probs->n = 0;
	if (!c)
		return EINVAL;

	for (f = 0; f < CIVIC_FIELD_COUNT; f++) {
		const char *v = c->v[f];
		size_t n;

		if (required_missing(c, f)) {
			problem(probs, f, "%s is required", field_info[f].what);
			ok = false;
			continue;
		}
		if (!v)
			continue;

		if (!utf8_count(v, &n)) {
			problem(probs, f, "%s is not valid UTF-8 text",
				field_info[f].what);
			ok = false;
		} else if (f == CIVIC_COUNTRY) {
			ok = check_country(v, probs) && ok;
		} else if (n > field_info[f].max) {
			problem(probs, f,
				"%s is %zu characters long; at most %zu are "
				"allowed",
				field_info[f].what, n, field_info[f].max);
			ok = false;
		}
	}

	return ok ? 0 : EINVAL;
}

int civic_normalise(struct civic *c)
{
	struct civic t;
	int f, err = 0;

	if (!c)
		return EINVAL;

	/* on a copy: running out of memory half way changes nothing */
	memset(&t, 0, sizeof(t));
	err = civic_copy(&t, c);
	if (err)
		return err;

	for (f = 0; f < CIVIC_FIELD_COUNT && !err; f++) {
		struct pl v;
		size_t i;

		if (!t.v[f])
			continue;

		pl_set_str(&v, t.v[f]);
		while (v.l && v.p[0] == ' ') {
			++v.p;
			--v.l;
		}
		while (v.l && v.p[v.l - 1] == ' ')
			--v.l;

		if (v.l != strlen(t.v[f]))
			err = civic_set(&t, f, v.p, v.l);

		for (i = 0; f == CIVIC_COUNTRY && t.v[f] && t.v[f][i]; i++) {
			if (t.v[f][i] >= 'a' && t.v[f][i] <= 'z')
				t.v[f][i] -= 'a' - 'A';
		}
	}

	if (err) {
		civic_reset(&t);
		return err;
	}
	civic_reset(c);
	*c = t;
	return 0;
}
