/* fingerprint: a short stable name for "the network this device is on". */

#ifndef LOCPHONE_FINGERPRINT_H
#define LOCPHONE_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <re.h>

/*
 * The fingerprint keys what is remembered per network, above all the
 * location a person typed in there.  It is 16 lower-case hex digits: the
 * start of an HMAC-SHA256 (libre) over the inputs that won, with a fixed
 * key naming this scheme, so it can be stored and compared but says
 * nothing readable about the network.
 *
 * Which inputs win (the first rule that applies):
 *
 *  1. link is FINGERPRINT_LINK_TUNNEL (tun, tap, wireguard, ppp, ipsec):
 *     no fingerprint, EPERM.  A tunnel's gateway, subnet and, for tap,
 *     gateway MAC belong to the far end, often the corporate network; a
 *     VPN must never yield the fingerprint of the place it leads to.  The
 *     caller fingerprints the physical link underneath instead.
 *  2. Wi-Fi with a BSSID: the BSSID alone.  The access point is the place.
 *     The SSID is not an input: one name (eduroam, a hotel chain) is used
 *     at unrelated places, and the BSSID already names the access point.
 *  3. A gateway MAC: the gateway MAC with the IPv4 subnet, or with the IPv6
 *     subnet when there is no IPv4 one (ISPs rotate IPv6 prefixes), or
 *     alone when neither is known.  Only the network part of the subnet
 *     counts, so every host on it gets the same fingerprint.  LLDP is not
 *     mixed in: one network spans many switch ports, and the key must not
 *     change when the first LLDPDU arrives seconds after the link.
 *  4. LLDP Chassis ID + Port ID (e.g. no default route yet).
 *  5. Nothing else: ENOENT.  A subnet alone is never enough, since
 *     192.168.1.0/24 is at every other home.
 */

#define FINGERPRINT_LEN 16

enum fingerprint_link {
	FINGERPRINT_LINK_WIRED = 0,
	FINGERPRINT_LINK_WIFI,
	FINGERPRINT_LINK_TUNNEL,
};

/* Which rule produced a fingerprint. */
enum fingerprint_basis {
	FINGERPRINT_BASIS_BSSID = 1,
	FINGERPRINT_BASIS_GATEWAY,
	FINGERPRINT_BASIS_LLDP,
};

/* What is known about the link that carries traffic (netdisc takes it
 * from the one choice of evidence: evidence_fingerprint_input); unset
 * parts are zero/NULL.  Nothing here is kept after fingerprint_compute()
 * returns. */
struct fingerprint_input {
	enum fingerprint_link link;
	bool has_bssid;
	uint8_t bssid[6];
	bool has_gw_mac;
	uint8_t gw_mac[6];
	struct sa subnet4; /* any IPv4 address on the link, or unset */
	unsigned prefix4;  /* its prefix length, 0..32 */
	struct sa subnet6; /* any IPv6 address on the link, or unset */
	unsigned prefix6;  /* its prefix length, 0..128 */
	const struct lldp_id *chassis; /* from the switch, or NULL */
	const struct lldp_id *port;
};

/*
 * Compute the fingerprint of in by the rules above into out (NUL
 * terminated) and, if basisp is not NULL, which rule was used.  Returns 0;
 * EPERM for a tunnel, ENOENT if no rule applies, EINVAL for bad arguments
 * (a prefix length too long, a subnet of the wrong family), ENOMEM.  out
 * and *basisp are written only on success.
 */
int fingerprint_compute(char out[FINGERPRINT_LEN + 1],
			enum fingerprint_basis *basisp,
			const struct fingerprint_input *in);

#endif
