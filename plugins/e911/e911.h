/*
 * e911: the emergency-call module's shared state (design.md §1 step 4).
 */

#ifndef LOCPHONE_E911_H
#define LOCPHONE_E911_H

#include <stdbool.h>
#include <time.h>
#include <re.h>

#include "baresip-abi.h"
#include "emergency.h"
#include "kvconf.h"
#include "policy_site.h"
#include "sipbody.h"

/*
 * How an emergency INVITE reaches its route.  baresip 1.0.0's ua_connect
 * only dials SIP URIs (it prefixes "sip:" and the account's domain to
 * anything else) and always sends through the account's outbound proxy.
 * So the module dials a SIP stand-in (emergency_target_plan: the route
 * itself for sip:, sip:<number>@<proxy> for tel:/urn:) and, in
 * UA_EVENT_CALL_LOCAL_SDP, arms libsipbody to replace the Request-URI and
 * To with the real route and the Route set with the policy's next hop:
 * none for a sip: route (straight to its host, past the account's outbound
 * proxy, as the policy says), emergency_proxy for tel:/urn:, and the
 * account's own for the default route.  Without libsipbody the stand-in
 * goes out as it is, through the account's outbound proxy if it has one:
 * it reaches the right host only where there is none.
 */

/* Where the administrator's policy lives (design.md §5). */

/* An attempt's extra headers: the list (baresip's custom headers when
 * libsipbody is absent) and its text for libsipbody; refcounted, shared
 * by the memo and the calls that send them. */
struct e911_hdrs {
	struct emergency_hdrs list;
	char *text;
	char *part_text; /* the PIDF-LO part's headers; NULL: not by value */
};

/* The module: its policy, the latest location, the emergency calls. */
struct e911 {
	struct policy policy; /* of the site in force (e911_site.c) */
	struct policy_diag diag;
	struct e911_site *site;
	struct policy_diag warn; /* what the routes cannot do (paths_check) */
	char user_file[512];
	char admin_file[512];

	struct location loc; /* the latest record from the location module */
	bool have_loc;
	unsigned loc_gen;   /* changes with the record or the device id */
	char device_id[32]; /* "mac:..." for dm:deviceID, "" if unknown */

	/* The PIDF-LO for the latest record, built ahead of the call so that
	 * dialling does not wait for libxml2 (bench e911-dial-to-invite). */
	struct {
		char *doc; /* NULL: none built */
		char cid[EMERGENCY_URI_MAX];
		unsigned gen;
		const struct ua *ua;
		time_t built;
	} pidf;

	/* What a call sends that depends only on the record: made when it
	 * changes (e911_invite_prebuild), so that dialling only refers to
	 * it (bench e911-dial-to-invite). */
	struct {
		unsigned gen;  /* loc_gen it was made for */
		char *place;   /* the location in words; NULL: none */
		char *loc_uri; /* the LIS's first URI; NULL: none */
	} pre;

	/* The extra headers last made and what they were made from: a call
	 * with the same inputs reuses them, as formatting them was a tenth
	 * of what dialling costs the engine (bench e911-dial-to-invite).
	 * Made ahead for the first route when the record changes. */
	struct {
		struct e911_hdrs *hdrl;		   /* NULL: none made yet */
		struct emergency_header_params hp; /* its strings below */
		char cid[EMERGENCY_URI_MAX];
		char *loc_uri;
		char *aor;
		char *pai;
	} memo;

	/* libsipbody's functions; NULL when the hook is not active */
	sipbody_arm_request_h *hook_arm;
	sipbody_release_h *hook_release;

	struct list calls; /* struct e911_call, oldest first */
	/* the next call's struct, allocated after the last INVITE left:
	 * dialling takes it instead of a large malloc (which makes glibc
	 * consolidate its free lists) before the INVITE */
	struct e911_call *spare;
	struct e911_call *placing; /* inside ua_connect for this one */
	unsigned next_id;
	time_t last_ended; /* for the PSAP callback window; 0: never */
};

/* How an emergency call came to be recognised. */
enum e911_path {
	E911_PATH_DIAL = 0, /* the e911.dial command (ctrl's dial) */
	E911_PATH_OTHER,    /* another way, e.g. baresip's /dial */
};

/* One emergency call, across its attempts on the routes. */
struct e911_call {
	struct le le;
	struct e911 *m;
	unsigned id;
	enum e911_path path;
	struct ua *ua;
	struct call *call; /* the current attempt; NULL between attempts */
	char call_id[128]; /* its SIP Call-ID, kept after it closed */
	struct dial_result dial;
	unsigned route; /* of the current attempt: 0 primary, 1 secondary */
	/* what decides the attempts (client/core/emergency_attempt.h) */
	struct emergency_attempt att;
	enum emergency_attempt_step step; /* why the current attempt was made */
	bool udp_only; /* the hop refused TCP: no transport upgrade */
	struct emergency_target target;

	/* the PIDF-LO, built once for all attempts; NULL without location */
	char *pidf;
	char cid[EMERGENCY_URI_MAX];
	enum emergency_conveyance conveyance; /* of the current attempt */
	char *loc_uri;			      /* by reference, if any */
	char *place; /* the location in words as it was sent; NULL: none */
	struct e911_hdrs *hdrl; /* sent with the current attempt */
	char *hdrs;		/* hdrl's text */
	char *part_hdrs;	/* hdrl's part_text */
	unsigned hook;		/* sipbody handle, 0: none */
	bool hooked;		/* the body hook carries this attempt */
	char req_uri[EMERGENCY_URI_MAX]; /* as sent */
	char to_uri[EMERGENCY_URI_MAX];	 /* as sent */

	bool hanging_up; /* our own ua_hangup is running */
	char *why_retry; /* why the previous attempt was left */
	char *history;	 /* what each attempt that was left met */

	struct tmr tmr_failover; /* the route's bound: no provisional answer */
	struct tmr tmr_sent;	 /* just after the INVITE left */
	struct tmr tmr_retry;	 /* the next attempt */
};

/* e911.c */
struct ua *e911_ua_choose(const struct e911 *m, const char *asked);
int e911_call_encode(struct odict **odp, const struct e911_call *ec);

/* e911_call.c */
int e911_call_alloc(struct e911_call **ecp, struct e911 *m, struct ua *ua,
		    const struct dial_result *d);
int e911_call_dial(struct e911 *m, struct ua *ua, const struct dial_result *d,
		   struct e911_call **ecp);
void e911_call_ua_event(struct e911 *m, struct ua *ua, enum ua_event ev,
			struct call *call, const char *prm);
struct e911_call *e911_call_find(const struct e911 *m, const struct call *call);
void e911_call_flush(struct e911 *m);
void e911_call_spare(struct e911 *m);
void e911_call_unreachable(struct e911_call *ec, int err);

/* e911_invite.c */
const char *e911_route_hop(struct ua *ua, const struct emergency_target *t);
bool e911_route_pins_udp(struct ua *ua, const struct emergency_target *t);
bool e911_by_value_fits_udp(const struct e911_call *ec);
void e911_hook_resolve(struct e911 *m);
void e911_memo_reset(struct e911 *m);
bool e911_hook_active(const struct e911 *m);
void e911_pidf_refresh(struct e911 *m, struct ua *ua);
void e911_invite_prebuild(struct e911 *m);
int e911_invite_prepare(struct e911_call *ec);
int e911_invite_arm(struct e911_call *ec, struct call *call);
void e911_invite_release(struct e911_call *ec);
int e911_invite_encode(struct odict *od, const struct e911_call *ec);
int e911_preview(struct e911 *m, const struct odict *args, struct odict *result,
		 const char **errmsg);

/* e911_audio.c: the "lpaudio" source and player */
int e911_audio_init(struct e911 *m);
void e911_audio_close(void);

/* e911.c: a diagnostic of our own next to policy_load's */
void e911_diag_line(struct policy_diag *diag, const char *fmt, ...);

/* e911_served.c: the policy served from the administrator's policy_url.
 * *sp is NULL when none is set (or it is unusable: said in diag).  h is
 * called after each fetch: changed when it brought a new document. */
struct e911_served;
typedef void(e911_served_h)(bool changed, void *arg);
int e911_served_alloc(struct e911_served **sp, const struct kvconf *admin,
		      struct policy_diag *diag, e911_served_h *h, void *arg);
const struct policy_sites *e911_served_sites(const struct e911_served *s);
/* Fetch now (ENOENT: no policy_url); never waits. */
int e911_served_refresh(struct e911_served *s);
/* "served": {url, source, obtained_at, age_s, tried_at, refresh_s, error,
 * copy}, or null. */
int e911_served_encode(struct odict *od, const struct e911_served *s);

/* e911_site.c: user and admin are the files (NULL: none), referenced */
int e911_site_init(struct e911 *m, struct kvconf *user, struct kvconf *admin);
void e911_site_close(struct e911 *m);
void e911_site_network(struct e911 *m, const struct policy_site_facts *facts);
void e911_site_idle(struct e911 *m);
int e911_site_encode(struct odict *od, const struct e911 *m);
/* e911.policy.refresh: fetch the served policy now (ENOENT: none). */
int e911_site_refresh(struct e911 *m);
/* policy.changed with the policy in force: once at start, so that the
 * location module (loaded first) takes the policy from its one owner
 * rather than reading the files again. */
void e911_site_announce(const struct e911 *m);

/* BUS_TOPIC_POLICY's data (bus_topics.h): the policy in force, valid until
 * the next policy change. */
const void *e911_policy_topic(const struct e911 *m);

/* e911_notify.c */
void e911_notify_desk(struct e911_call *ec);
void e911_hold_others(struct e911_call *ec);
bool e911_callback_window_open(const struct e911 *m);

#endif
