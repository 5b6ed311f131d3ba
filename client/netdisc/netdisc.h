/*
 * netdisc: what the device is attached to, kept current from kernel events
 * inside baresip's event loop (libre fd_listen/tmr; nothing polls, nothing
 * blocks): rtnetlink (links, addresses, routes, neighbours), nl80211 (the
 * associated access point), LLDP on the wired interfaces.
 */

#ifndef LOCPHONE_NETDISC_H
#define LOCPHONE_NETDISC_H

#include <stdbool.h>
#include <re.h>

#include "evidence.h"
#include "lldpsock.h"
#include "ndlog.h"

struct netdisc;

struct netdisc_config {
	unsigned debounce_ms; /* one snapshot per burst of changes */
	bool probe_gateway; /* provoke ARP/ND when the gateway MAC is missing */
	struct lldpsock_config lldp;
	char lldpd_socket[256]; /* lldpd's control socket; "" its default */
	struct ndlog lg;	/* where netdisc and its parts log */
};

/*
 * Called once per settled change (not on repeats) with the new snapshot
 * and the evidence chosen from it (evidence.h): the one interface whose
 * address, MAC, switch and access point describe where the device is,
 * for everything that needs them.  ev->lldp is valid during the call.
 */
typedef void(netdisc_change_h)(const struct netsnap *snap,
			       const struct evidence *ev, void *arg);

/*
 * Open the rtnetlink socket, subscribe to link/address/route/neighbour
 * groups, dump the current state and call changeh when it has settled.
 * The netdisc is freed with mem_deref.
 */
int netdisc_alloc(struct netdisc **ndp, const struct netdisc_config *cfg,
		  netdisc_change_h *changeh, void *arg);

/* netinfo's JSON: interfaces, gateway, subnet, wifi, vpn, evidence
 * (evidence_json_encode), lldp (per interface), fingerprint,
 * place_fingerprint. */
int netdisc_json_encode(struct odict *od, const struct netdisc *nd);

/* The network fingerprint, or NULL when there is none (e.g. VPN only). */
const char *netdisc_fingerprint(const struct netdisc *nd);

/*
 * Where the person is, as a fingerprint (fingerprint.h rules 2-4 applied
 * to the evidence's interface: the physical link), or NULL.  Off VPN it is netdisc_fingerprint();
 * on VPN it is the physical network's under the tunnel: the key manual
 * locations are remembered by, since the tunnel says nothing of the place.
 */
const char *netdisc_place_fingerprint(const struct netdisc *nd);

/* The LLDP neighbour on an interface, or NULL. */
const struct lldp_frame *netdisc_lldp(const struct netdisc *nd,
				      unsigned ifindex);

#endif
