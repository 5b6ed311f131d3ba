/* nlattr: netlink attribute walking with a length check before each read. */

#include <re.h>
#include <string.h>
#include <linux/netlink.h>
#include "nlattr.h"

#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

void nlattr_init(struct nlattr_cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->left = p ? len : 0;
}

int nlattr_next(struct nlattr_cursor *c, struct nlattr_val *a)
{
	uint16_t rlen, rtype;

	if (c->left == 0)
		return 0;
	if (c->left < 4)
		return -1;

	memcpy(&rlen, c->p, 2);
	memcpy(&rtype, c->p + 2, 2);
	if (rlen < 4 || rlen > c->left)
		return -1;

	a->type = rtype & NLA_TYPE_MASK;
	a->val = c->p + 4;
	a->len = rlen - 4u;

	if (ALIGN4(rlen) >= c->left) {
		c->left = 0;
	} else {
		c->p += ALIGN4(rlen);
		c->left -= ALIGN4(rlen);
	}

	return 1;
}

bool nlattr_str(char *dst, size_t sz, const struct nlattr_val *a)
{
	size_t n = strnlen((const char *)a->val, a->len);

	if (n == 0 || n >= sz)
		return false;

	memcpy(dst, a->val, n);
	dst[n] = '\0';
	return true;
}

bool nlattr_u32(uint32_t *v, const struct nlattr_val *a)
{
	if (a->len != 4)
		return false;
	memcpy(v, a->val, 4);
	return true;
}

bool nlattr_s32(int32_t *v, const struct nlattr_val *a)
{
	if (a->len != 4)
		return false;
	memcpy(v, a->val, 4);
	return true;
}
