/* Unit tests for kvconf: settings lines, origins and refusals. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "kvconf.h"

static void parse_keys_values_and_lines(void **state)
{
	const char text[] = "# comment\n"
			    "\n"
			    "lis_url   https://lis.example.com/held  \n"
			    "\tdial_strings 911,112\r\n"
			    "flag\n"
			    "lis_url https://override.example.com/";
	struct kvconf *kv = NULL;
	const struct kvconf_entry *e;
	(void)state;

	assert_int_equal(
		0, kvconf_parse(&kv, "test.conf", text, strlen(text), NULL));

	e = kvconf_get(kv, "dial_strings");
	assert_non_null(e);
	assert_string_equal("911,112", e->value);
	assert_string_equal("test.conf", e->file);
	assert_int_equal(4, e->line);

	e = kvconf_get(kv, "flag");
	assert_non_null(e);
	assert_string_equal("", e->value);

	/* a later line wins */
	e = kvconf_get(kv, "lis_url");
	assert_string_equal("https://override.example.com/", e->value);
	assert_int_equal(6, e->line);

	assert_int_equal(4, list_count(kvconf_entries(kv)));
	assert_null(kvconf_str(kv, "missing"));

	mem_deref(kv);
}

static void refuse_bad_input(void **state)
{
	struct kvconf *kv = NULL;
	unsigned line = 0;
	char *big;
	const char nul[] = "a 1\nb \0 2\n";
	(void)state;

	assert_int_equal(EBADMSG,
			 kvconf_parse(&kv, "x", nul, sizeof(nul) - 1, &line));
	assert_int_equal(2, line);
	assert_null(kv);

	big = calloc(1, KVCONF_MAX_LINE + 10);
	assert_non_null(big);
	memcpy(big, "ok 1\nkey ", 9);
	memset(big + 9, 'v', KVCONF_MAX_LINE);
	assert_int_equal(EBADMSG, kvconf_parse(&kv, "x", big,
					       KVCONF_MAX_LINE + 9, &line));
	assert_int_equal(2, line);
	free(big);

	assert_int_equal(
		EFBIG, kvconf_parse(&kv, "x", "", KVCONF_MAX_SIZE + 1, &line));
	assert_int_equal(EINVAL, kvconf_parse(NULL, "x", "", 0, NULL));
}

static void load_missing_file(void **state)
{
	struct kvconf *kv = NULL;
	(void)state;

	assert_int_equal(ENOENT,
			 kvconf_load(&kv, "/nonexistent/locphone.conf", NULL));
	assert_null(kv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_keys_values_and_lines),
		cmocka_unit_test(refuse_bad_input),
		cmocka_unit_test(load_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
