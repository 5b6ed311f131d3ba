/* scratchfs: a scratch directory for the unit tests of file writers, and
 * a real full and read-only disk there (a tmpfs of 16 KiB in a private
 * mount namespace, root only). */

#ifndef LOCPHONE_SCRATCHFS_H
#define LOCPHONE_SCRATCHFS_H

#include <stdbool.h>
#include <stddef.h>

/* A new directory "$TMPDIR/locphone-TAG-XXXXXX" (TMPDIR unset or empty:
 * /tmp) into dir; 0 or -1. */
int scratchfs_make(char *dir, size_t size, const char *tag);

/* The files in dir (not below it), then dir itself. */
void scratchfs_remove(const char *dir);

/* Something is there, a dangling link included. */
bool scratchfs_exists(const char *path);

/* In a child process: a private mount namespace and a tmpfs of 16 KiB at
 * dir.  0, 1 (the namespace) or 2 (the mount). */
int scratchfs_tmpfs(const char *dir);

/* Fill the file system of dir with the file "dir/filler", its name into
 * filler.  0 when the kernel said ENOSPC, 4 (the open) or 5 (another
 * error). */
int scratchfs_fill(const char *dir, char *filler, size_t size);

/* Run child(arg) in a forked process and fail the test with the number it
 * returns unless 0; skipped when not root (failed if CI=true). */
void scratchfs_run_as_root(int (*child)(void *arg), void *arg);

#endif
