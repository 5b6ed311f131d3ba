/* Unit tests: the UI's control-protocol lines and location words. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include "ctlmsg.h"
#include "ctlmsg_json.h"
#include "locwords.h"

#define NEST17                                                                 \
	"{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{"     \
	"\"a\":"                                                               \
	"{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}}}}}}}}"

/* Lines the UI must ignore (a g_message, no crash), each with the error
 * code and the byte offset its message names.  The offsets are those of
 * client/core/json_syntax.c, the one strict check (test_savedloc pins the
 * same): a number's bad digit where the number seems to end, an escape's
 * letter after the backslash, the end of the input for a truncated string;
 * a duplicate name where json-glib stands after that member. */
static const struct {
	const char *line;
	gsize len; /* 0: strlen(line) */
	CtlmsgError code;
	gsize at;
} bad_lines[] = {
	/* the top level must be an object */
	{"", 0, CTLMSG_ERROR_NOT_OBJECT, 0},
	{"   ", 0, CTLMSG_ERROR_NOT_OBJECT, 3},
	{"not json", 0, CTLMSG_ERROR_NOT_OBJECT, 0},
	{"[1,2,3]", 0, CTLMSG_ERROR_NOT_OBJECT, 0},
	{"\"a string\"", 0, CTLMSG_ERROR_NOT_OBJECT, 0},
	{"42", 0, CTLMSG_ERROR_NOT_OBJECT, 0},
	{"null", 0, CTLMSG_ERROR_NOT_OBJECT, 0},
	/* structure */
	{"{", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{\"a\":}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\" 1}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":[1,2}", 0, CTLMSG_ERROR_SYNTAX, 9},
	{"{a:1}", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{'a':1}", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{\"a\":1 \"b\":2}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{,}", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{\"a\":1,,\"b\":2}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":1}x", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":1}{}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":1}}", 0, CTLMSG_ERROR_SYNTAX, 7},
	/* RFC 8259 section 2: form feed and vertical tab are not whitespace */
	{"{\f}", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{\"a\":1}\v", 0, CTLMSG_ERROR_SYNTAX, 7},
	/* no comments (json-glib 1.6 alone would skip them) */
	{"{#x\n}", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{/*x*/}", 0, CTLMSG_ERROR_SYNTAX, 1},
	{"{\"a\":1}//x", 0, CTLMSG_ERROR_SYNTAX, 7},
	/* trailing commas (sections 4 and 5) */
	{"{\"a\":1,}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":[1,]}", 0, CTLMSG_ERROR_SYNTAX, 8},
	{"{\"a\":[1 , ]}", 0, CTLMSG_ERROR_SYNTAX, 10},
	/* literals are lower case and whole */
	{"{\"a\":tru}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":True}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":nul}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":truex}", 0, CTLMSG_ERROR_SYNTAX, 9},
	/* numbers (section 6): no leading zeros, '+', bare '.', hex, NaN or
	 * Infinity, and nothing past a double */
	{"{\"a\":01}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":-01}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":00}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":+1}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":.5}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":1.}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":1.e3}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":1e}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":1e+}", 0, CTLMSG_ERROR_SYNTAX, 8},
	{"{\"a\":-}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":0x10}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":NaN}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":Infinity}", 0, CTLMSG_ERROR_SYNTAX, 5},
	{"{\"a\":-Infinity}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":1e999}", 0, CTLMSG_ERROR_RANGE, 5},
	/* past 32 characters: json_syntax's cap on a number */
	{"{\"a\":123456789012345678901234567890123}", 0, CTLMSG_ERROR_LIMIT, 5},
	{"{\"a\":-1e999}", 0, CTLMSG_ERROR_RANGE, 5},
	/* strings (section 7): control characters escaped, known escapes */
	{"{\"a\":\"x\ty\"}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":\"\n\"}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":\"\x1f\"}", 0, CTLMSG_ERROR_SYNTAX, 6},
	{"{\"a\":\"abc}", 0, CTLMSG_ERROR_SYNTAX, 10},
	{"{\"a\":\"abc\\", 0, CTLMSG_ERROR_SYNTAX, 9},
	{"{\"a\":\"\\x41\"}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":\"\\'\"}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":\"\\u12\"}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":\"\\u12G4\"}", 0, CTLMSG_ERROR_SYNTAX, 7},
	{"{\"a\":\"\\u", 0, CTLMSG_ERROR_SYNTAX, 7},
	/* a GVariant string cannot carry NUL */
	{"{\"a\":\"\\u0000\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	/* lone surrogates: U+D800..U+DBFF must be followed by U+DC00..DFFF */
	{"{\"a\":\"\\ud800\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	{"{\"a\":\"\\uDBFFx\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	{"{\"a\":\"\\ud800\\u0041\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	{"{\"a\":\"\\ud800\\ud800\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	{"{\"a\":\"\\udc00\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	{"{\"a\":\"x\\uDFFF\\ud800\"}", 0, CTLMSG_ERROR_ENCODING, 8},
	/* a high half with no whole \u escape after it is lone */
	{"{\"a\":\"\\ud800\\u00\"}", 0, CTLMSG_ERROR_ENCODING, 7},
	/* section 8.1: UTF-8 only; the first bad byte is named */
	{"{\"peer\":\"\xff\xfe\",\"state\":\"x\"}", 0, CTLMSG_ERROR_ENCODING,
	 9},
	/* "/" in two bytes (overlong) */
	{"{\"a\":\"\xc0\xaf\"}", 0, CTLMSG_ERROR_ENCODING, 6},
	/* U+D800 encoded directly */
	{"{\"a\":\"\xed\xa0\x80\"}", 0, CTLMSG_ERROR_ENCODING, 6},
	/* the first two bytes of U+20AC, cut */
	{"{\"a\":\"\xe2\x82\"}", 0, CTLMSG_ERROR_ENCODING, 6},
	/* past U+10FFFF */
	{"{\"a\":\"\xf4\x90\x80\x80\"}", 0, CTLMSG_ERROR_ENCODING, 6},
	/* a NUL byte within the line's length */
	{"{\"a\":\"x\0y\"}", 11, CTLMSG_ERROR_ENCODING, 7},
	{"{}\0", 3, CTLMSG_ERROR_ENCODING, 2},
	/* duplicate member names, also when one is null or escaped */
	{"{\"a\":1,\"a\":2}", 0, CTLMSG_ERROR_DUPLICATE_KEY, 12},
	{"{\"a\":null,\"a\":1}", 0, CTLMSG_ERROR_DUPLICATE_KEY, 15},
	{"{\"a\":1,\"\\u0061\":1}", 0, CTLMSG_ERROR_DUPLICATE_KEY, 17},
	{"{\"o\":{\"k\":1,\"k\":1}}", 0, CTLMSG_ERROR_DUPLICATE_KEY, 17},
	{"{\"o\":[{\"\":1,\"\":1}]}", 0, CTLMSG_ERROR_DUPLICATE_KEY, 16},
	/* nested deeper than CTLMSG_MAX_DEPTH: 17 objects, or 16 arrays in
	 * the object */
	{NEST17, 0, CTLMSG_ERROR_LIMIT, 80},
	{"{\"a\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}", 0, CTLMSG_ERROR_LIMIT,
	 20},
};

static void test_decode_rejects_bad_lines(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(bad_lines); i++) {
		const char *line = bad_lines[i].line;
		gsize len = bad_lines[i].len ? bad_lines[i].len : strlen(line);
		GError *error = NULL;
		GVariant *v = ctlmsg_decode(line, len, &error);
		g_autofree gchar *at = g_strdup_printf(
			" at byte %" G_GSIZE_FORMAT, bad_lines[i].at);

		if (v)
			fail_msg("accepted: %s", line);
		assert_non_null(error);
		if (!g_error_matches(error, CTLMSG_ERROR, bad_lines[i].code) ||
		    !g_str_has_suffix(error->message, at))
			fail_msg("%s: got %d \"%s\", want %d \"...%s\"", line,
				 error->code, error->message, bad_lines[i].code,
				 at);
		g_error_free(error);
	}
}

/* Lines accepted, with the GVariant they become in GLib's text form. */
static void test_decode_structure(void **state)
{
	static const struct {
		const char *line;
		const char *text; /* g_variant_print(v, TRUE) */
	} cases[] = {
		{"{}", "@a{sv} {}"},
		{" \t\r\n{ } \r\n\t ", "@a{sv} {}"},
		{"{\"a\":[],\"b\":{}}", "{'a': <@av []>, 'b': <@a{sv} {}>}"},
		{"{ \"a\" : [ 1 , true , false ] }",
		 "{'a': <[<int64 1>, <true>, <false>]>}"},
		/* a null member is left out; a null element an empty maybe */
		{"{\"a\":null,\"b\":1,\"c\":null}", "{'b': <int64 1>}"},
		{"{\"a\":null}", "@a{sv} {}"},
		{"{\"a\":[null,1,null]}",
		 "{'a': <[<@mv nothing>, <int64 1>, <@mv nothing>]>}"},
		{"{\"a\":[[null]]}", "{'a': <[<[<@mv nothing>]>]>}"},
		/* one name in different objects is no duplicate */
		{"{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}]}",
		 "{'a': <{'a': <int64 1>}>, 'b': <[<{'a': <int64 2>}>, <{'a': "
		 "<int64 3>}>]>}"},
		{"{\"\":\"\"}", "{'': <''>}"},
		/* numbers keep their places through nesting and nulls */
		{"{\"a\":[1,{\"b\":2.5,\"n\":null,\"c\":[3]}],\"d\":"
		 "-4,\"e\":9223372036854775808}",
		 "{'a': <[<int64 1>, <{'b': <2.5>, 'c': <[<int64 3>]>}>]>, "
		 "'d': "
		 "<int64 -4>, 'e': <9.2233720368547758e+18>}"},
		/* CTLMSG_MAX_DEPTH levels exactly: 16 objects, 15 arrays */
		{"{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{"
		 "\"a\":"
		 "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}}"
		 "}}}"
		 "}}",
		 "{'a': <{'a': <{'a': <{'a': <{'a': <{'a': <{'a': <{'a': "
		 "<{'a': "
		 "<{'a': <{'a': <{'a': <{'a': <{'a': <{'a': <{'a': <int64 "
		 "1>}>}>"
		 "}>}>}>}>}>}>}>}>}>}>}>}>}>}"},
		{"{\"a\":[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}",
		 "{'a': <[<[<[<[<[<[<[<[<[<[<[<[<[<[<[<int64 "
		 "1>]>]>]>]>]>]>]>]>]>"
		 "]>]>]>]>]>]>}"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		GVariant *v = ctlmsg_decode(cases[i].line,
					    strlen(cases[i].line), &error);
		gchar *text;

		if (!v)
			fail_msg("%s: %s", cases[i].line, error->message);
		text = g_variant_print(v, TRUE);
		assert_string_equal(text, cases[i].text);
		g_free(text);
		g_variant_unref(v);
	}
}

/* String values: escapes (RFC 8259 section 7) and raw UTF-8. */
static void test_decode_strings(void **state)
{
	static const struct {
		const char *json; /* the value, quotes included */
		const char *utf8;
	} cases[] = {
		{"\"\"", ""},
		{"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t"},
		{"\"a\\u0041\\u00e9\"", "aA\xc3\xa9"},		    /* A, é */
		{"\"\\u20AC\\u20ac\"", "\xe2\x82\xac\xe2\x82\xac"}, /* € € */
		{"\"\\u0001\\u001f\"", "\x01\x1f"},
		{"\"\\uffff\"", "\xef\xbf\xbf"}, /* U+FFFF */
		/* surrogate pairs: U+1F600, U+10000, U+10FFFF */
		{"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"},
		{"\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80"},
		{"\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf"},
		/* raw UTF-8 passes as it is: é, U+1F600, DEL */
		{"\"\xc3\xa9 \xf0\x9f\x98\x80 \x7f\"",
		 "\xc3\xa9 \xf0\x9f\x98\x80 \x7f"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *line =
			g_strdup_printf("{\"s\":%s}", cases[i].json);
		g_autoptr(GError) error = NULL;
		GVariant *v = ctlmsg_decode(line, strlen(line), &error);

		if (!v)
			fail_msg("%s: %s", line, error->message);
		assert_string_equal(ctlmsg_str(v, "s"), cases[i].utf8);
		g_variant_unref(v);
	}
}

/* Numbers: integers that fit gint64 are x, every other number d. */
static void test_decode_numbers(void **state)
{
	static const struct {
		const char *json;
		gboolean integer;
		gint64 x;
		gdouble d;
	} cases[] = {
		{"0", TRUE, 0, 0},
		{"-0", TRUE, 0, 0},
		{"7", TRUE, 7, 0},
		{"-42", TRUE, -42, 0},
		{"9223372036854775807", TRUE, G_MAXINT64, 0},
		{"-9223372036854775808", TRUE, G_MININT64, 0},
		/* one past gint64 either way */
		{"9223372036854775808", FALSE, 0, 9223372036854775808.0},
		{"-9223372036854775809", FALSE, 0, -9223372036854775808.0},
		{"123456789012345678901234567890", FALSE, 0,
		 1.2345678901234568e29},
		/* a fraction or an exponent makes a double */
		{"1.5", FALSE, 0, 1.5},
		{"-0.0", FALSE, 0, -0.0},
		{"1e2", FALSE, 0, 100.0},
		{"1E+2", FALSE, 0, 100.0},
		{"25e-2", FALSE, 0, 0.25},
		{"47.6205", FALSE, 0, 47.6205},
		{"1.7976931348623157e308", FALSE, 0, 1.7976931348623157e308},
		{"2.2250738585072014e-308", FALSE, 0, 2.2250738585072014e-308},
		/* below the smallest normal double: a signed zero, not an error
		 * (GVariant's parser refuses subnormals, fuzz-ui_ctlmsg) */
		{"4.9e-324", FALSE, 0, 0.0},
		{"-4e-320", FALSE, 0, -0.0},
		{"2.2250738585072009e-308", FALSE, 0, 0.0},
		{"1e-400", FALSE, 0, 0.0},
	};
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *line =
			g_strdup_printf("{\"n\":%s}", cases[i].json);
		g_autoptr(GError) error = NULL;
		GVariant *v = ctlmsg_decode(line, strlen(line), &error);
		gint64 x = 0;
		gdouble d = 1;

		if (!v)
			fail_msg("%s: %s", line, error->message);
		if (cases[i].integer) {
			assert_true(g_variant_lookup(v, "n", "x", &x));
			assert_true(x == cases[i].x);
		} else {
			assert_true(g_variant_lookup(v, "n", "d", &d));
			assert_true(d == cases[i].d);
			assert_true(signbit(d) == signbit(cases[i].d));
		}
		/* and GVariant's text form reads back (fuzz-ui_ctlmsg) */
		{
			g_autofree gchar *text = g_variant_print(v, TRUE);
			g_autoptr(GVariant) back =
				g_variant_parse(NULL, text, NULL, NULL, &error);

			if (!back)
				fail_msg("%s: %s: %s", line, text,
					 error->message);
			assert_true(g_variant_equal(v, back));
		}
		g_variant_unref(v);
	}
}

/* The caps on values and on the line: at them accepted, past them not. */
static void test_decode_limits(void **state)
{
	static const struct {
		gsize elements; /* in {"a":[0,0,...]} */
		gboolean ok;
	} values[] = {
		/* the object and the array are values too */
		{CTLMSG_MAX_VALUES - 2, TRUE},
		{CTLMSG_MAX_VALUES - 1, FALSE},
	};
	static const struct {
		gsize len; /* {"s":"xxx..."} */
		gboolean ok;
	} lines[] = {
		{CTLMSG_MAX_LINE, TRUE},
		{CTLMSG_MAX_LINE + 1, FALSE},
	};
	size_t i;
	(void)state;

	for (i = 0; i < G_N_ELEMENTS(values); i++) {
		GString *line = g_string_new("{\"a\":[0");
		GError *error = NULL;
		GVariant *v;
		gsize n;

		for (n = 1; n < values[i].elements; n++)
			g_string_append(line, ",0");
		g_string_append(line, "]}");
		v = ctlmsg_decode(line->str, line->len, &error);
		assert_true(!v == !values[i].ok);
		if (v) {
			assert_null(error);
			g_variant_unref(v);
		} else {
			assert_true(g_error_matches(error, CTLMSG_ERROR,
						    CTLMSG_ERROR_LIMIT));
			g_error_free(error);
		}
		g_string_free(line, TRUE);
	}
	for (i = 0; i < G_N_ELEMENTS(lines); i++) {
		gchar *line = g_malloc(lines[i].len);
		GError *error = NULL;
		GVariant *v;

		memset(line, 'x', lines[i].len);
		memcpy(line, "{\"s\":\"", 6);
		memcpy(line + lines[i].len - 2, "\"}", 2);
		v = ctlmsg_decode(line, lines[i].len, &error);
		assert_true(!v == !lines[i].ok);
		if (v) {
			assert_int_equal(strlen(ctlmsg_str(v, "s")),
					 lines[i].len - 8);
			g_variant_unref(v);
		} else {
			assert_true(g_error_matches(error, CTLMSG_ERROR,
						    CTLMSG_ERROR_TOO_LONG));
			g_error_free(error);
		}
		g_free(line);
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
	GVariant *result, *calls, *first, *call, *second, *nothing;
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
	/* the null element: a variant holding an empty "mv" */
	second = g_variant_get_child_value(calls, 1);
	nothing = g_variant_get_variant(second);
	assert_true(g_variant_is_of_type(nothing, G_VARIANT_TYPE("mv")));
	assert_int_equal(g_variant_n_children(nothing), 0);
	g_variant_unref(nothing);
	g_variant_unref(second);
	g_variant_unref(call);
	g_variant_unref(first);
	g_variant_unref(calls);
	g_variant_unref(result);
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
		cmocka_unit_test(test_decode_structure),
		cmocka_unit_test(test_decode_strings),
		cmocka_unit_test(test_decode_numbers),
		cmocka_unit_test(test_decode_limits),
		cmocka_unit_test(test_request_encode),
		cmocka_unit_test(test_encoded_request_decodes),
		cmocka_unit_test(test_locwords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
