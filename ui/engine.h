/* LpEngine: the connection to locphoned's control socket (PROTOCOL.md). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LP_TYPE_ENGINE (lp_engine_get_type())
G_DECLARE_FINAL_TYPE(LpEngine, lp_engine, LP, ENGINE, GObject)

/*
 * Called with the engine's reply (the whole message: ok, result, error),
 * or with NULL when the connection went away before it came.  The reply
 * belongs to the caller of the function.
 */
typedef void (*LpReplyFunc)(GVariant *reply, gpointer user_data);

/* A new connection object for the socket at path; it starts connecting
 * (and reconnecting, every second, while the engine is away) at once.
 * Signals: "connected", "disconnected", "event" (name, message a{sv}). */
LpEngine *lp_engine_new(const char *path);

/* TRUE while the socket is connected. */
gboolean lp_engine_is_connected(LpEngine *self);

/*
 * Send request cmd with args (NULL, or a floating or owned a{sv}; a
 * floating one is consumed).  func (may be NULL) gets the reply.  Nothing
 * is sent while disconnected: func then gets NULL at once.
 */
void lp_engine_request(LpEngine *self, const char *cmd, GVariant *args,
		       LpReplyFunc func, gpointer user_data);

/* The result object of a successful reply as a new reference, or NULL. */
GVariant *lp_reply_result(GVariant *reply);

G_END_DECLS
