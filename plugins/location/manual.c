/* manual: saved locations per network, the prompt, and their commands. */

#include <re.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "baresip-abi.h"
#include "bus.h"
#include "civic.h"
#include "civic_validate.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "lis_client.h"
#include "locator.h"
#include "policy.h"
#include "locprompt.h"
#include "savedloc.h"
#include "manual.h"

/* Test only: the save step at which the engine kills itself (SIGKILL),
 * to prove the file survives a crash there (tests/integration). */
#define KILL_STEP_ENV "LOCPHONE_TEST_SAVE_KILL_STEP"

/*
 * How long an unidentified network may stay so before the person is asked
 * anyway.  The gateway's MAC, which most fingerprints rest on, usually
 * arrives a moment after the link; asking before it would ask twice.
 */
#define PLACE_WAIT_MS 3000

struct manual {
	struct locator *loc; /* the module's; not ours */
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
	struct locprompt prompt;
	int kill_step;	   /* -1: none */
	size_t registered; /* commands registered, in command_names order */
	char errbuf[CIVIC_FIELD_COUNT * CIVIC_PROBLEM_TEXT_MAX];
};

static const char *const step_names[] = {
	[SAVEDLOC_STEP_CREATE] = "create",   [SAVEDLOC_STEP_WRITE] = "write",
	[SAVEDLOC_STEP_FSYNC] = "fsync",     [SAVEDLOC_STEP_RENAME] = "rename",
	[SAVEDLOC_STEP_DIRSYNC] = "dirsync",
};

static const char *const command_names[] = {
	"location.set",	    "location.save",
	"location.use",	    "location.list",
	"location.delete",  "location.forget-all",
	"location.dismiss", "location.acknowledge-disclaimer",
};

static void destructor(void *arg)
{
	struct manual *m = arg;
	size_t i;

	for (i = 0; i < m->registered; i++)
		bus_command_unregister(command_names[i]);

	tmr_cancel(&m->place_wait);
	policy_reset(&m->policy);
	mem_deref(m->store);
	location_reset(&m->entered);
	mem_deref(m->name);
}

static int kill_hook(enum savedloc_save_step step, const char *tmp, void *arg)
{
	const struct manual *m = arg;
	(void)tmp;

	if ((int)step == m->kill_step)
		(void)raise(SIGKILL);

	return 0;
}

/* Write the store; errors are the caller's to report. */
static int store_write(struct manual *m)
{
	const struct savedloc_save_hook hook = {kill_hook, m};

	if (!m->store || !m->path[0])
		return EPERM;
	if (m->frozen)
		return EROFS;

	return savedloc_save_hooked(m->store, m->path,
				    m->kill_step >= 0 ? &hook : NULL);
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

static void entered_clear(struct manual *m)
{
	location_reset(&m->entered);
	m->name = mem_deref(m->name);
	m->entered_place[0] = '\0';
}

/* Is what the person entered for the network the device is on now?  Never
 * another network's: a wrong address is worse than none. */
static bool entered_here(const struct manual *m)
{
	return location_has_value(&m->entered) &&
	       !strcmp(m->entered_place, m->place);
}

/* The saved entry as the person's location for this place. */
static int entered_from_entry(struct manual *m,
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

	entered_clear(m);
	location_move(&m->entered, &loc);
	m->name = name;
	str_ncpy(m->entered_place, m->place, sizeof(m->entered_place));
	return 0;
}

/* Tell the locator, then ask or stop asking as the policy says. */
static void entered_apply(struct manual *m)
{
	const struct locator_manual man = {&m->entered, m->name};

	(void)locator_manual(m->loc, entered_here(m) ? &man : NULL);
	manual_check(m);
}

static void place_wait_over(void *arg)
{
	struct manual *m = arg;

	m->place_waited = true;
	manual_check(m);
}

void manual_network(struct manual *m, const char *place,
		    struct locator_manual *man)
{
	const struct savedloc_entry *entry;

	if (!m || !man)
		return;

	str_ncpy(m->place, place ? place : "", sizeof(m->place));

	if (!m->place[0]) {
		/* not identified (yet): wait a moment before asking */
		if (!m->place_waited && !tmr_isrunning(&m->place_wait))
			tmr_start(&m->place_wait, PLACE_WAIT_MS,
				  place_wait_over, m);
	} else if (location_has_value(&m->entered) && !m->entered_place[0]) {
		/* typed in before the network was known: it is this one's */
		str_ncpy(m->entered_place, m->place, sizeof(m->entered_place));
		if (m->name && m->store && !m->frozen &&
		    !savedloc_remember(m->store, m->name, m->place))
			(void)store_write(m);
	} else if (strcmp(m->entered_place, m->place)) {
		entered_clear(m);
		entry = m->store ? savedloc_lookup(m->store, m->place) : NULL;
		if (entry)
			(void)entered_from_entry(m, entry);
	}

	if (m->place[0]) {
		tmr_cancel(&m->place_wait);
		m->place_waited = false;
	}

	man->loc = entered_here(m) ? &m->entered : NULL;
	man->name = entered_here(m) ? m->name : NULL;
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
	const char *reason = NULL;
	int err;

	(void)locator_current(m->loc, &reason);

	err = odict_alloc(&ev, 8);
	if (!err)
		err = odict_entry_add(ev, "reason", ODICT_STRING,
				      reason ? reason : "");
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

void manual_check(struct manual *m)
{
	bool missing;

	if (!m)
		return;

	missing = locator_ask(m->loc) && (m->place[0] || m->place_waited);
	if (locprompt_update(&m->prompt, m->place, missing) ==
	    LOCPROMPT_ACT_PROMPT)
		prompt_emit(m);
}

int manual_prompt_encode(struct odict *od, const struct manual *m)
{
	struct odict *p = NULL;
	const char *reason = NULL;
	int err;

	if (!od)
		return EINVAL;
	if (!m || m->prompt.state == LOCPROMPT_IDLE)
		return odict_entry_add(od, "prompt", ODICT_NULL);

	(void)locator_current(m->loc, &reason);
	err = odict_alloc(&p, 8);
	if (!err)
		err = odict_entry_add(p, "state", ODICT_STRING,
				      locprompt_state_name(m->prompt.state));
	if (!err)
		err = odict_entry_add(p, "required", ODICT_STRING,
				      required_name(m));
	if (!err)
		err = odict_entry_add(p, "reason", ODICT_STRING,
				      reason ? reason : "");
	if (!err && (m->prompt.state == LOCPROMPT_DISCLAIMER ||
		     m->prompt.state == LOCPROMPT_ACKNOWLEDGED))
		err = odict_entry_add(p, "disclaimer_text", ODICT_STRING,
				      m->policy.disclaimer_text);
	if (!err)
		err = odict_entry_add(od, "prompt", ODICT_OBJECT, p);

	mem_deref(p);
	return err;
}

/* "used": is the person's location the chosen one; "reason": why. */
static int choice_encode(struct odict *od, const struct manual *m)
{
	const char *reason = NULL;
	const struct location *cur = locator_current(m->loc, &reason);
	int err;

	err = odict_entry_add(od, "used", ODICT_BOOL,
			      cur->source == LOCATION_SOURCE_MANUAL);
	if (!err)
		err = odict_entry_add(od, "reason", ODICT_STRING,
				      reason ? reason : "");

	return err;
}

/* One field of location.set into c, or words for the client. */
static int set_field(struct manual *m, struct civic *c, struct geo_pos *pos,
		     unsigned *have, const struct odict_entry *e,
		     const char **errmsg)
{
	const bool lat = !str_cmp(e->key, "lat");
	const char *why = NULL;
	int f;

	if (lat || !str_cmp(e->key, "lon")) {
		double v = 0;

		if (e->type == ODICT_DOUBLE)
			v = e->u.dbl;
		else if (e->type == ODICT_INT)
			v = (double)e->u.integer;
		else
			why = "must be a number of degrees";
		if (lat)
			pos->lat = v;
		else
			pos->lon = v;
		*have |= lat ? 1u : 2u;
	} else if ((f = civic_field_by_name(e->key)) < 0) {
		why = "not an RFC 5139 civic element";
	} else if (e->type != ODICT_STRING) {
		why = "must be text";
	} else if (civic_set_str(c, f, e->u.str)) {
		why = "too long, or holds control characters";
	}

	if (!why)
		return 0;

	re_snprintf(m->errbuf, sizeof(m->errbuf), "%s: %s", e->key, why);
	*errmsg = m->errbuf;
	return EINVAL;
}

/* Every problem civic_validate found, one per field, into errbuf. */
static const char *problems_words(struct manual *m,
				  const struct civic_problems *probs)
{
	size_t i, off = 0;

	m->errbuf[0] = '\0';
	for (i = 0; i < probs->n && off < sizeof(m->errbuf); i++) {
		int n = re_snprintf(m->errbuf + off, sizeof(m->errbuf) - off,
				    "%s%s", i ? "; " : "", probs->v[i].text);

		if (n < 0)
			break;
		off += (size_t)n;
	}

	return m->errbuf;
}

/* location.set: the person's location for this network (not saved). */
static int cmd_set(const struct odict *args, struct odict *result,
		   const char **errmsg, void *arg)
{
	struct manual *m = arg;
	struct civic_problems probs;
	struct civic c;
	struct geo_pos pos;
	struct location loc;
	unsigned have = 0;
	struct le *le;
	int err = 0;

	memset(&c, 0, sizeof(c));
	memset(&pos, 0, sizeof(pos));
	memset(&loc, 0, sizeof(loc));
	memset(&probs, 0, sizeof(probs));

	for (le = args->lst.head; le && !err; le = le->next)
		err = set_field(m, &c, &pos, &have, le->data, errmsg);
	if (err)
		goto out;

	if (have == 1 || have == 2) {
		*errmsg = "lat, lon: give both or neither";
		err = EINVAL;
		goto out;
	}

	err = civic_normalise(&c);
	if (!err && civic_validate(&c, &probs)) {
		*errmsg = problems_words(m, &probs);
		err = EINVAL;
	}
	if (!err) {
		err = locsource_manual(&loc, &c, have ? &pos : NULL,
				       time(NULL));
		if (err == EINVAL)
			*errmsg = "lat, lon: not a WGS 84 point";
	}
	if (err)
		goto out;

	entered_clear(m);
	location_move(&m->entered, &loc);
	str_ncpy(m->entered_place, m->place, sizeof(m->entered_place));
	entered_apply(m);

	err = choice_encode(result, m);

out:
	location_reset(&loc);
	civic_reset(&c);
	return err;
}

/* The NAME argument of save, use and delete. */
static const char *name_arg(const struct odict *args, const char **errmsg)
{
	const char *name = odict_string(args, "name");

	if (!name || !name[0]) {
		*errmsg = "name: a location name is needed";
		return NULL;
	}

	return name;
}

/* The store, writable, or why not. */
static int store_usable(const struct manual *m, const char **errmsg)
{
	if (!m->store || !m->path[0]) {
		*errmsg = "remember_locations is no: locations are not kept";
		return EPERM;
	}
	if (m->frozen) {
		*errmsg = "the saved locations file could not be read; it is "
			  "not written over (see the engine log)";
		return EROFS;
	}

	return 0;
}

static int write_or_say(struct manual *m, const char **errmsg)
{
	int err = store_write(m);

	if (err) {
		warning("location: cannot write %s: %m\n", m->path, err);
		*errmsg = "the saved locations could not be written (see the "
			  "engine log)";
	}

	return err;
}

static int remembered_encode(struct odict *result, const struct manual *m,
			     const char *name)
{
	int err;

	err = odict_entry_add(result, "name", ODICT_STRING, name);
	if (!err)
		err = odict_entry_add(result, "remembered", ODICT_BOOL,
				      m->place[0] != '\0');
	if (!err)
		err = choice_encode(result, m);

	return err;
}

/* location.save NAME: keep what was entered, for this network too. */
static int cmd_save(const struct odict *args, struct odict *result,
		    const char **errmsg, void *arg)
{
	struct manual *m = arg;
	const char *fpv[SAVEDLOC_MAX_NETWORKS + 1];
	const struct savedloc_entry *old;
	struct savedloc_coord coord;
	const char *name = name_arg(args, errmsg);
	char *dup = NULL;
	size_t fpc = 0;
	struct le *le;
	int err;

	if (!name)
		return EINVAL;
	err = store_usable(m, errmsg);
	if (err)
		return err;
	if (!entered_here(m)) {
		*errmsg = "nothing entered on this network: location.set first";
		return ENOENT;
	}

	/* the networks it was remembered for stay, this one joins them */
	old = savedloc_find(m->store, name);
	for (le = old ? old->networks.head : NULL; le; le = le->next) {
		const struct savedloc_network *n = le->data;

		if (fpc < SAVEDLOC_MAX_NETWORKS && str_cmp(n->fp, m->place))
			fpv[fpc++] = n->fp;
	}
	if (m->place[0])
		fpv[fpc++] = m->place;
	/* full: the network remembered longest ago makes room */
	if (fpc > SAVEDLOC_MAX_NETWORKS) {
		memmove(fpv, fpv + 1, (fpc - 1) * sizeof(*fpv));
		--fpc;
	}

	coord.lat = m->entered.geo.pos.lat;
	coord.lon = m->entered.geo.pos.lon;
	err = str_dup(&dup, name);
	if (!err)
		err = savedloc_put(m->store, name, &m->entered.civic,
				   m->entered.geo.shape == GEO_POINT ? &coord
								     : NULL,
				   fpv, fpc);
	if (err == EINVAL)
		*errmsg = "name: 1 to 64 bytes without control characters";
	else if (err == ENOSPC)
		*errmsg = "too many saved locations or networks";
	if (!err)
		err = write_or_say(m, errmsg);
	if (err) {
		mem_deref(dup);
		return err;
	}

	mem_deref(m->name);
	m->name = dup;
	entered_apply(m);

	return remembered_encode(result, m, name);
}

/* location.use NAME: a saved location, from now on for this network. */
static int cmd_use(const struct odict *args, struct odict *result,
		   const char **errmsg, void *arg)
{
	struct manual *m = arg;
	const struct savedloc_entry *entry;
	const char *name = name_arg(args, errmsg);
	int err;

	if (!name)
		return EINVAL;
	err = store_usable(m, errmsg);
	if (err)
		return err;

	entry = savedloc_find(m->store, name);
	if (!entry) {
		*errmsg = "no saved location of that name";
		return ENOENT;
	}

	err = entered_from_entry(m, entry);
	if (!err && m->place[0]) {
		err = savedloc_remember(m->store, m->name, m->place);
		if (err == ENOSPC)
			*errmsg = "it is remembered for too many networks";
		if (!err)
			err = write_or_say(m, errmsg);
	}
	entered_apply(m);
	if (err)
		return err;

	return remembered_encode(result, m, m->name);
}

static int entry_encode(struct odict *arr, const char *key,
			const struct savedloc_entry *e, const char *place)
{
	struct odict *o = NULL, *civic = NULL, *coord = NULL;
	bool here = false;
	struct le *le;
	size_t i;
	int err;

	err = odict_alloc(&o, 8);
	if (!err)
		err = odict_alloc(&civic, 16);
	for (i = 0; !err && i < CIVIC_FIELD_COUNT; i++) {
		if (e->civic.v[i])
			err = odict_entry_add(civic, civic_field_name(i),
					      ODICT_STRING, e->civic.v[i]);
	}
	for (le = e->networks.head; le; le = le->next) {
		const struct savedloc_network *n = le->data;

		here |= place[0] && !str_cmp(n->fp, place);
	}

	if (!err)
		err = odict_entry_add(o, "name", ODICT_STRING, e->name);
	if (!err)
		err = odict_entry_add(o, "civic", ODICT_OBJECT, civic);
	if (!err && e->has_coord) {
		err = odict_alloc(&coord, 2);
		if (!err)
			err = odict_entry_add(coord, "lat", ODICT_DOUBLE,
					      e->coord.lat);
		if (!err)
			err = odict_entry_add(coord, "lon", ODICT_DOUBLE,
					      e->coord.lon);
		if (!err)
			err = odict_entry_add(o, "coord", ODICT_OBJECT, coord);
	} else if (!err) {
		err = odict_entry_add(o, "coord", ODICT_NULL);
	}
	if (!err)
		err = odict_entry_add(o, "networks", ODICT_INT,
				      (int64_t)list_count(&e->networks));
	if (!err)
		err = odict_entry_add(o, "here", ODICT_BOOL, here);
	if (!err)
		err = odict_entry_add(arr, key, ODICT_OBJECT, o);

	mem_deref(coord);
	mem_deref(civic);
	mem_deref(o);
	return err;
}

/* location.list: the saved locations, on this device only. */
static int cmd_list(const struct odict *args, struct odict *result,
		    const char **errmsg, void *arg)
{
	struct manual *m = arg;
	struct odict *arr = NULL;
	unsigned i = 0;
	char key[16];
	struct le *le;
	int err;
	(void)args;
	(void)errmsg;

	err = odict_alloc(&arr, 16);
	for (le = m->store ? savedloc_list(m->store)->head : NULL; le && !err;
	     le = le->next) {
		re_snprintf(key, sizeof(key), "%u", i++);
		err = entry_encode(arr, key, le->data, m->place);
	}

	if (!err)
		err = odict_entry_add(result, "locations", ODICT_ARRAY, arr);
	if (!err)
		err = odict_entry_add(result, "remember", ODICT_BOOL,
				      m->store != NULL);
	if (!err && m->place[0])
		err = odict_entry_add(result, "network", ODICT_STRING,
				      m->place);
	else if (!err)
		err = odict_entry_add(result, "network", ODICT_NULL);
	if (!err)
		err = odict_entry_add(result, "in_use",
				      m->name ? ODICT_STRING : ODICT_NULL,
				      m->name);

	mem_deref(arr);
	return err;
}

/* location.delete NAME */
static int cmd_delete(const struct odict *args, struct odict *result,
		      const char **errmsg, void *arg)
{
	struct manual *m = arg;
	const char *name = name_arg(args, errmsg);
	int err;

	if (!name)
		return EINVAL;
	err = store_usable(m, errmsg);
	if (err)
		return err;

	err = savedloc_delete(m->store, name);
	if (err) {
		*errmsg = "no saved location of that name";
		return err;
	}

	err = write_or_say(m, errmsg);
	if (m->name && !str_cmp(m->name, name)) {
		entered_clear(m);
		entered_apply(m);
	}
	if (err)
		return err;

	return choice_encode(result, m);
}

/* location.forget-all: every saved location, and the file's contents. */
static int cmd_forget_all(const struct odict *args, struct odict *result,
			  const char **errmsg, void *arg)
{
	struct manual *m = arg;
	int err = 0;
	(void)args;

	if (m->store) {
		savedloc_forget_all(m->store);
		/* the person asked: even a file we could not read goes */
		m->frozen = false;
		err = write_or_say(m, errmsg);
	} else if (m->path[0] && unlink(m->path) && errno != ENOENT) {
		err = errno;
		*errmsg = "the saved locations file could not be removed";
	}

	if (m->name) {
		entered_clear(m);
		entered_apply(m);
	}
	if (err)
		return err;

	return choice_encode(result, m);
}

/* location.dismiss: the person will not say; per location_required. */
static int cmd_dismiss(const struct odict *args, struct odict *result,
		       const char **errmsg, void *arg)
{
	struct manual *m = arg;
	enum locprompt_action act = LOCPROMPT_ACT_NONE;
	struct odict *ev = NULL;
	int err;
	(void)args;

	err = locprompt_dismiss(&m->prompt, &act);
	if (err) {
		*errmsg = "nothing is being asked";
		return err;
	}

	if (act == LOCPROMPT_ACT_DISCLAIMER && !odict_alloc(&ev, 4)) {
		if (!odict_entry_add(ev, "disclaimer_text", ODICT_STRING,
				     m->policy.disclaimer_text))
			bus_event_emit("location.disclaimer", ev);
		mem_deref(ev);
	}

	return manual_prompt_encode(result, m);
}

static int cmd_acknowledge(const struct odict *args, struct odict *result,
			   const char **errmsg, void *arg)
{
	struct manual *m = arg;
	int err;
	(void)args;

	err = locprompt_acknowledge(&m->prompt);
	if (err) {
		*errmsg = "no disclaimer is shown";
		return err;
	}

	return manual_prompt_encode(result, m);
}

static int kill_step_read(void)
{
	const char *v = getenv(KILL_STEP_ENV);
	size_t i;

	for (i = 0; v && i < ARRAY_SIZE(step_names); i++) {
		if (!str_cmp(v, step_names[i])) {
			warning("location: %s=%s: the engine kills itself "
				"while saving (tests only)\n",
				KILL_STEP_ENV, v);
			return (int)i;
		}
	}

	return -1;
}

int manual_alloc(struct manual **mp, struct locator *loc, struct policy *pol,
		 const char *saved_file)
{
	bus_cmd_h *const handlers[] = {
		cmd_set,    cmd_save,	    cmd_use,	 cmd_list,
		cmd_delete, cmd_forget_all, cmd_dismiss, cmd_acknowledge,
	};
	struct manual *m;
	size_t i;
	int err = 0;

	if (!mp || !loc || !pol)
		return EINVAL;

	m = mem_zalloc(sizeof(*m), destructor);
	if (!m)
		return ENOMEM;

	m->loc = loc;
	m->policy = *pol;
	memset(pol, 0, sizeof(*pol));
	/* standards.md §12: with emergency features off nothing is asked */
	locprompt_init(&m->prompt, m->policy.e911_enabled
					   ? m->policy.location_required
					   : POLICY_LOCATION_NO);
	str_ncpy(m->path, saved_file ? saved_file : "", sizeof(m->path));
	m->kill_step = kill_step_read();
	tmr_init(&m->place_wait);

	store_load(m);

	for (i = 0; !err && i < ARRAY_SIZE(command_names); i++) {
		err = bus_command_register(command_names[i], handlers[i], m);
		if (!err)
			m->registered = i + 1;
	}

	if (err)
		mem_deref(m);
	else
		*mp = m;
	return err;
}
