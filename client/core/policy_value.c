/* policy_value: syntax checks for single policy values. */

#include <re.h>
#include <string.h>
#include <strings.h>
#include <limits.h>
#include "policy.h"
#include "policy_value.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return 0 == strncasecmp(s, prefix, strlen(prefix));
}

/* RFC 3986: URIs are printable ASCII without blanks. */
static bool uri_chars_ok(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	}

	return true;
}

/* A host name, IPv4 address or (as libre leaves it) bare IPv6 address. */
static bool host_ok(const struct pl *host)
{
	size_t i;

	if (!host->l)
		return false;

	for (i = 0; i < host->l; i++) {
		char c = host->p[i];

		if (!is_alnum(c) && c != '.' && c != '-' && c != ':')
			return false;
	}

	return true;
}

static const char *sip_problem(const char *s, bool need_user)
{
	struct uri uri;
	struct pl pl;

	if (!has_prefix_ci(s, "sip:") && !has_prefix_ci(s, "sips:"))
		return "is not a sip: or sips: URI";

	pl_set_str(&pl, s);
	if (uri_decode(&uri, &pl))
		return "is not a valid SIP URI";
	if (!host_ok(&uri.host))
		return "has no valid host";
	if (need_user && !pl_isset(&uri.user))
		return "has no user part (user@host)";

	return NULL;
}

/* RFC 3966 number part: an optional '+', digits, '*', '#' and visual
 * separators, then parameters after ';'. */
static const char *tel_problem(const char *s)
{
	bool digit = false;

	s += strlen("tel:");
	if (*s == '+')
		++s;

	for (; *s && *s != ';'; s++) {
		if (is_digit(*s))
			digit = true;
		else if (!strchr("*#-.()", *s))
			return "is not a tel: number";
	}

	return digit ? NULL : "is not a tel: number";
}

/* RFC 5031: urn:service:sos or a sub-service such as sos.fire; counseling
 * and test services are not emergency routes. */
static const char *urn_problem(const char *s)
{
	static const char bad[] =
		"is not an emergency service URN (urn:service:sos or "
		"urn:service:sos.<type>)";

	s += strlen("urn:service:");
	if (!has_prefix_ci(s, "sos"))
		return bad;
	s += 3;

	while (*s) {
		if (*s++ != '.' || !is_alnum(*s))
			return bad;
		while (is_alnum(*s) || *s == '-')
			++s;
	}

	return NULL;
}

const char *policy_uri_problem(const char *s, enum policy_uri_kind kind)
{
	if (!s || !s[0])
		return "is empty";
	if (strlen(s) > POLICY_URI_MAX)
		return "is too long";
	if (!uri_chars_ok(s))
		return "contains blanks or characters a URI cannot hold";

	if (kind != POLICY_URI_ROUTE)
		return sip_problem(s, kind == POLICY_URI_AOR);

	if (has_prefix_ci(s, "sip:") || has_prefix_ci(s, "sips:"))
		return sip_problem(s, true);
	if (has_prefix_ci(s, "tel:"))
		return tel_problem(s);
	if (has_prefix_ci(s, "urn:service:"))
		return urn_problem(s);

	return "is not a sip:, sips:, tel: or urn:service:sos URI";
}

bool policy_route_needs_proxy(const char *route)
{
	return route &&
	       (has_prefix_ci(route, "tel:") || has_prefix_ci(route, "urn:"));
}

bool policy_digits_valid(const struct pl *s, size_t max)
{
	size_t i;

	if (!s || !s->l || s->l > max)
		return false;

	for (i = 0; i < s->l; i++) {
		if (!is_digit(s->p[i]))
			return false;
	}

	return true;
}

int policy_mask_split(const struct pl *item, struct pl *from, struct pl *to)
{
	size_t i;

	if (!item || !from || !to)
		return EINVAL;

	for (i = 0; i < item->l; i++) {
		if (item->p[i] == ':' || item->p[i] == '>')
			break;
	}
	if (i == item->l)
		return EINVAL;

	from->p = item->p;
	from->l = i;
	to->p = item->p + i + 1;
	to->l = item->l - i - 1;
	policy_pl_trim(from);
	policy_pl_trim(to);

	return 0;
}

int policy_uint_parse(unsigned *v, const char *s)
{
	uint64_t n = 0;
	size_t i;

	if (!v || !s || !s[0])
		return EINVAL;

	for (i = 0; s[i]; i++) {
		if (!is_digit(s[i]))
			return EINVAL;
		n = n * 10 + (uint64_t)(s[i] - '0');
		if (n > UINT_MAX)
			return EINVAL;
	}

	*v = (unsigned)n;
	return 0;
}

int policy_duration_parse(unsigned *secs, const char *s)
{
	char num[16];
	unsigned mult = 3600, v;
	size_t n;

	if (!secs || !s)
		return EINVAL;

	n = strlen(s);
	if (n && (s[n - 1] == 'h' || s[n - 1] == 'm' || s[n - 1] == 's')) {
		mult = s[n - 1] == 'h' ? 3600 : s[n - 1] == 'm' ? 60 : 1;
		--n;
	}
	if (!n || n >= sizeof(num))
		return EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';

	if (policy_uint_parse(&v, num) || v > UINT_MAX / mult)
		return EINVAL;

	*secs = v * mult;
	return 0;
}

void policy_pl_trim(struct pl *pl)
{
	while (pl->l && (pl->p[0] == ' ' || pl->p[0] == '\t')) {
		++pl->p;
		--pl->l;
	}
	while (pl->l && (pl->p[pl->l - 1] == ' ' || pl->p[pl->l - 1] == '\t'))
		--pl->l;
}

unsigned policy_edit_distance(const char *a, const char *b, unsigned limit)
{
	enum { MAXLEN = 64 };
	unsigned d[3][MAXLEN + 1]; /* rows i-2, i-1, i (mod 3) */
	size_t la, lb, i, j;

	if (!a || !b)
		return limit;

	la = strlen(a);
	lb = strlen(b);
	/* the distance is at least the difference in length */
	if (la > MAXLEN || lb > MAXLEN || la >= lb + limit || lb >= la + limit)
		return limit;

	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;

	for (i = 1; i <= la; i++) {
		unsigned *cur = d[i % 3], *prev = d[(i - 1) % 3];

		cur[0] = (unsigned)i;
		for (j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			/* a swap of two neighbours is one slip */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[(i - 2) % 3][j - 2] + 1 < v)
				v = d[(i - 2) % 3][j - 2] + 1;
			cur[j] = v;
		}
	}

	return d[la % 3][lb] < limit ? d[la % 3][lb] : limit;
}
