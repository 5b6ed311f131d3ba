/* manual: saved locations per network, the prompt, and their commands. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "baresip-abi.h"
#include "bus.h"
#include "civic.h"
#include "civic_validate.h"
#include "location.h"
#include "locsource.h"
#include "policy.h"
#include "locprompt.h"
#include "savedloc.h"
#include "manual.h"
#include "manual_priv.h"

/*
 * How long an unidentified network may stay so before the person is asked
 * anyway.  The gateway's MAC, which most fingerprints rest on, usually
 * arrives a moment after the link; asking before it would ask twice.
 */
#define PLACE_WAIT_MS 3000

static void destructor(void *arg)
{
	struct manual *m = arg;

	manual_commands_unregister(m);
	tmr_cancel(&m->place_wait);
	policy_reset(&m->policy);
	mem_deref(m->store);
	location_reset(&m->entered);
	mem_deref(m->name);
}

int manual_store_begin(struct manual *m, struct savedloc **nextp)
{
	if (!m->store || !m->path[0])
		return EPERM;
	if (m->frozen)
		return EROFS;

	return savedloc_clone(nextp, m->store);
}

int manual_store_commit(struct manual *m, struct savedloc *next)
{
	struct atomicfile_hook hook;
	int err;

	if (!m->store || !m->path[0]) {
		mem_deref(next);
		return EPERM;
	}

	err = savedloc_replace(&m->store, next, m->path,
			       manual_testhook(m, &hook));
	if (err)
		warning("location: cannot write %s (%m); the saved locations "
			"stay as they were\n",
			m->path, err);

	return err;
}

/* Remember what was saved before the network was known for this one. */
static void pending_tie(struct manual *m)
{
	struct savedloc *next = NULL;
	int err;

	if (!m->tie_pending || !m->name)
		return;

	err = manual_store_begin(m, &next);
	if (!err) {
		err = savedloc_remember(next, m->name, m->place);
		if (err)
			mem_deref(next);
		else
			err = manual_store_commit(m, next);
	}

	/* the entry may have gone meanwhile (deleted, forgotten) */
	if (!err || err == ENOENT || err == EPERM)
		m->tie_pending = false;
	else
		warning("location: \"%s\" could not be remembered for this "
			"network yet (%m); tried again on the next change\n",
			m->name, err);
	if (!err)
		info("location: \"%s\" is now remembered for this network\n",
		     m->name);
}

static void store_load(struct manual *m)
{
	struct savedloc_error e;
	int err;

	if (!m->policy.remember_locations || !m->path[0])
		return;

	memset(&e, 0, sizeof(e));
	err = savedloc_load(&m->store, m->path, &e);
	if (!err) {
		info("location: %u saved locations\n",
		     list_count(savedloc_list(m->store)));
		return;
	}

	if (err == EBADMSG || err == EFBIG) {
		/* savedloc_load set it aside; start afresh, nothing lost */
		warning("location: %s is damaged (%s); it was moved to %s and "
			"the saved locations start empty\n",
			m->path, e.why, e.aside);
	} else {
		warning("location: cannot read %s (%s%s%m); saved locations "
			"are used but not written until it is fixed\n",
			m->path, e.why, e.why[0] ? ", " : "", err);
		m->frozen = true;
	}

	if (savedloc_alloc(&m->store))
		m->store = NULL;
}

void manual_entered_clear(struct manual *m)
{
	location_reset(&m->entered);
	m->name = mem_deref(m->name);
	m->entered_place[0] = '\0';
	m->tie_pending = false;
}

/* Is what the person entered for the network the device is on now?  Never
 * another network's: a wrong address is worse than none. */
bool manual_entered_here(const struct manual *m)
{
	return location_has_value(&m->entered) &&
	       !strcmp(m->entered_place, m->place);
}

/* The saved entry as the person's location for this place. */
int manual_entered_from_entry(struct manual *m,
			      const struct savedloc_entry *entry)
{
	struct geo_pos pos;
	struct location loc;
	char *name = NULL;
	int err;

	memset(&loc, 0, sizeof(loc));
	memset(&pos, 0, sizeof(pos));
	pos.lat = entry->coord.lat;
	pos.lon = entry->coord.lon;

	err = locsource_manual(&loc, &entry->civic,
			       entry->has_coord ? &pos : NULL, time(NULL));
	if (!err)
		err = str_dup(&name, entry->name);
	if (err) {
		location_reset(&loc);
		return err;
	}

	manual_entered_clear(m);
	location_move(&m->entered, &loc);
	m->name = name;
	str_ncpy(m->entered_place, m->place, sizeof(m->entered_place));
	return 0;
}

static void prompt_check(struct manual *m);

/* Tell the chooser; it tells manual_chosen, which asks or stops asking. */
void manual_entered_apply(struct manual *m)
{
	if (m->changeh)
		m->changeh(m->arg);
	prompt_check(m);
}

static void place_wait_over(void *arg)
{
	struct manual *m = arg;

	m->place_waited = true;
	prompt_check(m);
}

void manual_here(const struct manual *m, const struct location **locp,
		 const char **namep)
{
	const bool here = m && manual_entered_here(m);

	if (locp)
		*locp = here ? &m->entered : NULL;
	if (namep)
		*namep = here ? m->name : NULL;
}

void manual_network(struct manual *m, const char *place)
{
	const struct savedloc_entry *entry;

	if (!m)
		return;

	str_ncpy(m->place, place ? place : "", sizeof(m->place));

	switch (savedloc_place_change(location_has_value(&m->entered),
				      m->entered_place, m->place)) {
	case SAVEDLOC_PLACE_WAIT:
		/* not identified (yet): wait a moment before asking */
		if (!m->place_waited && !tmr_isrunning(&m->place_wait))
			tmr_start(&m->place_wait, PLACE_WAIT_MS,
				  place_wait_over, m);
		break;
	case SAVEDLOC_PLACE_ADOPT:
		str_ncpy(m->entered_place, m->place, sizeof(m->entered_place));
		pending_tie(m);
		break;
	case SAVEDLOC_PLACE_SAME:
		pending_tie(m); /* an earlier try was refused */
		break;
	case SAVEDLOC_PLACE_LEAVE:
		manual_entered_clear(m);
		entry = m->store ? savedloc_lookup(m->store, m->place) : NULL;
		if (entry)
			(void)manual_entered_from_entry(m, entry);
		break;
	}

	if (m->place[0]) {
		tmr_cancel(&m->place_wait);
		m->place_waited = false;
	}
}

static int saved_names(struct odict **odp, const struct manual *m)
{
	struct odict *arr = NULL;
	char key[16];
	unsigned i = 0;
	struct le *le;
	int err;

	err = odict_alloc(&arr, 8);
	for (le = m->store ? savedloc_list(m->store)->head : NULL; le && !err;
	     le = le->next) {
		const struct savedloc_entry *e = le->data;

		re_snprintf(key, sizeof(key), "%u", i++);
		err = odict_entry_add(arr, key, ODICT_STRING, e->name);
	}

	if (err)
		mem_deref(arr);
	else
		*odp = arr;
	return err;
}

static const char *required_name(const struct manual *m)
{
	return m->policy.location_required == POLICY_LOCATION_DISCLAIMER
		       ? "disclaimer"
		       : "yes";
}

static void prompt_emit(const struct manual *m)
{
	struct odict *ev = NULL, *saved = NULL;
	int err;

	err = odict_alloc(&ev, 8);
	if (!err)
		err = odict_entry_add(ev, "reason", ODICT_STRING, m->reason);
	if (!err)
		err = odict_entry_add(ev, "required", ODICT_STRING,
				      required_name(m));
	if (!err && m->place[0])
		err = odict_entry_add(ev, "network", ODICT_STRING, m->place);
	else if (!err)
		err = odict_entry_add(ev, "network", ODICT_NULL);
	if (!err)
		err = saved_names(&saved, m);
	if (!err)
		err = odict_entry_add(ev, "saved", ODICT_ARRAY, saved);
	if (!err)
		bus_event_emit("location.prompt", ev);

	mem_deref(saved);
	mem_deref(ev);
}

/* Ask or stop asking, as the last choice and the policy say. */
static void prompt_check(struct manual *m)
{
	const bool missing = m->ask && (m->place[0] || m->place_waited);

	if (locprompt_update(&m->prompt, m->place, missing) ==
	    LOCPROMPT_ACT_PROMPT)
		prompt_emit(m);
}

void manual_chosen(struct manual *m, const struct manual_choice *c)
{
	if (!m || !c)
		return;

	m->ask = c->ask;
	m->used = c->used;
	str_ncpy(m->reason, c->reason ? c->reason : "", sizeof(m->reason));
	prompt_check(m);
}

int manual_prompt_encode(struct odict *od, const struct manual *m,
			 const char *reason)
{
	struct odict *p = NULL;
	int err;

	if (!od)
		return EINVAL;
	if (!m || m->prompt.state == LOCPROMPT_IDLE)
		return odict_entry_add(od, "prompt", ODICT_NULL);

	if (!reason)
		reason = m->reason;
	err = odict_alloc(&p, 8);
	if (!err)
		err = odict_entry_add(p, "state", ODICT_STRING,
				      locprompt_state_name(m->prompt.state));
	if (!err)
		err = odict_entry_add(p, "required", ODICT_STRING,
				      required_name(m));
	if (!err)
		err = odict_entry_add(p, "reason", ODICT_STRING, reason);
	if (!err && (m->prompt.state == LOCPROMPT_DISCLAIMER ||
		     m->prompt.state == LOCPROMPT_ACKNOWLEDGED))
		err = odict_entry_add(p, "disclaimer_text", ODICT_STRING,
				      m->policy.disclaimer_text);
	if (!err)
		err = odict_entry_add(od, "prompt", ODICT_OBJECT, p);

	mem_deref(p);
	return err;
}

void manual_policy(struct manual *m, bool e911_enabled,
		   enum policy_location_required required,
		   const char *disclaimer)
{
	const enum policy_location_required mode =
		e911_enabled ? required : POLICY_LOCATION_NO;
	char *text = NULL;

	if (!m)
		return;

	if (str_isset(disclaimer) &&
	    str_cmp(disclaimer, m->policy.disclaimer_text) &&
	    !str_dup(&text, disclaimer)) {
		mem_deref(m->policy.disclaimer_text);
		m->policy.disclaimer_text = text;
	}
	m->policy.e911_enabled = e911_enabled;
	m->policy.location_required = required;

	if (mode == m->prompt.mode)
		return;

	/* a new mode starts afresh: this network may be asked about */
	locprompt_init(&m->prompt, mode);
	prompt_check(m);
}

enum policy_location_required manual_required(const struct manual *m)
{
	return m ? m->prompt.mode : POLICY_LOCATION_NO;
}

int manual_alloc(struct manual **mp, struct policy *pol, const char *saved_file,
		 manual_change_h *changeh, void *arg)
{
	struct manual *m;
	int err;

	if (!mp || !pol)
		return EINVAL;

	m = mem_zalloc(sizeof(*m), destructor);
	if (!m)
		return ENOMEM;

	m->changeh = changeh;
	m->arg = arg;
	m->policy = *pol;
	memset(pol, 0, sizeof(*pol));
	/* standards.md §12: with emergency features off nothing is asked */
	locprompt_init(&m->prompt, m->policy.e911_enabled
					   ? m->policy.location_required
					   : POLICY_LOCATION_NO);
	str_ncpy(m->path, saved_file ? saved_file : "", sizeof(m->path));
	manual_testhook_read(m);
	tmr_init(&m->place_wait);

	store_load(m);

	err = manual_commands_register(m);

	if (err)
		mem_deref(m);
	else
		*mp = m;
	return err;
}
