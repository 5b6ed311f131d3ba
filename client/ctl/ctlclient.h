/* ctlclient: a blocking client of the engine's control socket. */

#ifndef LOCPHONE_CTLCLIENT_H
#define LOCPHONE_CTLCLIENT_H

#include <stddef.h>

#include <re.h>

struct ctlclient;

/* The default socket: $XDG_RUNTIME_DIR/locphone/ctl.sock, written to buf. */
int ctlclient_default_path(char *buf, size_t sz);

/* Connect; ENOENT/ECONNREFUSED etc. when no engine serves path. */
int ctlclient_connect(struct ctlclient **clp, const char *path);

/*
 * Send {"id":N,"cmd":cmd,"args":args} and wait up to timeout_ms for the
 * reply with that id; events arriving meanwhile are queued for
 * ctlclient_event.  On success *replyp holds the whole reply (caller
 * derefs); ETIMEDOUT, ECONNRESET or EPROTO otherwise.
 */
int ctlclient_request(struct ctlclient *cl, const char *cmd,
		      const struct odict *args, int timeout_ms,
		      struct odict **replyp);

/*
 * The next event (queued or read), waiting up to timeout_ms (-1: forever).
 * *linep is the event's JSON text (caller derefs), *evp the decoded object
 * (caller derefs; may be NULL if not wanted).  ECONNRESET when the engine
 * closed the connection.
 */
int ctlclient_event(struct ctlclient *cl, int timeout_ms, char **linep,
		    struct odict **evp);

#endif
