/* Unit tests: the UI's control-protocol lines and location words. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ctlmsg.h"
#include "locwords.h"

/* Lines the UI must ignore (a g_warning, no crash): not a JSON object. */
static const char *const bad_lines[] = {
	"",
	"   ",
	"not json",
	"[1,2,3]",
	"\"a string\"",
	"42",
	"{",
	"{\"a\":}",
	"{\"a\" 1}",
	"{\"a\":[1,2}",
	/* nested deeper than the decoder takes (17 objects) */
	"{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
	"{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}}}}}}}}",
};

static void test_decode_rejects_bad_lines(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(bad_lines); i++) {
		GError *error = NULL;
		GVariant *v = ctlmsg_decode(bad_lines[i], strlen(bad_lines[i]),
					    &error);

		if (v)
			fail_msg("accepted: %s", bad_lines[i]);
		assert_non_null(error);
		g_error_free(error);
	}
}

static void test_decode_event(void **state)
{
	static const char line[] =
		"{\"event\":\"registration\",\"account\":\"sip:alice@pbx\","
		"\"state\":\"registered\",\"reason\":null}";
	GVariant *v = ctlmsg_decode(line, strlen(line), NULL);
	(void)state;

	assert_non_null(v);
	assert_string_equal(ctlmsg_str(v, "event"), "registration");
	assert_string_equal(ctlmsg_str(v, "account"), "sip:alice@pbx");
	assert_string_equal(ctlmsg_str(v, "state"), "registered");
	/* null is left out; a wrong type reads as absent */
	assert_null(ctlmsg_str(v, "reason"));
	assert_null(ctlmsg_obj(v, "state"));
	assert_false(ctlmsg_bool(v, "state"));
	g_variant_unref(v);
}

/* A reply: ok, id, a nested result with an array of call objects. */
static void test_decode_reply(void **state)
{
	static const char line[] =
		"{\"id\":7,\"ok\":true,\"result\":{\"calls\":[{\"id\":"
		"\"c1\",\"on_hold\":true,\"duration\":12,\"lat\":47.5},null]}}";
	GVariant *v = ctlmsg_decode(line, strlen(line), NULL);
	GVariant *result, *calls, *first, *call, *second;
	gint64 id = 0;
	gdouble lat = 0;
	(void)state;

	assert_non_null(v);
	assert_true(g_variant_lookup(v, "id", "x", &id));
	assert_int_equal(id, 7);
	assert_true(ctlmsg_bool(v, "ok"));
	result = ctlmsg_obj(v, "result");
	assert_non_null(result);
	calls = g_variant_lookup_value(result, "calls", G_VARIANT_TYPE("av"));
	assert_non_null(calls);
	assert_int_equal(g_variant_n_children(calls), 2);
	first = g_variant_get_child_value(calls, 0);
	call = g_variant_get_variant(first);
	assert_string_equal(ctlmsg_str(call, "id"), "c1");
	assert_true(ctlmsg_bool(call, "on_hold"));
	assert_true(g_variant_lookup(call, "lat", "d", &lat));
	assert_true(lat > 47.49 && lat < 47.51);
	second = g_variant_get_child_value(calls, 1);
	assert_true(g_variant_is_of_type(second, G_VARIANT_TYPE_VARIANT));
	g_variant_unref(second);
	g_variant_unref(call);
	g_variant_unref(first);
	g_variant_unref(calls);
	g_variant_unref(result);
	g_variant_unref(v);
}

/* A string that is not UTF-8 cannot be shown: the member is dropped. */
static void test_decode_drops_invalid_utf8(void **state)
{
	static const char line[] = "{\"peer\":\"\xff\xfe\",\"state\":\"x\"}";
	GVariant *v = ctlmsg_decode(line, strlen(line), NULL);
	(void)state;

	assert_non_null(v);
	assert_null(ctlmsg_str(v, "peer"));
	assert_string_equal(ctlmsg_str(v, "state"), "x");
	g_variant_unref(v);
}

static void test_request_encode(void **state)
{
	static const struct {
		gint64 id;
		const char *cmd;
		const char *args; /* GVariant text format, or NULL */
		const char *line;
	} cases[] = {
		{1, "subscribe", NULL, "{\"id\":1,\"cmd\":\"subscribe\"}\n"},
		{7, "dial", "{'number': <'911'>}",
		 "{\"id\":7,\"cmd\":\"dial\",\"args\":{\"number\":\"911\"}}\n"},
		{8, "dnd", "{'on': <true>}",
		 "{\"id\":8,\"cmd\":\"dnd\",\"args\":{\"on\":true}}\n"},
		/* RFC 8259 section 7: quote, backslash, control characters */
		{9, "location.save", "{'name': <'a\"b\\\\c\\nd'>}",
		 "{\"id\":9,\"cmd\":\"location.save\",\"args\":{\"name\":"
		 "\"a\\\"b\\\\c\\u000ad\"}}\n"},
		{10, "x", "{'n': <int64 -3>}",
		 "{\"id\":10,\"cmd\":\"x\",\"args\":{\"n\":-3}}\n"},
		{11, "x", "{'lat': <47.5>}",
		 "{\"id\":11,\"cmd\":\"x\",\"args\":{\"lat\":47.5}}\n"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		GVariant *args = NULL;
		gchar *line;

		if (cases[i].args)
			args = g_variant_ref_sink(g_variant_parse(
				G_VARIANT_TYPE_VARDICT, cases[i].args, NULL,
				NULL, NULL));
		line = ctlmsg_request_encode(cases[i].id, cases[i].cmd, args);
		assert_string_equal(line, cases[i].line);
		g_free(line);
		if (args)
			g_variant_unref(args);
	}
}

static void test_encoded_request_decodes(void **state)
{
	GVariant *args = g_variant_ref_sink(g_variant_parse(
		G_VARIANT_TYPE_VARDICT, "{'name': <'Home \"1\" \\\\ \\t'>}",
		NULL, NULL, NULL));
	gchar *line = ctlmsg_request_encode(3, "location.save", args);
	GVariant *v = ctlmsg_decode(line, strlen(line), NULL);
	GVariant *back;
	(void)state;

	assert_non_null(v);
	back = ctlmsg_obj(v, "args");
	assert_string_equal(ctlmsg_str(back, "name"), "Home \"1\" \\ \t");
	g_variant_unref(back);
	g_variant_unref(v);
	g_free(line);
	g_variant_unref(args);
}

static void test_locwords(void **state)
{
	static const struct {
		const char *record; /* a location record line */
		const char *words;  /* NULL: nothing to say */
	} cases[] = {
		{"{\"civic\":{\"country\":\"US\",\"A1\":\"WA\",\"A3\":"
		 "\"Redmond\",\"RD\":\"Microsoft\",\"STS\":\"Way\",\"HNO\":"
		 "\"1\",\"FLR\":\"3\",\"PC\":\"98052\"}}",
		 "1 Microsoft Way, Floor 3, Redmond, WA 98052, US"},
		{"{\"civic\":{\"A3\":\"Berlin\",\"country\":\"DE\",\"RD\":"
		 "\"Unter den Linden\",\"HNO\":\"77\",\"HNS\":\"a\"}}",
		 "77a Unter den Linden, Berlin, DE"},
		{"{\"civic\":null,\"geo\":{\"lat\":-33.856784,\"lon\":"
		 "151.215297}}",
		 "-33.856784, 151.215297"},
		/* JSON has one number type: whole degrees arrive as integers */
		{"{\"geo\":{\"lat\":47,\"lon\":-122}}",
		 "47.000000, -122.000000"},
		{"{\"civic\":{\"country\":\"US\"},\"geo\":{\"lat\":1.0,\"lon\":"
		 "2.0}}",
		 "US"},
		{"{\"civic\":{},\"geo\":null}", NULL},
		{"{\"civic\":{\"HNO\":\"\"},\"geo\":{\"lat\":1.5}}", NULL},
	};
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		GVariant *rec = ctlmsg_decode(cases[i].record,
					      strlen(cases[i].record), NULL);
		gchar *words;

		assert_non_null(rec);
		words = locwords_record(rec);
		if (cases[i].words)
			assert_string_equal(words, cases[i].words);
		else
			assert_null(words);
		g_free(words);
		g_variant_unref(rec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_rejects_bad_lines),
		cmocka_unit_test(test_decode_event),
		cmocka_unit_test(test_decode_reply),
		cmocka_unit_test(test_decode_drops_invalid_utf8),
		cmocka_unit_test(test_request_encode),
		cmocka_unit_test(test_encoded_request_decodes),
		cmocka_unit_test(test_locwords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
