/*
 * baresip-abi.h: our declarations of the part of the baresip 1.0.0 API that
 * locphone's modules call.  Debian ships the baresip binary without a
 * header, so these are written from the 1.0.0 API documentation and checked
 * by tests/unit/abi_check.py against the symbols /usr/bin/baresip exports.  Only what
 * we call belongs here.
 */

#ifndef LOCPHONE_BARESIP_ABI_H
#define LOCPHONE_BARESIP_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

struct ua;
struct call;
struct account;
struct commands;

/* User-agent events, in the 1.0.0 order (the values cross the ABI). */
enum ua_event {
	UA_EVENT_REGISTERING = 0,
	UA_EVENT_REGISTER_OK,
	UA_EVENT_REGISTER_FAIL,
	UA_EVENT_UNREGISTERING,
	UA_EVENT_MWI_NOTIFY,
	UA_EVENT_SHUTDOWN,
	UA_EVENT_EXIT,
	UA_EVENT_CALL_INCOMING,
	UA_EVENT_CALL_RINGING,
	UA_EVENT_CALL_PROGRESS,
	UA_EVENT_CALL_ESTABLISHED,
	UA_EVENT_CALL_CLOSED,
	UA_EVENT_CALL_TRANSFER,
	UA_EVENT_CALL_TRANSFER_FAILED,
	UA_EVENT_CALL_DTMF_START,
	UA_EVENT_CALL_DTMF_END,
	UA_EVENT_CALL_RTPESTAB,
	UA_EVENT_CALL_RTCP,
	UA_EVENT_CALL_MENC,
	UA_EVENT_VU_TX,
	UA_EVENT_VU_RX,
	UA_EVENT_AUDIO_ERROR,
	UA_EVENT_CALL_LOCAL_SDP, /* prm "offer": just before the INVITE */
	UA_EVENT_CALL_REMOTE_SDP,
	UA_EVENT_MAX,
};

enum call_state {
	CALL_STATE_IDLE = 0,
	CALL_STATE_INCOMING,
	CALL_STATE_OUTGOING,
	CALL_STATE_RINGING,
	CALL_STATE_EARLY,
	CALL_STATE_ESTABLISHED,
	CALL_STATE_TERMINATED,
	CALL_STATE_UNKNOWN,
};

enum vidmode {
	VIDMODE_OFF = 0,
	VIDMODE_ON,
};

typedef void(ua_event_h)(struct ua *ua, enum ua_event ev, struct call *call,
			 const char *prm, void *arg);

/* A long command ("/name") for baresip's command interface. */
struct cmd {
	const char *name;
	char key;
	int flags;
	const char *desc;
	re_printf_h *h;
};

enum {
	CMD_PRM = 1 << 0,
};

/* Logging (the lines go to baresip's log handlers). */
void debug(const char *fmt, ...);
void info(const char *fmt, ...);
void warning(const char *fmt, ...);

/* Configuration currently loaded (libre's struct conf). */
struct conf *conf_cur(void);

/* Commands. */
struct commands *baresip_commands(void);
int cmd_register(struct commands *commands, const struct cmd *cmdv,
		 size_t cmdc);
void cmd_unregister(struct commands *commands, const struct cmd *cmdv);
/* Run a long command ("dial 911", without the '/'), as the console does. */
int cmd_process_long(struct commands *commands, const char *str, size_t len,
		     struct re_printf *pf_resp, void *data);

/* User agents. */
int uag_event_register(ua_event_h *eh, void *arg);
void uag_event_unregister(ua_event_h *eh);
struct list *uag_list(void);
struct ua *uag_find_aor(const char *aor);
struct ua *uag_current(void);
const char *uag_event_str(enum ua_event ev);
/* The SIP stack every user agent shares (libre's struct sip). */
struct sip *uag_sip(void);

int ua_connect(struct ua *ua, struct call **callp, const char *from_uri,
	       const char *req_uri, enum vidmode vmode);
void ua_hangup(struct ua *ua, struct call *call, uint16_t scode,
	       const char *reason);
int ua_answer(struct ua *ua, struct call *call, enum vidmode vmode);
const char *ua_aor(const struct ua *ua);
bool ua_isregistered(const struct ua *ua);
struct account *ua_account(const struct ua *ua);
struct list *ua_calls(const struct ua *ua);
struct call *ua_call(const struct ua *ua);

uint32_t account_regint(const struct account *acc);
/* The account's outbound proxy ix (0, 1), NULL if none. */
const char *account_outbound(const struct account *acc, unsigned ix);
const char *account_display_name(const struct account *acc);

/* The dial string completed as ua_connect does ("911" -> sip:911@domain). */
int ua_uri_complete(struct ua *ua, struct mbuf *buf, const char *uri);

/* Calls. */
const char *call_id(const struct call *call);
const char *call_peeruri(const struct call *call);
const char *call_peername(const struct call *call);
const char *call_localuri(const struct call *call);
enum call_state call_state(const struct call *call);
bool call_is_outgoing(const struct call *call);
uint32_t call_duration(const struct call *call);
uint16_t call_scode(const struct call *call);
struct call *call_find_id(const struct list *calls, const char *id);
struct ua *call_get_ua(const struct call *call);
int call_hold(struct call *call, bool hold);
bool call_is_onhold(const struct call *call);
/* Exported, though not in 1.0.0's public header: replaces the call's extra
 * INVITE headers (a list of libre struct sip_hdr, copied); they are printed
 * into the INVITE sent after UA_EVENT_CALL_LOCAL_SDP. */
void call_set_custom_hdrs(struct call *call, const struct list *hdrs);

/* In-call audio.  A DTMF digit is pressed with its character ('0'-'9',
 * '*', '#', 'A'-'D') and released with KEYCODE_REL; baresip sends it as
 * RFC 4733 telephone-events for as long as it is held, and only where the
 * far end's SDP accepted telephone-event.  audio_mute sends silence. */
#define KEYCODE_REL (0x04)
struct audio;
struct stream;
struct audio *call_audio(const struct call *call);
int call_send_digit(struct call *call, char key);
void audio_mute(struct audio *a, bool muted);
bool audio_ismuted(const struct audio *a);
struct stream *audio_strm(const struct audio *au);
struct sdp_media *stream_sdpmedia(const struct stream *strm);

/* The account's address line as parsed (libre's struct sip_addr): its
 * params hold what follows the address, ours too (";dtmfmode=..."). */
struct sip_addr *account_laddr(const struct account *acc);
struct account *call_account(const struct call *call);

/*
 * 1.0.0 exports no accessor for a call's SIP session (call_sess came
 * later), which an in-dialog request such as INFO needs.  Its struct call
 * begins, after an optional 32-bit magic, with a list element and then the
 * pointers ua, acc and sess in that order.  ctrl_incall finds the pair
 * (call_get_ua, call_account) among the first words and takes the next one,
 * and only uses it when that session's dialog has the call's Call-ID.
 */
enum { CALL_LAYOUT_SCAN_WORDS = 10 };

/* SIP MESSAGE (text/plain) to peer through the user agent's account. */
int message_send(struct ua *ua, const char *peer, const char *msg,
		 sip_resp_h *resph, void *arg);

/* Audio devices (1.0.0's ausrc/auplay).  A device object ("st") starts
 * with a pointer to what registered it, as baresip's base class has. */
struct ausrc;
struct auplay;
struct ausrc_st;
struct auplay_st;
struct media_ctx;
struct audio;

struct ausrc_prm {
	uint32_t srate;
	uint8_t ch;
	uint32_t ptime; /* ms */
	int fmt;	/* enum aufmt */
};

struct auplay_prm {
	uint32_t srate;
	uint8_t ch;
	uint32_t ptime; /* ms */
	int fmt;	/* enum aufmt */
};

/* Samples; timestamp in microseconds (AUDIO_TIMEBASE). */
struct auframe {
	int fmt;
	void *sampv;
	size_t sampc;
	uint64_t timestamp;
};

/* Read and error handlers may be called from the device's thread. */
typedef void(ausrc_read_h)(struct auframe *af, void *arg);
typedef void(ausrc_error_h)(int err, const char *str, void *arg);
typedef int(ausrc_alloc_h)(struct ausrc_st **stp, const struct ausrc *ausrc,
			   struct media_ctx **ctx, struct ausrc_prm *prm,
			   const char *device, ausrc_read_h *rh,
			   ausrc_error_h *errh, void *arg);
typedef void(auplay_write_h)(void *sampv, size_t sampc, void *arg);
typedef int(auplay_alloc_h)(struct auplay_st **stp, const struct auplay *ap,
			    struct auplay_prm *prm, const char *device,
			    auplay_write_h *wh, void *arg);

struct list *baresip_ausrcl(void);
struct list *baresip_auplayl(void);
int ausrc_register(struct ausrc **asp, struct list *ausrcl, const char *name,
		   ausrc_alloc_h *alloch);
int ausrc_alloc(struct ausrc_st **stp, struct list *ausrcl,
		struct media_ctx **ctx, const char *name, struct ausrc_prm *prm,
		const char *device, ausrc_read_h *rh, ausrc_error_h *errh,
		void *arg);
int auplay_register(struct auplay **pp, struct list *auplayl, const char *name,
		    auplay_alloc_h *alloch);
int auplay_alloc(struct auplay_st **stp, struct list *auplayl, const char *name,
		 struct auplay_prm *prm, const char *device, auplay_write_h *wh,
		 void *arg);
/* The call's audio stream: what an audio source gets as its arg. */
struct audio *call_audio(const struct call *call);

/* What a registered source or player is, as 1.0.0's header defines it:
 * dev_list holds the devices it announces (struct mediadev), often none. */
struct mediadev {
	struct le le;
	char *name;
};

struct ausrc {
	struct le le;
	const char *name;
	struct list dev_list;
	ausrc_alloc_h *alloch;
};

struct auplay {
	struct le le;
	const char *name;
	struct list dev_list;
	auplay_alloc_h *alloch;
};

struct mediadev *mediadev_find(const struct list *dev_list, const char *name);
const struct ausrc *ausrc_find(const struct list *ausrcl, const char *name);
const struct auplay *auplay_find(const struct list *auplayl, const char *name);

/* Replace a running call's source or player (the old one is closed
 * first; a module that fails leaves the call without one). */
int audio_set_source(struct audio *au, const char *mod, const char *device);
int audio_set_player(struct audio *au, const char *mod, const char *device);

/*
 * The core configuration every new call copies its audio settings from.
 * 1.0.0's struct config begins with these (sip, call, then audio, whose
 * first fields are the device names); only that beginning is declared.
 * ctrl_audio checks it against the loaded config file before writing.
 */
struct config_head_sip {
	char uuid[64];
	char local[64];
	char cert[256];
	char cafile[256];
};

struct config_head_call {
	uint32_t local_timeout;
	uint32_t max_calls;
};

struct config_head_audio {
	char audio_path[256];
	char src_mod[16];
	char src_dev[128];
	char play_mod[16];
	char play_dev[128];
};

struct config_head {
	struct config_head_sip sip;
	struct config_head_call call;
	struct config_head_audio audio;
};

struct config;
struct config *conf_config(void);

#endif
