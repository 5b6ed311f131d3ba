/* multipart: RFC 2046 multipart/mixed bodies as SIP carries them (RFC 5621). */

#ifndef LOCPHONE_MULTIPART_H
#define LOCPHONE_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <re.h>

/* RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
#define MULTIPART_BOUNDARY_MAX 70
#define MULTIPART_MAX_PARTS    16

/* One body part, pointing into the parsed buffer. */
struct multipart_part {
	struct pl hdrs;	       /* the raw header block, may be empty */
	struct pl ctype;       /* Content-Type value, empty if absent */
	struct pl cid;	       /* Content-ID value, empty if absent */
	struct pl disposition; /* Content-Disposition value, empty if absent */
	struct pl body;
};

/*
 * Write a two-part multipart/mixed body into mb: first a part of type ctype1
 * holding body1, then a part whose header block is hdrs2 (complete header
 * lines, each ending in CRLF) holding body2.  EINVAL if the boundary is not
 * 1..70 characters (or other arguments are missing), EEXIST if it occurs
 * inside either part (the caller may pick another), ENOMEM (mb->pos and
 * mb->end as they were).
 */
int multipart_build(struct mbuf *mb, const char *boundary, const char *ctype1,
		    const uint8_t *body1, size_t len1, const char *hdrs2,
		    const uint8_t *body2, size_t len2);

/* True if the boundary delimiter "--boundary" does not occur in buf. */
bool multipart_boundary_usable(const char *boundary, const uint8_t *buf,
			       size_t len);

/*
 * Find the boundary parameter in a Content-Type value such as
 * 'multipart/mixed;boundary="b1"'.  ENOENT if it is not multipart or has no
 * boundary, EBADMSG if the boundary is malformed.
 */
int multipart_boundary_get(struct pl *boundary, const struct pl *ctype);

/*
 * Split buf into at most *partc parts; on return *partc holds the number
 * found.  EBADMSG for a missing first or closing delimiter or a malformed
 * part, EOVERFLOW for more parts than fit.  Parts point into buf.
 */
int multipart_parse(struct multipart_part *partv, size_t *partc,
		    const struct pl *boundary, const uint8_t *buf, size_t len);

#endif
