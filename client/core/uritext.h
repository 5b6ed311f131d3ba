/* uritext: the one check of text from outside (the policy, a LIS, the
 * control socket, an account) before it goes into a SIP URI, a header
 * line or a PIDF-LO URI. */

#ifndef LOCPHONE_URITEXT_H
#define LOCPHONE_URITEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True if the len octets at s are a non-empty URI that can sit between
 * '<' and '>' on one SIP header line (RFC 3261 §25.1 name-addr): only the
 * visible ASCII characters RFC 3986 §2 allows, so no space, no control
 * (NUL, CR, LF, tab, DEL), no octet past 0x7e (a URI carries other text
 * percent-encoded; text from the wire is not assumed UTF-8), and none of
 * '<', '>', '"' that would end the brackets or a quoted string.  Nothing
 * about the scheme or the length: see uritext_has_scheme, and each caller
 * caps the length as its field does.
 */
bool uritext_uri_valid(const char *s, size_t len);

/* uritext_uri_valid, and it starts with a scheme (RFC 3986 §3.1:
 * ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"). */
bool uritext_absolute_uri_valid(const char *s, size_t len);

/* The same for a NUL-terminated string; false for NULL or one longer than
 * max octets (max 0: no cap). */
bool uritext_uri_str_valid(const char *s, size_t max);

/*
 * True if the len octets at s (at most max; 0: no cap) are whole header
 * lines to add to a SIP message: each non-empty and ending CRLF, with no
 * other CR or LF (which would forge a header or end the headers), no NUL
 * or other control than tab (RFC 3261 §25.1: HTAB is whitespace), and
 * valid UTF-8 (RFC 3261 §25.1 TEXT-UTF8).  "" (no lines) is valid.
 */
bool uritext_header_lines_valid(const char *s, size_t len, size_t max);

#endif
