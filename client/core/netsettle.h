/*
 * netsettle: when a burst of network events has settled, and whether what
 * it left is a change worth announcing.  The decisions of netdisc's
 * debounce, without its sockets and timer: netdisc tells it each event
 * with the time (ms, any monotonic clock), arms its timer for the delay
 * it is given, and on the timer asks whether to take a snapshot, then
 * offers the snapshot and the evidence chosen from it.  Pure code.
 */

#ifndef LOCPHONE_NETSETTLE_H
#define LOCPHONE_NETSETTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "evidence.h"
#include "netstate.h"

struct netsettle {
	uint64_t quiet_ms;  /* a change is settled after this long quiet */
	bool pending;	    /* events since the last snapshot */
	uint64_t due;	    /* with pending: when the quiet ends */
	bool dumping;	    /* a kernel dump is running: not before its end */
	unsigned lldp_gen;  /* bumped on every neighbour change */
	unsigned lldp_seen; /* lldp_gen when the last change was announced */
	bool probed;	    /* the gateway's MAC was asked for */
	bool have;	    /* snap and ev hold the last announced change */
	struct netsnap snap;
	struct evidence ev; /* its lldp pointer cleared: has_lldp stays */
};

/* Start with nothing announced; quiet_ms 0 settles at the next turn. */
void netsettle_init(struct netsettle *s, uint64_t quiet_ms);

/*
 * Something changed at now (an rtnetlink message, a dump's end, a Wi-Fi
 * station): the quiet starts again.  Returns the delay to (re)arm the
 * timer with.
 */
uint64_t netsettle_event(struct netsettle *s, uint64_t now);

/* An LLDP neighbour appeared, changed or left: an event, and a change
 * even if the snapshot stays the same. */
uint64_t netsettle_lldp(struct netsettle *s, uint64_t now);

/* A dump of the kernel's tables started (true) or ended (false); its end
 * is an event of its own (netsettle_event). */
void netsettle_dumping(struct netsettle *s, bool on);

/*
 * The timer fired at now: true when the snapshot should be taken now.
 * False while a dump runs (its end starts the quiet again), with nothing
 * pending, or before the quiet ends (*wait, if given, the ms left; 0
 * when only a later event can make it due).
 */
bool netsettle_due(struct netsettle *s, uint64_t now, uint64_t *wait);

/*
 * With snap taken: true when the gateway's MAC should be provoked now
 * (enabled, a gateway whose MAC is unknown, not yet asked for this
 * gateway).  Once per gateway: a new gateway may be asked again.
 */
bool netsettle_probe(struct netsettle *s, const struct netsnap *snap,
		     bool enabled);

/*
 * The snapshot taken and the evidence chosen from it: true when it is a
 * change to announce (the first one, another snapshot, other evidence,
 * or a neighbour change since the last), which becomes the last; false
 * for a repeat.
 */
bool netsettle_offer(struct netsettle *s, const struct netsnap *snap,
		     const struct evidence *ev);

#endif
