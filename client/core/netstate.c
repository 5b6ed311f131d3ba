/* netstate: rtnetlink messages to link/address/route/neighbour tables. */

#include <re.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "netstate.h"

/* A bounds-checked walk over rtattrs: every length checked before use. */
struct attr_cursor {
	const uint8_t *p;
	size_t left;
};

struct attr {
	unsigned type;
	const uint8_t *val;
	size_t len;
};

#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

/* 1: next attribute in *a; 0: end; -1: malformed. */
static int attr_next(struct attr_cursor *c, struct attr *a)
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

static bool attr_copy_str(char *dst, size_t sz, const struct attr *a)
{
	size_t n = strnlen((const char *)a->val, a->len);

	if (n == 0 || n >= sz)
		return false;

	memcpy(dst, a->val, n);
	dst[n] = '\0';
	return true;
}

static bool attr_u32(uint32_t *v, const struct attr *a)
{
	if (a->len != 4)
		return false;
	memcpy(v, a->val, 4);
	return true;
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
	struct attr_cursor c;
	struct attr a;
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

	c.p = body + NLMSG_ALIGN(sizeof(ifi));
	c.left = len > NLMSG_ALIGN(sizeof(ifi)) ? len - NLMSG_ALIGN(sizeof(ifi))
						: 0;

	while ((r = attr_next(&c, &a)) > 0) {
		switch (a.type) {
		case IFLA_IFNAME:
			if (!attr_copy_str(l->name, sizeof(l->name), &a)) {
				*errmsg = "IFLA_IFNAME empty or too long";
				return EBADMSG;
			}
			break;
		case IFLA_ADDRESS:
			if (a.len == 6) {
				memcpy(l->mac, a.val, 6);
				l->has_mac = true;
			}
			break;
		case IFLA_OPERSTATE:
			if (a.len >= 1)
				l->operstate = a.val[0];
			break;
		case IFLA_WIRELESS:
			l->wireless = true;
			break;
		case IFLA_LINKINFO: {
			struct attr_cursor n = {a.val, a.len};
			struct attr na;
			int nr;

			while ((nr = attr_next(&n, &na)) > 0) {
				if (na.type == IFLA_INFO_KIND)
					(void)attr_copy_str(
						l->kind, sizeof(l->kind), &na);
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
	struct attr_cursor c;
	struct attr a;
	bool have_local = false, have_addr = false;
	uint8_t local[16], address[16];
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

	c.p = body + NLMSG_ALIGN(sizeof(ifa));
	c.left = len > NLMSG_ALIGN(sizeof(ifa)) ? len - NLMSG_ALIGN(sizeof(ifa))
						: 0;

	while ((r = attr_next(&c, &a)) > 0) {
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
	struct attr_cursor c;
	struct attr a;
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

	c.p = body + NLMSG_ALIGN(sizeof(rtm));
	c.left = len > NLMSG_ALIGN(sizeof(rtm)) ? len - NLMSG_ALIGN(sizeof(rtm))
						: 0;

	while ((r = attr_next(&c, &a)) > 0) {
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
			if (!attr_u32(&v, &a)) {
				*errmsg = "RTA_OIF of the wrong length";
				return EBADMSG;
			}
			rt->oif = v;
			break;
		case RTA_PRIORITY:
			if (!attr_u32(&v, &a)) {
				*errmsg = "RTA_PRIORITY of the wrong length";
				return EBADMSG;
			}
			rt->priority = v;
			break;
		case RTA_TABLE:
			if (!attr_u32(&v, &a)) {
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
	struct attr_cursor c;
	struct attr a;
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

	c.p = body + NLMSG_ALIGN(sizeof(ndm));
	c.left = len > NLMSG_ALIGN(sizeof(ndm)) ? len - NLMSG_ALIGN(sizeof(ndm))
						: 0;

	while ((r = attr_next(&c, &a)) > 0) {
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
