/* manual_priv: what manual.c and manual_cmd.c share (private). */

#ifndef LOCPHONE_MANUAL_PRIV_H
#define LOCPHONE_MANUAL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <re.h>

#include "civic_validate.h"
#include "locprompt.h"
#include "manual.h"
#include "savedloc.h"

/* the longest reason kept from a choice (the locator's is 320) */
#define MANUAL_REASON_MAX 320

struct manual {
	manual_change_h *changeh; /* the person's location changed */
	void *arg;
	/* the locator's last choice (manual_chosen) */
	bool ask;
	bool used;
	char reason[MANUAL_REASON_MAX];
	struct policy policy;
	char path[600];		/* "" : nowhere to keep anything */
	struct savedloc *store; /* NULL: remember_locations no */
	bool frozen; /* the file could not be read: never save over it */
	char place[LOCPROMPT_NETWORK_MAX]; /* "" : not known */
	struct tmr place_wait;		   /* running while place is "" */
	bool place_waited;		   /* ... and it stayed so */
	struct location entered;	   /* the person's location */
	char *name;			   /* its saved name, or NULL */
	/* the network entered is for; "" : typed while none was known */
	char entered_place[LOCPROMPT_NETWORK_MAX];
	/* saved (under name) before the network was known: remembered for
	 * it once it is (issue 11 item 10) */
	bool tie_pending;
	struct locprompt prompt;
	int kill_step;	   /* -1: none (manual_testhook) */
	int fail_step;	   /* -1: none */
	int fail_err;	   /* ... and the error it fails with */
	size_t registered; /* commands registered, in command_names order */
	char errbuf[CIVIC_FIELD_COUNT * CIVIC_PROBLEM_TEXT_MAX];
};

/* Forget what was entered (and its name and network). */
void manual_entered_clear(struct manual *m);

/* Is what the person entered for the network the device is on now?
 * Never another network's: a wrong address is worse than none. */
bool manual_entered_here(const struct manual *m);

/* Make a saved entry what was entered, for this network.  0 or ENOMEM. */
int manual_entered_from_entry(struct manual *m,
			      const struct savedloc_entry *entry);

/* Tell the chooser the person's location changed (it chooses again and
 * tells manual_chosen, which asks or stops asking). */
void manual_entered_apply(struct manual *m);

/*
 * A change to the saved locations is made on a copy (*nextp, the
 * caller's) and written by manual_store_commit; nothing in memory changes
 * unless the file does (issue 11 item 7).  begin returns 0, EPERM
 * (nowhere to keep anything), EROFS (the file could not be read at start:
 * never written over) or ENOMEM.
 */
int manual_store_begin(struct manual *m, struct savedloc **nextp);

/* Write next (taken over); once the file holds it, it is the store.  A
 * refused write leaves the store as it was, equal to the file, and says
 * why in the engine log; its error is returned. */
int manual_store_commit(struct manual *m, struct savedloc *next);

/* The location.* commands (client/ctl/PROTOCOL.md); unregistering is
 * safe after a partial registration. */
int manual_commands_register(struct manual *m);
void manual_commands_unregister(struct manual *m);

/*
 * Test builds (-Dtest_hooks=true, manual_testhook.c): read the
 * LOCPHONE_TEST_SAVE_* variables into m; the hook a save is to run with,
 * in *hook, or NULL.  Release builds: never a hook.
 */
#ifdef LOCPHONE_TEST_HOOKS
void manual_testhook_read(struct manual *m);
const struct atomicfile_hook *manual_testhook(struct manual *m,
					      struct atomicfile_hook *hook);
#else
static inline void manual_testhook_read(struct manual *m)
{
	m->kill_step = -1;
	m->fail_step = -1;
}

static inline const struct atomicfile_hook *
manual_testhook(struct manual *m, struct atomicfile_hook *hook)
{
	(void)m;
	(void)hook;
	return NULL;
}
#endif

#endif
