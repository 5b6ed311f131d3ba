/* Unit tests for civic_validate: dispatchable addresses and messages. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "civic.h"
#include "civic_validate.h"

#define MAX_FIELDS   8
#define MAX_PROBLEMS 6

struct field_value {
	enum civic_field f;
	const char *v;
};

/* A dispatchable address to start from; cases change fields of it. */
static const struct field_value base[] = {
	{CIVIC_COUNTRY, "US"}, {CIVIC_A1, "WA"},	{CIVIC_A3, "Redmond"},
	{CIVIC_HNO, "1"},      {CIVIC_RD, "Microsoft"}, {CIVIC_STS, "Way"},
};

struct validate_case {
	const char *name;
	bool empty_base; /* start from nothing instead of base */
	struct field_value set[MAX_FIELDS]; /* v NULL clears the field */
	size_t nset;
	const char *problems[MAX_PROBLEMS];
};

static char long_rd[130];      /* 129 'x' */
static char accented_rd[255];  /* 127 x "é": 254 bytes, 127 characters */
static char too_accented[256]; /* 126 x "é" + "xxx": 255 bytes, 129 chars */

static const struct validate_case cases[] = {
	{.name = "complete address"},
	{
		.name = "nothing at all",
		.empty_base = true,
		.problems = {"country: country is required",
			     "A1: state or province is required",
			     "A3: city is required",
			     "HNO: house number is required",
			     "RD: street is required"},
	},
	{
		.name = "no house number",
		.set = {{CIVIC_HNO, NULL}},
		.nset = 1,
		.problems = {"HNO: house number is required"},
	},
	{
		.name = "LOC where there is no street address",
		.set = {{CIVIC_HNO, NULL},
			{CIVIC_RD, NULL},
			{CIVIC_LOC, "Mile marker 42, north side of the road"}},
		.nset = 3,
	},
	{
		.name = "LOC does not replace the city",
		.set = {{CIVIC_HNO, NULL},
			{CIVIC_RD, NULL},
			{CIVIC_A3, NULL},
			{CIVIC_LOC, "Hut 3"}},
		.nset = 4,
		.problems = {"A3: city is required"},
	},
	{
		.name = "alpha-3 country",
		.set = {{CIVIC_COUNTRY, "USA"}},
		.nset = 1,
		.problems = {"country: 'USA' is not an ISO 3166 alpha-2 code "
			     "(did you mean US?)"},
	},
	{
		.name = "reserved code UK",
		.set = {{CIVIC_COUNTRY, "UK"}},
		.nset = 1,
		.problems = {"country: 'UK' is not an ISO 3166 alpha-2 code "
			     "(did you mean GB?)"},
	},
	{
		.name = "unassigned code",
		.set = {{CIVIC_COUNTRY, "XK"}},
		.nset = 1,
		.problems = {"country: 'XK' is not an ISO 3166 alpha-2 code"},
	},
	{
		.name = "lower case country is not yet normalised",
		.set = {{CIVIC_COUNTRY, "de"}},
		.nset = 1,
		.problems = {"country: 'de' is not an ISO 3166 alpha-2 code "
			     "(did you mean DE?)"},
	},
	{
		.name = "street too long",
		.set = {{CIVIC_RD, long_rd}},
		.nset = 1,
		.problems = {"RD: street is 129 characters long; at most 128 "
			     "are allowed"},
	},
	{
		.name = "caps count characters, not bytes",
		.set = {{CIVIC_RD, accented_rd}},
		.nset = 1,
	},
	{
		.name = "characters over the cap",
		.set = {{CIVIC_RD, too_accented}},
		.nset = 1,
		.problems = {"RD: street is 129 characters long; at most 128 "
			     "are allowed"},
	},
	{
		.name = "not UTF-8",
		.set = {{CIVIC_A3, "Z\xfcrich"},     /* Latin-1 u-umlaut */
			{CIVIC_LOC, "\xc0\xaf"},     /* overlong '/' */
			{CIVIC_NAM, "\xed\xa0\x80"}, /* surrogate D800 */
			{CIVIC_BLD, "\xe2\x82"}},    /* cut short */
		.nset = 4,
		.problems = {"A3: city is not valid UTF-8 text",
			     "LOC: location description is not valid UTF-8 "
			     "text",
			     "NAM: name is not valid UTF-8 text",
			     "BLD: building is not valid UTF-8 text"},
	},
	{
		.name = "four-byte UTF-8 is fine",
		.set = {{CIVIC_NAM, "Caf\xc3\xa9 \xf0\x9f\x9a\x92"}},
		.nset = 1,
	},
};

static void fill(struct civic *c, const struct validate_case *vc)
{
	size_t i;

	if (!vc->empty_base) {
		for (i = 0; i < ARRAY_SIZE(base); i++)
			assert_int_equal(
				0, civic_set_str(c, base[i].f, base[i].v));
	}
	for (i = 0; i < vc->nset; i++)
		assert_int_equal(0,
				 civic_set_str(c, vc->set[i].f, vc->set[i].v));
}

static void table_cases(void **state)
{
	size_t i, j;
	(void)state;

	memset(long_rd, 'x', 129);
	for (j = 0; j < 127; j++)
		memcpy(accented_rd + 2 * j, "\xc3\xa9", 2);
	for (j = 0; j < 126; j++)
		memcpy(too_accented + 2 * j, "\xc3\xa9", 2);
	memcpy(too_accented + 252, "xxx", 3);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct validate_case *vc = &cases[i];
		struct civic_problems probs;
		struct civic c;
		size_t n = 0;

		print_message("case: %s\n", vc->name);
		memset(&c, 0, sizeof(c));
		fill(&c, vc);

		while (n < MAX_PROBLEMS && vc->problems[n])
			++n;

		assert_int_equal(n ? EINVAL : 0, civic_validate(&c, &probs));
		assert_int_equal(n, probs.n);
		for (j = 0; j < n; j++)
			assert_string_equal(vc->problems[j], probs.v[j].text);

		civic_reset(&c);
	}
}

static void problems_name_their_field(void **state)
{
	struct civic_problems probs;
	struct civic c;
	(void)state;

	memset(&c, 0, sizeof(c));
	assert_int_equal(0, civic_set_str(&c, CIVIC_COUNTRY, "USA"));
	assert_int_equal(EINVAL, civic_validate(&c, &probs));
	assert_int_equal(5, probs.n);
	assert_int_equal(CIVIC_COUNTRY, probs.v[0].field);
	assert_int_equal(CIVIC_RD, probs.v[4].field);

	/* without a problem list the answer is the same */
	assert_int_equal(EINVAL, civic_validate(&c, NULL));
	assert_int_equal(EINVAL, civic_validate(NULL, &probs));
	assert_int_equal(0, probs.n);

	civic_reset(&c);
}

/* Trim and upper-case the country; nothing more. */
static void normalise_trims_only(void **state)
{
	struct civic c;
	(void)state;

	memset(&c, 0, sizeof(c));
	assert_int_equal(0, civic_set_str(&c, CIVIC_COUNTRY, " us "));
	assert_int_equal(0, civic_set_str(&c, CIVIC_RD, "  main  street "));
	assert_int_equal(0, civic_set_str(&c, CIVIC_HNO, "12b"));
	assert_int_equal(0, civic_set_str(&c, CIVIC_FLR, "   "));
	assert_int_equal(0, civic_set_str(&c, CIVIC_A1, "wa"));

	assert_int_equal(0, civic_normalise(&c));
	assert_string_equal("US", civic_get(&c, CIVIC_COUNTRY));
	assert_string_equal("main  street", civic_get(&c, CIVIC_RD));
	assert_string_equal("12b", civic_get(&c, CIVIC_HNO));
	assert_string_equal("wa", civic_get(&c, CIVIC_A1));
	assert_null(civic_get(&c, CIVIC_FLR));
	assert_int_equal(EINVAL, civic_normalise(NULL));

	civic_reset(&c);
}

static void country_codes(void **state)
{
	static const char *const assigned[] = {"US", "GB", "DE", "AX", "SS",
					       "CW", "ZW", "AD", "TL", "EH"};
	static const char *const not_assigned[] = {"UK", "XK",	"EU", "us",
						   "",	 "USA", "U",  "ZZ"};
	static const struct {
		const char *in, *out;
	} hints[] = {
		{"USA", "US"}, {"usa", "US"},  {"gbr", "GB"}, {"DEU", "DE"},
		{"uk", "GB"},  {"EL", "GR"},   {"fr", "FR"},  {"ZZ", NULL},
		{"U", NULL},   {"USAA", NULL}, {NULL, NULL},
	};
	size_t i, n = 0;
	char cc[3] = "AA";
	(void)state;

	for (i = 0; i < ARRAY_SIZE(assigned); i++)
		assert_true(civic_country_assigned(assigned[i]));
	for (i = 0; i < ARRAY_SIZE(not_assigned); i++)
		assert_false(civic_country_assigned(not_assigned[i]));
	assert_false(civic_country_assigned(NULL));

	/* ISO 3166-1 has 249 officially assigned alpha-2 codes */
	for (cc[0] = 'A'; cc[0] <= 'Z'; cc[0]++) {
		for (cc[1] = 'A'; cc[1] <= 'Z'; cc[1]++)
			n += civic_country_assigned(cc);
	}
	assert_int_equal(249, n);

	for (i = 0; i < ARRAY_SIZE(hints); i++) {
		const char *h = civic_country_suggest(hints[i].in);

		if (hints[i].out)
			assert_string_equal(hints[i].out, h);
		else
			assert_null(h);
	}

	assert_int_equal(2, civic_field_max(CIVIC_COUNTRY));
	assert_int_equal(255, civic_field_max(CIVIC_LOC));
	assert_int_equal(0, civic_field_max(CIVIC_FIELD_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_cases),
		cmocka_unit_test(problems_name_their_field),
		cmocka_unit_test(normalise_trims_only),
		cmocka_unit_test(country_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
