/*
 * locator: keeps "where is this device" current inside the engine.  It
 * asks the LIS (HELD over lis_client) at start, on every network change,
 * every refresh interval and on request; caches answers per network
 * fingerprint until they expire; falls back to the switch's LLDP-MED
 * location, then to the person's location for this network;
 * remembers the last good location across restarts.  The locator owns
 * the choice; the person's location (typed in, or saved for this place)
 * is kept by whoever keeps the saved locations (plugins/location/manual.c)
 * and read from it at each choice through locator_person_h, never copied.  A LIS that fails
 * leaves its last answer for this network in force until it expires, and
 * after that as a last resort (locsource_lis_keep).  Nothing
 * here ever waits: callers get the current answer at once.
 */

#ifndef LOCPHONE_LOCATOR_H
#define LOCPHONE_LOCATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "lis_client.h"
#include "locsource.h"

struct locator;

struct locator_config {
	bool lis_enabled; /* a LIS URL is configured */
	struct lis_config lis;
	uint32_t refresh_s;   /* refresh_interval, in seconds */
	char state_file[512]; /* last good location; "" for none */
};

/* The chosen location changed (or its reason did). */
typedef void(locator_change_h)(const struct location *loc, const char *reason,
			       void *arg);

/*
 * The person's location for the place the device is on now (typed in, or
 * saved for its fingerprint; locsource_manual), asked at every choice:
 * *locp NULL or empty when there is none, *namep its saved name or NULL
 * (entered, not saved).  Both stay the provider's and need only last
 * until the handler is called again.  Never another place's: a wrong
 * address is worse than none.
 */
typedef void(locator_person_h)(const struct location **locp, const char **namep,
			       void *arg);

/* changeh and personh may be NULL (then there is no person's location). */
int locator_alloc(struct locator **lp, const struct locator_config *cfg,
		  locator_change_h *changeh, locator_person_h *personh,
		  void *arg);

/*
 * The network changed: snap (copied), the evidence chosen for it (ev,
 * evidence_choose: the interface whose address, MAC, switch and access
 * point the LIS is told, and whose switch's LLDP-MED location is the
 * fallback; NULL: none), the network's fingerprint (NULL if none) and
 * the caller's AOR for the device identity.  The person's location for
 * the new place must already be what personh gives.  Chooses once.
 */
void locator_network(struct locator *l, const struct netsnap *snap,
		     const struct evidence *ev, const char *fingerprint,
		     const char *aor);

/* The person's location for this place changed (entered, picked,
 * deleted): chooses again at once. */
void locator_person_changed(struct locator *l);

/* True if the person should be asked where they are (locsource_ask): on a
 * network, nothing chosen, no LIS answer awaited. */
bool locator_ask(const struct locator *l);

/*
 * Use this LIS from now on (found by RFC 5986 discovery); the configured
 * secondary stays.  Asks it at once.
 */
int locator_set_lis(struct locator *l, const char *primary_url);

/* Ask the LIS again now; routing: the quick answer an emergency call
 * needs (responseTime emergencyRouting).  Never waits. */
int locator_refresh(struct locator *l, bool routing);

/*
 * True when the current choice is an earlier LIS answer kept because the
 * LIS could not confirm it (it failed; locsource_lis_keep); *error (if
 * given) then says how it failed, else it is set to NULL.
 */
bool locator_stale(const struct locator *l, const char **error);

/* refresh_interval changed (the site in force, a served policy): the LIS
 * is asked again that long from now.  0 is ignored. */
void locator_set_refresh(struct locator *l, uint32_t refresh_s);
uint32_t locator_refresh_s(const struct locator *l);

/* The LIS's last failure ("LIS URL refused the credentials: HTTP 401"),
 * kept while it is asked again; NULL once it answered, or never failed. */
const char *locator_lis_error(const struct locator *l);

/* The current choice and why; never NULL (source none when nothing). */
const struct location *locator_current(const struct locator *l,
				       const char **reason);

#endif
