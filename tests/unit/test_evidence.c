/*
 * Unit tests for evidence: a table of networks (wired, Wi-Fi, both, VPN,
 * two switch ports, no gateway, a link down, IPv6 only) and, for each,
 * the interface chosen and that its address, MAC, switch and access point
 * all come from it, as do the HELD request and the fingerprint inputs.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <arpa/inet.h>
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "fingerprint.h"
#include "evidence.h"
#include "held.h"
#include "location.h"
#include "locsource.h"

/* Interfaces of the table: name, ifindex, MAC ending in the ifindex. */
enum {
	ETH0 = 2,
	ETH1 = 3,
	WLAN0 = 4,
	TUN0 = 5,
};

struct net_case {
	const char *name;
	/* interfaces present (bits of 1 << ifindex) and those up */
	unsigned present, up;
	unsigned gw_if; /* 0: no default route */
	bool gw_v6;	/* the gateway is IPv6 (fe80::1) */
	bool vpn;	/* a tunnel carries the default route */
	bool v6_only;	/* interfaces have IPv6 addresses only */
	unsigned lldp;	/* interfaces with a switch heard */
	unsigned wifi;	/* interfaces with an associated AP */
	/* expected */
	int err;
	unsigned want_if; /* 0: none */
	enum evidence_why want_why;
	const char *want_reason; /* a part of the reason */
};

static const char *if_name(unsigned ifindex)
{
	switch (ifindex) {
	case ETH0:
		return "eth0";
	case ETH1:
		return "eth1";
	case WLAN0:
		return "wlan0";
	case TUN0:
		return "tun0";
	default:
		return "?";
	}
}

/* 10.<ifindex>.0.30/24, 2001:db8:<ifindex>::30/64 and fe80::<ifindex>. */
static void if_add(struct netsnap *snap, unsigned ifindex, bool up,
		   bool v6_only)
{
	struct netsnap_if *sif = &snap->ifs[snap->ifc++];
	char a[64];

	str_ncpy(sif->name, if_name(ifindex), sizeof(sif->name));
	sif->ifindex = ifindex;
	sif->up = up;
	sif->vpn = ifindex == TUN0;
	sif->type = sif->vpn ? "vpn" : ifindex == WLAN0 ? "wifi" : "ethernet";
	if (!sif->vpn) {
		sif->has_mac = true;
		memcpy(sif->mac, "\x02\x00\x00\x00\x00", 5);
		sif->mac[5] = (uint8_t)ifindex;
	}

	/* the link-local one first: it must never be taken */
	sif->addrs[sif->addrc].family = AF_INET6;
	sif->addrs[sif->addrc].prefixlen = 64;
	re_snprintf(a, sizeof(a), "fe80::%u", ifindex);
	assert_int_equal(1,
			 inet_pton(AF_INET6, a, sif->addrs[sif->addrc].addr));
	++sif->addrc;

	sif->addrs[sif->addrc].family = AF_INET6;
	sif->addrs[sif->addrc].prefixlen = 64;
	re_snprintf(a, sizeof(a), "2001:db8:%u::30", ifindex);
	assert_int_equal(1,
			 inet_pton(AF_INET6, a, sif->addrs[sif->addrc].addr));
	++sif->addrc;

	if (!v6_only) {
		sif->addrs[sif->addrc].family = AF_INET;
		sif->addrs[sif->addrc].prefixlen = 24;
		re_snprintf(a, sizeof(a), "10.%u.0.30", ifindex);
		assert_int_equal(
			1, inet_pton(AF_INET, a, sif->addrs[sif->addrc].addr));
		++sif->addrc;
	}
}

/* As netstate_snapshot would make it for the case. */
static void snap_make(struct netsnap *snap, const struct net_case *c)
{
	unsigned i;

	memset(snap, 0, sizeof(*snap));
	for (i = ETH0; i <= TUN0; i++) {
		if (c->present & (1u << i))
			if_add(snap, i, c->up & (1u << i), c->v6_only);
	}

	snap->vpn = c->vpn;
	if (!c->gw_if)
		return;

	snap->gateway.present = true;
	snap->gateway.ifindex = c->gw_if;
	snap->gateway.vpn = c->gw_if == TUN0;
	str_ncpy(snap->gateway.ifname, if_name(c->gw_if),
		 sizeof(snap->gateway.ifname));
	snap->gateway.has_mac = c->gw_if != TUN0;
	memcpy(snap->gateway.mac, "\x00\x00\x5e\x00\x01", 5);
	snap->gateway.mac[5] = (uint8_t)c->gw_if;
	if (c->gw_v6) {
		snap->gateway.family = AF_INET6;
		assert_int_equal(
			1, inet_pton(AF_INET6, "fe80::1", snap->gateway.ip));
	} else {
		char a[32];

		snap->gateway.family = AF_INET;
		re_snprintf(a, sizeof(a), "10.%u.0.1", c->gw_if);
		assert_int_equal(1, inet_pton(AF_INET, a, snap->gateway.ip));
	}
	if (snap->gateway.vpn)
		return;

	/* netsnap's subnet: the gateway's interface's address holding it
	 * (for fe80::1 the link-local one) */
	snap->subnet.present = true;
	snap->subnet.family = snap->gateway.family;
	snap->subnet.prefixlen = c->gw_v6 ? 64 : 24;
	for (i = 0; i < snap->ifc; i++) {
		const struct netsnap_if *sif = &snap->ifs[i];

		if (sif->ifindex != c->gw_if)
			continue;
		memcpy(snap->subnet.addr, sif->addrs[c->gw_v6 ? 0 : 2].addr,
		       16);
	}
}

/* A switch on each port, telling its port apart by the ifindex. */
static void switch_frame(struct lldp_frame *f, unsigned ifindex)
{
	memset(f, 0, sizeof(*f));
	f->chassis.subtype = LLDP_CHASSIS_MAC;
	f->chassis.len = 6;
	memcpy(f->chassis.raw, "\x00\x11\x22\x33\x44", 5);
	f->chassis.raw[5] = (uint8_t)ifindex;
	lldp_id_text(&f->chassis, true);
	f->port.subtype = LLDP_PORT_IFNAME;
	f->port.len = 7;
	memcpy(f->port.raw, "Gi1/0/", 6);
	f->port.raw[6] = (uint8_t)('0' + ifindex);
	lldp_id_text(&f->port, false);
	f->ttl = 120;
}

static void bss_make(struct wifi_bss *b, unsigned ifindex)
{
	memset(b, 0, sizeof(*b));
	b->ifindex = ifindex;
	memcpy(b->bssid, "\x00\x1a\x2b\x3c\x4d", 5);
	b->bssid[5] = (uint8_t)ifindex;
	b->channel = 36;
	b->associated = true;
}

static const struct net_case cases[] = {
	{"wired only", 1u << ETH0, 1u << ETH0, ETH0, false, false, false,
	 1u << ETH0, 0, 0, ETH0, EVIDENCE_GATEWAY, "eth0 carries the default"},
	{"Wi-Fi only", 1u << WLAN0, 1u << WLAN0, WLAN0, false, false, false, 0,
	 1u << WLAN0, 0, WLAN0, EVIDENCE_GATEWAY, "wlan0 carries"},
	{"both, default route via wlan0 while eth0 has LLDP",
	 1u << ETH0 | 1u << WLAN0, 1u << ETH0 | 1u << WLAN0, WLAN0, false,
	 false, false, 1u << ETH0, 1u << WLAN0, 0, WLAN0, EVIDENCE_GATEWAY,
	 "wlan0"},
	{"both, default route via eth0 while wlan0 is associated",
	 1u << ETH0 | 1u << WLAN0, 1u << ETH0 | 1u << WLAN0, ETH0, false, false,
	 false, 1u << ETH0, 1u << WLAN0, 0, ETH0, EVIDENCE_GATEWAY, "eth0"},
	{"VPN default route: the physical one under it, tunnel never used",
	 1u << ETH0 | 1u << TUN0, 1u << ETH0 | 1u << TUN0, ETH0, false, true,
	 false, 1u << ETH0, 0, 0, ETH0, EVIDENCE_GATEWAY, "under the VPN"},
	{"VPN with only the tunnel's default route", 1u << WLAN0 | 1u << TUN0,
	 1u << WLAN0 | 1u << TUN0, TUN0, false, true, false, 0, 1u << WLAN0, 0,
	 WLAN0, EVIDENCE_NO_GATEWAY,
	 "(it is down or a tunnel); the first interface up with an access "
	 "point; on VPN no LIS is asked"},
	{"VPN only, nothing physical", 1u << TUN0, 1u << TUN0, TUN0, false,
	 true, false, 0, 0, ENOENT, 0, EVIDENCE_NONE, "no interface is up"},
	{"two wired ports with LLDP, gateway on the second",
	 1u << ETH0 | 1u << ETH1, 1u << ETH0 | 1u << ETH1, ETH1, false, false,
	 false, 1u << ETH0 | 1u << ETH1, 0, 0, ETH1, EVIDENCE_GATEWAY, "eth1"},
	{"no gateway: the port with a switch, not the first with an address",
	 1u << ETH0 | 1u << ETH1, 1u << ETH0 | 1u << ETH1, 0, false, false,
	 false, 1u << ETH1, 0, 0, ETH1, EVIDENCE_NO_GATEWAY, "a switch"},
	{"no gateway, no switch: the first with an address",
	 1u << ETH0 | 1u << ETH1, 1u << ETH0 | 1u << ETH1, 0, false, false,
	 false, 0, 0, 0, ETH0, EVIDENCE_NO_GATEWAY, "an address"},
	{"no gateway, Wi-Fi associated", 1u << ETH0 | 1u << WLAN0,
	 1u << ETH0 | 1u << WLAN0, 0, false, false, false, 0, 1u << WLAN0, 0,
	 WLAN0, EVIDENCE_NO_GATEWAY, "an access point"},
	{"link down: the gateway's port lost its carrier, wlan0 up",
	 1u << ETH0 | 1u << WLAN0, 1u << WLAN0, ETH0, false, false, false,
	 1u << ETH0, 1u << WLAN0, 0, WLAN0, EVIDENCE_NO_GATEWAY, "wlan0"},
	{"link down: everything", 1u << ETH0, 0, 0, false, false, false,
	 1u << ETH0, 0, ENOENT, 0, EVIDENCE_NONE, "no interface"},
	{"IPv6 only", 1u << ETH0, 1u << ETH0, ETH0, true, false, true,
	 1u << ETH0, 0, 0, ETH0, EVIDENCE_GATEWAY, "eth0"},
	{"IPv6 gateway, IPv4 too", 1u << ETH0, 1u << ETH0, ETH0, true, false,
	 false, 0, 0, 0, ETH0, EVIDENCE_GATEWAY, "eth0"},
	{"nothing at all", 0, 0, 0, false, false, false, 0, 0, ENOENT, 0,
	 EVIDENCE_NONE, "no interface"},
};

static const struct netsnap_if *snap_if(const struct netsnap *snap,
					unsigned ifindex)
{
	size_t i;

	for (i = 0; i < snap->ifc; i++) {
		if (snap->ifs[i].ifindex == ifindex)
			return &snap->ifs[i];
	}

	return NULL;
}

/* Everything in ev is the chosen interface's (and nothing of others'). */
static void check_from(const struct net_case *c, const struct netsnap *snap,
		       const struct evidence *ev, const struct lldp_frame *fv,
		       const struct wifi_bss *bv)
{
	const struct netsnap_if *sif = snap_if(snap, c->want_if);
	struct locsource_request r;
	struct fingerprint_input in;
	char text[INET6_ADDRSTRLEN], want[64];
	int err;

	assert_non_null(sif);
	assert_int_equal(c->want_if, ev->ifindex);
	assert_string_equal(if_name(c->want_if), ev->ifname);
	assert_true(ev->has_mac);
	assert_memory_equal(sif->mac, ev->mac, 6);

	/* the address: this interface's, never link-local; IPv6 only when
	 * it has no IPv4 one or the gateway is IPv6 */
	assert_true(ev->has_addr);
	assert_non_null(inet_ntop(ev->family, ev->addr, text, sizeof(text)));
	if (c->v6_only || (c->gw_v6 && c->gw_if == c->want_if))
		re_snprintf(want, sizeof(want), "2001:db8:%u::30", c->want_if);
	else
		re_snprintf(want, sizeof(want), "10.%u.0.30", c->want_if);
	assert_string_equal(want, text);

	/* the switch and the AP: this interface's, or none */
	assert_int_equal(!!(c->lldp & (1u << c->want_if)), ev->has_lldp);
	if (ev->has_lldp)
		assert_ptr_equal(&fv[c->want_if], ev->lldp);
	assert_int_equal(!!(c->wifi & (1u << c->want_if)), ev->has_bss);
	if (ev->has_bss)
		assert_memory_equal(bv[c->want_if].bssid, ev->bss.bssid, 6);

	/* its gateway only when the default route leaves by it */
	assert_int_equal(c->want_why == EVIDENCE_GATEWAY, ev->gateway.present);
	assert_int_equal(c->vpn, ev->vpn);

	/* the HELD request says the same, or is refused on VPN */
	err = locsource_request(&r, ev, "sip:a@b", HELD_RESPONSE_TIME_NONE);
	if (c->vpn) {
		assert_int_equal(EPERM, err);
	} else {
		struct sa sa;

		assert_int_equal(0, err);
		assert_int_equal(0, sa_set_str(&sa, want, 0));
		assert_true(sa_cmp(&sa, &r.req.ip, SA_ADDR));
		assert_memory_equal(sif->mac, r.req.mac, 6);
		if (ev->has_lldp) {
			assert_non_null(r.req.lldp);
			assert_memory_equal(fv[c->want_if].port.raw,
					    r.req.lldp->port, 7);
			assert_memory_equal(fv[c->want_if].chassis.raw,
					    r.req.lldp->chassis, 6);
		} else {
			assert_null(r.req.lldp);
		}
		assert_int_equal(ev->has_bss ? 1 : 0, r.req.apc);
		if (ev->has_bss)
			assert_memory_equal(bv[c->want_if].bssid,
					    r.req.apv[0].bssid, 6);
	}

	/* and so does the place's fingerprint */
	evidence_fingerprint_input(&in, ev);
	assert_int_equal(ev->has_bss, in.has_bssid);
	assert_int_equal(ev->has_bss ? FINGERPRINT_LINK_WIFI
				     : FINGERPRINT_LINK_WIRED,
			 in.link);
	assert_int_equal(ev->gateway.present, in.has_gw_mac);
	if (in.has_gw_mac)
		assert_memory_equal(snap->gateway.mac, in.gw_mac, 6);
	if (ev->has_lldp) {
		assert_ptr_equal(&fv[c->want_if].port, in.port);
		assert_ptr_equal(&fv[c->want_if].chassis, in.chassis);
	} else {
		assert_null(in.port);
	}
}

static void choice_table(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct net_case *c = &cases[i];
		struct lldp_frame fv[TUN0 + 1];
		struct wifi_bss bv[TUN0 + 1];
		struct evidence_heard heard[TUN0 + 1];
		struct netsnap snap;
		struct evidence ev;
		size_t n = 0;
		unsigned j;

		print_message("case: %s\n", c->name);
		snap_make(&snap, c);
		for (j = ETH0; j <= TUN0; j++) {
			switch_frame(&fv[j], j);
			bss_make(&bv[j], j);
			if (!((c->lldp | c->wifi) & (1u << j)))
				continue;
			memset(&heard[n], 0, sizeof(heard[n]));
			heard[n].ifindex = j;
			if (c->lldp & (1u << j))
				heard[n].lldp = &fv[j];
			if (c->wifi & (1u << j))
				heard[n].bss = &bv[j];
			++n;
		}

		assert_int_equal(c->err, evidence_choose(&ev, &snap, heard, n));
		assert_int_equal(c->want_why, ev.why);
		assert_non_null(strstr(ev.reason, c->want_reason));
		if (c->want_if)
			check_from(c, &snap, &ev, fv, bv);
		else
			assert_int_equal(0, ev.ifindex);
	}
}

/* Equal ignores where the frame lives; anything else counts. */
static void equal_and_json(void **state)
{
	static const struct net_case *c = &cases[2];
	struct evidence_heard h[2];
	struct evidence a, b;
	struct lldp_frame f, g;
	struct wifi_bss bss;
	struct netsnap snap;
	struct odict *od = NULL;
	const struct odict_entry *e;
	(void)state;

	snap_make(&snap, c);
	switch_frame(&f, ETH0);
	switch_frame(&g, ETH0);
	bss_make(&bss, WLAN0);
	h[0] = (struct evidence_heard){.ifindex = WLAN0, .bss = &bss};
	h[1] = (struct evidence_heard){.ifindex = ETH0, .lldp = &f};
	assert_int_equal(0, evidence_choose(&a, &snap, h, 2));
	h[1].lldp = &g;
	assert_int_equal(0, evidence_choose(&b, &snap, h, 2));
	assert_true(evidence_equal(&a, &b));

	bss.bssid[0] = 0x42; /* roamed */
	assert_int_equal(0, evidence_choose(&b, &snap, h, 2));
	assert_false(evidence_equal(&a, &b));
	assert_false(evidence_equal(&a, NULL));

	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(0, evidence_json_encode(od, "evidence", &a));
	e = odict_get_type(od, ODICT_OBJECT, "evidence");
	assert_non_null(e);
	assert_string_equal("wlan0", odict_string(e->u.odict, "interface"));
	assert_string_equal("02:00:00:00:00:04",
			    odict_string(e->u.odict, "mac"));
	assert_string_equal("10.4.0.30", odict_string(e->u.odict, "address"));
	assert_string_equal("00:1a:2b:3c:4d:04",
			    odict_string(e->u.odict, "bssid"));
	assert_non_null(strstr(odict_string(e->u.odict, "reason"),
			       "wlan0 carries the default route"));
	od = mem_deref(od);

	memset(&snap, 0, sizeof(snap));
	assert_int_equal(ENOENT, evidence_choose(&a, &snap, NULL, 0));
	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(0, evidence_json_encode(od, "evidence", &a));
	e = odict_lookup(od, "evidence");
	assert_non_null(e);
	assert_int_equal(ODICT_NULL, e->type);
	mem_deref(od);

	assert_int_equal(EINVAL, evidence_choose(NULL, &snap, NULL, 0));
	assert_int_equal(EINVAL, evidence_choose(&a, NULL, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(choice_table),
		cmocka_unit_test(equal_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
