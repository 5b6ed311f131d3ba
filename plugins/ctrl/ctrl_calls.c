/* ctrl_calls: accounts and calls on the control socket (status, dial, ...). */

#include <re.h>
#include <dlfcn.h>
#include <string.h>
#include "baresip-abi.h"
#include "bus.h"
#include "sipbody.h"
#include "locphone-config.h"
#include "ctrl_calls.h"
#include "ctrl_incall.h"
#include "uritext.h"

#define MAX_TARGET 256

/* Registration state per user agent, kept from the events. */
struct regstate {
	struct le le;
	const struct ua *ua;
	const char *state;
	char *reason;
	unsigned tls_seq; /* libsipbody's TLS refusals already told */
};

static struct list regstates;

/* Do not disturb: incoming calls are turned away, except those that may
 * be the PSAP calling back (e911's callback window). */
static bool dnd;

/* Calls to turn away, by Call-ID, once baresip has finished with them. */
struct reject {
	struct le le;
	struct tmr tmr;
	char *id;
};

static struct list rejects;

/*
 * Stopping (SIGTERM, /quit): baresip un-REGISTERs and waits for every SIP
 * transaction to end, 32 s with a silent registrar, while the phone can
 * place no call and a new engine cannot start.  After STOP_UNREGISTER_MS
 * the SIP stack is closed by force (its exit follows at once); should
 * anything still hold it, the main loop is stopped STOP_LAST_MS later.
 */
#define STOP_UNREGISTER_MS 1000
#define STOP_LAST_MS	   500

static bool stopping;
static struct tmr tmr_stop;

static void regstate_destructor(void *arg)
{
	struct regstate *rs = arg;

	list_unlink(&rs->le);
	mem_deref(rs->reason);
}

static struct regstate *regstate_find(const struct ua *ua)
{
	struct le *le;

	for (le = regstates.head; le; le = le->next) {
		struct regstate *rs = le->data;

		if (rs->ua == ua)
			return rs;
	}

	return NULL;
}

static const char *registration_state(const struct ua *ua)
{
	const struct regstate *rs = regstate_find(ua);

	if (account_regint(ua_account(ua)) == 0)
		return "disabled";
	if (ua_isregistered(ua))
		return "registered";

	return rs ? rs->state : "unregistered";
}

static const char *call_state_name(enum call_state st)
{
	switch (st) {
	case CALL_STATE_IDLE:
		return "idle";
	case CALL_STATE_INCOMING:
		return "incoming";
	case CALL_STATE_OUTGOING:
		return "outgoing";
	case CALL_STATE_RINGING:
		return "ringing";
	case CALL_STATE_EARLY:
		return "early";
	case CALL_STATE_ESTABLISHED:
		return "established";
	case CALL_STATE_TERMINATED:
		return "terminated";
	default:
		return "unknown";
	}
}

/* The e911 module's "emergency" object for an emergency call, so that a
 * client connecting during the call still knows what it is (issue 15
 * item 1); nothing when it is an ordinary call or e911 is not loaded. */
static int emergency_add(struct odict *od, const struct call *call)
{
	struct odict *args = NULL, *res = NULL;
	const struct odict_entry *em;
	const char *errmsg = NULL;
	int err;

	err = odict_alloc(&args, 2);
	if (!err)
		err = odict_alloc(&res, 4);
	if (!err)
		err = odict_entry_add(args, "call", ODICT_STRING,
				      call_id(call) ? call_id(call) : "");
	if (!err && !bus_command_call("e911.call_info", args, res, &errmsg)) {
		em = odict_get_type(res, ODICT_OBJECT, "emergency");
		if (em)
			err = odict_entry_add(od, "emergency", ODICT_OBJECT,
					      em->u.odict);
	}

	mem_deref(args);
	mem_deref(res);
	return err;
}

/* {"id", "peer", "direction", "state", "on_hold", "muted", "duration",
 *  "account", "emergency"} */
static int call_encode(struct odict **odp, const struct call *call)
{
	struct odict *od;
	int err;

	err = odict_alloc(&od, 12);
	if (err)
		return err;

	err = odict_entry_add(od, "id", ODICT_STRING,
			      call_id(call) ? call_id(call) : "");
	if (err)
		goto out;
	err = odict_entry_add(od, "peer", ODICT_STRING,
			      call_peeruri(call) ? call_peeruri(call) : "");
	if (err)
		goto out;
	if (call_peername(call)) {
		err = odict_entry_add(od, "peer_name", ODICT_STRING,
				      call_peername(call));
		if (err)
			goto out;
	}
	err = odict_entry_add(od, "direction", ODICT_STRING,
			      call_is_outgoing(call) ? "outgoing" : "incoming");
	if (err)
		goto out;
	err = odict_entry_add(od, "state", ODICT_STRING,
			      call_state_name(call_state(call)));
	if (err)
		goto out;
	err = odict_entry_add(od, "on_hold", ODICT_BOOL, call_is_onhold(call));
	if (err)
		goto out;
	err = odict_entry_add(od, "muted", ODICT_BOOL,
			      audio_ismuted(call_audio(call)));
	if (err)
		goto out;
	err = odict_entry_add(od, "duration", ODICT_INT,
			      (int64_t)call_duration(call));
	if (err)
		goto out;
	err = odict_entry_add(od, "account", ODICT_STRING,
			      ua_aor(call_get_ua(call)));
	if (err)
		goto out;
	err = emergency_add(od, call);

out:
	if (err)
		mem_deref(od);
	else
		*odp = od;
	return err;
}

int ctrl_call_add(struct odict *od, const char *key, const struct call *call)
{
	struct odict *c = NULL;
	int err;

	err = call_encode(&c, call);
	if (err)
		return err;

	err = odict_entry_add(od, key, ODICT_OBJECT, c);
	mem_deref(c);
	return err;
}

struct call *ctrl_call_lookup(const char *id, struct ua **uap)
{
	struct le *le;

	for (le = list_head(uag_list()); le; le = le->next) {
		struct ua *ua = le->data;
		struct call *call =
			id ? call_find_id(ua_calls(ua), id) : ua_call(ua);

		if (call) {
			*uap = ua;
			return call;
		}
	}

	return NULL;
}

static int cmd_status(const struct odict *args, struct odict *result,
		      const char **errmsg)
{
	struct odict *accounts = NULL;
	unsigned i = 0, ncalls = 0;
	struct le *le;
	int err;
	(void)args;
	(void)errmsg;

	err = odict_entry_add(result, "version", ODICT_STRING,
			      LOCPHONE_VERSION);
	if (!err)
		err = odict_entry_add(result, "state", ODICT_STRING,
				      stopping ? "stopping" : "running");
	if (err)
		return err;

	err = odict_alloc(&accounts, 4);
	if (err)
		return err;

	for (le = list_head(uag_list()); le; le = le->next) {
		const struct ua *ua = le->data;
		const struct regstate *rs = regstate_find(ua);
		struct odict *acc = NULL;
		char key[16];

		ncalls += list_count(ua_calls(ua));

		err = odict_alloc(&acc, 4);
		if (err)
			goto out;
		err = odict_entry_add(acc, "aor", ODICT_STRING, ua_aor(ua));
		if (!err)
			err = odict_entry_add(acc, "registration", ODICT_STRING,
					      registration_state(ua));
		if (!err && rs && rs->reason)
			err = odict_entry_add(acc, "reason", ODICT_STRING,
					      rs->reason);
		(void)re_snprintf(key, sizeof(key), "%u", i++);
		if (!err)
			err = odict_entry_add(accounts, key, ODICT_OBJECT, acc);
		mem_deref(acc);
		if (err)
			goto out;
	}

	err = odict_entry_add(result, "accounts", ODICT_ARRAY, accounts);
	if (err)
		goto out;
	err = odict_entry_add(result, "calls", ODICT_INT, (int64_t)ncalls);
	if (!err)
		err = odict_entry_add(result, "dnd", ODICT_BOOL, dnd);

out:
	mem_deref(accounts);
	return err;
}

static bool number_valid(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		if (!strchr("0123456789+*#", *s))
			return false;
	}

	return n > 0 && n <= 32;
}

static bool uri_valid(const char *s)
{
	return uritext_uri_str_valid(s, MAX_TARGET);
}

static struct ua *ua_choose(const struct odict *args, const char **errmsg)
{
	const struct odict_entry *e =
		odict_get_type(args, ODICT_STRING, "account");
	struct ua *ua;

	if (e) {
		ua = uag_find_aor(e->u.str);
		if (!ua)
			*errmsg = "no such account";
		return ua;
	}

	ua = uag_current();
	if (!ua && list_head(uag_list()))
		ua = list_head(uag_list())->data;
	if (!ua)
		*errmsg = "no account is configured";

	return ua;
}

/*
 * Offer the dial request to the e911 module ("e911.dial").  *callp stays
 * NULL when no module answers (ENOENT without a message) or it says the
 * number is not an emergency one ("handled": false): an ordinary call.
 * Otherwise the call it placed, with its "emergency" object in result.
 */
static int e911_dial(const struct odict *args, struct odict *result,
		     const char **errmsg, struct call **callp)
{
	const struct odict_entry *em;
	struct odict *er = NULL;
	struct ua *ua = NULL;
	bool handled = false;
	int err;

	*callp = NULL;
	err = odict_alloc(&er, 8);
	if (err)
		return err;

	err = bus_command_call("e911.dial", args, er, errmsg);
	if (err == ENOENT && !*errmsg) {
		err = 0;
		goto out;
	}
	if (err)
		goto out;

	(void)odict_get_boolean(er, &handled, "handled");
	if (!handled)
		goto out;

	*callp = ctrl_call_lookup(odict_string(er, "call_id"), &ua);
	if (!*callp) {
		/* placed, then failed at once: e911 has said so in events */
		*errmsg = "the emergency call ended at once; see the "
			  "emergency.ended event";
		err = ECONNABORTED;
		goto out;
	}

	em = odict_get_type(er, ODICT_OBJECT, "emergency");
	if (em)
		err = odict_entry_add(result, "emergency", ODICT_OBJECT,
				      em->u.odict);

out:
	mem_deref(er);
	return err;
}

static int cmd_dial(const struct odict *args, struct odict *result,
		    const char **errmsg)
{
	const struct odict_entry *uri = odict_lookup(args, "uri");
	const struct odict_entry *num = odict_lookup(args, "number");
	const char *target;
	struct call *call = NULL;
	struct ua *ua;
	int err;

	if (!!uri == !!num) {
		*errmsg = "give either \"uri\" or \"number\"";
		return EINVAL;
	}
	if (uri && (uri->type != ODICT_STRING || !uri_valid(uri->u.str))) {
		*errmsg = "\"uri\" must be a SIP or tel URI";
		return EINVAL;
	}
	if (num && (num->type != ODICT_STRING || !number_valid(num->u.str))) {
		*errmsg = "\"number\" must be 1 to 32 of 0-9 + * #";
		return EINVAL;
	}
	target = uri ? uri->u.str : num->u.str;

	/* the accounts are gone; the next engine is moments away */
	if (stopping) {
		*errmsg = "stopping: the engine is shutting down; dial on the "
			  "engine that replaces it";
		return ESHUTDOWN;
	}

	/* emergency numbers are the e911 module's (if it is loaded) */
	err = e911_dial(args, result, errmsg, &call);
	if (err)
		return err;

	if (!call) {
		ua = ua_choose(args, errmsg);
		if (!ua)
			return ENOENT;

		err = ua_connect(ua, &call, NULL, target, VIDMODE_OFF);
		if (err) {
			warning("ctrl: dial %s: %m\n", target, err);
			*errmsg = "the call could not be placed";
			return err;
		}
	}

	err = ctrl_call_add(result, "call", call);
	if (err)
		return err;

	{
		struct odict *ev = NULL;

		if (!odict_alloc(&ev, 4) && !ctrl_call_add(ev, "call", call))
			bus_event_emit("call.outgoing", ev);
		mem_deref(ev);
	}

	return 0;
}

static int cmd_hangup(const struct odict *args, struct odict *result,
		      const char **errmsg)
{
	const char *id = NULL;
	struct call *call;
	struct ua *ua = NULL;
	const struct odict_entry *e = odict_lookup(args, "call");
	int err;

	if (e && e->type != ODICT_STRING) {
		*errmsg = "\"call\" must be a call id";
		return EINVAL;
	}
	id = e ? e->u.str : NULL;

	call = ctrl_call_lookup(id, &ua);
	if (!call) {
		*errmsg = id ? "no such call" : "no call to hang up";
		return ENOENT;
	}

	err = ctrl_call_add(result, "call", call);
	if (err)
		return err;

	ua_hangup(ua, call, 0, NULL);
	return 0;
}

static int cmd_answer(const struct odict *args, struct odict *result,
		      const char **errmsg)
{
	const struct odict_entry *e = odict_lookup(args, "call");
	struct call *call = NULL;
	struct ua *ua = NULL;
	struct le *le;
	int err;

	if (e && e->type != ODICT_STRING) {
		*errmsg = "\"call\" must be a call id";
		return EINVAL;
	}

	if (e) {
		call = ctrl_call_lookup(e->u.str, &ua);
	} else {
		/* the oldest call still ringing in */
		for (le = list_head(uag_list()); le && !call; le = le->next) {
			struct le *cle;

			ua = le->data;
			for (cle = list_head(ua_calls(ua)); cle;
			     cle = cle->next) {
				if (call_state(cle->data) ==
				    CALL_STATE_INCOMING) {
					call = cle->data;
					break;
				}
			}
		}
	}

	if (!call || call_state(call) != CALL_STATE_INCOMING) {
		*errmsg = "no incoming call to answer";
		return ENOENT;
	}

	err = ua_answer(ua, call, VIDMODE_OFF);
	if (err) {
		*errmsg = "the call could not be answered";
		return err;
	}

	return ctrl_call_add(result, "call", call);
}

/* EPERM from the e911 module if the call may not be held or
 * transferred; 0 when it has no objection or is not loaded. */
static int call_check(const char *action, const struct call *call,
		      const char **errmsg)
{
	struct odict *args = NULL, *res = NULL;
	int err;

	err = odict_alloc(&args, 2);
	if (!err)
		err = odict_alloc(&res, 2);
	if (!err)
		err = odict_entry_add(args, "call", ODICT_STRING,
				      call_id(call) ? call_id(call) : "");
	if (!err)
		err = odict_entry_add(args, "action", ODICT_STRING, action);
	if (!err)
		err = bus_command_call("e911.call_check", args, res, errmsg);
	if (err == ENOENT && !*errmsg)
		err = 0;

	mem_deref(args);
	mem_deref(res);
	return err;
}

/* hold / resume: a re-INVITE with the media direction changed. */
static int call_hold_set(const struct odict *args, struct odict *result,
			 const char **errmsg, bool hold)
{
	const struct odict_entry *e = odict_lookup(args, "call");
	struct call *call;
	struct ua *ua = NULL;
	int err;

	if (e && e->type != ODICT_STRING) {
		*errmsg = "\"call\" must be a call id";
		return EINVAL;
	}

	call = ctrl_call_lookup(e ? e->u.str : NULL, &ua);
	if (!call || call_state(call) != CALL_STATE_ESTABLISHED) {
		*errmsg = "no established call";
		return ENOENT;
	}

	/* an emergency call stays with the PSAP (e911 says which) */
	if (hold) {
		err = call_check("hold", call, errmsg);
		if (err)
			return err;
	}

	err = call_hold(call, hold);
	if (err) {
		*errmsg = hold ? "the call could not be put on hold"
			       : "the call could not be resumed";
		return err;
	}

	err = ctrl_call_add(result, "call", call);
	if (!err)
		err = odict_entry_add(result, "on_hold", ODICT_BOOL,
				      call_is_onhold(call));
	return err;
}

static int cmd_hold(const struct odict *args, struct odict *result,
		    const char **errmsg)
{
	return call_hold_set(args, result, errmsg, true);
}

static int cmd_resume(const struct odict *args, struct odict *result,
		      const char **errmsg)
{
	return call_hold_set(args, result, errmsg, false);
}

static int cmd_calls(const struct odict *args, struct odict *result,
		     const char **errmsg)
{
	struct odict *calls = NULL;
	unsigned i = 0;
	struct le *le;
	int err;
	(void)args;
	(void)errmsg;

	err = odict_alloc(&calls, 4);
	if (err)
		return err;

	for (le = list_head(uag_list()); le; le = le->next) {
		struct le *cle;

		for (cle = list_head(ua_calls(le->data)); cle;
		     cle = cle->next) {
			char key[16];

			(void)re_snprintf(key, sizeof(key), "%u", i++);
			err = ctrl_call_add(calls, key, cle->data);
			if (err)
				goto out;
		}
	}

	err = odict_entry_add(result, "calls", ODICT_ARRAY, calls);

out:
	mem_deref(calls);
	return err;
}

static int cmd_dnd(const struct odict *args, struct odict *result,
		   const char **errmsg)
{
	const struct odict_entry *e = odict_get_type(args, ODICT_BOOL, "on");

	if (!e) {
		*errmsg = "\"on\" must be true or false";
		return EINVAL;
	}

	dnd = e->u.boolean;
	return odict_entry_add(result, "dnd", ODICT_BOOL, dnd);
}

static const struct {
	const char *name;
	int (*h)(const struct odict *args, struct odict *result,
		 const char **errmsg);
} commands[] = {
	{"dnd", cmd_dnd},	{"status", cmd_status}, {"dial", cmd_dial},
	{"hangup", cmd_hangup}, {"answer", cmd_answer}, {"calls", cmd_calls},
	{"hold", cmd_hold},	{"resume", cmd_resume},
};

int ctrl_calls_command(const char *cmd, const struct odict *args,
		       struct odict *result, const char **errmsg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (0 == str_cmp(cmd, commands[i].name))
			return commands[i].h(args, result, errmsg);
	}

	return ctrl_incall_command(cmd, args, result, errmsg);
}

/*
 * A registration failed over TLS: libre only says "Protocol error" when
 * the server's certificate was refused (libsipbody checks it); the refusal
 * since the last one told for this account, for its host if there is one,
 * says why.
 */
static const struct sipbody_tls_failure *tls_refusal(struct regstate *rs)
{
	sipbody_tls_failures_h *get = (sipbody_tls_failures_h *)dlsym(
		RTLD_DEFAULT, SIPBODY_SYM_TLS_FAILURES);
	const struct sipbody_tls_failure *fv = NULL, *pick = NULL;
	size_t fc = 0, i;
	unsigned total;

	if (!get)
		return NULL;

	total = get(&fv, &fc);
	for (i = 0; i < fc && fv[i].seq > rs->tls_seq; i++) {
		if (!pick)
			pick = &fv[i];
		if (strstr(ua_aor(rs->ua), fv[i].host)) {
			pick = &fv[i];
			break;
		}
	}
	rs->tls_seq = total;

	return pick;
}

static void registration_event(struct ua *ua, const char *state,
			       const char *reason)
{
	struct regstate *rs = regstate_find(ua);
	const struct sipbody_tls_failure *tls = NULL;
	struct odict *ev = NULL;

	if (!rs) {
		rs = mem_zalloc(sizeof(*rs), regstate_destructor);
		if (!rs)
			return;
		rs->ua = ua;
		list_append(&regstates, &rs->le, rs);
	}

	if (!str_cmp(state, "failed"))
		tls = tls_refusal(rs);

	rs->state = state;
	rs->reason = mem_deref(rs->reason);
	if (tls)
		(void)re_sdprintf(&rs->reason,
				  "%s: TLS: the certificate of %s was refused "
				  "(%s)",
				  str_isset(reason) ? reason : "failed",
				  tls->host, tls->reason);
	else if (str_isset(reason))
		(void)str_dup(&rs->reason, reason);

	if (odict_alloc(&ev, 4))
		return;
	if (!odict_entry_add(ev, "account", ODICT_STRING, ua_aor(ua)) &&
	    !odict_entry_add(ev, "state", ODICT_STRING, state) &&
	    (!rs->reason ||
	     !odict_entry_add(ev, "reason", ODICT_STRING, rs->reason)))
		bus_event_emit("registration", ev);
	mem_deref(ev);
}

static void call_event(const char *name, struct call *call, const char *prm)
{
	struct odict *ev = NULL;

	if (odict_alloc(&ev, 4))
		return;
	if (!ctrl_call_add(ev, "call", call) &&
	    (!str_isset(prm) ||
	     !odict_entry_add(ev, "reason", ODICT_STRING, prm)))
		bus_event_emit(name, ev);
	mem_deref(ev);
}

static void reject_destructor(void *arg)
{
	struct reject *r = arg;

	tmr_cancel(&r->tmr);
	list_unlink(&r->le);
	mem_deref(r->id);
}

static void reject_now(void *arg)
{
	struct reject *r = arg;
	struct ua *ua = NULL;
	struct call *call = ctrl_call_lookup(r->id, &ua);

	if (call && call_state(call) == CALL_STATE_INCOMING) {
		call_event("call.rejected", call, "do not disturb");
		ua_hangup(ua, call, 486, "Busy Here");
	}
	mem_deref(r);
}

/* Hang up after the event: baresip is still setting the call up. */
static void reject_later(const struct call *call)
{
	struct reject *r;

	if (!call_id(call))
		return;

	r = mem_zalloc(sizeof(*r), reject_destructor);
	if (!r || str_dup(&r->id, call_id(call))) {
		mem_deref(r);
		return;
	}

	list_append(&rejects, &r->le, r);
	tmr_start(&r->tmr, 0, reject_now, r);
}

/* True while e911 says an incoming call may be the PSAP calling back. */
static bool psap_may_call(void)
{
	struct odict *args = NULL, *res = NULL;
	const char *errmsg = NULL;
	bool open = false;

	if (!odict_alloc(&args, 1) && !odict_alloc(&res, 2) &&
	    !bus_command_call("e911.callback_window", args, res, &errmsg))
		(void)odict_get_boolean(res, &open, "open");

	mem_deref(res);
	mem_deref(args);
	return open;
}

static void stop_last(void *arg)
{
	(void)arg;
	warning("ctrl: the SIP stack did not close: leaving the main loop\n");
	re_cancel();
}

static void stop_force(void *arg)
{
	(void)arg;
	warning("ctrl: SIP transactions still open %u ms after the stop "
		"(registrar not answering?): closing them\n",
		STOP_UNREGISTER_MS);
	tmr_start(&tmr_stop, STOP_LAST_MS, stop_last, NULL);
	sip_close(uag_sip(), true);
}

/* The first user agent's shutdown: the engine is stopping. */
static void stop_begin(void)
{
	struct odict *ev = NULL;

	if (stopping)
		return;

	stopping = true;
	tmr_start(&tmr_stop, STOP_UNREGISTER_MS, stop_force, NULL);
	if (odict_alloc(&ev, 2))
		return;
	if (!odict_entry_add(ev, "unregister_ms", ODICT_INT,
			     (int64_t)STOP_UNREGISTER_MS))
		bus_event_emit("engine.stopping", ev);
	mem_deref(ev);
}

static void ua_event_handler(struct ua *ua, enum ua_event ev, struct call *call,
			     const char *prm, void *arg)
{
	(void)arg;

	switch (ev) {
	case UA_EVENT_SHUTDOWN:
		stop_begin();
		break;
	case UA_EVENT_REGISTERING:
		registration_event(ua, "registering", NULL);
		break;
	case UA_EVENT_REGISTER_OK:
		registration_event(ua, "registered", NULL);
		break;
	case UA_EVENT_REGISTER_FAIL:
		registration_event(ua, "failed", prm);
		break;
	case UA_EVENT_UNREGISTERING:
		registration_event(ua, "unregistering", NULL);
		break;
	case UA_EVENT_CALL_INCOMING:
		call_event("call.incoming", call, NULL);
		if (dnd && !psap_may_call())
			reject_later(call);
		break;
	case UA_EVENT_CALL_RINGING:
		call_event("call.ringing", call, NULL);
		break;
	case UA_EVENT_CALL_PROGRESS:
		call_event("call.progress", call, NULL);
		break;
	case UA_EVENT_CALL_ESTABLISHED:
		call_event("call.established", call, NULL);
		break;
	case UA_EVENT_CALL_CLOSED:
		call_event("call.closed", call, prm);
		break;
	case UA_EVENT_CALL_REMOTE_SDP:
		/* prm "offer" or "answer": the far end's media changed */
		call_event("call.remote_sdp", call, prm);
		break;
	default:
		break;
	}
}

int ctrl_calls_init(void)
{
	return uag_event_register(ua_event_handler, NULL);
}

void ctrl_calls_close(void)
{
	uag_event_unregister(ua_event_handler);
	tmr_cancel(&tmr_stop);
	stopping = false;
	ctrl_incall_close();
	list_flush(&regstates);
	list_flush(&rejects);
}
