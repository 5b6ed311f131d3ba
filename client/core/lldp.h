/* lldp: IEEE 802.1AB LLDPDUs with TIA-1057 LLDP-MED, decoded and encoded. */

#ifndef LOCPHONE_LLDP_H
#define LOCPHONE_LLDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#include "civic.h"
#include "wiretext.h"

/*
 * Facts: standards.md §8; items marked [U] there or here are unverified.
 */

#define LLDP_ETHERTYPE 0x88cc
/* 802.1AB nearest-bridge group address, the one LLDP-MED uses (§8.1) */
#define LLDP_MULTICAST_INIT                                                    \
	{                                                                      \
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e                             \
	}
#define LLDP_ETH_HDR_LEN 14

/* Largest LLDPDU accepted: one untagged Ethernet payload. */
#define LLDP_PDU_MAX 1500u

/* Chassis and Port ID: a subtype octet and 1..255 octets of ID. */
#define LLDP_ID_MAX 255
/* Printable ID: colon hex needs three characters per octet. */
#define LLDP_ID_TEXT_SIZE (3 * LLDP_ID_MAX + 1)
/* Port Description, System Name, System Description: 0..255 octets [U]. */
#define LLDP_STR_MAX 255
/* Room for such a string once made UTF-8 (ISO-8859-1 doubles). */
#define LLDP_TEXT_SIZE WIRETEXT_SIZE(LLDP_STR_MAX)
/* Management Address: address string is family octet + 1..31 octets. */
#define LLDP_MGMT_ADDR_MAX 31u
#define LLDP_MGMT_MAX	   4
/* LLDP-MED application types run 1..8, one policy each. */
#define LLDP_MED_POLICY_MAX 8
/* LLDP-MED inventory strings: 0..32 octets (§8.4). */
#define LLDP_MED_INVENTORY_MAX 32
/* ECS ELIN: TIA-1057 says 10..25 digits (§8.4), but switch CLIs take
 * shorter ones (HP ProCurve: 1..15), so any 1..25 digits are kept. */
#define LLDP_MED_ELIN_MIN 1u
#define LLDP_MED_ELIN_MAX 25u
/* RFC 4776 CAvalue: one length octet. */
#define LLDP_MED_CA_MAX 255

/* 802.1AB TLV types (§8.2). */
enum lldp_tlv_type {
	LLDP_TLV_END = 0,
	LLDP_TLV_CHASSIS_ID = 1,
	LLDP_TLV_PORT_ID = 2,
	LLDP_TLV_TTL = 3,
	LLDP_TLV_PORT_DESC = 4,
	LLDP_TLV_SYS_NAME = 5,
	LLDP_TLV_SYS_DESC = 6,
	LLDP_TLV_SYS_CAPS = 7,
	LLDP_TLV_MGMT_ADDR = 8,
	LLDP_TLV_ORG = 127,
};

/* Chassis ID subtypes (§8.3). */
enum lldp_chassis_subtype {
	LLDP_CHASSIS_COMPONENT = 1,
	LLDP_CHASSIS_IFALIAS = 2,
	LLDP_CHASSIS_PORT_COMPONENT = 3,
	LLDP_CHASSIS_MAC = 4,
	LLDP_CHASSIS_NETADDR = 5,
	LLDP_CHASSIS_IFNAME = 6,
	LLDP_CHASSIS_LOCAL = 7,
};

/* Port ID subtypes (§8.3). */
enum lldp_port_subtype {
	LLDP_PORT_IFALIAS = 1,
	LLDP_PORT_COMPONENT = 2,
	LLDP_PORT_MAC = 3,
	LLDP_PORT_NETADDR = 4,
	LLDP_PORT_IFNAME = 5,
	LLDP_PORT_CIRCUIT_ID = 6,
	LLDP_PORT_LOCAL = 7,
};

/* System capability bits (§8.2). */
enum lldp_syscap {
	LLDP_CAP_OTHER = 0x0001,
	LLDP_CAP_REPEATER = 0x0002,
	LLDP_CAP_BRIDGE = 0x0004,
	LLDP_CAP_WLAN_AP = 0x0008,
	LLDP_CAP_ROUTER = 0x0010,
	LLDP_CAP_TELEPHONE = 0x0020,
	LLDP_CAP_DOCSIS = 0x0040,
	LLDP_CAP_STATION = 0x0080,
	LLDP_CAP_CVLAN = 0x0100,
	LLDP_CAP_SVLAN = 0x0200,
	LLDP_CAP_TPMR = 0x0400,
};

/* IANA address family numbers used by network-address IDs (§8.2). */
enum lldp_family {
	LLDP_FAMILY_IPV4 = 1,
	LLDP_FAMILY_IPV6 = 2,
};

/* LLDP-MED TLV subtypes under OUI 00-12-BB (§8.4). */
enum lldp_med_subtype {
	LLDP_MED_CAPS = 1,
	LLDP_MED_POLICY = 2,
	LLDP_MED_LOCATION = 3,
	LLDP_MED_POWER = 4,
	LLDP_MED_HW_REV = 5,
	LLDP_MED_FW_REV = 6,
	LLDP_MED_SW_REV = 7,
	LLDP_MED_SERIAL = 8,
	LLDP_MED_MANUFACTURER = 9,
	LLDP_MED_MODEL = 10,
	LLDP_MED_ASSET = 11,
};

/* LLDP-MED capability bits (§8.4). */
enum lldp_med_cap {
	LLDP_MED_CAP_CAPS = 0x01,
	LLDP_MED_CAP_POLICY = 0x02,
	LLDP_MED_CAP_LOCATION = 0x04,
	LLDP_MED_CAP_PSE = 0x08,
	LLDP_MED_CAP_PD = 0x10,
	LLDP_MED_CAP_INVENTORY = 0x20,
};

/* LLDP-MED device types (§8.4). */
enum lldp_med_device {
	LLDP_MED_DEVICE_UNDEFINED = 0,
	LLDP_MED_CLASS_I = 1,
	LLDP_MED_CLASS_II = 2,
	LLDP_MED_CLASS_III = 3,
	LLDP_MED_NETWORK = 4,
};

/* LLDP-MED network policy application types (§8.4). */
enum lldp_med_app {
	LLDP_MED_APP_VOICE = 1,
	LLDP_MED_APP_VOICE_SIGNALING = 2,
	LLDP_MED_APP_GUEST_VOICE = 3,
	LLDP_MED_APP_GUEST_VOICE_SIGNALING = 4,
	LLDP_MED_APP_SOFTPHONE_VOICE = 5,
	LLDP_MED_APP_VIDEO_CONFERENCING = 6,
	LLDP_MED_APP_STREAMING_VIDEO = 7,
	LLDP_MED_APP_VIDEO_SIGNALING = 8,
};

/* LLDP-MED location data formats (§8.4). */
enum lldp_med_locformat {
	LLDP_MED_LOC_COORD = 1,
	LLDP_MED_LOC_CIVIC = 2,
	LLDP_MED_LOC_ELIN = 3,
};

/* Coordinate LCI altitude types (§8.7). */
enum lldp_med_altitude {
	LLDP_MED_ALT_NONE = 0,
	LLDP_MED_ALT_METRES = 1,
	LLDP_MED_ALT_FLOORS = 2,
};

/* Coordinate LCI datums (§8.7). */
enum lldp_med_datum {
	LLDP_MED_DATUM_WGS84 = 1,	 /* EPSG 4979 */
	LLDP_MED_DATUM_NAD83_NAVD88 = 2, /* NAD83 with NAVD88 heights */
	LLDP_MED_DATUM_NAD83_MLLW = 3,	 /* NAD83, mean lower low water */
};

/* Chassis ID or Port ID. */
struct lldp_id {
	uint8_t subtype;
	size_t len;
	uint8_t raw[LLDP_ID_MAX];
	/*
	 * For people and logs: MAC subtypes as lower-case colon hex,
	 * network addresses as IPv4/IPv6 text, names as text when every
	 * octet is printable ASCII; anything else as colon hex.
	 */
	char text[LLDP_ID_TEXT_SIZE];
};

struct lldp_mgmt_addr {
	uint8_t family; /* enum lldp_family, or another IANA number */
	size_t len;
	uint8_t addr[LLDP_MGMT_ADDR_MAX];
	char text[3 * LLDP_MGMT_ADDR_MAX + 1]; /* IP text, else colon hex */
	uint8_t if_subtype; /* 1 unknown, 2 ifIndex, 3 port */
	uint32_t if_number;
};

struct lldp_med_policy {
	uint8_t app; /* enum lldp_med_app */
	bool unknown;
	bool tagged;
	uint16_t vlan;	  /* 12 bits; 0: priority tagged only [U] */
	uint8_t priority; /* 802.1p, 3 bits */
	uint8_t dscp;	  /* 6 bits */
};

/* Civic address LCI (§8.6). */
struct lldp_med_civic {
	uint8_t what;	    /* 0 DHCP server, 1 network element, 2 client */
	struct civic civic; /* country and elements; owned by the frame */
	char lang[WIRETEXT_SIZE(LLDP_MED_CA_MAX)];   /* CAtype 0, or "" */
	char script[WIRETEXT_SIZE(LLDP_MED_CA_MAX)]; /* CAtype 128, or "" */
	unsigned unknown; /* CA elements without an RFC 5139 element */
};

/* Coordinate LCI (§8.7), converted from its fixed-point fields. */
struct lldp_med_coord {
	uint8_t lat_res; /* resolution fields as sent, 6 bits each */
	uint8_t lon_res;
	uint8_t alt_res;
	double latitude;  /* degrees, north positive */
	double longitude; /* degrees, east positive */
	enum lldp_med_altitude alt_type;
	double altitude; /* metres or floors per alt_type; 0 if none */
	enum lldp_med_datum datum;
};

struct lldp_med_inventory {
	char hw_rev[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
	char fw_rev[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
	char sw_rev[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
	char serial[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
	char manufacturer[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
	char model[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
	char asset[WIRETEXT_SIZE(LLDP_MED_INVENTORY_MAX)];
};

/*
 * One decoded LLDPDU.  Strings are NUL-terminated; "" means absent.  Text
 * TLVs and civic values are made valid UTF-8 by wiretext_utf8() (ISO-8859-1
 * transcoded, control characters such as a trailing NUL dropped).  Zero it
 * before first use; lldp_frame_reset() frees what it owns.
 */
struct lldp_frame {
	bool has_src;
	uint8_t src[6]; /* Ethernet source, set by lldp_decode_ethernet() */

	struct lldp_id chassis;
	struct lldp_id port;
	uint16_t ttl; /* seconds; 0 means the neighbour is leaving */

	char port_desc[LLDP_TEXT_SIZE];
	char sys_name[LLDP_TEXT_SIZE];
	char sys_desc[LLDP_TEXT_SIZE];

	bool has_caps;
	uint16_t caps;	       /* enum lldp_syscap bits */
	uint16_t caps_enabled; /* the subset switched on */

	size_t mgmtc;
	struct lldp_mgmt_addr mgmtv[LLDP_MGMT_MAX];

	struct {
		bool has_caps;
		uint16_t caps;	     /* enum lldp_med_cap bits */
		uint8_t device_type; /* enum lldp_med_device */

		size_t policyc; /* one per application type, in order */
		struct lldp_med_policy policyv[LLDP_MED_POLICY_MAX];

		bool has_civic;
		struct lldp_med_civic civic;
		bool has_coord;
		struct lldp_med_coord coord;
		bool has_elin;
		char elin[LLDP_MED_ELIN_MAX + 1];

		struct lldp_med_inventory inventory;
	} med;

	/* Well-formed TLVs not kept: unknown types, other OUIs, repeats of
	 * optional TLVs (the first wins), management addresses past
	 * LLDP_MGMT_MAX, reserved location formats, power via MDI. */
	unsigned skipped;

	/* Optional TLVs dropped because they were malformed (a bad value in
	 * a TLV whose length was sound): one bad TLV costs that TLV, not the
	 * frame.  dropbuf says why the first one was dropped. */
	unsigned dropped;
	char dropbuf[160];

	char errbuf[160]; /* why the last decode failed */
};

/*
 * Decode an LLDPDU: the Ethernet payload of a frame with EtherType 0x88cc.
 * f must be zeroed or hold an earlier result; it is reset first.  Returns 0
 * with f filled in; EBADMSG for a malformed LLDPDU, EMSGSIZE if len exceeds
 * LLDP_PDU_MAX, EINVAL for bad arguments.  On failure f is left reset and,
 * if errmsg is not NULL, *errmsg points to f->errbuf, which says what is
 * wrong (e.g. "TLV 3 (TTL) length 1, expected 2") and lives as long as f
 * is not decoded into or reset again.  Octets after the End TLV (Ethernet
 * padding) are ignored, and so is an End TLV's length; an LLDPDU whose
 * TLVs end exactly where it ends needs no End TLV.  Refused: broken
 * framing (a TLV longer than what is left), missing, misplaced, repeated or
 * malformed Chassis ID, Port ID and TTL.  An optional TLV with a bad length
 * or value is dropped alone and counted in f->dropped, the rest decoded.
 * The caller owns f; free with lldp_frame_reset().
 */
int lldp_decode(struct lldp_frame *f, const uint8_t *buf, size_t len,
		const char **errmsg);

/*
 * Decode a whole Ethernet frame (no FCS; one 802.1Q or 802.1ad tag is skipped): checks that it is
 * addressed to 01:80:c2:00:00:0e with EtherType 0x88cc, keeps the source
 * MAC in f->src and decodes the rest with lldp_decode().  ENOMSG (with
 * *errmsg) if it is not such a frame; otherwise as lldp_decode().
 */
int lldp_decode_ethernet(struct lldp_frame *f, const uint8_t *buf, size_t len,
			 const char **errmsg);

/*
 * Fill id->text from subtype, raw and len, as the decoder does (chassis:
 * chassis ID subtypes, else port ID subtypes).  For IDs that arrive some
 * other way, e.g. from lldpd.
 */
void lldp_id_text(struct lldp_id *id, bool chassis);

/* Free what f owns and clear every field; f may be reused. */
void lldp_frame_reset(struct lldp_frame *f);

/* 802.1AB name of a TLV type ("TTL"), "reserved" if it has none. */
const char *lldp_tlv_name(unsigned type);

/* TIA-1057 name of an LLDP-MED TLV subtype, "reserved" if it has none. */
const char *lldp_med_tlv_name(unsigned subtype);

/* Name of an LLDP-MED application type ("Voice"), "reserved" if none. */
const char *lldp_med_app_name(unsigned app);

/* What the phone announces about itself. */
struct lldp_tx {
	uint8_t mac[6];	      /* own MAC: Ethernet source and Chassis ID */
	const char *ifname;   /* Port ID subtype 5; NULL/"": 3, the MAC */
	uint16_t ttl;	      /* seconds; 0 asks neighbours to forget us */
	const char *sys_name; /* optional, up to LLDP_STR_MAX octets */
	/* Network Policy to send, normally voice; NULL sends voice with
	 * the Unknown flag set, i.e. "tell me the policy". */
	const struct lldp_med_policy *policy;
	/* Optional inventory, up to LLDP_MED_INVENTORY_MAX octets each. */
	const char *sw_rev;
	const char *manufacturer;
	const char *model;
};

/*
 * Write a whole Ethernet frame into mb at mb->pos (normally its end):
 * destination 01:80:c2:00:00:0e, source tx->mac, EtherType 0x88cc, then
 * Chassis ID (MAC), Port ID, TTL, System Name, System Capabilities
 * (telephone), LLDP-MED Capabilities (Endpoint Class III), Network Policy,
 * the inventory TLVs given, End.  NULL and "" strings are left out.  Returns 0, EINVAL for bad arguments,
 * oversized strings or policy fields out of range, ENOMEM; on failure
 * mb->pos and mb->end are put back as they were.
 */
int lldp_encode(struct mbuf *mb, const struct lldp_tx *tx);

#endif
