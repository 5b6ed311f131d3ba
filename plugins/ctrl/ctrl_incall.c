/* ctrl_incall: DTMF and mute for a call in progress, for every client. */

#include <re.h>
#include <string.h>
#include "baresip-abi.h"
#include "ctrl_audio.h"
#include "ctrl_calls.h"
#include "ctrl_incall.h"

/*
 * A digit is held for DTMF_TONE_MS, then released for DTMF_GAP_MS before
 * the next.  ITU-T Q.24 receivers take tones of 40 ms and pauses of 40 ms;
 * the margin covers gateways that re-time RFC 4733 events into tones and
 * IVRs that sample for speech too.  Digits beyond DTMF_QUEUE_MAX waiting
 * on one call are refused rather than played minutes later.
 */
enum {
	DTMF_TONE_MS = 100,
	DTMF_GAP_MS = 70,
	DTMF_ARG_MAX = 32,
	DTMF_QUEUE_MAX = 64,
};

/*
 * How digits travel.  RFC 4733 telephone-events in the RTP is what baresip
 * does; SIP INFO with an application/dtmf-relay body (the de-facto format
 * of Cisco and most PBXs, one request per digit) is for far ends that take
 * no telephone-event.  The account chooses with its ";dtmfmode=" parameter,
 * the name later baresip versions use:
 *   rtpevent  (the default) RFC 4733 only, refused without telephone-event
 *   info      always SIP INFO
 *   auto      RFC 4733 when the far end accepted telephone-event, else INFO
 */
enum dtmf_method {
	DTMF_RFC4733,
	DTMF_INFO,
};

enum dtmf_mode {
	DTMF_MODE_RTPEVENT,
	DTMF_MODE_INFO,
	DTMF_MODE_AUTO,
};

/* The digits still to be played on one call, one digit at a time. */
struct dtmf_queue {
	struct le le;
	char call_id[128]; /* looked up at every step: the call may be gone */
	char digits[DTMF_QUEUE_MAX + 1];
	size_t pos;   /* the next digit to press */
	bool pressed; /* digits[pos - 1] is being sent now (RFC 4733) */
	enum dtmf_method method;
	struct tmr tmr;
};

static struct list queues;

static struct call *queue_call(const struct dtmf_queue *q)
{
	struct ua *ua = NULL;
	struct call *call = ctrl_call_lookup(q->call_id, &ua);

	return call && call_state(call) == CALL_STATE_ESTABLISHED ? call : NULL;
}

static void queue_destructor(void *arg)
{
	struct dtmf_queue *q = arg;
	struct call *call = queue_call(q);

	/* a digit left pressed would be sent until the call ends */
	if (q->method == DTMF_RFC4733 && q->pressed && call)
		(void)call_send_digit(call, KEYCODE_REL);
	tmr_cancel(&q->tmr);
	list_unlink(&q->le);
}

static void queue_step(void *arg);

/* The SIP session of a call, found as baresip-abi.h says; NULL when the
 * layout is not the one expected. */
static struct sipsess *call_sipsess(const struct call *call)
{
	void *const *word = (void *const *)call;
	const void *ua = call_get_ua(call);
	const void *acc = call_account(call);
	struct sipsess *sess;
	size_t i;

	if (!ua || !acc)
		return NULL;

	for (i = 0; i + 2 < CALL_LAYOUT_SCAN_WORDS; i++) {
		if (word[i] != ua || word[i + 1] != acc)
			continue;
		sess = word[i + 2];
		if (sess &&
		    0 == str_cmp(sip_dialog_callid(sipsess_dialog(sess)),
				 call_id(call)))
			return sess;
		return NULL;
	}

	return NULL;
}

static void info_resp(int err, const struct sip_msg *msg, void *arg)
{
	(void)arg;

	if (err)
		warning("ctrl: DTMF INFO failed (%m)\n", err);
	else if (msg && msg->scode >= 300)
		warning("ctrl: DTMF INFO refused: %u %r\n", msg->scode,
			&msg->reason);
}

/* One digit as a SIP INFO request in the call's dialog (the dtmf-relay
 * body: "Signal=" the digit, "Duration=" in ms). */
static int info_send(struct call *call, char digit)
{
	struct sipsess *sess = call_sipsess(call);
	struct mbuf *mb;
	int err;

	if (!sess)
		return ENOTSUP;

	mb = mbuf_alloc(64);
	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "Signal=%c\r\nDuration=%u\r\n", digit,
			  (unsigned)DTMF_TONE_MS);
	if (!err) {
		mbuf_set_pos(mb, 0);
		err = sipsess_info(sess, "application/dtmf-relay", mb,
				   info_resp, NULL);
	}

	mem_deref(mb);
	return err;
}

/* INFO: one request per digit, the next after the tone and the gap. */
static void queue_step_info(struct dtmf_queue *q, struct call *call)
{
	int err = info_send(call, q->digits[q->pos++]);

	if (err) {
		warning("ctrl: DTMF INFO on %s: digit '%c' not sent (%m)\n",
			q->call_id, q->digits[q->pos - 1], err);
		mem_deref(q);
		return;
	}
	if (!q->digits[q->pos]) {
		mem_deref(q);
		return;
	}
	tmr_start(&q->tmr, DTMF_TONE_MS + DTMF_GAP_MS, queue_step, q);
}

static void queue_step(void *arg)
{
	struct dtmf_queue *q = arg;
	struct call *call = queue_call(q);
	int err;

	if (!call) {
		q->pressed = false;
		mem_deref(q);
		return;
	}

	if (q->method == DTMF_INFO) {
		queue_step_info(q, call);
		return;
	}

	if (q->pressed) {
		err = call_send_digit(call, KEYCODE_REL);
		q->pressed = false;
		if (err)
			warning("ctrl: DTMF on %s: release failed (%m)\n",
				q->call_id, err);
		if (!q->digits[q->pos]) {
			mem_deref(q);
			return;
		}
		tmr_start(&q->tmr, DTMF_GAP_MS, queue_step, q);
		return;
	}

	err = call_send_digit(call, q->digits[q->pos++]);
	if (err) {
		warning("ctrl: DTMF on %s: digit '%c' not sent (%m)\n",
			q->call_id, q->digits[q->pos - 1], err);
		mem_deref(q);
		return;
	}
	q->pressed = true;
	tmr_start(&q->tmr, DTMF_TONE_MS, queue_step, q);
}

static struct dtmf_queue *queue_find(const char *id)
{
	struct le *le;

	LIST_FOREACH(&queues, le)
	{
		struct dtmf_queue *q = le->data;

		if (!str_cmp(q->call_id, id))
			return q;
	}

	return NULL;
}

/* The DTMF digits of RFC 4733 §3.2 (events 0-15), upper-cased into out;
 * false for anything else. */
static bool digits_valid(const char *s, char *out, size_t sz)
{
	size_t i, n = str_len(s);

	if (!n || n > DTMF_ARG_MAX || n >= sz)
		return false;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'd')
			c = (char)(c - 'a' + 'A');
		if (!((c >= '0' && c <= '9') || c == '*' || c == '#' ||
		      (c >= 'A' && c <= 'D')))
			return false;
		out[i] = c;
	}
	out[n] = '\0';
	return true;
}

/* The established call a command is about: args "call", else the current
 * call. */
static struct call *call_arg(const struct odict *args, const char **errmsg)
{
	const struct odict_entry *e = odict_lookup(args, "call");
	struct call *call;
	struct ua *ua = NULL;

	if (e && e->type != ODICT_STRING) {
		*errmsg = "\"call\" must be a call id";
		return NULL;
	}

	call = ctrl_call_lookup(e ? e->u.str : NULL, &ua);
	if (!call || call_state(call) != CALL_STATE_ESTABLISHED) {
		*errmsg = "no established call";
		return NULL;
	}

	return call;
}

/* The far end's answer accepted RFC 4733 events: baresip sends none
 * otherwise, silently. */
static bool telephone_events_accepted(const struct call *call)
{
	const struct stream *strm = audio_strm(call_audio(call));

	return strm && sdp_media_rformat(stream_sdpmedia(strm),
					 "telephone-event") != NULL;
}

/* The account's ";dtmfmode=", false for a value we do not know. */
static bool account_dtmf_mode(const struct call *call, enum dtmf_mode *mode)
{
	const struct sip_addr *addr = account_laddr(call_account(call));
	struct pl v;

	*mode = DTMF_MODE_RTPEVENT;
	if (!addr || msg_param_decode(&addr->params, "dtmfmode", &v))
		return true;

	if (!pl_strcasecmp(&v, "rtpevent"))
		*mode = DTMF_MODE_RTPEVENT;
	else if (!pl_strcasecmp(&v, "info"))
		*mode = DTMF_MODE_INFO;
	else if (!pl_strcasecmp(&v, "auto"))
		*mode = DTMF_MODE_AUTO;
	else
		return false;

	return true;
}

/* How this call's digits go, or an error for the client. */
static int dtmf_method(const struct call *call, enum dtmf_method *method,
		       const char **errmsg)
{
	enum dtmf_mode mode;
	bool te;

	if (!account_dtmf_mode(call, &mode)) {
		*errmsg =
			"the account's dtmfmode is not rtpevent, info or auto";
		return EINVAL;
	}

	te = telephone_events_accepted(call);
	if (mode == DTMF_MODE_INFO || (mode == DTMF_MODE_AUTO && !te)) {
		if (!call_sipsess(call)) {
			*errmsg = "SIP INFO cannot be sent on this call";
			return ENOTSUP;
		}
		*method = DTMF_INFO;
		return 0;
	}

	if (!te) {
		*errmsg = "the far end did not accept DTMF tones "
			  "(no telephone-event in its SDP; the account's "
			  ";dtmfmode=auto or info sends SIP INFO)";
		return EPROTONOSUPPORT;
	}

	*method = DTMF_RFC4733;
	return 0;
}

static int cmd_dtmf(const struct odict *args, struct odict *result,
		    const char **errmsg)
{
	char digits[DTMF_ARG_MAX + 1];
	enum dtmf_method method;
	struct dtmf_queue *q;
	struct call *call;
	size_t queued;
	int err;

	if (!digits_valid(odict_string(args, "digits"), digits,
			  sizeof(digits))) {
		*errmsg = "\"digits\" must be 1-32 of 0-9 * # A-D";
		return EINVAL;
	}

	call = call_arg(args, errmsg);
	if (!call)
		return ENOENT;

	err = dtmf_method(call, &method, errmsg);
	if (err)
		return err;

	/* digits queued behind others go the way those go */
	q = queue_find(call_id(call));
	if (q)
		method = q->method;
	queued = q ? strlen(q->digits) - q->pos : 0;
	if (queued + strlen(digits) > DTMF_QUEUE_MAX) {
		*errmsg = "too many digits are still waiting to be sent";
		return E2BIG;
	}

	err = ctrl_call_add(result, "call", call);
	if (err)
		return err;

	if (!q) {
		q = mem_zalloc(sizeof(*q), queue_destructor);
		if (!q)
			return ENOMEM;
		str_ncpy(q->call_id, call_id(call), sizeof(q->call_id));
		q->method = method;
		tmr_init(&q->tmr);
		list_append(&queues, &q->le, q);
		tmr_start(&q->tmr, 0, queue_step, q);
	} else if (q->pos) {
		/* keep the array small: drop what was played */
		memmove(q->digits, q->digits + q->pos,
			strlen(q->digits + q->pos) + 1);
		q->pos = 0;
	}
	str_ncpy(q->digits + strlen(q->digits), digits,
		 sizeof(q->digits) - strlen(q->digits));

	err = odict_entry_add(result, "digits", ODICT_STRING, digits);
	if (!err)
		err = odict_entry_add(result, "method", ODICT_STRING,
				      method == DTMF_INFO ? "info" : "rfc4733");
	if (!err)
		err = odict_entry_add(result, "queued", ODICT_INT,
				      (int64_t)(strlen(q->digits) - q->pos));
	return err;
}

static int mute_set(const struct odict *args, struct odict *result,
		    const char **errmsg, bool muted)
{
	struct call *call = call_arg(args, errmsg);
	struct audio *au;
	int err;

	if (!call)
		return ENOENT;

	au = call_audio(call);
	if (!au) {
		*errmsg = "the call has no audio";
		return ENOENT;
	}

	audio_mute(au, muted);

	err = ctrl_call_add(result, "call", call);
	if (!err)
		err = odict_entry_add(result, "muted", ODICT_BOOL,
				      audio_ismuted(au));
	return err;
}

static int cmd_mute(const struct odict *args, struct odict *result,
		    const char **errmsg)
{
	return mute_set(args, result, errmsg, true);
}

static int cmd_unmute(const struct odict *args, struct odict *result,
		      const char **errmsg)
{
	return mute_set(args, result, errmsg, false);
}

static const struct {
	const char *name;
	int (*h)(const struct odict *args, struct odict *result,
		 const char **errmsg);
} commands[] = {
	{"dtmf", cmd_dtmf},
	{"mute", cmd_mute},
	{"unmute", cmd_unmute},
};

int ctrl_incall_command(const char *cmd, const struct odict *args,
			struct odict *result, const char **errmsg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (0 == str_cmp(cmd, commands[i].name))
			return commands[i].h(args, result, errmsg);
	}

	return ctrl_audio_command(cmd, args, result, errmsg);
}

void ctrl_incall_close(void)
{
	list_flush(&queues);
}
