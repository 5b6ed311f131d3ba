/* scratchfs: scratch directories and a real full, read-only disk. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scratchfs.h"

int scratchfs_make(char *dir, size_t size, const char *tag)
{
	const char *base = getenv("TMPDIR");

	snprintf(dir, size, "%s/locphone-%s-XXXXXX",
		 base && base[0] ? base : "/tmp", tag);
	return mkdtemp(dir) ? 0 : -1;
}

void scratchfs_remove(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		char p[600];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

bool scratchfs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int scratchfs_tmpfs(const char *dir)
{
	if (unshare(CLONE_NEWNS) ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 1;
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=16k,mode=0700"))
		return 2;
	return 0;
}

int scratchfs_fill(const char *dir, char *filler, size_t size)
{
	char fill[4096];
	int fd, err;

	memset(fill, 'x', sizeof(fill));
	snprintf(filler, size, "%s/filler", dir);
	fd = open(filler, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return 4;
	while (write(fd, fill, sizeof(fill)) > 0)
		;
	err = errno;
	close(fd);
	return err == ENOSPC ? 0 : 5;
}

void scratchfs_run_as_root(int (*child)(void *arg), void *arg)
{
	int status = 0;
	pid_t pid;

	if (geteuid() != 0) {
		if (getenv("CI") && !strcmp(getenv("CI"), "true"))
			fail_msg("CI=true: this test must run as root");
		print_message("skipped: needs root for a mount namespace\n");
		skip();
	}

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child(arg));
	assert_int_equal(pid, waitpid(pid, &status, 0));
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fail_msg("check %d in the mount namespace failed",
			 WEXITSTATUS(status));
}
