/* Unit tests: the address form's countries, layouts and error words. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "addrformat.h"

static void test_countries(void **state)
{
	const AddrChoice *c;
	gsize n, i;

	(void)state;
	c = addrformat_countries(&n);
	/* every officially assigned code the engine accepts */
	assert_int_equal(n, 249);
	for (i = 1; i < n; i++)
		assert_true(g_utf8_collate(c[i - 1].name, c[i].name) < 0);
	assert_string_equal(addrformat_country_code("Germany"), "DE");
	assert_string_equal(addrformat_country_code("  united states "), "US");
	assert_string_equal(addrformat_country_code("gb"), "GB");
	assert_null(addrformat_country_code("UNITED STATE"));
	assert_null(addrformat_country_code(""));
	assert_string_equal(addrformat_country_name("FR"), "France");
	assert_null(addrformat_country_name("XX"));
	assert_string_equal(addrformat_locale_country("en_US.UTF-8"), "US");
	assert_string_equal(addrformat_locale_country("de_DE"), "DE");
	assert_null(addrformat_locale_country("C.UTF-8"));
	assert_null(addrformat_locale_country("en_XX.UTF-8"));
}

/* Where element sits in the layout's order, or -1. */
static gint pos(const AddrLayout *l, const char *element)
{
	gsize i;

	for (i = 0; i < l->n_fields; i++) {
		if (!strcmp(l->fields[i].element, element))
			return (gint)i;
	}

	return -1;
}

static void test_layouts(void **state)
{
	static const char *const countries[] = {"US", "CA", "GB",
						"DE", "FR", "JP"};
	static const char *const required[] = {"A1", "A3", "HNO", "RD", "PC"};
	GRegex *names = g_regex_new(
		"\\b(A[1-6]|PRD|POD|STS|HNO|HNS|LOC|NAM|PC|BLD|UNIT|FLR|ROOM|"
		"RD|SEAT)\\b",
		0, 0, NULL);
	const AddrLayout *de, *fr, *us;
	gsize i, j;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(countries); i++) {
		const AddrLayout *l = addrformat_layout(countries[i]);

		/* what the engine requires is in every form */
		for (j = 0; j < G_N_ELEMENTS(required); j++)
			assert_true(pos(l, required[j]) >= 0);
		for (j = 0; j < l->n_fields; j++) {
			assert_false(g_regex_match(names, l->fields[j].label, 0,
						   NULL));
			assert_non_null(
				addrformat_element_label(l->fields[j].element));
		}
	}
	assert_null(addrformat_layout("JP")->country);
	de = addrformat_layout("DE");
	assert_true(pos(de, "RD") < pos(de, "HNO"));
	assert_true(pos(de, "PC") < pos(de, "A3"));
	fr = addrformat_layout("FR");
	assert_true(pos(fr, "HNO") < pos(fr, "RD"));
	assert_true(pos(fr, "PC") < pos(fr, "A3"));
	us = addrformat_layout("US");
	assert_string_equal(us->fields[pos(us, "PC")].label, "ZIP code");
	assert_string_equal(addrformat_choice_value(&us->fields[pos(us, "A1")],
						    "washington"),
			    "WA");
	assert_string_equal(
		addrformat_choice_value(&us->fields[pos(us, "A1")], "wa"),
		"WA");
	assert_null(addrformat_choice_value(&us->fields[pos(us, "A1")], "W"));
	assert_string_equal(addrformat_layout("GB")
				    ->fields[pos(addrformat_layout("GB"), "PC")]
				    .label,
			    "Postcode");
	g_regex_unref(names);
}

/* The street split as "PRD|RD|STS|POD" ("" for a part left out). */
static gchar *split(const char *country, const char *street)
{
	static const char *const parts[] = {"PRD", "RD", "STS", "POD"};
	g_autoptr(GVariant) v = NULL;
	GString *out = g_string_new(NULL);
	GVariantDict d;
	gsize i;

	g_variant_dict_init(&d, NULL);
	addrformat_street_split(addrformat_layout(country), street, &d);
	v = g_variant_ref_sink(g_variant_dict_end(&d));
	for (i = 0; i < G_N_ELEMENTS(parts); i++) {
		const char *p = "";

		g_variant_lookup(v, parts[i], "&s", &p);
		g_string_append_printf(out, "%s%s", i ? "|" : "", p);
	}

	return g_string_free(out, FALSE);
}

static void test_street(void **state)
{
	static const struct {
		const char *country, *street, *want;
	} cases[] = {
		{"US", "Microsoft Way", "|Microsoft|Way|"},
		{"US", "N Main St NW", "N|Main|St|NW"},
		/* a spelt-out direction is part of the name */
		{"US", "North Road", "|North|Road|"},
		{"US", "Broadway", "|Broadway||"},
		{"US", "  Park   Ave. ", "|Park|Ave.|"},
		{"US", "W Way", "|W|Way|"},
		{"CA", "Yonge St", "|Yonge|St|"},
		{"DE", "Unter den Linden", "|Unter den Linden||"},
		{"GB", "High Street", "|High Street||"},
	};
	g_autoptr(GVariant) civic = NULL;
	g_autofree gchar *joined = NULL;
	gsize i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *got =
			split(cases[i].country, cases[i].street);

		assert_string_equal(got, cases[i].want);
	}
	civic = g_variant_ref_sink(g_variant_new_parsed(
		"{'PRD': <'N'>, 'RD': <'Main'>, 'STS': <'St'>, 'A3': <'X'>}"));
	joined = addrformat_street_join(civic);
	assert_string_equal(joined, "N Main St");
}

static void test_problems(void **state)
{
	g_autoptr(GArray) p = addrformat_problems(
		"country: 'XX' is not an ISO 3166 alpha-2 code; A3: city is "
		"required; RD: street is 130 characters long; at most 128 are "
		"allowed; lat, lon: give both or neither");
	const AddrProblem *v;
	g_autofree gchar *w1 = NULL, *w2 = NULL, *w3 = NULL;

	(void)state;
	assert_int_equal(p->len, 4);
	v = &g_array_index(p, AddrProblem, 0);
	assert_string_equal(v[0].element, "country");
	assert_string_equal(v[1].element, "A3");
	assert_string_equal(v[1].text, "city is required");
	assert_string_equal(v[2].element, "RD");
	assert_string_equal(v[2].text,
			    "street is 130 characters long; at most 128 are "
			    "allowed");
	assert_string_equal(v[3].element, "lat, lon");
	w1 = addrformat_problem_words(&v[1], "Town/City");
	assert_string_equal(w1, "Town/City is required.");
	w2 = addrformat_problem_words(&v[2], "Street");
	assert_string_equal(w2, "Street is too long: at most 128 characters.");
	w3 = addrformat_problem_words(&v[0], "Country");
	assert_string_equal(w3, "Choose a country from the list.");
	g_array_unref(g_steal_pointer(&p));

	p = addrformat_problems("something else went wrong");
	assert_int_equal(p->len, 1);
	assert_null(g_array_index(p, AddrProblem, 0).element);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_street),
		cmocka_unit_test(test_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
