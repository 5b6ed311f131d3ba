/*
 * evidence: the one choice of which interface's address, MAC, switch port
 * (LLDP) and access point (Wi-Fi) describe where the device is.  Made once
 * per settled network change (netdisc) and handed to everything that
 * needs it: the HELD request (locsource_request), the switch's LLDP-MED
 * location, the place fingerprint (fingerprint.h) and the device identity
 * (netinfo's "evidence").  Everything in one evidence comes from one
 * interface, so a LIS request never pairs wlan0's address with eth0's
 * switch port (issue 16 item 3).  Pure code.
 */

#ifndef LOCPHONE_EVIDENCE_H
#define LOCPHONE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#include "fingerprint.h"
#include "lldp.h"
#include "netstate.h"
#include "wifi.h"

/* What was heard on one interface: its switch and its access point. */
struct evidence_heard {
	unsigned ifindex;
	const struct lldp_frame *lldp; /* the LLDP neighbour, or NULL */
	const struct wifi_bss *bss;    /* the associated AP, or NULL */
};

/* Why the interface was chosen. */
enum evidence_why {
	EVIDENCE_NONE = 0,   /* nothing physical is up with anything to say */
	EVIDENCE_GATEWAY,    /* it carries the (physical) default route */
	EVIDENCE_NO_GATEWAY, /* no usable default route: the first one up
				with a switch or an access point, else with
				an address */
};

struct evidence {
	enum evidence_why why;
	char reason[160]; /* the same, in words, naming the interface */
	/* a tunnel carries the default route: the interface is the
	 * physical one under it (the place's), and no LIS is asked */
	bool vpn;
	unsigned ifindex; /* 0 with EVIDENCE_NONE */
	char ifname[NET_IFNAMSIZ];
	bool has_mac;
	uint8_t mac[6];
	/* the address to identify the device by (RFC 6155): the one in the
	 * gateway's subnet, else the first of the gateway's family, else
	 * the first IPv4, else the first IPv6 one; never link-local */
	bool has_addr;
	int family;
	uint8_t addr[16];
	/* the default gateway and its subnet, when on this interface */
	struct {
		bool present;
		int family;
		uint8_t ip[16];
		bool has_mac;
		uint8_t mac[6];
	} gateway;
	struct {
		bool present;
		int family;
		uint8_t addr[16];
		uint8_t prefixlen;
	} subnet;
	/* the switch heard on this interface; lldp points into the
	 * caller's neighbour table and is valid only until that changes
	 * (for the change handler's duration); has_lldp stays true */
	bool has_lldp;
	const struct lldp_frame *lldp;
	/* the access point this interface is associated with */
	bool has_bss;
	struct wifi_bss bss;
};

/*
 * Choose (the first that applies): the interface carrying the default
 * route, if it is physical and up (a VPN's default route: the physical
 * one netsnap found under it); else, among the physical interfaces that
 * are up, the first with a switch or an access point and an address, then
 * the first with a switch or an access point, then the first with an
 * address.  A tunnel is never chosen.  Its address, MAC, gateway, subnet,
 * switch and access point go together into ev; heardv (heardc entries,
 * may be NULL) is what was heard per interface.  Returns 0; ENOENT when
 * nothing was chosen (ev then says so: EVIDENCE_NONE, its reason);
 * EINVAL.
 */
int evidence_choose(struct evidence *ev, const struct netsnap *snap,
		    const struct evidence_heard *heardv, size_t heardc);

/* True if both say the same (the lldp pointers are not compared: a new
 * frame from the same switch is the caller's to notice). */
bool evidence_equal(const struct evidence *a, const struct evidence *b);

/*
 * The fingerprint inputs of the place ev describes (fingerprint.h): its
 * BSSID, gateway MAC and subnet, switch port.  in->chassis and in->port
 * point into ev->lldp: use in before that changes.  Never a tunnel's.
 */
void evidence_fingerprint_input(struct fingerprint_input *in,
				const struct evidence *ev);

/*
 * netinfo's "evidence": {interface, reason, mac, address, lldp, bssid,
 * vpn}; mac, address and bssid null when unknown, lldp true when a switch
 * was heard on it.  od gets null under key when nothing was chosen.
 */
int evidence_json_encode(struct odict *od, const char *key,
			 const struct evidence *ev);

#endif
