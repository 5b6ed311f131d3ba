/* Unit tests for uritext: hostile URIs and header lines are refused. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>

#include "uritext.h"

/* Text with a length, so that a NUL inside is part of it. */
#define T(s) s, sizeof(s) - 1

struct uri_case {
	const char *s;
	size_t len;
	bool uri;      /* uritext_uri_valid */
	bool absolute; /* uritext_absolute_uri_valid */
};

static const struct uri_case uri_cases[] = {
	{T("sip:911@psap.example.net;user=phone"), true, true},
	{T("tel:+12065550100"), true, true},
	{T("urn:service:sos.police"), true, true},
	{T("https://lis.example.com/loc/a%20b?x=1#f"), true, true},
	{T("z39.50r://cnidr.org:2100/tmf?bkm"), true, true},
	{T("cid:loc1@host"), true, true},
	{T("psap.example.net"), true, false}, /* a host, no scheme */
	{T("911"), true, false},
	{T(":sip"), true, false},
	{T("1sip:x"), true, false}, /* a scheme starts with a letter */
	{T("si_p:x"), true, false},
	{T(""), false, false},
	/* header injection */
	{T("sip:a@b\r\nVia: evil"), false, false},
	{T("sip:a@b\nX: y"), false, false},
	{T("sip:a@b\rX: y"), false, false},
	/* a NUL inside cuts the text for C and must not pass */
	{T("sip:a@b\0\r\nX: y"), false, false},
	{T("sip:a\0"), false, false},
	/* the brackets and quotes a header holds it in */
	{T("sip:a@b>;evil=1"), false, false},
	{T("sip:a@b<"), false, false},
	{T("sip:\"a\"@b"), false, false},
	{T("sip:a b@c"), false, false},
	{T("sip:a\tb@c"), false, false},
	{T("sip:a\x7f@c"), false, false},
	{T("sip:a\x01@c"), false, false},
	/* not ASCII: UTF-8, ISO-8859-1, an overlong '/' */
	{T("sip:j\xc3\xbcrgen@example.com"), false, false},
	{T("sip:j\xfcrgen@example.com"), false, false},
	{T("http://a\xc0\xaf"), false, false},
	{T("sip:\xff\xfe"), false, false},
};

static void uri_table(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(uri_cases); i++) {
		const struct uri_case *c = &uri_cases[i];

		print_message("case %zu\n", i);
		assert_true(uritext_uri_valid(c->s, c->len) == c->uri);
		assert_true(uritext_absolute_uri_valid(c->s, c->len) ==
			    c->absolute);
	}

	assert_false(uritext_uri_valid(NULL, 3));
	assert_false(uritext_absolute_uri_valid(NULL, 0));
}

/* The string form: NULL, the length cap, overlong values. */
static void uri_str(void **state)
{
	char big[5000];
	(void)state;

	assert_true(uritext_uri_str_valid("sip:a@b", 0));
	assert_true(uritext_uri_str_valid("sip:a@b", 7));
	assert_false(uritext_uri_str_valid("sip:a@b", 6));
	assert_false(uritext_uri_str_valid(NULL, 0));
	assert_false(uritext_uri_str_valid("", 0));
	assert_false(uritext_uri_str_valid("sip:a@b\r\n", 0));

	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "sip:", 4);
	big[sizeof(big) - 1] = '\0';
	assert_true(uritext_uri_str_valid(big, 0));
	assert_true(uritext_uri_str_valid(big, sizeof(big) - 1));
	assert_false(uritext_uri_str_valid(big, 4096));
	assert_false(uritext_uri_str_valid(big, 256));
}

struct lines_case {
	const char *s;
	size_t len;
	bool valid;
};

static const struct lines_case lines_cases[] = {
	{T(""), true},
	{T("Priority: emergency\r\n"), true},
	{T("Geolocation: <cid:a@b>\r\nGeolocation-Routing: yes\r\n"), true},
	{T("X-Name: \"J\xc3\xbcrgen\"\r\n"), true}, /* UTF-8 text */
	{T("X-Fold: a\tb\r\n"), true},
	{T("Priority: emergency"), false},	   /* no CRLF */
	{T("Priority: emergency\n"), false},	   /* bare LF */
	{T("Priority: emergency\r\n\r\n"), false}, /* ends the headers */
	{T("\r\n"), false},
	{T("A: b\rC: d\r\n"), false}, /* a stray CR */
	{T("A: b\nC: d\r\n"), false}, /* a stray LF */
	{T("A: b\0C: d\r\n"), false}, /* NUL */
	{T("A: b\x1b[31m\r\n"), false},
	{T("A: b\x7f\r\n"), false},
	{T("A: \xfc\r\n"), false},	   /* ISO-8859-1, not UTF-8 */
	{T("A: \xc0\xaf\r\n"), false},	   /* overlong */
	{T("A: \xed\xa0\x80\r\n"), false}, /* surrogate */
};

static void header_lines_table(void **state)
{
	char big[5000];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(lines_cases); i++) {
		const struct lines_case *c = &lines_cases[i];

		print_message("case %zu\n", i);
		assert_true(uritext_header_lines_valid(c->s, c->len, 0) ==
			    c->valid);
	}
	assert_false(uritext_header_lines_valid(NULL, 0, 0));

	/* overlong: one long line within and past the cap */
	memset(big, 'a', sizeof(big));
	memcpy(big, "X: ", 3);
	memcpy(big + sizeof(big) - 2, "\r\n", 2);
	assert_true(uritext_header_lines_valid(big, sizeof(big), 0));
	assert_true(uritext_header_lines_valid(big, sizeof(big), sizeof(big)));
	assert_false(uritext_header_lines_valid(big, sizeof(big), 4096));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uri_table),
		cmocka_unit_test(uri_str),
		cmocka_unit_test(header_lines_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
