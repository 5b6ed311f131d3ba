/* timebound: the one rule for wall-clock bounds in the C tests.  A bound
 * that holds on an idle developer machine is multiplied by the build's
 * factor (LOCPHONE_SANITIZE, which meson sets from b_sanitize; valgrind,
 * seen in LD_PRELOAD) and the machine's (LOCPHONE_TIME_FACTOR, default 1),
 * as lphelp.TIME_FACTOR does for the Python tests.  A failed bound says the
 * figure.  LOCPHONE_PLANT_SLEEP_MS plants a sleep where a test calls
 * timebound_plant(), to show that a slow run fails with its figure instead
 * of running into meson's time-out.  Include after <cmocka.h>. */

#ifndef LOCPHONE_TIMEBOUND_H
#define LOCPHONE_TIMEBOUND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double timebound_factor(void)
{
	const char *san = getenv("LOCPHONE_SANITIZE");
	const char *pre = getenv("LD_PRELOAD");
	const char *machine = getenv("LOCPHONE_TIME_FACTOR");
	double build = 1.0, m = 1.0;

	if (san && (strstr(san, "address") || strstr(san, "memory")))
		build = 3.0;
	else if (san && strstr(san, "thread"))
		build = 5.0;
	else if (san && strstr(san, "undefined"))
		build = 1.5;
	if (pre && strstr(pre, "vgpreload"))
		build *= 20.0;
	if (machine && *machine) {
		char *end;

		m = strtod(machine, &end);
		if (*end || !(m > 0)) {
			fprintf(stderr,
				"LOCPHONE_TIME_FACTOR is not a number: %s\n",
				machine);
			abort();
		}
		if (m < 1.0)
			m = 1.0;
	}
	return build * m;
}

/* ms for this build and machine */
static inline uint64_t timebound_ms(uint64_t ms)
{
	return (uint64_t)((double)ms * timebound_factor() + 0.5);
}

/* the planted slow-down, if LOCPHONE_PLANT_SLEEP_MS asks for one: once
 * per test program, at the first measured step (a sleep at every step,
 * e.g. every tick of an event loop, would run into meson's time-out) */
static inline void timebound_plant(void)
{
	static bool planted;
	const char *v = getenv("LOCPHONE_PLANT_SLEEP_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	struct timespec ts;

	if (ms <= 0 || planted)
		return;
	planted = true;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts))
		;
}

/* seconds on the monotonic clock */
static inline double timebound_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void timebound_check(uint64_t measured_ms, uint64_t bound_ms,
				   const char *what, const char *file, int line)
{
	const uint64_t scaled = timebound_ms(bound_ms);

	if (measured_ms <= scaled)
		return;
	print_error("%s: %llu ms, bound %llu ms (%llu ms x time factor %g; "
		    "LOCPHONE_TIME_FACTOR for a slow machine)\n",
		    what, (unsigned long long)measured_ms,
		    (unsigned long long)scaled, (unsigned long long)bound_ms,
		    timebound_factor());
	_fail(file, line);
}

/* Fails the test unless measured_ms <= bound_ms scaled, with the figures. */
#define assert_time_within(measured_ms, bound_ms, what)                        \
	timebound_check((measured_ms), (bound_ms), (what), __FILE__, __LINE__)

/* A floor set by a timer (never scaled: a timer does not fire early). */
#define assert_time_at_least(measured_ms, floor_ms, what)                      \
	do {                                                                   \
		if ((uint64_t)(measured_ms) < (uint64_t)(floor_ms)) {          \
			print_error("%s: %llu ms, earlier than %llu ms\n",     \
				    (what), (unsigned long long)(measured_ms), \
				    (unsigned long long)(floor_ms));           \
			_fail(__FILE__, __LINE__);                             \
		}                                                              \
	} while (0)

#endif
