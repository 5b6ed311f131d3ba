/* uritext: URIs and header lines checked before a SIP message holds them. */

#include <stdint.h>
#include <string.h>

#include "uritext.h"
#include "wiretext.h"

bool uritext_uri_valid(const char *s, size_t len)
{
	size_t i;

	if (!s || !len)
		return false;

	for (i = 0; i < len; i++) {
		const uint8_t c = (uint8_t)s[i];

		if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"')
			return false;
	}

	return true;
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool uritext_absolute_uri_valid(const char *s, size_t len)
{
	size_t i;

	if (!uritext_uri_valid(s, len) || !is_alpha(s[0]))
		return false;

	for (i = 1; i < len; i++) {
		const char c = s[i];

		if (c == ':')
			return true;
		if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' &&
		    c != '-' && c != '.')
			return false;
	}

	return false;
}

bool uritext_uri_str_valid(const char *s, size_t max)
{
	size_t len;

	if (!s)
		return false;
	len = max ? strnlen(s, max + 1) : strlen(s);
	if (max && len > max)
		return false;

	return uritext_uri_valid(s, len);
}

bool uritext_header_lines_valid(const char *s, size_t len, size_t max)
{
	const char *p = s, *end = s + len;
	size_t i;

	if (!s || (max && len > max))
		return false;

	for (i = 0; i < len; i++) {
		const uint8_t c = (uint8_t)s[i];

		if ((c < ' ' && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return false;
	}
	if (!wiretext_is_utf8((const uint8_t *)s, len))
		return false;

	/* complete, non-empty lines only */
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));

		if (!lf || lf - p < 2 || lf[-1] != '\r' ||
		    memchr(p, '\r', (size_t)(lf - 1 - p)))
			return false;
		p = lf + 1;
	}

	return true;
}
