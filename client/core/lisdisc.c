/* lisdisc: the LIS URI from U-NAPTR records (RFC 5986, RFC 4848). */

#include <re.h>
#include <string.h>
#include <strings.h>
#include "lisdisc.h"

/*
 * U-NAPTR regexps carry no back-references: the whole of "^.*$" is
 * replaced by a literal URI (RFC 4848 §2.4).  Split "<d>^.*$<d>URI<d>"
 * with any delimiter d and return the URI.
 */
static bool uri_from_regexp(char *uri, size_t sz, const char *re)
{
	const char *p, *q;
	char d;
	size_t n;

	if (!re || !re[0])
		return false;

	d = re[0];
	p = strchr(re + 1, d);
	if (!p || (size_t)(p - re - 1) != 4 || strncmp(re + 1, "^.*$", 4))
		return false;
	q = strchr(p + 1, d);
	if (!q || q[1] != '\0')
		return false; /* no flags allowed after the last delimiter */

	n = (size_t)(q - p - 1);
	if (!n || n >= sz || memchr(p + 1, '\\', n))
		return false;

	memcpy(uri, p + 1, n);
	uri[n] = '\0';
	return true;
}

static bool acceptable(const struct lisdisc_naptr *r)
{
	return r->flags && r->services && !strcasecmp(r->flags, "U") &&
	       !strcasecmp(r->services, LISDISC_SERVICE);
}

int lisdisc_select(char *uri, size_t sz, const struct lisdisc_naptr *v,
		   size_t n, bool allow_http)
{
	bool used[64] = {false};
	size_t round;

	if (!uri || !sz || (!v && n))
		return EINVAL;
	if (n > ARRAY_SIZE(used))
		n = ARRAY_SIZE(used);

	/* selection by (order, pref) without sorting the caller's array */
	for (round = 0; round < n; round++) {
		const struct lisdisc_naptr *best = NULL;
		size_t i, bi = 0;

		for (i = 0; i < n; i++) {
			if (used[i] || !acceptable(&v[i]))
				continue;
			if (!best || v[i].order < best->order ||
			    (v[i].order == best->order &&
			     v[i].pref < best->pref)) {
				best = &v[i];
				bi = i;
			}
		}
		if (!best)
			break;
		used[bi] = true;

		if (!uri_from_regexp(uri, sz, best->regexp))
			continue;
		if (!strncasecmp(uri, "https://", 8) ||
		    (allow_http && !strncasecmp(uri, "http://", 7)))
			return 0;
	}

	uri[0] = '\0';
	return ENOENT;
}
