/* Unit tests for wiretext_utf8(): wire text of any encoding to valid
 * UTF-8 without control characters. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "wiretext.h"

/* A literal and its length, for tables. */
#define T(s) (const uint8_t *)(s), sizeof(s) - 1

static void cleaned(void **state)
{
	/* clang-format off */
	static const struct {
		const uint8_t *in;
		size_t len;
		const char *out;
	} cases[] = {
	{T("Redmond"), "Redmond"},
	{T(""), ""},
	/* UTF-8 kept as it is, up to four-octet characters */
	{T("M\xc3\xbcnchen"), "M\xc3\xbcnchen"},
	{T("\xe2\x82\xac 5, \xf0\x9f\x93\x9e"), "\xe2\x82\xac 5, \xf0\x9f\x93\x9e"},
	/* ISO-8859-1 (older switches): transcoded */
	{T("M\xfcnchen"), "M\xc3\xbcnchen"},
	{T("Bahnhofstra\xdf" "e"), "Bahnhofstra\xc3\x9f" "e"},
	{T("caf\xe9"), "caf\xc3\xa9"},
	/* a lone continuation octet is not UTF-8: Latin-1 too */
	{T("\xa9 2024"), "\xc2\xa9 2024"},
	/* UTF-8 in shape, invalid in value: overlong "/" and NUL, a UTF-16
	 * surrogate, a code point past U+10FFFF; each one U+FFFD */
	{T("a\xc0\xaf" "b"), "a\xef\xbf\xbd" "b"},
	{T("\xc0\x80"), "\xef\xbf\xbd"},
	{T("\xe0\x80\xaf"), "\xef\xbf\xbd"},
	{T("x\xed\xa0\x80y"), "x\xef\xbf\xbdy"},
	{T("\xf4\x90\x80\x80"), "\xef\xbf\xbd"},
	/* control characters dropped: a trailing NUL pad, tab, CR LF, ESC,
	 * DEL, and C1 (as UTF-8 and as Latin-1) */
	{T("Summit300-48\0"), "Summit300-48"},
	{T("a\0b\tc\r\nd\x1b[1me\x7f"), "abcd[1me"},
	{T("x\xc2\x85y"), "xy"},
	{T("x\x85y"), "xy"},
	{T("\0\0\0"), ""},
	};
	/* clang-format on */
	char buf[64];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = wiretext_utf8(buf, sizeof(buf), cases[i].in,
					 cases[i].len);

		if (strcmp(buf, cases[i].out))
			print_error("case %zu: \"%s\"\n", i, buf);
		assert_string_equal(cases[i].out, buf);
		assert_int_equal(strlen(cases[i].out), n);
	}
}

/* A character that does not fit is left out whole. */
static void never_cut_inside_a_character(void **state)
{
	char buf[8];
	(void)state;

	/* "ab" + ü (2) + ü (2) = 6, + ü does not fit in 7 + NUL */
	assert_int_equal(
		6, wiretext_utf8(buf, sizeof(buf), T("ab\xfc\xfc\xfc\xfc")));
	assert_string_equal("ab\xc3\xbc\xc3\xbc", buf);

	assert_int_equal(0, wiretext_utf8(buf, 1, T("abc")));
	assert_string_equal("", buf);
	assert_int_equal(0, wiretext_utf8(buf, 0, T("abc")));
	assert_int_equal(0, wiretext_utf8(buf, sizeof(buf), NULL, 4));
	assert_string_equal("", buf);
}

/* WIRETEXT_SIZE(n) holds the worst case: n Latin-1 letters. */
static void worst_case_fits(void **state)
{
	uint8_t in[255];
	char out[WIRETEXT_SIZE(sizeof(in))];
	char *dup = NULL;
	(void)state;

	memset(in, 0xe9, sizeof(in));
	assert_int_equal(2 * sizeof(in),
			 wiretext_utf8(out, sizeof(out), in, sizeof(in)));

	assert_int_equal(0, wiretext_utf8_dup(&dup, in, sizeof(in)));
	assert_string_equal(out, dup);
	dup = mem_deref(dup);

	assert_int_equal(0, wiretext_utf8_dup(&dup, T("a\0")));
	assert_string_equal("a", dup);
	dup = mem_deref(dup);
	assert_int_equal(EINVAL, wiretext_utf8_dup(NULL, in, 1));
	assert_int_equal(EINVAL, wiretext_utf8_dup(&dup, NULL, 1));
}

/* Strict UTF-8 (what the XML reader needs to know). */
static void utf8_validity(void **state)
{
	(void)state;

	assert_true(wiretext_is_utf8(T("M\xc3\xbcnchen \xef\xbf\xbd")));
	assert_true(wiretext_is_utf8(T("")));
	assert_true(wiretext_is_utf8(T("tab\tNUL\0")));
	assert_false(wiretext_is_utf8(T("M\xfcnchen")));
	assert_false(wiretext_is_utf8(T("\xc0\xaf")));
	assert_false(wiretext_is_utf8(T("\xed\xa0\x80")));
	assert_false(wiretext_is_utf8(T("\xf4\x90\x80\x80")));
	assert_false(wiretext_is_utf8(T("\xe2\x82")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cleaned),
		cmocka_unit_test(never_cut_inside_a_character),
		cmocka_unit_test(worst_case_fits),
		cmocka_unit_test(utf8_validity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
