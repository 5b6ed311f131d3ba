/* Unit tests for atomicfile: the one atomic file writer, step by step,
 * killed at each step, and on a real full and read-only disk. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomicfile.h"
#include "scratchfs.h"

static const char old_text[] = "old contents\n";
static const char new_text[] = "the new contents, longer than the old\n";

struct fixture {
	char dir[256];
	char path[300];
	char tmp[310];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || scratchfs_make(f->dir, sizeof(f->dir), "atomicfile"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/state", f->dir);
	snprintf(f->tmp, sizeof(f->tmp), "%s.tmp", f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	scratchfs_remove(f->dir);
	free(f);
	return 0;
}

/* The whole file at path, NUL-terminated, into buf ("" if missing). */
static const char *contents(const char *path, char *buf, size_t size)
{
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(0, stat(path, &st));
	return st.st_mode & 07777;
}

static void write_text(const char *path, const char *text)
{
	assert_int_equal(0, atomicfile_write(path, text, strlen(text), 0600,
					     NULL, NULL));
}

/* New files and replaced ones get the mode asked for, whatever the umask
 * and whatever mode a temporary file left by a crash had. */
static void writes_with_mode(void **state)
{
	struct fixture *f = *state;
	char buf[128];
	bool renamed = false;
	mode_t was = umask(077);

	assert_int_equal(0,
			 atomicfile_write(f->path, old_text, strlen(old_text),
					  0640, NULL, &renamed));
	assert_true(renamed);
	assert_string_equal(old_text, contents(f->path, buf, sizeof(buf)));
	assert_int_equal(0640, mode_of(f->path));
	assert_false(scratchfs_exists(f->tmp));

	/* a leftover temporary file, looser and longer */
	{
		FILE *fp = fopen(f->tmp, "w");

		assert_non_null(fp);
		fputs("garbage garbage garbage garbage garbage garbage\n", fp);
		fclose(fp);
		assert_int_equal(0, chmod(f->tmp, 0666));
	}
	assert_int_equal(0,
			 atomicfile_write(f->path, new_text, strlen(new_text),
					  0600, NULL, NULL));
	assert_string_equal(new_text, contents(f->path, buf, sizeof(buf)));
	assert_int_equal(0600, mode_of(f->path));
	assert_false(scratchfs_exists(f->tmp));

	/* nothing at all is a valid file */
	assert_int_equal(0,
			 atomicfile_write(f->path, NULL, 0, 0600, NULL, NULL));
	assert_string_equal("", contents(f->path, buf, sizeof(buf)));
	assert_true(scratchfs_exists(f->path));
	umask(was);
}

static void bad_arguments(void **state)
{
	struct fixture *f = *state;
	char path[5000], buf[64];
	bool renamed = true;

	write_text(f->path, old_text);
	assert_int_equal(EINVAL,
			 atomicfile_write(NULL, "x", 1, 0600, NULL, &renamed));
	assert_false(renamed);
	assert_int_equal(EINVAL,
			 atomicfile_write("", "x", 1, 0600, NULL, NULL));
	assert_int_equal(EINVAL,
			 atomicfile_write(f->path, NULL, 1, 0600, NULL, NULL));
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(ENAMETOOLONG,
			 atomicfile_write(path, "x", 1, 0600, NULL, NULL));
	assert_string_equal(old_text, contents(f->path, buf, sizeof(buf)));
}

/* The temporary name is never followed to somewhere else; a missing
 * directory is the open's error. */
static void symlink_and_missing_directory(void **state)
{
	struct fixture *f = *state;
	char target[320], path[320], buf[64];

	snprintf(target, sizeof(target), "%s/elsewhere", f->dir);
	write_text(target, "keep");
	write_text(f->path, old_text);
	assert_int_equal(0, symlink(target, f->tmp));

	assert_int_equal(ELOOP,
			 atomicfile_write(f->path, new_text, strlen(new_text),
					  0600, NULL, NULL));
	assert_string_equal(old_text, contents(f->path, buf, sizeof(buf)));
	assert_string_equal("keep", contents(target, buf, sizeof(buf)));

	snprintf(path, sizeof(path), "%s/no/such/dir/x", f->dir);
	assert_int_equal(ENOENT,
			 atomicfile_write(path, "x", 1, 0600, NULL, NULL));
}

struct fail_at {
	enum atomicfile_step step;
	int err;
	bool crash;  /* SIGKILL there instead of failing */
	int reached; /* steps reported */
};

static int fail_step(enum atomicfile_step step, const char *tmp, void *arg)
{
	struct fail_at *at = arg;

	assert_non_null(tmp);
	assert_true(strstr(tmp, ".tmp") != NULL);
	at->reached++;
	if (step != at->step)
		return 0;
	if (at->crash)
		(void)raise(SIGKILL);
	return at->err;
}

/* A failure after each step (disk full, read-only, I/O error): before the
 * rename the old file stands and the temporary one is gone; after it the
 * new one stands and *renamedp says so. */
static void failure_at_each_step(void **state)
{
	static const int errs[] = {ENOSPC, EROFS, EIO};
	struct fixture *f = *state;
	char buf[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		enum atomicfile_step step;

		for (step = 0; step < ATOMICFILE_STEP_COUNT; step++) {
			struct fail_at at = {step, errs[i], false, 0};
			struct atomicfile_hook hook = {fail_step, &at};
			const bool after = step >= ATOMICFILE_STEP_RENAME;
			bool renamed = !after;

			print_message("%s after step %d\n", strerror(errs[i]),
				      step);
			write_text(f->path, old_text);
			assert_int_equal(errs[i],
					 atomicfile_write(f->path, new_text,
							  strlen(new_text),
							  0600, &hook,
							  &renamed));
			assert_int_equal(step + 1, at.reached);
			assert_true(renamed == after);
			assert_string_equal(
				after ? new_text : old_text,
				contents(f->path, buf, sizeof(buf)));
			assert_false(scratchfs_exists(f->tmp));
		}
	}

	/* without a failure every step is reported once */
	{
		struct fail_at at = {ATOMICFILE_STEP_COUNT, 0, false, 0};
		struct atomicfile_hook hook = {fail_step, &at};

		assert_int_equal(0, atomicfile_write(f->path, old_text,
						     strlen(old_text), 0600,
						     &hook, NULL));
		assert_int_equal(ATOMICFILE_STEP_COUNT, at.reached);
	}
}

/* Killed at each step: the file holds the old contents or the new ones,
 * complete, never a mixture or nothing; the next write succeeds. */
static void killed_at_each_step(void **state)
{
	struct fixture *f = *state;
	enum atomicfile_step step;
	char buf[128];

	for (step = 0; step < ATOMICFILE_STEP_COUNT; step++) {
		int status = 0;
		pid_t pid;

		write_text(f->path, old_text);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct fail_at at = {step, 0, true, 0};
			struct atomicfile_hook hook = {fail_step, &at};

			(void)atomicfile_write(f->path, new_text,
					       strlen(new_text), 0600, &hook,
					       NULL);
			_exit(0); /* not killed: the test fails below */
		}
		assert_int_equal(pid, waitpid(pid, &status, 0));
		assert_true(WIFSIGNALED(status));
		assert_int_equal(SIGKILL, WTERMSIG(status));

		assert_string_equal(step >= ATOMICFILE_STEP_RENAME ? new_text
								   : old_text,
				    contents(f->path, buf, sizeof(buf)));
		assert_int_equal(0600, mode_of(f->path));
		write_text(f->path, new_text);
		assert_string_equal(new_text,
				    contents(f->path, buf, sizeof(buf)));
		assert_false(scratchfs_exists(f->tmp));
	}
}

/* In a child with its own mount namespace: a tiny tmpfs at dir, filled,
 * then read-only.  Returns 0, or the number of the check that failed. */
static int real_failures_child(void *arg)
{
	struct fixture *f = arg;
	char filler[400], fill[4096], buf[128];
	bool renamed = true;
	int err;

	memset(fill, 'x', sizeof(fill));
	err = scratchfs_tmpfs(f->dir);
	if (err)
		return err;
	if (atomicfile_write(f->path, old_text, strlen(old_text), 0600, NULL,
			     NULL))
		return 3;

	/* the disk fills up */
	err = scratchfs_fill(f->dir, filler, sizeof(filler));
	if (err)
		return err;

	err = atomicfile_write(f->path, fill, sizeof(fill), 0600, NULL,
			       &renamed);
	if (err != ENOSPC || renamed)
		return 6;
	if (strcmp(contents(f->path, buf, sizeof(buf)), old_text))
		return 7;
	if (scratchfs_exists(f->tmp))
		return 8;

	/* room again, but read-only */
	if (unlink(filler) ||
	    mount(NULL, f->dir, NULL, MS_REMOUNT | MS_RDONLY, NULL))
		return 9;
	err = atomicfile_write(f->path, new_text, strlen(new_text), 0600, NULL,
			       NULL);
	if (err != EROFS)
		return 10;
	if (strcmp(contents(f->path, buf, sizeof(buf)), old_text))
		return 11;

	/* writable again */
	if (mount(NULL, f->dir, NULL, MS_REMOUNT, NULL) ||
	    atomicfile_write(f->path, new_text, strlen(new_text), 0600, NULL,
			     NULL) ||
	    strcmp(contents(f->path, buf, sizeof(buf)), new_text))
		return 12;

	return 0;
}

/* The kernel's own ENOSPC and EROFS (root: a private mount namespace with
 * a tmpfs of 16 KiB). */
static void real_disk_full_and_read_only(void **state)
{
	scratchfs_run_as_root(real_failures_child, *state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_with_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(symlink_and_missing_directory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(failure_at_each_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(killed_at_each_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(real_disk_full_and_read_only,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
