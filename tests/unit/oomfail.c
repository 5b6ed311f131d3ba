/* oomfail: see oomfail.h.  Defining malloc in the executable interposes it
 * over every shared library; the real one comes from dlsym(RTLD_NEXT).  */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oomfail.h"

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);

static bool armed;
static bool fired;
static void *fired_by; /* the return address of the failed call */
static size_t fail_at;
static size_t counted;

/* dlsym may allocate before the next calloc is known: a small static
 * arena serves that, and free() must never see it (it is not freed). */
static unsigned char boot[4096] __attribute__((aligned(16)));
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t size)
{
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (size > sizeof(boot) - boot_used)
		return NULL;
	p = boot + boot_used;
	boot_used += size;
	return p;
}

static void resolve(void)
{
	if (next_malloc || resolving)
		return;
	resolving = 1;
	next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
	if (!next_malloc || !next_calloc || !next_realloc)
		abort();
}

/* true if this allocation is the one to fail */
static bool failing(void)
{
	if (!armed)
		return false;
	if (++counted != fail_at)
		return false;
	fired = true;
	errno = ENOMEM;
	return true;
}

void *malloc(size_t size)
{
	resolve();
	if (!next_malloc)
		return boot_alloc(size);
	if (failing()) {
		fired_by = __builtin_return_address(0);
		return NULL;
	}
	return next_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	resolve();
	if (!next_calloc) {
		void *p;

		if (size && n > SIZE_MAX / size)
			return NULL;
		p = boot_alloc(n * size);
		if (p)
			memset(p, 0, n * size);
		return p;
	}
	if (failing())
		return NULL;
	return next_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
	resolve();
	if (!next_realloc)
		abort();
	if (failing())
		return NULL;
	return next_realloc(ptr, size);
}

void oomfail_arm(size_t n)
{
	counted = 0;
	fired = false;
	fail_at = n;
	armed = true;
}

bool oomfail_disarm(void)
{
	armed = false;
	return fired;
}

size_t oomfail_count(void)
{
	return counted;
}

/* Resolved here, not in malloc: dladdr may allocate. */
const char *oomfail_fired_in(void)
{
	static char name[64];
	Dl_info info;

	name[0] = '\0';
	if (fired_by && dladdr(fired_by, &info) && info.dli_sname)
		(void)snprintf(name, sizeof(name), "%s", info.dli_sname);
	return name;
}
