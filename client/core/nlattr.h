/* nlattr: a bounds-checked reader of netlink attributes (rtattr/nlattr). */

#ifndef LOCPHONE_NLATTR_H
#define LOCPHONE_NLATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlattr_cursor {
	const uint8_t *p;
	size_t left;
};

struct nlattr_val {
	unsigned type; /* without the nested/byte-order flags */
	const uint8_t *val;
	size_t len;
};

/* Start reading len bytes of attributes at p. */
void nlattr_init(struct nlattr_cursor *c, const uint8_t *p, size_t len);

/* 1: the next attribute is in *a; 0: the end; -1: malformed (a length
 * below the header or beyond the bytes left). */
int nlattr_next(struct nlattr_cursor *c, struct nlattr_val *a);

/* Copy a NUL-terminated (or unterminated) string attribute; false if it
 * is empty or does not fit in sz with its NUL. */
bool nlattr_str(char *dst, size_t sz, const struct nlattr_val *a);

/* Fixed-size integers: false if the length is not exactly the size. */
bool nlattr_u32(uint32_t *v, const struct nlattr_val *a);
bool nlattr_s32(int32_t *v, const struct nlattr_val *a);

#endif
