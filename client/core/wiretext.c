/* wiretext: untrusted text octets to valid UTF-8 without control chars. */

#include <re.h>
#include <string.h>
#include "wiretext.h"

#define REPLACEMENT 0xfffdu

/* Continuation octets a lead octet announces; -1 if it is no lead. */
static int trail_count(uint8_t b)
{
	if (b < 0x80)
		return 0;
	if (b >= 0xc0 && b <= 0xdf)
		return 1;
	if (b >= 0xe0 && b <= 0xef)
		return 2;
	if (b >= 0xf0 && b <= 0xf7)
		return 3;
	return -1; /* a lone continuation octet, or 0xf8..0xff */
}

/*
 * True if every non-ASCII octet sits in a lead + continuations sequence.
 * Latin-1 text almost never looks like that (the letter after a "ü" is no
 * continuation octet), so this tells the two apart; UTF-8 that is
 * well-formed in shape but not in value is then repaired, not reread.
 */
static bool utf8_shaped(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const int n = trail_count(s[i]);
		int k;

		if (n < 0 || (size_t)n >= len - i)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + (size_t)k] & 0xc0) != 0x80)
				return false;
		}
		i += (size_t)n + 1;
	}

	return true;
}

/* C0 (NUL, tab, line feed...), DEL and C1 carry no text. */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Append cp as UTF-8 if it fits before the NUL; false if it does not. */
static bool put(char *dst, size_t size, size_t *o, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}

	if (*o + n >= size)
		return false;
	memcpy(dst + *o, b, n);
	*o += n;
	return true;
}

/* The code point of a well-shaped sequence of n + 1 octets, or U+FFFD for
 * an overlong form, a surrogate or one past U+10FFFF (RFC 3629 §3). */
static uint32_t sequence_value(const uint8_t *s, int n)
{
	static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
	static const uint8_t lead_mask[4] = {0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp = s[0] & lead_mask[n];
	int k;

	for (k = 1; k <= n; k++)
		cp = cp << 6 | (s[k] & 0x3fu);

	if (cp < min[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return REPLACEMENT;

	return cp;
}

bool wiretext_is_utf8(const uint8_t *src, size_t len)
{
	size_t i = 0;

	if (!src || !utf8_shaped(src, len))
		return !len;

	while (i < len) {
		const int n = trail_count(src[i]);

		if (sequence_value(src + i, n) == REPLACEMENT &&
		    !(n == 2 && src[i] == 0xef && src[i + 1] == 0xbf &&
		      src[i + 2] == 0xbd))
			return false;
		i += (size_t)n + 1;
	}

	return true;
}

size_t wiretext_utf8(char *dst, size_t size, const uint8_t *src, size_t len)
{
	const bool utf8 = src && utf8_shaped(src, len);
	size_t i = 0, o = 0;

	if (!dst || !size)
		return 0;

	while (src && i < len) {
		uint32_t cp;
		int n = 0;

		if (utf8) {
			n = trail_count(src[i]);
			cp = sequence_value(src + i, n);
		} else {
			cp = src[i]; /* ISO-8859-1 octets are U+0000..U+00FF */
		}
		i += (size_t)n + 1;

		if (is_control(cp))
			continue;
		if (!put(dst, size, &o, cp))
			break;
	}

	dst[o] = '\0';
	return o;
}

int wiretext_utf8_dup(char **dstp, const uint8_t *src, size_t len)
{
	char *buf;

	if (!dstp || (!src && len))
		return EINVAL;

	buf = mem_alloc(WIRETEXT_SIZE(len), NULL);
	if (!buf)
		return ENOMEM;

	(void)wiretext_utf8(buf, WIRETEXT_SIZE(len), src, len);
	*dstp = buf;
	return 0;
}
