/* oomfail: a malloc-failure injector for the unit tests.  A test program
 * linked with oomfail.c has its own malloc, calloc and realloc, which the
 * whole process (libre's mem_alloc, libxml2, glibc) calls in its place:
 * armed, they fail exactly the n-th allocation with ENOMEM and pass every
 * other one to the next allocator (glibc, or the sanitizer's, which then
 * still finds leaks).  Debian's libre is a release build, so its own
 * mem_threshold_set() cannot be used (issue 12). */

#ifndef LOCPHONE_OOMFAIL_H
#define LOCPHONE_OOMFAIL_H

#include <stdbool.h>
#include <stddef.h>

/* From now on, count allocations; the n-th (1: the next) fails. */
void oomfail_arm(size_t n);

/* Stop counting; true if the armed failure happened. */
bool oomfail_disarm(void);

/* Allocations counted since the last arm. */
size_t oomfail_count(void);

/* The exported function whose malloc() failed last ("" if unknown). */
const char *oomfail_fired_in(void);

#endif
