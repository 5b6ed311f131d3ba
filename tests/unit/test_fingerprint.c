/* Unit tests for the network fingerprint: which inputs win, stability. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "fingerprint.h"

static const uint8_t office_gw[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xaa};
static const uint8_t home_gw[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xbb};
static const uint8_t ap1[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x01};
static const uint8_t ap2[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x02};

static void wired(struct fingerprint_input *in, const uint8_t gw[6],
		  const char *addr, unsigned prefix)
{
	memset(in, 0, sizeof(*in));
	in->link = FINGERPRINT_LINK_WIRED;
	in->has_gw_mac = true;
	memcpy(in->gw_mac, gw, 6);
	assert_int_equal(0, sa_set_str(&in->subnet4, addr, 0));
	in->prefix4 = prefix;
}

/* The fingerprint of in, which must succeed with the given basis. */
static const char *fp(char out[FINGERPRINT_LEN + 1],
		      const struct fingerprint_input *in,
		      enum fingerprint_basis want)
{
	enum fingerprint_basis basis = 0;
	size_t i;

	assert_int_equal(0, fingerprint_compute(out, &basis, in));
	assert_int_equal(want, basis);
	assert_int_equal(FINGERPRINT_LEN, strlen(out));
	for (i = 0; i < FINGERPRINT_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", out[i]));

	return out;
}

/* Pinned values: stored fingerprints must survive upgrades.  Computed
 * independently (Python hmac) from the encoding in fingerprint.c. */
static void known_answers(void **state)
{
	struct fingerprint_input in;
	char a[FINGERPRINT_LEN + 1];
	(void)state;

	/* 02 | 00:00:5e:00:53:aa | 04 18 | c0 a8 01 00 */
	wired(&in, office_gw, "192.168.1.23", 24);
	assert_string_equal("f82d9c8a38def5ff",
			    fp(a, &in, FINGERPRINT_BASIS_GATEWAY));

	/* 01 | 00:00:5e:00:53:01 */
	in.link = FINGERPRINT_LINK_WIFI;
	in.has_bssid = true;
	memcpy(in.bssid, ap1, 6);
	assert_string_equal("37cb28646f557e79",
			    fp(a, &in, FINGERPRINT_BASIS_BSSID));
}

static void same_network_same_fingerprint(void **state)
{
	struct lldp_id chassis = {.subtype = LLDP_CHASSIS_MAC, .len = 6};
	struct lldp_id port = {.subtype = LLDP_PORT_IFNAME, .len = 3};
	struct fingerprint_input in;
	char a[FINGERPRINT_LEN + 1], b[FINGERPRINT_LEN + 1];
	(void)state;

	wired(&in, office_gw, "10.1.20.5", 16);
	fp(a, &in, FINGERPRINT_BASIS_GATEWAY);
	fp(b, &in, FINGERPRINT_BASIS_GATEWAY);
	assert_string_equal(a, b);

	/* another host on the same subnet */
	wired(&in, office_gw, "10.1.99.200", 16);
	assert_string_equal(a, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));

	/* the switch's LLDP arrives later: the key does not move */
	memcpy(chassis.raw, ap1, 6);
	memcpy(port.raw, "Gi7", 3);
	in.chassis = &chassis;
	in.port = &port;
	assert_string_equal(a, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));

	/* a Wi-Fi snapshot without a BSSID falls back to the gateway rule */
	in.link = FINGERPRINT_LINK_WIFI;
	assert_string_equal(a, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));
}

static void different_network_different_fingerprint(void **state)
{
	struct fingerprint_input in;
	char office[FINGERPRINT_LEN + 1], other[FINGERPRINT_LEN + 1];
	(void)state;

	wired(&in, office_gw, "192.168.1.23", 24);
	fp(office, &in, FINGERPRINT_BASIS_GATEWAY);

	/* the same private subnet at home, another router */
	wired(&in, home_gw, "192.168.1.23", 24);
	assert_string_not_equal(office,
				fp(other, &in, FINGERPRINT_BASIS_GATEWAY));

	/* the same router, another subnet or prefix length */
	wired(&in, office_gw, "192.168.2.23", 24);
	assert_string_not_equal(office,
				fp(other, &in, FINGERPRINT_BASIS_GATEWAY));
	wired(&in, office_gw, "192.168.1.23", 23);
	assert_string_not_equal(office,
				fp(other, &in, FINGERPRINT_BASIS_GATEWAY));

	/* the gateway MAC with no subnet known */
	wired(&in, office_gw, "192.168.1.23", 24);
	sa_init(&in.subnet4, AF_UNSPEC);
	assert_string_not_equal(office,
				fp(other, &in, FINGERPRINT_BASIS_GATEWAY));
}

static void bssid_wins_on_wifi(void **state)
{
	struct fingerprint_input in;
	char a[FINGERPRINT_LEN + 1], b[FINGERPRINT_LEN + 1];
	char wire[FINGERPRINT_LEN + 1];
	(void)state;

	wired(&in, office_gw, "10.1.20.5", 16);
	fp(wire, &in, FINGERPRINT_BASIS_GATEWAY);

	in.link = FINGERPRINT_LINK_WIFI;
	in.has_bssid = true;
	memcpy(in.bssid, ap1, 6);
	fp(a, &in, FINGERPRINT_BASIS_BSSID);
	assert_string_not_equal(wire, a);

	/* the access point is the place: the gateway does not matter */
	wired(&in, home_gw, "172.16.0.9", 12);
	in.link = FINGERPRINT_LINK_WIFI;
	in.has_bssid = true;
	memcpy(in.bssid, ap1, 6);
	assert_string_equal(a, fp(b, &in, FINGERPRINT_BASIS_BSSID));

	/* another access point is another place */
	memcpy(in.bssid, ap2, 6);
	assert_string_not_equal(a, fp(b, &in, FINGERPRINT_BASIS_BSSID));

	/* a BSSID on a wired snapshot is ignored */
	wired(&in, office_gw, "10.1.20.5", 16);
	in.has_bssid = true;
	memcpy(in.bssid, ap1, 6);
	assert_string_equal(wire, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));
}

static void lldp_without_gateway(void **state)
{
	struct lldp_id chassis = {.subtype = LLDP_CHASSIS_MAC, .len = 6};
	struct lldp_id port = {.subtype = LLDP_PORT_IFNAME, .len = 7};
	struct fingerprint_input in;
	char a[FINGERPRINT_LEN + 1], b[FINGERPRINT_LEN + 1];
	(void)state;

	memcpy(chassis.raw, office_gw, 6);
	memcpy(port.raw, "Gi1/0/7", 7);
	memset(&in, 0, sizeof(in));
	in.chassis = &chassis;
	in.port = &port;
	fp(a, &in, FINGERPRINT_BASIS_LLDP);

	/* another port on the same switch */
	port.raw[6] = '8';
	assert_string_not_equal(a, fp(b, &in, FINGERPRINT_BASIS_LLDP));

	/* the same octets under another subtype are another ID */
	port.raw[6] = '7';
	port.subtype = LLDP_PORT_IFALIAS;
	assert_string_not_equal(a, fp(b, &in, FINGERPRINT_BASIS_LLDP));

	/* a chassis without a port is not enough */
	in.port = NULL;
	assert_int_equal(ENOENT, fingerprint_compute(b, NULL, &in));
}

/* A VPN must never yield the corporate fingerprint. */
static void tunnel_never_fingerprinted(void **state)
{
	struct fingerprint_input in;
	char corp[FINGERPRINT_LEN + 1], out[FINGERPRINT_LEN + 1];
	enum fingerprint_basis basis = 0;
	(void)state;

	/* at the office */
	wired(&in, office_gw, "10.1.20.5", 16);
	fp(corp, &in, FINGERPRINT_BASIS_GATEWAY);

	/* at home over a tap VPN that bridges the office LAN: the same
	 * gateway MAC and subnet show up, on a tunnel */
	memset(out, 'x', sizeof(out));
	in.link = FINGERPRINT_LINK_TUNNEL;
	assert_int_equal(EPERM, fingerprint_compute(out, &basis, &in));
	assert_int_equal(0, basis);
	assert_int_equal('x', out[0]);

	/* a routed (tun) VPN has no gateway MAC: refused as a tunnel, and
	 * even mislabelled as wired its subnet alone is never enough */
	in.has_gw_mac = false;
	assert_int_equal(EPERM, fingerprint_compute(out, NULL, &in));
	in.link = FINGERPRINT_LINK_WIRED;
	assert_int_equal(ENOENT, fingerprint_compute(out, NULL, &in));

	/* the physical link underneath gives the home fingerprint */
	wired(&in, home_gw, "192.168.1.23", 24);
	assert_string_not_equal(corp, fp(out, &in, FINGERPRINT_BASIS_GATEWAY));
}

static void ipv4_before_ipv6(void **state)
{
	struct fingerprint_input in;
	char a[FINGERPRINT_LEN + 1], b[FINGERPRINT_LEN + 1];
	(void)state;

	wired(&in, office_gw, "192.168.1.23", 24);
	assert_int_equal(0, sa_set_str(&in.subnet6, "2001:db8:1:2::17", 0));
	in.prefix6 = 64;
	fp(a, &in, FINGERPRINT_BASIS_GATEWAY);

	/* the ISP rotates the IPv6 prefix: nothing changes */
	assert_int_equal(0, sa_set_str(&in.subnet6, "2001:db8:9:9::17", 0));
	assert_string_equal(a, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));

	/* IPv6 only: its /64 counts, host bits do not */
	sa_init(&in.subnet4, AF_UNSPEC);
	fp(a, &in, FINGERPRINT_BASIS_GATEWAY);
	assert_int_equal(0, sa_set_str(&in.subnet6, "2001:db8:9:9::99", 0));
	assert_string_equal(a, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));
	assert_int_equal(0, sa_set_str(&in.subnet6, "2001:db8:9:8::99", 0));
	assert_string_not_equal(a, fp(b, &in, FINGERPRINT_BASIS_GATEWAY));
}

static void refusals(void **state)
{
	struct fingerprint_input in;
	char out[FINGERPRINT_LEN + 1];
	(void)state;

	memset(&in, 0, sizeof(in));
	assert_int_equal(ENOENT, fingerprint_compute(out, NULL, &in));

	/* a subnet alone: 192.168.1.0/24 is at every other home */
	assert_int_equal(0, sa_set_str(&in.subnet4, "192.168.1.23", 0));
	in.prefix4 = 24;
	assert_int_equal(ENOENT, fingerprint_compute(out, NULL, &in));

	wired(&in, office_gw, "192.168.1.23", 33);
	assert_int_equal(EINVAL, fingerprint_compute(out, NULL, &in));
	wired(&in, office_gw, "2001:db8::1", 24);
	assert_int_equal(EINVAL, fingerprint_compute(out, NULL, &in));
	wired(&in, office_gw, "192.168.1.23", 24);
	assert_int_equal(0, sa_set_str(&in.subnet6, "2001:db8::1", 0));
	in.prefix6 = 129;
	assert_int_equal(EINVAL, fingerprint_compute(out, NULL, &in));

	assert_int_equal(EINVAL, fingerprint_compute(NULL, NULL, &in));
	assert_int_equal(EINVAL, fingerprint_compute(out, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answers),
		cmocka_unit_test(same_network_same_fingerprint),
		cmocka_unit_test(different_network_different_fingerprint),
		cmocka_unit_test(bssid_wins_on_wifi),
		cmocka_unit_test(lldp_without_gateway),
		cmocka_unit_test(tunnel_never_fingerprinted),
		cmocka_unit_test(ipv4_before_ipv6),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
