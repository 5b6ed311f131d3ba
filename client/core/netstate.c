/* netstate: rtnetlink messages to link/address/route/neighbour tables. */

#include <re.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "nlattr.h"
#include "wifi.h"
#include "wiretext.h"
#include "netstate.h"

/* The attributes that follow a message's fixed header. */
static void attrs_after(struct nlattr_cursor *c, const uint8_t *body,
			size_t len, size_t hdr)
{
	if (len > NLMSG_ALIGN(hdr))
		nlattr_init(c, body + NLMSG_ALIGN(hdr), len - NLMSG_ALIGN(hdr));
	else
		nlattr_init(c, NULL, 0);
}

static bool addr_len_ok(int family, size_t len)
{
	return (family == AF_INET && len == 4) ||
	       (family == AF_INET6 && len == 16);
}

static int decode_link(struct net_link *l, const uint8_t *body, size_t len,
		       const char **errmsg)
{
	struct ifinfomsg ifi;
	struct nlattr_cursor c;
	struct nlattr_val a;
	int r;

	if (len < sizeof(ifi)) {
		*errmsg = "link message shorter than ifinfomsg";
		return EBADMSG;
	}
	memcpy(&ifi, body, sizeof(ifi));
	memset(l, 0, sizeof(*l));
	l->ifindex = (unsigned)ifi.ifi_index;
	l->arptype = ifi.ifi_type;
	l->flags = ifi.ifi_flags;

	attrs_after(&c, body, len, sizeof(ifi));

	while ((r = nlattr_next(&c, &a)) > 0) {
		switch (a.type) {
		case IFLA_IFNAME:
			if (!nlattr_str(l->name, sizeof(l->name), &a)) {
				*errmsg = "IFLA_IFNAME empty or too long";
				return EBADMSG;
			}
			/* Linux allows any octets but '/', ':' and spaces in
			 * a name: shown and sent as text, so made UTF-8 (the
			 * kernel is always asked by ifindex) */
			(void)wiretext_utf8(
				l->name, sizeof(l->name),
				(const uint8_t *)a.val,
				strnlen((const char *)a.val, a.len));
			break;
		case IFLA_ADDRESS:
			if (a.len == 6) {
				memcpy(l->mac, a.val, 6);
				l->has_mac = true;
			}
			break;
		case IFLA_WIRELESS:
			l->wireless = true;
			break;
		case IFLA_LINKINFO: {
			struct nlattr_cursor n;
			struct nlattr_val na;
			int nr;

			nlattr_init(&n, a.val, a.len);
			while ((nr = nlattr_next(&n, &na)) > 0) {
				if (na.type == IFLA_INFO_KIND)
					(void)nlattr_str(l->kind,
							 sizeof(l->kind), &na);
			}
			if (nr < 0) {
				*errmsg = "malformed IFLA_LINKINFO";
				return EBADMSG;
			}
			break;
		}
		default:
			break;
		}
	}

	if (r < 0) {
		*errmsg = "malformed link attribute";
		return EBADMSG;
	}
	if (!l->ifindex) {
		*errmsg = "link message without an interface index";
		return EBADMSG;
	}

	return 0;
}

static int decode_addr(struct net_addr *ad, const uint8_t *body, size_t len,
		       const char **errmsg)
{
	struct ifaddrmsg ifa;
	struct nlattr_cursor c;
	struct nlattr_val a;
	bool have_local = false, have_addr = false;
	uint8_t local[16] = {0}, address[16] = {0};
	int r;

	if (len < sizeof(ifa)) {
		*errmsg = "address message shorter than ifaddrmsg";
		return EBADMSG;
	}
	memcpy(&ifa, body, sizeof(ifa));
	memset(ad, 0, sizeof(*ad));
	ad->ifindex = ifa.ifa_index;
	ad->family = ifa.ifa_family;
	ad->prefixlen = ifa.ifa_prefixlen;
	ad->scope = ifa.ifa_scope;

	if (ad->family != AF_INET && ad->family != AF_INET6)
		return ENOTSUP;
	if (ad->prefixlen > (ad->family == AF_INET ? 32 : 128)) {
		*errmsg = "address prefix length out of range";
		return EBADMSG;
	}

	attrs_after(&c, body, len, sizeof(ifa));

	while ((r = nlattr_next(&c, &a)) > 0) {
		if (a.type != IFA_LOCAL && a.type != IFA_ADDRESS)
			continue;
		if (!addr_len_ok(ad->family, a.len)) {
			*errmsg = "address attribute of the wrong length";
			return EBADMSG;
		}
		if (a.type == IFA_LOCAL) {
			memcpy(local, a.val, a.len);
			have_local = true;
		} else {
			memcpy(address, a.val, a.len);
			have_addr = true;
		}
	}

	if (r < 0) {
		*errmsg = "malformed address attribute";
		return EBADMSG;
	}

	/* IFA_LOCAL is our address; IFA_ADDRESS the peer on point-to-point */
	if (have_local)
		memcpy(ad->addr, local, 16);
	else if (have_addr)
		memcpy(ad->addr, address, 16);
	else {
		*errmsg = "address message without an address";
		return EBADMSG;
	}

	return 0;
}

static int decode_route(struct net_route *rt, const uint8_t *body, size_t len,
			const char **errmsg)
{
	struct rtmsg rtm;
	struct nlattr_cursor c;
	struct nlattr_val a;
	uint32_t v;
	int r;

	if (len < sizeof(rtm)) {
		*errmsg = "route message shorter than rtmsg";
		return EBADMSG;
	}
	memcpy(&rtm, body, sizeof(rtm));
	memset(rt, 0, sizeof(*rt));
	rt->family = rtm.rtm_family;
	rt->dst_len = rtm.rtm_dst_len;
	rt->table = rtm.rtm_table;
	rt->type = rtm.rtm_type;

	if (rt->family != AF_INET && rt->family != AF_INET6)
		return ENOTSUP;
	if (rt->dst_len > (rt->family == AF_INET ? 32 : 128)) {
		*errmsg = "route prefix length out of range";
		return EBADMSG;
	}

	attrs_after(&c, body, len, sizeof(rtm));

	while ((r = nlattr_next(&c, &a)) > 0) {
		switch (a.type) {
		case RTA_DST:
		case RTA_GATEWAY:
			if (!addr_len_ok(rt->family, a.len)) {
				*errmsg = "route address of the wrong length";
				return EBADMSG;
			}
			if (a.type == RTA_DST) {
				memcpy(rt->dst, a.val, a.len);
			} else {
				memcpy(rt->gw, a.val, a.len);
				rt->has_gw = true;
			}
			break;
		case RTA_OIF:
			if (!nlattr_u32(&v, &a)) {
				*errmsg = "RTA_OIF of the wrong length";
				return EBADMSG;
			}
			rt->oif = v;
			break;
		case RTA_PRIORITY:
			if (!nlattr_u32(&v, &a)) {
				*errmsg = "RTA_PRIORITY of the wrong length";
				return EBADMSG;
			}
			rt->priority = v;
			break;
		case RTA_TABLE:
			if (!nlattr_u32(&v, &a)) {
				*errmsg = "RTA_TABLE of the wrong length";
				return EBADMSG;
			}
			rt->table = v;
			break;
		default:
			break;
		}
	}

	if (r < 0) {
		*errmsg = "malformed route attribute";
		return EBADMSG;
	}

	return 0;
}

static int decode_neigh(struct net_neigh *n, const uint8_t *body, size_t len,
			const char **errmsg)
{
	struct ndmsg ndm;
	struct nlattr_cursor c;
	struct nlattr_val a;
	bool have_dst = false;
	int r;

	if (len < sizeof(ndm)) {
		*errmsg = "neighbour message shorter than ndmsg";
		return EBADMSG;
	}
	memcpy(&ndm, body, sizeof(ndm));
	memset(n, 0, sizeof(*n));
	n->family = ndm.ndm_family;
	n->ifindex = (unsigned)ndm.ndm_ifindex;
	n->state = ndm.ndm_state;

	if (n->family != AF_INET && n->family != AF_INET6)
		return ENOTSUP;

	attrs_after(&c, body, len, sizeof(ndm));

	while ((r = nlattr_next(&c, &a)) > 0) {
		if (a.type == NDA_DST) {
			if (!addr_len_ok(n->family, a.len)) {
				*errmsg = "NDA_DST of the wrong length";
				return EBADMSG;
			}
			memcpy(n->dst, a.val, a.len);
			have_dst = true;
		} else if (a.type == NDA_LLADDR && a.len == 6) {
			memcpy(n->lladdr, a.val, 6);
			n->has_lladdr = true;
		}
	}

	if (r < 0) {
		*errmsg = "malformed neighbour attribute";
		return EBADMSG;
	}
	if (!have_dst) {
		*errmsg = "neighbour message without NDA_DST";
		return EBADMSG;
	}

	return 0;
}

int rtnl_msg_decode(struct rtnl_msg *m, const uint8_t *buf, size_t len,
		    const char **errmsg)
{
	struct nlmsghdr nlh;
	const uint8_t *body;
	size_t blen;

	if (!m || !buf || !errmsg)
		return EINVAL;
	if (len < sizeof(nlh)) {
		*errmsg = "shorter than a netlink header";
		return EBADMSG;
	}

	memcpy(&nlh, buf, sizeof(nlh));
	if (nlh.nlmsg_len < sizeof(nlh) || nlh.nlmsg_len > len) {
		*errmsg = "netlink length beyond the datagram";
		return EBADMSG;
	}

	body = buf + NLMSG_HDRLEN;
	blen = nlh.nlmsg_len > NLMSG_HDRLEN ? nlh.nlmsg_len - NLMSG_HDRLEN : 0;
	memset(m, 0, sizeof(*m));

	switch (nlh.nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		m->kind = RTNL_LINK;
		m->del = nlh.nlmsg_type == RTM_DELLINK;
		return decode_link(&m->u.link, body, blen, errmsg);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		m->kind = RTNL_ADDR;
		m->del = nlh.nlmsg_type == RTM_DELADDR;
		return decode_addr(&m->u.addr, body, blen, errmsg);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		m->kind = RTNL_ROUTE;
		m->del = nlh.nlmsg_type == RTM_DELROUTE;
		m->replace = !m->del && (nlh.nlmsg_flags & NLM_F_REPLACE);
		return decode_route(&m->u.route, body, blen, errmsg);
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		m->kind = RTNL_NEIGH;
		m->del = nlh.nlmsg_type == RTM_DELNEIGH;
		return decode_neigh(&m->u.neigh, body, blen, errmsg);
	default:
		return ENOTSUP;
	}
}
