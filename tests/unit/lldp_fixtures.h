/* lldp_fixtures: byte pieces shared by the LLDP unit tests. */

/*
 * Fixtures are C string literals so that names can be written as text;
 * a literal is split wherever a hex escape meets a character that could
 * continue it.  FIX() gives the bytes and their count (without the NUL).
 */
#define FIX(s) (const uint8_t *)(s), sizeof(s) - 1

/* The bytes are laid out by hand, one TLV or element a line. */
/* clang-format off */

/* Chassis ID, subtype 4 (MAC), 00:11:22:33:44:55 */
#define CHASSIS_MAC "\x02\x07\x04\x00\x11\x22\x33\x44\x55"
/* Port ID, subtype 5 (interface name), "Gi1/0/7" */
#define PORT_GI107 "\x04\x08\x05" "Gi1/0/7"
/* TTL, 120 s */
#define TTL_120 "\x06\x02\x00\x78"
/* End of LLDPDU */
#define END "\x00\x00"
/* The three mandatory TLVs every LLDPDU starts with (23 octets) */
#define HEAD CHASSIS_MAC PORT_GI107 TTL_120

/* Organizationally Specific header, length n, OUI 00-12-BB (TIA),
 * LLDP-MED subtype s; for n < 256 */
#define MED_HDR(n, s) "\xfe" n "\x00\x12\xbb" s

/* Location Identification TLV (length 21), format 1, coordinate LCI:
 * 38.89868 N, 77.03723 W, 15.25 m, WGS 84; resolutions 34/34/30 */
#define LOC_COORD_WH							\
	MED_HDR("\x15", "\x03") "\x01"					\
	"\x88\x4d\xcc\x1f\xc9\x8b\x65\xec\xf0\x30\x17\x80\x00\x0f\x40\x01"

/* Location Identification TLV (length 67), format 2, civic LCI */
#define LOC_CIVIC_WH							\
	MED_HDR("\x43", "\x03")						\
	"\x02"			/* format: civic address LCI */		\
	"\x3d"			/* LCI length 61 */			\
	"\x02"			/* What: 2, the client */		\
	"US"			/* country */				\
	"\x01\x02" "DC"		/* CAtype 1 (A1), 2 octets */		\
	"\x03\x0a" "Washington"	/* CAtype 3 (A3), 10 octets */		\
	"\x00\x02" "en"		/* CAtype 0: language */		\
	"\x13\x04" "1600"	/* CAtype 19 (HNO) */			\
	"\x22\x0c" "Pennsylvania" /* CAtype 34 (RD) */			\
	"\x12\x03" "Ave"	/* CAtype 18 (STS) */			\
	"\x28\x02" "xx"		/* CAtype 40 (RFC 6848): unknown */	\
	"\x80\x04" "Latn"	/* CAtype 128: script */		\
	"\x1b\x01" "2"		/* CAtype 27 (FLR) */

/* Location Identification TLV (length 15), format 3, ELIN 2025550123 */
#define LOC_ELIN MED_HDR("\x0f", "\x03") "\x03" "2025550123"

/* clang-format on */
