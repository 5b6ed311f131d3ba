/* Unit tests for netstate: synthesised rtnetlink messages to a snapshot. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "wifi.h"
#include "netstate.h"
#include "nlbuild.h"

static void add_link(struct dgram *d, int index, const char *name,
		     uint16_t arptype, const char *mac, const char *kind)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_type = arptype,
				.ifi_index = index,
				.ifi_flags = IFF_UP | IFF_RUNNING};
	uint8_t m[6];

	msg_begin(d, RTM_NEWLINK, &ifi, sizeof(ifi));
	attr(d, IFLA_IFNAME, name, strlen(name) + 1);
	if (mac) {
		assert_int_equal(6, sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
					   &m[0], &m[1], &m[2], &m[3], &m[4],
					   &m[5]));
		attr(d, IFLA_ADDRESS, m, 6);
	}
	if (kind) {
		uint8_t nest[32];
		uint16_t klen = (uint16_t)(4 + strlen(kind) + 1);
		uint16_t ktype = IFLA_INFO_KIND;

		memcpy(nest, &klen, 2);
		memcpy(nest + 2, &ktype, 2);
		memcpy(nest + 4, kind, strlen(kind) + 1);
		attr(d, IFLA_LINKINFO, nest, (klen + 3u) & ~3u);
	}
	msg_end(d);
}

static void add_addr(struct dgram *d, int index, const char *ip, uint8_t prefix)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET,
				.ifa_prefixlen = prefix,
				.ifa_index = (unsigned)index};
	uint8_t a[4];

	assert_int_equal(1, inet_pton(AF_INET, ip, a));
	msg_begin(d, RTM_NEWADDR, &ifa, sizeof(ifa));
	attr(d, IFA_LOCAL, a, 4);
	attr(d, IFA_ADDRESS, a, 4);
	msg_end(d);
}

static void add_default_route(struct dgram *d, uint16_t type, int oif,
			      const char *gw, uint32_t metric)
{
	struct rtmsg rtm = {.rtm_family = AF_INET,
			    .rtm_table = RT_TABLE_MAIN,
			    .rtm_type = RTN_UNICAST};
	uint32_t o = (uint32_t)oif;
	uint8_t a[4];

	msg_begin(d, type, &rtm, sizeof(rtm));
	if (gw) {
		assert_int_equal(1, inet_pton(AF_INET, gw, a));
		attr(d, RTA_GATEWAY, a, 4);
	}
	attr(d, RTA_OIF, &o, 4);
	attr(d, RTA_PRIORITY, &metric, 4);
	msg_end(d);
}

static void add_neigh(struct dgram *d, int index, const char *ip,
		      const char *mac, uint16_t state)
{
	struct ndmsg ndm = {.ndm_family = AF_INET,
			    .ndm_ifindex = index,
			    .ndm_state = state};
	uint8_t a[4], m[6];

	assert_int_equal(1, inet_pton(AF_INET, ip, a));
	sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3],
	       &m[4], &m[5]);
	msg_begin(d, RTM_NEWNEIGH, &ndm, sizeof(ndm));
	attr(d, NDA_DST, a, 4);
	attr(d, NDA_LLADDR, m, 6);
	msg_end(d);
}

static struct netstate *office(void)
{
	static struct netstate ns;
	struct dgram d = {.len = 0};
	const char *why = NULL;
	bool changed = false;

	memset(&ns, 0, sizeof(ns));
	add_link(&d, 1, "lo", ARPHRD_LOOPBACK, NULL, NULL);
	add_link(&d, 2, "eth0", ARPHRD_ETHER, "02:00:00:00:00:0A", "veth");
	add_addr(&d, 2, "10.1.2.30", 24);
	add_default_route(&d, RTM_NEWROUTE, 2, "10.1.2.1", 100);
	add_neigh(&d, 2, "10.1.2.1", "00:11:22:33:44:55", NUD_REACHABLE);

	assert_int_equal(0, netstate_feed(&ns, d.buf, d.len, &changed, &why));
	assert_true(changed);
	return &ns;
}

/* Interface names are any octets but '/', ':' and spaces to Linux: shown
 * as UTF-8 text (ISO-8859-1 transcoded, control characters dropped). */
static void interface_names_as_text(void **state)
{
	static struct netstate ns;
	struct dgram d = {.len = 0};
	struct netsnap snap;
	const char *why = NULL;
	bool changed = false;
	(void)state;

	memset(&ns, 0, sizeof(ns));
	add_link(&d, 2,
		 "br\xfc"
		 "cke",
		 ARPHRD_ETHER, "02:00:00:00:00:0A", NULL);
	add_link(&d, 3,
		 "a\x1b"
		 "b\xc0\xaf",
		 ARPHRD_ETHER, "02:00:00:00:00:0B", NULL);
	assert_int_equal(0, netstate_feed(&ns, d.buf, d.len, &changed, &why));

	netstate_snapshot(&ns, &snap);
	assert_int_equal(2, snap.ifc);
	assert_string_equal("br\xc3\xbc"
			    "cke",
			    snap.ifs[0].name);
	/* an overlong "/" is no character: U+FFFD; ESC dropped */
	assert_string_equal("ab\xef\xbf\xbd", snap.ifs[1].name);
}

static void office_snapshot(void **state)
{
	struct netstate *ns = office();
	struct netsnap snap;
	(void)state;

	netstate_snapshot(ns, &snap);
	assert_int_equal(1, snap.ifc); /* loopback left out */
	assert_string_equal("eth0", snap.ifs[0].name);
	assert_string_equal("ethernet", snap.ifs[0].type);
	assert_int_equal(1, snap.ifs[0].addrc);
	assert_true(snap.gateway.present);
	assert_true(snap.gateway.has_mac);
	assert_memory_equal("\x00\x11\x22\x33\x44\x55", snap.gateway.mac, 6);
	assert_true(snap.subnet.present);
	assert_int_equal(24, snap.subnet.prefixlen);
	assert_false(snap.vpn);
}

static void json_form(void **state)
{
	struct netstate *ns = office();
	struct netsnap snap;
	struct odict *od = NULL;
	struct mbuf *mb = mbuf_alloc(512);
	(void)state;

	netstate_snapshot(ns, &snap);
	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(0, netsnap_json_encode(od, &snap));
	assert_int_equal(0, mbuf_printf(mb, "%H", json_encode_odict, od));
	assert_int_equal(0, mbuf_write_u8(mb, 0));

	assert_string_equal(
		"{\"interfaces\":[{\"name\":\"eth0\","
		"\"mac\":\"02:00:00:00:00:0a\",\"type\":\"ethernet\","
		"\"up\":true,\"vpn\":false,\"addresses\":[{\"address\":"
		"\"10.1.2.30\",\"prefix\":24}]}],"
		"\"gateway\":{\"ip\":\"10.1.2.1\",\"mac\":\"00:11:22:33:44:"
		"55\","
		"\"interface\":\"eth0\"},\"subnet\":\"10.1.2.30\\/24\","
		"\"vpn\":false}",
		(char *)mb->buf);

	mem_deref(od);
	mem_deref(mb);
}

static void vpn_takes_default_route(void **state)
{
	static const struct {
		const char *name;
		uint16_t arptype;
		const char *kind;
	} tunnels[] = {
		{"wg0", ARPHRD_NONE, "wireguard"},
		{"tun0", ARPHRD_NONE, "tun"},
		{"ppp0", ARPHRD_PPP, NULL},
		{"vpn7", ARPHRD_ETHER, "xfrm"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(tunnels); i++) {
		struct netstate *ns = office();
		struct dgram d = {.len = 0};
		struct netsnap snap;
		const char *why = NULL;

		add_link(&d, 9, tunnels[i].name, tunnels[i].arptype, NULL,
			 tunnels[i].kind);
		add_addr(&d, 9, "172.16.0.5", 32);
		add_default_route(&d, RTM_NEWROUTE, 9, NULL, 50);
		assert_int_equal(0,
				 netstate_feed(ns, d.buf, d.len, NULL, &why));

		netstate_snapshot(ns, &snap);
		assert_true(snap.vpn);
		assert_string_equal("vpn", snap.ifs[1].type);
		/* the physical gateway and subnet stay; the tunnel's never */
		assert_string_equal("eth0", snap.gateway.ifname);
		assert_false(snap.gateway.vpn);
		assert_memory_equal("\x0a\x01\x02\x1e", snap.subnet.addr, 4);
	}
}

static void split_default_through_tunnel(void **state)
{
	struct netstate *ns = office();
	struct dgram d = {.len = 0};
	struct netsnap snap;
	const char *why = NULL;
	struct rtmsg rtm = {.rtm_family = AF_INET,
			    .rtm_dst_len = 1,
			    .rtm_table = RT_TABLE_MAIN,
			    .rtm_type = RTN_UNICAST};
	uint32_t oif = 9;
	(void)state;

	/* OpenVPN's def1: 0.0.0.0/1 and 128.0.0.0/1 through tun0 */
	add_link(&d, 9, "tun0", ARPHRD_NONE, NULL, "tun");
	msg_begin(&d, RTM_NEWROUTE, &rtm, sizeof(rtm));
	attr(&d, RTA_DST, "\0\0\0\0", 4);
	attr(&d, RTA_OIF, &oif, 4);
	msg_end(&d);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, NULL, &why));

	netstate_snapshot(ns, &snap);
	assert_true(snap.vpn);
	assert_string_equal("eth0", snap.gateway.ifname);
}

static void link_down_drops_its_routes(void **state)
{
	struct netstate *ns = office();
	struct dgram d = {.len = 0};
	struct netsnap snap;
	const char *why = NULL;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_type = ARPHRD_ETHER,
				.ifi_index = 2,
				.ifi_flags = 0};
	(void)state;

	/* the kernel sends no RTM_DELROUTE when a link is set down */
	msg_begin(&d, RTM_NEWLINK, &ifi, sizeof(ifi));
	attr(&d, IFLA_IFNAME, "eth0", 5);
	msg_end(&d);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, NULL, &why));

	netstate_snapshot(ns, &snap);
	assert_false(snap.gateway.present);
	assert_false(snap.ifs[0].up);
	assert_int_equal(1, snap.ifs[0].addrc); /* addresses stay */
}

/* "ip route replace default via 10.1.3.1 dev eth1": one RTM_NEWROUTE
 * with NLM_F_REPLACE and no RTM_DELROUTE for the route through eth0,
 * which the kernel no longer has. */
static void replaced_route_goes(void **state)
{
	struct netstate *ns = office();
	struct dgram d = {.len = 0};
	struct netsnap snap;
	const char *why = NULL;
	bool changed = false;
	uint16_t flags = NLM_F_REPLACE | NLM_F_CREATE;
	(void)state;

	add_link(&d, 3, "eth1", ARPHRD_ETHER, "02:00:00:00:00:0B", "veth");
	add_addr(&d, 3, "10.1.3.30", 24);
	add_default_route(&d, RTM_NEWROUTE, 3, "10.1.3.1", 100);
	memcpy(d.buf + d.msg + offsetof(struct nlmsghdr, nlmsg_flags), &flags,
	       sizeof(flags));
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, &changed, &why));
	assert_true(changed);
	assert_int_equal(1, ns->routec);

	netstate_snapshot(ns, &snap);
	assert_true(snap.gateway.present);
	assert_int_equal(3, snap.gateway.ifindex);
	assert_int_equal(24, snap.subnet.prefixlen);

	/* without the flag ("ip route append"), both stay */
	d.len = 0;
	add_default_route(&d, RTM_NEWROUTE, 2, "10.1.2.1", 100);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, &changed, &why));
	assert_int_equal(2, ns->routec);
}

static void only_vpn_gives_no_subnet(void **state)
{
	struct netstate ns;
	struct dgram d = {.len = 0};
	struct netsnap snap;
	const char *why = NULL;
	(void)state;

	memset(&ns, 0, sizeof(ns));
	add_link(&d, 3, "wg0", ARPHRD_NONE, NULL, "wireguard");
	add_addr(&d, 3, "172.16.0.5", 24);
	add_default_route(&d, RTM_NEWROUTE, 3, NULL, 0);
	assert_int_equal(0, netstate_feed(&ns, d.buf, d.len, NULL, &why));

	netstate_snapshot(&ns, &snap);
	assert_true(snap.vpn);
	assert_true(snap.gateway.vpn);
	assert_false(snap.subnet.present);
}

static void deletes_and_unchanged(void **state)
{
	struct netstate *ns = office();
	struct dgram d = {.len = 0};
	struct netsnap snap;
	const char *why = NULL;
	bool changed = false;
	(void)state;

	/* the same neighbour again: nothing changes */
	add_neigh(&d, 2, "10.1.2.1", "00:11:22:33:44:55", NUD_REACHABLE);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, &changed, &why));
	assert_false(changed);

	/* a failed neighbour entry gives no gateway MAC */
	d.len = 0;
	add_neigh(&d, 2, "10.1.2.1", "00:11:22:33:44:55", NUD_FAILED);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, &changed, &why));
	assert_true(changed);
	netstate_snapshot(ns, &snap);
	assert_false(snap.gateway.has_mac);

	/* the route goes: no gateway */
	d.len = 0;
	add_default_route(&d, RTM_DELROUTE, 2, "10.1.2.1", 100);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, &changed, &why));
	netstate_snapshot(ns, &snap);
	assert_false(snap.gateway.present);
}

static void address_goes_away(void **state)
{
	struct netstate *ns = office();
	struct dgram d = {.len = 0};
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 2};
	const char *why = NULL;
	bool changed = false;
	(void)state;

	/* RTM_DELADDR for the address office() added: it must match */
	msg_begin(&d, RTM_DELADDR, &ifa, sizeof(ifa));
	attr(&d, IFA_LOCAL, "\x0a\x01\x02\x1e", 4);
	attr(&d, IFA_ADDRESS, "\x0a\x01\x02\x1e", 4);
	msg_end(&d);
	assert_int_equal(0, netstate_feed(ns, d.buf, d.len, &changed, &why));
	assert_true(changed);
	assert_int_equal(0, ns->addrc);
}

static void malformed_messages(void **state)
{
	struct netstate ns;
	struct dgram d = {.len = 0};
	const char *why = NULL;
	uint32_t big;
	(void)state;

	memset(&ns, 0, sizeof(ns));

	/* nlmsg_len beyond the datagram */
	add_addr(&d, 2, "10.0.0.1", 8);
	big = 4000;
	memcpy(d.buf, &big, 4);
	assert_int_equal(EBADMSG, netstate_feed(&ns, d.buf, d.len, NULL, &why));
	assert_string_equal("netlink length beyond the datagram", why);

	/* an attribute claiming more bytes than the message holds */
	d.len = 0;
	add_link(&d, 4, "eth1", ARPHRD_ETHER, NULL, NULL);
	d.buf[NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg))] = 200;
	assert_int_equal(EBADMSG, netstate_feed(&ns, d.buf, d.len, NULL, &why));
	assert_string_equal("malformed link attribute", why);

	/* an IPv4 address attribute of 3 bytes */
	d.len = 0;
	{
		struct ifaddrmsg ifa = {.ifa_family = AF_INET,
					.ifa_prefixlen = 8,
					.ifa_index = 1};
		msg_begin(&d, RTM_NEWADDR, &ifa, sizeof(ifa));
		attr(&d, IFA_LOCAL, "\x0a\x00\x00", 3);
		msg_end(&d);
	}
	assert_int_equal(EBADMSG, netstate_feed(&ns, d.buf, d.len, NULL, &why));
	assert_string_equal("address attribute of the wrong length", why);

	/* a header that is too short for ifinfomsg */
	d.len = 0;
	msg_begin(&d, RTM_NEWLINK, "\0\0\0\0", 4);
	msg_end(&d);
	assert_int_equal(EBADMSG, netstate_feed(&ns, d.buf, d.len, NULL, &why));
	assert_string_equal("link message shorter than ifinfomsg", why);
	assert_int_equal(0, ns.linkc + ns.addrc);
}

static void tables_are_bounded(void **state)
{
	static struct netstate ns;
	int i;
	(void)state;

	memset(&ns, 0, sizeof(ns));
	for (i = 0; i < NET_MAX_LINKS + 10; i++) {
		struct dgram d = {.len = 0};
		const char *why = NULL;
		char name[16];

		(void)re_snprintf(name, sizeof(name), "dummy%d", i);
		add_link(&d, i + 1, name, ARPHRD_ETHER, NULL, NULL);
		assert_int_equal(0,
				 netstate_feed(&ns, d.buf, d.len, NULL, &why));
	}
	assert_int_equal(NET_MAX_LINKS, ns.linkc);
	assert_int_equal(10, ns.dropped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(office_snapshot),
		cmocka_unit_test(interface_names_as_text),
		cmocka_unit_test(json_form),
		cmocka_unit_test(vpn_takes_default_route),
		cmocka_unit_test(only_vpn_gives_no_subnet),
		cmocka_unit_test(split_default_through_tunnel),
		cmocka_unit_test(link_down_drops_its_routes),
		cmocka_unit_test(replaced_route_goes),
		cmocka_unit_test(deletes_and_unchanged),
		cmocka_unit_test(address_goes_away),
		cmocka_unit_test(malformed_messages),
		cmocka_unit_test(tables_are_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
