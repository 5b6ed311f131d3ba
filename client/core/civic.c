/* civic: RFC 5139 civic address elements and their RFC 4776 CAtypes. */

#include <re.h>
#include <string.h>
#include "civic.h"

static const struct {
	const char *name;
	unsigned catype;
} fields[CIVIC_FIELD_COUNT] = {
	[CIVIC_COUNTRY] = {"country", 0},
	[CIVIC_A1] = {"A1", 1},
	[CIVIC_A2] = {"A2", 2},
	[CIVIC_A3] = {"A3", 3},
	[CIVIC_A4] = {"A4", 4},
	[CIVIC_A5] = {"A5", 5},
	[CIVIC_A6] = {"A6", 6},
	[CIVIC_PRD] = {"PRD", 16},
	[CIVIC_POD] = {"POD", 17},
	[CIVIC_STS] = {"STS", 18},
	[CIVIC_HNO] = {"HNO", 19},
	[CIVIC_HNS] = {"HNS", 20},
	[CIVIC_LMK] = {"LMK", 21},
	[CIVIC_LOC] = {"LOC", 22},
	[CIVIC_NAM] = {"NAM", 23},
	[CIVIC_PC] = {"PC", 24},
	[CIVIC_BLD] = {"BLD", 25},
	[CIVIC_UNIT] = {"UNIT", 26},
	[CIVIC_FLR] = {"FLR", 27},
	[CIVIC_ROOM] = {"ROOM", 28},
	[CIVIC_PLC] = {"PLC", 29},
	[CIVIC_PCN] = {"PCN", 30},
	[CIVIC_POBOX] = {"POBOX", 31},
	[CIVIC_ADDCODE] = {"ADDCODE", 32},
	[CIVIC_SEAT] = {"SEAT", 33},
	[CIVIC_RD] = {"RD", 34},
	[CIVIC_RDSEC] = {"RDSEC", 35},
	[CIVIC_RDBR] = {"RDBR", 36},
	[CIVIC_RDSUBBR] = {"RDSUBBR", 37},
	[CIVIC_PRM] = {"PRM", 38},
	[CIVIC_POM] = {"POM", 39},
};

const enum civic_field civic_schema_order[CIVIC_FIELD_COUNT] = {
	CIVIC_COUNTRY, CIVIC_A1,   CIVIC_A2,  CIVIC_A3,	   CIVIC_A4,
	CIVIC_A5,      CIVIC_A6,   CIVIC_PRM, CIVIC_PRD,   CIVIC_RD,
	CIVIC_STS,     CIVIC_POD,  CIVIC_POM, CIVIC_RDSEC, CIVIC_RDBR,
	CIVIC_RDSUBBR, CIVIC_HNO,  CIVIC_HNS, CIVIC_LMK,   CIVIC_LOC,
	CIVIC_FLR,     CIVIC_NAM,  CIVIC_PC,  CIVIC_BLD,   CIVIC_UNIT,
	CIVIC_ROOM,    CIVIC_SEAT, CIVIC_PLC, CIVIC_PCN,   CIVIC_POBOX,
	CIVIC_ADDCODE,
};

const char *civic_field_name(enum civic_field f)
{
	return (unsigned)f < CIVIC_FIELD_COUNT ? fields[f].name : NULL;
}

int civic_field_by_name(const char *name)
{
	int f;

	if (!name)
		return -1;

	for (f = 0; f < CIVIC_FIELD_COUNT; f++) {
		if (0 == strcmp(fields[f].name, name))
			return f;
	}

	return -1;
}

int civic_field_by_catype(unsigned catype)
{
	int f;

	if (catype == 0)
		return -1;

	for (f = 1; f < CIVIC_FIELD_COUNT; f++) {
		if (fields[f].catype == catype)
			return f;
	}

	return -1;
}

unsigned civic_catype(enum civic_field f)
{
	return (unsigned)f < CIVIC_FIELD_COUNT ? fields[f].catype : 0;
}

int civic_set(struct civic *c, enum civic_field f, const char *val, size_t len)
{
	char *copy;
	size_t i;

	if (!c || (unsigned)f >= CIVIC_FIELD_COUNT || (!val && len))
		return EINVAL;
	if (len > CIVIC_VALUE_MAX)
		return EINVAL;

	for (i = 0; i < len; i++) {
		if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f)
			return EINVAL;
	}

	if (!len) {
		c->v[f] = mem_deref(c->v[f]);
		return 0;
	}

	copy = mem_alloc(len + 1, NULL);
	if (!copy)
		return ENOMEM;
	memcpy(copy, val, len);
	copy[len] = '\0';

	mem_deref(c->v[f]);
	c->v[f] = copy;
	return 0;
}

int civic_set_str(struct civic *c, enum civic_field f, const char *val)
{
	return civic_set(c, f, val, val ? strlen(val) : 0);
}

static bool ascii_alpha(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

bool civic_country_wire(char out[3], const char *s)
{
	out[0] = '\0';
	if (!s || !ascii_alpha(s[0]) || !ascii_alpha(s[1]) || s[2])
		return false;

	out[0] = (char)(s[0] & ~0x20);
	out[1] = (char)(s[1] & ~0x20);
	out[2] = '\0';
	return true;
}

const char *civic_get(const struct civic *c, enum civic_field f)
{
	if (!c || (unsigned)f >= CIVIC_FIELD_COUNT)
		return NULL;

	return c->v[f];
}

bool civic_is_empty(const struct civic *c)
{
	int f;

	for (f = 0; c && f < CIVIC_FIELD_COUNT; f++) {
		if (c->v[f])
			return false;
	}

	return true;
}

int civic_copy(struct civic *dst, const struct civic *src)
{
	int f, err = 0;

	if (!dst || !src)
		return EINVAL;

	civic_reset(dst);
	for (f = 0; f < CIVIC_FIELD_COUNT && !err; f++)
		err = civic_set_str(dst, f, src->v[f]);

	if (err)
		civic_reset(dst);
	return err;
}

bool civic_equal(const struct civic *a, const struct civic *b)
{
	int f;

	if (!a || !b)
		return a == b;

	for (f = 0; f < CIVIC_FIELD_COUNT; f++) {
		if (str_cmp(a->v[f] ? a->v[f] : "", b->v[f] ? b->v[f] : ""))
			return false;
	}

	return true;
}

void civic_reset(struct civic *c)
{
	int f;

	for (f = 0; c && f < CIVIC_FIELD_COUNT; f++)
		c->v[f] = mem_deref(c->v[f]);
}

/* Print the given fields joined by spaces; *first tracks separators. */
static int print_group(struct re_printf *pf, const struct civic *c,
		       const enum civic_field *fv, size_t fc, bool *first)
{
	bool any = false;
	size_t i;
	int err = 0;

	for (i = 0; i < fc && !err; i++) {
		const char *v = c->v[fv[i]];

		if (!v)
			continue;
		err = re_hprintf(pf, "%s%s", any ? " " : (*first ? "" : ", "),
				 v);
		any = true;
	}

	if (any)
		*first = false;
	return err;
}

int civic_print(struct re_printf *pf, const struct civic *c)
{
	static const enum civic_field street[] = {
		CIVIC_HNO, CIVIC_HNS, CIVIC_PRD, CIVIC_PRM,
		CIVIC_RD,  CIVIC_STS, CIVIC_POD, CIVIC_POM};
	/* the parts inside a building say what they are: "3.141" alone
	 * could be anything to the person reading it */
	static const struct {
		enum civic_field f;
		const char *prefix;
	} singles[] = {
		{CIVIC_BLD, ""},       {CIVIC_UNIT, "unit "},
		{CIVIC_ROOM, "room "}, {CIVIC_SEAT, "seat "},
		{CIVIC_LOC, ""},       {CIVIC_A5, ""},
		{CIVIC_A4, ""},	       {CIVIC_A3, ""},
		{CIVIC_A2, ""},	       {CIVIC_A1, ""},
		{CIVIC_PC, ""},	       {CIVIC_COUNTRY, ""},
	};
	bool first = true;
	size_t i;
	int err;

	if (!c)
		return 0;

	err = print_group(pf, c, street, ARRAY_SIZE(street), &first);
	for (i = 0; i < ARRAY_SIZE(singles) && !err; i++) {
		const char *v = c->v[singles[i].f];

		if (!v)
			continue;
		err = re_hprintf(pf, "%s%s%s", first ? "" : ", ",
				 singles[i].prefix, v);
		first = false;
	}

	if (!err && c->v[CIVIC_FLR])
		err = re_hprintf(pf, "%sfloor %s", first ? "" : ", ",
				 c->v[CIVIC_FLR]);

	return err;
}
