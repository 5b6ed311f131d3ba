/* e911: baresip module placing emergency calls with location (issue 5). */

#include <re.h>
#include <dlfcn.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "baresip-abi.h"
#include "bus.h"
#include "bus_topics.h"
#include "kvconf.h"
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"
#include "sipbody.h"
#include "e911.h"

static struct e911 e911;

static void diag_msg_destructor(void *arg)
{
	struct policy_diag_msg *msg = arg;

	list_unlink(&msg->le);
	mem_deref(msg->text);
}

/* A diagnostic of our own next to policy_load's (the same shape). */
void e911_diag_line(struct policy_diag *diag, const char *fmt, ...)
{
	struct policy_diag_msg *msg;
	va_list ap;
	int err;

	msg = mem_zalloc(sizeof(*msg), diag_msg_destructor);
	if (!msg)
		return;

	va_start(ap, fmt);
	err = re_vsdprintf(&msg->text, fmt, ap);
	va_end(ap);
	if (err) {
		mem_deref(msg);
		return;
	}

	list_append(&diag->msgl, &msg->le, msg);
}

/* A kvconf file, NULL if it does not exist; unreadable ones are said. */
static struct kvconf *conf_read(struct e911 *m, const char *path)
{
	struct kvconf *kv = NULL;
	unsigned line = 0;
	int err;

	err = kvconf_load(&kv, path, &line);
	if (err && err != ENOENT)
		e911_diag_line(&m->diag,
			       "%s:%u: cannot read: %m; its settings are "
			       "not used",
			       path, line, err);

	return err ? NULL : kv;
}

/*
 * The user's locphone.conf and the administrator's policy.conf.  A
 * policy_file key in locphone.conf replaces the administrator's path for
 * tests, but only where no administrator's file exists: otherwise a user
 * could point it at an empty file and leave the site's policy.
 */
static void policy_files_load(struct e911 *m)
{
	struct kvconf *user = NULL, *admin = NULL;
	char dir[400];
	bool ignored = false;
	struct le *le;
	int err;

	if (!conf_get_str(conf_cur(), "locphone_config_dir", dir,
			  sizeof(dir))) {
		re_snprintf(m->user_file, sizeof(m->user_file),
			    "%s/locphone.conf", dir);
		user = conf_read(m, m->user_file);
	}

	str_ncpy(m->admin_file, policy_admin_path(user, &ignored),
		 sizeof(m->admin_file));
	if (ignored)
		e911_diag_line(&m->diag,
			       "%s: policy_file: ignored because %s exists",
			       m->user_file, POLICY_ADMIN_FILE);

	admin = conf_read(m, m->admin_file);

	err = e911_site_init(m, user, admin);
	if (err) {
		/* only ENOMEM: a zeroed policy still recognises 911 */
		warning("e911: cannot load the policy: %m\n", err);
		(void)policy_load(&m->policy, NULL, NULL, NULL);
	}

	LIST_FOREACH(&m->diag.msgl, le)
	{
		const struct policy_diag_msg *msg = le->data;

		warning("e911: %s\n", msg->text);
	}

	mem_deref(user);
	mem_deref(admin);
}

/* An emergency route's TLS server whose certificate libsipbody refused:
 * that route cannot carry a call (issue 11 item 4). */
static int tls_diagnostics(const struct e911 *m, struct odict *diags,
			   unsigned *ip)
{
	sipbody_tls_failures_h *get = (sipbody_tls_failures_h *)dlsym(
		RTLD_DEFAULT, SIPBODY_SYM_TLS_FAILURES);
	const char *const keys[] = {"emergency_route", "emergency_proxy",
				    "emergency_route_secondary",
				    "emergency_proxy_secondary"};
	const char *const vals[] = {m->policy.emergency_route,
				    m->policy.emergency_proxy,
				    m->policy.emergency_route_secondary,
				    m->policy.emergency_proxy_secondary};
	const struct sipbody_tls_failure *fv = NULL;
	size_t fc = 0, i, k;
	int err = 0;

	if (get)
		(void)get(&fv, &fc);

	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		for (i = 0; !err && i < fc; i++) {
			char key[16], *text = NULL;

			if (!vals[k] || !fv[i].host[0] ||
			    !strstr(vals[k], fv[i].host))
				continue;
			err = re_sdprintf(&text,
					  "%s: %s: TLS: the certificate of %s "
					  "was refused (%s): emergency calls "
					  "cannot go this way",
					  keys[k], vals[k], fv[i].host,
					  fv[i].reason);
			(void)re_snprintf(key, sizeof(key), "%u", (*ip)++);
			if (!err)
				err = odict_entry_add(diags, key, ODICT_STRING,
						      text);
			mem_deref(text);
			break; /* the newest says it */
		}
	}

	return err;
}

static const char *last_diag(const struct e911 *m)
{
	const struct le *le = list_tail(&m->warn.msgl);
	const struct policy_diag_msg *msg = le ? le->data : NULL;

	return msg && msg->text ? msg->text : "";
}

/*
 * What the routes allow, said once at start (e911.policy's warnings, the
 * log) (issue 11 items 2 and 6): a next hop pinned to UDP, where
 * an INVITE over 1300 bytes cannot take TCP (RFC 3261 §18.1.1), and no
 * route that avoids the account's registrar.
 */
static void paths_check(struct e911 *m)
{
	struct emergency_target t;
	struct dial_result d;
	struct le *le;
	unsigned r;

	if (!m->policy.e911_enabled ||
	    dialplan_classify(&m->policy, m->policy.dial_strings.v[0], &d) ||
	    d.cls == DIAL_ORDINARY)
		return;

	for (r = 0; r < 2; r++) {
		const char *hop;

		if (emergency_target_plan(&t, &m->policy, r, &d))
			continue;
		if (t.kind == EMERGENCY_ROUTE_ACCOUNT) {
			LIST_FOREACH(uag_list(), le)
			{
				hop = e911_route_hop(le->data, &t);
				if (!e911_route_pins_udp(le->data, &t))
					continue;
				e911_diag_line(
					&m->warn,
					"emergency_route: account %s: its "
					"outbound proxy %s pins UDP: an "
					"emergency INVITE over 1300 bytes "
					"cannot go over TCP (RFC 3261 "
					"18.1.1); the location goes by "
					"reference where that makes it fit",
					ua_aor(le->data), hop);
				warning("e911: %s\n", last_diag(m));
			}
			e911_diag_line(
				&m->warn,
				"emergency_route: not set: %s calls go only "
				"through the account's registrar or outbound "
				"proxy; if it is unreachable there is no path "
				"for them (set emergency_route, or a "
				"secondary)",
				d.number);
			warning("e911: %s\n", last_diag(m));
			continue;
		}
		if (!e911_route_pins_udp(NULL, &t))
			continue;
		e911_diag_line(
			&m->warn,
			"%s: %s pins UDP: an emergency INVITE over 1300 bytes "
			"cannot go over TCP (RFC 3261 18.1.1); the location "
			"goes by reference where that makes it fit",
			r ? "emergency_route_secondary" : "emergency_route",
			e911_route_hop(NULL, &t));
		warning("e911: %s\n", last_diag(m));
	}
}

/* diag's messages as a JSON array for the control protocol. */
static int diag_array(struct odict **odp, const struct policy_diag *diag)
{
	struct odict *od = NULL;
	unsigned i = 0;
	struct le *le;
	int err;

	err = odict_alloc(&od, 8);
	if (err)
		return err;

	LIST_FOREACH(&diag->msgl, le)
	{
		const struct policy_diag_msg *msg = le->data;
		char key[16];

		(void)re_snprintf(key, sizeof(key), "%u", i++);
		err = odict_entry_add(od, key, ODICT_STRING, msg->text);
		if (err) {
			mem_deref(od);
			return err;
		}
	}

	*odp = od;
	return 0;
}

static int cmd_policy(const struct odict *args, struct odict *result,
		      const char **errmsg, void *arg)
{
	struct e911 *m = arg;
	struct odict *pol = NULL, *diags = NULL, *warns = NULL;
	unsigned i;
	int err;
	(void)args;
	(void)errmsg;

	err = policy_encode(&pol, &m->policy);
	if (!err)
		err = diag_array(&diags, &m->diag);
	if (!err)
		err = diag_array(&warns, &m->warn);
	if (err)
		goto out;

	/* the TLS refusals of emergency routes follow the file's lines */
	i = (unsigned)list_count(&m->diag.msgl);
	err = tls_diagnostics(m, diags, &i);
	if (err)
		goto out;

	err = odict_entry_add(result, "policy", ODICT_OBJECT, pol);
	if (!err)
		err = odict_entry_add(result, "diagnostics", ODICT_ARRAY,
				      diags);
	if (!err)
		err = odict_entry_add(result, "warnings", ODICT_ARRAY, warns);
	if (!err)
		err = odict_entry_add(result, "user_file", ODICT_STRING,
				      m->user_file);
	if (!err)
		err = odict_entry_add(result, "admin_file", ODICT_STRING,
				      m->admin_file);
	if (!err)
		err = odict_entry_add(result, "body_hook", ODICT_BOOL,
				      e911_hook_active(m));
	if (!err)
		err = e911_site_encode(result, m);

out:
	mem_deref(pol);
	mem_deref(diags);
	mem_deref(warns);
	return err;
}

/* The emergency account (policy), else the one asked for, else the
 * first: the call is attempted registered or not (RFC 6881). */
struct ua *e911_ua_choose(const struct e911 *m, const char *asked)
{
	struct ua *ua = NULL;

	if (m->policy.emergency_account) {
		ua = uag_find_aor(m->policy.emergency_account);
		if (!ua)
			warning("e911: emergency_account %s is not configured;"
				" using another account\n",
				m->policy.emergency_account);
	}
	if (!ua && asked)
		ua = uag_find_aor(asked);
	if (!ua && list_head(uag_list()))
		ua = list_head(uag_list())->data;

	return ua;
}

/* The emergency call whose current or last attempt has this Call-ID. */
static const struct e911_call *e911_call_by_id(const struct e911 *m,
					       const char *id)
{
	struct le *le;

	if (!id)
		return NULL;

	LIST_FOREACH(&m->calls, le)
	{
		const struct e911_call *ec = le->data;

		if ((ec->call && !str_cmp(call_id(ec->call), id)) ||
		    !str_cmp(ec->call_id, id))
			return ec;
	}

	return NULL;
}

/* {"id", "class", "number", "dialled", "location_sent",
 *  "location_summary"}: what a client needs to show an emergency call. */
int e911_call_encode(struct odict **odp, const struct e911_call *ec)
{
	struct odict *em = NULL;
	int err;

	err = odict_alloc(&em, 8);
	if (!err)
		err = odict_entry_add(em, "id", ODICT_INT, (int64_t)ec->id);
	if (!err)
		err = odict_entry_add(em, "class", ODICT_STRING,
				      dial_class_name(ec->dial.cls));
	if (!err)
		err = odict_entry_add(em, "number", ODICT_STRING,
				      ec->dial.number);
	if (!err)
		err = odict_entry_add(em, "dialled", ODICT_STRING,
				      ec->dial.dialled);
	if (!err)
		err = odict_entry_add(
			em, "location_sent", ODICT_STRING,
			emergency_conveyance_name(ec->conveyance));
	if (!err && ec->place)
		err = odict_entry_add(em, "location_summary", ODICT_STRING,
				      ec->place);

	if (err)
		mem_deref(em);
	else
		*odp = em;
	return err;
}

/*
 * The INVITE is out with the location as it was (its real timestamp in the
 * PIDF-LO); if that is stale or missing, ask the LIS now for the quick
 * emergencyRouting answer, for re-INVITEs and the dispatcher's next look.
 * Never before the call, never waiting.
 */
static void location_refresh_if_stale(const struct e911 *m)
{
	struct odict *args = NULL, *res = NULL;
	const char *errmsg = NULL;

	if (m->have_loc && (!m->loc.expires || m->loc.expires > time(NULL)))
		return;

	if (!odict_alloc(&args, 1) && !odict_alloc(&res, 16) &&
	    !odict_entry_add(args, "routing", ODICT_BOOL, true))
		(void)bus_command_call("location.refresh", args, res, &errmsg);

	mem_deref(res);
	mem_deref(args);
}

static int cmd_dial(const struct odict *args, struct odict *result,
		    const char **errmsg, void *arg)
{
	struct e911 *m = arg;
	const char *target = odict_string(args, "uri");
	struct e911_call *ec = NULL;
	struct odict *em = NULL;
	struct dial_result d;
	struct ua *ua;
	int err;

	if (!target)
		target = odict_string(args, "number");
	if (!target || dialplan_classify(&m->policy, target, &d) ||
	    d.cls == DIAL_ORDINARY)
		return odict_entry_add(result, "handled", ODICT_BOOL, false);

	/* e911_enabled no (a site without an E9-1-1 provider): the number
	 * goes out as dialled on the account's ordinary path */
	if (!m->policy.e911_enabled) {
		info("e911: %s dialled with e911_enabled no: placed as an "
		     "ordinary call\n",
		     target);
		return odict_entry_add(result, "handled", ODICT_BOOL, false);
	}

	ua = e911_ua_choose(m, odict_string(args, "account"));
	if (!ua) {
		warning("e911: emergency call to %s: no account is "
			"configured\n",
			target);
		*errmsg = "no account is configured to place the emergency "
			  "call";
		return ENOENT;
	}

	err = e911_call_dial(m, ua, &d, &ec);
	if (err) {
		*errmsg = "the emergency call could not be placed on any route";
		return err;
	}

	location_refresh_if_stale(m);

	err = e911_call_encode(&em, ec);
	if (!err)
		err = odict_entry_add(result, "handled", ODICT_BOOL, true);
	if (!err)
		err = odict_entry_add(result, "call_id", ODICT_STRING,
				      call_id(ec->call) ? call_id(ec->call)
							: "");
	if (!err)
		err = odict_entry_add(result, "emergency", ODICT_OBJECT, em);

	mem_deref(em);
	return err;
}

/* "e911.call_info" {"call": ID}: the call's "emergency" object, or ENOENT
 * when it is not (or no longer) an emergency call; ctrl adds it to every
 * call object it sends. */
static int cmd_call_info(const struct odict *args, struct odict *result,
			 const char **errmsg, void *arg)
{
	const struct e911_call *ec =
		e911_call_by_id(arg, odict_string(args, "call"));
	struct odict *em = NULL;
	int err;

	if (!ec) {
		*errmsg = "not an emergency call";
		return ENOENT;
	}

	err = e911_call_encode(&em, ec);
	if (!err)
		err = odict_entry_add(result, "emergency", ODICT_OBJECT, em);

	mem_deref(em);
	return err;
}

static int cmd_preview(const struct odict *args, struct odict *result,
		       const char **errmsg, void *arg)
{
	return e911_preview(arg, args, result, errmsg);
}

/* "e911.call_check" {"call": ID, "action": "hold"|"transfer"}: EPERM for
 * an emergency call, which stays connected to the PSAP (issue 5 item 7). */
static int cmd_call_check(const struct odict *args, struct odict *result,
			  const char **errmsg, void *arg)
{
	(void)result;

	if (e911_call_by_id(arg, odict_string(args, "call"))) {
		*errmsg = "an emergency call cannot be put on hold or "
			  "transferred";
		return EPERM;
	}

	return 0;
}

/* The location module's record (BUS_TOPIC_LOCATION): kept as it came,
 * usage rules included, for the PIDF-LO built ahead of the call. */
static void location_take(struct e911 *m, const struct bus_location *bl)
{
	struct location loc;
	int err;

	if (!bl || !bl->loc)
		return;

	/* location.changed also says a new reason for the same record:
	 * the PIDF-LO built for it stays */
	if (location_equal(bl->loc, &m->loc))
		return;

	memset(&loc, 0, sizeof(loc));
	err = location_copy(&loc, bl->loc);
	if (err) {
		warning("e911: location record not taken: %m; keeping the "
			"previous one\n",
			err);
		return;
	}

	location_move(&m->loc, &loc);
	m->have_loc = location_has_value(&m->loc) || m->loc.uric > 0;
	++m->loc_gen;
	e911_invite_prebuild(m);
}

/* The attachment (BUS_TOPIC_NETWORK): the site it is at, and the device
 * identity for dm:deviceID. */
static void network_take(struct e911 *m, const struct bus_network *bn)
{
	if (!bn)
		return;

	e911_site_network(m, &bn->facts);

	if (!str_cmp(bn->id.device_id, m->device_id))
		return;

	str_ncpy(m->device_id, bn->id.device_id, sizeof(m->device_id));
	++m->loc_gen;
	e911_invite_prebuild(m);
}

static void topic_handler(const char *topic, const void *data, void *arg)
{
	struct e911 *m = arg;

	if (!str_cmp(topic, BUS_TOPIC_LOCATION))
		location_take(m, data);
	else if (!str_cmp(topic, BUS_TOPIC_NETWORK))
		network_take(m, data);
}

/* BUS_TOPIC_POLICY's data: the policy in force. */
const void *e911_policy_topic(const struct e911 *m)
{
	static struct bus_policy bp;

	bp.policy = &m->policy;
	return &bp;
}

static const void *policy_get(void *arg)
{
	return e911_policy_topic(arg);
}

/* What the location module already knows (NULL: none yet). */
static void state_fetch(struct e911 *m)
{
	location_take(m, bus_topic_get(BUS_TOPIC_LOCATION));
	network_take(m, bus_topic_get(BUS_TOPIC_NETWORK));
}

static void ua_event_handler(struct ua *ua, enum ua_event ev, struct call *call,
			     const char *prm, void *arg)
{
	e911_call_ua_event(arg, ua, ev, call, prm);

	/* a site change waits for the last emergency call to end */
	e911_site_idle(arg);
}

/* "e911.callback_window": {open, minutes} — may an incoming call be the
 * PSAP calling back?  ctrl lets such calls ring through do-not-disturb. */
static int cmd_callback_window(const struct odict *args, struct odict *result,
			       const char **errmsg, void *arg)
{
	const struct e911 *m = arg;
	int err;
	(void)args;
	(void)errmsg;

	err = odict_entry_add(result, "open", ODICT_BOOL,
			      e911_callback_window_open(m));
	if (!err)
		err = odict_entry_add(result, "minutes", ODICT_INT,
				      (int64_t)m->policy.callback_window);
	return err;
}

/* Fetch the served policy now; answers at once, policy.changed follows
 * the fetch (applied, or refused with served.error). */
static int cmd_policy_refresh(const struct odict *args, struct odict *result,
			      const char **errmsg, void *arg)
{
	struct e911 *m = arg;
	int err;
	(void)args;

	err = e911_site_refresh(m);
	if (err == ENOENT) {
		*errmsg = "no policy_url in the administrator's file";
		return err;
	}
	if (err)
		return err;

	return e911_site_encode(result, m);
}

static const struct {
	const char *name;
	bus_cmd_h *h;
} commands[] = {
	{"e911.policy.refresh", cmd_policy_refresh},
	{"e911.callback_window", cmd_callback_window},
	{"e911.policy", cmd_policy},
	{"e911.dial", cmd_dial},
	{"e911.preview", cmd_preview},
	{"e911.call_check", cmd_call_check},
	{"e911.call_info", cmd_call_info},
};

static int module_init(void)
{
	struct e911 *m = &e911;
	size_t i;
	int err;

	policy_files_load(m);
	e911_hook_resolve(m);
	paths_check(m);

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		err = bus_command_register(commands[i].name, commands[i].h, m);
		if (err)
			return err;
	}

	err = bus_topic_listen(topic_handler, m);
	if (!err)
		err = bus_topic_provide(BUS_TOPIC_POLICY, policy_get, m);
	if (err)
		return err;

	/* the location module, loaded first, waits for the policy: it
	 * reads no policy file itself */
	e911_site_announce(m);
	state_fetch(m);

	err = uag_event_register(ua_event_handler, m);
	if (err)
		return err;

	e911_call_spare(m);

	err = e911_audio_init(m);
	if (err)
		return err;

	if (!e911_hook_active(m))
		warning("e911: *** libsipbody is not loaded: emergency "
			"INVITEs cannot carry the PIDF-LO by value; the "
			"location goes by reference where the LIS gave a URI, "
			"else not at all. Run the phone through locphoned. "
			"***\n");

	info("e911: emergency dial strings %s..., %u diagnostics\n",
	     m->policy.dial_strings.v[0], list_count(&m->diag.msgl));
	return 0;
}

static int module_close(void)
{
	struct e911 *m = &e911;
	size_t i;

	e911_audio_close();
	uag_event_unregister(ua_event_handler);
	bus_topic_unprovide(BUS_TOPIC_POLICY);
	bus_topic_unlisten(topic_handler);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		bus_command_unregister(commands[i].name);

	e911_call_flush(m);
	m->spare = mem_deref(m->spare);
	e911_site_close(m);
	policy_reset(&m->policy);
	policy_diag_reset(&m->diag);
	policy_diag_reset(&m->warn);
	location_reset(&m->loc);
	mem_deref(m->pidf.doc);
	mem_deref(m->pre.place);
	mem_deref(m->pre.loc_uri);
	e911_memo_reset(m);
	memset(m, 0, sizeof(*m));
	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"e911",
	"application",
	module_init,
	module_close,
};
