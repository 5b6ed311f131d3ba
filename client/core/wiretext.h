/* wiretext: text from the wire (LLDP, netlink, nl80211, HELD) made valid
 * UTF-8 before JSON, the PIDF-LO or a person sees it. */

#ifndef LOCPHONE_WIRETEXT_H
#define LOCPHONE_WIRETEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Worst-case growth: an ISO-8859-1 octet becomes two octets of UTF-8, and
 * every other rewrite is no longer than what it replaces plus half.  A
 * buffer of WIRETEXT_SIZE(n) holds the cleaned text of any n octets.
 */
#define WIRETEXT_SIZE(n) (2 * (n) + 1)

/*
 * Copy len octets of wire text into dst (size octets with the NUL) as valid
 * UTF-8.  Senders are not trusted to use UTF-8, so:
 * - octets that form UTF-8 sequences throughout (lead octet followed by
 *   the continuation octets it announces) are read as UTF-8, and the
 *   sequences that are still invalid (overlong forms, surrogates, code
 *   points past U+10FFFF) become U+FFFD;
 * - anything else is taken as ISO-8859-1 (what older switches send) and
 *   transcoded;
 * - control characters (C0 with NUL, tab and line feed, DEL and C1) are
 *   dropped, so a trailing NUL pad vanishes rather than showing as a space.
 * A character that does not fit is left out with everything after it: the
 * result is never cut inside a character.  Returns the length written,
 * without the NUL (0, with nothing written, if size is 0).
 */
size_t wiretext_utf8(char *dst, size_t size, const uint8_t *src, size_t len);

/* True if the len octets are valid UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF); control characters allowed. */
bool wiretext_is_utf8(const uint8_t *src, size_t len);

/*
 * The same into a new mem_alloc()ed string that the caller owns; "" for
 * text that is all control characters.  0, ENOMEM, or EINVAL for a NULL
 * dstp or (NULL src with len > 0).
 */
int wiretext_utf8_dup(char **dstp, const uint8_t *src, size_t len);

#endif
