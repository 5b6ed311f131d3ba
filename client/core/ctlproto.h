/* ctlproto: the control protocol's framing and messages (see PROTOCOL.md). */

#ifndef LOCPHONE_CTLPROTO_H
#define LOCPHONE_CTLPROTO_H

#include <stddef.h>
#include <stdint.h>

#include <re.h>

/* A line longer than this is refused and its sender disconnected. */
#define CTLPROTO_MAX_LINE (64u * 1024u)
/* Deepest JSON nesting accepted in a request. */
#define CTLPROTO_MAX_DEPTH 8u

/* A decoded request; the odicts belong to it. */
struct ctl_request {
	int64_t id;
	const char *cmd;	  /* points into msg */
	const struct odict *args; /* never NULL: empty object if absent */
	struct odict *msg;	  /* the whole decoded message */
	struct odict *empty;
};

typedef int(ctl_line_h)(const char *line, size_t len, void *arg);

/*
 * Append len bytes to rx and call lineh for each complete line (without its
 * LF or CRLF), in order.  Returns EOVERFLOW once an unterminated line exceeds
 * maxline (the caller answers and disconnects), or the first error lineh
 * returns.  Bytes of an incomplete line stay in rx.
 */
int ctl_framer_feed(struct mbuf *rx, const uint8_t *data, size_t len,
		    size_t maxline, ctl_line_h *lineh, void *arg);

/*
 * Decode one request line.  On error *errmsg says why, in words fit for the
 * reply, and *idp holds the request id if one could be read (else -1).
 */
int ctl_request_decode(struct ctl_request *req, const char *line, size_t len,
		       int64_t *idp, const char **errmsg);
void ctl_request_reset(struct ctl_request *req);

/* Append one reply line; result may be NULL, error NULL on success; an id
 * below 0 (unknown) is sent as null. */
int ctl_reply_encode(struct mbuf *mb, int64_t id, const struct odict *result,
		     const char *error);

/* Append one event line: {"event":name, ...fields}. */
int ctl_event_encode(struct mbuf *mb, const char *name,
		     const struct odict *fields);

/* Argument helpers: typed lookups that fail cleanly on the wrong type. */
const char *ctl_arg_str(const struct odict *args, const char *key);

/*
 * A re_printf handler writing od as JSON like libre's json_encode_odict()
 * (same escaping, no whitespace), except doubles: location_num_format()'s
 * digits with a decimal point ("47.640068", "40.0") instead of "%f".
 * For every JSON locphone writes.
 */
int json_out_odict(struct re_printf *pf, const struct odict *od);

#endif
