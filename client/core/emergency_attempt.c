/* emergency_attempt: an emergency call's attempts as a pure state machine. */

#include <string.h>
#include "emergency_attempt.h"

static enum emergency_conveyance best_form(const struct emergency_attempt *a)
{
	if (a->by_value)
		return EMERGENCY_LOCATION_BY_VALUE;
	if (a->by_reference)
		return EMERGENCY_LOCATION_BY_REFERENCE;

	return EMERGENCY_LOCATION_NONE;
}

void emergency_attempt_init(struct emergency_attempt *a, unsigned routec,
			    bool by_value, bool by_reference)
{
	unsigned i;

	if (!a)
		return;

	memset(a, 0, sizeof(*a));
	a->routec = routec ? routec : 1;
	if (a->routec > EMERGENCY_ATTEMPT_ROUTES)
		a->routec = EMERGENCY_ATTEMPT_ROUTES;
	a->by_value = by_value;
	a->by_reference = by_reference;
	for (i = 0; i < EMERGENCY_ATTEMPT_ROUTES; i++)
		a->form[i] = best_form(a);
}

/* Answers that say the route cannot take the call, whatever it carries. */
static bool route_refused(uint16_t scode)
{
	switch (scode) {
	case 401: /* a challenge that ended the call: the identity refused */
	case 407:
	case 408: /* Request Timeout */
	case 503: /* Service Unavailable: RFC 3261 §21.5.4, try elsewhere */
	case 600: /* Busy Everywhere */
		return true;
	default:
		return scode < 300;
	}
}

/* The form after route refused `form`: by reference if a URI exists. */
static enum emergency_conveyance lower_form(const struct emergency_attempt *a,
					    enum emergency_conveyance form)
{
	if (form == EMERGENCY_LOCATION_BY_VALUE && a->by_reference)
		return EMERGENCY_LOCATION_BY_REFERENCE;

	return EMERGENCY_LOCATION_NONE;
}

static bool timer_needed(const struct emergency_attempt *a, unsigned route)
{
	return route + 1 < a->routec;
}

static struct emergency_attempt_action end(struct emergency_attempt *a,
					   enum emergency_outcome outcome)
{
	struct emergency_attempt_action act;

	memset(&act, 0, sizeof(act));
	a->state = EMERGENCY_ATTEMPT_OVER;
	act.what = EMERGENCY_DO_END;
	act.outcome = outcome;
	act.timer = EMERGENCY_TIMER_STOP;
	return act;
}

static struct emergency_attempt_action send_on(struct emergency_attempt *a,
					       unsigned route,
					       enum emergency_attempt_step step)
{
	struct emergency_attempt_action act;
	bool new_route = step == EMERGENCY_STEP_FIRST ||
			 step == EMERGENCY_STEP_NEXT_ROUTE;
	/* a retry on the same route keeps the route's failover bound */

	memset(&act, 0, sizeof(act));
	if (!timer_needed(a, route))
		act.timer = EMERGENCY_TIMER_STOP;
	else if (new_route || a->heard)
		act.timer = EMERGENCY_TIMER_START;
	else
		act.timer = EMERGENCY_TIMER_KEEP;

	if (new_route || a->heard)
		a->heard = false;
	a->route = route;
	a->state = EMERGENCY_ATTEMPT_CALLING;
	act.what = EMERGENCY_DO_SEND;
	act.route = route;
	act.form = a->form[route];
	act.step = step;
	act.udp = a->udp[route];
	return act;
}

/* The current route is done with: the next one, else the end. */
static struct emergency_attempt_action next_route(struct emergency_attempt *a)
{
	if (a->route + 1 < a->routec)
		return send_on(a, a->route + 1, EMERGENCY_STEP_NEXT_ROUTE);

	return end(a, EMERGENCY_OUTCOME_FAILED);
}

/* The current attempt ended without the call. */
static struct emergency_attempt_action refused(struct emergency_attempt *a,
					       uint16_t scode)
{
	enum emergency_conveyance form = a->form[a->route];

	if (scode == 603)
		return end(a, EMERGENCY_OUTCOME_DECLINED);
	if (route_refused(scode) || form == EMERGENCY_LOCATION_NONE)
		return next_route(a);

	a->form[a->route] = lower_form(a, form);
	return send_on(a, a->route,
		       a->form[a->route] == EMERGENCY_LOCATION_BY_REFERENCE
			       ? EMERGENCY_STEP_BY_REFERENCE
			       : EMERGENCY_STEP_NO_LOCATION);
}

struct emergency_attempt_action
emergency_attempt_step(struct emergency_attempt *a,
		       enum emergency_attempt_event ev, uint16_t scode)
{
	struct emergency_attempt_action none;
	bool live;

	memset(&none, 0, sizeof(none));
	if (!a || a->state == EMERGENCY_ATTEMPT_OVER)
		return none;

	live = a->state == EMERGENCY_ATTEMPT_CALLING ||
	       a->state == EMERGENCY_ATTEMPT_PROCEEDING;

	switch (ev) {
	case EMERGENCY_EV_DIAL:
		if (a->state != EMERGENCY_ATTEMPT_IDLE)
			return none;
		return send_on(a, 0, EMERGENCY_STEP_FIRST);

	case EMERGENCY_EV_SEND_FAILED:
		if (a->state != EMERGENCY_ATTEMPT_CALLING)
			return none;
		return next_route(a);

	case EMERGENCY_EV_PROVISIONAL:
	case EMERGENCY_EV_ESTABLISHED:
		if (!live)
			return none;
		a->heard = true;
		a->state = ev == EMERGENCY_EV_ESTABLISHED
				   ? EMERGENCY_ATTEMPT_ESTABLISHED
				   : EMERGENCY_ATTEMPT_PROCEEDING;
		none.timer = EMERGENCY_TIMER_STOP;
		return none;

	case EMERGENCY_EV_FINAL:
	case EMERGENCY_EV_TRANSPORT:
		if (a->state == EMERGENCY_ATTEMPT_ESTABLISHED)
			return end(a, EMERGENCY_OUTCOME_ENDED);
		if (!live)
			return none;
		return refused(a, ev == EMERGENCY_EV_FINAL ? scode : 0);

	case EMERGENCY_EV_STREAM_REFUSED:
		if (a->state == EMERGENCY_ATTEMPT_ESTABLISHED)
			return end(a, EMERGENCY_OUTCOME_ENDED);
		if (!live)
			return none;
		if (a->udp[a->route])
			return refused(a, 0);
		a->udp[a->route] = true;
		return send_on(a, a->route, EMERGENCY_STEP_OVER_UDP);

	case EMERGENCY_EV_TIMEOUT:
		if (a->state != EMERGENCY_ATTEMPT_CALLING ||
		    !timer_needed(a, a->route))
			return none;
		return next_route(a);

	case EMERGENCY_EV_HANGUP:
		if (a->state == EMERGENCY_ATTEMPT_ESTABLISHED)
			return end(a, EMERGENCY_OUTCOME_ENDED);
		return end(a, EMERGENCY_OUTCOME_CANCELLED);
	}

	return none;
}

/* Rank of a form: higher carries more. */
static int form_rank(enum emergency_conveyance f)
{
	switch (f) {
	case EMERGENCY_LOCATION_BY_VALUE:
		return 2;
	case EMERGENCY_LOCATION_BY_REFERENCE:
		return 1;
	default:
		return 0;
	}
}

void emergency_attempt_route_limit(struct emergency_attempt *a, unsigned route,
				   enum emergency_conveyance form)
{
	if (!a || route >= a->routec)
		return;
	if (form == EMERGENCY_LOCATION_BY_REFERENCE && !a->by_reference)
		return; /* nothing to lower to but none: keep the location */
	if (form_rank(form) < form_rank(a->form[route]))
		a->form[route] = form;
}

void emergency_attempt_sent(struct emergency_attempt *a, unsigned route,
			    enum emergency_conveyance form)
{
	if (!a || route >= a->routec || a->state == EMERGENCY_ATTEMPT_OVER)
		return;

	a->route = route;
	a->state = EMERGENCY_ATTEMPT_CALLING;
	a->attempts++;
	/* a lower form than asked is what this route keeps */
	if (form_rank(form) < form_rank(a->form[route]))
		a->form[route] = form;
}

const char *emergency_conveyance_name(enum emergency_conveyance c)
{
	switch (c) {
	case EMERGENCY_LOCATION_BY_VALUE:
		return "by-value";
	case EMERGENCY_LOCATION_BY_REFERENCE:
		return "by-reference";
	default:
		return "none";
	}
}

const char *emergency_attempt_step_name(enum emergency_attempt_step s)
{
	switch (s) {
	case EMERGENCY_STEP_BY_REFERENCE:
		return "by-reference";
	case EMERGENCY_STEP_NO_LOCATION:
		return "no-location";
	case EMERGENCY_STEP_NEXT_ROUTE:
		return "next-route";
	case EMERGENCY_STEP_OVER_UDP:
		return "over-udp";
	default:
		return "first";
	}
}

const char *emergency_outcome_name(enum emergency_outcome o)
{
	switch (o) {
	case EMERGENCY_OUTCOME_ENDED:
		return "ended";
	case EMERGENCY_OUTCOME_CANCELLED:
		return "cancelled";
	case EMERGENCY_OUTCOME_DECLINED:
		return "declined";
	case EMERGENCY_OUTCOME_FAILED:
		return "failed";
	default:
		return "";
	}
}
