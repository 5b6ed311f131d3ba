/* Unit tests for the LLDP / LLDP-MED decoder and encoder: valid input. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_fixtures.h"
#include "lldp_json.h"
#include "ctlproto.h"

/* Coordinates are 9.25 fixed point: 2^-25 degrees is about 3e-8. */
#define DEG_EPS 1e-7

static void decode_ok(struct lldp_frame *f, const uint8_t *p, size_t n)
{
	const char *why = NULL;
	int err = lldp_decode(f, p, n, &why);

	if (err)
		print_error("lldp_decode: %s\n", why);
	assert_int_equal(0, err);
}

/* Chassis ID + Port ID + TTL 120 + End. */
static size_t pdu_build(uint8_t *buf, size_t size, const uint8_t *chassis,
			size_t clen, const uint8_t *port, size_t plen)
{
	static const uint8_t tail[] = TTL_120 END;
	size_t n = clen + plen + sizeof(tail) - 1;

	assert_true(n <= size);
	memcpy(buf, chassis, clen);
	memcpy(buf + clen, port, plen);
	memcpy(buf + clen + plen, tail, sizeof(tail) - 1);
	return n;
}

/* A literal and its length, for tables. */
#define T(s) s, sizeof(s) - 1

static void id_subtypes(void **state)
{
	/* clang-format off */
	static const struct {
		const char *tlv;
		size_t len;
		unsigned subtype;
		size_t rawlen;
		const char *text;
	} cases[] = {
	/* Chassis ID (type 1) subtypes 1..7 */
	{T("\x02\x0c\x01" "SW1-CHASSIS"), 1, 11, "SW1-CHASSIS"},
	{T("\x02\x09\x02" "uplink-a"), 2, 8, "uplink-a"},
	{T("\x02\x07\x03" "slot-3"), 3, 6, "slot-3"},
	/* MAC 00:1B:2C:AA:BB:CC, printed lower case */
	{T("\x02\x07\x04\x00\x1b\x2c\xaa\xbb\xcc"), 4, 6, "00:1b:2c:aa:bb:cc"},
	/* network address, IANA family 1 (IPv4) 192.0.2.10 */
	{T("\x02\x06\x05\x01\xc0\x00\x02\x0a"), 5, 5, "192.0.2.10"},
	/* family 2 (IPv6) 2001:db8::7 */
	{T("\x02\x12\x05\x02\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00"
	   "\x00\x00\x00\x07"), 5, 17, "2001:db8::7"},
	/* family 6 (IEEE 802): not IP, so colon hex of it all */
	{T("\x02\x08\x05\x06\x00\x1b\x2c\xaa\xbb\xcc"), 5, 7,
	 "06:00:1b:2c:aa:bb:cc"},
	{T("\x02\x05\x06" "eth0"), 6, 4, "eth0"},
	{T("\x02\x07\x07" "0042-a"), 7, 6, "0042-a"},
	/* locally assigned, not printable: colon hex */
	{T("\x02\x04\x07\x00\xff\x10"), 7, 3, "00:ff:10"},

	/* Port ID (type 2) subtypes 1..7 */
	{T("\x04\x08\x01" "desk 12"), 1, 7, "desk 12"},
	{T("\x04\x09\x02" "module-1"), 2, 8, "module-1"},
	{T("\x04\x07\x03\x00\x1b\x2c\xaa\xbb\xcd"), 3, 6, "00:1b:2c:aa:bb:cd"},
	{T("\x04\x06\x04\x01\xc0\x00\x02\x0b"), 4, 5, "192.0.2.11"},
	{T("\x04\x08\x05" "Gi1/0/7"), 5, 7, "Gi1/0/7"},
	/* agent circuit ID, binary */
	{T("\x04\x05\x06\x01\x02\x00\x07"), 6, 4, "01:02:00:07"},
	{T("\x04\x03\x07" "p7"), 7, 2, "p7"},
	};
	/* clang-format on */
	static const uint8_t chassis[] = CHASSIS_MAC;
	static const uint8_t port[] = PORT_GI107;
	struct lldp_frame f;
	uint8_t buf[128];
	size_t i;
	(void)state;

	memset(&f, 0, sizeof(f));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const uint8_t *tlv = (const uint8_t *)cases[i].tlv;
		const bool is_chassis = tlv[0] >> 1 == LLDP_TLV_CHASSIS_ID;
		const struct lldp_id *id = is_chassis ? &f.chassis : &f.port;
		size_t n;

		if (is_chassis)
			n = pdu_build(buf, sizeof(buf), tlv, cases[i].len, port,
				      sizeof(port) - 1);
		else
			n = pdu_build(buf, sizeof(buf), chassis,
				      sizeof(chassis) - 1, tlv, cases[i].len);

		decode_ok(&f, buf, n);
		assert_int_equal(cases[i].subtype, id->subtype);
		assert_int_equal(cases[i].rawlen, id->len);
		assert_memory_equal(tlv + 3, id->raw, id->len);
		assert_string_equal(cases[i].text, id->text);
	}

	lldp_frame_reset(&f);
}

/* A switch port's advertisement with every TLV we read, and some we skip. */
/* clang-format off */
static const char switch_pdu[] = HEAD
	"\x08\x09" "Desk 4.12"		/* Port Description */
	"\x0a\x09" "sw-floor4"		/* System Name */
	"\x0c\x0d" "Switch\r\nrev 2"	/* System Description: CR LF -> spaces */
	/* System Capabilities: bridge + router, bridge enabled */
	"\x0e\x04\x00\x14\x00\x04"
	/* Management Address: string length 5, IPv4 192.0.2.1, ifIndex 3,
	 * OID length 0 */
	"\x10\x0c\x05\x01\xc0\x00\x02\x01\x02\x00\x00\x00\x03\x00"
	/* Management Address: string length 17, IPv6 2001:db8::1, system
	 * port 7, OID length 2 (1.3.6) */
	"\x10\x1a\x11\x02\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x01\x03\x00\x00\x00\x07\x02\x2b\x06"
	/* IEEE 802.1 (OUI 00-80-C2) Port VLAN ID 10: skipped */
	"\xfe\x06\x00\x80\xc2\x01\x00\x0a"
	/* MED Capabilities 0x000f (caps, policy, location, PSE), device
	 * type 4 (network connectivity) */
	MED_HDR("\x07", "\x01") "\x00\x0f\x04"
	/* MED Network Policy: voice, tagged, VLAN 100, priority 5, DSCP 46 */
	MED_HDR("\x08", "\x02") "\x01\x40\xc9\x6e"
	/* MED Network Policy: voice signaling, policy unknown */
	MED_HDR("\x08", "\x02") "\x02\x80\x00\x00"
	LOC_COORD_WH
	LOC_CIVIC_WH
	LOC_ELIN
	/* MED Extended Power-via-MDI: PD, 10.0 W: skipped */
	MED_HDR("\x07", "\x04") "\x51\x00\x64"
	MED_HDR("\x0a", "\x06") "fw 1.2"	/* MED Firmware Revision */
	MED_HDR("\x08", "\x09") "ACME"		/* MED Manufacturer Name */
	MED_HDR("\x07", "\x0a") "X-1"		/* MED Model Name */
	END
	"\x00\x00\x00\x00";	/* Ethernet padding, after End: ignored */
/* clang-format on */

static void switch_advertisement(void **state)
{
	struct lldp_frame f;
	const struct lldp_med_policy *p;
	(void)state;

	memset(&f, 0, sizeof(f));
	decode_ok(&f, FIX(switch_pdu));

	assert_string_equal("00:11:22:33:44:55", f.chassis.text);
	assert_int_equal(LLDP_PORT_IFNAME, f.port.subtype);
	assert_string_equal("Gi1/0/7", f.port.text);
	assert_int_equal(120, f.ttl);
	assert_string_equal("Desk 4.12", f.port_desc);
	assert_string_equal("sw-floor4", f.sys_name);
	/* control characters are dropped, not made spaces */
	assert_string_equal("Switchrev 2", f.sys_desc);
	assert_true(f.has_caps);
	assert_int_equal(LLDP_CAP_BRIDGE | LLDP_CAP_ROUTER, f.caps);
	assert_int_equal(LLDP_CAP_BRIDGE, f.caps_enabled);

	assert_int_equal(2, f.mgmtc);
	assert_int_equal(LLDP_FAMILY_IPV4, f.mgmtv[0].family);
	assert_string_equal("192.0.2.1", f.mgmtv[0].text);
	assert_int_equal(2, f.mgmtv[0].if_subtype);
	assert_int_equal(3, f.mgmtv[0].if_number);
	assert_string_equal("2001:db8::1", f.mgmtv[1].text);
	assert_int_equal(7, f.mgmtv[1].if_number);

	assert_true(f.med.has_caps);
	assert_int_equal(0x0f, f.med.caps);
	assert_int_equal(LLDP_MED_NETWORK, f.med.device_type);

	assert_int_equal(2, f.med.policyc);
	p = &f.med.policyv[0];
	assert_int_equal(LLDP_MED_APP_VOICE, p->app);
	assert_false(p->unknown);
	assert_true(p->tagged);
	assert_int_equal(100, p->vlan);
	assert_int_equal(5, p->priority);
	assert_int_equal(46, p->dscp);
	p = &f.med.policyv[1];
	assert_int_equal(LLDP_MED_APP_VOICE_SIGNALING, p->app);
	assert_true(p->unknown);
	assert_false(p->tagged);

	assert_true(f.med.has_coord);
	assert_true(f.med.has_civic);
	assert_string_equal("Washington",
			    civic_get(&f.med.civic.civic, CIVIC_A3));
	assert_true(f.med.has_elin);
	assert_string_equal("2025550123", f.med.elin);

	assert_string_equal("fw 1.2", f.med.inventory.fw_rev);
	assert_string_equal("ACME", f.med.inventory.manufacturer);
	assert_string_equal("X-1", f.med.inventory.model);
	assert_string_equal("", f.med.inventory.serial);

	/* 802.1 PVID and Extended Power-via-MDI */
	assert_int_equal(2, f.skipped);

	/* decoding again into the same frame frees the first civic */
	decode_ok(&f, FIX(switch_pdu));
	lldp_frame_reset(&f);
	assert_false(f.med.has_civic);
	assert_null(civic_get(&f.med.civic.civic, CIVIC_A3));
}

static void coordinate_lci(void **state)
{
	static const struct {
		uint8_t lci[16];
		double lat, lon, alt;
		enum lldp_med_altitude at;
		enum lldp_med_datum datum;
		uint8_t lat_res, alt_res;
	} cases[] = {
		/* 38.89868 N, 77.03723 W, 15.25 m, WGS 84, res 34/34/30 */
		{{0x88, 0x4d, 0xcc, 0x1f, 0xc9, 0x8b, 0x65, 0xec, 0xf0, 0x30,
		  0x17, 0x80, 0x00, 0x0f, 0x40, 0x01},
		 38.89868,
		 -77.03723,
		 15.25,
		 LLDP_MED_ALT_METRES,
		 LLDP_MED_DATUM_WGS84,
		 34,
		 30},
		/* standards.md §8.7 vector: 38.89773 N, 77.03653 W, 10.5 m */
		{{0x88, 0x4d, 0xcb, 0xa3, 0x44, 0x8b, 0x65, 0xed, 0x4b, 0xf1,
		  0x17, 0x80, 0x00, 0x0a, 0x80, 0x01},
		 38.89773,
		 -77.03653,
		 10.5,
		 LLDP_MED_ALT_METRES,
		 LLDP_MED_DATUM_WGS84,
		 34,
		 30},
		/* 33.85678 S, 151.2153 E, floor 3, NAD83+NAVD88, res 0 */
		{{0x03, 0xbc, 0x49, 0x54, 0x22, 0x01, 0x2e, 0x6e, 0x3b, 0xcd,
		  0x20, 0x00, 0x00, 0x03, 0x00, 0x02},
		 -33.85678,
		 151.2153,
		 3.0,
		 LLDP_MED_ALT_FLOORS,
		 LLDP_MED_DATUM_NAD83_NAVD88,
		 0,
		 0},
		/* 36.2461 N, 116.8185 W, -85.5 m (below sea level), WGS 84 */
		{{0x88, 0x48, 0x7e, 0x00, 0xd2, 0x8b, 0x16, 0x5c, 0xed, 0x91,
		  0x17, 0xbf, 0xff, 0xaa, 0x80, 0x01},
		 36.2461,
		 -116.8185,
		 -85.5,
		 LLDP_MED_ALT_METRES,
		 LLDP_MED_DATUM_WGS84,
		 34,
		 30},
		/* 0, 0, no altitude type: the 1 m in the altitude field is
		 * ignored; NAD83+MLLW */
		{{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		  0x00, 0x00, 0x00, 0x01, 0x00, 0x03},
		 0.0,
		 0.0,
		 0.0,
		 LLDP_MED_ALT_NONE,
		 LLDP_MED_DATUM_NAD83_MLLW,
		 0,
		 0},
	};
	/* clang-format off */
	static const uint8_t head[] = HEAD
		MED_HDR("\x15", "\x03") "\x01"; /* Location, format 1 */
	/* clang-format on */
	struct lldp_frame f;
	uint8_t buf[64];
	size_t i;
	(void)state;

	memset(&f, 0, sizeof(f));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct lldp_med_coord *c = &f.med.coord;

		memcpy(buf, head, sizeof(head) - 1);
		memcpy(buf + sizeof(head) - 1, cases[i].lci, 16);
		memcpy(buf + sizeof(head) - 1 + 16, END, 2);

		decode_ok(&f, buf, sizeof(head) - 1 + 16 + 2);
		assert_true(f.med.has_coord);
		assert_float_equal(cases[i].lat, c->latitude, DEG_EPS);
		assert_float_equal(cases[i].lon, c->longitude, DEG_EPS);
		assert_float_equal(cases[i].alt, c->altitude, 1e-9);
		assert_int_equal(cases[i].at, c->alt_type);
		assert_int_equal(cases[i].datum, c->datum);
		assert_int_equal(cases[i].lat_res, c->lat_res);
		assert_int_equal(cases[i].lat_res, c->lon_res);
		assert_int_equal(cases[i].alt_res, c->alt_res);
	}
}

static void civic_lci(void **state)
{
	static const char pdu[] = HEAD LOC_CIVIC_WH END;
	/* clang-format off */
	/* standards.md §8.6 example: LCI length 17, What 2, US, A1 "NY",
	 * A3 "New York" */
	static const char ny[] = HEAD MED_HDR("\x17", "\x03") "\x02"
		"\x11\x02" "US" "\x01\x02" "NY" "\x03\x08" "New York" END;
	/* clang-format on */
	static const struct {
		enum civic_field field;
		const char *value;
	} want[] = {
		{CIVIC_COUNTRY, "US"},	    {CIVIC_A1, "DC"},
		{CIVIC_A3, "Washington"},   {CIVIC_HNO, "1600"},
		{CIVIC_RD, "Pennsylvania"}, {CIVIC_STS, "Ave"},
		{CIVIC_FLR, "2"},
	};
	const struct lldp_med_civic *c;
	struct lldp_frame f;
	size_t i, set = 0;
	int k;
	(void)state;

	memset(&f, 0, sizeof(f));
	decode_ok(&f, FIX(pdu));
	c = &f.med.civic;

	assert_true(f.med.has_civic);
	assert_int_equal(2, c->what);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(want[i].value,
				    civic_get(&c->civic, want[i].field));
	for (k = 0; k < CIVIC_FIELD_COUNT; k++)
		set += civic_get(&c->civic, k) != NULL;
	assert_int_equal(ARRAY_SIZE(want), set);
	assert_string_equal("en", c->lang);
	assert_string_equal("Latn", c->script);
	assert_int_equal(1, c->unknown); /* CAtype 40 */

	decode_ok(&f, FIX(ny));
	assert_string_equal("US", civic_get(&c->civic, CIVIC_COUNTRY));
	assert_string_equal("NY", civic_get(&c->civic, CIVIC_A1));
	assert_string_equal("New York", civic_get(&c->civic, CIVIC_A3));
	assert_null(civic_get(&c->civic, CIVIC_HNO));
	assert_string_equal("", c->lang);

	lldp_frame_reset(&f);
}

static void civic_repeats_and_empty(void **state)
{
	/* clang-format off */
	static const char pdu[] = HEAD MED_HDR("\x17", "\x03") "\x02"
		"\x11"			/* LCI length 17 */
		"\x01" "DE"		/* What 1 (switch), DE */
		"\x03\x04" "Bonn"	/* A3 */
		"\x03\x04" "Koln"	/* A3 again: the first wins */
		"\x13\x00"		/* HNO, empty: nothing set */
		END;
	/* clang-format on */
	struct lldp_frame f;
	(void)state;

	memset(&f, 0, sizeof(f));
	decode_ok(&f, FIX(pdu));
	assert_int_equal(1, f.med.civic.what);
	assert_string_equal("DE", civic_get(&f.med.civic.civic, CIVIC_COUNTRY));
	assert_string_equal("Bonn", civic_get(&f.med.civic.civic, CIVIC_A3));
	assert_null(civic_get(&f.med.civic.civic, CIVIC_HNO));
	lldp_frame_reset(&f);
}

static void elin(void **state)
{
	static const char ten[] = HEAD LOC_ELIN END;
	/* clang-format off */
	/* 25 digits, the longest ELIN: TLV length 30 */
	static const char longest[] = HEAD MED_HDR("\x1e", "\x03") "\x03"
		"1234567890123456789012345" END;
	/* clang-format on */
	struct lldp_frame f;
	(void)state;

	memset(&f, 0, sizeof(f));
	decode_ok(&f, FIX(ten));
	assert_true(f.med.has_elin);
	assert_string_equal("2025550123", f.med.elin);
	assert_false(f.med.has_civic);
	assert_false(f.med.has_coord);

	decode_ok(&f, FIX(longest));
	assert_string_equal("1234567890123456789012345", f.med.elin);
}

static void network_policies(void **state)
{
	/* clang-format off */
	static const char pdu[] = HEAD
		/* softphone voice: tagged, VLAN 4094, priority 7, DSCP 63 */
		MED_HDR("\x08", "\x02") "\x05\x5f\xfd\xff"
		/* voice: untagged, VLAN 0, priority 0, DSCP 0 */
		MED_HDR("\x08", "\x02") "\x01\x00\x00\x00"
		/* voice again: skipped, the first wins */
		MED_HDR("\x08", "\x02") "\x01\x40\xc9\x6e"
		/* application type 9 is reserved: skipped */
		MED_HDR("\x08", "\x02") "\x09\x40\xc9\x6e"
		/* video signaling: unknown, X bit set (ignored) */
		MED_HDR("\x08", "\x02") "\x08\xa0\x00\x00"
		END;
	/* clang-format on */
	const struct lldp_med_policy *p;
	struct lldp_frame f;
	(void)state;

	memset(&f, 0, sizeof(f));
	decode_ok(&f, FIX(pdu));
	assert_int_equal(3, f.med.policyc);
	assert_int_equal(2, f.skipped);

	/* in application order, not the order the switch sent */
	p = &f.med.policyv[0];
	assert_int_equal(LLDP_MED_APP_VOICE, p->app);
	assert_false(p->tagged);
	assert_int_equal(0, p->vlan);
	assert_int_equal(0, p->dscp);

	p = &f.med.policyv[1];
	assert_int_equal(LLDP_MED_APP_SOFTPHONE_VOICE, p->app);
	assert_true(p->tagged);
	assert_false(p->unknown);
	assert_int_equal(4094, p->vlan);
	assert_int_equal(7, p->priority);
	assert_int_equal(63, p->dscp);

	p = &f.med.policyv[2];
	assert_int_equal(LLDP_MED_APP_VIDEO_SIGNALING, p->app);
	assert_true(p->unknown);
	assert_false(p->tagged);
	assert_int_equal(0, p->vlan);

	assert_string_equal("Softphone Voice", lldp_med_app_name(5));
	assert_string_equal("reserved", lldp_med_app_name(9));
}

static void minimal_and_skipped(void **state)
{
	/* clang-format off */
	static const char pdu[] = HEAD
		"\x12\x02\xab\xcd"	/* reserved TLV type 9: skipped */
		"\xfe\x05\x00\x00\x5e\x01\xff"	/* OUI 00-00-5E: skipped */
		MED_HDR("\x05", "\x0c") "\x00"	/* MED subtype 12: skipped */
		MED_HDR("\x06", "\x03") "\x04\x00" /* location format 4: skipped */
		"\x0a\x01" "a"		/* System Name */
		"\x0a\x01" "b"		/* System Name again: skipped */
		"\x08\x00"		/* empty Port Description */
		END;
	/* TTL 0: the neighbour is leaving */
	static const char ttl0[] = CHASSIS_MAC PORT_GI107 "\x06\x02\x00\x00"
		END;
	/* clang-format on */
	struct lldp_frame f;
	(void)state;

	memset(&f, 0, sizeof(f));
	decode_ok(&f, FIX(pdu));
	assert_int_equal(5, f.skipped);
	assert_string_equal("a", f.sys_name);
	assert_string_equal("", f.port_desc);
	assert_false(f.has_caps);
	assert_false(f.med.has_caps);
	assert_int_equal(0, f.mgmtc);

	decode_ok(&f, FIX(ttl0));
	assert_int_equal(0, f.ttl);
	assert_int_equal(0, f.skipped);
}

/* What real switches send that a strict reading of TIA-1057 refuses: each
 * is kept whole (../shared/lldp-captures has the real frames). */
static void real_switch_quirks(void **state)
{
	/* clang-format off */
	/* Cisco SG200: an 11-octet LCI (What 2, "DE", A3 "Berlin") in a
	 * Location TLV zero-padded to 25 octets of location ID */
	static const char padded[] = HEAD
		MED_HDR("\x1e", "\x03") "\x02"
		"\x0b" "\x02" "DE" "\x03\x06" "Berlin" "\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		END;
	/* a 7-digit ELIN (HP's CLI takes 1..15 digits), and a civic LCI
	 * in ISO-8859-1: A3 "M\xfcnchen", A6 "Bahnhofstra\xdfe" */
	static const char latin1[] = HEAD
		MED_HDR("\x0c", "\x03") "\x03" "5551212"
		MED_HDR("\x21", "\x03") "\x02"
		"\x1b" "\x02" "DE" "\x03\x07" "M\xfc" "nchen"
		"\x06\x0d" "Bahnhofstra\xdf" "e"
		END;
	/* Extreme and NX-OS: names with a trailing NUL; a reserved TLV
	 * type (9) is skipped; no End TLV after the last TLV */
	static const char nul[] = HEAD
		"\x0a\x05" "sw-1\0"
		"\x08\x05" "Gi1\0\0"
		"\x12\x02" "xy";
	/* clang-format on */
	struct lldp_frame f;
	(void)state;

	memset(&f, 0, sizeof(f));

	decode_ok(&f, FIX(padded));
	assert_true(f.med.has_civic);
	assert_string_equal("Berlin", civic_get(&f.med.civic.civic, CIVIC_A3));
	assert_int_equal(0, f.dropped);

	decode_ok(&f, FIX(latin1));
	assert_true(f.med.has_elin);
	assert_string_equal("5551212", f.med.elin);
	assert_string_equal("M\xc3\xbcnchen",
			    civic_get(&f.med.civic.civic, CIVIC_A3));
	assert_string_equal("Bahnhofstra\xc3\x9f"
			    "e",
			    civic_get(&f.med.civic.civic, CIVIC_A6));

	decode_ok(&f, FIX(nul));
	assert_string_equal("sw-1", f.sys_name);
	assert_string_equal("Gi1", f.port_desc);
	assert_int_equal(1, f.skipped);

	lldp_frame_reset(&f);
}

/* One 802.1Q tag between the addresses and the EtherType is skipped. */
static void vlan_tagged_frame(void **state)
{
	/* clang-format off */
	static const char frame[] =
		"\x01\x80\xc2\x00\x00\x0e" "\x00\x11\x22\x33\x44\x55"
		"\x81\x00" "\x00\x01"	/* 802.1Q, VLAN 1 */
		"\x88\xcc" HEAD END;
	/* clang-format on */
	struct lldp_frame f;
	const char *why = NULL;
	(void)state;

	memset(&f, 0, sizeof(f));
	assert_int_equal(0, lldp_decode_ethernet(&f, (const uint8_t *)frame,
						 sizeof(frame) - 1, &why));
	assert_string_equal("Gi1/0/7", f.port.text);
	assert_true(f.has_src);
	lldp_frame_reset(&f);
}

static void names(void **state)
{
	(void)state;

	assert_string_equal("TTL", lldp_tlv_name(3));
	assert_string_equal("Organizationally Specific", lldp_tlv_name(127));
	assert_string_equal("reserved", lldp_tlv_name(9));
	assert_string_equal("Location Identification", lldp_med_tlv_name(3));
	assert_string_equal("reserved", lldp_med_tlv_name(0));
	assert_string_equal("reserved", lldp_med_tlv_name(12));
}

/* Coordinates in netinfo print right to six decimals: libre writes
 * doubles with %f, which truncates (47.3 would read 47.299999). */
static void json_coordinates(void **state)
{
	struct lldp_frame *f = mem_zalloc(sizeof(*f), NULL);
	struct odict *od = NULL;
	char *text = NULL;
	(void)state;

	assert_non_null(f);
	f->med.has_caps = true;
	f->med.has_coord = true;
	f->med.coord.latitude = 47.3;
	f->med.coord.longitude = -122.1;
	f->med.coord.alt_type = LLDP_MED_ALT_FLOORS;
	f->med.coord.altitude = 2.7;

	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(0, lldp_frame_json_encode(od, f));
	assert_int_equal(0, re_sdprintf(&text, "%H", json_out_odict, od));
	assert_non_null(strstr(text, "\"latitude\":47.3,"));
	assert_non_null(strstr(text, "\"longitude\":-122.1,"));
	assert_non_null(strstr(text, "\"altitude\":2.7,"));

	mem_deref(text);
	mem_deref(od);
	mem_deref(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(id_subtypes),
		cmocka_unit_test(switch_advertisement),
		cmocka_unit_test(coordinate_lci),
		cmocka_unit_test(civic_lci),
		cmocka_unit_test(civic_repeats_and_empty),
		cmocka_unit_test(elin),
		cmocka_unit_test(network_policies),
		cmocka_unit_test(minimal_and_skipped),
		cmocka_unit_test(real_switch_quirks),
		cmocka_unit_test(vlan_tagged_frame),
		cmocka_unit_test(names),
		cmocka_unit_test(json_coordinates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
