/* Unit tests for emergency_attempt: every transition of the call's table. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "emergency_attempt.h"

/* Short names for the table. */
#define DIAL  EMERGENCY_EV_DIAL
#define SENDF EMERGENCY_EV_SEND_FAILED
#define PROV  EMERGENCY_EV_PROVISIONAL
#define EST   EMERGENCY_EV_ESTABLISHED
#define FIN   EMERGENCY_EV_FINAL
#define TRSP  EMERGENCY_EV_TRANSPORT
#define TMO   EMERGENCY_EV_TIMEOUT
#define TCPX  EMERGENCY_EV_STREAM_REFUSED
#define HUP   EMERGENCY_EV_HANGUP
/* not an event: the plugin reports the form it really sent (scode) */
#define SENT_AS 100

#define NOP  EMERGENCY_DO_NOTHING
#define SEND EMERGENCY_DO_SEND
#define END  EMERGENCY_DO_END

#define NONE EMERGENCY_LOCATION_NONE
#define VAL  EMERGENCY_LOCATION_BY_VALUE
#define REF  EMERGENCY_LOCATION_BY_REFERENCE

#define FIRST  EMERGENCY_STEP_FIRST
#define S_REF  EMERGENCY_STEP_BY_REFERENCE
#define S_NONE EMERGENCY_STEP_NO_LOCATION
#define S_NEXT EMERGENCY_STEP_NEXT_ROUTE
#define S_UDP  EMERGENCY_STEP_OVER_UDP
#define S_UDP  EMERGENCY_STEP_OVER_UDP

#define O_NONE	EMERGENCY_OUTCOME_NONE
#define O_ENDED EMERGENCY_OUTCOME_ENDED
#define O_CANC	EMERGENCY_OUTCOME_CANCELLED
#define O_DECL	EMERGENCY_OUTCOME_DECLINED
#define O_FAIL	EMERGENCY_OUTCOME_FAILED

#define T_KEEP	EMERGENCY_TIMER_KEEP
#define T_START EMERGENCY_TIMER_START
#define T_STOP	EMERGENCY_TIMER_STOP

struct step {
	int ev; /* an event, or SENT_AS */
	uint16_t scode;
	enum emergency_attempt_do what;
	unsigned route;
	enum emergency_conveyance form;
	enum emergency_attempt_step why;
	enum emergency_outcome outcome;
	enum emergency_attempt_timer timer;
};

struct row {
	const char *name;
	unsigned routec;
	bool by_value, by_reference;
	struct step steps[10];
	unsigned nsteps;
	unsigned attempts; /* at the end */
};

/* Each row: a call's history; after every DO_SEND the attempt is taken as
 * sent in the asked form, or in the form a SENT_AS step after it gives. */
static const struct row rows[] = {
	/* IDLE */
	{"dial, one route, by value",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP}},
	 1,
	 1},
	{"dial, two routes: the failover bound runs",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START}},
	 1,
	 1},
	{"dial, only a location URI",
	 1,
	 false,
	 true,
	 {{DIAL, 0, SEND, 0, REF, FIRST, O_NONE, T_STOP}},
	 1,
	 1},
	{"dial, no location",
	 1,
	 false,
	 false,
	 {{DIAL, 0, SEND, 0, NONE, FIRST, O_NONE, T_STOP}},
	 1,
	 1},
	{"idle: answers and time-outs before any INVITE do nothing",
	 2,
	 true,
	 true,
	 {{PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {FIN, 500, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TRSP, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {SENDF, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START}},
	 7,
	 1},
	{"idle: hang-up before anything",
	 1,
	 true,
	 true,
	 {{HUP, 0, END, 0, NONE, FIRST, O_CANC, T_STOP}},
	 1,
	 0},

	/* CALLING: the refusals that downgrade (issue 11 item 1) */
	{"500 (Debian's baresip): by reference, then none, then failed",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 500, SEND, 0, REF, S_REF, O_NONE, T_STOP},
	  {FIN, 500, SEND, 0, NONE, S_NONE, O_NONE, T_STOP},
	  {FIN, 500, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 4,
	 3},
	{"488 by value, then established by reference",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 488, SEND, 0, REF, S_REF, O_NONE, T_STOP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {HUP, 0, END, 0, NONE, FIRST, O_ENDED, T_STOP}},
	 5,
	 2},
	{"400 without a location URI: straight to no location",
	 1,
	 true,
	 false,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 400, SEND, 0, NONE, S_NONE, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP}},
	 3,
	 2},
	{"415 then 424 (RFC 6442 §4.3)",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 415, SEND, 0, REF, S_REF, O_NONE, T_STOP},
	  {FIN, 424, SEND, 0, NONE, S_NONE, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP}},
	 4,
	 3},
	{"by reference first: a refusal goes to none",
	 1,
	 false,
	 true,
	 {{DIAL, 0, SEND, 0, REF, FIRST, O_NONE, T_STOP},
	  {FIN, 404, SEND, 0, NONE, S_NONE, O_NONE, T_STOP},
	  {FIN, 404, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 3,
	 2},
	{"no location: any refusal fails a single route",
	 1,
	 false,
	 false,
	 {{DIAL, 0, SEND, 0, NONE, FIRST, O_NONE, T_STOP},
	  {FIN, 500, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 2,
	 1},
	{"3xx and 6xx other than 600/603 downgrade too",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 302, SEND, 0, REF, S_REF, O_NONE, T_STOP},
	  {FIN, 606, SEND, 0, NONE, S_NONE, O_NONE, T_STOP}},
	 3,
	 3},
	{"two routes: the primary downgrades within its bound, then the "
	 "secondary starts by value",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 500, SEND, 0, REF, S_REF, O_NONE, T_KEEP},
	  {FIN, 488, SEND, 0, NONE, S_NONE, O_NONE, T_KEEP},
	  {FIN, 400, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {FIN, 500, SEND, 1, REF, S_REF, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP}},
	 6,
	 5},
	{"the bound passes during a downgraded retry: the secondary",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 500, SEND, 0, REF, S_REF, O_NONE, T_KEEP},
	  {TMO, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP}},
	 4,
	 3},
	{"a provisional answer, then a refusal: the bound starts again",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {FIN, 500, SEND, 0, REF, S_REF, O_NONE, T_START},
	  {FIN, 500, SEND, 0, NONE, S_NONE, O_NONE, T_KEEP}},
	 5,
	 3},

	/* CALLING: the answers that move to the next route at once */
	{"503 fails over by value, the primary tried once",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 503, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP}},
	 3,
	 2},
	{"408 fails over",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 408, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP}},
	 2,
	 2},
	{"600 fails over",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 600, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP}},
	 2,
	 2},
	{"407 that closed the call (credentials refused) fails over",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 407, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {FIN, 401, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 3,
	 2},
	{"transport error (ICMP unreachable): at once to the next route",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {TRSP, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {TRSP, 0, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 3,
	 2},
	{"transport error, no route but the account: failed at once",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {TRSP, 0, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 2,
	 1},
	{"503 on the only route: failed",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 503, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 2,
	 1},
	{"time-out on the primary: the secondary",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {TMO, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP}},
	 4,
	 2},
	{"time-out on the last route: no timer, nothing",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP}},
	 2,
	 1},
	{"the primary cannot be sent: the secondary, then failed",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {SENDF, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {SENDF, 0, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 3,
	 2},

	/* CALLING / PROCEEDING: the person and 603 */
	{"603 ends the call, no failover",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 603, END, 0, NONE, FIRST, O_DECL, T_STOP},
	  {FIN, 500, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP}},
	 4,
	 1},
	{"603 after a downgrade still ends it",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {FIN, 500, SEND, 0, REF, S_REF, O_NONE, T_STOP},
	  {FIN, 603, END, 0, NONE, FIRST, O_DECL, T_STOP}},
	 3,
	 2},
	{"cancel while calling (a second dial changes nothing)",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {DIAL, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {HUP, 0, END, 0, NONE, FIRST, O_CANC, T_STOP}},
	 3,
	 1},
	{"cancel while ringing",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {DIAL, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {HUP, 0, END, 0, NONE, FIRST, O_CANC, T_STOP}},
	 5,
	 1},
	{"ringing, then a transport error: the next route",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {SENDF, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TRSP, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP}},
	 4,
	 2},

	/* ESTABLISHED */
	{"established: the far end's BYE (any close) ends it",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {SENDF, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {DIAL, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {FIN, 500, END, 0, NONE, FIRST, O_ENDED, T_STOP}},
	 8,
	 1},
	{"established: a transport error ends it",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {TRSP, 0, END, 0, NONE, FIRST, O_ENDED, T_STOP}},
	 3,
	 1},

	/* OVER: nothing moves it */
	{"over: every event does nothing",
	 2,
	 true,
	 true,
	 {{HUP, 0, END, 0, NONE, FIRST, O_CANC, T_STOP},
	  {DIAL, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {SENDF, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {FIN, 500, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TRSP, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {TMO, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {HUP, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP}},
	 9,
	 0},

	/* RFC 3261 §18.1.1: TCP refused for a large INVITE, then UDP */
	{"TCP refused: the same form over UDP, once; then the next route",
	 2,
	 true,
	 true,
	 {{TCPX, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {TCPX, 0, SEND, 0, VAL, S_UDP, O_NONE, T_KEEP},
	  {TCPX, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {TCPX, 0, SEND, 1, VAL, S_UDP, O_NONE, T_STOP},
	  {FIN, 500, SEND, 1, REF, S_REF, O_NONE, T_STOP},
	  {PROV, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {TCPX, 0, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 8,
	 5},
	{"established: a TCP refusal ends it as any close does",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {EST, 0, NOP, 0, NONE, FIRST, O_NONE, T_STOP},
	  {TCPX, 0, END, 0, NONE, FIRST, O_ENDED, T_STOP}},
	 3,
	 1},
	{"over: a late TCP refusal does nothing",
	 1,
	 true,
	 true,
	 {{HUP, 0, END, 0, NONE, FIRST, O_CANC, T_STOP},
	  {TCPX, 0, NOP, 0, NONE, FIRST, O_NONE, T_KEEP}},
	 2,
	 0},

	/* what was really sent */
	{"sent by reference for want of the body hook: the route keeps it",
	 1,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_STOP},
	  {SENT_AS, REF, NOP, 0, NONE, FIRST, O_NONE, T_KEEP},
	  {FIN, 500, SEND, 0, NONE, S_NONE, O_NONE, T_STOP}},
	 3,
	 2},
	{"a route that came down to none keeps it; the other does not",
	 2,
	 true,
	 true,
	 {{DIAL, 0, SEND, 0, VAL, FIRST, O_NONE, T_START},
	  {FIN, 500, SEND, 0, REF, S_REF, O_NONE, T_KEEP},
	  {FIN, 500, SEND, 0, NONE, S_NONE, O_NONE, T_KEEP},
	  {TRSP, 0, SEND, 1, VAL, S_NEXT, O_NONE, T_STOP},
	  {FIN, 488, SEND, 1, REF, S_REF, O_NONE, T_STOP},
	  {FIN, 488, SEND, 1, NONE, S_NONE, O_NONE, T_STOP},
	  {FIN, 488, END, 0, NONE, FIRST, O_FAIL, T_STOP}},
	 7,
	 6},
};

static void run_row(const struct row *r)
{
	struct emergency_attempt a;
	unsigned i;

	emergency_attempt_init(&a, r->routec, r->by_value, r->by_reference);

	for (i = 0; i < r->nsteps; i++) {
		const struct step *s = &r->steps[i];
		struct emergency_attempt_action act;

		if (s->ev == SENT_AS)
			continue;

		act = emergency_attempt_step(
			&a, (enum emergency_attempt_event)s->ev, s->scode);
		if (act.what != s->what || act.timer != s->timer ||
		    act.outcome != s->outcome ||
		    (act.what == SEND &&
		     (act.route != s->route || act.form != s->form ||
		      act.step != s->why)))
			fail_msg("%s, step %u: did %d route %u form %s step %s "
				 "outcome %s timer %d; want %d route %u form "
				 "%s step %s outcome %s timer %d",
				 r->name, i + 1, act.what, act.route,
				 emergency_conveyance_name(act.form),
				 emergency_attempt_step_name(act.step),
				 emergency_outcome_name(act.outcome), act.timer,
				 s->what, s->route,
				 emergency_conveyance_name(s->form),
				 emergency_attempt_step_name(s->why),
				 emergency_outcome_name(s->outcome), s->timer);
		if (act.what != SEND)
			continue;
		/* sent as asked, or as the next step says */
		if (i + 1 < r->nsteps && r->steps[i + 1].ev == SENT_AS)
			emergency_attempt_sent(
				&a, act.route,
				(enum emergency_conveyance)r->steps[i + 1]
					.scode);
		else
			emergency_attempt_sent(&a, act.route, act.form);
	}

	if (a.attempts != r->attempts)
		fail_msg("%s: %u attempts, want %u", r->name, a.attempts,
			 r->attempts);
}

static void test_table(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
}

/* Every state meets every event in some row above. */
static void test_every_transition_covered(void **state)
{
	bool seen[EMERGENCY_ATTEMPT_OVER + 1][EMERGENCY_EV_HANGUP + 1];
	size_t i, st, ev;
	(void)state;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct emergency_attempt a;
		unsigned j;

		emergency_attempt_init(&a, r->routec, r->by_value,
				       r->by_reference);
		for (j = 0; j < r->nsteps; j++) {
			const struct step *s = &r->steps[j];
			struct emergency_attempt_action act;

			if (s->ev == SENT_AS)
				continue;
			seen[a.state][s->ev] = true;
			act = emergency_attempt_step(
				&a, (enum emergency_attempt_event)s->ev,
				s->scode);
			if (act.what == SEND)
				emergency_attempt_sent(&a, act.route, act.form);
		}
	}

	for (st = 0; st <= EMERGENCY_ATTEMPT_OVER; st++)
		for (ev = 0; ev <= EMERGENCY_EV_HANGUP; ev++)
			if (!seen[st][ev])
				fail_msg("no row has event %zu in state %zu",
					 ev, st);
}

/* Every final answer 300-699: 603 ends, the route-level ones move on,
 * all others downgrade first. */
static void test_every_final_answer(void **state)
{
	unsigned sc;
	(void)state;

	for (sc = 300; sc < 700; sc++) {
		struct emergency_attempt a;
		struct emergency_attempt_action act;
		bool route = sc == 401 || sc == 407 || sc == 408 || sc == 503 ||
			     sc == 600;

		emergency_attempt_init(&a, 2, true, true);
		act = emergency_attempt_step(&a, DIAL, 0);
		emergency_attempt_sent(&a, act.route, act.form);
		act = emergency_attempt_step(&a, FIN, (uint16_t)sc);
		if (sc == 603) {
			if (act.what != END || act.outcome != O_DECL)
				fail_msg("603: %d", act.what);
		} else if (route) {
			if (act.what != SEND || act.route != 1 ||
			    act.form != VAL)
				fail_msg("%u: not the next route", sc);
		} else if (act.what != SEND || act.route != 0 ||
			   act.form != REF) {
			fail_msg("%u: not retried by reference", sc);
		}
	}
}

static void test_init_and_names(void **state)
{
	struct emergency_attempt a;
	(void)state;

	emergency_attempt_init(&a, 0, false, false);
	assert_int_equal(1, a.routec);
	emergency_attempt_init(&a, 7, false, false);
	assert_int_equal(EMERGENCY_ATTEMPT_ROUTES, a.routec);
	emergency_attempt_init(NULL, 1, true, true);
	assert_int_equal(NOP, emergency_attempt_step(NULL, DIAL, 0).what);
	emergency_attempt_sent(NULL, 0, VAL);
	/* a route that does not exist is not recorded */
	emergency_attempt_init(&a, 1, true, true);
	emergency_attempt_sent(&a, 1, NONE);
	assert_int_equal(0, a.attempts);

	assert_string_equal("by-value", emergency_conveyance_name(VAL));
	assert_string_equal("by-reference", emergency_conveyance_name(REF));
	assert_string_equal("none", emergency_conveyance_name(NONE));
	assert_string_equal("next-route", emergency_attempt_step_name(S_NEXT));
	assert_string_equal("no-location", emergency_attempt_step_name(S_NONE));
	assert_string_equal("by-reference", emergency_attempt_step_name(S_REF));
	assert_string_equal("first", emergency_attempt_step_name(FIRST));
	assert_string_equal("over-udp", emergency_attempt_step_name(S_UDP));
	assert_string_equal("failed", emergency_outcome_name(O_FAIL));
	assert_string_equal("declined", emergency_outcome_name(O_DECL));
	assert_string_equal("cancelled", emergency_outcome_name(O_CANC));
	assert_string_equal("ended", emergency_outcome_name(O_ENDED));
	assert_string_equal("", emergency_outcome_name(O_NONE));
}

/* An UDP-pinned route where by value does not fit starts by reference;
 * the other route keeps by value; nothing raises a form. */
static void test_route_limit(void **state)
{
	struct emergency_attempt a;
	struct emergency_attempt_action act;
	(void)state;

	emergency_attempt_init(&a, 2, true, true);
	emergency_attempt_route_limit(&a, 0, REF);
	emergency_attempt_route_limit(&a, 0, VAL);  /* never raised */
	emergency_attempt_route_limit(&a, 5, NONE); /* no such route */
	act = emergency_attempt_step(&a, DIAL, 0);
	assert_int_equal(REF, act.form);
	emergency_attempt_sent(&a, act.route, act.form);
	act = emergency_attempt_step(&a, FIN, 503);
	assert_int_equal(1, act.route);
	assert_int_equal(VAL, act.form);

	/* without a location URI there is nothing smaller to send */
	emergency_attempt_init(&a, 1, true, false);
	emergency_attempt_route_limit(&a, 0, REF);
	assert_int_equal(VAL, emergency_attempt_step(&a, DIAL, 0).form);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_transition_covered),
		cmocka_unit_test(test_every_final_answer),
		cmocka_unit_test(test_init_and_names),
		cmocka_unit_test(test_route_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
