/*
 * manual: the person's own locations inside the location module (issue
 * 6): saved locations remembered per network, the location typed in or
 * picked for the place the device is on, the prompt the policy asks for
 * when nothing automatic is found, and the location.* commands for both
 * (client/ctl/PROTOCOL.md).  It keeps the person's location; the choice
 * between it and the automatic ones is the locator's (client/lis), which
 * reads it through manual_here() and tells what it chose through
 * manual_chosen().  Neither holds the other: location.c passes between
 * them.
 */

#ifndef LOCPHONE_MANUAL_H
#define LOCPHONE_MANUAL_H

#include <stdbool.h>
#include <re.h>

#include "location.h"
#include "policy.h"

struct manual;

/*
 * The person's location for this place changed (set, saved, used,
 * deleted, forgotten): choose again now, and tell manual_chosen() the
 * outcome before returning (a command's answer says what is used).
 */
typedef void(manual_change_h)(void *arg);

/*
 * Start: load the saved locations from saved_file ("" for none; not read
 * when the policy says remember_locations no), keep the policy (moved in:
 * *pol ends zeroed) and register the commands.  changeh (may be NULL) is
 * told of every change to the person's location.  Returns 0, ENOMEM or
 * the bus's error.  A corrupt file is set aside and logged, never an
 * error.
 */
int manual_alloc(struct manual **mp, struct policy *pol, const char *saved_file,
		 manual_change_h *changeh, void *arg);

/*
 * The network changed: where the person is (netdisc_place_fingerprint;
 * NULL when unknown).  What they entered on another network stops being
 * used; the location saved for this one (if any) is used instead.
 */
void manual_network(struct manual *m, const char *place);

/*
 * The person's location for the place now, entered on it or saved for it
 * (*locp NULL when none), and its saved name (*namep NULL: not saved).
 * Both point into m and last until its next change.
 */
void manual_here(const struct manual *m, const struct location **locp,
		 const char **namep);

/* What the locator chose, told after every choice. */
struct manual_choice {
	bool ask;	    /* nothing found, nothing awaited (locsource_ask) */
	bool used;	    /* the chosen location is the person's */
	const char *reason; /* why, in words (copied) */
};

/* After every choice of location: keep it (the prompt and the commands'
 * answers tell it), and raise location.prompt if the policy wants the
 * person asked now (locprompt.h). */
void manual_chosen(struct manual *m, const struct manual_choice *c);

/* The policy in force changed (policy.changed: another site, a served
 * policy): e911_enabled, location_required and the disclaimer apply from
 * now; remember_locations only at the next start. */
void manual_policy(struct manual *m, bool e911_enabled,
		   enum policy_location_required required,
		   const char *disclaimer);
/* location_required as applied ("no" while e911 is off). */
enum policy_location_required manual_required(const struct manual *m);

/* Add "prompt" to the location result: null when nothing is asked, else
 * {state, reason, required, disclaimer_text (after a dismissal)}; reason
 * is the choice's (NULL: the last one told to manual_chosen). */
int manual_prompt_encode(struct odict *od, const struct manual *m,
			 const char *reason);

#endif
