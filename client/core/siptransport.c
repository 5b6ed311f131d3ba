/* siptransport: which transport a SIP request may take (RFC 3261 §18.1.1). */

#include <re.h>
#include <string.h>
#include "siptransport.h"

/* uri without its <>, decoded; false if it is no SIP URI. */
static bool uri_get(struct uri *u, struct pl *whole, const char *uri)
{
	if (!uri || !*uri)
		return false;

	pl_set_str(whole, uri);
	if (whole->l >= 2 && whole->p[0] == '<' &&
	    whole->p[whole->l - 1] == '>') {
		whole->p++;
		whole->l -= 2;
	}
	if (uri_decode(u, whole))
		return false;

	return !pl_strcasecmp(&u->scheme, "sip") ||
	       !pl_strcasecmp(&u->scheme, "sips");
}

enum siptransport_named siptransport_of(const char *uri)
{
	struct uri u;
	struct pl whole, tp;

	if (!uri_get(&u, &whole, uri))
		return SIPTRANSPORT_INVALID;
	if (!pl_strcasecmp(&u.scheme, "sips"))
		return SIPTRANSPORT_OTHER;
	if (msg_param_decode(&u.params, "transport", &tp))
		return SIPTRANSPORT_UNNAMED;

	return pl_strcasecmp(&tp, "udp") ? SIPTRANSPORT_OTHER
					 : SIPTRANSPORT_UDP;
}

bool siptransport_loopback(const char *uri)
{
	struct uri u;
	struct pl whole;
	struct sa sa;

	if (!uri_get(&u, &whole, uri) || sa_set(&sa, &u.host, 0))
		return false;

	/* all of 127.0.0.0/8 is the loopback interface (RFC 1122 §3.2.1.3);
	 * libre's sa_is_loopback knows only 127.0.0.1 */
	if (sa_af(&sa) == AF_INET)
		return (sa_in(&sa) >> 24) == 127; /* host order */

	return sa_is_loopback(&sa);
}

bool siptransport_stream_needed(size_t size)
{
	return size > SIPTRANSPORT_UDP_MAX;
}

size_t siptransport_invite_estimate(size_t body_len, size_t hdrs_len,
				    size_t uris_len)
{
	return SIPTRANSPORT_INVITE_OVERHEAD + body_len + hdrs_len + uris_len;
}

int siptransport_tcp_uri(char *buf, size_t size, const char *uri)
{
	struct uri u;
	struct pl whole;
	int n;

	if (!buf || !size || siptransport_of(uri) != SIPTRANSPORT_UNNAMED ||
	    !uri_get(&u, &whole, uri) || u.headers.l)
		return EINVAL;

	/* the parameters come last once there are no headers */
	n = re_snprintf(buf, size, "%r;transport=tcp", &whole);
	if (n < 0 || (size_t)n >= size)
		return EOVERFLOW;

	return 0;
}
