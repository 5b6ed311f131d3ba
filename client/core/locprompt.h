/* locprompt: when to ask the person where they are (design.md §5). */

#ifndef LOCPHONE_LOCPROMPT_H
#define LOCPHONE_LOCPROMPT_H

#include <stdbool.h>

#include "policy.h"

/*
 * The policy's location_required decides what happens when no location
 * can be found automatically (standards.md §12): "no" asks nothing; "yes"
 * prompts, and the person may answer or dismiss; "disclaimer" prompts,
 * and a dismissal shows the disclaimer, which must be acknowledged.
 *
 * The state belongs to one network (its fingerprint).  A dismissal holds
 * until the network changes; a new network asks again.  An unknown
 * network ("") is not a change: the state waits for the next known one,
 * and the first known fingerprint after an unknown start takes the state
 * over (the gateway's MAC often arrives after the link).  Pure: no I/O.
 */

#define LOCPROMPT_NETWORK_MAX 128 /* bytes of a fingerprint kept */

enum locprompt_state {
	LOCPROMPT_IDLE = 0,	/* nothing asked */
	LOCPROMPT_ASKING,	/* the prompt is open */
	LOCPROMPT_DISMISSED,	/* dismissed ("yes"): quiet on this network */
	LOCPROMPT_DISCLAIMER,	/* dismissed: the disclaimer awaits an ack */
	LOCPROMPT_ACKNOWLEDGED, /* the disclaimer was acknowledged */
};

/* What the caller must tell the person after a call below. */
enum locprompt_action {
	LOCPROMPT_ACT_NONE = 0,
	LOCPROMPT_ACT_PROMPT,	  /* raise location.prompt */
	LOCPROMPT_ACT_DISCLAIMER, /* raise location.disclaimer */
};

/* Zero it to start (IDLE, unknown network, location_required no). */
struct locprompt {
	enum policy_location_required mode;
	enum locprompt_state state;
	char network[LOCPROMPT_NETWORK_MAX];
};

/* Start in IDLE with the policy's mode ("no" when e911 is off). */
void locprompt_init(struct locprompt *p, enum policy_location_required mode);

/*
 * The situation now: the network's fingerprint ("" or NULL: unknown) and
 * whether a location is missing (locsource_ask).  Returns what to raise:
 * PROMPT once per network while a location is missing and the mode is not
 * "no"; NONE otherwise.  A location arriving closes an open prompt (back
 * to IDLE, so losing it again asks again); a dismissal stays.
 */
enum locprompt_action locprompt_update(struct locprompt *p, const char *network,
				       bool missing);

/*
 * The person dismissed the prompt.  Returns 0 and in *actp DISCLAIMER in
 * mode "disclaimer", NONE in mode "yes"; ENOENT when no prompt is open
 * (*actp untouched).
 */
int locprompt_dismiss(struct locprompt *p, enum locprompt_action *actp);

/* The person acknowledged the disclaimer: 0, or ENOENT if none is shown. */
int locprompt_acknowledge(struct locprompt *p);

/* "idle", "asking", "dismissed", "disclaimer", "acknowledged". */
const char *locprompt_state_name(enum locprompt_state s);

#endif
