/* e911_audio: audio devices that never end an emergency call (issue 11). */

#include <re.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
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
#include "e911.h"

/*
 * The launcher configures baresip's audio_source and audio_player as
 * "lpaudio,MODULE,DEVICE".  lpaudio opens MODULE's DEVICE and passes
 * everything through.  When that device cannot be opened, or says it
 * failed, an ordinary call gets the error exactly as from the device
 * (baresip closes the call).  An emergency call instead gets silence
 * (frames of zeros at the device's pace; a player that takes the
 * dispatcher's voice and drops it), the device is tried again every
 * E911_AUDIO_RETRY_MS, and "emergency.audio" says what the person and the
 * dispatcher can hear.  A source that delivered frames and then stops for
 * E911_AUDIO_STALL_MS (ALSA's reader says nothing when a headset goes) is
 * taken as failed too, in emergency calls only.
 *
 * Which call a source serves is exact: baresip gives it the call's struct
 * audio.  A player only gets a pointer inside that struct, so it counts as
 * an emergency call's when it opens while baresip handles that call's SDP
 * (UA_EVENT_CALL_REMOTE_SDP comes just before), or, outside any SDP, while
 * an emergency call is up.
 */

#define E911_AUDIO_RETRY_MS 3000
#define E911_AUDIO_STALL_MS 2000
#define E911_AUDIO_NAME	    "lpaudio"
#define E911_AUDIO_MAXPTIME 100

enum dev_kind {
	DEV_SOURCE = 0,
	DEV_PLAYER,
};

/* What both kinds share; each device struct starts with its base pointer
 * (baresip's ausrc_get/auplay_get read it), then this. */
struct dev {
	struct le le;
	enum dev_kind kind;
	unsigned id; /* for the deferred errors: never reused */
	char mod[16];
	char *device;
	void *arg; /* baresip's: struct audio (source), struct aurx (player) */
	bool silent;
	char call_id[128]; /* the emergency call it serves, "" if none */
	unsigned ecid;
	struct tmr tmr_frame; /* silence at the device's pace */
	struct tmr tmr_retry; /* open the device again */
	struct tmr tmr_watch; /* frames still coming */
	uint64_t t0;	      /* when silence started (ms) */
	uint64_t sent;	      /* silent frames since */
	uint32_t ptime;
	int fmt;
	void *sampv; /* zeros */
	size_t sampc;
	atomic_uint frames; /* real frames passed on (device thread) */
	unsigned frames_seen;
	bool flowing; /* real frames have arrived */
};

struct ausrc_st {
	const struct ausrc *as; /* base class */
	struct dev d;
	struct ausrc_st *real;
	struct ausrc_prm prm;
	ausrc_read_h *rh;
	ausrc_error_h *errh;
};

struct auplay_st {
	const struct auplay *ap; /* base class */
	struct dev d;
	struct auplay_st *real;
	struct auplay_prm prm;
	auplay_write_h *wh;
};

static struct {
	struct e911 *m;
	struct ausrc *ausrc;
	struct auplay *auplay;
	struct mqueue *mq;
	struct list devs; /* struct dev, both kinds */
	unsigned next_id;
	struct call *sdp_call; /* whose SDP baresip handles right now */
	struct tmr tmr_sdp;
} A;

static struct ausrc_st *src_of(struct dev *d)
{
	return (struct ausrc_st *)(void *)((char *)d -
					   offsetof(struct ausrc_st, d));
}

static struct auplay_st *play_of(struct dev *d)
{
	return (struct auplay_st *)(void *)((char *)d -
					    offsetof(struct auplay_st, d));
}

static const struct e911_call *call_by_audio(const void *audio)
{
	struct le *le;

	if (!A.m)
		return NULL;

	LIST_FOREACH(&A.m->calls, le)
	{
		const struct e911_call *ec = le->data;

		if (ec->call && (const void *)call_audio(ec->call) == audio)
			return ec;
	}

	return NULL;
}

/* The emergency call a new or failing device belongs to, or NULL. */
static const struct e911_call *dev_call(const struct dev *d)
{
	struct le *le;

	if (!A.m)
		return NULL;
	if (d->kind == DEV_SOURCE)
		return call_by_audio(d->arg);
	if (d->ecid) {
		LIST_FOREACH(&A.m->calls, le)
		{
			const struct e911_call *ec = le->data;

			if (ec->id == d->ecid && ec->call)
				return ec;
		}
		return NULL;
	}
	if (A.sdp_call)
		return e911_call_find(A.m, A.sdp_call);

	LIST_FOREACH(&A.m->calls, le)
	{
		const struct e911_call *ec = le->data;

		if (ec->call)
			return ec;
	}

	return NULL;
}

static void report(const char *call_id, unsigned ecid)
{
	bool mic = true, spk = true;
	struct odict *od = NULL;
	const char *text;
	struct le *le;
	int err;

	LIST_FOREACH(&A.devs, le)
	{
		const struct dev *d = le->data;

		if (!d->silent || str_cmp(d->call_id, call_id))
			continue;
		if (d->kind == DEV_SOURCE)
			mic = false;
		else
			spk = false;
	}

	if (!mic && !spk)
		text = "the dispatcher cannot hear you and you cannot hear the "
		       "dispatcher: no microphone, no speaker";
	else if (!mic)
		text = "the dispatcher cannot hear you: no microphone";
	else if (!spk)
		text = "you cannot hear the dispatcher: no speaker";
	else
		text = "microphone and speaker work";

	warning("e911: emergency call %u: %s\n", ecid, text);

	if (odict_alloc(&od, 8))
		return;
	err = odict_entry_add(od, "call", ODICT_STRING, call_id);
	if (!err)
		err = odict_entry_add(od, "id", ODICT_INT, (int64_t)ecid);
	if (!err)
		err = odict_entry_add(od, "microphone", ODICT_BOOL, mic);
	if (!err)
		err = odict_entry_add(od, "speaker", ODICT_BOOL, spk);
	if (!err)
		err = odict_entry_add(od, "text", ODICT_STRING, text);
	if (!err)
		bus_event_emit("emergency.audio", od);
	mem_deref(od);
}

static void silence_tick(void *arg)
{
	struct dev *d = arg;
	uint64_t now = tmr_jiffies();
	uint64_t due = (now - d->t0) / d->ptime + 1;
	unsigned n = 0;

	/* after a stall (a busy loop), catch up a little, not all */
	if (due > d->sent + 5)
		d->sent = due - 5;

	while (d->sent < due && n++ < 5) {
		if (d->kind == DEV_SOURCE) {
			struct ausrc_st *st = src_of(d);
			struct auframe af;

			memset(d->sampv, 0, d->sampc * 4);
			af.fmt = d->fmt;
			af.sampv = d->sampv;
			af.sampc = d->sampc;
			af.timestamp = d->sent * d->ptime * 1000;
			st->rh(&af, d->arg);
		} else {
			play_of(d)->wh(d->sampv, d->sampc, d->arg);
		}
		++d->sent;
	}

	tmr_start(&d->tmr_frame, d->ptime, silence_tick, d);
}

static int real_open(struct dev *d);
static void watch_tick(void *arg);

static void retry_tick(void *arg)
{
	struct dev *d = arg;

	if (real_open(d)) {
		tmr_start(&d->tmr_retry, E911_AUDIO_RETRY_MS, retry_tick, d);
		return;
	}

	info("e911: audio %s %s,%s is back\n",
	     d->kind == DEV_SOURCE ? "source" : "player", d->mod, d->device);
	tmr_cancel(&d->tmr_frame);
	d->silent = false;
	d->flowing = false;
	d->frames_seen = atomic_load(&d->frames);
	if (d->kind == DEV_SOURCE)
		tmr_start(&d->tmr_watch, E911_AUDIO_STALL_MS, watch_tick, d);
	if (d->call_id[0])
		report(d->call_id, d->ecid);
}

/* Go on with silence for emergency call ec; try the device again later. */
static void silence_start(struct dev *d, const struct e911_call *ec, int err)
{
	warning("e911: emergency call %u: audio %s %s,%s failed (%m): "
		"going on with silence, trying again every %u ms\n",
		ec->id, d->kind == DEV_SOURCE ? "source" : "player", d->mod,
		d->device, err < 0 ? -err : err, E911_AUDIO_RETRY_MS);

	if (d->kind == DEV_SOURCE)
		src_of(d)->real = mem_deref(src_of(d)->real);
	else
		play_of(d)->real = mem_deref(play_of(d)->real);

	tmr_cancel(&d->tmr_watch);
	str_ncpy(d->call_id, ec->call_id[0] ? ec->call_id : call_id(ec->call),
		 sizeof(d->call_id));
	d->ecid = ec->id;
	d->silent = true;
	d->t0 = tmr_jiffies();
	d->sent = 0;
	tmr_start(&d->tmr_frame, 0, silence_tick, d);
	tmr_start(&d->tmr_retry, E911_AUDIO_RETRY_MS, retry_tick, d);
	report(d->call_id, d->ecid);
}

/* A real source frame: passed on as it is (the device's thread). */
static void src_read(struct auframe *af, void *arg)
{
	struct ausrc_st *st = arg;

	atomic_fetch_add(&st->d.frames, 1);
	st->rh(af, st->d.arg);
}

static void src_error(int err, const char *str, void *arg)
{
	struct ausrc_st *st = arg;

	/* any thread: handled on baresip's, where the calls live */
	(void)str;
	(void)mqueue_push(A.mq, (int)st->d.id, (void *)(intptr_t)err);
}

static struct dev *dev_find(unsigned id)
{
	struct le *le;

	LIST_FOREACH(&A.devs, le)
	{
		struct dev *d = le->data;

		if (d->id == id)
			return d;
	}

	return NULL;
}

/* A source said it failed; baresip's own handler ends the call. */
static void src_failed(struct dev *d, int err, const char *why)
{
	const struct e911_call *ec = dev_call(d);
	struct ausrc_st *st = src_of(d);

	if (d->silent || !st->real)
		return;
	if (ec) {
		silence_start(d, ec, err ? err : EIO);
		return;
	}
	if (st->errh)
		st->errh(err, why, d->arg);
}

static void mqueue_handler(int id, void *data, void *arg)
{
	struct dev *d = dev_find((unsigned)id);
	(void)arg;

	if (d)
		src_failed(d, (int)(intptr_t)data, "audio source error");
}

static void watch_tick(void *arg)
{
	struct dev *d = arg;
	unsigned frames = atomic_load(&d->frames);
	const struct e911_call *ec;

	if (frames != d->frames_seen) {
		d->flowing = true;
		d->frames_seen = frames;
		tmr_start(&d->tmr_watch, E911_AUDIO_STALL_MS, watch_tick, d);
		return;
	}

	/* never flowed (a bridge waiting for its pair): nothing to say */
	ec = d->flowing ? dev_call(d) : NULL;
	if (!ec) {
		tmr_start(&d->tmr_watch, E911_AUDIO_STALL_MS, watch_tick, d);
		return;
	}

	warning("e911: audio source %s,%s sent nothing for %u ms\n", d->mod,
		d->device, E911_AUDIO_STALL_MS);
	silence_start(d, ec, ENODEV);
}

static int real_open(struct dev *d)
{
	if (d->kind == DEV_SOURCE) {
		struct ausrc_st *st = src_of(d);
		struct ausrc_prm prm = st->prm;

		return ausrc_alloc(&st->real, baresip_ausrcl(), NULL, d->mod,
				   &prm, d->device, src_read, src_error, st);
	} else {
		struct auplay_st *st = play_of(d);
		struct auplay_prm prm = st->prm;

		return auplay_alloc(&st->real, baresip_auplayl(), d->mod, &prm,
				    d->device, st->wh, d->arg);
	}
}

static void dev_destroy(struct dev *d)
{
	tmr_cancel(&d->tmr_frame);
	tmr_cancel(&d->tmr_retry);
	tmr_cancel(&d->tmr_watch);
	list_unlink(&d->le);
	mem_deref(d->device);
	mem_deref(d->sampv);
}

static void src_destructor(void *arg)
{
	struct ausrc_st *st = arg;

	/* first: its thread stops calling src_read */
	st->real = mem_deref(st->real);
	dev_destroy(&st->d);
}

static void play_destructor(void *arg)
{
	struct auplay_st *st = arg;

	st->real = mem_deref(st->real);
	dev_destroy(&st->d);
}

/* "MODULE,DEVICE" (lpaudio's device string) into d. */
static int dev_init(struct dev *d, enum dev_kind kind, const char *device,
		    uint32_t srate, uint8_t ch, uint32_t ptime, int fmt,
		    void *arg)
{
	const char *comma;
	size_t n;

	if (!device || !srate || !ch || !ptime || ptime > E911_AUDIO_MAXPTIME)
		return EINVAL;

	comma = strchr(device, ',');
	n = comma ? (size_t)(comma - device) : strlen(device);
	if (!n || n >= sizeof(d->mod))
		return EINVAL;
	if (n == strlen(E911_AUDIO_NAME) && !memcmp(device, E911_AUDIO_NAME, n))
		return ELOOP; /* lpaudio of itself */

	memcpy(d->mod, device, n);
	d->mod[n] = '\0';
	d->kind = kind;
	d->id = ++A.next_id;
	d->arg = arg;
	d->ptime = ptime;
	d->fmt = fmt;
	d->sampc = (size_t)srate * ch * ptime / 1000;
	tmr_init(&d->tmr_frame);
	tmr_init(&d->tmr_retry);
	tmr_init(&d->tmr_watch);
	atomic_init(&d->frames, 0);

	/* four bytes covers every sample format; zero is silence in all */
	d->sampv = mem_zalloc(d->sampc * 4, NULL);
	if (!d->sampv)
		return ENOMEM;

	list_append(&A.devs, &d->le, d);
	return str_dup(&d->device, comma ? comma + 1 : "");
}

/* Opened, or silent for an emergency call, or the device's error. */
static int dev_start(struct dev *d)
{
	const struct e911_call *ec;
	int err;

	err = real_open(d);
	if (!err) {
		if (d->kind == DEV_SOURCE)
			tmr_start(&d->tmr_watch, E911_AUDIO_STALL_MS,
				  watch_tick, d);
		return 0;
	}

	ec = dev_call(d);
	if (!ec)
		return err;

	silence_start(d, ec, err);
	return 0;
}

static int src_alloc(struct ausrc_st **stp, const struct ausrc *as,
		     struct media_ctx **ctx, struct ausrc_prm *prm,
		     const char *device, ausrc_read_h *rh, ausrc_error_h *errh,
		     void *arg)
{
	struct ausrc_st *st;
	int err;
	(void)ctx; /* video sharing a device: not for a phone's microphone */

	if (!stp || !prm || !rh)
		return EINVAL;

	st = mem_zalloc(sizeof(*st), src_destructor);
	if (!st)
		return ENOMEM;

	st->as = as;
	st->prm = *prm;
	st->rh = rh;
	st->errh = errh;

	err = dev_init(&st->d, DEV_SOURCE, device, prm->srate, prm->ch,
		       prm->ptime, prm->fmt, arg);
	if (!err)
		err = dev_start(&st->d);

	if (err)
		mem_deref(st);
	else
		*stp = st;

	return err;
}

static int play_alloc(struct auplay_st **stp, const struct auplay *ap,
		      struct auplay_prm *prm, const char *device,
		      auplay_write_h *wh, void *arg)
{
	struct auplay_st *st;
	int err;

	if (!stp || !prm || !wh)
		return EINVAL;

	st = mem_zalloc(sizeof(*st), play_destructor);
	if (!st)
		return ENOMEM;

	st->ap = ap;
	st->prm = *prm;
	st->wh = wh;

	err = dev_init(&st->d, DEV_PLAYER, device, prm->srate, prm->ch,
		       prm->ptime, prm->fmt, arg);
	if (!err)
		err = dev_start(&st->d);

	if (err)
		mem_deref(st);
	else
		*stp = st;

	return err;
}

static void sdp_call_clear(void *arg)
{
	(void)arg;
	A.sdp_call = NULL;
}

/* baresip opens the devices right after this event, in the same turn. */
static void ua_event_handler(struct ua *ua, enum ua_event ev, struct call *call,
			     const char *prm, void *arg)
{
	(void)ua;
	(void)prm;
	(void)arg;

	if (ev == UA_EVENT_CALL_REMOTE_SDP) {
		A.sdp_call = call;
		tmr_start(&A.tmr_sdp, 0, sdp_call_clear, NULL);
	} else if (ev == UA_EVENT_CALL_CLOSED && call == A.sdp_call) {
		A.sdp_call = NULL;
	}
}

int e911_audio_init(struct e911 *m)
{
	int err;

	A.m = m;
	tmr_init(&A.tmr_sdp);

	err = mqueue_alloc(&A.mq, mqueue_handler, NULL);
	if (!err)
		err = ausrc_register(&A.ausrc, baresip_ausrcl(),
				     E911_AUDIO_NAME, src_alloc);
	if (!err)
		err = auplay_register(&A.auplay, baresip_auplayl(),
				      E911_AUDIO_NAME, play_alloc);
	if (!err)
		err = uag_event_register(ua_event_handler, NULL);

	return err;
}

void e911_audio_close(void)
{
	uag_event_unregister(ua_event_handler);
	tmr_cancel(&A.tmr_sdp);
	A.ausrc = mem_deref(A.ausrc);
	A.auplay = mem_deref(A.auplay);
	A.mq = mem_deref(A.mq);
	A.sdp_call = NULL;
	A.m = NULL;
}
