/*
 * lldpsock: LLDP on raw sockets, one per wired interface (needs
 * CAP_NET_RAW).  Receives the switch's LLDPDUs (neighbours expire by their
 * TTL, on one timer for the earliest expiry) and sends our own LLDP-MED
 * frames, fast start at link-up and then at the normal interval, so the
 * switch starts sending its MED TLVs.
 */

#ifndef LOCPHONE_LLDPSOCK_H
#define LOCPHONE_LLDPSOCK_H

#include <stdbool.h>
#include <re.h>

#include "lldp.h"
#include "ndlog.h"
#include "netstate.h"

struct lldpsock;

struct lldpsock_config {
	bool tx;	     /* send LLDP-MED at all */
	unsigned interval_s; /* normal transmit interval (802.1AB: 30 s) */
	unsigned fast_count; /* fast-start frames at 1 s (TIA-1057: 3-10) */
	char sys_name[64];
	const char *sw_rev;
	struct ndlog lg; /* where it logs */
};

/* Called after a neighbour appeared, changed, left or expired. */
typedef void(lldpsock_change_h)(void *arg);

int lldpsock_alloc(struct lldpsock **lsp, const struct lldpsock_config *cfg,
		   lldpsock_change_h *changeh, void *arg);

/*
 * Follow the snapshot's wired interfaces: open a port on each that is up,
 * close ports on those that went down or away.  EPERM (first time only)
 * when raw sockets are not allowed: the caller falls back to lldpd.
 */
int lldpsock_update(struct lldpsock *ls, const struct netsnap *snap);

/* The current neighbour on an interface, or NULL. */
const struct lldp_frame *lldpsock_neighbour(const struct lldpsock *ls,
					    unsigned ifindex);

/* Every neighbour as {"<ifname>": {...lldp_frame_json_encode...}}. */
int lldpsock_json_encode(struct odict *od, const struct lldpsock *ls);

#endif
