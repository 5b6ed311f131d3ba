/* addrformat: how each country writes an address, for the address form. */

#include <string.h>
#include "addrformat.h"
#include "i18n.h"

/* ISO 3166-1 alpha-2 codes with short English names, written from the
 * standard's list (the engine accepts exactly these codes). */
static const AddrChoice country_table[] = {
	{"AD", "Andorra"},
	{"AE", "United Arab Emirates"},
	{"AF", "Afghanistan"},
	{"AG", "Antigua and Barbuda"},
	{"AI", "Anguilla"},
	{"AL", "Albania"},
	{"AM", "Armenia"},
	{"AO", "Angola"},
	{"AQ", "Antarctica"},
	{"AR", "Argentina"},
	{"AS", "American Samoa"},
	{"AT", "Austria"},
	{"AU", "Australia"},
	{"AW", "Aruba"},
	{"AX", "Åland Islands"},
	{"AZ", "Azerbaijan"},
	{"BA", "Bosnia and Herzegovina"},
	{"BB", "Barbados"},
	{"BD", "Bangladesh"},
	{"BE", "Belgium"},
	{"BF", "Burkina Faso"},
	{"BG", "Bulgaria"},
	{"BH", "Bahrain"},
	{"BI", "Burundi"},
	{"BJ", "Benin"},
	{"BL", "Saint Barthélemy"},
	{"BM", "Bermuda"},
	{"BN", "Brunei"},
	{"BO", "Bolivia"},
	{"BQ", "Caribbean Netherlands"},
	{"BR", "Brazil"},
	{"BS", "Bahamas"},
	{"BT", "Bhutan"},
	{"BV", "Bouvet Island"},
	{"BW", "Botswana"},
	{"BY", "Belarus"},
	{"BZ", "Belize"},
	{"CA", "Canada"},
	{"CC", "Cocos (Keeling) Islands"},
	{"CD", "Congo (Democratic Republic)"},
	{"CF", "Central African Republic"},
	{"CG", "Congo"},
	{"CH", "Switzerland"},
	{"CI", "Côte d'Ivoire"},
	{"CK", "Cook Islands"},
	{"CL", "Chile"},
	{"CM", "Cameroon"},
	{"CN", "China"},
	{"CO", "Colombia"},
	{"CR", "Costa Rica"},
	{"CU", "Cuba"},
	{"CV", "Cabo Verde"},
	{"CW", "Curaçao"},
	{"CX", "Christmas Island"},
	{"CY", "Cyprus"},
	{"CZ", "Czechia"},
	{"DE", "Germany"},
	{"DJ", "Djibouti"},
	{"DK", "Denmark"},
	{"DM", "Dominica"},
	{"DO", "Dominican Republic"},
	{"DZ", "Algeria"},
	{"EC", "Ecuador"},
	{"EE", "Estonia"},
	{"EG", "Egypt"},
	{"EH", "Western Sahara"},
	{"ER", "Eritrea"},
	{"ES", "Spain"},
	{"ET", "Ethiopia"},
	{"FI", "Finland"},
	{"FJ", "Fiji"},
	{"FK", "Falkland Islands"},
	{"FM", "Micronesia"},
	{"FO", "Faroe Islands"},
	{"FR", "France"},
	{"GA", "Gabon"},
	{"GB", "United Kingdom"},
	{"GD", "Grenada"},
	{"GE", "Georgia"},
	{"GF", "French Guiana"},
	{"GG", "Guernsey"},
	{"GH", "Ghana"},
	{"GI", "Gibraltar"},
	{"GL", "Greenland"},
	{"GM", "Gambia"},
	{"GN", "Guinea"},
	{"GP", "Guadeloupe"},
	{"GQ", "Equatorial Guinea"},
	{"GR", "Greece"},
	{"GS", "South Georgia and the South Sandwich Islands"},
	{"GT", "Guatemala"},
	{"GU", "Guam"},
	{"GW", "Guinea-Bissau"},
	{"GY", "Guyana"},
	{"HK", "Hong Kong"},
	{"HM", "Heard Island and McDonald Islands"},
	{"HN", "Honduras"},
	{"HR", "Croatia"},
	{"HT", "Haiti"},
	{"HU", "Hungary"},
	{"ID", "Indonesia"},
	{"IE", "Ireland"},
	{"IL", "Israel"},
	{"IM", "Isle of Man"},
	{"IN", "India"},
	{"IO", "British Indian Ocean Territory"},
	{"IQ", "Iraq"},
	{"IR", "Iran"},
	{"IS", "Iceland"},
	{"IT", "Italy"},
	{"JE", "Jersey"},
	{"JM", "Jamaica"},
	{"JO", "Jordan"},
	{"JP", "Japan"},
	{"KE", "Kenya"},
	{"KG", "Kyrgyzstan"},
	{"KH", "Cambodia"},
	{"KI", "Kiribati"},
	{"KM", "Comoros"},
	{"KN", "Saint Kitts and Nevis"},
	{"KP", "North Korea"},
	{"KR", "South Korea"},
	{"KW", "Kuwait"},
	{"KY", "Cayman Islands"},
	{"KZ", "Kazakhstan"},
	{"LA", "Laos"},
	{"LB", "Lebanon"},
	{"LC", "Saint Lucia"},
	{"LI", "Liechtenstein"},
	{"LK", "Sri Lanka"},
	{"LR", "Liberia"},
	{"LS", "Lesotho"},
	{"LT", "Lithuania"},
	{"LU", "Luxembourg"},
	{"LV", "Latvia"},
	{"LY", "Libya"},
	{"MA", "Morocco"},
	{"MC", "Monaco"},
	{"MD", "Moldova"},
	{"ME", "Montenegro"},
	{"MF", "Saint Martin (French part)"},
	{"MG", "Madagascar"},
	{"MH", "Marshall Islands"},
	{"MK", "North Macedonia"},
	{"ML", "Mali"},
	{"MM", "Myanmar"},
	{"MN", "Mongolia"},
	{"MO", "Macao"},
	{"MP", "Northern Mariana Islands"},
	{"MQ", "Martinique"},
	{"MR", "Mauritania"},
	{"MS", "Montserrat"},
	{"MT", "Malta"},
	{"MU", "Mauritius"},
	{"MV", "Maldives"},
	{"MW", "Malawi"},
	{"MX", "Mexico"},
	{"MY", "Malaysia"},
	{"MZ", "Mozambique"},
	{"NA", "Namibia"},
	{"NC", "New Caledonia"},
	{"NE", "Niger"},
	{"NF", "Norfolk Island"},
	{"NG", "Nigeria"},
	{"NI", "Nicaragua"},
	{"NL", "Netherlands"},
	{"NO", "Norway"},
	{"NP", "Nepal"},
	{"NR", "Nauru"},
	{"NU", "Niue"},
	{"NZ", "New Zealand"},
	{"OM", "Oman"},
	{"PA", "Panama"},
	{"PE", "Peru"},
	{"PF", "French Polynesia"},
	{"PG", "Papua New Guinea"},
	{"PH", "Philippines"},
	{"PK", "Pakistan"},
	{"PL", "Poland"},
	{"PM", "Saint Pierre and Miquelon"},
	{"PN", "Pitcairn"},
	{"PR", "Puerto Rico"},
	{"PS", "Palestine"},
	{"PT", "Portugal"},
	{"PW", "Palau"},
	{"PY", "Paraguay"},
	{"QA", "Qatar"},
	{"RE", "Réunion"},
	{"RO", "Romania"},
	{"RS", "Serbia"},
	{"RU", "Russia"},
	{"RW", "Rwanda"},
	{"SA", "Saudi Arabia"},
	{"SB", "Solomon Islands"},
	{"SC", "Seychelles"},
	{"SD", "Sudan"},
	{"SE", "Sweden"},
	{"SG", "Singapore"},
	{"SH", "Saint Helena, Ascension and Tristan da Cunha"},
	{"SI", "Slovenia"},
	{"SJ", "Svalbard and Jan Mayen"},
	{"SK", "Slovakia"},
	{"SL", "Sierra Leone"},
	{"SM", "San Marino"},
	{"SN", "Senegal"},
	{"SO", "Somalia"},
	{"SR", "Suriname"},
	{"SS", "South Sudan"},
	{"ST", "Sao Tome and Principe"},
	{"SV", "El Salvador"},
	{"SX", "Sint Maarten (Dutch part)"},
	{"SY", "Syria"},
	{"SZ", "Eswatini"},
	{"TC", "Turks and Caicos Islands"},
	{"TD", "Chad"},
	{"TF", "French Southern Territories"},
	{"TG", "Togo"},
	{"TH", "Thailand"},
	{"TJ", "Tajikistan"},
	{"TK", "Tokelau"},
	{"TL", "Timor-Leste"},
	{"TM", "Turkmenistan"},
	{"TN", "Tunisia"},
	{"TO", "Tonga"},
	{"TR", "Türkiye"},
	{"TT", "Trinidad and Tobago"},
	{"TV", "Tuvalu"},
	{"TW", "Taiwan"},
	{"TZ", "Tanzania"},
	{"UA", "Ukraine"},
	{"UG", "Uganda"},
	{"UM", "United States Minor Outlying Islands"},
	{"US", "United States"},
	{"UY", "Uruguay"},
	{"UZ", "Uzbekistan"},
	{"VA", "Holy See"},
	{"VC", "Saint Vincent and the Grenadines"},
	{"VE", "Venezuela"},
	{"VG", "Virgin Islands (British)"},
	{"VI", "Virgin Islands (U.S.)"},
	{"VN", "Viet Nam"},
	{"VU", "Vanuatu"},
	{"WF", "Wallis and Futuna"},
	{"WS", "Samoa"},
	{"YE", "Yemen"},
	{"YT", "Mayotte"},
	{"ZA", "South Africa"},
	{"ZM", "Zambia"},
	{"ZW", "Zimbabwe"},
};

/* USPS two-letter codes of the states, the District of Columbia and the
 * territories with their own ZIP codes. */
static const AddrChoice us_states[] = {
	{"AL", "Alabama"},
	{"AK", "Alaska"},
	{"AS", "American Samoa"},
	{"AZ", "Arizona"},
	{"AR", "Arkansas"},
	{"CA", "California"},
	{"CO", "Colorado"},
	{"CT", "Connecticut"},
	{"DE", "Delaware"},
	{"DC", "District of Columbia"},
	{"FL", "Florida"},
	{"GA", "Georgia"},
	{"GU", "Guam"},
	{"HI", "Hawaii"},
	{"ID", "Idaho"},
	{"IL", "Illinois"},
	{"IN", "Indiana"},
	{"IA", "Iowa"},
	{"KS", "Kansas"},
	{"KY", "Kentucky"},
	{"LA", "Louisiana"},
	{"ME", "Maine"},
	{"MD", "Maryland"},
	{"MA", "Massachusetts"},
	{"MI", "Michigan"},
	{"MN", "Minnesota"},
	{"MS", "Mississippi"},
	{"MO", "Missouri"},
	{"MT", "Montana"},
	{"NE", "Nebraska"},
	{"NV", "Nevada"},
	{"NH", "New Hampshire"},
	{"NJ", "New Jersey"},
	{"NM", "New Mexico"},
	{"NY", "New York"},
	{"NC", "North Carolina"},
	{"ND", "North Dakota"},
	{"MP", "Northern Mariana Islands"},
	{"OH", "Ohio"},
	{"OK", "Oklahoma"},
	{"OR", "Oregon"},
	{"PA", "Pennsylvania"},
	{"PR", "Puerto Rico"},
	{"RI", "Rhode Island"},
	{"SC", "South Carolina"},
	{"SD", "South Dakota"},
	{"TN", "Tennessee"},
	{"TX", "Texas"},
	{"VI", "U.S. Virgin Islands"},
	{"UT", "Utah"},
	{"VT", "Vermont"},
	{"VA", "Virginia"},
	{"WA", "Washington"},
	{"WV", "West Virginia"},
	{"WI", "Wisconsin"},
	{"WY", "Wyoming"},
};

/* Canada Post's two-letter codes of the provinces and territories. */
static const AddrChoice ca_provinces[] = {
	{"AB", "Alberta"},
	{"BC", "British Columbia"},
	{"MB", "Manitoba"},
	{"NB", "New Brunswick"},
	{"NL", "Newfoundland and Labrador"},
	{"NT", "Northwest Territories"},
	{"NS", "Nova Scotia"},
	{"NU", "Nunavut"},
	{"ON", "Ontario"},
	{"PE", "Prince Edward Island"},
	{"QC", "Quebec"},
	{"SK", "Saskatchewan"},
	{"YT", "Yukon"},
};

/* Germany's states by their own names, the names a German dispatcher
 * reads. */
static const AddrChoice de_states[] = {
	{"Baden-Württemberg", "Baden-Württemberg"},
	{"Bayern", "Bayern"},
	{"Berlin", "Berlin"},
	{"Brandenburg", "Brandenburg"},
	{"Bremen", "Bremen"},
	{"Hamburg", "Hamburg"},
	{"Hessen", "Hessen"},
	{"Mecklenburg-Vorpommern", "Mecklenburg-Vorpommern"},
	{"Niedersachsen", "Niedersachsen"},
	{"Nordrhein-Westfalen", "Nordrhein-Westfalen"},
	{"Rheinland-Pfalz", "Rheinland-Pfalz"},
	{"Saarland", "Saarland"},
	{"Sachsen", "Sachsen"},
	{"Sachsen-Anhalt", "Sachsen-Anhalt"},
	{"Schleswig-Holstein", "Schleswig-Holstein"},
	{"Thüringen", "Thüringen"},
};

/* France's regions (since 2016), overseas ones included. */
static const AddrChoice fr_regions[] = {
	{"Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"},
	{"Bourgogne-Franche-Comté", "Bourgogne-Franche-Comté"},
	{"Bretagne", "Bretagne"},
	{"Centre-Val de Loire", "Centre-Val de Loire"},
	{"Corse", "Corse"},
	{"Grand Est", "Grand Est"},
	{"Guadeloupe", "Guadeloupe"},
	{"Guyane", "Guyane"},
	{"Hauts-de-France", "Hauts-de-France"},
	{"Île-de-France", "Île-de-France"},
	{"La Réunion", "La Réunion"},
	{"Martinique", "Martinique"},
	{"Mayotte", "Mayotte"},
	{"Normandie", "Normandie"},
	{"Nouvelle-Aquitaine", "Nouvelle-Aquitaine"},
	{"Occitanie", "Occitanie"},
	{"Pays de la Loire", "Pays de la Loire"},
	{"Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"},
};

#define CHOICES(a) (a), G_N_ELEMENTS(a)

/* Floor, room and a free line for the dispatcher matter in every country
 * (an office floor, a flat): every form ends its street part with them. */
#define INSIDE                                                                 \
	{"FLR", N_("Floor"), NULL, 0}, {"ROOM", N_("Room"), NULL, 0},          \
	{                                                                      \
		"LOC", N_("Additional information"), NULL, 0                   \
	}

/* 1 Microsoft Way, Suite 3 / Redmond, WA 98052 */
static const AddrField us_fields[] = {
	{"HNO", N_("Street number"), NULL, 0},
	{"RD", N_("Street"), NULL, 0},
	{"UNIT", N_("Apartment/Suite"), NULL, 0},
	INSIDE,
	{"A3", N_("City"), NULL, 0},
	{"A1", N_("State"), CHOICES(us_states)},
	{"PC", N_("ZIP code"), NULL, 0},
};

static const AddrField ca_fields[] = {
	{"HNO", N_("Street number"), NULL, 0},
	{"RD", N_("Street"), NULL, 0},
	{"UNIT", N_("Apartment/Suite"), NULL, 0},
	INSIDE,
	{"A3", N_("City"), NULL, 0},
	{"A1", N_("Province"), CHOICES(ca_provinces)},
	{"PC", N_("Postal code"), NULL, 0},
};

/* Flat 2, Rose Cottage, 12 High Street / Town / County / Postcode */
static const AddrField gb_fields[] = {
	{"UNIT", N_("Flat"), NULL, 0},
	{"BLD", N_("House name"), NULL, 0},
	{"HNO", N_("House number"), NULL, 0},
	{"RD", N_("Street"), NULL, 0},
	INSIDE,
	{"A3", N_("Town/City"), NULL, 0},
	{"A1", N_("County"), NULL, 0},
	{"PC", N_("Postcode"), NULL, 0},
};

/* Hauptstraße 5 / 10115 Berlin */
static const AddrField de_fields[] = {
	{"RD", N_("Street"), NULL, 0},
	{"HNO", N_("House number"), NULL, 0},
	INSIDE,
	{"PC", N_("Postcode"), NULL, 0},
	{"A3", N_("City"), NULL, 0},
	{"A1", N_("State"), CHOICES(de_states)},
};

/* 5 rue de la Paix / 75002 Paris */
static const AddrField fr_fields[] = {
	{"HNO", N_("House number"), NULL, 0},
	{"RD", N_("Street"), NULL, 0},
	INSIDE,
	{"PC", N_("Postcode"), NULL, 0},
	{"A3", N_("City"), NULL, 0},
	{"A1", N_("Region"), CHOICES(fr_regions)},
};

static const AddrField generic_fields[] = {
	{"HNO", N_("House number"), NULL, 0},
	{"RD", N_("Street"), NULL, 0},
	{"UNIT", N_("Apartment/Unit"), NULL, 0},
	INSIDE,
	{"A3", N_("City"), NULL, 0},
	{"A1", N_("State, province or region"), NULL, 0},
	{"PC", N_("Postcode"), NULL, 0},
};

static const AddrLayout layouts[] = {
	{"US", CHOICES(us_fields), TRUE},  {"CA", CHOICES(ca_fields), TRUE},
	{"GB", CHOICES(gb_fields), FALSE}, {"DE", CHOICES(de_fields), FALSE},
	{"FR", CHOICES(fr_fields), FALSE},
};

static const AddrLayout generic_layout = {NULL, CHOICES(generic_fields), FALSE};

/* Every element the engine takes, in words, with the engine's caps
 * (civic_validate.c) so an entry never takes more. */
static const struct {
	const char *element;
	const char *label;
	gint max;
} elements[] = {
	{"A1", N_("State or province"), 128},
	{"A2", N_("County or district"), 128},
	{"A3", N_("City"), 128},
	{"A4", N_("City division"), 128},
	{"A5", N_("Neighbourhood"), 128},
	{"A6", N_("Street group"), 128},
	{"PRD", N_("Street direction"), 32},
	{"POD", N_("Trailing street direction"), 32},
	{"STS", N_("Street suffix"), 32},
	{"HNO", N_("House number"), 32},
	{"HNS", N_("House number suffix"), 32},
	{"LMK", N_("Landmark"), 128},
	{"LOC", N_("Additional information"), 255},
	{"NAM", N_("Name"), 128},
	{"PC", N_("Postcode"), 32},
	{"BLD", N_("Building"), 128},
	{"UNIT", N_("Unit"), 32},
	{"FLR", N_("Floor"), 32},
	{"ROOM", N_("Room"), 32},
	{"PLC", N_("Place type"), 32},
	{"PCN", N_("Postal community"), 128},
	{"POBOX", N_("PO box"), 32},
	{"ADDCODE", N_("Additional code"), 32},
	{"SEAT", N_("Seat or desk"), 32},
	{"RD", N_("Street"), 128},
	{"RDSEC", N_("Road section"), 128},
	{"RDBR", N_("Road branch"), 128},
	{"RDSUBBR", N_("Road sub-branch"), 128},
	{"PRM", N_("Road pre-modifier"), 32},
	{"POM", N_("Road post-modifier"), 32},
	{"country", N_("Country"), 2},
};

/* Where our short English name is not iso-codes' own, the name iso-codes
 * translates (its catalogue's msgid). */
static const AddrChoice iso_names[] = {
	{"BN", "Brunei Darussalam"},
	{"BQ", "Bonaire, Sint Eustatius and Saba"},
	{"CD", "Congo, The Democratic Republic of the"},
	{"FK", "Falkland Islands (Malvinas)"},
	{"FM", "Micronesia, Federated States of"},
	{"PS", "Palestine, State of"},
	{"RU", "Russian Federation"},
	{"VA", "Holy See (Vatican City State)"},
	{"VG", "Virgin Islands, British"},
	{"VI", "Virgin Islands, U.S."},
};

/* A country's name in the person's language (iso-codes' translation),
 * or our English name where iso-codes has none. */
static const char *country_local_name(const AddrChoice *c)
{
	const char *msgid = c->name;
	const char *local;
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(iso_names); i++) {
		if (!strcmp(iso_names[i].value, c->value))
			msgid = iso_names[i].name;
	}
	local = g_dgettext(LP_ISO_3166_DOMAIN, msgid);

	return strcmp(local, msgid) ? local : c->name;
}

static gint choice_by_name(gconstpointer a, gconstpointer b)
{
	return g_utf8_collate(((const AddrChoice *)a)->name,
			      ((const AddrChoice *)b)->name);
}

const AddrChoice *addrformat_countries(gsize *n)
{
	static AddrChoice *sorted;

	if (g_once_init_enter(&sorted)) {
		AddrChoice *s = g_memdup2(country_table, sizeof(country_table));
		gsize i;

		for (i = 0; i < G_N_ELEMENTS(country_table); i++)
			s[i].name = country_local_name(&country_table[i]);
		qsort(s, G_N_ELEMENTS(country_table), sizeof(*s),
		      choice_by_name);
		g_once_init_leave(&sorted, s);
	}
	if (n)
		*n = G_N_ELEMENTS(country_table);

	return sorted;
}

/* Compared as people type: case and surrounding spaces do not count. */
static gboolean same_words(const char *a, const char *b)
{
	g_autofree gchar *x = g_utf8_casefold(a, -1);
	g_autofree gchar *y = g_utf8_casefold(b, -1);

	return !g_strcmp0(g_strstrip(x), g_strstrip(y));
}

const char *addrformat_country_code(const char *text)
{
	gsize i;

	if (!text)
		return NULL;
	for (i = 0; i < G_N_ELEMENTS(country_table); i++) {
		if (same_words(text, country_table[i].value) ||
		    same_words(text, country_table[i].name) ||
		    same_words(text, country_local_name(&country_table[i])))
			return country_table[i].value;
	}

	return NULL;
}

const char *addrformat_country_name(const char *code)
{
	gsize i;

	for (i = 0; code && i < G_N_ELEMENTS(country_table); i++) {
		if (!strcmp(code, country_table[i].value))
			return country_local_name(&country_table[i]);
	}

	return NULL;
}

const AddrLayout *addrformat_layout(const char *country)
{
	gsize i;

	for (i = 0; country && i < G_N_ELEMENTS(layouts); i++) {
		if (!strcmp(country, layouts[i].country))
			return &layouts[i];
	}

	return &generic_layout;
}

const char *addrformat_element_label(const char *element)
{
	gsize i;

	for (i = 0; element && i < G_N_ELEMENTS(elements); i++) {
		if (!strcmp(element, elements[i].element))
			return _(elements[i].label);
	}

	return NULL;
}

gint addrformat_element_max(const char *element)
{
	gsize i;

	for (i = 0; element && i < G_N_ELEMENTS(elements); i++) {
		if (!strcmp(element, elements[i].element))
			return elements[i].max;
	}

	return 0;
}

const char *addrformat_choice_value(const AddrField *field, const char *text)
{
	gsize i;

	for (i = 0; text && i < field->n_choices; i++) {
		if (same_words(text, field->choices[i].value) ||
		    same_words(text, field->choices[i].name))
			return field->choices[i].value;
	}

	return NULL;
}

const char *addrformat_choice_name(const AddrField *field, const char *value)
{
	gsize i;

	for (i = 0; value && i < field->n_choices; i++) {
		if (!strcmp(value, field->choices[i].value))
			return field->choices[i].name;
	}

	return NULL;
}

/* USPS Publication 28 suffixes people write most, spelt out and
 * abbreviated; anything else stays part of the street's name. */
static const char *const suffixes[] = {
	"Alley",      "Aly",  "Avenue",	 "Ave",	 "Boulevard", "Blvd",
	"Circle",     "Cir",  "Court",	 "Ct",	 "Drive",     "Dr",
	"Expressway", "Expy", "Freeway", "Fwy",	 "Highway",   "Hwy",
	"Lane",	      "Ln",   "Parkway", "Pkwy", "Place",     "Pl",
	"Road",	      "Rd",   "Square",	 "Sq",	 "Street",    "St",
	"Terrace",    "Ter",  "Trail",	 "Trl",	 "Way",	      "Wy",
	"Loop",	      "Pike", "Plaza",	 "Plz",	 "Crescent",  "Cres",
};

/* Only abbreviated directions: "North Road" is a name, "N Main" is not. */
static const char *const directions[] = {"N",  "S",  "E",  "W",
					 "NE", "NW", "SE", "SW"};

static gboolean word_in(const char *word, const char *const *list, gsize n)
{
	g_autofree gchar *w = g_strdup(word);
	gsize i, len = strlen(w);

	if (len > 1 && w[len - 1] == '.') /* "Ave." is "Ave" */
		w[len - 1] = '\0';
	for (i = 0; i < n; i++) {
		if (!g_ascii_strcasecmp(w, list[i]))
			return TRUE;
	}

	return FALSE;
}

void addrformat_street_split(const AddrLayout *layout, const char *text,
			     GVariantDict *dict)
{
	g_auto(GStrv) words = NULL;
	g_autofree gchar *rd = NULL;
	guint first = 0, last, n;

	words = g_strsplit_set(text, " \t", -1);
	/* drop the empty words of repeated spaces */
	for (n = 0, last = 0; words[last]; last++) {
		if (*words[last])
			words[n++] = words[last];
		else
			g_free(words[last]);
	}
	words[n] = NULL;
	if (!n)
		return;
	last = n; /* one past the street's last word */
	if (layout->split_suffix) {
		if (last - first >= 3 &&
		    word_in(words[last - 1], directions,
			    G_N_ELEMENTS(directions)) &&
		    word_in(words[last - 2], suffixes,
			    G_N_ELEMENTS(suffixes))) {
			g_variant_dict_insert(dict, "POD", "s",
					      words[last - 1]);
			last--;
		}
		if (last - first >= 2 && word_in(words[last - 1], suffixes,
						 G_N_ELEMENTS(suffixes))) {
			g_variant_dict_insert(dict, "STS", "s",
					      words[last - 1]);
			last--;
		}
		if (last - first >= 2 && word_in(words[first], directions,
						 G_N_ELEMENTS(directions))) {
			g_variant_dict_insert(dict, "PRD", "s", words[first]);
			first++;
		}
	}
	{
		gchar *saved = words[last];

		words[last] = NULL;
		rd = g_strjoinv(" ", words + first);
		words[last] = saved;
	}
	g_variant_dict_insert(dict, "RD", "s", rd);
}

gchar *addrformat_street_join(GVariant *civic)
{
	static const char *const parts[] = {"PRD", "RD", "STS", "POD"};
	GString *out = g_string_new(NULL);
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(parts); i++) {
		const char *v = NULL;

		if (!g_variant_lookup(civic, parts[i], "&s", &v) || !*v)
			continue;
		if (out->len)
			g_string_append_c(out, ' ');
		g_string_append(out, v);
	}

	return g_string_free(out, FALSE);
}

static gboolean known_element(const char *s, gsize len)
{
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(elements); i++) {
		if (strlen(elements[i].element) == len &&
		    !strncmp(s, elements[i].element, len))
			return TRUE;
	}

	return len == 8 && !strncmp(s, "lat, lon", 8);
}

/* Where the problem at p ends: at "; " followed by "NAME: " of a known
 * element; "; " inside a problem's words ("...long; at most...") does
 * not end it. */
static const char *problem_end(const char *p)
{
	const char *s;

	for (s = strstr(p, "; "); s; s = strstr(s + 1, "; ")) {
		const char *name = s + 2;
		const char *colon = strstr(name, ": ");

		if (colon && known_element(name, (gsize)(colon - name)))
			return s;
	}

	return p + strlen(p);
}

static void problem_clear(gpointer data)
{
	AddrProblem *p = data;

	g_free(p->element);
	g_free(p->text);
}

GArray *addrformat_problems(const char *error)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(AddrProblem));
	const char *p = error;

	g_array_set_clear_func(out, problem_clear);
	while (p && *p) {
		const char *end = problem_end(p);
		const char *colon = strstr(p, ": ");
		AddrProblem pr = {NULL, NULL};

		if (colon && colon < end &&
		    known_element(p, (gsize)(colon - p))) {
			pr.element = g_strndup(p, (gsize)(colon - p));
			pr.text =
				g_strndup(colon + 2, (gsize)(end - colon - 2));
		} else {
			pr.text = g_strndup(p, (gsize)(end - p));
		}
		g_array_append_val(out, pr);
		p = *end ? end + 2 : end;
	}

	return out;
}

gchar *addrformat_problem_words(const AddrProblem *p, const char *label)
{
	const char *most;

	if (!label)
		return g_strdup(p->text);
	if (!g_strcmp0(p->element, "country"))
		return g_strdup(_("Choose a country from the list."));
	if (g_str_has_suffix(p->text, " is required"))
		/* TRANSLATORS: %s is a field's label, e.g. "City" */
		return g_strdup_printf(_("%s is required."), label);
	most = strstr(p->text, "at most ");
	if (most) {
		guint64 n = g_ascii_strtoull(most + 8, NULL, 10);

		/* TRANSLATORS: a field's label, then a count of characters */
		return g_strdup_printf(
			g_dngettext(NULL,
				    "%s is too long: at most %u character.",
				    "%s is too long: at most %u characters.",
				    (gulong)n),
			label, (guint)n);
	}
	if (strstr(p->text, "UTF-8"))
		return g_strdup_printf(
			_("%s holds characters that are not text."), label);

	return g_strdup_printf("%s: %s", label, p->text);
}

const char *addrformat_locale_country(const char *locale)
{
	const char *us;
	char cc[3];

	if (!locale)
		return NULL;
	us = strchr(locale, '_');
	if (!us || !g_ascii_isupper(us[1]) || !g_ascii_isupper(us[2]) ||
	    g_ascii_isalnum(us[3]))
		return NULL;
	cc[0] = us[1];
	cc[1] = us[2];
	cc[2] = '\0';
	/* the table's own string: the caller keeps no copy */
	return addrformat_country_name(cc) ? addrformat_country_code(cc) : NULL;
}
