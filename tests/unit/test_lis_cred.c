/* Unit tests for lis_cred: the LIS credentials file and client keys. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lis_client.h"
#include "lis_cred.h"

static char dir[] = "/tmp/test_lis_cred.XXXXXX";

/* Writes text to dir/name with mode; returns the path (static). */
static const char *file(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(0, chmod(path, mode));
	return path;
}

static void primary_and_secondary(void **state)
{
	struct lis_cred_file c;
	struct lis_auth auth[2];
	char why[LIS_CRED_ERR_MAX] = "";
	const char *p;
	(void)state;

	/* the password is the rest of the line, blanks inside kept */
	p = file("both",
		 "# lis\nuser alice\npassword two words\nauth digest\n"
		 "secondary_user bob\nsecondary_password pw2\n"
		 "secondary_auth basic\n",
		 0600);
	assert_int_equal(0, lis_cred_load(&c, p, why, sizeof(why)));
	memset(auth, 0, sizeof(auth));
	lis_cred_apply(auth, &c);
	assert_string_equal("alice", auth[LIS_PRIMARY].user);
	assert_string_equal("two words", auth[LIS_PRIMARY].password);
	assert_int_equal(LIS_AUTH_DIGEST, auth[LIS_PRIMARY].method);
	assert_string_equal("bob", auth[LIS_SECONDARY].user);
	assert_string_equal("pw2", auth[LIS_SECONDARY].password);
	assert_int_equal(LIS_AUTH_BASIC, auth[LIS_SECONDARY].method);
	lis_cred_wipe(&c);
	assert_string_equal("", c.server[0].password);

	/* no secondary_ lines: the secondary takes the primary's; 0400 */
	p = file("one", "user alice\npassword pw\n", 0400);
	assert_int_equal(0, lis_cred_load(&c, p, why, sizeof(why)));
	assert_true(c.server[LIS_SECONDARY].set);
	assert_string_equal("alice", c.server[LIS_SECONDARY].user);
	assert_string_equal("pw", c.server[LIS_SECONDARY].password);
	assert_int_equal(LIS_AUTH_ANY, c.server[LIS_SECONDARY].method);
}

static void refusals(void **state)
{
	static const struct {
		const char *text;
		mode_t mode;
		int err;
		const char *why; /* after "PATH" */
	} cases[] = {
		{"user a\npassword SECRET\n", 0644, EACCES,
		 ": mode 0644 lets others read it"},
		{"user a\npassword SECRET\n", 0640, EACCES, ": mode 0640"},
		{"user a\npassword SECRET\n", 0602, EACCES, ": mode 0602"},
		{"user a\npassword SECRET\nauth SECRET\n", 0600, EBADMSG,
		 ":3: auth: must be any, basic or digest"},
		{"user a\npasswd SECRET\n", 0600, EBADMSG, ":2: unknown key"},
		{"password SECRET\n", 0600, EBADMSG,
		 ": a password without a user"},
		{"user a:b\npassword SECRET\n", 0600, EBADMSG,
		 ":1: user: a colon is not allowed"},
		{"user\npassword SECRET\n", 0600, EBADMSG,
		 ":1: user: must be 1 to"},
	};
	struct lis_cred_file c;
	char why[LIS_CRED_ERR_MAX], want[LIS_CRED_ERR_MAX];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *p = file("bad", cases[i].text, cases[i].mode);

		why[0] = '\0';
		assert_int_equal(cases[i].err,
				 lis_cred_load(&c, p, why, sizeof(why)));
		snprintf(want, sizeof(want), "%s%s", p, cases[i].why);
		if (strncmp(why, want, strlen(want)))
			fail_msg("case %zu: \"%s\", want \"%s...\"", i, why,
				 want);
		/* never a value, and nothing kept */
		assert_null(strstr(why, "SECRET"));
		assert_false(c.server[0].set);
		assert_string_equal("", c.server[0].password);
	}

	assert_int_equal(ENOENT, lis_cred_load(&c, "/nonexistent/cred", why,
					       sizeof(why)));
	assert_int_equal(EACCES, lis_cred_load(&c, dir, why, sizeof(why)));
	assert_non_null(strstr(why, "not a regular file"));
}

static void key_check(void **state)
{
	char why[LIS_CRED_ERR_MAX] = "";
	const char *p;
	(void)state;

	p = file("key", "-----BEGIN PRIVATE KEY-----\n", 0600);
	assert_int_equal(0, lis_cred_key_check(p, why, sizeof(why)));
	p = file("key", "-----BEGIN PRIVATE KEY-----\n", 0640);
	assert_int_equal(EACCES, lis_cred_key_check(p, why, sizeof(why)));
	assert_non_null(strstr(why, ": mode 0640 lets others read the "
				    "private key"));
	assert_int_equal(ENOENT,
			 lis_cred_key_check("/nonexistent", why, sizeof(why)));
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = {"both", "one", "bad", "key"};
	char path[256];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		(void)unlink(path);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(primary_and_secondary),
		cmocka_unit_test(refusals),
		cmocka_unit_test(key_check),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
