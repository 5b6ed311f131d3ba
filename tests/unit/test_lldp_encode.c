/* Unit tests for the LLDP-MED encoder and the Ethernet frame decoder. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_fixtures.h"

static const struct lldp_med_policy voice = {
	.app = LLDP_MED_APP_VOICE,
	.tagged = true,
	.vlan = 100,
	.priority = 5,
	.dscp = 46,
};

/* The whole frame for the phone below, octet by octet. */
/* clang-format off */
static const char phone_frame[] =
	"\x01\x80\xc2\x00\x00\x0e"	/* to the nearest bridge */
	"\x02\x00\x5e\x10\x00\x01"	/* from us */
	"\x88\xcc"			/* EtherType LLDP */
	"\x02\x07\x04\x02\x00\x5e\x10\x00\x01" /* Chassis ID: MAC */
	"\x04\x05\x05" "eth0"		/* Port ID: interface name */
	"\x06\x02\x00\x78"		/* TTL 120 */
	"\x0a\x07" "phone-1"		/* System Name */
	"\x0e\x04\x00\x20\x00\x20"	/* System Capabilities: telephone */
	/* MED Capabilities: caps, policy, location, inventory (0x27);
	 * device type 3, Endpoint Class III */
	MED_HDR("\x07", "\x01") "\x00\x27\x03"
	/* MED Network Policy: voice, tagged, VLAN 100, priority 5, DSCP 46 */
	MED_HDR("\x08", "\x02") "\x01\x40\xc9\x6e"
	MED_HDR("\x09", "\x07") "0.1.0"		/* Software Revision */
	MED_HDR("\x0c", "\x09") "locphone"	/* Manufacturer Name */
	MED_HDR("\x0d", "\x0a") "softphone"	/* Model Name */
	END;
/* clang-format on */

static const struct lldp_tx phone = {
	.mac = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01},
	.ifname = "eth0",
	.ttl = 120,
	.sys_name = "phone-1",
	.policy = &voice,
	.sw_rev = "0.1.0",
	.manufacturer = "locphone",
	.model = "softphone",
};

static void decode_frame_ok(struct lldp_frame *f, const struct mbuf *mb)
{
	const char *why = NULL;
	int err = lldp_decode_ethernet(f, mb->buf, mb->end, &why);

	if (err)
		print_error("lldp_decode_ethernet: %s\n", why);
	assert_int_equal(0, err);
}

static void exact_bytes(void **state)
{
	struct mbuf *mb = mbuf_alloc(64);
	(void)state;

	assert_non_null(mb);
	assert_int_equal(0, lldp_encode(mb, &phone));
	assert_int_equal(sizeof(phone_frame) - 1, mb->end);
	assert_memory_equal(phone_frame, mb->buf, mb->end);
	mem_deref(mb);
}

static void round_trip(void **state)
{
	static const struct lldp_med_policy softphone = {
		.app = LLDP_MED_APP_SOFTPHONE_VOICE,
		.vlan = 4095,
		.priority = 7,
		.dscp = 63,
	};
	static const struct {
		const char *ifname;
		const struct lldp_med_policy *policy;
		uint16_t ttl;
		const char *model;
	} cases[] = {
		{"eth0", &voice, 120, "softphone"},
		/* no interface name: Port ID is the MAC */
		{NULL, &voice, 65535, NULL},
		/* no policy: voice with the Unknown flag */
		{"enp0s31f6", NULL, 0, "x"},
		{"", &softphone, 1, ""},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct lldp_tx tx = phone;
		const struct lldp_med_policy *want = cases[i].policy;
		const struct lldp_med_policy *got;
		struct mbuf *mb = mbuf_alloc(64);
		struct lldp_frame f;

		memset(&f, 0, sizeof(f));
		tx.ifname = cases[i].ifname;
		tx.policy = cases[i].policy;
		tx.ttl = cases[i].ttl;
		tx.model = cases[i].model;

		assert_int_equal(0, lldp_encode(mb, &tx));
		decode_frame_ok(&f, mb);

		assert_true(f.has_src);
		assert_memory_equal(tx.mac, f.src, 6);
		assert_int_equal(LLDP_CHASSIS_MAC, f.chassis.subtype);
		assert_string_equal("02:00:5e:10:00:01", f.chassis.text);
		if (str_isset(tx.ifname)) {
			assert_int_equal(LLDP_PORT_IFNAME, f.port.subtype);
			assert_string_equal(tx.ifname, f.port.text);
		} else {
			assert_int_equal(LLDP_PORT_MAC, f.port.subtype);
			assert_memory_equal(tx.mac, f.port.raw, 6);
		}
		assert_int_equal(tx.ttl, f.ttl);
		assert_string_equal("phone-1", f.sys_name);
		assert_int_equal(LLDP_CAP_TELEPHONE, f.caps);
		assert_int_equal(LLDP_CAP_TELEPHONE, f.caps_enabled);

		assert_true(f.med.has_caps);
		assert_int_equal(LLDP_MED_CLASS_III, f.med.device_type);
		assert_true(f.med.caps & LLDP_MED_CAP_LOCATION);

		assert_int_equal(1, f.med.policyc);
		got = &f.med.policyv[0];
		if (want) {
			assert_int_equal(want->app, got->app);
			assert_int_equal(want->tagged, got->tagged);
			assert_int_equal(want->vlan, got->vlan);
			assert_int_equal(want->priority, got->priority);
			assert_int_equal(want->dscp, got->dscp);
			assert_false(got->unknown);
		} else {
			assert_int_equal(LLDP_MED_APP_VOICE, got->app);
			assert_true(got->unknown);
		}

		assert_string_equal("0.1.0", f.med.inventory.sw_rev);
		assert_string_equal("locphone", f.med.inventory.manufacturer);
		assert_string_equal(tx.model ? tx.model : "",
				    f.med.inventory.model);
		assert_int_equal(0, f.skipped);

		lldp_frame_reset(&f);
		mem_deref(mb);
	}
}

static void minimal_phone(void **state)
{
	struct lldp_tx tx;
	struct lldp_frame f;
	struct mbuf *mb = mbuf_alloc(64);
	(void)state;

	memset(&tx, 0, sizeof(tx));
	memset(&f, 0, sizeof(f));
	memcpy(tx.mac, phone.mac, 6);

	assert_int_equal(0, lldp_encode(mb, &tx));
	decode_frame_ok(&f, mb);
	assert_string_equal("", f.sys_name);
	/* no inventory sent, none claimed */
	assert_int_equal(LLDP_MED_CAP_CAPS | LLDP_MED_CAP_POLICY |
				 LLDP_MED_CAP_LOCATION,
			 f.med.caps);
	assert_string_equal("", f.med.inventory.sw_rev);

	lldp_frame_reset(&f);
	mem_deref(mb);
}

static void refuse_bad_tx(void **state)
{
	static const struct lldp_med_policy bad_vlan = {
		.app = LLDP_MED_APP_VOICE, .vlan = 4096};
	static const struct lldp_med_policy bad_app = {.app = 9};
	static const struct lldp_med_policy bad_dscp = {
		.app = LLDP_MED_APP_VOICE, .dscp = 64};
	char name[LLDP_STR_MAX + 2], inv[LLDP_MED_INVENTORY_MAX + 2];
	struct mbuf *mb = mbuf_alloc(64);
	struct lldp_tx tx;
	size_t i;
	(void)state;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(inv, 'i', sizeof(inv) - 1);
	inv[sizeof(inv) - 1] = '\0';

	assert_int_equal(0, mbuf_write_str(mb, "keep"));

	for (i = 0; i < 7; i++) {
		tx = phone;
		switch (i) {

		case 0:
			tx.ifname = name;
			break;
		case 1:
			tx.sys_name = name;
			break;
		case 2:
			tx.model = inv;
			break;
		case 3:
			tx.policy = &bad_vlan;
			break;
		case 4:
			tx.policy = &bad_app;
			break;
		case 5:
			tx.policy = &bad_dscp;
			break;
		default:
			tx.sw_rev = inv;
			break;
		}
		assert_int_equal(EINVAL, lldp_encode(mb, &tx));
		assert_int_equal(4, mb->end);
		assert_int_equal(4, mb->pos);
	}

	assert_int_equal(EINVAL, lldp_encode(NULL, &phone));
	assert_int_equal(EINVAL, lldp_encode(mb, NULL));

	/* the longest allowed strings still fit */
	tx = phone;
	name[LLDP_STR_MAX] = '\0';
	inv[LLDP_MED_INVENTORY_MAX] = '\0';
	tx.sys_name = name;
	tx.ifname = name;
	tx.model = inv;
	assert_int_equal(0, lldp_encode(mb, &tx));
	mem_deref(mb);
}

static void ethernet_frames(void **state)
{
	static const struct {
		const char *frame;
		size_t len;
		int err;
		const char *why;
	} cases[] = {
		{"\x01\x80\xc2\x00\x00\x0e\x02\x00\x5e", 9, ENOMSG,
		 "frame of 9 octets is shorter than an Ethernet header"},
		/* nearest non-TPMR bridge: not ours */
		{"\x01\x80\xc2\x00\x00\x03\x02\x00\x5e\x10\x00\x01\x88\xcc", 14,
		 ENOMSG,
		 "destination 01:80:c2:00:00:03 is not 01:80:c2:00:00:0e"},
		/* IPv4 */
		{"\x01\x80\xc2\x00\x00\x0e\x02\x00\x5e\x10\x00\x01\x08\x00", 14,
		 ENOMSG, "EtherType 0x0800 is not LLDP (0x88cc)"},
		/* LLDP with an empty LLDPDU */
		{"\x01\x80\xc2\x00\x00\x0e\x02\x00\x5e\x10\x00\x01\x88\xcc", 14,
		 EBADMSG, "LLDPDU ends before TLV 1 (Chassis ID)"},
	};
	struct lldp_frame f;
	struct mbuf *mb = mbuf_alloc(128);
	size_t i;
	(void)state;

	memset(&f, 0, sizeof(f));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *why = NULL;

		assert_int_equal(cases[i].err,
				 lldp_decode_ethernet(
					 &f, (const uint8_t *)cases[i].frame,
					 cases[i].len, &why));
		assert_string_equal(cases[i].why, why);
		assert_false(f.has_src);
	}

	/* octets after End (Ethernet padding) are ignored */
	assert_int_equal(0, lldp_encode(mb, &phone));
	mbuf_fill(mb, 0, 200 - mb->end);
	decode_frame_ok(&f, mb);
	assert_string_equal("eth0", f.port.text);

	lldp_frame_reset(&f);
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_bytes),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(minimal_phone),
		cmocka_unit_test(refuse_bad_tx),
		cmocka_unit_test(ethernet_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
