/* location: baresip module that knows where the device is. */

#include <re.h>
#include <string.h>
#include "baresip-abi.h"
#include "bus.h"
#include "bus_topics.h"
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "evidence.h"
#include "lldpsock.h"
#include "netdisc.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "lis_client.h"
#include "locator.h"
#include "lis_cred.h"
#include "lisdisc_dns.h"
#include "policy.h"
#include "locprompt.h"
#include "manual.h"
#include "settings.h"

static struct {
	struct location_settings set;
	struct netdisc *nd;
	struct locator *loc;
	struct lisdisc_query *disc;
	char disc_fp[32];	/* the network discovery last ran for */
	struct odict *site;	/* policy.changed's site (e911), NULL: none */
	struct manual *man;	/* the person's locations and the prompt; made
			     * with the first policy (policy_start) */
	bool policy_known;	/* the e911 module gave its policy */
	struct tmr policy_wait; /* ... or the engine runs without one */
	/* what the bus's topics hand out (bus_topics.h) */
	struct bus_location pub_loc;
	struct bus_network pub_net;
} mod;

static int str_or_null(struct odict *od, const char *key, const char *val)
{
	if (!str_isset(val))
		return odict_entry_add(od, key, ODICT_NULL);

	return odict_entry_add(od, key, ODICT_STRING, val);
}

/* How the LIS is asked: its URLs, which credentials go to each (never
 * the secrets), what was refused at start and its last failure. */
static int lis_encode(struct odict *result)
{
	const struct lis_config *c = &mod.set.loc.lis;
	static const char *const methods[] = {"any", "basic", "digest"};
	struct odict *lis = NULL, *srv = NULL;
	int err;

	err = odict_alloc(&lis, 8);
	if (err)
		return err;

	for (int i = 0; i < 2 && !err; i++) {
		const struct lis_auth *a = &c->auth[i];

		err = odict_alloc(&srv, 8);
		if (!err)
			err = str_or_null(srv, "http_auth",
					  str_isset(a->user)
						  ? methods[a->method % 3]
						  : NULL);
		if (!err)
			err = str_or_null(srv, "client_cert", a->client_cert);
		if (!err)
			err = odict_entry_add(
				lis, i ? "secondary_auth" : "primary_auth",
				ODICT_OBJECT, srv);
		srv = mem_deref(srv);
	}

	if (!err)
		err = str_or_null(lis, "url", mod.set.lis_url);
	if (!err)
		err = str_or_null(lis, "url_secondary",
				  mod.set.lis_url_secondary);
	if (!err)
		err = str_or_null(lis, "credentials", mod.set.lis_credentials);
	if (!err)
		err = str_or_null(lis, "auth_error", mod.set.lis_auth_error);
	if (!err)
		err = str_or_null(lis, "last_error",
				  locator_lis_error(mod.loc));
	if (!err)
		err = odict_entry_add(result, "lis", ODICT_OBJECT, lis);

	mem_deref(lis);
	return err;
}

static int cmd_netinfo(const struct odict *args, struct odict *result,
		       const char **errmsg, void *arg)
{
	const struct odict_entry *site;
	int err;
	(void)args;
	(void)errmsg;
	(void)arg;

	err = netdisc_json_encode(result, mod.nd);
	if (!err)
		err = lis_encode(result);
	if (err)
		return err;

	/* the site in force, as the e911 module chose it */
	site = mod.site ? odict_lookup(mod.site, "site") : NULL;
	if (site && site->type == ODICT_OBJECT)
		return odict_entry_add(result, "site", ODICT_OBJECT,
				       site->u.odict);

	return odict_entry_add(result, "site", ODICT_NULL);
}

static const char *policy_required_word(enum policy_location_required r)
{
	switch (r) {
	case POLICY_LOCATION_YES:
		return "yes";
	case POLICY_LOCATION_DISCLAIMER:
		return "disclaimer";
	default:
		return "no";
	}
}

/*
 * The e911 module's policy in force (BUS_TOPIC_POLICY: the site's values,
 * a served policy's): how often the LIS is asked and what the person is
 * asked.  It changes only once an emergency call has ended
 * (e911_site.c), so a call never sees these change under it.
 */
static void policy_apply(const struct policy *p)
{
	if (p->refresh_interval_s > 0 &&
	    p->refresh_interval_s != locator_refresh_s(mod.loc)) {
		info("location: refresh_interval %u s from the policy in "
		     "force\n",
		     p->refresh_interval_s);
		locator_set_refresh(mod.loc, p->refresh_interval_s);
	}

	manual_policy(mod.man, p->e911_enabled, p->location_required,
		      p->disclaimer_text);
}

static void person_changed(void *arg);

/*
 * The policy the module starts with, from the e911 module, which alone
 * reads the policy files and says what is wrong with them: the topic's
 * data when that module was loaded first, else what it publishes when it
 * starts (launcher.c loads this module before it), else, if it never
 * says, the defaults (policy_wait; p NULL).  remember_locations is taken
 * from this one only (the saved locations are read once, PROTOCOL.md
 * policy.changed); the rest is applied again from each change.
 */
static void policy_start(const struct policy *p)
{
	struct policy pol;
	int err;

	mod.policy_known = true;
	tmr_cancel(&mod.policy_wait);

	/* manual keeps a policy of its own: the defaults with the values
	 * it uses set from the owner's */
	memset(&pol, 0, sizeof(pol));
	err = policy_load(&pol, NULL, NULL, NULL);
	if (!err && p) {
		pol.e911_enabled = p->e911_enabled;
		pol.remember_locations = p->remember_locations;
		pol.location_required = p->location_required;
		if (str_isset(p->disclaimer_text)) {
			pol.disclaimer_text = mem_deref(pol.disclaimer_text);
			err = str_dup(&pol.disclaimer_text, p->disclaimer_text);
		}
		if (p->refresh_interval_s > 0)
			locator_set_refresh(mod.loc, p->refresh_interval_s);
	}
	if (!err)
		err = manual_alloc(&mod.man, &pol, mod.set.saved_file,
				   person_changed, NULL);
	policy_reset(&pol);
	if (err) {
		warning("location: cannot start the saved locations and the "
			"prompt: %m\n",
			err);
		return;
	}
	/* the locator chooses again, now with the person's locations */
	person_changed(NULL);
}

static void policy_wait_end(void *arg)
{
	(void)arg;

	if (mod.policy_known)
		return;
	warning("location: the e911 module gave no policy; the defaults "
		"apply\n");
	policy_start(NULL);
}

/* policy.changed: its site (and the rest) only for netinfo's "site",
 * which is the control socket's; the policy itself comes typed. */
static void bus_event_handler(const char *name, const struct odict *fields,
			      void *arg)
{
	(void)arg;

	if (str_cmp(name, "policy.changed"))
		return;

	mem_deref(mod.site);
	mod.site = mem_ref((void *)fields);
}

static void topic_handler(const char *topic, const void *data, void *arg)
{
	const struct bus_policy *bp = data;
	(void)arg;

	if (str_cmp(topic, BUS_TOPIC_POLICY) || !bp)
		return;
	if (mod.policy_known)
		policy_apply(bp->policy);
	else
		policy_start(bp->policy);
}

/* The e911 module's policy when it is loaded already; else it comes with
 * that module's first publication, or the defaults once the engine runs
 * (a zero timer fires after every module was loaded). */
static void policy_ask(void)
{
	const struct bus_policy *bp = bus_topic_get(BUS_TOPIC_POLICY);

	struct odict *args = NULL, *res = NULL;
	const char *errmsg = NULL;

	tmr_start(&mod.policy_wait, 0, policy_wait_end, NULL);
	if (!bp)
		return;
	policy_start(bp->policy);

	/* netinfo's "site" (the control socket's) as e911.policy says it */
	if (!odict_alloc(&args, 1) && !odict_alloc(&res, 16) &&
	    !bus_command_call("e911.policy", args, res, &errmsg)) {
		mem_deref(mod.site);
		mod.site = mem_ref(res);
	}
	mem_deref(res);
	mem_deref(args);
}

/* The record's JSON keys plus "reason", "stale" and "confirm_error": the
 * location command and event. */
static int location_encode(struct odict *od)
{
	const char *reason = NULL, *confirm_error = NULL;
	const struct location *cur = locator_current(mod.loc, &reason);
	const bool stale = locator_stale(mod.loc, &confirm_error);
	int err;

	err = location_json_encode(od, cur);
	if (!err)
		err = odict_entry_add(od, "reason", ODICT_STRING,
				      reason ? reason : "");
	if (!err)
		err = odict_entry_add(od, "stale", ODICT_BOOL, stale);
	/* the policy in force, as applied here */
	if (!err)
		err = odict_entry_add(od, "refresh_interval_s", ODICT_INT,
				      (int64_t)locator_refresh_s(mod.loc));
	if (!err)
		err = odict_entry_add(
			od, "location_required", ODICT_STRING,
			policy_required_word(manual_required(mod.man)));
	if (!err && stale && confirm_error)
		err = odict_entry_add(od, "confirm_error", ODICT_STRING,
				      confirm_error);
	else if (!err)
		err = odict_entry_add(od, "confirm_error", ODICT_NULL);
	if (!err)
		err = manual_prompt_encode(od, mod.man, reason);

	return err;
}

static int cmd_location(const struct odict *args, struct odict *result,
			const char **errmsg, void *arg)
{
	(void)args;
	(void)errmsg;
	(void)arg;

	return location_encode(result);
}

static int cmd_location_refresh(const struct odict *args, struct odict *result,
				const char **errmsg, void *arg)
{
	bool routing = false;
	int err;
	(void)arg;

	(void)odict_get_boolean(args, &routing, "routing");

	/* answers at once; location.changed follows when the LIS has */
	err = locator_refresh(mod.loc, routing);
	if (err == EPERM) {
		*errmsg = "on VPN or told not to ask here: no LIS query";
		return err;
	}
	if (err == ENOENT) {
		*errmsg = "no LIS configured, or no network to ask about";
		return err;
	}

	return err ? err : location_encode(result);
}

/* Tell the person's side what the locator chose (the prompt, the
 * location.* commands' answers). */
static void choice_tell(void)
{
	struct manual_choice c = {false, false, NULL};
	const struct location *cur = locator_current(mod.loc, &c.reason);

	c.ask = locator_ask(mod.loc);
	c.used = cur && cur->source == LOCATION_SOURCE_MANUAL;
	manual_chosen(mod.man, &c);
}

/* The locator's question: the person's location for this place. */
static void person_here(const struct location **locp, const char **namep,
			void *arg)
{
	(void)arg;

	manual_here(mod.man, locp, namep);
}

/* The person changed their location for this place: choose again. */
static void person_changed(void *arg)
{
	(void)arg;

	if (!mod.loc)
		return;
	locator_person_changed(mod.loc);
	choice_tell();
}

/* BUS_TOPIC_LOCATION's data: the record in use and why. */
static const void *location_get(void *arg)
{
	const char *reason = NULL;
	(void)arg;

	mod.pub_loc.loc = locator_current(mod.loc, &reason);
	mod.pub_loc.reason = reason ? reason : "";
	return &mod.pub_loc;
}

static void location_changed(const struct location *loc, const char *reason,
			     void *arg)
{
	struct odict *ev = NULL;
	(void)loc;
	(void)reason;
	(void)arg;

	/* the modules get the record itself; the clients its JSON */
	bus_topic_publish(BUS_TOPIC_LOCATION, location_get(NULL));

	if (odict_alloc(&ev, 16))
		return;
	if (!location_encode(ev))
		bus_event_emit("location.changed", ev);
	mem_deref(ev);

	/* the prompt follows the change it is about */
	choice_tell();
}

static const char *first_aor(void)
{
	struct le *le = list_head(uag_list());

	return le ? ua_aor(le->data) : NULL;
}

static void discovered(int err, const char *uri, const char *domain, void *arg)
{
	(void)arg;

	/* mod.disc stays until the next lookup or close: it is not freed
	 * from inside its own DNS callback */
	if (err) {
		warning("location: no LIS found for %s by RFC 5986 discovery "
			"(%m)\n",
			domain, err);
		return;
	}

	info("location: LIS for %s is %s (RFC 5986)\n", domain, uri);
	err = locator_set_lis(mod.loc, uri);
	if (err)
		warning("location: cannot use LIS %s: %m\n", uri, err);
}

/* RFC 5986: look the LIS up again on every new network. */
static void discovery_run(void)
{
	const char *fp = netdisc_fingerprint(mod.nd);
	int err;

	if (!mod.set.lis_discovery || mod.set.lis_url[0] || !fp ||
	    !str_cmp(fp, mod.disc_fp))
		return;

	str_ncpy(mod.disc_fp, fp, sizeof(mod.disc_fp));
	mod.disc = mem_deref(mod.disc);
	err = lisdisc_lookup(&mod.disc, mod.set.lis_domain, false, discovered,
			     NULL);
	if (err)
		warning("location: RFC 5986 discovery: %m\n", err);
}

/* BUS_TOPIC_NETWORK's data: the attachment now, the device identity and
 * the site facts derived from it once for every reader. */
static const void *network_get(void *arg)
{
	static const struct netsnap empty;
	const struct netsnap *snap = netdisc_snap(mod.nd);
	const struct lldp_frame *nbv[NET_MAX_LINKS];
	struct bus_network *n = &mod.pub_net;
	size_t i;
	(void)arg;

	if (!snap)
		snap = &empty;
	for (i = 0; i < snap->ifc && i < NET_MAX_LINKS; i++)
		nbv[i] = netdisc_lldp(mod.nd, snap->ifs[i].ifindex);

	n->snap = snap;
	(void)emergency_device_identity(&n->id, snap, netdisc_evidence(mod.nd));
	policy_site_facts_from_snap(&n->facts, snap, nbv, i);
	return n;
}

static void network_changed(const struct netsnap *snap,
			    const struct evidence *evid, void *arg)
{
	struct odict *ev = NULL;
	(void)arg;

	bus_topic_publish(BUS_TOPIC_NETWORK, network_get(NULL));

	if (!odict_alloc(&ev, 8) && !netdisc_json_encode(ev, mod.nd))
		bus_event_emit("network.changed", ev);
	mem_deref(ev);

	/* netdisc chose the interface once (evidence.h): its switch and
	 * access point, address and MAC go to the LIS together; the
	 * person's location for the new place first: the locator reads it
	 * when it chooses */
	manual_network(mod.man, netdisc_place_fingerprint(mod.nd));
	locator_network(mod.loc, snap, evid, netdisc_fingerprint(mod.nd),
			first_aor());
	discovery_run();

	/* a new network with the same (empty) choice still asks again */
	choice_tell();
}

/* client/'s lines (netdisc's, the locator's and its LIS clients': they
 * start with their part's name) to baresip's log. */
static void netdisc_log(enum ndlog_level level, const char *line, void *arg)
{
	(void)arg;

	if (level == NDLOG_WARNING)
		warning("%s", line);
	else
		info("%s", line);
}

static int module_init(void)
{
	int err;

	/* refresh_interval the default until the e911 module's policy
	 * comes (policy_start) */
	location_settings_read(&mod.set);
	mod.set.loc.lis.lg.logh = netdisc_log;
	tmr_init(&mod.policy_wait);

	/* the person's locations (manual) come with the policy: until then
	 * the locator reads none (person_here) */
	err = locator_alloc(&mod.loc, &mod.set.loc, location_changed,
			    person_here, NULL);
	if (err) {
		warning("location: cannot start: %m\n", err);
		return err;
	}

	mod.set.disc.lg.logh = netdisc_log;
	err = netdisc_alloc(&mod.nd, &mod.set.disc, network_changed, NULL);
	if (err) {
		warning("location: network discovery unavailable: %m\n", err);
		return err;
	}

	err = bus_event_listen(bus_event_handler, NULL);
	if (!err)
		err = bus_topic_listen(topic_handler, NULL);
	if (!err)
		err = bus_topic_provide(BUS_TOPIC_LOCATION, location_get, NULL);
	if (!err)
		err = bus_topic_provide(BUS_TOPIC_NETWORK, network_get, NULL);
	if (!err)
		err = bus_command_register("netinfo", cmd_netinfo, NULL);
	if (!err)
		err = bus_command_register("location", cmd_location, NULL);
	if (!err)
		err = bus_command_register("location.refresh",
					   cmd_location_refresh, NULL);
	if (!err)
		policy_ask();

	return err;
}

static int module_close(void)
{
	bus_command_unregister("location.refresh");
	bus_command_unregister("location");
	bus_command_unregister("netinfo");
	bus_topic_unprovide(BUS_TOPIC_NETWORK);
	bus_topic_unprovide(BUS_TOPIC_LOCATION);
	bus_event_unlisten(bus_event_handler);
	bus_topic_unlisten(topic_handler);
	tmr_cancel(&mod.policy_wait);
	mod.policy_known = false;
	mod.site = mem_deref(mod.site);
	mod.disc = mem_deref(mod.disc);
	mod.nd = mem_deref(mod.nd);
	mod.loc = mem_deref(mod.loc);
	mod.man = mem_deref(mod.man);
	lis_cred_wipe(&mod.set.cred);
	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"location",
	"application",
	module_init,
	module_close,
};
