/* Unit tests for savedloc files: atomic save, crashes, corrupt files. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "civic.h"
#include "savedloc.h"
#include "scratchfs.h"

struct fixture {
	char dir[256];
	char path[300];
	char tmp[310];
	struct savedloc *old_store; /* "Home" at 12 Elm */
	struct savedloc *new_store; /* "Home" at 14 Elm, plus "Office" */
};

static int store_make(struct savedloc **sp, const char *hno, bool office)
{
	struct savedloc *s = NULL;
	struct civic c;
	int err;

	memset(&c, 0, sizeof(c));
	err = savedloc_alloc(&s);
	err = err ? err : civic_set_str(&c, CIVIC_COUNTRY, "US");
	err = err ? err : civic_set_str(&c, CIVIC_HNO, hno);
	err = err ? err : civic_set_str(&c, CIVIC_RD, "Elm");
	err = err ? err
		  : savedloc_put(s, "Home", &c, NULL, (const char *[]){"aa01"},
				 1);
	if (!err && office)
		err = savedloc_put(s, "Office", &c, NULL,
				   (const char *[]){"bb02"}, 1);
	civic_reset(&c);

	if (err)
		mem_deref(s);
	else
		*sp = s;
	return err;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || scratchfs_make(f->dir, sizeof(f->dir), "savedloc"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/locations.json", f->dir);
	snprintf(f->tmp, sizeof(f->tmp), "%s.tmp", f->path);
	if (store_make(&f->old_store, "12", false) ||
	    store_make(&f->new_store, "14", true))
		return -1;

	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	scratchfs_remove(f->dir);
	mem_deref(f->old_store);
	mem_deref(f->new_store);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(len, fwrite(data, 1, len, fp));
	assert_int_equal(0, fclose(fp));
}

/* The house number of "Home" in the store saved at path. */
static const char *home_hno_at(const char *path, char *buf, size_t size)
{
	struct savedloc_error e;
	struct savedloc *s = NULL;
	const struct savedloc_entry *home;

	assert_int_equal(0, savedloc_load(&s, path, &e));
	home = savedloc_find(s, "Home");
	assert_non_null(home);
	str_ncpy(buf, civic_get(&home->civic, CIVIC_HNO), size);
	mem_deref(s);
	return buf;
}

static void save_load_mode(void **state)
{
	struct fixture *f = *state;
	struct savedloc *s = NULL;
	struct savedloc_error e;
	struct stat st;
	char hno[8];

	/* a missing file is an empty store */
	assert_int_equal(0, savedloc_load(&s, f->path, &e));
	assert_int_equal(0, list_count(savedloc_list(s)));
	s = mem_deref(s);

	assert_int_equal(0, savedloc_save(f->new_store, f->path));
	assert_int_equal(0, stat(f->path, &st));
	assert_int_equal(0600, st.st_mode & 07777);
	assert_false(scratchfs_exists(f->tmp));
	assert_string_equal("14", home_hno_at(f->path, hno, sizeof(hno)));

	assert_int_equal(0, savedloc_load(&s, f->path, &e));
	assert_int_equal(2, list_count(savedloc_list(s)));
	assert_string_equal("Office", savedloc_lookup(s, "bb02")->name);
	mem_deref(s);
}

/* A temporary file left by a crash, with a looser mode, is reused. */
static void stale_temporary_file(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	write_file(f->tmp, "garbage", 7);
	assert_int_equal(0, chmod(f->tmp, 0644));
	assert_int_equal(0, savedloc_save(f->old_store, f->path));
	assert_int_equal(0, stat(f->path, &st));
	assert_int_equal(0600, st.st_mode & 07777);
	assert_false(scratchfs_exists(f->tmp));
}

/* The temporary name is never followed to somewhere else. */
static void temporary_symlink_refused(void **state)
{
	struct fixture *f = *state;
	char target[320], hno[8];

	snprintf(target, sizeof(target), "%s/elsewhere", f->dir);
	write_file(target, "keep", 4);
	assert_int_equal(0, savedloc_save(f->old_store, f->path));
	assert_int_equal(0, symlink(target, f->tmp));

	assert_int_equal(ELOOP, savedloc_save(f->new_store, f->path));
	assert_string_equal("12", home_hno_at(f->path, hno, sizeof(hno)));
	unlink(f->tmp);
}

static void save_into_missing_directory(void **state)
{
	struct fixture *f = *state;
	char path[320];

	snprintf(path, sizeof(path), "%s/no/such/dir/x.json", f->dir);
	assert_int_equal(ENOENT, savedloc_save(f->old_store, path));
	assert_int_equal(EINVAL, savedloc_save(NULL, path));
	assert_int_equal(EINVAL, savedloc_save(f->old_store, ""));
}

struct fail_at {
	enum atomicfile_step step;
	bool crash; /* _exit like a killed process instead of failing */
};

static int fail_step(enum atomicfile_step step, const char *tmp, void *arg)
{
	const struct fail_at *at = arg;
	(void)tmp;

	if (step != at->step)
		return 0;
	if (at->crash)
		_exit(0);

	return EIO;
}

/* A save that fails at any step leaves the old or the new file, whole. */
static void failure_at_each_step(void **state)
{
	struct fixture *f = *state;
	enum atomicfile_step step;
	char hno[8];

	for (step = 0; step < ATOMICFILE_STEP_COUNT; step++) {
		struct fail_at at = {step, false};
		struct atomicfile_hook hook = {fail_step, &at};
		bool renamed = step >= ATOMICFILE_STEP_RENAME;

		print_message("fail after step %d\n", step);
		assert_int_equal(0, savedloc_save(f->old_store, f->path));
		assert_int_equal(EIO, savedloc_save_hooked(f->new_store,
							   f->path, &hook));
		assert_string_equal(renamed ? "14" : "12",
				    home_hno_at(f->path, hno, sizeof(hno)));
		/* nothing is left behind */
		assert_false(scratchfs_exists(f->tmp));
	}
}

/* A process killed between any two steps leaves the old or the new file,
 * whole; the next save goes through. */
static void crash_at_each_step(void **state)
{
	struct fixture *f = *state;
	enum atomicfile_step step;
	char hno[8];

	for (step = 0; step < ATOMICFILE_STEP_COUNT; step++) {
		struct fail_at at = {step, true};
		struct atomicfile_hook hook = {fail_step, &at};
		int status = 0;
		pid_t pid;

		print_message("crash after step %d\n", step);
		assert_int_equal(0, savedloc_save(f->old_store, f->path));

		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			savedloc_save_hooked(f->new_store, f->path, &hook);
			_exit(1); /* the hook did not stop us: a failure */
		}
		assert_int_equal(pid, waitpid(pid, &status, 0));
		assert_true(WIFEXITED(status));
		assert_int_equal(0, WEXITSTATUS(status));

		assert_string_equal(step >= ATOMICFILE_STEP_RENAME ? "14"
								   : "12",
				    home_hno_at(f->path, hno, sizeof(hno)));

		assert_int_equal(0, savedloc_save(f->new_store, f->path));
		assert_string_equal("14",
				    home_hno_at(f->path, hno, sizeof(hno)));
	}
}

/* A failure that errno and the step it comes at. */
struct fail_with {
	enum atomicfile_step step;
	int err;
};

static int fail_with(enum atomicfile_step step, const char *tmp, void *arg)
{
	const struct fail_with *w = arg;
	(void)tmp;

	return step == w->step ? w->err : 0;
}

/* Issue 11 item 7: a refused write changes nothing in memory, so the store
 * always equals the file, and the next good save does not carry what was
 * refused.  Disk full, read-only, no permission, I/O error, at each step. */
static void replace_refused_changes_nothing(void **state)
{
	static const int errs[] = {ENOSPC, EROFS, EACCES, EIO};
	struct fixture *f = *state;
	struct civic garage;
	size_t i;
	char hno[8];

	memset(&garage, 0, sizeof(garage));
	assert_int_equal(0, civic_set_str(&garage, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&garage, CIVIC_HNO, "3"));

	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		enum atomicfile_step step;

		for (step = 0; step < ATOMICFILE_STEP_COUNT; step++) {
			struct fail_with w = {step, errs[i]};
			struct atomicfile_hook hook = {fail_with, &w};
			struct savedloc *s = NULL, *next = NULL, *was;
			const bool renamed = step >= ATOMICFILE_STEP_RENAME;

			print_message("%s after step %d\n", strerror(errs[i]),
				      step);
			assert_int_equal(0,
					 savedloc_save(f->old_store, f->path));
			assert_int_equal(0, savedloc_clone(&s, f->old_store));
			assert_int_equal(0,
					 savedloc_clone(&next, f->new_store));
			was = s;

			assert_int_equal(
				renamed ? 0 : errs[i],
				savedloc_replace(&s, next, f->path, &hook));
			assert_string_equal(
				renamed ? "14" : "12",
				home_hno_at(f->path, hno, sizeof(hno)));
			assert_false(scratchfs_exists(f->tmp));
			if (!renamed) {
				/* the very store it was, unchanged */
				assert_ptr_equal(was, s);
				assert_int_equal(1,
						 list_count(savedloc_list(s)));
				assert_null(savedloc_find(s, "Office"));
			} else {
				assert_int_equal(2,
						 list_count(savedloc_list(s)));
			}

			/* the next save writes the store, nothing refused */
			assert_int_equal(0, savedloc_clone(&next, s));
			assert_int_equal(0,
					 savedloc_put(next, "Garage", &garage,
						      NULL, NULL, 0));
			assert_int_equal(
				0, savedloc_replace(&s, next, f->path, NULL));
			{
				struct savedloc_error e;
				struct savedloc *disk = NULL;

				assert_int_equal(
					0, savedloc_load(&disk, f->path, &e));
				assert_int_equal(
					renamed ? 3 : 2,
					list_count(savedloc_list(disk)));
				assert_non_null(savedloc_find(disk, "Garage"));
				assert_true(renamed ==
					    (savedloc_find(disk, "Office") !=
					     NULL));
				mem_deref(disk);
			}
			mem_deref(s);
		}
	}

	assert_int_equal(EINVAL, savedloc_replace(NULL, NULL, f->path, NULL));
	civic_reset(&garage);
}

/* In a child with its own mount namespace: a tiny tmpfs at dir, filled,
 * then read-only.  Returns 0, or the number of the check that failed. */
static int real_failures_child(void *arg)
{
	struct fixture *f = arg;
	char filler[400], hno[8];
	struct savedloc *s = NULL, *next = NULL, *was;
	struct savedloc_error e;
	struct savedloc *disk = NULL;
	int err;

	err = scratchfs_tmpfs(f->dir);
	if (err)
		return err;
	if (savedloc_save(f->old_store, f->path) ||
	    savedloc_clone(&s, f->old_store))
		return 3;

	/* the disk fills up */
	err = scratchfs_fill(f->dir, filler, sizeof(filler));
	if (err)
		return err;

	was = s;
	if (savedloc_clone(&next, f->new_store))
		return 6;
	err = savedloc_replace(&s, next, f->path, NULL);
	if (err != ENOSPC || s != was || list_count(savedloc_list(s)) != 1)
		return 7;
	if (savedloc_load(&disk, f->path, &e) ||
	    list_count(savedloc_list(disk)) != 1 ||
	    str_cmp(civic_get(&savedloc_find(disk, "Home")->civic, CIVIC_HNO),
		    "12"))
		return 8;
	disk = mem_deref(disk);
	if (scratchfs_exists(f->tmp))
		return 9;

	/* room again, but read-only */
	if (unlink(filler) ||
	    mount(NULL, f->dir, NULL, MS_REMOUNT | MS_RDONLY, NULL))
		return 10;
	if (savedloc_clone(&next, f->new_store))
		return 11;
	err = savedloc_replace(&s, next, f->path, NULL);
	if (err != EROFS || s != was || list_count(savedloc_list(s)) != 1)
		return 12;

	/* writable again: the store as it was goes through */
	if (mount(NULL, f->dir, NULL, MS_REMOUNT, NULL) ||
	    savedloc_clone(&next, s) ||
	    savedloc_replace(&s, next, f->path, NULL) ||
	    str_cmp(home_hno_at(f->path, hno, sizeof(hno)), "12"))
		return 13;

	mem_deref(s);
	return 0;
}

/* The same with the kernel's own ENOSPC and EROFS (root: a private mount
 * namespace with a tmpfs of 16 KiB). */
static void replace_real_disk_full_and_read_only(void **state)
{
	scratchfs_run_as_root(real_failures_child, *state);
}

struct bad_file {
	const char *name;
	const char *data; /* NULL: SAVEDLOC_MAX_SIZE + 1 spaces */
	int err;
};

static const struct bad_file bad_files[] = {
	{"garbage",
	 "\x7f"
	 "ELF\x02\x01",
	 EBADMSG},
	{"truncated", "{\"version\":1,\n\"locations\":[\n{\"name\":\"Ho",
	 EBADMSG},
	{"empty", "", EBADMSG},
	{"wrong content", "{\"version\":1,\"locations\":[1]}", EBADMSG},
	{"oversized", NULL, EFBIG},
};

/* Corrupt files are moved aside, never emptied, and say why. */
static void corrupt_files_set_aside(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_files); i++) {
		const struct bad_file *b = &bad_files[i];
		struct savedloc_error e;
		struct savedloc *s = NULL;
		char *data = NULL, *back = NULL;
		size_t len;
		FILE *fp;

		print_message("case: %s\n", b->name);
		if (b->data) {
			len = strlen(b->data);
			data = (char *)b->data;
		} else {
			len = SAVEDLOC_MAX_SIZE + 1;
			data = malloc(len);
			assert_non_null(data);
			memset(data, ' ', len);
		}
		write_file(f->path, data, len);

		assert_int_equal(b->err, savedloc_load(&s, f->path, &e));
		assert_null(s);
		assert_true(e.why[0] != '\0');
		assert_false(scratchfs_exists(f->path));
		assert_int_equal(0, strncmp(e.aside, f->path, strlen(f->path)));
		assert_non_null(strstr(e.aside, ".corrupt-"));

		/* the bytes are all still there */
		back = malloc(len + 1);
		assert_non_null(back);
		fp = fopen(e.aside, "rb");
		assert_non_null(fp);
		assert_int_equal(len, fread(back, 1, len + 1, fp));
		fclose(fp);
		assert_memory_equal(data, back, len);

		unlink(e.aside);
		free(back);
		if (!b->data)
			free(data);
	}
}

/* Two corrupt files within one second keep both copies. */
static void set_aside_twice(void **state)
{
	struct fixture *f = *state;
	struct savedloc_error e1, e2;
	struct savedloc *s = NULL;

	write_file(f->path, "{", 1);
	assert_int_equal(EBADMSG, savedloc_load(&s, f->path, &e1));
	write_file(f->path, "[", 1);
	assert_int_equal(EBADMSG, savedloc_load(&s, f->path, &e2));

	assert_string_not_equal(e1.aside, e2.aside);
	assert_true(scratchfs_exists(e1.aside));
	assert_true(scratchfs_exists(e2.aside));
	unlink(e1.aside);
	unlink(e2.aside);
}

/* A newer file is no corrupt file: it stays where it is. */
static void newer_version_left_alone(void **state)
{
	struct fixture *f = *state;
	const char newer[] = "{\"version\":9,\"whatever\":[]}";
	struct savedloc_error e;
	struct savedloc *s = NULL;

	write_file(f->path, newer, strlen(newer));
	assert_int_equal(ENOTSUP, savedloc_load(&s, f->path, &e));
	assert_null(s);
	assert_string_equal("version 9 is newer than this program reads (1)",
			    e.why);
	assert_string_equal("", e.aside);
	assert_true(scratchfs_exists(f->path));

	assert_int_equal(EINVAL, savedloc_load(NULL, f->path, &e));
	assert_int_equal(EINVAL, savedloc_load(&s, NULL, &e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(save_load_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stale_temporary_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(temporary_symlink_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(save_into_missing_directory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(failure_at_each_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(replace_refused_changes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			replace_real_disk_full_and_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(crash_at_each_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(corrupt_files_set_aside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(set_aside_twice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(newer_version_left_alone, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
