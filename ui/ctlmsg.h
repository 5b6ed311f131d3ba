/* ctlmsg: control-protocol lines (PROTOCOL.md) to and from GVariants. */
#pragma once

#include <glib.h>

/*
 * Decode one line from the engine: a JSON object becomes an a{sv}
 * dictionary (objects a{sv}, arrays av, strings s, integers that fit
 * gint64 x, other numbers d, booleans b; a null member is left out, a null
 * array element is an empty maybe "mv").  Strict RFC 8259 (json_syntax.h,
 * then json-glib) within the limits of ctlmsg_json.h and numbers of at most
 * 32 characters; duplicate member names are refused.  Returns a
 * new reference, or NULL with error set (CTLMSG_ERROR, ctlmsg_json.h; the
 * message says what is wrong at which byte offset).
 */
GVariant *ctlmsg_decode(const char *line, gsize len, GError **error);

/*
 * Encode one request line, LF-terminated: {"id":id,"cmd":cmd,"args":args}.
 * args is NULL or an a{sv} whose values are strings, booleans, integers
 * (x) or doubles.  Returns a new string the caller frees.
 */
gchar *ctlmsg_request_encode(gint64 id, const char *cmd, GVariant *args);

/* The string member key of dict (a{sv}), or NULL; owned by dict. */
const char *ctlmsg_str(GVariant *dict, const char *key);

/* The object member key of dict as a new a{sv} reference, or NULL. */
GVariant *ctlmsg_obj(GVariant *dict, const char *key);

/* The boolean member key of dict; FALSE when absent or not a boolean. */
gboolean ctlmsg_bool(GVariant *dict, const char *key);
