/* manual_testhook: the saved-locations file failing or the engine dying
 * at a chosen step of a save, for tests/integration only.  Built only
 * with -Dtest_hooks=true; a release build has none of it (test
 * "test-hooks"). */

#include <re.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "baresip-abi.h"
#include "manual_priv.h"

/* Test only: the save step at which the engine kills itself (SIGKILL),
 * to prove the file survives a crash there (tests/integration). */
#define KILL_STEP_ENV "LOCPHONE_TEST_SAVE_KILL_STEP"

/* Test only: "STEP:ERROR" (e.g. "write:EIO"), a save that fails there with
 * that error, as a failing disk would (tests/integration). */
#define FAIL_STEP_ENV "LOCPHONE_TEST_SAVE_FAIL"

static const char *const step_names[] = {
	[ATOMICFILE_STEP_CREATE] = "create",
	[ATOMICFILE_STEP_WRITE] = "write",
	[ATOMICFILE_STEP_FSYNC] = "fsync",
	[ATOMICFILE_STEP_RENAME] = "rename",
	[ATOMICFILE_STEP_DIRSYNC] = "dirsync",
};

static int test_hook(enum atomicfile_step step, const char *tmp, void *arg)
{
	const struct manual *m = arg;
	(void)tmp;

	if ((int)step == m->kill_step)
		(void)raise(SIGKILL);
	if ((int)step == m->fail_step)
		return m->fail_err;

	return 0;
}

static int kill_step_read(void)
{
	const char *v = getenv(KILL_STEP_ENV);
	size_t i;

	for (i = 0; v && i < ARRAY_SIZE(step_names); i++) {
		if (!str_cmp(v, step_names[i])) {
			warning("location: %s=%s: the engine kills itself "
				"while saving (tests only)\n",
				KILL_STEP_ENV, v);
			return (int)i;
		}
	}

	return -1;
}

static void fail_step_read(struct manual *m)
{
	static const struct {
		const char *name;
		int err;
	} errs[] = {
		{"EIO", EIO},
		{"ENOSPC", ENOSPC},
		{"EROFS", EROFS},
		{"EACCES", EACCES},
	};
	const char *v = getenv(FAIL_STEP_ENV);
	const char *colon = v ? strchr(v, ':') : NULL;
	size_t i, j;

	m->fail_step = -1;
	for (i = 0; colon && i < ARRAY_SIZE(step_names); i++) {
		if (strncmp(v, step_names[i], (size_t)(colon - v)) ||
		    step_names[i][colon - v])
			continue;
		for (j = 0; j < ARRAY_SIZE(errs); j++) {
			if (str_cmp(colon + 1, errs[j].name))
				continue;
			warning("location: %s=%s: saves fail (tests only)\n",
				FAIL_STEP_ENV, v);
			m->fail_step = (int)i;
			m->fail_err = errs[j].err;
			return;
		}
	}
}

void manual_testhook_read(struct manual *m)
{
	m->kill_step = kill_step_read();
	fail_step_read(m);
}

const struct atomicfile_hook *manual_testhook(struct manual *m,
					      struct atomicfile_hook *hook)
{
	if (m->kill_step < 0 && m->fail_step < 0)
		return NULL;

	hook->steph = test_hook;
	hook->arg = m;
	return hook;
}
