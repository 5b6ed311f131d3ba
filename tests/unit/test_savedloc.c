/* Unit tests for savedloc: the store, its file format and refusals. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "savedloc.h"

static const char fp_a[] = "00112233445566778899aabbccddeeff";
static const char fp_b[] = "0a0b0c0d";
static const char fp_c[] = "c0ffee";

static void civic_fill(struct civic *c, const char *hno, const char *rd)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(0, civic_set_str(c, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(c, CIVIC_A1, "WA"));
	assert_int_equal(0, civic_set_str(c, CIVIC_A3, "Redmond"));
	assert_int_equal(0, civic_set_str(c, CIVIC_HNO, hno));
	assert_int_equal(0, civic_set_str(c, CIVIC_RD, rd));
}

static const char *entry_name(const struct savedloc_entry *e)
{
	return e ? e->name : "(none)";
}

static void put_lookup_delete(void **state)
{
	const char *fps[] = {fp_a, fp_b, fp_a};
	struct savedloc_coord coord = {47.6396, -122.1284};
	const struct savedloc_entry *e;
	struct savedloc *s = NULL;
	struct civic home, office;
	(void)state;

	civic_fill(&home, "12", "Elm");
	civic_fill(&office, "1", "Microsoft");
	assert_int_equal(0, savedloc_alloc(&s));

	assert_int_equal(0, savedloc_put(s, "Home", &home, NULL, fps, 3));
	assert_int_equal(0, savedloc_put(s, "Office", &office, &coord,
					 (const char *[]){fp_c}, 1));

	e = savedloc_lookup(s, fp_a);
	assert_string_equal("Home", entry_name(e));
	assert_true(civic_equal(&home, &e->civic));
	assert_false(e->has_coord);
	/* the duplicate fingerprint was merged */
	assert_int_equal(2, list_count(&e->networks));
	assert_string_equal("Home", entry_name(savedloc_lookup(s, fp_b)));

	e = savedloc_lookup(s, fp_c);
	assert_string_equal("Office", entry_name(e));
	assert_true(e->has_coord);
	assert_true(e->coord.lat == 47.6396 && e->coord.lon == -122.1284);
	assert_ptr_equal(e, savedloc_find(s, "Office"));

	assert_null(savedloc_lookup(s, "ffff"));
	assert_null(savedloc_find(s, "Cabin"));
	assert_int_equal(2, list_count(savedloc_list(s)));

	assert_int_equal(0, savedloc_delete(s, "Home"));
	assert_null(savedloc_lookup(s, fp_a));
	assert_null(savedloc_lookup(s, fp_b));
	assert_int_equal(ENOENT, savedloc_delete(s, "Home"));

	savedloc_forget_all(s);
	assert_null(savedloc_lookup(s, fp_c));
	assert_int_equal(0, list_count(savedloc_list(s)));

	civic_reset(&home);
	civic_reset(&office);
	mem_deref(s);
}

/* Replacing by name keeps the place in the list and drops the networks
 * the new version does not list. */
static void replace_by_name(void **state)
{
	struct savedloc *s = NULL;
	struct civic a, b;
	const struct savedloc_entry *e;
	(void)state;

	civic_fill(&a, "12", "Elm");
	civic_fill(&b, "14", "Elm");
	assert_int_equal(0, savedloc_alloc(&s));

	assert_int_equal(0, savedloc_put(s, "Home", &a, NULL,
					 (const char *[]){fp_a, fp_b}, 2));
	assert_int_equal(0, savedloc_put(s, "Office", &a, NULL, NULL, 0));
	assert_int_equal(0, savedloc_put(s, "Home", &b, NULL,
					 (const char *[]){fp_b}, 1));

	e = list_head(savedloc_list(s))->data;
	assert_string_equal("Home", e->name);
	assert_string_equal("14", civic_get(&e->civic, CIVIC_HNO));
	assert_int_equal(1, list_count(&e->networks));
	assert_null(savedloc_lookup(s, fp_a));
	assert_ptr_equal(e, savedloc_lookup(s, fp_b));
	assert_int_equal(2, list_count(savedloc_list(s)));

	/* replacing with the entry's own name and civic is safe */
	assert_int_equal(0, savedloc_put(s, e->name, &e->civic, NULL, NULL, 0));
	e = savedloc_find(s, "Home");
	assert_string_equal("14", civic_get(&e->civic, CIVIC_HNO));

	civic_reset(&a);
	civic_reset(&b);
	mem_deref(s);
}

/* A network has one saved location: remembering it elsewhere moves it. */
static void networks_move(void **state)
{
	struct savedloc *s = NULL;
	struct civic a;
	char fp[8];
	unsigned i;
	(void)state;

	civic_fill(&a, "12", "Elm");
	assert_int_equal(0, savedloc_alloc(&s));
	assert_int_equal(0, savedloc_put(s, "Home", &a, NULL,
					 (const char *[]){fp_a}, 1));
	assert_int_equal(0, savedloc_put(s, "Cabin", &a, NULL,
					 (const char *[]){fp_a, fp_b}, 2));
	assert_string_equal("Cabin", entry_name(savedloc_lookup(s, fp_a)));
	assert_int_equal(0, list_count(&savedloc_find(s, "Home")->networks));

	assert_int_equal(0, savedloc_remember(s, "Home", fp_a));
	assert_int_equal(0, savedloc_remember(s, "Home", fp_a));
	assert_string_equal("Home", entry_name(savedloc_lookup(s, fp_a)));
	assert_int_equal(1, list_count(&savedloc_find(s, "Cabin")->networks));
	assert_int_equal(ENOENT, savedloc_remember(s, "Nowhere", fp_c));
	assert_int_equal(EINVAL, savedloc_remember(s, "Home", "XYZ"));

	/* at most SAVEDLOC_MAX_NETWORKS per location */
	for (i = 1; i < SAVEDLOC_MAX_NETWORKS; i++) {
		re_snprintf(fp, sizeof(fp), "%04x", i);
		assert_int_equal(0, savedloc_remember(s, "Home", fp));
	}
	assert_int_equal(ENOSPC, savedloc_remember(s, "Home", "ffff"));

	civic_reset(&a);
	mem_deref(s);
}

static void refuse_bad_arguments(void **state)
{
	struct savedloc_coord bad_lat = {90.5, 0}, bad_lon = {0, -181};
	struct savedloc_coord nan_lat = {0, 0};
	char long_name[SAVEDLOC_NAME_MAX + 2], long_fp[SAVEDLOC_FP_MAX + 2];
	const char *many[SAVEDLOC_MAX_NETWORKS + 1];
	struct savedloc *s = NULL;
	struct civic a, empty;
	size_t i;
	(void)state;

	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	memset(long_fp, 'a', sizeof(long_fp) - 1);
	long_fp[sizeof(long_fp) - 1] = '\0';
	nan_lat.lat = strtod("nan", NULL);
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = fp_a;

	civic_fill(&a, "12", "Elm");
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(0, savedloc_alloc(&s));

	assert_int_equal(EINVAL, savedloc_put(s, "", &a, NULL, NULL, 0));
	assert_int_equal(EINVAL, savedloc_put(s, NULL, &a, NULL, NULL, 0));
	assert_int_equal(EINVAL, savedloc_put(s, long_name, &a, NULL, NULL, 0));
	assert_int_equal(EINVAL, savedloc_put(s, "a\nb", &a, NULL, NULL, 0));
	assert_int_equal(EINVAL,
			 savedloc_put(s, "Home", &empty, NULL, NULL, 0));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", NULL, NULL, NULL, 0));
	assert_int_equal(EINVAL,
			 savedloc_put(s, "Home", &a, &bad_lat, NULL, 0));
	assert_int_equal(EINVAL,
			 savedloc_put(s, "Home", &a, &bad_lon, NULL, 0));
	assert_int_equal(EINVAL,
			 savedloc_put(s, "Home", &a, &nan_lat, NULL, 0));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", &a, NULL,
					      (const char *[]){"ABCD"}, 1));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", &a, NULL,
					      (const char *[]){"abcg"}, 1));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", &a, NULL,
					      (const char *[]){""}, 1));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", &a, NULL,
					      (const char *[]){long_fp}, 1));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", &a, NULL, NULL, 1));
	assert_int_equal(ENOSPC, savedloc_put(s, "Home", &a, NULL, many,
					      ARRAY_SIZE(many)));
	/* none of that changed anything */
	assert_int_equal(0, list_count(savedloc_list(s)));

	/* a failed replacement leaves the old version in place */
	assert_int_equal(0, savedloc_put(s, "Home", &a, NULL,
					 (const char *[]){fp_a}, 1));
	assert_int_equal(EINVAL, savedloc_put(s, "Home", &a, NULL,
					      (const char *[]){fp_b, "X"}, 2));
	assert_string_equal("Home", entry_name(savedloc_lookup(s, fp_a)));
	assert_null(savedloc_lookup(s, fp_b));

	assert_true(savedloc_fingerprint_valid("0123456789abcdef"));
	assert_false(savedloc_fingerprint_valid("0123456789abcdeF"));
	assert_false(savedloc_fingerprint_valid(NULL));

	civic_reset(&a);
	mem_deref(s);
}

static void store_full(void **state)
{
	struct savedloc *s = NULL;
	struct civic a;
	char name[16];
	unsigned i;
	(void)state;

	civic_fill(&a, "12", "Elm");
	assert_int_equal(0, savedloc_alloc(&s));
	for (i = 0; i < SAVEDLOC_MAX_LOCATIONS; i++) {
		re_snprintf(name, sizeof(name), "loc%u", i);
		assert_int_equal(0, savedloc_put(s, name, &a, NULL, NULL, 0));
	}
	assert_int_equal(ENOSPC,
			 savedloc_put(s, "one more", &a, NULL, NULL, 0));
	/* replacing is still possible */
	assert_int_equal(0, savedloc_put(s, "loc7", &a, NULL, NULL, 0));

	civic_reset(&a);
	mem_deref(s);
}

static char *encode(const struct savedloc *s)
{
	struct mbuf *mb = mbuf_alloc(1024);
	char *str = NULL;

	assert_non_null(mb);
	assert_int_equal(0, savedloc_encode(mb, s));
	assert_int_equal(0, re_sdprintf(&str, "%b", mb->buf, mb->end));
	mem_deref(mb);
	return str;
}

static void assert_same_store(const struct savedloc *x,
			      const struct savedloc *y)
{
	struct le *lx, *ly;

	assert_int_equal(list_count(savedloc_list(x)),
			 list_count(savedloc_list(y)));
	for (lx = list_head(savedloc_list(x)), ly = list_head(savedloc_list(y));
	     lx && ly; lx = lx->next, ly = ly->next) {
		const struct savedloc_entry *a = lx->data, *b = ly->data;
		struct le *na, *nb;

		assert_string_equal(a->name, b->name);
		assert_true(civic_equal(&a->civic, &b->civic));
		assert_int_equal(a->has_coord, b->has_coord);
		assert_true(a->coord.lat == b->coord.lat);
		assert_true(a->coord.lon == b->coord.lon);
		assert_int_equal(list_count(&a->networks),
				 list_count(&b->networks));
		for (na = a->networks.head, nb = b->networks.head; na && nb;
		     na = na->next, nb = nb->next) {
			const struct savedloc_network *p = na->data;
			const struct savedloc_network *q = nb->data;

			assert_string_equal(p->fp, q->fp);
		}
	}
}

static void round_trip(void **state)
{
	static const struct savedloc_coord coords[] = {
		{47.6396, -122.1284},
		{-33.8567844, 151.2152967},
		{0, 0},
		{90, -180},
		{-90, 180},
		{12.34567894, -0.00000004},
		{-0.00000006, 0.0000001},
	};
	struct savedloc *s = NULL, *t = NULL;
	struct savedloc_error err;
	struct civic a;
	char name[32], fp[16], *j1, *j2;
	size_t i;
	(void)state;

	civic_fill(&a, "12", "Elm \"the old one\" \\ / \xc3\xa9");
	assert_int_equal(0, civic_set_str(&a, CIVIC_LOC, "Room 3, left"));
	assert_int_equal(0, savedloc_alloc(&s));

	for (i = 0; i < 1000; i++) {
		const char *fpv[2];
		char fp2[16];

		re_snprintf(name, sizeof(name), "Place %zu", i);
		re_snprintf(fp, sizeof(fp), "%08zx", i);
		re_snprintf(fp2, sizeof(fp2), "ff%08zx", i);
		fpv[0] = fp;
		fpv[1] = fp2;
		assert_int_equal(
			0,
			savedloc_put(s, name, &a,
				     i < ARRAY_SIZE(coords) ? &coords[i] : NULL,
				     fpv, i % 3));
	}

	j1 = encode(s);
	assert_int_equal(0, savedloc_decode(&t, j1, strlen(j1), &err));
	assert_string_equal("", err.why);
	assert_same_store(s, t);

	/* and the second encoding is the first, byte for byte */
	j2 = encode(t);
	assert_string_equal(j1, j2);

	/* every remembered network is found */
	for (i = 0; i < 1000; i++) {
		re_snprintf(fp, sizeof(fp), "%08zx", i);
		re_snprintf(name, sizeof(name), "Place %zu", i);
		if (i % 3)
			assert_string_equal(name,
					    entry_name(savedloc_lookup(t, fp)));
		else
			assert_null(savedloc_lookup(t, fp));
	}

	mem_deref(j1);
	mem_deref(j2);
	mem_deref(s);
	mem_deref(t);
	civic_reset(&a);
}

/* A copy is equal and independent: a change to it leaves the original. */
static void clone_independent(void **state)
{
	struct savedloc_coord coord = {47.6396, -122.1284};
	struct savedloc *s = NULL, *c = NULL;
	struct civic home, office;
	(void)state;

	civic_fill(&home, "12", "Elm");
	civic_fill(&office, "1", "Microsoft");
	assert_int_equal(0, savedloc_alloc(&s));
	assert_int_equal(0, savedloc_put(s, "Home", &home, NULL,
					 (const char *[]){fp_a, fp_b}, 2));
	assert_int_equal(0, savedloc_put(s, "Office", &office, &coord,
					 (const char *[]){fp_c}, 1));

	assert_int_equal(0, savedloc_clone(&c, s));
	assert_same_store(s, c);

	assert_int_equal(0, savedloc_remember(c, "Office", fp_a));
	assert_int_equal(0, savedloc_delete(c, "Home"));
	assert_string_equal("Home", entry_name(savedloc_lookup(s, fp_a)));
	assert_string_equal("Office", entry_name(savedloc_lookup(c, fp_a)));
	assert_int_equal(2, list_count(savedloc_list(s)));
	assert_int_equal(1, list_count(savedloc_list(c)));
	assert_int_equal(EINVAL, savedloc_clone(NULL, s));
	assert_int_equal(EINVAL, savedloc_clone(&c, NULL));

	mem_deref(c);
	mem_deref(s);
	civic_reset(&home);
	civic_reset(&office);
}

/* Issue 11 item 10: a location entered before the network was identified
 * is that network's once it is. */
static void place_change_rule(void **state)
{
	static const struct {
		bool entered;
		const char *entered_place, *place;
		enum savedloc_place want;
	} cases[] = {
		{true, "", "", SAVEDLOC_PLACE_WAIT},
		{true, "ab", NULL, SAVEDLOC_PLACE_WAIT},
		{false, "", "", SAVEDLOC_PLACE_WAIT},
		/* saved in the first seconds: tied once identified */
		{true, "", "ab", SAVEDLOC_PLACE_ADOPT},
		{true, NULL, "ab", SAVEDLOC_PLACE_ADOPT},
		{true, "ab", "ab", SAVEDLOC_PLACE_SAME},
		/* another network's is never used here */
		{true, "ab", "cd", SAVEDLOC_PLACE_LEAVE},
		{false, "", "ab", SAVEDLOC_PLACE_LEAVE},
		{false, "ab", "ab", SAVEDLOC_PLACE_LEAVE},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(cases[i].want,
				 savedloc_place_change(cases[i].entered,
						       cases[i].entered_place,
						       cases[i].place));
}

static void empty_store_round_trip(void **state)
{
	struct savedloc *s = NULL, *t = NULL;
	char *j;
	(void)state;

	assert_int_equal(0, savedloc_alloc(&s));
	j = encode(s);
	assert_string_equal("{\"version\":1,\n\"locations\":[\n]}\n", j);
	assert_int_equal(0, savedloc_decode(&t, j, strlen(j), NULL));
	assert_int_equal(0, list_count(savedloc_list(t)));

	mem_deref(j);
	mem_deref(s);
	mem_deref(t);
}

struct decode_case {
	const char *in;
	int err;
	const char *why;
};

#define HEAD "{\"version\":1,\"locations\":["
#define CIV  "\"civic\":{\"country\":\"US\"}"

static const struct decode_case decode_cases[] = {
	{"", EBADMSG, "byte 0: empty input"},
	{" \n", EBADMSG, "byte 2: empty input"},
	{"\"x\"", EBADMSG, "byte 0: the top level is not an object or array"},
	/* truncated */
	{HEAD "{\"name\":\"Ho", EBADMSG,
	 "byte 37: truncated: input ends inside a string"},
	{HEAD, EBADMSG, "byte 26: truncated: an array is not closed"},
	{"{\"version\":1", EBADMSG,
	 "byte 12: truncated: an object is not closed"},
	{"{\"version\":-", EBADMSG,
	 "byte 12: truncated: input ends inside a number"},
	{"{\"version\":tr", EBADMSG,
	 "byte 13: truncated: input ends inside a literal"},
	{"{\"a\":\"\\u00", EBADMSG,
	 "byte 7: truncated: input ends inside a string"},
	/* malformed */
	{"{\"version\":1,\"locations\":[]} x", EBADMSG,
	 "byte 29: trailing data after the JSON text"},
	{"{\"version\":1,}", EBADMSG, "byte 13: expected a member name"},
	{"{\"version\" 1}", EBADMSG, "byte 11: expected ':'"},
	{"{\"version\":1 \"x\":2}", EBADMSG, "byte 13: expected ',' or '}'"},
	{"{\"l\":[1 2]}", EBADMSG, "byte 8: expected ',' or ']'"},
	{"{\"l\":[1,]}", EBADMSG, "byte 8: expected a value"},
	{"{\"version\":tru}", EBADMSG, "byte 11: expected a value"},
	{"{\"version\":01}", EBADMSG, "byte 12: expected ',' or '}'"},
	{"{\"version\":1.}", EBADMSG, "byte 13: expected a digit"},
	{"{\"a\":\"x\ty\"}", EBADMSG, "byte 7: control character in a string"},
	{"{\"a\":\"\\x\"}", EBADMSG, "byte 7: unknown escape in a string"},
	{"{\"a\":\"\\u12g4\"}", EBADMSG, "byte 7: bad \\u escape in a string"},
	{"{\"a\":\"\\u0000\"}", EBADMSG, "byte 7: \\u0000 in a string"},
	{"{\"a\":123456789012345678901234567890123}", EBADMSG,
	 "byte 5: number longer than 32 characters"},
	{HEAD "{\"name\":\"a\",\"civic\":{\"A1\":{}}}]}", EBADMSG,
	 "byte 52: nested too deep"},
	/* well-formed, wrong content */
	{"{}", EBADMSG, "\"version\" is missing"},
	{"[1]", EBADMSG, "\"version\" is missing"},
	{"{\"version\":\"1\"}", EBADMSG,
	 "\"version\" is not a positive integer"},
	{"{\"version\":0}", EBADMSG, "\"version\" is not a positive integer"},
	{"{\"version\":1.5}", EBADMSG, "\"version\" is not a positive integer"},
	{"{\"version\":2,\"places\":{}}", ENOTSUP,
	 "version 2 is newer than this program reads (1)"},
	{"{\"version\":1}", EBADMSG, "file: \"locations\" is missing"},
	{"{\"version\":1,\"locations\":{}}", EBADMSG,
	 "file.locations: not an array"},
	{"{\"version\":1,\"locations\":[],\"extra\":1}", EBADMSG,
	 "file: unknown key \"extra\""},
	{"{\"version\":1,\"locations\":[],\"locations\":[]}", EBADMSG,
	 "file: key \"locations\" appears twice"},
	{HEAD "1]}", EBADMSG, "locations[0]: not an object"},
	{HEAD "{" CIV "}]}", EBADMSG, "locations[0]: \"name\" is missing"},
	{HEAD "{\"name\":7," CIV "}]}", EBADMSG,
	 "locations[0].name: not a string"},
	{HEAD "{\"name\":\"\"," CIV ",\"networks\":[]}]}", EBADMSG,
	 "locations[0].name: empty, longer than 64 bytes or holds control "
	 "characters"},
	{HEAD "{\"name\":\"a\\nb\"," CIV ",\"networks\":[]}]}", EBADMSG,
	 "locations[0].name: empty, longer than 64 bytes or holds control "
	 "characters"},
	{HEAD "{\"name\":\"a\",\"civic\":[],\"networks\":[]}]}", EBADMSG,
	 "locations[0].civic: not an object"},
	{HEAD "{\"name\":\"a\"," CIV "}]}", EBADMSG,
	 "locations[0]: \"networks\" is missing"},
	{HEAD "{\"name\":\"a\"," CIV ",\"networks\":[],\"x\":1}]}", EBADMSG,
	 "locations[0]: unknown key \"x\""},
	{HEAD "{\"name\":\"a\",\"civic\":{},\"networks\":[]}]}", EBADMSG,
	 "locations[0].civic: no element"},
	{HEAD "{\"name\":\"a\",\"civic\":{\"ZIP\":\"1\"},\"networks\":[]}]}",
	 EBADMSG, "locations[0].civic: unknown element \"ZIP\""},
	{HEAD "{\"name\":\"a\",\"civic\":{\"A1\":1},\"networks\":[]}]}",
	 EBADMSG, "locations[0].civic.A1: not a non-empty string"},
	{HEAD "{\"name\":\"a\",\"civic\":{\"A1\":\"x\",\"A1\":\"y\"},"
	      "\"networks\":[]}]}",
	 EBADMSG, "locations[0].civic: element A1 appears twice"},
	{HEAD "{\"name\":\"a\",\"civic\":{\"A1\":\"\\u0001\"},"
	      "\"networks\":[]}]}",
	 EBADMSG,
	 "locations[0].civic.A1: too long or holds control characters"},
	{HEAD "{\"name\":\"a\"," CIV ",\"networks\":[\"AB\"]}]}", EBADMSG,
	 "locations[0].networks[0]: not a fingerprint (lower-case hex)"},
	{HEAD "{\"name\":\"a\"," CIV ",\"networks\":[\"ab\",\"ab\"]}]}",
	 EBADMSG, "locations[0].networks[1]: listed twice"},
	{HEAD "{\"name\":\"a\"," CIV ",\"networks\":[\"ab\"]},"
	      "{\"name\":\"b\"," CIV ",\"networks\":[\"ab\"]}]}",
	 EBADMSG, "locations[1].networks[0]: also listed for \"a\""},
	{HEAD "{\"name\":\"a\"," CIV ",\"networks\":[]},"
	      "{\"name\":\"a\"," CIV ",\"networks\":[]}]}",
	 EBADMSG, "locations[1].name: \"a\" is used twice"},
	{HEAD "{\"name\":\"a\"," CIV ",\"coord\":{\"lat\":91,\"lon\":0},"
	      "\"networks\":[]}]}",
	 EBADMSG,
	 "locations[0].coord: out of range (lat -90..90, lon "
	 "-180..180)"},
	{HEAD "{\"name\":\"a\"," CIV ",\"coord\":{\"lat\":\"1\",\"lon\":0},"
	      "\"networks\":[]}]}",
	 EBADMSG, "locations[0].coord: lat and lon must both be numbers"},
	{HEAD "{\"name\":\"a\"," CIV ",\"coord\":{\"lat\":1},"
	      "\"networks\":[]}]}",
	 EBADMSG, "locations[0].coord: lat and lon must both be numbers"},
	{HEAD "{\"name\":\"a\"," CIV ",\"coord\":{\"lat\":1,\"lon\":2,"
	      "\"alt\":3},\"networks\":[]}]}",
	 EBADMSG, "locations[0]: unknown key \"alt\""},
	{HEAD "{\"name\":\"a\"," CIV ",\"coord\":[],\"networks\":[]}]}",
	 EBADMSG, "locations[0].coord: not an object"},
	/* what the encoder writes decodes */
	{HEAD "{\"name\":\"a\"," CIV ",\"coord\":{\"lat\":-1.5,\"lon\":2},"
	      "\"networks\":[\"ab\"]}]}",
	 0, ""},
};

static void decode_refusals(void **state)
{
	struct savedloc_error e;
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(decode_cases); i++) {
		const struct decode_case *c = &decode_cases[i];
		struct savedloc *s = NULL;

		print_message("case %zu: %s\n", i, c->in);
		assert_int_equal(c->err,
				 savedloc_decode(&s, c->in, strlen(c->in), &e));
		assert_string_equal(c->why, e.why);
		if (c->err)
			assert_null(s);
		mem_deref(s);
	}
}

static void decode_limits(void **state)
{
	struct savedloc_error e;
	struct savedloc *s = NULL;
	struct mbuf *mb = mbuf_alloc(4096);
	unsigned i;
	char *big;
	(void)state;

	/* one byte too many is refused before any parsing */
	big = malloc(SAVEDLOC_MAX_SIZE + 1);
	assert_non_null(big);
	memset(big, ' ', SAVEDLOC_MAX_SIZE + 1);
	assert_int_equal(EFBIG,
			 savedloc_decode(&s, big, SAVEDLOC_MAX_SIZE + 1, &e));
	assert_string_equal("4194305 bytes; at most 4194304 are accepted",
			    e.why);
	free(big);

	/* more networks than one location may have */
	assert_int_equal(0, mbuf_printf(mb, HEAD "{\"name\":\"a\"," CIV
						 ",\"networks\":["));
	for (i = 0; i <= SAVEDLOC_MAX_NETWORKS; i++)
		assert_int_equal(
			0, mbuf_printf(mb, "%s\"%x\"", i ? "," : "", i + 1));
	assert_int_equal(0, mbuf_printf(mb, "]}]}"));
	assert_int_equal(EBADMSG,
			 savedloc_decode(&s, (char *)mb->buf, mb->end, &e));
	assert_string_equal("locations[0].networks: more than 64", e.why);

	assert_int_equal(EINVAL, savedloc_decode(NULL, "{}", 2, &e));
	assert_int_equal(EINVAL, savedloc_decode(&s, NULL, 2, &e));
	assert_null(s);

	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_lookup_delete),
		cmocka_unit_test(replace_by_name),
		cmocka_unit_test(networks_move),
		cmocka_unit_test(refuse_bad_arguments),
		cmocka_unit_test(store_full),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(empty_store_round_trip),
		cmocka_unit_test(clone_independent),
		cmocka_unit_test(place_change_rule),
		cmocka_unit_test(decode_refusals),
		cmocka_unit_test(decode_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
