/* simtext: text forms shared by the LIS simulator (MAC, hex, XML, JSON). */

/* Octets of a MAC address (IEEE 802 EUI-48). */
#define SIM_MAC_LEN 6

/*
 * Decode a MAC address written as six colon- or hyphen-separated hex pairs
 * ("00:11:22:aa:bb:cc", "00-11-22-AA-BB-CC", the RFC 6155 form) or as twelve
 * hex digits.  Returns 0 and fills mac, or EINVAL.
 */
int sim_mac_decode(uint8_t mac[SIM_MAC_LEN], const char *s, size_t len);

/*
 * Decode len hex digits (xs:hexBinary: an even count, either case) into
 * buf of size sz; *np gets the octet count.  EINVAL for odd counts or bad
 * digits, EOVERFLOW when the octets do not fit.
 */
int sim_hex_decode(uint8_t *buf, size_t sz, size_t *np, const char *s,
		   size_t len);

/* True if s is well-formed UTF-8 (no overlong forms, no surrogates). */
bool sim_utf8_valid(const char *s);

/* A byte string for re_printf "%H" handlers. */
struct sim_bytes {
	const uint8_t *p;
	size_t len;
};

/* "%H" handlers.  sim_mac_print: "00:11:22:aa:bb:cc" from 6 octets;
 * sim_hex_print: lower-case hex of a struct sim_bytes; sim_xml_print: text
 * with &, <, >, " and ' escaped; sim_json_print: a quoted JSON string
 * (control bytes as \uXXXX, NULL as null); sim_datetime_print: a time_t as
 * an xs:dateTime in UTC ("2024-05-01T12:00:00Z"). */
int sim_mac_print(struct re_printf *pf, const uint8_t *mac);
int sim_hex_print(struct re_printf *pf, const struct sim_bytes *b);
int sim_xml_print(struct re_printf *pf, const char *s);
int sim_json_print(struct re_printf *pf, const char *s);
int sim_datetime_print(struct re_printf *pf, const time_t *t);
