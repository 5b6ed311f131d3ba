/* emergency_attempt: an emergency call's attempts as a pure state machine. */

#ifndef LOCPHONE_EMERGENCY_ATTEMPT_H
#define LOCPHONE_EMERGENCY_ATTEMPT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Which route an emergency call tries next, with which form of location,
 * and when it is over, decided from what happened to the attempt before
 * (design.md §1 step 4, issue 11 item 1).  The e911 module feeds it the
 * answers baresip reports and carries out what it returns; nothing here
 * sends, waits or reads a clock.
 *
 * Rules, in order:
 * - 603 Decline is a person's answer: the call ends there (issue 5).
 * - No answer at all (a transport error, an ICMP unreachable, timer B),
 *   408, 503 and 600 say the route cannot take the call whatever it
 *   carries: the next route, at the form it has not refused, else the
 *   call has failed.  So does a 401/407 that closes the call (libre
 *   answers each challenge itself; one that ends the call is a refused
 *   identity, which no other body mends).
 * - Any other final answer (3xx-6xx) may be the far end failing to read
 *   the INVITE (Debian's baresip answers 500 to a multipart body, others
 *   488, 400, 415; RFC 6442 §4.3 names 424): the same route again with
 *   the location by reference where a URI exists, then without location;
 *   only when it refused even that, the next route.  A route keeps the
 *   form it came down to for the rest of the call.
 * - The failover bound (no provisional answer within failover_timeout_ms)
 *   runs per route, across its downgraded retries: a route that refuses
 *   fast and then goes silent does not hold the next route back longer.
 */

/* How the location travels in one INVITE, best first. */
enum emergency_conveyance {
	EMERGENCY_LOCATION_NONE = 0,
	EMERGENCY_LOCATION_BY_VALUE,	 /* PIDF-LO body part, cid: URL */
	EMERGENCY_LOCATION_BY_REFERENCE, /* the LIS's location URI */
};

/* The routes an emergency call may take: primary and secondary. */
#define EMERGENCY_ATTEMPT_ROUTES 2

enum emergency_attempt_state {
	EMERGENCY_ATTEMPT_IDLE = 0,    /* nothing sent yet */
	EMERGENCY_ATTEMPT_CALLING,     /* an INVITE out, no answer yet */
	EMERGENCY_ATTEMPT_PROCEEDING,  /* a provisional answer came */
	EMERGENCY_ATTEMPT_ESTABLISHED, /* the emergency services answered */
	EMERGENCY_ATTEMPT_OVER,	       /* ended; nothing more happens */
};

enum emergency_attempt_event {
	EMERGENCY_EV_DIAL = 0,	  /* the person dialled: the first attempt */
	EMERGENCY_EV_SEND_FAILED, /* the attempt could not be sent at all */
	EMERGENCY_EV_PROVISIONAL, /* 1xx on the current attempt */
	EMERGENCY_EV_ESTABLISHED, /* 2xx on the current attempt */
	EMERGENCY_EV_FINAL,	  /* the attempt closed with scode >= 300 */
	EMERGENCY_EV_TRANSPORT,	  /* closed without an answer (scode 0) */
	EMERGENCY_EV_TIMEOUT,	  /* the route's failover bound passed */
	/* an INVITE sent over TCP only for its size met a reset or a
	 * refusal: RFC 3261 §18.1.1 says retry it over UDP */
	EMERGENCY_EV_STREAM_REFUSED,
	EMERGENCY_EV_HANGUP, /* the person hung up (or cancelled) */
};

enum emergency_attempt_do {
	EMERGENCY_DO_NOTHING = 0,
	EMERGENCY_DO_SEND, /* drop the current attempt if any, send another */
	EMERGENCY_DO_END,  /* the call is over */
};

/* Why an attempt is made (the `step` of emergency.failover). */
enum emergency_attempt_step {
	EMERGENCY_STEP_FIRST = 0,    /* the call's first attempt */
	EMERGENCY_STEP_BY_REFERENCE, /* same route, location by reference */
	EMERGENCY_STEP_NO_LOCATION,  /* same route, without location */
	EMERGENCY_STEP_NEXT_ROUTE,   /* the next route */
	EMERGENCY_STEP_OVER_UDP,     /* same route and form, over UDP */
};

enum emergency_outcome {
	EMERGENCY_OUTCOME_NONE = 0,
	EMERGENCY_OUTCOME_ENDED,     /* after the PSAP answered */
	EMERGENCY_OUTCOME_CANCELLED, /* by the caller before an answer */
	EMERGENCY_OUTCOME_DECLINED,  /* 603 */
	EMERGENCY_OUTCOME_FAILED,    /* no route took the call */
};

/* What the failover timer does with an action. */
enum emergency_attempt_timer {
	EMERGENCY_TIMER_KEEP = 0, /* leave it as it is */
	EMERGENCY_TIMER_START,	  /* (re)start it for the whole bound */
	EMERGENCY_TIMER_STOP,	  /* cancel it */
};

struct emergency_attempt_action {
	enum emergency_attempt_do what;
	unsigned route;			    /* DO_SEND: 0 primary, 1 ... */
	enum emergency_conveyance form;	    /* DO_SEND */
	enum emergency_attempt_step step;   /* DO_SEND */
	enum emergency_outcome outcome;	    /* DO_END */
	enum emergency_attempt_timer timer; /* always */
	bool udp; /* DO_SEND: over UDP even when too large: no TCP there */
};

/* One emergency call's state; plain data, copied freely. */
struct emergency_attempt {
	enum emergency_attempt_state state;
	unsigned routec;   /* routes that exist, 1..EMERGENCY_ATTEMPT_ROUTES */
	unsigned route;	   /* of the current attempt */
	bool by_value;	   /* a PIDF-LO can be sent as a body part */
	bool by_reference; /* a location URI exists */
	/* the best form each route has not refused */
	enum emergency_conveyance form[EMERGENCY_ATTEMPT_ROUTES];
	bool heard; /* a provisional answer on this route: bound stopped */
	bool udp[EMERGENCY_ATTEMPT_ROUTES]; /* the route refused TCP */
	unsigned attempts;
};

/*
 * Start the state of a call that may take routec routes (1 or 2; more are
 * cut to EMERGENCY_ATTEMPT_ROUTES, 0 counts as 1), with the location
 * by value and/or by reference available.
 */
void emergency_attempt_init(struct emergency_attempt *a, unsigned routec,
			    bool by_value, bool by_reference);

/*
 * Route `route` can carry at most `form` (an UDP-pinned next hop where the
 * PIDF-LO by value does not fit: RFC 3261 §18.1.1): it starts there.
 * Only ever lowers a route's form.
 */
void emergency_attempt_route_limit(struct emergency_attempt *a, unsigned route,
				   enum emergency_conveyance form);

/*
 * Feed one event (scode: the final answer for EMERGENCY_EV_FINAL, else
 * ignored) and get what to do.  An event that does not apply in the
 * current state (a late time-out, anything once over) does nothing.
 */
struct emergency_attempt_action
emergency_attempt_step(struct emergency_attempt *a,
		       enum emergency_attempt_event ev, uint16_t scode);

/*
 * The attempt asked for (or one placed outside, as baresip's own /dial)
 * has gone out on route with form: a form lower than asked (no body hook)
 * is what this route keeps.
 */
void emergency_attempt_sent(struct emergency_attempt *a, unsigned route,
			    enum emergency_conveyance form);

/* "by-value", "by-reference", "none". */
const char *emergency_conveyance_name(enum emergency_conveyance c);

/* "first", "by-reference", "no-location", "next-route", "over-udp". */
const char *emergency_attempt_step_name(enum emergency_attempt_step s);

/* "ended", "cancelled", "declined", "failed"; "" for none. */
const char *emergency_outcome_name(enum emergency_outcome o);

#endif
