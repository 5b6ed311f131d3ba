/* Unit tests for lisdisc: LIS URIs from U-NAPTR records. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "lisdisc.h"

static void picks_by_order_then_pref(void **state)
{
	const struct lisdisc_naptr v[] = {
		{20, 10, "U", "LIS:HELD", "!^.*$!https://lis3.corp.test/!"},
		{10, 20, "U", "LIS:HELD", "!^.*$!https://lis2.corp.test/!"},
		{10, 10, "u", "lis:held", "!^.*$!https://lis1.corp.test/h!"},
		{5, 5, "U", "SIP:D2U", "!^.*$!sip:x@corp.test!"},
		{5, 5, "S", "LIS:HELD", ""},
	};
	char uri[128];
	(void)state;

	assert_int_equal(
		0, lisdisc_select(uri, sizeof(uri), v, ARRAY_SIZE(v), false));
	assert_string_equal("https://lis1.corp.test/h", uri);
}

static void skips_bad_records(void **state)
{
	const struct lisdisc_naptr v[] = {
		/* back-references, flags, wrong pattern, plain http */
		{1, 1, "U", "LIS:HELD", "!^(.*)$!https://\\1/!"},
		{2, 1, "U", "LIS:HELD", "!^.*$!https://a.test/!i"},
		{3, 1, "U", "LIS:HELD", "!^.+$!https://b.test/!"},
		{4, 1, "U", "LIS:HELD", "!^.*$!http://c.test/!"},
		{5, 1, "U", "LIS:HELD", "#^.*$#https://d.test/held#"},
	};
	char uri[128];
	(void)state;

	assert_int_equal(
		0, lisdisc_select(uri, sizeof(uri), v, ARRAY_SIZE(v), false));
	assert_string_equal("https://d.test/held", uri);

	/* a lab may allow plain http */
	assert_int_equal(0, lisdisc_select(uri, sizeof(uri), v + 3, 1, true));
	assert_string_equal("http://c.test/", uri);
}

static void nothing_usable(void **state)
{
	const struct lisdisc_naptr v[] = {
		{1, 1, "U", "LIS:HELD", "!^.*$!ftp://x/!"},
		{1, 1, NULL, NULL, NULL},
	};
	char uri[16];
	(void)state;

	assert_int_equal(ENOENT, lisdisc_select(uri, sizeof(uri), v,
						ARRAY_SIZE(v), true));
	assert_string_equal("", uri);
	assert_int_equal(ENOENT,
			 lisdisc_select(uri, sizeof(uri), NULL, 0, false));

	/* a URI that does not fit is not cut short */
	{
		const struct lisdisc_naptr big = {
			1, 1, "U", "LIS:HELD",
			"!^.*$!https://a-very-long-host.example/!"};

		assert_int_equal(ENOENT, lisdisc_select(uri, sizeof(uri), &big,
							1, false));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(picks_by_order_then_pref),
		cmocka_unit_test(skips_bad_records),
		cmocka_unit_test(nothing_usable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
