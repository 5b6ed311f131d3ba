/* e911_call: an emergency call's attempts, carried out, and its events.
 * What to try next is decided in client/core/emergency_attempt.c. */

#include <re.h>
#include <string.h>
#include <time.h>
#include "baresip-abi.h"
#include "bus.h"
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"
#include "sipbody.h"
#include "siptransport.h"
#include "e911.h"

/* baresip's reason when the person (or a module) hung up (ua_hangup). */
#define LOCAL_HANGUP "Connection reset by user"

static void e911_call_destructor(void *arg)
{
	struct e911_call *ec = arg;

	tmr_cancel(&ec->tmr_failover);
	tmr_cancel(&ec->tmr_sent);
	tmr_cancel(&ec->tmr_retry);
	e911_invite_release(ec);
	list_unlink(&ec->le);
	mem_deref(ec->pidf);
	mem_deref(ec->loc_uri);
	mem_deref(ec->place);
	mem_deref(ec->hdrs);
	mem_deref(ec->part_hdrs);
	mem_deref(ec->hdrl);
	mem_deref(ec->why_retry);
	mem_deref(ec->history);
}

int e911_call_alloc(struct e911_call **ecp, struct e911 *m, struct ua *ua,
		    const struct dial_result *d)
{
	struct e911_call *ec;

	if (!ecp || !m || !ua || !d)
		return EINVAL;

	ec = m->spare ? m->spare
		      : mem_zalloc(sizeof(*ec), e911_call_destructor);
	m->spare = NULL;
	if (!ec)
		return ENOMEM;

	ec->m = m;
	ec->ua = ua;
	ec->dial = *d;
	tmr_init(&ec->tmr_failover);
	tmr_init(&ec->tmr_sent);
	tmr_init(&ec->tmr_retry);

	*ecp = ec;
	return 0;
}

struct e911_call *e911_call_find(const struct e911 *m, const struct call *call)
{
	struct le *le;

	LIST_FOREACH(&m->calls, le)
	{
		struct e911_call *ec = le->data;

		if (call && ec->call == call)
			return ec;
	}

	return NULL;
}

/* The attempt's call, and its Call-ID for the events after it ends. */
static void call_set(struct e911_call *ec, struct call *call)
{
	ec->call = call;
	str_ncpy(ec->call_id, call_id(call) ? call_id(call) : "",
		 sizeof(ec->call_id));
}

static void emit(const char *name, struct e911_call *ec, const char *reason,
		 const char *outcome)
{
	struct odict *od = NULL;
	int err;

	/* baresip names the call only once its INVITE is out */
	if (ec->call)
		call_set(ec, ec->call);

	if (odict_alloc(&od, 32))
		return;

	/* started and failover say what this attempt sent */
	if (!outcome)
		err = e911_invite_encode(od, ec);
	else
		err = odict_entry_add(od, "id", ODICT_INT, (int64_t)ec->id);
	if (!err && outcome)
		err = odict_entry_add(od, "outcome", ODICT_STRING, outcome);
	if (!err)
		err = odict_entry_add(od, "call", ODICT_STRING, ec->call_id);
	if (!err)
		err = odict_entry_add(od, "attempts", ODICT_INT,
				      (int64_t)ec->att.attempts);
	if (!err && !outcome && ec->att.attempts > 1)
		err = odict_entry_add(od, "step", ODICT_STRING,
				      emergency_attempt_step_name(ec->step));
	if (!err && reason)
		err = odict_entry_add(od, "reason", ODICT_STRING, reason);
	if (!err)
		bus_event_emit(name, od);
	else
		warning("e911: cannot encode %s: %m\n", name, err);

	mem_deref(od);
}

/* The end of an emergency call; ec is freed. */
static void call_end(struct e911_call *ec, const char *outcome,
		     const char *reason)
{
	if (!str_cmp(outcome, "failed"))
		warning("e911: *** emergency call %u to %s FAILED: %s ***\n",
			ec->id, ec->dial.number, reason);
	else
		info("e911: emergency call %u %s (%s)\n", ec->id, outcome,
		     reason ? reason : "");

	emit("emergency.ended", ec, reason, outcome);
	ec->m->last_ended = time(NULL);
	mem_deref(ec);
}

/* Routes the call may take: the secondary only where the policy has one. */
static unsigned routes_count(const struct e911_call *ec)
{
	struct emergency_target t;

	return emergency_target_plan(&t, &ec->m->policy, 1, &ec->dial) ? 1 : 2;
}

static const char *route_name(unsigned route)
{
	return route ? "secondary" : "primary";
}

/* The state machine for call ec, from what it can send.  A route pinned
 * to UDP takes the location by reference when by value would not fit
 * (RFC 3261 §18.1.1: over 1300 bytes it would leave as IP fragments). */
static void attempts_init(struct e911_call *ec)
{
	unsigned r;

	emergency_attempt_init(&ec->att, routes_count(ec), ec->pidf != NULL,
			       ec->loc_uri != NULL);

	for (r = 0; r < ec->att.routec; r++) {
		struct emergency_target t;

		if (emergency_target_plan(&t, &ec->m->policy, r, &ec->dial) ||
		    !e911_route_pins_udp(ec->ua, &t))
			continue;
		ec->target = t;
		if (e911_by_value_fits_udp(ec) || !ec->loc_uri)
			continue;
		info("e911: call %u: the %s route pins UDP and the PIDF-LO "
		     "by value does not fit in 1300 bytes: by reference\n",
		     ec->id, route_name(r));
		emergency_attempt_route_limit(&ec->att, r,
					      EMERGENCY_LOCATION_BY_REFERENCE);
	}
	memset(&ec->target, 0, sizeof(ec->target));
}

static void failover_timeout(void *arg);
static void sent_handler(void *arg);
static void retry_handler(void *arg);

static void timer_apply(struct e911_call *ec, enum emergency_attempt_timer t)
{
	switch (t) {
	case EMERGENCY_TIMER_START:
		tmr_start(&ec->tmr_failover, ec->m->policy.failover_timeout_ms,
			  failover_timeout, ec);
		break;
	case EMERGENCY_TIMER_STOP:
		tmr_cancel(&ec->tmr_failover);
		break;
	default:
		break;
	}
}

/* From-identity: the ELIN where the policy says so (issue 5 item 4). */
static const char *from_uri(const struct e911_call *ec, char *buf, size_t sz)
{
	const struct e911 *m = ec->m;

	if (m->policy.elin_identity != POLICY_ELIN_FROM || !m->loc.elin)
		return NULL;
	if (emergency_elin_uri_make(buf, sz, m->loc.elin, ua_aor(ec->ua)))
		return NULL;

	return buf;
}

/* Send the attempt ec->route / ec->conveyance asks for. */
static int attempt_place(struct e911_call *ec)
{
	char from[EMERGENCY_URI_MAX];
	struct call *call = NULL;
	int err;

	err = emergency_target_plan(&ec->target, &ec->m->policy, ec->route,
				    &ec->dial);
	if (err == EINVAL && ec->route == 0) {
		/* a route that cannot be sent must not stop the call */
		warning("e911: call %u: emergency_route cannot be used; "
			"dialling %s through the account\n",
			ec->id, ec->dial.number);
		memset(&ec->target, 0, sizeof(ec->target));
		ec->target.kind = EMERGENCY_ROUTE_ACCOUNT;
		str_ncpy(ec->target.dial_uri, ec->dial.number,
			 sizeof(ec->target.dial_uri));
		err = 0;
	}
	if (err)
		return err;

	/* the INVITE is armed and sent inside ua_connect (LOCAL_SDP) */
	ec->m->placing = ec;
	err = ua_connect(ec->ua, &call, from_uri(ec, from, sizeof(from)),
			 ec->target.dial_uri, VIDMODE_OFF);
	ec->m->placing = NULL;
	if (err) {
		warning("e911: call %u: %s route %s: %m\n", ec->id,
			route_name(ec->route), ec->target.dial_uri, err);
		e911_invite_release(ec);
		return err;
	}

	call_set(ec, call);
	/* what went (arming may lower the form) is what this route keeps */
	emergency_attempt_sent(&ec->att, ec->route, ec->conveyance);
	/* events and the desk only once the INVITE is on its way */
	tmr_start(&ec->tmr_sent, 0, sent_handler, ec);
	return 0;
}

/* The attempt on ec->route with ec->conveyance was left because of what
 * (printed with fmt): said in the next event and, for a call that fails,
 * in its reason. */
static void attempt_left(struct e911_call *ec, const char *fmt, ...)
{
	char *what = NULL, *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (re_vsdprintf(&what, fmt, ap))
		what = NULL;
	va_end(ap);

	if (re_sdprintf(&s, "%s route, location %s: %s", route_name(ec->route),
			emergency_conveyance_name(ec->conveyance),
			what ? what : "?"))
		s = NULL;
	mem_deref(what);

	mem_deref(ec->why_retry);
	ec->why_retry = s;
	if (!s)
		return;

	if (ec->history) {
		char *h = NULL;

		if (!re_sdprintf(&h, "%s; then: %s", ec->history, s)) {
			mem_deref(ec->history);
			ec->history = h;
		}
	} else {
		ec->history = mem_ref(s);
	}
}

/* Drop the current attempt, if any, without it counting as an answer. */
static void attempt_drop(struct e911_call *ec)
{
	if (!ec->call)
		return;

	ec->hanging_up = true;
	ua_hangup(ec->ua, ec->call, 0, NULL);
	ec->hanging_up = false;
	e911_invite_release(ec);
	ec->call = NULL;
}

/*
 * Carry out what the state machine said.  An attempt made now (the
 * first, from the dial command) is sent at once; later ones from the
 * main loop, outside the callback that reported the previous one.
 * Returns 0 while the call goes on; else the call has ended (ec freed)
 * and the error of its last attempt.
 */
static int act(struct e911_call *ec, struct emergency_attempt_action a,
	       const char *reason, bool now)
{
	int err = 0;

	/* the event of an attempt that went out goes before the next */
	if (a.what != EMERGENCY_DO_NOTHING && tmr_isrunning(&ec->tmr_sent)) {
		tmr_cancel(&ec->tmr_sent);
		sent_handler(ec);
	}

	for (;;) {
		timer_apply(ec, a.timer);

		if (a.what == EMERGENCY_DO_END) {
			bool failed = a.outcome == EMERGENCY_OUTCOME_FAILED ||
				      a.outcome == EMERGENCY_OUTCOME_DECLINED;

			call_end(ec, emergency_outcome_name(a.outcome),
				 failed ? ec->history : reason);
			return err ? err : ECONNABORTED;
		}
		if (a.what != EMERGENCY_DO_SEND)
			return 0;

		/* over UDP again after a refused TCP connection (the same
		 * route: ec->target is still its own), by value only when that
		 * fits: else it would leave as IP fragments, which the hop that
		 * has no TCP may well drop, as the pinned routes do */
		if (a.udp && a.form == EMERGENCY_LOCATION_BY_VALUE &&
		    ec->loc_uri && !e911_by_value_fits_udp(ec)) {
			info("e911: call %u: the PIDF-LO by value does not fit "
			     "in 1300 bytes over UDP: by reference\n",
			     ec->id);
			a.form = EMERGENCY_LOCATION_BY_REFERENCE;
			emergency_attempt_route_limit(&ec->att, a.route,
						      a.form);
		}
		attempt_drop(ec);
		ec->route = a.route;
		ec->conveyance = a.form;
		ec->step = a.step;
		ec->udp_only = a.udp;
		if (a.step != EMERGENCY_STEP_FIRST)
			warning("e911: call %u: %s; trying the %s route, "
				"location %s\n",
				ec->id, ec->why_retry ? ec->why_retry : "",
				route_name(a.route),
				emergency_conveyance_name(a.form));
		if (!now) {
			tmr_start(&ec->tmr_retry, 0, retry_handler, ec);
			return 0;
		}

		err = attempt_place(ec);
		if (!err)
			return 0;

		attempt_left(ec, "%m", err);
		a = emergency_attempt_step(&ec->att, EMERGENCY_EV_SEND_FAILED,
					   0);
	}
}

static void retry_handler(void *arg)
{
	struct e911_call *ec = arg;
	struct emergency_attempt_action a;
	int err = attempt_place(ec);

	if (!err)
		return;

	attempt_left(ec, "%m", err);
	a = emergency_attempt_step(&ec->att, EMERGENCY_EV_SEND_FAILED, 0);
	(void)act(ec, a, NULL, true);
}

static void failover_timeout(void *arg)
{
	struct e911_call *ec = arg;
	unsigned ms = ec->m->policy.failover_timeout_ms;
	struct emergency_attempt_action a;

	a = emergency_attempt_step(&ec->att, EMERGENCY_EV_TIMEOUT, 0);
	if (a.what == EMERGENCY_DO_NOTHING)
		return;

	attempt_left(ec, "no provisional answer within %u ms", ms);
	tmr_cancel(&ec->tmr_retry); /* a downgraded retry not yet sent */
	(void)act(ec, a, NULL, false);
}

static void sent_handler(void *arg)
{
	struct e911_call *ec = arg;

	if (ec->att.attempts > 1) {
		emit("emergency.failover", ec, ec->why_retry, NULL);
		return;
	}

	info("e911: emergency call %u to %s (dialled %s) sent to %s, "
	     "location %s\n",
	     ec->id, ec->dial.number, ec->dial.dialled, ec->req_uri,
	     emergency_conveyance_name(ec->conveyance));
	emit("emergency.started", ec, NULL, NULL);
	e911_hold_others(ec);
	e911_notify_desk(ec);
}

static struct e911_call *call_new(struct e911 *m, struct ua *ua,
				  const struct dial_result *d,
				  enum e911_path path)
{
	struct e911_call *ec = NULL;

	if (e911_call_alloc(&ec, m, ua, d))
		return NULL;

	ec->id = ++m->next_id;
	ec->path = path;
	list_append(&m->calls, &ec->le, ec);

	/* never block: without a PIDF-LO the call still goes out */
	(void)e911_invite_prepare(ec);
	attempts_init(ec);
	return ec;
}

int e911_call_dial(struct e911 *m, struct ua *ua, const struct dial_result *d,
		   struct e911_call **ecp)
{
	struct e911_call *ec;
	int err;

	ec = call_new(m, ua, d, E911_PATH_DIAL);
	if (!ec)
		return ENOMEM;

	err = act(ec, emergency_attempt_step(&ec->att, EMERGENCY_EV_DIAL, 0),
		  NULL, true);
	/* the INVITE has left: the next call's struct now */
	e911_call_spare(m);
	if (err)
		return err;

	*ecp = ec;
	return 0;
}

/* Allocate the struct the next emergency call takes (losing it only
 * costs that call a malloc). */
void e911_call_spare(struct e911 *m)
{
	if (!m->spare)
		m->spare = mem_zalloc(sizeof(*m->spare), e911_call_destructor);
}

static void attempt_armed(struct e911_call *ec, struct call *call)
{
	if (e911_invite_arm(ec, call))
		warning("e911: call %u: INVITE sent without the emergency "
			"headers\n",
			ec->id);
}

/* An outgoing INVITE is about to leave (baresip's LOCAL_SDP "offer"). */
static void local_offer(struct e911 *m, struct call *call)
{
	struct e911_call *ec = m->placing;
	struct emergency_attempt_action a;
	struct dial_result d;

	if (!ec)
		ec = e911_call_find(m, call); /* sent late (media NAT) */
	if (ec) {
		call_set(ec, call);
		attempt_armed(ec, call);
		return;
	}

	/* placed another way (baresip's /dial): recognised here, unless
	 * e911_enabled no leaves emergency numbers to the ordinary path */
	if (!m->policy.e911_enabled ||
	    dialplan_classify(&m->policy, call_peeruri(call), &d) ||
	    d.cls == DIAL_ORDINARY)
		return;

	ec = call_new(m, call_get_ua(call), &d, E911_PATH_OTHER);
	if (!ec)
		return;

	call_set(ec, call);
	if (emergency_target_plan(&ec->target, &m->policy, 0, &d))
		memset(&ec->target, 0, sizeof(ec->target));

	/* baresip sends this first attempt itself: only its form is ours */
	a = emergency_attempt_step(&ec->att, EMERGENCY_EV_DIAL, 0);
	timer_apply(ec, a.timer);
	ec->route = a.route;
	ec->conveyance = a.form;
	attempt_armed(ec, call);
	emergency_attempt_sent(&ec->att, ec->route, ec->conveyance);
	tmr_start(&ec->tmr_sent, 0, sent_handler, ec);
}

/* The attempt went over TCP only for its size (libsipbody's choice,
 * made again here from the same estimate): by value, too large for UDP,
 * to a hop that does not pin a transport. */
static bool went_over_tcp(const struct e911_call *ec)
{
	const char *hop = e911_route_hop(ec->ua, &ec->target);

	return ec->hooked && !ec->udp_only &&
	       !siptransport_loopback(hop ? hop : ec->req_uri) &&
	       ec->conveyance == EMERGENCY_LOCATION_BY_VALUE &&
	       !e911_by_value_fits_udp(ec) &&
	       !e911_route_pins_udp(ec->ua, &ec->target);
}

static void call_closed(struct e911 *m, struct call *call, const char *prm)
{
	struct e911_call *ec = e911_call_find(m, call);
	uint16_t scode = call_scode(call);
	struct emergency_attempt_action a;
	enum emergency_attempt_event ev;

	if (!ec)
		return;

	e911_invite_release(ec);
	ec->call = NULL;
	if (ec->hanging_up)
		return;

	if (!str_cmp(prm, LOCAL_HANGUP))
		ev = EMERGENCY_EV_HANGUP;
	else if (scode)
		ev = EMERGENCY_EV_FINAL;
	else if (went_over_tcp(ec))
		ev = EMERGENCY_EV_STREAM_REFUSED; /* RFC 3261 §18.1.1 */
	else
		ev = EMERGENCY_EV_TRANSPORT; /* no answer: prm says why */

	a = emergency_attempt_step(&ec->att, ev, scode);
	if (a.what == EMERGENCY_DO_SEND ||
	    a.outcome == EMERGENCY_OUTCOME_FAILED ||
	    a.outcome == EMERGENCY_OUTCOME_DECLINED)
		attempt_left(ec, "%s", prm);
	(void)act(ec, a, prm, false);
}

static void callback_flag(struct e911 *m, struct call *call)
{
	struct odict *od = NULL;

	if (!e911_callback_window_open(m) || odict_alloc(&od, 4))
		return;

	info("e911: incoming call from %s inside the callback window: "
	     "possible PSAP callback\n",
	     call_peeruri(call));
	if (!odict_entry_add(od, "call", ODICT_STRING,
			     call_id(call) ? call_id(call) : "") &&
	    !odict_entry_add(od, "peer", ODICT_STRING, call_peeruri(call)) &&
	    !odict_entry_add(od, "window_minutes", ODICT_INT,
			     (int64_t)m->policy.callback_window))
		bus_event_emit("emergency.callback", od);
	mem_deref(od);
}

void e911_call_ua_event(struct e911 *m, struct ua *ua, enum ua_event ev,
			struct call *call, const char *prm)
{
	struct e911_call *ec;
	(void)ua;

	switch (ev) {
	case UA_EVENT_CALL_LOCAL_SDP:
		if (!str_cmp(prm, "offer") && call_is_outgoing(call))
			local_offer(m, call);
		break;
	case UA_EVENT_CALL_RINGING:
	case UA_EVENT_CALL_PROGRESS:
	case UA_EVENT_CALL_ESTABLISHED:
		ec = e911_call_find(m, call);
		if (!ec)
			break;
		/* a provisional answer: the route works, no failover */
		(void)act(ec,
			  emergency_attempt_step(
				  &ec->att,
				  ev == UA_EVENT_CALL_ESTABLISHED
					  ? EMERGENCY_EV_ESTABLISHED
					  : EMERGENCY_EV_PROVISIONAL,
				  0),
			  NULL, false);
		break;
	case UA_EVENT_CALL_CLOSED:
		call_closed(m, call, prm);
		break;
	case UA_EVENT_CALL_INCOMING:
		callback_flag(m, call);
		break;
	default:
		break;
	}
}

/*
 * An ICMP port or host unreachable for the current attempt's next hop
 * (libsipbody's probe): libre would go on retransmitting until timer B
 * (32 s); the attempt has failed now, as a transport error.
 */
void e911_call_unreachable(struct e911_call *ec, int err)
{
	struct emergency_attempt_action a;

	if (!ec->call)
		return;

	warning("e911: call %u: the next hop is unreachable (%m)\n", ec->id,
		err);
	a = emergency_attempt_step(&ec->att, EMERGENCY_EV_TRANSPORT, 0);
	if (a.what == EMERGENCY_DO_NOTHING)
		return;

	attempt_left(ec, "unreachable: %m (ICMP)", err);
	attempt_drop(ec);
	(void)act(ec, a, NULL, false);
}

void e911_call_flush(struct e911 *m)
{
	list_flush(&m->calls);
	m->placing = NULL;
}
