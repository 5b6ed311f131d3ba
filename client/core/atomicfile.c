/* atomicfile: write to a temporary file, fsync, rename, fsync the dir. */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>

#include "atomicfile.h"

/* Longest path written: PATH_MAX, less what ".tmp" adds. */
#define ATOMICFILE_PATH_MAX 4090

static int step_done(const struct atomicfile_hook *hook,
		     enum atomicfile_step step, const char *tmp)
{
	return hook && hook->steph ? hook->steph(step, tmp, hook->arg) : 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return EIO;
		p += w;
		n -= (size_t)w;
	}

	return 0;
}

/* The directory holding path, so that the rename can be made durable. */
static int dir_sync(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL;
	int fd, err = 0;

	if (!slash)
		err = str_dup(&dir, ".");
	else if (slash == path)
		err = str_dup(&dir, "/");
	else
		err = re_sdprintf(&dir, "%b", path, (size_t)(slash - path));
	if (err)
		return err;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	if (fsync(fd))
		err = errno;
	close(fd);

out:
	mem_deref(dir);
	return err;
}

int atomicfile_write(const char *path, const void *buf, size_t len, mode_t mode,
		     const struct atomicfile_hook *hook, bool *renamedp)
{
	char *tmp = NULL;
	bool renamed = false;
	int fd = -1, err;

	if (renamedp)
		*renamedp = false;
	if (!path || !path[0] || (!buf && len))
		return EINVAL;
	if (strlen(path) > ATOMICFILE_PATH_MAX)
		return ENAMETOOLONG;

	err = re_sdprintf(&tmp, "%s.tmp", path);
	if (err)
		return err;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  mode);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	/* a leftover from a crash may have had another mode; the umask
	 * must not narrow what the caller asked for either */
	if (fchmod(fd, mode)) {
		err = errno;
		goto out;
	}
	err = step_done(hook, ATOMICFILE_STEP_CREATE, tmp);
	if (err)
		goto out;

	err = write_all(fd, buf, len);
	if (!err)
		err = step_done(hook, ATOMICFILE_STEP_WRITE, tmp);
	if (err)
		goto out;

	if (fsync(fd))
		err = errno;
	if (!err)
		err = step_done(hook, ATOMICFILE_STEP_FSYNC, tmp);
	if (err)
		goto out;

	/* close reports delayed write errors on some file systems */
	err = close(fd) ? errno : 0;
	fd = -1;
	if (err)
		goto out;

	if (rename(tmp, path)) {
		err = errno;
		goto out;
	}
	renamed = true;
	err = step_done(hook, ATOMICFILE_STEP_RENAME, tmp);
	if (err)
		goto out;

	err = dir_sync(path);
	if (!err)
		err = step_done(hook, ATOMICFILE_STEP_DIRSYNC, tmp);

out:
	if (fd >= 0)
		close(fd);
	if (err && !renamed)
		(void)unlink(tmp);
	mem_deref(tmp);
	if (renamedp)
		*renamedp = renamed;
	return err;
}
