/* atomicfile: a file replaced whole or not at all, the one way locphone
 * writes its state and configuration files. */

#ifndef LOCPHONE_ATOMICFILE_H
#define LOCPHONE_ATOMICFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The steps of atomicfile_write, each reported to a hook once done. */
enum atomicfile_step {
	ATOMICFILE_STEP_CREATE,	 /* the temporary file exists, empty */
	ATOMICFILE_STEP_WRITE,	 /* it holds the new contents */
	ATOMICFILE_STEP_FSYNC,	 /* they are on disk */
	ATOMICFILE_STEP_RENAME,	 /* path names the new file */
	ATOMICFILE_STEP_DIRSYNC, /* the rename is on disk */
	ATOMICFILE_STEP_COUNT
};

/* Fault injection for tests: called after each step with the temporary
 * file's path; a non-zero return fails the write there with that error. */
typedef int(atomicfile_step_h)(enum atomicfile_step step, const char *tmp,
			       void *arg);

struct atomicfile_hook {
	atomicfile_step_h *steph;
	void *arg;
};

/*
 * Replace the file at path with the len octets at buf: path + ".tmp" is
 * made in the same directory (so the rename is atomic; never through a
 * symbolic link), given mode (also when a crash left one with another),
 * written whole, fsync()ed and closed, renamed over path, and the
 * directory fsync()ed so the rename survives a power cut.  After a failure
 * or a crash at any point path holds the old contents or the new ones,
 * complete; a failure before the rename removes the temporary file.
 *
 * Returns 0, EINVAL (no path, or buf NULL with len), ENAMETOOLONG, ENOMEM
 * or the errno value of the step that failed (ENOSPC, EACCES, EROFS, EIO,
 * ...), or the hook's error.  *renamedp (NULL: not wanted) says whether
 * path names the new contents, true also when only the directory's fsync
 * failed.  hook: NULL, or called after each step (tests).
 */
int atomicfile_write(const char *path, const void *buf, size_t len, mode_t mode,
		     const struct atomicfile_hook *hook, bool *renamedp);

#endif
