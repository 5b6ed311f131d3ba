/* Unit tests for the LLDP / LLDP-MED decoder: malformed LLDPDUs, refused
 * whole or, where the framing is sound, less the one bad TLV. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_fixtures.h"

/* A literal and its length, for tables. */
#define T(s) s, sizeof(s) - 1

/* Each LLDPDU is refused with EBADMSG and exactly this message. */
/* clang-format off */
static const struct {
	const char *pdu;
	size_t len;
	const char *why;
} cases[] = {
/* --- framing --- */
{T(""), "LLDPDU ends before TLV 1 (Chassis ID)"},
{T(CHASSIS_MAC PORT_GI107), "LLDPDU ends before TLV 3 (TTL)"},
/* one octet where a 2-octet TLV header should be (HEAD is 23) */
{T(HEAD "\x00"), "truncated TLV header at offset 23 (1 octet left)"},
/* System Name claims 20 octets, 6 follow */
{T(HEAD "\x0a\x14" "sw-1" END),
 "TLV 5 (System Name) at offset 23: length 20 exceeds the 6 octets left"},
/* Chassis ID claims 7 octets, 3 follow */
{T("\x02\x07\x04\x00\x11"),
 "TLV 1 (Chassis ID) at offset 0: length 7 exceeds the 3 octets left"},

/* --- mandatory TLVs: order, duplicates, lengths --- */
{T(PORT_GI107 CHASSIS_MAC TTL_120 END),
 "expected TLV 1 (Chassis ID) first, got TLV 2 (Port ID)"},
{T(CHASSIS_MAC TTL_120 PORT_GI107 END),
 "expected TLV 2 (Port ID) second, got TLV 3 (TTL)"},
{T(CHASSIS_MAC PORT_GI107 "\x0a\x01" "a" TTL_120 END),
 "expected TLV 3 (TTL) third, got TLV 5 (System Name)"},
{T(CHASSIS_MAC PORT_GI107 END),
 "expected TLV 3 (TTL) third, got TLV 0 (End)"},
{T(HEAD CHASSIS_MAC END), "duplicate TLV 1 (Chassis ID)"},
{T(HEAD PORT_GI107 END), "duplicate TLV 2 (Port ID)"},
{T(HEAD TTL_120 END), "duplicate TLV 3 (TTL)"},
/* zero-length Chassis ID, Port ID, TTL */
{T("\x02\x00" PORT_GI107 TTL_120 END),
 "TLV 1 (Chassis ID) length 0, expected 2..256"},
{T(CHASSIS_MAC "\x04\x00" TTL_120 END),
 "TLV 2 (Port ID) length 0, expected 2..256"},
{T(CHASSIS_MAC PORT_GI107 "\x06\x00" END),
 "TLV 3 (TTL) length 0, expected 2"},
/* a Chassis ID subtype (MAC) and no ID */
{T("\x02\x01\x04" PORT_GI107 TTL_120 END),
 "TLV 1 (Chassis ID) length 1, expected 2..256"},
{T(CHASSIS_MAC PORT_GI107 "\x06\x01\x00" END),
 "TLV 3 (TTL) length 1, expected 2"},
{T(CHASSIS_MAC PORT_GI107 "\x06\x03\x00\x78\x00" END),
 "TLV 3 (TTL) length 3, expected 2"},
/* Chassis ID subtype 0, Port ID subtype 8: reserved */
{T("\x02\x02\x00" "A" PORT_GI107 TTL_120 END),
 "TLV 1 (Chassis ID) subtype 0 is reserved"},
{T(CHASSIS_MAC "\x04\x02\x08" "A" TTL_120 END),
 "TLV 2 (Port ID) subtype 8 is reserved"},
/* network-address Chassis ID of family 1 (IPv4) with 3 octets, and a
 * port ID of family 2 (IPv6) with 4: which station is meant is in doubt */
{T("\x02\x05\x05\x01\xc0\x00\x02" PORT_GI107 TTL_120 END),
 "TLV 1 (Chassis ID) network address of family 1 has 3 octets"},
{T(CHASSIS_MAC "\x04\x06\x04\x02\x0a\x0a\x0a\x0a" TTL_120 END),
 "TLV 2 (Port ID) network address of family 2 has 4 octets"},

	};
/* clang-format on */


/*
 * Each LLDPDU decodes, less one optional TLV whose length was sound but
 * whose value is not: f->dropped is 1 and f->dropbuf says exactly this.
 * HEAD's chassis, port and TTL are all there.
 */
/* clang-format off */
static const struct {
	const char *pdu;
	size_t len;
	const char *why;
} drops[] = {
/* --- optional base TLVs --- */
/* System Capabilities of 3 octets */
{T(HEAD "\x0e\x03\x00\x14\x00" END),
 "TLV 7 (System Capabilities) length 3, expected 4"},
/* Management Address of 8 octets */
{T(HEAD "\x10\x08\x05\x01\xc0\x00\x02\x01\x02\x00" END),
 "TLV 8 (Management Address) length 8, expected 9..167"},
/* address string length 1: a family and no address */
{T(HEAD "\x10\x09\x01\x01\x02\x00\x00\x00\x03\x00\x00" END),
 "TLV 8 (Management Address) address string length 1, expected 2..32"},
/* address string length 33 */
{T(HEAD "\x10\x09\x21\x01\x02\x00\x00\x00\x03\x00\x00" END),
 "TLV 8 (Management Address) address string length 33, expected 2..32"},
/* address string length 9 in a TLV of 9 */
{T(HEAD "\x10\x09\x09\x01\x02\x00\x00\x00\x03\x00\x00" END),
 "TLV 8 (Management Address) length 9, its fields need at least 16"},
/* string length 5, IPv4, ifIndex 3, OID length 2 but no OID octets */
{T(HEAD "\x10\x0c\x05\x01\xc0\x00\x02\x01\x02\x00\x00\x00\x03\x02" END),
 "TLV 8 (Management Address) length 12, but its fields take 14"},
/* Organizationally Specific of 3 octets: no room for a subtype */
{T(HEAD "\xfe\x03\x00\x12\xbb" END),
 "TLV 127 (Organizationally Specific) length 3, expected 4..511"},

/* --- LLDP-MED TLV lengths --- */
{T(HEAD MED_HDR("\x06", "\x01") "\x00\x33" END),
 "LLDP-MED TLV 1 (Capabilities) length 6, expected 7"},
{T(HEAD MED_HDR("\x07", "\x02") "\x01\x40\xc9" END),
 "LLDP-MED TLV 2 (Network Policy) length 7, expected 8"},
{T(HEAD MED_HDR("\x09", "\x02") "\x01\x40\xc9\x6e\x00" END),
 "LLDP-MED TLV 2 (Network Policy) length 9, expected 8"},
/* Location with no format octet */
{T(HEAD MED_HDR("\x04", "\x03") END),
 "LLDP-MED TLV 3 (Location Identification) length 4, expected 5..511"},
/* Model Name of 33 octets */
{T(HEAD MED_HDR("\x25", "\x0a") "123456789012345678901234567890123" END),
 "LLDP-MED TLV 10 (Model Name) length 37, expected 4..36"},

/* --- coordinate LCI (format 1) --- */
/* 15 and 17 octets instead of 16 */
{T(HEAD MED_HDR("\x14", "\x03") "\x01"
   "\x88\x4d\xcc\x1f\xc9\x8b\x65\xec\xf0\x30\x17\x80\x00\x0f\x40" END),
 "coordinate LCI length 15, expected 16"},
{T(HEAD MED_HDR("\x16", "\x03") "\x01"
   "\x88\x4d\xcc\x1f\xc9\x8b\x65\xec\xf0\x30\x17\x80\x00\x0f\x40\x01\x00"
   END),
 "coordinate LCI length 17, expected 16"},
/* latitude 91 N, longitude 0, 0 m, WGS 84 */
{T(HEAD MED_HDR("\x15", "\x03") "\x01"
   "\x88\xb6\x00\x00\x00\x88\x00\x00\x00\x00\x17\x80\x00\x00\x00\x01" END),
 "coordinate latitude 91.000000 out of range"},
/* 38.89868 N, longitude 181 W */
{T(HEAD MED_HDR("\x15", "\x03") "\x01"
   "\x88\x4d\xcc\x1f\xc9\x8a\x96\x00\x00\x00\x17\x80\x00\x0f\x40\x01" END),
 "coordinate longitude -181.000000 out of range"},
/* 38.89868 N, 77.03723 W, 15.25 m with datum 0 */
{T(HEAD MED_HDR("\x15", "\x03") "\x01"
   "\x88\x4d\xcc\x1f\xc9\x8b\x65\xec\xf0\x30\x17\x80\x00\x0f\x40\x00" END),
 "coordinate datum 0 unknown, expected 1..3"},
/* the same with altitude type 3 (high nibble of octet 10) */
{T(HEAD MED_HDR("\x15", "\x03") "\x01"
   "\x88\x4d\xcc\x1f\xc9\x8b\x65\xec\xf0\x30\x37\x80\x00\x0f\x40\x01" END),
 "coordinate altitude type 3 unknown"},
{T(HEAD LOC_COORD_WH LOC_COORD_WH END), "duplicate coordinate LCI"},

/* --- civic LCI (format 2) --- */
/* format octet, then nothing */
{T(HEAD MED_HDR("\x05", "\x03") "\x02" END),
 "civic LCI has no length octet"},
/* LCI length 20; What + US + A1 "X" = 6 octets follow */
{T(HEAD MED_HDR("\x0c", "\x03") "\x02" "\x14" "\x02" "US" "\x01\x01" "X" END),
 "civic LCI length 20, but 6 octets follow"},
/* LCI length 3; 6 octets follow, not all of them zero padding */
{T(HEAD MED_HDR("\x0c", "\x03") "\x02" "\x03" "\x02" "US" "\x01\x01" "X" END),
 "civic LCI length 3, but 6 octets follow"},
/* LCI length 2: What and half a country code */
{T(HEAD MED_HDR("\x08", "\x03") "\x02" "\x02" "\x02" "U" END),
 "civic LCI length 2, expected at least 3"},
/* LCI length 4: What, US, then a lone CAtype octet at offset 3 */
{T(HEAD MED_HDR("\x0a", "\x03") "\x02" "\x04" "\x02" "US" "\x01" END),
 "civic CA element at LCI offset 3 truncated"},
/* LCI length 9: What, US, CAtype 3 claiming 8 octets, 4 follow */
{T(HEAD MED_HDR("\x0f", "\x03") "\x02" "\x09" "\x02" "US" "\x03\x08" "Wash"
   END),
 "civic CAtype 3 length 8 exceeds the 4 octets left"},
/* country "U1" */
{T(HEAD MED_HDR("\x09", "\x03") "\x02" "\x03" "\x02" "U1" END),
 "civic country code is not two letters"},
{T(HEAD LOC_CIVIC_WH LOC_CIVIC_WH END), "duplicate civic address LCI"},

/* --- ELIN (format 3) --- */
{T(HEAD MED_HDR("\x1f", "\x03") "\x03" "12345678901234567890123456" END),
 "ELIN length 26, expected 1..25"},
{T(HEAD MED_HDR("\x05", "\x03") "\x03" END),
 "ELIN length 0, expected 1..25"},
{T(HEAD MED_HDR("\x0f", "\x03") "\x03" "20255501x3" END),
 "ELIN octet 8 (0x78) is not a digit"},
{T(HEAD LOC_ELIN LOC_ELIN END), "duplicate ELIN"},
};
/* clang-format on */

static void refuse_malformed(void **state)
{
	struct lldp_frame f;
	size_t i;
	(void)state;

	memset(&f, 0, sizeof(f));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *why = NULL;
		int err;

		err = lldp_decode(&f, (const uint8_t *)cases[i].pdu,
				  cases[i].len, &why);
		if (err != EBADMSG || !why || strcmp(why, cases[i].why))
			print_error("case %zu: err %d, \"%s\"\n", i, err,
				    why ? why : "(null)");
		assert_int_equal(EBADMSG, err);
		assert_ptr_equal(f.errbuf, why);
		assert_string_equal(cases[i].why, why);

		/* nothing of the refused LLDPDU is left in f */
		assert_int_equal(0, f.chassis.len);
		assert_int_equal(0, f.ttl);
		assert_false(f.med.has_civic);
		assert_true(civic_is_empty(&f.med.civic.civic));
	}

	lldp_frame_reset(&f);
	assert_string_equal("", f.errbuf);
}

static void drop_malformed_tlv(void **state)
{
	struct lldp_frame f;
	size_t i;
	(void)state;

	memset(&f, 0, sizeof(f));

	for (i = 0; i < ARRAY_SIZE(drops); i++) {
		const char *why = NULL;
		int err;

		err = lldp_decode(&f, (const uint8_t *)drops[i].pdu,
				  drops[i].len, &why);
		if (err || f.dropped != 1 || strcmp(f.dropbuf, drops[i].why))
			print_error("case %zu: err %d, %u dropped, \"%s\"\n", i,
				    err, f.dropped, f.dropbuf);
		assert_int_equal(0, err);
		assert_int_equal(1, f.dropped);
		assert_string_equal(drops[i].why, f.dropbuf);
		assert_string_equal("", f.errbuf);

		/* the rest of the LLDPDU is kept */
		assert_string_equal("00:11:22:33:44:55", f.chassis.text);
		assert_string_equal("Gi1/0/7", f.port.text);
		assert_int_equal(120, f.ttl);
	}

	lldp_frame_reset(&f);
	assert_int_equal(0, f.dropped);
}

/* Lengths too big for a fixture literal. */
static void refuse_oversized(void **state)
{
	static const uint8_t head[] = HEAD;
	const size_t big = LLDP_PDU_MAX + 1;
	struct lldp_frame f;
	const char *why = NULL;
	uint8_t *buf;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	buf = calloc(1, big);
	assert_non_null(buf);

	/* System Description of 256 octets (802.1AB allows 255), End */
	n = sizeof(head) - 1;
	memcpy(buf, head, n);
	buf[n++] = LLDP_TLV_SYS_DESC << 1 | 1; /* type 6, length 256 */
	buf[n++] = 0x00;
	memset(buf + n, 'd', 256);
	n += 256 + 2;
	/* the TLV is dropped, the LLDPDU kept */
	assert_int_equal(0, lldp_decode(&f, buf, n, &why));
	assert_int_equal(1, f.dropped);
	assert_string_equal("TLV 6 (System Description) length 256, "
			    "expected 0..255",
			    f.dropbuf);
	assert_string_equal("", f.sys_desc);

	/* 255 octets is fine: shorten the TLV, move End up */
	n = sizeof(head) - 1;
	buf[n] = LLDP_TLV_SYS_DESC << 1; /* type 6, length 255 */
	buf[n + 1] = 0xff;
	n += 2 + 255;
	buf[n++] = 0;
	buf[n++] = 0;
	assert_int_equal(0, lldp_decode(&f, buf, n, &why));
	assert_int_equal(255, strlen(f.sys_desc));

	/* an LLDPDU longer than one Ethernet payload */
	assert_int_equal(EMSGSIZE, lldp_decode(&f, buf, big, &why));
	assert_string_equal("LLDPDU of 1501 octets exceeds 1500", why);

	free(buf);
	lldp_frame_reset(&f);
}

static void refuse_bad_arguments(void **state)
{
	static const uint8_t pdu[] = HEAD END;
	struct lldp_frame f;
	(void)state;

	memset(&f, 0, sizeof(f));
	assert_int_equal(EINVAL, lldp_decode(NULL, pdu, sizeof(pdu) - 1, NULL));
	assert_int_equal(EINVAL, lldp_decode(&f, NULL, 4, NULL));
	assert_int_equal(EINVAL, lldp_decode_ethernet(NULL, pdu, 4, NULL));

	/* errmsg is optional */
	assert_int_equal(EBADMSG, lldp_decode(&f, pdu, 9, NULL));
	assert_string_equal("LLDPDU ends before TLV 2 (Port ID)", f.errbuf);
	assert_int_equal(0, lldp_decode(&f, pdu, sizeof(pdu) - 1, NULL));
	lldp_frame_reset(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuse_malformed),
		cmocka_unit_test(drop_malformed_tlv),
		cmocka_unit_test(refuse_oversized),
		cmocka_unit_test(refuse_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
