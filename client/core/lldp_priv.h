/* lldp_priv: the bounds-checked reader shared by the LLDP decoder files. */

#ifndef LOCPHONE_LLDP_PRIV_H
#define LOCPHONE_LLDP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lldp.h"

/*
 * A cursor over untrusted octets.  Every read checks the length first and
 * fails without moving if too few octets are left, so a caller can never
 * read past the end, whatever the input claims.
 */
struct lldp_cur {
	const uint8_t *p;
	size_t left;
};

static inline void lldp_cur_init(struct lldp_cur *c, const uint8_t *p,
				 size_t len)
{
	c->p = p;
	c->left = len;
}

static inline bool lldp_cur_u8(struct lldp_cur *c, uint8_t *v)
{
	if (c->left < 1)
		return false;
	*v = c->p[0];
	c->p += 1;
	c->left -= 1;
	return true;
}

static inline bool lldp_cur_u16(struct lldp_cur *c, uint16_t *v)
{
	if (c->left < 2)
		return false;
	*v = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
	c->p += 2;
	c->left -= 2;
	return true;
}

static inline bool lldp_cur_u32(struct lldp_cur *c, uint32_t *v)
{
	if (c->left < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	     (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	c->left -= 4;
	return true;
}

/* Take the next n octets as a cursor of their own. */
static inline bool lldp_cur_sub(struct lldp_cur *c, struct lldp_cur *sub,
				size_t n)
{
	if (c->left < n)
		return false;
	lldp_cur_init(sub, c->p, n);
	c->p += n;
	c->left -= n;
	return true;
}

/* Copy the next n octets into dst. */
static inline bool lldp_cur_mem(struct lldp_cur *c, uint8_t *dst, size_t n)
{
	struct lldp_cur sub;

	if (!lldp_cur_sub(c, &sub, n))
		return false;
	if (n)
		memcpy(dst, sub.p, n);
	return true;
}

/* Record why decoding failed in f->errbuf; returns EBADMSG. */
int lldp_fail(struct lldp_frame *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copy len octets of a text TLV into dst (size octets) as valid UTF-8
 * (wiretext_utf8: ISO-8859-1 transcoded, control characters dropped). */
void lldp_text_copy(char *dst, size_t size, const uint8_t *src, size_t len);

/* Decode the value of an LLDP-MED TLV (after OUI and subtype); tlvlen is
 * the whole TLV length, for messages.  Part of lldp_decode(). */
int lldp_med_decode(struct lldp_frame *f, uint8_t subtype, unsigned tlvlen,
		    struct lldp_cur *val);

/* Free what the MED part of f owns. */
void lldp_med_reset(struct lldp_frame *f);

#endif
