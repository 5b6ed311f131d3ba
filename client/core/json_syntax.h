/* json_syntax: the one strict JSON syntax check (engine and UI). */

#ifndef LOCPHONE_JSON_SYNTAX_H
#define LOCPHONE_JSON_SYNTAX_H

#include <stddef.h>

/*
 * Why this checker exists at all: neither JSON decoder the project links is
 * strict, and both are kept for building the tree.
 *
 * - The engine decodes with libre 1.1.0's json_decode, which accepts
 *   trailing data after the top-level value ({"a":1}x), unknown escapes
 *   ("\q"), leading zeros (01) and lone surrogate escapes, and refuses a
 *   malformed literal only with a line of its own on stderr; it reports no
 *   position and has no option to be stricter (Debian 12's 1.1.0, tried).
 *   Files that must be rejected precisely (the saved-locations file,
 *   savedloc_codec.c: truncated, corrupt) go through this check first.
 * - The UI (ui/ctlmsg_decode.c) decodes engine lines with json-glib.
 *   Debian 12's json-glib 1.6 has no strict mode and no limits (1.10 added
 *   them): it accepts single quotes, hex, octal and ".5" numbers, comments,
 *   raw control characters, "\x" escapes and data after the object, wraps
 *   integers past 64 bits, cuts strings at "\u0000", turns a lone surrogate
 *   into bytes that are not UTF-8, and recurses without a depth bound.  The
 *   line passes this check first, which also sets the limits.
 *
 * The check: RFC 8259 syntax, a top-level object or array, at most maxdepth
 * nested containers (the top level is 1) and maxvalues values in all,
 * numbers of at most 32 characters, no "\u0000" (a C string cannot hold it)
 * and no lone surrogate escape (no UTF-8 text can).  Neither duplicate
 * member names nor the values of numbers are its business: the decoders'
 * callers see those.
 */

/* What kind of problem json_syntax_check found. */
enum json_syntax_kind {
	JSON_SYNTAX_GRAMMAR, /* not RFC 8259 JSON, or truncated */
	JSON_SYNTAX_TEXT,    /* "\u0000" or a lone surrogate escape */
	JSON_SYNTAX_LIMIT,   /* past maxdepth, maxvalues or 32-char numbers */
	JSON_SYNTAX_NUMBER,  /* refused by the number hook */
};

struct json_syntax {
	/* in */
	unsigned maxdepth; /* at most JSON_SYNTAX_MAX_DEPTH */
	size_t maxvalues;
	/* optional: called with each number's text in document order; a
	 * static reason to refuse it, or NULL */
	const char *(*number)(void *arg, const char *p, size_t n);
	void *arg;
	/* out, on EBADMSG: the byte offset of the problem, a static
	 * description of it and its kind */
	size_t off;
	const char *why;
	enum json_syntax_kind kind;
};

/* Returns 0, EBADMSG with js's out members set, or EINVAL. */
int json_syntax_check(const char *buf, size_t len, struct json_syntax *js);

/* Deepest nesting json_syntax_check can follow. */
#define JSON_SYNTAX_MAX_DEPTH 64u

#endif
