/* manual_cmd: the location.* commands of the person's locations. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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

static const char *const command_names[] = {
	"location.set",	    "location.save",
	"location.use",	    "location.list",
	"location.delete",  "location.forget-all",
	"location.dismiss", "location.acknowledge-disclaimer",
};

/* "used": is the person's location the chosen one; "reason": why (the
 * locator's choice, told to manual_chosen). */
static int choice_encode(struct odict *od, const struct manual *m)
{
	int err;

	err = odict_entry_add(od, "used", ODICT_BOOL, m->used);
	if (!err)
		err = odict_entry_add(od, "reason", ODICT_STRING, m->reason);

	return err;
}

/* location.set: the person's location for this network (not saved). */
static int cmd_set(const struct odict *args, struct odict *result,
		   const char **errmsg, void *arg)
{
	struct manual *m = arg;
	struct location loc;
	int err;

	memset(&loc, 0, sizeof(loc));
	err = locsource_manual_decode(&loc, args, time(NULL), m->errbuf,
				      sizeof(m->errbuf));
	if (err) {
		if (m->errbuf[0])
			*errmsg = m->errbuf;
		return err;
	}

	manual_entered_clear(m);
	location_move(&m->entered, &loc);
	str_ncpy(m->entered_place, m->place, sizeof(m->entered_place));
	manual_entered_apply(m);

	return choice_encode(result, m);
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

/* A copy of the store to change, or why there is none. */
static int store_begin(struct manual *m, struct savedloc **nextp,
		       const char **errmsg)
{
	int err = manual_store_begin(m, nextp);

	if (err == EPERM)
		*errmsg = "remember_locations is no: locations are not kept";
	else if (err == EROFS)
		*errmsg = "the saved locations file could not be read; it is "
			  "not written over (see the engine log)";

	return err;
}

/* Write the changed copy; refused, nothing changed (issue 11 item 7). */
static int commit_or_say(struct manual *m, struct savedloc *next,
			 const char **errmsg)
{
	int err = manual_store_commit(m, next);

	if (err) {
		re_snprintf(m->errbuf, sizeof(m->errbuf),
			    "the saved locations could not be written (%m); "
			    "nothing was changed",
			    err);
		*errmsg = m->errbuf;
	}

	return err;
}

/* "remembered": tied to this network now; "remember_pending": it will be
 * once the network is identified. */
static int remembered_encode(struct odict *result, const struct manual *m,
			     const char *name)
{
	int err;

	err = odict_entry_add(result, "name", ODICT_STRING, name);
	if (!err)
		err = odict_entry_add(result, "remembered", ODICT_BOOL,
				      m->place[0] != '\0');
	if (!err)
		err = odict_entry_add(result, "remember_pending", ODICT_BOOL,
				      m->tie_pending);
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
	struct savedloc *next = NULL;
	char *dup = NULL;
	size_t fpc = 0;
	struct le *le;
	int err;

	if (!name)
		return EINVAL;
	if (!manual_entered_here(m)) {
		*errmsg = "nothing entered on this network: location.set first";
		return ENOENT;
	}
	err = store_begin(m, &next, errmsg);
	if (err)
		return err;

	/* the networks it was remembered for stay, this one joins them */
	old = savedloc_find(next, name);
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
		err = savedloc_put(next, name, &m->entered.civic,
				   m->entered.geo.shape == GEO_POINT ? &coord
								     : NULL,
				   fpv, fpc);
	if (err == EINVAL)
		*errmsg = "name: 1 to 64 bytes without control characters";
	else if (err == ENOSPC)
		*errmsg = "too many saved locations or networks";
	if (err)
		mem_deref(next);
	else
		err = commit_or_say(m, next, errmsg);
	if (err) {
		mem_deref(dup);
		return err;
	}

	mem_deref(m->name);
	m->name = dup;
	/* saved before the network was identified: tied to it once it is */
	m->tie_pending = !m->place[0];
	manual_entered_apply(m);

	return remembered_encode(result, m, name);
}

/* location.use NAME: a saved location, from now on for this network. */
static int cmd_use(const struct odict *args, struct odict *result,
		   const char **errmsg, void *arg)
{
	struct manual *m = arg;
	const struct savedloc_entry *entry;
	const char *name = name_arg(args, errmsg);
	struct savedloc *next = NULL;
	int err;

	if (!name)
		return EINVAL;
	err = store_begin(m, &next, errmsg);
	if (err)
		return err;

	entry = savedloc_find(m->store, name);
	if (!entry) {
		mem_deref(next);
		*errmsg = "no saved location of that name";
		return ENOENT;
	}

	/* used here at once; remembered for this network only once the
	 * file says so */
	err = manual_entered_from_entry(m, entry);
	if (!err && m->place[0]) {
		err = savedloc_remember(next, m->name, m->place);
		next = err ? mem_deref(next) : next;
		if (err == ENOSPC)
			*errmsg = "it is remembered for too many networks";
		if (!err)
			err = commit_or_say(m, next, errmsg);
	} else {
		mem_deref(next);
		m->tie_pending = !err;
	}
	manual_entered_apply(m);
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
	struct savedloc *next = NULL;
	int err;

	if (!name)
		return EINVAL;
	err = store_begin(m, &next, errmsg);
	if (err)
		return err;

	err = savedloc_delete(next, name);
	if (err) {
		mem_deref(next);
		*errmsg = "no saved location of that name";
		return err;
	}

	/* refused: it stays saved, and in use */
	err = commit_or_say(m, next, errmsg);
	if (err)
		return err;
	if (m->name && !str_cmp(m->name, name)) {
		manual_entered_clear(m);
		manual_entered_apply(m);
	}

	return choice_encode(result, m);
}

/* location.forget-all: every saved location, and the file's contents. */
static int cmd_forget_all(const struct odict *args, struct odict *result,
			  const char **errmsg, void *arg)
{
	struct manual *m = arg;
	struct savedloc *next = NULL;
	int err = 0;
	(void)args;

	if (m->store && m->path[0]) {
		/* the person asked: even a file we could not read goes */
		err = savedloc_alloc(&next);
		if (!err)
			err = commit_or_say(m, next, errmsg);
		if (!err)
			m->frozen = false;
	} else if (m->path[0] && unlink(m->path) && errno != ENOENT) {
		err = errno;
		*errmsg = "the saved locations file could not be removed";
	}
	if (err)
		return err;

	if (m->name) {
		manual_entered_clear(m);
		manual_entered_apply(m);
	}

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

	return manual_prompt_encode(result, m, NULL);
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

	return manual_prompt_encode(result, m, NULL);
}

int manual_commands_register(struct manual *m)
{
	bus_cmd_h *const handlers[] = {
		cmd_set,    cmd_save,	    cmd_use,	 cmd_list,
		cmd_delete, cmd_forget_all, cmd_dismiss, cmd_acknowledge,
	};
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(command_names); i++) {
		err = bus_command_register(command_names[i], handlers[i], m);
		if (!err)
			m->registered = i + 1;
	}

	return err;
}

void manual_commands_unregister(struct manual *m)
{
	size_t i;

	for (i = 0; i < m->registered; i++)
		bus_command_unregister(command_names[i]);
	m->registered = 0;
}
