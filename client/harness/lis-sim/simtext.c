/* simtext: text forms shared by the LIS simulator (MAC, hex, XML, JSON). */

#include <re.h>
#include <string.h>
#include <time.h>
#include "simtext.h"

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex_octet(uint8_t *o, const char *s)
{
	int hi = hex_nibble(s[0]), lo = hex_nibble(s[1]);

	if (hi < 0 || lo < 0)
		return EINVAL;

	*o = (uint8_t)(hi << 4 | lo);
	return 0;
}

int sim_mac_decode(uint8_t mac[SIM_MAC_LEN], const char *s, size_t len)
{
	uint8_t v[SIM_MAC_LEN];
	size_t i, step;
	char sep = 0;

	if (!mac || !s)
		return EINVAL;

	if (len == 2 * SIM_MAC_LEN) {
		step = 2;
	} else if (len == 3 * SIM_MAC_LEN - 1) {
		step = 3;
		sep = s[2];
		if (sep != ':' && sep != '-')
			return EINVAL;
	} else {
		return EINVAL;
	}

	for (i = 0; i < SIM_MAC_LEN; i++) {
		const char *p = s + i * step;

		/* one separator character throughout, none after the last */
		if (sep && i + 1 < SIM_MAC_LEN && p[2] != sep)
			return EINVAL;
		if (hex_octet(&v[i], p))
			return EINVAL;
	}

	memcpy(mac, v, sizeof(v));
	return 0;
}

int sim_hex_decode(uint8_t *buf, size_t sz, size_t *np, const char *s,
		   size_t len)
{
	size_t i;

	if (!buf || !np || (!s && len))
		return EINVAL;
	if (len % 2)
		return EINVAL;
	if (len / 2 > sz)
		return EOVERFLOW;

	for (i = 0; i < len / 2; i++) {
		if (hex_octet(&buf[i], s + 2 * i))
			return EINVAL;
	}

	*np = len / 2;
	return 0;
}

bool sim_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n, i;

		if (*p < 0x80)
			n = 0;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 1;
		else if ((*p & 0xf0) == 0xe0)
			n = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return false;

		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
		}

		/* no overlong forms, no surrogates, nothing past U+10FFFF */
		if ((p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] >= 0xa0) ||
		    (p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] >= 0x90))
			return false;

		p += n + 1;
	}

	return true;
}

int sim_mac_print(struct re_printf *pf, const uint8_t *mac)
{
	if (!mac)
		return 0;

	return re_hprintf(pf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
			  mac[2], mac[3], mac[4], mac[5]);
}

int sim_hex_print(struct re_printf *pf, const struct sim_bytes *b)
{
	size_t i;
	int err = 0;

	for (i = 0; b && i < b->len && !err; i++)
		err = re_hprintf(pf, "%02x", b->p[i]);

	return err;
}

int sim_xml_print(struct re_printf *pf, const char *s)
{
	const char *run = s;
	int err = 0;

	if (!s)
		return 0;

	/* copy unescaped runs whole, replace the five special characters */
	for (; *s && !err; s++) {
		const char *ent;

		switch (*s) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&apos;";
			break;
		default:
			continue;
		}

		err = pf->vph(run, (size_t)(s - run), pf->arg);
		if (!err)
			err = re_hprintf(pf, "%s", ent);
		run = s + 1;
	}

	if (!err)
		err = pf->vph(run, (size_t)(s - run), pf->arg);

	return err;
}

int sim_json_print(struct re_printf *pf, const char *s)
{
	const char *run;
	int err;

	if (!s)
		return re_hprintf(pf, "null");

	err = re_hprintf(pf, "\"");
	for (run = s; *s && !err; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;

		err = pf->vph(run, (size_t)(s - run), pf->arg);
		if (err)
			break;
		if (c == '"' || c == '\\')
			err = re_hprintf(pf, "\\%c", c);
		else
			err = re_hprintf(pf, "\\u%04x", c);
		run = s + 1;
	}

	if (!err)
		err = pf->vph(run, (size_t)(s - run), pf->arg);
	if (!err)
		err = re_hprintf(pf, "\"");

	return err;
}

int sim_datetime_print(struct re_printf *pf, const time_t *t)
{
	struct tm tm;

	if (!t || !gmtime_r(t, &tm))
		return EINVAL;

	return re_hprintf(pf, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			  tm.tm_hour, tm.tm_min, tm.tm_sec);
}
