/* ctlmsg_json: the strict JSON parser behind ctlmsg_decode (GLib only). */
#pragma once

#include <glib.h>

/* PROTOCOL.md: one message per line, up to 64 KiB from clients; events
 * (a PIDF-LO, an LLDP neighbour table) are larger, so allow more but not
 * without bound. */
#define CTLMSG_MAX_LINE (4u * 1024u * 1024u)
/* Objects and arrays nested deeper than this (the top-level object is 1)
 * are refused: the parser recurses, and no message of PROTOCOL.md nests
 * past 6. */
#define CTLMSG_MAX_DEPTH 16u
/* Every value counts (members, elements, the top-level object): a cap on
 * the work and memory one line may cost. */
#define CTLMSG_MAX_VALUES 100000u

/* The error domain of ctlmsg_decode; each message names the byte offset. */
#define CTLMSG_ERROR (ctlmsg_error_quark())
GQuark ctlmsg_error_quark(void);

typedef enum {
	CTLMSG_ERROR_TOO_LONG,	    /* longer than CTLMSG_MAX_LINE */
	CTLMSG_ERROR_ENCODING,	    /* not UTF-8, NUL, lone surrogate */
	CTLMSG_ERROR_SYNTAX,	    /* not RFC 8259 JSON */
	CTLMSG_ERROR_NOT_OBJECT,    /* the top level is not an object */
	CTLMSG_ERROR_LIMIT,	    /* past CTLMSG_MAX_DEPTH or _VALUES */
	CTLMSG_ERROR_DUPLICATE_KEY, /* a member name twice in one object */
	CTLMSG_ERROR_RANGE,	    /* a number no double holds */
} CtlmsgError;

/* The parser's state over one line (not NUL-terminated). */
struct ctlmsg_json {
	const char *buf;
	gsize len;
	gsize pos;
	guint depth;
	guint values;
	GError **error;
};

/* Sets the error: the message, then " at byte " and the offset.  Returns
 * FALSE, for "return ctlmsg_json_fail(...)". */
gboolean ctlmsg_json_fail(struct ctlmsg_json *p, gsize at, CtlmsgError code,
			  const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Skips RFC 8259 whitespace (space, tab, LF, CR). */
void ctlmsg_json_skip_ws(struct ctlmsg_json *p);

/* The string at p->pos (which is '"') with its escapes decoded, as a new
 * UTF-8 string the caller frees; NULL with the error set. */
gchar *ctlmsg_json_string(struct ctlmsg_json *p);

/* The number at p->pos as a new floating x (fits gint64, no fraction or
 * exponent) or d (a magnitude below the smallest normal double is a signed
 * zero); NULL with the error set. */
GVariant *ctlmsg_json_number(struct ctlmsg_json *p);
