/*
 * netstate: the kernel's view of links, addresses, routes and neighbours,
 * built from rtnetlink messages (pure: the caller brings the bytes), and
 * the snapshot of "what this device is attached to" derived from it.
 */

#ifndef LOCPHONE_NETSTATE_H
#define LOCPHONE_NETSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#include "wifi.h"

#define NET_IFNAMSIZ	   16
#define NET_MAX_LINKS	   64
#define NET_MAX_ADDRS	   256
#define NET_MAX_ROUTES	   256
#define NET_MAX_NEIGHS	   512
#define NET_SNAP_MAX_ADDRS 8

struct net_link {
	unsigned ifindex;
	char name[NET_IFNAMSIZ];
	uint8_t mac[6];
	bool has_mac;
	uint16_t arptype; /* ARPHRD_* */
	char kind[16];	  /* IFLA_INFO_KIND: "wireguard", "tun", "veth", ... */
	unsigned flags;	  /* IFF_* */
	bool wireless;	  /* marked by the nl80211 side */
};

struct net_addr {
	unsigned ifindex;
	int family;
	uint8_t addr[16];
	uint8_t prefixlen;
	uint8_t scope;
};

struct net_route {
	int family;
	uint8_t dst[16];
	uint8_t dst_len;
	uint8_t gw[16];
	bool has_gw;
	unsigned oif;
	unsigned table;
	uint32_t priority;
	uint8_t type; /* RTN_* */
};

struct net_neigh {
	int family;
	unsigned ifindex;
	uint8_t dst[16];
	uint8_t lladdr[6];
	bool has_lladdr;
	uint16_t state; /* NUD_* */
};

enum rtnl_kind {
	RTNL_LINK,
	RTNL_ADDR,
	RTNL_ROUTE,
	RTNL_NEIGH,
};

/* One decoded rtnetlink message. */
struct rtnl_msg {
	enum rtnl_kind kind;
	bool del; /* RTM_DEL* */
	/* RTM_NEWROUTE with NLM_F_REPLACE ("ip route replace|change"): the
	 * kernel replaced the route of the same table, destination and
	 * metric, whatever its interface, and sends no RTM_DELROUTE for it */
	bool replace;
	union {
		struct net_link link;
		struct net_addr addr;
		struct net_route route;
		struct net_neigh neigh;
	} u;
};

/* Fixed-size tables: a flood of netlink objects cannot grow memory. */
struct netstate {
	struct net_link links[NET_MAX_LINKS];
	size_t linkc;
	struct net_addr addrs[NET_MAX_ADDRS];
	size_t addrc;
	struct net_route routes[NET_MAX_ROUTES];
	size_t routec;
	struct net_neigh neighs[NET_MAX_NEIGHS];
	size_t neighc;
	unsigned dropped; /* objects that did not fit */
};

/*
 * Decode one message of nlmsg_len bytes at buf (len bytes available).
 * ENOTSUP for message types that are not link/addr/route/neigh (the caller
 * skips them), EBADMSG with *errmsg for malformed ones.
 */
int rtnl_msg_decode(struct rtnl_msg *m, const uint8_t *buf, size_t len,
		    const char **errmsg);

/*
 * Apply every message in a netlink datagram of len bytes (as recv returned
 * it) to ns.  *changed (optional) is set when the state changed.  EBADMSG
 * with *errmsg on the first malformed message; the ones before it stay
 * applied.  NLMSG_DONE, NLMSG_NOOP and other message types are skipped.
 */
int netstate_feed(struct netstate *ns, const uint8_t *buf, size_t len,
		  bool *changed, const char **errmsg);

/* Apply one message; returns true if the state changed. */
bool netstate_apply(struct netstate *ns, const struct rtnl_msg *m);

const struct net_link *netstate_link(const struct netstate *ns,
				     unsigned ifindex);

/* Mark a link as a Wi-Fi station (nl80211 knows, rtnetlink does not). */
void netstate_set_wireless(struct netstate *ns, unsigned ifindex, bool on);

/* True for tunnels whose addresses say nothing about where we are. */
bool net_link_is_vpn(const struct net_link *l);

/* "loopback", "ethernet", "wifi", "vpn" or "other". */
const char *net_link_type(const struct net_link *l);

struct netsnap_if {
	char name[NET_IFNAMSIZ];
	unsigned ifindex;
	uint8_t mac[6];
	bool has_mac;
	const char *type;
	bool vpn;
	bool up;
	struct {
		int family;
		uint8_t addr[16];
		uint8_t prefixlen;
	} addrs[NET_SNAP_MAX_ADDRS];
	size_t addrc;
};

/* What the device is attached to, as the location code sees it. */
struct netsnap {
	struct netsnap_if ifs[NET_MAX_LINKS];
	size_t ifc;
	struct {
		bool present;
		int family;
		uint8_t ip[16];
		uint8_t mac[6];
		bool has_mac;
		unsigned ifindex;
		char ifname[NET_IFNAMSIZ];
		bool vpn; /* the default route leaves through a tunnel */
	} gateway;
	bool vpn; /* a VPN carries the default route */
	/* the associated access point (first Wi-Fi station associated), as
	 * netinfo shows it; what the LIS is told is evidence.h's choice */
	struct {
		bool present;
		char ifname[NET_IFNAMSIZ];
		struct wifi_bss bss;
	} wifi;
	/* the subnet of the gateway's interface: evidence for the LIS,
	 * never taken from a tunnel */
	struct {
		bool present;
		int family;
		uint8_t addr[16];
		uint8_t prefixlen;
	} subnet;
};

/*
 * Derive the snapshot: interfaces except loopback, the default gateway
 * (lowest metric in the main table; a physical one is preferred for the
 * gateway MAC and subnet when a VPN carries the default route), its MAC
 * from a usable neighbour entry, and the VPN flag.
 */
void netstate_snapshot(const struct netstate *ns, struct netsnap *snap);

/* True if both snapshots describe the same attachment (debounce test). */
bool netsnap_equal(const struct netsnap *a, const struct netsnap *b);

/* The JSON form used by the netinfo command: interfaces, gateway, vpn. */
int netsnap_json_encode(struct odict *od, const struct netsnap *snap);

/* "00:11:22:aa:bb:cc" into buf (18 bytes at least). */
void net_mac_print(char *buf, size_t sz, const uint8_t mac[6]);

#endif
