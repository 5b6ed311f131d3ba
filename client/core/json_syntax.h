/* json_syntax: strict JSON syntax check ahead of libre's lenient decoder. */

#ifndef LOCPHONE_JSON_SYNTAX_H
#define LOCPHONE_JSON_SYNTAX_H

#include <stddef.h>

/*
 * libre 1.1.0's json_decode accepts trailing data after the top-level value,
 * unknown escapes and malformed literals, and reports no position.  Files
 * that must be rejected precisely (truncated, corrupt) go through this check
 * first: RFC 8259 syntax, a top-level object or array, at most maxdepth
 * nested containers and maxvalues values in all, numbers of at most 32
 * characters, and no "\u0000" (a C string cannot hold it).
 *
 * Returns 0, or EBADMSG with *offp (if given) the byte offset of the problem
 * and *whyp (if given) a static description of it.
 */
int json_syntax_check(const char *buf, size_t len, unsigned maxdepth,
		      size_t maxvalues, size_t *offp, const char **whyp);

/* Deepest nesting json_syntax_check can follow. */
#define JSON_SYNTAX_MAX_DEPTH 64u

#endif
