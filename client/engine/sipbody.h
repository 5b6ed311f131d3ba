/*
 * sipbody: the INVITE body hook.  libsipbody.so, preloaded into baresip by
 * locphoned, wraps libre's sipsess_connect and sipsess_modify.  A module arms
 * it for the next INVITE (from the UA_EVENT_CALL_LOCAL_SDP "offer" event,
 * which baresip raises just before sipsess_connect); that INVITE and its
 * re-INVITEs then carry extra headers and a multipart/mixed body with the
 * SDP first and the module's part second.  Other INVITEs pass untouched.
 * It also wraps sip_dialog_alloc (to give the INVITE its own To) and
 * sipevent_drefer (to refuse transferring an emergency call).
 *
 * Modules must not link libsipbody.so: they look the functions up at run
 * time (sipbody_lookup), which also tells them whether the hook is active.
 */

#ifndef LOCPHONE_SIPBODY_H
#define LOCPHONE_SIPBODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Name the functions are exported under; look them up with dlsym. */
#define SIPBODY_SYM_RELEASE	"sipbody_release"
#define SIPBODY_SYM_ACTIVE	"sipbody_active"
#define SIPBODY_SYM_ARM_REQUEST "sipbody_arm_request"

#define SIPBODY_SYM_TLS_FAILURES "sipbody_tls_failures"

/* A SIP TLS server certificate refused (sipbody_tls.c). */
struct sipbody_tls_failure {
	unsigned seq; /* 1, 2, ... in the order they happened */
	char host[256];
	char reason[160]; /* OpenSSL's words, e.g. "hostname mismatch" */
};

/*
 * The latest refusals, newest first (*fv, *fc of them, at most 8; valid
 * until the next TLS connection); returns how many there have been.
 */
typedef unsigned(sipbody_tls_failures_h)(const struct sipbody_tls_failure **fv,
					 size_t *fc);

/* Largest part accepted (a PIDF-LO is a few kB). */
#define SIPBODY_MAX_PART (64u * 1024u)
#define SIPBODY_MAX_HDRS (4u * 1024u)

/*
 * What to change in the next INVITE (sipbody_arm_request).  baresip 1.0.0
 * can only dial SIP URIs and always sends through the account's outbound
 * proxy; an emergency call may need a tel: or urn:service: Request-URI
 * and its own next hop (design.md §4).
 */
struct sipbody_request {
	/* the URI baresip passes (the call's peer URI); NULL: any.  A
	 * mismatch disarms. */
	const char *match_uri;
	/* the Request-URI (and To) sent instead; NULL: unchanged */
	const char *req_uri;
	/* the To URI when it is not the Request-URI; NULL: the
	 * Request-URI, as libre sends it */
	const char *to_uri;
	/* the Route: NULL keeps baresip's (the account's outbound proxy),
	 * "" sends straight to the Request-URI's host, anything else is the
	 * one next hop (a SIP URI; libre adds ";lr") */
	const char *route;
	/* extra header lines, each ending CRLF; "" or NULL for none */
	const char *hdrs;
	/* the body part's header lines and the part (copied); part_hdrs
	 * NULL: the SDP body is left alone */
	const char *part_hdrs;
	const uint8_t *part;
	size_t part_len;
	/*
	 * An emergency call: a re-INVITE that would put the session on hold
	 * (its SDP has a=sendonly or a=inactive) and a REFER that would
	 * transfer it are refused with EPERM.  baresip holds its own media
	 * before it signals, so held(handle, arg) is called when a hold was
	 * refused: it should resume the call locally (call_hold(call,
	 * false)); the re-INVITE that resume makes is not sent, as the far
	 * end never saw the hold.
	 */
	bool locked;
	void (*held)(unsigned handle, void *arg);
	void *arg;
	/*
	 * RFC 3261 §18.1.1: when the INVITE comes out larger than 1300
	 * bytes and its next hop (the Route, else the Request-URI) names no
	 * transport, it goes over TCP to that same host and port.  A hop
	 * that names one (transport=udp pins UDP) is left as it is.
	 */
	bool fit_transport;
	/*
	 * libre sends SIP over UDP from one unconnected socket and never
	 * hears an ICMP error: a dead next hop costs timer B's 32 s.  With
	 * this set, each time the INVITE goes out over UDP a connected socket
	 * of the hook's own sends an empty keep-alive (CRLF CRLF, which a SIP
	 * receiver ignores: RFC 5626 §4.4.1 [U]) to the same address; a port
	 * or host unreachable that comes back calls unreachable(handle, err,
	 * arg) once (err ECONNREFUSED, EHOSTUNREACH, ENETUNREACH).
	 */
	void (*unreachable)(unsigned handle, int err, void *arg);
};

/*
 * Arm the hook for the next sipsess_connect on this thread, with the
 * changes rq describes (copied); a connect to another URI than
 * rq->match_uri disarms.  Returns a handle > 0 to release when the call
 * ends, or 0 if rq is malformed or memory ran out.
 */
typedef unsigned(sipbody_arm_request_h)(const struct sipbody_request *rq);

/* Forget a handle: its session's later re-INVITEs go out unchanged. */
typedef void(sipbody_release_h)(unsigned handle);

/* True when the wrapper found libre's functions and can do its work. */
typedef bool(sipbody_active_h)(void);

unsigned sipbody_arm_request(const struct sipbody_request *rq);
void sipbody_release(unsigned handle);
bool sipbody_active(void);
unsigned sipbody_tls_failures(const struct sipbody_tls_failure **fv,
			      size_t *fc);

#endif
