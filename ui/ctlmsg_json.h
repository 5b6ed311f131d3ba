/* ctlmsg_json: the limits and error domain of ctlmsg_decode. */
#pragma once

#include <glib.h>

/* PROTOCOL.md: one message per line, up to 64 KiB from clients; events
 * (a PIDF-LO, an LLDP neighbour table) are larger, so allow more but not
 * without bound. */
#define CTLMSG_MAX_LINE (4u * 1024u * 1024u)
/* Objects and arrays nested deeper than this (the top-level object is 1)
 * are refused: json-glib recurses, and no message of PROTOCOL.md nests
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
	CTLMSG_ERROR_LIMIT,	    /* past a CTLMSG_MAX_ or 32-char number */
	CTLMSG_ERROR_DUPLICATE_KEY, /* a member name twice in one object */
	CTLMSG_ERROR_RANGE,	    /* a number no double holds */
} CtlmsgError;
