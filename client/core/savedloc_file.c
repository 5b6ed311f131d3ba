/* savedloc_file: atomic save (atomicfile) and careful load of the
 * saved-locations file. */

#include <re.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "atomicfile.h"
#include "civic.h"
#include "savedloc.h"

/* The save; *renamedp says whether path names the new contents. */
static int save_steps(const struct savedloc *s, const char *path,
		      const struct atomicfile_hook *hook, bool *renamedp)
{
	struct mbuf *mb = NULL;
	int err;

	*renamedp = false;
	if (!s || !path || !path[0])
		return EINVAL;

	mb = mbuf_alloc(4096);
	if (!mb)
		return ENOMEM;
	err = savedloc_encode(mb, s);
	if (!err)
		err = atomicfile_write(path, mb->buf, mb->end, 0600, hook,
				       renamedp);
	mem_deref(mb);
	return err;
}

int savedloc_save_hooked(const struct savedloc *s, const char *path,
			 const struct atomicfile_hook *hook)
{
	bool renamed;

	return save_steps(s, path, hook, &renamed);
}

int savedloc_replace(struct savedloc **sp, struct savedloc *next,
		     const char *path, const struct atomicfile_hook *hook)
{
	bool renamed = false;
	int err;

	if (!sp || !next) {
		mem_deref(next);
		return EINVAL;
	}

	err = save_steps(next, path, hook, &renamed);

	/* the file is the truth: once it names the new contents (a late
	 * failure only makes the rename less durable) they are the store */
	if (renamed) {
		mem_deref(*sp);
		*sp = next;
		return 0;
	}

	mem_deref(next);
	return err;
}

int savedloc_save(const struct savedloc *s, const char *path)
{
	return savedloc_save_hooked(s, path, NULL);
}

/* Read the whole file, at most SAVEDLOC_MAX_SIZE + 1 bytes of it (one more
 * than allowed, so the decoder can tell it is too big). */
static int read_capped(struct mbuf **mbp, int fd)
{
	struct mbuf *mb;
	struct stat st;
	size_t cap;
	int err = 0;

	if (fstat(fd, &st))
		return errno;

	cap = st.st_size < (off_t)SAVEDLOC_MAX_SIZE ? (size_t)st.st_size
						    : SAVEDLOC_MAX_SIZE;
	mb = mbuf_alloc(cap + 1);
	if (!mb)
		return ENOMEM;

	while (mb->end <= SAVEDLOC_MAX_SIZE) {
		ssize_t n;

		if (mb->end == mb->size) {
			err = mbuf_resize(mb, mb->size * 2);
			if (err)
				break;
		}
		n = read(fd, mb->buf + mb->end, mb->size - mb->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		mb->end += (size_t)n;
	}

	if (err)
		mem_deref(mb);
	else
		*mbp = mb;

	return err;
}

/* Move a bad file out of the way under a name that says what happened;
 * a second bad file in the same second gets "-2", "-3", ... */
static int set_aside(const char *path, struct savedloc_error *e)
{
	char stamp[32], aside[sizeof(e->aside)];
	struct stat st;
	struct tm tm;
	time_t now = time(NULL);
	int i;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		return EINVAL;

	for (i = 1; i < 100; i++) {
		int n = i == 1 ? re_snprintf(aside, sizeof(aside),
					     "%s.corrupt-%s", path, stamp)
			       : re_snprintf(aside, sizeof(aside),
					     "%s.corrupt-%s-%d", path, stamp,
					     i);

		if (n < 0 || (size_t)n >= sizeof(aside) - 1)
			return ENAMETOOLONG;
		if (lstat(aside, &st) == 0)
			continue;
		if (errno != ENOENT)
			return errno;
		if (rename(path, aside))
			return errno;

		str_ncpy(e->aside, aside, sizeof(e->aside));
		return 0;
	}

	return EEXIST;
}

int savedloc_load(struct savedloc **sp, const char *path,
		  struct savedloc_error *e)
{
	struct savedloc_error local;
	struct mbuf *mb = NULL;
	int fd, err, aside_err;

	if (!sp || !path)
		return EINVAL;
	if (!e)
		e = &local;
	e->why[0] = '\0';
	e->aside[0] = '\0';

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return savedloc_alloc(sp);
	if (fd < 0) {
		err = errno;
		re_snprintf(e->why, sizeof(e->why), "cannot open: %m", err);
		return err;
	}

	err = read_capped(&mb, fd);
	close(fd);
	if (err) {
		re_snprintf(e->why, sizeof(e->why), "cannot read: %m", err);
		return err;
	}

	err = savedloc_decode(sp, (const char *)mb->buf, mb->end, e);
	mem_deref(mb);

	if (err == EBADMSG || err == EFBIG) {
		aside_err = set_aside(path, e);
		if (aside_err) {
			size_t n = strlen(e->why);

			re_snprintf(e->why + n, sizeof(e->why) - n,
				    "; could not move the file aside: %m",
				    aside_err);
		}
	}

	return err;
}
