/* netsnap: netstate tables kept up to date, and the attachment snapshot. */

#include <re.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "wifi.h"
#include "netstate.h"

/* Remove element i of an array of n elements of size sz. */
static void array_remove(void *base, size_t *n, size_t i, size_t sz)
{
	uint8_t *b = base;

	memmove(b + i * sz, b + (i + 1) * sz, (*n - i - 1) * sz);
	--*n;
}

/* Insert or replace elem at index i (i == *n: append).  True if changed. */
static bool array_put(void *base, size_t *n, size_t max, size_t i,
		      const void *elem, size_t sz, unsigned *dropped)
{
	uint8_t *slot = (uint8_t *)base + i * sz;

	if (i < *n) {
		if (!memcmp(slot, elem, sz))
			return false;
		memcpy(slot, elem, sz);
		return true;
	}
	if (*n >= max) {
		++*dropped;
		return false;
	}

	memcpy(slot, elem, sz);
	++*n;
	return true;
}

static size_t link_index(const struct netstate *ns, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < ns->linkc; i++) {
		if (ns->links[i].ifindex == ifindex)
			break;
	}

	return i;
}

static bool link_forget_routes(struct netstate *ns, unsigned ifindex)
{
	bool changed = false;
	size_t i;

	for (i = ns->routec; i-- > 0;) {
		if (ns->routes[i].oif == ifindex) {
			array_remove(ns->routes, &ns->routec, i,
				     sizeof(ns->routes[0]));
			changed = true;
		}
	}
	for (i = ns->neighc; i-- > 0;) {
		if (ns->neighs[i].ifindex == ifindex) {
			array_remove(ns->neighs, &ns->neighc, i,
				     sizeof(ns->neighs[0]));
			changed = true;
		}
	}

	return changed;
}

static bool link_forget(struct netstate *ns, unsigned ifindex)
{
	bool changed = link_forget_routes(ns, ifindex);
	size_t i;

	for (i = ns->addrc; i-- > 0;) {
		if (ns->addrs[i].ifindex == ifindex) {
			array_remove(ns->addrs, &ns->addrc, i,
				     sizeof(ns->addrs[0]));
			changed = true;
		}
	}

	return changed;
}

static bool apply_link(struct netstate *ns, const struct rtnl_msg *m)
{
	struct net_link l = m->u.link;
	size_t i = link_index(ns, l.ifindex);

	if (m->del) {
		if (i == ns->linkc)
			return false;
		array_remove(ns->links, &ns->linkc, i, sizeof(l));
		(void)link_forget(ns, l.ifindex);
		return true;
	}

	/* nl80211 marked it; rtnetlink messages usually do not say */
	if (i < ns->linkc && ns->links[i].wireless)
		l.wireless = true;

	/* the kernel drops an interface's routes when it is set down
	 * without telling (no RTM_DELROUTE for IPv4): do the same here */
	if (!(l.flags & IFF_UP) && i < ns->linkc &&
	    (ns->links[i].flags & IFF_UP))
		(void)link_forget_routes(ns, l.ifindex);

	return array_put(ns->links, &ns->linkc, NET_MAX_LINKS, i, &l, sizeof(l),
			 &ns->dropped);
}

static bool apply_addr(struct netstate *ns, const struct rtnl_msg *m)
{
	const struct net_addr *a = &m->u.addr;
	size_t i;

	for (i = 0; i < ns->addrc; i++) {
		const struct net_addr *o = &ns->addrs[i];

		if (o->ifindex == a->ifindex && o->family == a->family &&
		    o->prefixlen == a->prefixlen &&
		    !memcmp(o->addr, a->addr, 16))
			break;
	}

	if (m->del) {
		if (i == ns->addrc)
			return false;
		array_remove(ns->addrs, &ns->addrc, i, sizeof(*a));
		return true;
	}

	return array_put(ns->addrs, &ns->addrc, NET_MAX_ADDRS, i, a, sizeof(*a),
			 &ns->dropped);
}

/* The same route: table, destination and metric; for a replacement any
 * interface, else the same one (the kernel keeps one per interface). */
static bool route_same(const struct net_route *o, const struct net_route *r,
		       bool any_oif)
{
	return o->family == r->family && o->table == r->table &&
	       o->dst_len == r->dst_len && o->priority == r->priority &&
	       (any_oif || o->oif == r->oif) && !memcmp(o->dst, r->dst, 16);
}

static bool apply_route(struct netstate *ns, const struct rtnl_msg *m)
{
	const struct net_route *r = &m->u.route;
	bool gone = false;
	size_t i;

	/* what "ip route replace" replaced leaves without a word */
	for (i = ns->routec; m->replace && i-- > 0;) {
		if (route_same(&ns->routes[i], r, true) &&
		    ns->routes[i].oif != r->oif) {
			array_remove(ns->routes, &ns->routec, i, sizeof(*r));
			gone = true;
		}
	}

	for (i = 0; i < ns->routec; i++) {
		if (route_same(&ns->routes[i], r, false))
			break;
	}

	if (m->del) {
		if (i == ns->routec)
			return false;
		array_remove(ns->routes, &ns->routec, i, sizeof(*r));
		return true;
	}

	return array_put(ns->routes, &ns->routec, NET_MAX_ROUTES, i, r,
			 sizeof(*r), &ns->dropped) ||
	       gone;
}

static bool apply_neigh(struct netstate *ns, const struct rtnl_msg *m)
{
	const struct net_neigh *n = &m->u.neigh;
	size_t i;

	for (i = 0; i < ns->neighc; i++) {
		const struct net_neigh *o = &ns->neighs[i];

		if (o->family == n->family && o->ifindex == n->ifindex &&
		    !memcmp(o->dst, n->dst, 16))
			break;
	}

	if (m->del) {
		if (i == ns->neighc)
			return false;
		array_remove(ns->neighs, &ns->neighc, i, sizeof(*n));
		return true;
	}

	return array_put(ns->neighs, &ns->neighc, NET_MAX_NEIGHS, i, n,
			 sizeof(*n), &ns->dropped);
}

bool netstate_apply(struct netstate *ns, const struct rtnl_msg *m)
{
	if (!ns || !m)
		return false;

	switch (m->kind) {
	case RTNL_LINK:
		return apply_link(ns, m);
	case RTNL_ADDR:
		return apply_addr(ns, m);
	case RTNL_ROUTE:
		return apply_route(ns, m);
	case RTNL_NEIGH:
		return apply_neigh(ns, m);
	}

	return false;
}

int netstate_feed(struct netstate *ns, const uint8_t *buf, size_t len,
		  bool *changed, const char **errmsg)
{
	size_t off = 0;

	if (!ns || (!buf && len) || !errmsg)
		return EINVAL;

	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr nlh;
		struct rtnl_msg m;
		int err;

		memcpy(&nlh, buf + off, sizeof(nlh));
		if (nlh.nlmsg_len < sizeof(nlh) || nlh.nlmsg_len > len - off) {
			*errmsg = "netlink length beyond the datagram";
			return EBADMSG;
		}

		err = rtnl_msg_decode(&m, buf + off, len - off, errmsg);
		if (err == 0) {
			if (netstate_apply(ns, &m) && changed)
				*changed = true;
		} else if (err != ENOTSUP) {
			return err;
		}

		if (NLMSG_ALIGN(nlh.nlmsg_len) >= len - off)
			break;
		off += NLMSG_ALIGN(nlh.nlmsg_len);
	}

	return 0;
}

const struct net_link *netstate_link(const struct netstate *ns,
				     unsigned ifindex)
{
	size_t i = ns ? link_index(ns, ifindex) : 0;

	return ns && i < ns->linkc ? &ns->links[i] : NULL;
}

void netstate_set_wireless(struct netstate *ns, unsigned ifindex, bool on)
{
	size_t i = ns ? link_index(ns, ifindex) : 0;

	if (ns && i < ns->linkc)
		ns->links[i].wireless = on;
}

bool net_link_is_vpn(const struct net_link *l)
{
	static const char *const kinds[] = {
		"wireguard", "tun",	"tap",	 "ipip", "gre",
		"ip6tnl",    "sit",	"vti",	 "vti6", "xfrm",
		"ppp",	     "openvpn", "ipsec", "l2tp", "ip6gre"};
	size_t i;

	if (!l)
		return false;

	/* tun devices report ARPHRD_NONE; PPP (including L2TP/PPTP) its own */
	if (l->arptype == ARPHRD_NONE || l->arptype == ARPHRD_PPP ||
	    l->arptype == ARPHRD_TUNNEL || l->arptype == ARPHRD_TUNNEL6 ||
	    l->arptype == ARPHRD_IPGRE)
		return true;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (0 == strcmp(l->kind, kinds[i]))
			return true;
	}

	/* by name, for drivers that report neither */
	return 0 == strncmp(l->name, "tun", 3) ||
	       0 == strncmp(l->name, "wg", 2) ||
	       0 == strncmp(l->name, "ppp", 3) ||
	       0 == strncmp(l->name, "ipsec", 5);
}

const char *net_link_type(const struct net_link *l)
{
	if (l->arptype == ARPHRD_LOOPBACK || (l->flags & IFF_LOOPBACK))
		return "loopback";
	if (net_link_is_vpn(l))
		return "vpn";
	if (l->wireless)
		return "wifi";
	if (l->arptype == ARPHRD_ETHER)
		return "ethernet";

	return "other";
}

static bool neigh_usable(uint16_t state)
{
	return state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE |
			NUD_PERMANENT);
}

static bool prefix_contains(const uint8_t *net, unsigned prefixlen,
			    const uint8_t *addr)
{
	unsigned full = prefixlen / 8, rest = prefixlen % 8;

	if (memcmp(net, addr, full))
		return false;
	if (!rest)
		return true;

	return ((net[full] ^ addr[full]) & (0xffu << (8 - rest))) == 0;
}

/* The best default route; vpn: -1 any, 0 physical only. */
static const struct net_route *default_route(const struct netstate *ns, int vpn)
{
	const struct net_route *best = NULL;
	size_t i;

	for (i = 0; i < ns->routec; i++) {
		const struct net_route *r = &ns->routes[i];
		const struct net_link *l = netstate_link(ns, r->oif);

		if (r->dst_len != 0 || r->table != RT_TABLE_MAIN ||
		    r->type != RTN_UNICAST || !l)
			continue;
		if (vpn == 0 && net_link_is_vpn(l))
			continue;
		/* IPv4 first at equal metric: most LIS wiremaps are IPv4 */
		if (!best || r->priority < best->priority ||
		    (r->priority == best->priority && r->family == AF_INET &&
		     best->family != AF_INET))
			best = r;
	}

	return best;
}

/*
 * A tunnel carries the default route however the VPN client set it up: a
 * default route through it in any table (wg-quick uses its own table and a
 * rule), or the two halves 0/1 and 128/1 (OpenVPN's def1).
 */
static bool vpn_carries_default(const struct netstate *ns)
{
	size_t i;

	for (i = 0; i < ns->routec; i++) {
		const struct net_route *r = &ns->routes[i];

		if (r->dst_len <= 1 && r->type == RTN_UNICAST &&
		    net_link_is_vpn(netstate_link(ns, r->oif)))
			return true;
	}

	return false;
}

static void snap_interfaces(const struct netstate *ns, struct netsnap *snap)
{
	size_t i, j;

	for (i = 0; i < ns->linkc && snap->ifc < NET_MAX_LINKS; i++) {
		const struct net_link *l = &ns->links[i];
		struct netsnap_if *sif;

		if (0 == strcmp(net_link_type(l), "loopback"))
			continue;

		sif = &snap->ifs[snap->ifc++];
		str_ncpy(sif->name, l->name, sizeof(sif->name));
		sif->ifindex = l->ifindex;
		sif->has_mac = l->has_mac;
		memcpy(sif->mac, l->mac, 6);
		sif->type = net_link_type(l);
		sif->vpn = net_link_is_vpn(l);
		sif->up = (l->flags & IFF_UP) && (l->flags & IFF_RUNNING);

		for (j = 0; j < ns->addrc && sif->addrc < NET_SNAP_MAX_ADDRS;
		     j++) {
			const struct net_addr *a = &ns->addrs[j];

			if (a->ifindex != l->ifindex ||
			    a->scope == RT_SCOPE_HOST)
				continue;
			sif->addrs[sif->addrc].family = a->family;
			sif->addrs[sif->addrc].prefixlen = a->prefixlen;
			memcpy(sif->addrs[sif->addrc].addr, a->addr, 16);
			++sif->addrc;
		}
	}
}

static void snap_gateway(const struct netstate *ns, struct netsnap *snap,
			 const struct net_route *r)
{
	const struct net_link *l = netstate_link(ns, r->oif);
	size_t i;

	snap->gateway.present = true;
	snap->gateway.family = r->family;
	memcpy(snap->gateway.ip, r->gw, 16);
	snap->gateway.ifindex = r->oif;
	snap->gateway.vpn = net_link_is_vpn(l);
	str_ncpy(snap->gateway.ifname, l->name, sizeof(snap->gateway.ifname));

	for (i = 0; i < ns->neighc && r->has_gw; i++) {
		const struct net_neigh *n = &ns->neighs[i];

		if (n->family == r->family && n->ifindex == r->oif &&
		    n->has_lladdr && neigh_usable(n->state) &&
		    !memcmp(n->dst, r->gw, 16)) {
			memcpy(snap->gateway.mac, n->lladdr, 6);
			snap->gateway.has_mac = true;
			break;
		}
	}

	if (snap->gateway.vpn)
		return; /* a tunnel's subnet says nothing about the place */

	for (i = 0; i < ns->addrc; i++) {
		const struct net_addr *a = &ns->addrs[i];

		if (a->ifindex != r->oif || a->family != r->family ||
		    a->scope == RT_SCOPE_HOST)
			continue;
		if (r->has_gw && !prefix_contains(a->addr, a->prefixlen, r->gw))
			continue;
		snap->subnet.present = true;
		snap->subnet.family = a->family;
		snap->subnet.prefixlen = a->prefixlen;
		memcpy(snap->subnet.addr, a->addr, 16);
		break;
	}
}

void netstate_snapshot(const struct netstate *ns, struct netsnap *snap)
{
	const struct net_route *any, *physical;

	if (!snap)
		return;
	memset(snap, 0, sizeof(*snap));
	if (!ns)
		return;

	snap_interfaces(ns, snap);

	any = default_route(ns, -1);
	physical = default_route(ns, 0);
	snap->vpn = vpn_carries_default(ns);

	if (physical)
		snap_gateway(ns, snap, physical);
	else if (any)
		snap_gateway(ns, snap, any);
}

bool netsnap_equal(const struct netsnap *a, const struct netsnap *b)
{
	return a && b && !memcmp(a, b, sizeof(*a));
}

void net_mac_print(char *buf, size_t sz, const uint8_t mac[6])
{
	(void)re_snprintf(buf, sz, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
			  mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static int addr_add(struct odict *od, const char *key, int family,
		    const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, buf, sizeof(buf)))
		return EINVAL;

	return odict_entry_add(od, key, ODICT_STRING, buf);
}

static int if_encode(struct odict *arr, unsigned idx,
		     const struct netsnap_if *sif)
{
	struct odict *o = NULL, *addrs = NULL;
	char key[16], mac[18];
	size_t i;
	int err;

	err = odict_alloc(&o, 8);
	if (!err)
		err = odict_alloc(&addrs, 4);
	if (err)
		goto out;

	err = odict_entry_add(o, "name", ODICT_STRING, sif->name);
	if (!err && sif->has_mac) {
		net_mac_print(mac, sizeof(mac), sif->mac);
		err = odict_entry_add(o, "mac", ODICT_STRING, mac);
	}
	if (!err)
		err = odict_entry_add(o, "type", ODICT_STRING, sif->type);
	if (!err)
		err = odict_entry_add(o, "up", ODICT_BOOL, sif->up);
	if (!err)
		err = odict_entry_add(o, "vpn", ODICT_BOOL, sif->vpn);

	for (i = 0; !err && i < sif->addrc; i++) {
		struct odict *a = NULL;

		err = odict_alloc(&a, 2);
		if (!err)
			err = addr_add(a, "address", sif->addrs[i].family,
				       sif->addrs[i].addr);
		if (!err)
			err = odict_entry_add(a, "prefix", ODICT_INT,
					      (int64_t)sif->addrs[i].prefixlen);
		(void)re_snprintf(key, sizeof(key), "%zu", i);
		if (!err)
			err = odict_entry_add(addrs, key, ODICT_OBJECT, a);
		mem_deref(a);
	}

	if (!err)
		err = odict_entry_add(o, "addresses", ODICT_ARRAY, addrs);
	(void)re_snprintf(key, sizeof(key), "%u", idx);
	if (!err)
		err = odict_entry_add(arr, key, ODICT_OBJECT, o);

out:
	mem_deref(addrs);
	mem_deref(o);
	return err;
}

int netsnap_json_encode(struct odict *od, const struct netsnap *snap)
{
	struct odict *ifs = NULL, *gw = NULL;
	char mac[18];
	size_t i;
	int err;

	if (!od || !snap)
		return EINVAL;

	err = odict_alloc(&ifs, 8);
	if (err)
		return err;

	for (i = 0; !err && i < snap->ifc; i++)
		err = if_encode(ifs, (unsigned)i, &snap->ifs[i]);
	if (!err)
		err = odict_entry_add(od, "interfaces", ODICT_ARRAY, ifs);
	if (err)
		goto out;

	if (snap->gateway.present) {
		err = odict_alloc(&gw, 4);
		if (!err)
			err = addr_add(gw, "ip", snap->gateway.family,
				       snap->gateway.ip);
		if (!err && snap->gateway.has_mac) {
			net_mac_print(mac, sizeof(mac), snap->gateway.mac);
			err = odict_entry_add(gw, "mac", ODICT_STRING, mac);
		}
		if (!err)
			err = odict_entry_add(gw, "interface", ODICT_STRING,
					      snap->gateway.ifname);
		if (!err)
			err = odict_entry_add(od, "gateway", ODICT_OBJECT, gw);
	} else {
		err = odict_entry_add(od, "gateway", ODICT_NULL);
	}
	if (!err && snap->subnet.present) {
		char net[INET6_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN];

		if (inet_ntop(snap->subnet.family, snap->subnet.addr, a,
			      sizeof(a))) {
			(void)re_snprintf(net, sizeof(net), "%s/%u", a,
					  snap->subnet.prefixlen);
			err = odict_entry_add(od, "subnet", ODICT_STRING, net);
		}
	}
	if (!err && snap->wifi.present) {
		struct odict *w = NULL;

		err = odict_alloc(&w, 8);
		if (!err)
			err = wifi_bss_json_encode(w, &snap->wifi.bss,
						   snap->wifi.ifname);
		if (!err)
			err = odict_entry_add(od, "wifi", ODICT_OBJECT, w);
		mem_deref(w);
	}
	if (!err)
		err = odict_entry_add(od, "vpn", ODICT_BOOL, snap->vpn);

out:
	mem_deref(gw);
	mem_deref(ifs);
	return err;
}
