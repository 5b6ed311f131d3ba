/* bench_savedloc: fingerprint lookup among 1,000 saved locations. */

/*
 * Prints one JSON line: the time of one savedloc_lookup in a store of
 * LOCATIONS locations, and of one strcmp of two equal fingerprints measured
 * in the same run, and their ratio.  A lookup should cost a few string
 * compares (one hash, one short bucket), not a scan of the store.
 */

#include <re.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "civic.h"
#include "savedloc.h"

enum {
	LOCATIONS = 1000,
	FP_LEN = 64, /* a SHA-256 in hex, as network fingerprints are */
	ROUNDS = 1000000,
	REPEATS = 5,
};

static char fps[LOCATIONS][FP_LEN + 1];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Deterministic pseudo-random fingerprints (xorshift64). */
static void make_fingerprints(void)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t i, j;

	for (i = 0; i < LOCATIONS; i++) {
		for (j = 0; j < FP_LEN; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			fps[i][j] = hex[x & 0xf];
		}
		fps[i][FP_LEN] = '\0';
	}
}

static int fill(struct savedloc *s)
{
	struct civic c;
	char name[32];
	size_t i;
	int err;

	memset(&c, 0, sizeof(c));
	err = civic_set_str(&c, CIVIC_COUNTRY, "US");
	for (i = 0; i < LOCATIONS && !err; i++) {
		const char *fpv[1] = {fps[i]};

		re_snprintf(name, sizeof(name), "Place %zu", i);
		err = savedloc_put(s, name, &c, NULL, fpv, 1);
	}

	civic_reset(&c);
	return err;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double median(double *v)
{
	qsort(v, REPEATS, sizeof(*v), cmp_double);
	return v[REPEATS / 2];
}

int main(void)
{
	char a[FP_LEN + 1], b[FP_LEN + 1];
	const char *volatile pa = a, *volatile pb = b;
	struct savedloc *s = NULL;
	uintptr_t sink = 0;
	double t0, lookup_ns, strcmp_ns, lookup[REPEATS], cmp[REPEATS];
	size_t i, r;
	int err;

	make_fingerprints();
	err = savedloc_alloc(&s);
	if (!err)
		err = fill(s);
	if (err) {
		fprintf(stderr, "bench_savedloc: cannot fill the store (%d)\n",
			err);
		return 1;
	}

	/* every fingerprint finds its own location before anything is timed */
	for (i = 0; i < LOCATIONS; i++) {
		const struct savedloc_entry *e = savedloc_lookup(s, fps[i]);
		char name[32];

		re_snprintf(name, sizeof(name), "Place %zu", i);
		if (!e || strcmp(e->name, name)) {
			fprintf(stderr, "bench_savedloc: lookup %zu wrong\n",
				i);
			return 1;
		}
	}

	/* interleaved repetitions, so both see the same machine; medians */
	memcpy(a, fps[0], sizeof(a));
	memcpy(b, fps[0], sizeof(b));
	for (r = 0; r < REPEATS; r++) {
		t0 = now_ns();
		for (i = 0; i < ROUNDS; i++)
			sink += (uintptr_t)savedloc_lookup(
				s, fps[(i * 7919) % LOCATIONS]);
		lookup[r] = (now_ns() - t0) / ROUNDS;

		/* equal fingerprints in separate buffers: a full compare */
		t0 = now_ns();
		for (i = 0; i < ROUNDS; i++)
			sink += (uintptr_t)(strcmp(pa, pb) == 0);
		cmp[r] = (now_ns() - t0) / ROUNDS;
	}
	lookup_ns = median(lookup);
	strcmp_ns = median(cmp);

	printf("{\"bench\":\"savedloc-lookup\",\"locations\":%d,"
	       "\"rounds\":%d,\"repeats\":%d,\"lookup_ns\":%.2f,\"strcmp_ns\":%"
	       ".2f,"
	       "\"ratio\":%.2f,\"sink\":%lu}\n",
	       LOCATIONS, ROUNDS, REPEATS, lookup_ns, strcmp_ns,
	       strcmp_ns > 0 ? lookup_ns / strcmp_ns : 0.0,
	       (unsigned long)(sink & 1));

	mem_deref(s);
	return 0;
}
