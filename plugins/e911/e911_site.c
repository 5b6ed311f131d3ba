/* e911_site: the network site in force and the policy it gives (issue 14). */

#include <re.h>
#include <string.h>
#include <time.h>
#include "baresip-abi.h"
#include "bus.h"
#include "bus_topics.h"
#include "kvconf.h"
#include "policy.h"
#include "policy_site.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"
#include "sipbody.h"
#include "e911.h"

/* The files, the sites and the choice in force.  The e911 module is the
 * one owner of the policy: it alone logs the files' diagnostics, and it
 * tells the location module (policy.changed) which site is in force. */
struct e911_site {
	struct kvconf *user;
	struct policy_sites *admin;
	struct policy_site_choice cur;
	struct policy_site_choice next; /* waiting for the calls to end */
	bool pending;
	bool reload; /* a new served policy waits for the calls to end */
	bool known;  /* a network was seen at all */
	struct policy_site_facts facts; /* of the last network, if known */
	struct e911_served *served;	/* NULL: no policy_url */
	enum policy_origin origins[POLICY_KEY_COUNT];
};

static void site_destructor(void *arg)
{
	struct e911_site *s = arg;

	mem_deref(s->served);
	mem_deref(s->user);
	mem_deref(s->admin);
}

static const struct policy_sites *served(const struct e911_site *s)
{
	return e911_served_sites(s->served);
}

static void diags_log_from(const struct e911 *m, unsigned from)
{
	struct le *le;
	unsigned i = 0;

	LIST_FOREACH(&m->diag.msgl, le)
	{
		const struct policy_diag_msg *msg = le->data;

		if (i++ >= from)
			warning("e911: %s\n", msg->text);
	}
}

/* policy.changed: the site, the sources, the served policy and the
 * effective values, which the location module applies (refresh_interval,
 * location_required...): only ever after an emergency call ended. */
static void changed_emit(const struct e911 *m)
{
	struct odict *od = NULL, *pol = NULL;
	int err;

	if (odict_alloc(&od, 8))
		return;
	err = e911_site_encode(od, m);
	if (!err)
		err = policy_encode(&pol, &m->policy);
	if (!err)
		err = odict_entry_add(od, "policy", ODICT_OBJECT, pol);
	if (!err)
		bus_event_emit("policy.changed", od);
	mem_deref(pol);
	mem_deref(od);

	/* the same policy, typed, for the other modules */
	bus_topic_publish(BUS_TOPIC_POLICY, e911_policy_topic(m));
}

void e911_site_announce(const struct e911 *m)
{
	changed_emit(m);
}

/* Load the policy of choice into m; the old one stays on failure. */
static int site_apply(struct e911 *m, const struct policy_site_choice *ch)
{
	struct e911_site *s = m->site;
	unsigned before = list_count(&m->diag.msgl);
	int err;

	err = policy_site_load(&m->policy, s->user, s->admin, served(s),
			       ch->site, s->origins, &m->diag);
	if (err) {
		warning("e911: cannot load the policy of %s: %m; the one in "
			"force stays\n",
			ch->site >= 0 ? ch->name : "no site", err);
		return err;
	}

	s->reload = false;
	if (ch->site != s->cur.site)
		info("e911: site %s in force: %s\n",
		     ch->site >= 0 ? ch->name : "(none)", ch->why);
	s->cur = *ch;
	diags_log_from(m, before);

	/* what was made from the old policy is stale */
	e911_memo_reset(m);
	e911_invite_prebuild(m);
	changed_emit(m);
	return 0;
}

static void served_changed(bool changed, void *arg);

int e911_site_init(struct e911 *m, struct kvconf *user, struct kvconf *admin)
{
	struct e911_site *s;
	int err;

	s = mem_zalloc(sizeof(*s), site_destructor);
	if (!s)
		return ENOMEM;

	s->user = mem_ref(user);
	s->cur.site = -1;
	s->next.site = -1;
	err = policy_sites_parse(&s->admin, admin, &m->diag);
	/* the last good copy of a served policy is in force from the start */
	if (!err)
		err = e911_served_alloc(&s->served, admin, &m->diag,
					served_changed, m);
	if (!err)
		err = policy_site_load(&m->policy, s->user, s->admin, served(s),
				       -1, s->origins, &m->diag);
	if (err) {
		mem_deref(s);
		return err;
	}

	policy_site_choose(&s->cur, s->admin, served(s), NULL);
	m->site = s;
	return 0;
}

int e911_site_refresh(struct e911 *m)
{
	if (!m->site || !m->site->served)
		return ENOENT;

	return e911_served_refresh(m->site->served);
}

static bool calls_active(const struct e911 *m);

/* A fetch ended: a new document is applied (after the calls, if any);
 * a failure is only said (policy.changed carries the error). */
static void served_changed(bool changed, void *arg)
{
	struct e911 *m = arg;
	struct e911_site *s = m->site;
	struct policy_site_choice ch;

	if (!s)
		return;
	if (!changed) {
		changed_emit(m);
		return;
	}

	policy_site_choose(&ch, s->admin, served(s),
			   s->known ? &s->facts : NULL);
	if (calls_active(m)) {
		info("e911: the new served policy waits for the emergency "
		     "call to end\n");
		s->next = ch;
		s->pending = true;
		s->reload = true;
		return;
	}

	(void)site_apply(m, &ch);
}

void e911_site_close(struct e911 *m)
{
	m->site = mem_deref(m->site);
}

/* An emergency call keeps the policy it started with to its end. */
static bool calls_active(const struct e911 *m)
{
	return list_head(&m->calls) != NULL;
}

void e911_site_network(struct e911 *m, const struct policy_site_facts *facts)
{
	struct e911_site *s = m->site;
	struct policy_site_facts f;
	struct policy_site_choice ch;

	if (!s || !facts)
		return;

	f = *facts;
	policy_site_choose(&ch, s->admin, served(s), &f);
	s->known = true;
	s->facts = f;

	if (calls_active(m)) {
		if (ch.site != s->cur.site) {
			info("e911: site %s waits for the emergency call to "
			     "end (%s)\n",
			     ch.site >= 0 ? ch.name : "(none)", ch.why);
		}
		s->next = ch;
		s->pending = true;
		return;
	}

	s->pending = false;
	if (s->reload) {
		s->reload = false;
		(void)site_apply(m, &ch);
		return;
	}
	if (ch.site == s->cur.site) {
		/* same site, perhaps by other evidence: say so, keep all */
		if (strcmp(ch.why, s->cur.why)) {
			s->cur = ch;
			changed_emit(m);
		}
		return;
	}

	(void)site_apply(m, &ch);
}

void e911_site_idle(struct e911 *m)
{
	struct e911_site *s = m->site;

	if (!s || !s->pending || calls_active(m))
		return;

	s->pending = false;
	if (s->next.site != s->cur.site || s->reload)
		(void)site_apply(m, &s->next);
	else
		s->cur = s->next;
}

static int origins_encode(struct odict *od, const struct e911_site *s)
{
	struct odict *o = NULL;
	size_t i;
	int err;

	err = odict_alloc(&o, 32);
	for (i = 0; !err && i < POLICY_KEY_COUNT; i++) {
		char src[POLICY_SITE_NAME_MAX + 16];

		if (s->origins[i] == POLICY_FROM_SITE)
			re_snprintf(src, sizeof(src), "site %s", s->cur.name);
		else
			str_ncpy(src, policy_origin_name(s->origins[i]),
				 sizeof(src));
		err = odict_entry_add(o, policy_key_name(i), ODICT_STRING, src);
	}
	if (!err)
		err = odict_entry_add(od, "sources", ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}

int e911_site_encode(struct odict *od, const struct e911 *m)
{
	const struct e911_site *s = m->site;
	struct odict *o = NULL;
	int err;

	if (!s)
		return odict_entry_add(od, "site", ODICT_NULL);

	err = odict_alloc(&o, 8);
	if (err)
		return err;

	if (s->cur.site >= 0)
		err = odict_entry_add(o, "name", ODICT_STRING, s->cur.name);
	else
		err = odict_entry_add(o, "name", ODICT_NULL);
	if (!err)
		err = odict_entry_add(o, "reason", ODICT_STRING,
				      s->known ? s->cur.why
					       : "no network seen yet: the "
						 "global policy");
	if (!err)
		err = odict_entry_add(o, "sites", ODICT_INT,
				      (int64_t)(policy_sites_count(s->admin) +
						policy_sites_count(served(s))));
	if (!err && s->pending)
		err = odict_entry_add(o, "pending", ODICT_STRING,
				      s->next.site >= 0 ? s->next.name : "");
	if (!err)
		err = origins_encode(od, s);
	if (!err)
		err = e911_served_encode(od, s->served);
	if (!err)
		err = odict_entry_add(od, "site", ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}
