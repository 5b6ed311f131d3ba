/*
 * manual: the person's own locations inside the location module (issue
 * 6): saved locations remembered per network, the prompt the policy asks
 * for when nothing automatic is found, and the location.* commands for
 * both (client/ctl/PROTOCOL.md).
 */

#ifndef LOCPHONE_MANUAL_H
#define LOCPHONE_MANUAL_H

#include <re.h>

#include "locator.h"
#include "policy.h"

struct manual;

/*
 * Start: load the saved locations from saved_file ("" for none; not read
 * when the policy says remember_locations no), keep the policy (moved in:
 * *pol ends zeroed) and register the commands.  loc is the module's
 * locator (not owned; must outlive the manual).  Returns 0, ENOMEM or the
 * bus's error.  A corrupt file is set aside and logged, never an error.
 */
int manual_alloc(struct manual **mp, struct locator *loc, struct policy *pol,
		 const char *saved_file);

/*
 * The network changed: where the person is (netdisc_place_fingerprint;
 * NULL when unknown).  Fills *man with their location for it, entered
 * earlier on it or saved for it, to hand to locator_network().  *man
 * points into m and is valid until the next call into m.
 */
void manual_network(struct manual *m, const char *place,
		    struct locator_manual *man);

/* After every choice of location: raise location.prompt if the policy
 * wants the person asked now (locprompt.h). */
void manual_check(struct manual *m);

/* The policy in force changed (policy.changed: another site, a served
 * policy): e911_enabled, location_required and the disclaimer apply from
 * now; remember_locations only at the next start. */
void manual_policy(struct manual *m, bool e911_enabled,
		   enum policy_location_required required,
		   const char *disclaimer);
/* location_required as applied ("no" while e911 is off). */
enum policy_location_required manual_required(const struct manual *m);

/* Add "prompt" to the location result: null when nothing is asked, else
 * {state, reason, required, disclaimer_text (after a dismissal)}. */
int manual_prompt_encode(struct odict *od, const struct manual *m);

#endif
