/* Unit tests for the location record, its JSON form and RFC 3339 times. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <math.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "ctlproto.h"
#include "rfc3339.h"
#include "locsample.h"

static void rfc3339_format_cases(void **state)
{
	static const struct {
		long long t;
		const char *text;
	} cases[] = {
		{0, "1970-01-01T00:00:00Z"},
		{1700000000, "2023-11-14T22:13:20Z"},
		{951782400, "2000-02-29T00:00:00Z"}, /* leap day */
		{-1, "1969-12-31T23:59:59Z"},
		{253402300799LL, "9999-12-31T23:59:59Z"},
	};
	char buf[RFC3339_LEN];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(0, rfc3339_format(buf, sizeof(buf),
						   (time_t)cases[i].t));
		assert_string_equal(cases[i].text, buf);
	}

	assert_int_equal(EINVAL, rfc3339_format(buf, RFC3339_LEN - 1, 0));
	assert_int_equal(EINVAL,
			 rfc3339_format(buf, sizeof(buf), 253402300800LL));
}

static void rfc3339_parse_cases(void **state)
{
	static const struct {
		const char *text;
		int err;
		long long t;
	} cases[] = {
		{"2023-11-14T22:13:20Z", 0, 1700000000},
		{"2023-11-14t22:13:20z", 0, 1700000000},
		{"2023-11-14T22:13:20.123456Z", 0, 1700000000},
		{"2023-11-15T00:13:20+02:00", 0, 1700000000},
		{"2023-11-14T17:13:20-05:00", 0, 1700000000},
		{"2023-11-14T22:13:20", 0, 1700000000},	 /* no zone: UTC */
		{"2016-12-31T23:59:60Z", 0, 1483228800}, /* leap second */
		{"2000-02-29T00:00:00Z", 0, 951782400},
		{"2023-02-29T00:00:00Z", EINVAL, 0}, /* not a leap year */
		{"2023-13-01T00:00:00Z", EINVAL, 0},
		{"2023-11-14 22:13:20Z", EINVAL, 0},
		{"2023-11-14T24:00:00Z", EINVAL, 0},
		{"2023-11-14T22:13:20.Z", EINVAL, 0},
		{"2023-11-14T22:13:20+2:00", EINVAL, 0},
		{"2023-11-14T22:13:20+24:00", EINVAL, 0},
		{"2023-11-14T22:13:20Zjunk", EINVAL, 0},
		{"0001-01-01T00:00:00+00:01", EINVAL, 0}, /* before year 1 */
		{"", EINVAL, 0},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		time_t t = 42;

		assert_int_equal(cases[i].err,
				 rfc3339_parse(&t, cases[i].text,
					       strlen(cases[i].text)));
		assert_true(cases[i].err ? t == 42 : t == (time_t)cases[i].t);
	}
}

static void names_round_trip(void **state)
{
	int i;
	(void)state;

	for (i = 0; i < LOCATION_SOURCE_COUNT; i++)
		assert_int_equal(
			i, location_source_by_name(location_source_name(i)));
	assert_string_equal("lldp-med",
			    location_source_name(LOCATION_SOURCE_LLDP_MED));
	assert_null(location_source_name(LOCATION_SOURCE_COUNT));
	assert_int_equal(-1, location_source_by_name("LIS"));

	for (i = 1; i < GEO_SHAPE_COUNT; i++)
		assert_int_equal(i, geo_shape_by_name(geo_shape_name(i)));
	assert_null(geo_shape_name(GEO_NONE));
	assert_int_equal(-1, geo_shape_by_name("circle"));
}

static void setters_check_values(void **state)
{
	static const struct {
		int (*set)(struct location *, const char *);
		const char *value;
		int err;
	} cases[] = {
		{location_set_method, "802.11", 0},
		{location_set_method, "LLDP-MED", 0},
		{location_set_method, "best-guess", 0},
		{location_set_method, "Cell Tower", EINVAL},
		{location_set_method, "abcdefghijklmnopqrstuvwxyz0123456",
		 EINVAL},
		{location_set_provided_by, "lis.example.com", 0},
		{location_set_provided_by, "Zürich LIS", 0},
		{location_set_provided_by, "bad\x01", EINVAL},
		{location_set_provided_by, "line\nbreak", EINVAL},
		{location_set_provided_by, "\xc3\x28", EINVAL}, /* bad UTF-8 */
		{location_set_elin, "4255550100", 0},
		{location_set_elin, "425-555-0100", EINVAL},
		{location_set_elin, "12345678901234567890123456", EINVAL},
	};
	struct location loc;
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(cases[i].err,
				 cases[i].set(&loc, cases[i].value));

	/* a refused value leaves the old one */
	assert_string_equal("best-guess", loc.method);
	assert_int_equal(0, location_set_method(&loc, NULL));
	assert_null(loc.method);

	assert_int_equal(0, location_add_uri(&loc, "https://lis/1", T0));
	assert_int_equal(EINVAL, location_add_uri(&loc, "no scheme", T0));
	assert_int_equal(EINVAL, location_add_uri(&loc, "sip:a b", T0));
	for (i = 1; i < LOCATION_URI_MAX; i++)
		assert_int_equal(0, location_add_uri(&loc, "sip:x@y", 0));
	assert_int_equal(EOVERFLOW, location_add_uri(&loc, "sip:z@y", 0));

	location_reset(&loc);
}

static void geo_validate_cases(void **state)
{
	struct geo gv[LOCSAMPLE_SHAPES], g;
	size_t n = ARRAY_SIZE(gv), i;
	(void)state;

	locsample_shapes(gv, &n);
	for (i = 0; i < n; i++)
		assert_int_equal(0, geo_validate(&gv[i]));

	/* each change breaks one rule */
	g = gv[0], g.pos.lat = 90.5;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[0], g.pos.lon = -180.1;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[0], g.crs = 4269;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[2], g.crs = GEO_CRS_3D; /* no 3D circle */
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[2], g.radius = -1;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[2], g.confidence = 100;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[4], g.inner_radius = 5000; /* inner beyond outer */
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[5], g.crs = GEO_CRS_2D; /* no 2D sphere */
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[7], g.pointc = 2;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[7], g.pointc = GEO_POLYGON_MAX + 1;
	assert_int_equal(EINVAL, geo_validate(&g));
	g = gv[8], g.height = GEO_LENGTH_MAX * 2;
	assert_int_equal(EINVAL, geo_validate(&g));
}

static void copy_and_equal(void **state)
{
	struct geo gv[LOCSAMPLE_SHAPES];
	size_t n = ARRAY_SIZE(gv);
	struct location a, b;
	(void)state;

	locsample_shapes(gv, &n);
	locsample_record(&a, &gv[2]);
	memset(&b, 0, sizeof(b));

	assert_int_equal(0, location_copy(&b, &a));
	assert_true(location_equal(&a, &b));
	assert_ptr_not_equal(a.method, b.method); /* deep copy */

	b.geo.radius += 0.5e-6; /* within the JSON precision */
	assert_true(location_equal(&a, &b));
	b.geo.radius += 1e-3;
	assert_false(location_equal(&a, &b));
	b.geo.radius = a.geo.radius;

	assert_int_equal(0, location_set_provided_by(&b, "other"));
	assert_false(location_equal(&a, &b));
	assert_int_equal(0, location_set_provided_by(&b, a.provided_by));
	b.uriv[1].expires = 1;
	assert_false(location_equal(&a, &b));

	location_reset(&b);
	assert_false(location_has_value(&b));
	assert_true(location_has_value(&a));
	location_reset(&a);
}

/* Encode to JSON text, decode the text, decode the record. */
static void json_round_trip_text(struct location *out,
				 const struct location *in, char *text,
				 size_t size)
{
	struct odict *od = NULL, *back = NULL;
	const char *errmsg = NULL;

	assert_int_equal(0, odict_alloc(&od, 16));
	assert_int_equal(0, location_json_encode(od, in));
	assert_true(re_snprintf(text, size, "%H", json_out_odict, od) > 0);

	assert_int_equal(0,
			 json_decode_odict(&back, 16, text, strlen(text), 8));
	memset(out, 0, sizeof(*out));
	assert_int_equal(0, location_json_decode(out, back, &errmsg));

	mem_deref(back);
	mem_deref(od);
}

static void json_round_trip_every_shape(void **state)
{
	struct geo gv[LOCSAMPLE_SHAPES];
	size_t n = ARRAY_SIZE(gv), i;
	static char text[4096];
	(void)state;

	locsample_shapes(gv, &n);
	for (i = 0; i < n; i++) {
		struct location in, out;

		locsample_record(&in, &gv[i]);
		/* the LIS's provided-by elements travel too (the e911
		 * module gets the record as JSON) */
		if (i % 2)
			assert_int_equal(0,
					 location_set_provided_by_xml(
						 &in, "<p:x xmlns:p=\"urn:p\" "
						      "a=\"1/2\">\"q\" &amp; "
						      "\xc3\xbc</p:x>"));
		json_round_trip_text(&out, &in, text, sizeof(text));
		assert_true(location_equal(&in, &out));
		location_reset(&in);
		location_reset(&out);
	}
}

/* Numbers keep the digits they were given (issue 11 item 8). */
static void numbers_keep_their_digits(void **state)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
		{47.640068, "47.640068"},
		{-122.129858, "-122.129858"},
		{47.6400675, "47.6400675"},
		{-89.99999999, "-89.99999999"},
		{38.897730123456, "38.897730123456"},
		{0.1 + 0.2, "0.3"},
		{47.3, "47.3"},
		{15, "15"},
		{0, "0"},
		{-0.0, "0"},
		{0.00000001, "0.00000001"},
		{8848.86, "8848.86"},
		{-428.5, "-428.5"},
		{5.0e7, "50000000"},
		{123456789.123456, "123456789.123456"},
	};
	struct odict *od = NULL, *back = NULL;
	char buf[LOCATION_NUM_LEN], *text = NULL;
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(
			0, location_num_format(buf, sizeof(buf), cases[i].v));
		assert_string_equal(cases[i].text, buf);
	}
	assert_int_equal(EINVAL, location_num_format(buf, sizeof(buf), NAN));
	assert_int_equal(EINVAL,
			 location_num_format(buf, sizeof(buf), INFINITY));
	assert_int_equal(EINVAL, location_num_format(buf, sizeof(buf), 2e15));

	/* JSON out, through libre's decoder, out again: the same text */
	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(0, location_json_number_add(od, "lat", 47.640068));
	assert_int_equal(0, location_json_number_add(od, "lon", -122.129858));
	assert_int_equal(0, location_json_number_add(od, "alt", 40));
	assert_int_equal(0, odict_entry_add(od, "inf", ODICT_DOUBLE, INFINITY));
	assert_int_equal(0, re_sdprintf(&text, "%H", json_out_odict, od));
	assert_string_equal("{\"lat\":47.640068,\"lon\":-122.129858,"
			    "\"alt\":40.0,\"inf\":null}",
			    text);
	assert_int_equal(0, json_decode_odict(&back, 8, text, strlen(text), 8));
	assert_true(odict_lookup(back, "lat")->u.dbl == 47.640068);
	assert_true(odict_lookup(back, "lon")->u.dbl == -122.129858);
	text = mem_deref(text);
	assert_int_equal(0, re_sdprintf(&text, "%H", json_out_odict, back));
	assert_string_equal("{\"lat\":47.640068,\"lon\":-122.129858,"
			    "\"alt\":40.0,\"inf\":null}",
			    text);

	mem_deref(text);
	mem_deref(back);
	mem_deref(od);
}

static void json_keys_and_values(void **state)
{
	static const char *const keys[] = {
		"source",      "civic",	      "geo",
		"method",      "provided_by", "provided_by_xml",
		"obtained_at", "expires",     "validated",
		"uris",	       "elin"};
	struct geo gv[LOCSAMPLE_SHAPES];
	size_t n = ARRAY_SIZE(gv), i;
	static char text[4096];
	struct location in, out, empty;
	struct odict *od = NULL;
	(void)state;

	locsample_shapes(gv, &n);
	locsample_record(&in, &gv[1]); /* 3D point 47.3, -122.13, 12.5 */
	json_round_trip_text(&out, &in, text, sizeof(text));

	/* south/west negative, the digits given (47.3 must not come out
	 * as libre's truncated 47.299999) */
	assert_non_null(strstr(text, "\"geo\":{\"shape\":\"Point\","
				     "\"crs\":4979,\"lat\":47.3,"
				     "\"lon\":-122.13,\"alt\":12.5}"));
	assert_non_null(strstr(text, "\"source\":\"lis\""));
	assert_non_null(strstr(text, "\"civic\":{\"country\":\"US\","
				     "\"A1\":\"WA\""));
	assert_non_null(
		strstr(text, "\"obtained_at\":\"2023-11-14T22:13:20Z\""));
	assert_non_null(strstr(text, "\"validated\":true"));
	/* libre escapes '/' as "\/", which JSON allows */
	assert_non_null(strstr(text, "\"uris\":[{\"uri\":\"https:\\/\\/lis."
				     "example.com\\/loc\\/7f3a\",\"expires\":"
				     "\"2023-11-14T23:13:20Z\"},"));
	assert_non_null(strstr(text, "\"elin\":\"4255550100\""));

	/* an empty record: every key, nulls for what is unset */
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(0, odict_alloc(&od, 16));
	assert_int_equal(0, location_json_encode(od, &empty));
	assert_int_equal(ARRAY_SIZE(keys), odict_count(od, false));
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		assert_non_null(odict_lookup(od, keys[i]));
	assert_int_equal(ODICT_NULL, odict_lookup(od, "geo")->type);
	assert_int_equal(ODICT_NULL, odict_lookup(od, "civic")->type);

	mem_deref(od);
	location_reset(&in);
	location_reset(&out);
}

static void json_decode_refusals(void **state)
{
	static const struct {
		const char *json;
		const char *msg;
	} cases[] = {
		{"{}", "bad or missing \"source\""},
		{"{\"source\":\"gps\"}", "bad or missing \"source\""},
		{"{\"source\":\"lis\",\"civic\":{\"A1\":7}}", "bad \"civic\""},
		{"{\"source\":\"lis\",\"geo\":{\"shape\":\"Circle\",\"crs\":"
		 "4326,"
		 "\"lat\":1,\"lon\":2}}",
		 "bad \"geo\""}, /* no radius */
		{"{\"source\":\"lis\",\"geo\":{\"shape\":\"Point\",\"crs\":"
		 "4326,"
		 "\"lat\":91,\"lon\":2}}",
		 "bad \"geo\""},
		{"{\"source\":\"lis\",\"geo\":{\"shape\":\"Polygon\",\"crs\":"
		 "4326,\"points\":[[1,2],[3,4]]}}",
		 "bad \"geo\""},
		{"{\"source\":\"lis\",\"method\":\"no spaces\"}",
		 "bad \"method\""},
		{"{\"source\":\"lis\",\"obtained_at\":\"yesterday\"}",
		 "bad \"obtained_at\""},
		{"{\"source\":\"lis\",\"validated\":\"yes\"}",
		 "bad \"validated\""},
		{"{\"source\":\"lis\",\"uris\":[{\"uri\":\"a b\"}]}",
		 "bad \"uris\""},
		{"{\"source\":\"lis\",\"elin\":\"12ab\"}", "bad \"elin\""},
		/* it would go into the PIDF-LO as it is: text, a missing
		 * namespace or a broken element are refused */
		{"{\"source\":\"lis\",\"provided_by_xml\":\"lis.example\"}",
		 "bad \"provided_by_xml\""},
		{"{\"source\":\"lis\",\"provided_by_xml\":\"<a>x</a>\"}",
		 "bad \"provided_by_xml\""},
		{"{\"source\":\"lis\",\"provided_by_xml\":"
		 "\"<a xmlns=\\\"urn:a\\\"></gp:provided-by>\"}",
		 "bad \"provided_by_xml\""},
	};
	struct location loc;
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, location_set_method(&loc, "Manual"));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct odict *od = NULL;
		const char *errmsg = NULL;

		assert_int_equal(0,
				 json_decode_odict(&od, 8, cases[i].json,
						   strlen(cases[i].json), 8));
		assert_int_equal(EINVAL,
				 location_json_decode(&loc, od, &errmsg));
		assert_string_equal(cases[i].msg, errmsg);
		mem_deref(od);
	}

	/* a refused decode leaves the record alone */
	assert_string_equal("Manual", loc.method);
	location_reset(&loc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3339_format_cases),
		cmocka_unit_test(rfc3339_parse_cases),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(setters_check_values),
		cmocka_unit_test(geo_validate_cases),
		cmocka_unit_test(copy_and_equal),
		cmocka_unit_test(json_round_trip_every_shape),
		cmocka_unit_test(numbers_keep_their_digits),
		cmocka_unit_test(json_keys_and_values),
		cmocka_unit_test(json_decode_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
