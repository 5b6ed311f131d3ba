/* e911_invite: the PIDF-LO and headers of an emergency INVITE. */

#include <re.h>
#include <dlfcn.h>
#include <string.h>
#include <time.h>
#include "baresip-abi.h"
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "emergency.h"
#include "sipbody.h"
#include "e911.h"

/* gbp:retention-expiry: a day, as Asterisk does (standards.md §5.2). */
#define RETENTION_S (24 * 3600)

bool e911_hook_active(void)
{
	sipbody_active_h *active =
		(sipbody_active_h *)dlsym(RTLD_DEFAULT, SIPBODY_SYM_ACTIVE);

	return active && active() &&
	       dlsym(RTLD_DEFAULT, SIPBODY_SYM_ARM_REQUEST) != NULL;
}

static const char *caller_aor(const struct e911_call *ec)
{
	return ua_aor(ec->ua);
}

/* The PIDF-LO for this call from the latest record (none: ENOENT). */
static int pidf_make(struct e911_call *ec)
{
	const struct e911 *m = ec->m;
	bool ms = m->policy.signalling_profile == POLICY_PROFILE_MICROSOFT;
	struct pidf_params p;
	struct mbuf *mb;
	char seed[32];
	int err;

	if (!m->policy.e911_enabled || !location_has_value(&m->loc))
		return ENOENT;

	/* ids unique per call: RFC 5491 documents may be merged */
	(void)re_snprintf(seed, sizeof(seed), "e%u-%08x", ec->id, rand_u32());

	memset(&p, 0, sizeof(p));
	p.profile = ms ? PIDF_PROFILE_MICROSOFT : PIDF_PROFILE_RFC5491;
	p.entity = caller_aor(ec);
	p.device_id = m->device_id[0] ? m->device_id : NULL;
	p.id_seed = seed;
	p.retention_expiry = time(NULL) + RETENTION_S;
	p.retransmission_allowed = true; /* the PSAP may pass it on */
	p.conference_uri = ms ? m->policy.conference_uri : NULL;
	p.conference_mode =
		m->policy.conference_mode == POLICY_CONFERENCE_TWOWAY
			? PIDF_CONFERENCE_TWOWAY
			: PIDF_CONFERENCE_ONEWAY;

	err = emergency_cid_make(ec->cid, sizeof(ec->cid),
				 m->policy.signalling_profile, seed, p.entity);
	if (err)
		return err;

	mb = mbuf_alloc(4096);
	if (!mb)
		return ENOMEM;

	err = pidf_build(mb, &m->loc, &p);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, &ec->pidf, mb->end);
	}

	mem_deref(mb);
	return err;
}

int e911_invite_prepare(struct e911_call *ec)
{
	const struct e911 *m = ec->m;
	int err;

	err = pidf_make(ec);
	if (err && err != ENOENT)
		warning("e911: call %u: no PIDF-LO (%m); the call goes out "
			"without it\n",
			ec->id, err);

	if (m->policy.e911_enabled && m->loc.uric)
		err = str_dup(&ec->loc_uri, m->loc.uriv[0].uri);
	else
		err = 0;

	if (ec->pidf)
		ec->conveyance = EMERGENCY_LOCATION_BY_VALUE;
	else if (ec->loc_uri)
		ec->conveyance = EMERGENCY_LOCATION_BY_REFERENCE;
	else
		ec->conveyance = EMERGENCY_LOCATION_NONE;

	return err;
}

/* The headers for the current attempt into ec->hdrs / ec->part_hdrs. */
static int headers_make(struct e911_call *ec, bool hook)
{
	const struct e911 *m = ec->m;
	struct emergency_header_params hp;
	char elin[EMERGENCY_URI_MAX];
	int err;

	/* by value needs the hook; by reference is a header only */
	if (!hook && ec->conveyance == EMERGENCY_LOCATION_BY_VALUE)
		ec->conveyance = ec->loc_uri ? EMERGENCY_LOCATION_BY_REFERENCE
					     : EMERGENCY_LOCATION_NONE;

	memset(&hp, 0, sizeof(hp));
	hp.profile = m->policy.signalling_profile;
	hp.conveyance = ec->conveyance;
	hp.cid = ec->cid;
	/* by value, the URI is not added as a second value: no policy
	 * setting asks for it yet (issue 5 item 4) */
	hp.loc_uri = ec->conveyance == EMERGENCY_LOCATION_BY_REFERENCE
			     ? ec->loc_uri
			     : NULL;
	hp.caller_aor = caller_aor(ec);
	hp.priority_emergency = ec->dial.cls == DIAL_EMERGENCY;
	if (m->policy.elin_identity == POLICY_ELIN_PAI && m->loc.elin &&
	    !emergency_elin_uri_make(elin, sizeof(elin), m->loc.elin,
				     hp.caller_aor))
		hp.pai_uri = elin;

	ec->hdrs = mem_deref(ec->hdrs);
	ec->part_hdrs = mem_deref(ec->part_hdrs);

	err = re_sdprintf(&ec->hdrs, "%H", emergency_headers_print, &hp);
	if (!err && ec->conveyance == EMERGENCY_LOCATION_BY_VALUE)
		err = re_sdprintf(&ec->part_hdrs, "%H",
				  emergency_part_headers_print, ec->cid);

	return err;
}

/* Without the hook: baresip's own custom headers for this call. */
static void headers_fallback(struct e911_call *ec, struct call *call)
{
	struct list hdrs = LIST_INIT;
	struct sip_hdr hv[8];
	struct pl rest;
	size_t n = 0;

	pl_set_str(&rest, ec->hdrs);
	while (rest.l && n < ARRAY_SIZE(hv)) {
		struct pl line, name, val;
		/* ec->hdrs holds complete CRLF lines (emergency.c) */
		const char *crlf = pl_strchr(&rest, '\r');

		if (!crlf || (size_t)(crlf - rest.p) + 2 > rest.l)
			break;
		line.p = rest.p;
		line.l = (size_t)(crlf - rest.p);
		pl_advance(&rest, line.l + 2);

		if (re_regex(line.p, line.l, "[^:]+:[ ]*[^]*", &name, NULL,
			     &val))
			continue;

		memset(&hv[n], 0, sizeof(hv[n]));
		hv[n].name = name;
		hv[n].val = val;
		list_append(&hdrs, &hv[n].le, &hv[n]);
		++n;
	}

	/* copied by baresip, printed into the INVITE it is about to send */
	call_set_custom_hdrs(call, &hdrs);
}

int e911_invite_arm(struct e911_call *ec, struct call *call)
{
	sipbody_arm_request_h *arm = NULL;
	struct sipbody_request rq;
	bool hook = e911_hook_active();
	int err;

	if (hook)
		arm = (sipbody_arm_request_h *)dlsym(RTLD_DEFAULT,
						     SIPBODY_SYM_ARM_REQUEST);

	err = headers_make(ec, arm != NULL);
	if (err)
		return err;

	str_ncpy(ec->req_uri, call_peeruri(call), sizeof(ec->req_uri));
	ec->hooked = false;

	if (arm) {
		memset(&rq, 0, sizeof(rq));
		rq.match_uri = call_peeruri(call);
		if (ec->target.req_uri[0])
			rq.req_uri = ec->target.req_uri;
		/* the account route keeps the account's outbound proxy */
		if (ec->target.kind != EMERGENCY_ROUTE_ACCOUNT)
			rq.route = ec->target.next_hop;
		rq.hdrs = ec->hdrs;
		if (ec->conveyance == EMERGENCY_LOCATION_BY_VALUE) {
			rq.part_hdrs = ec->part_hdrs;
			rq.part = (const uint8_t *)ec->pidf;
			rq.part_len = strlen(ec->pidf);
		}
		ec->hook = arm(&rq);
		ec->hooked = ec->hook != 0;
		if (ec->hooked && rq.req_uri)
			str_ncpy(ec->req_uri, rq.req_uri, sizeof(ec->req_uri));
	}

	if (!ec->hooked) {
		warning("e911: *** call %u: the INVITE body hook is not "
			"active: %s, sent to %s ***\n",
			ec->id,
			ec->conveyance == EMERGENCY_LOCATION_BY_REFERENCE
				? "location by reference only"
				: "no location in the INVITE",
			call_peeruri(call));
		if (arm)
			err = headers_make(ec, false);
		if (!err)
			headers_fallback(ec, call);
	}

	return err;
}

void e911_invite_release(struct e911_call *ec)
{
	sipbody_release_h *release;

	if (!ec->hook)
		return;

	release = (sipbody_release_h *)dlsym(RTLD_DEFAULT, SIPBODY_SYM_RELEASE);
	if (release)
		release(ec->hook);
	ec->hook = 0;
}

static int add_str_or_null(struct odict *od, const char *key, const char *v)
{
	if (!v || !*v)
		return odict_entry_add(od, key, ODICT_NULL);

	return odict_entry_add(od, key, ODICT_STRING, v);
}

static const char *route_kind_name(enum emergency_route_kind k)
{
	switch (k) {
	case EMERGENCY_ROUTE_DIRECT:
		return "direct";
	case EMERGENCY_ROUTE_PROXIED:
		return "proxied";
	default:
		return "account";
	}
}

/* What the current attempt sends: the fields of emergency.started,
 * emergency.failover and e911.preview. */
int e911_invite_encode(struct odict *od, const struct e911_call *ec)
{
	const struct location *loc = &ec->m->loc;
	bool by_value = ec->conveyance == EMERGENCY_LOCATION_BY_VALUE;
	int err;

	err = odict_entry_add(od, "id", ODICT_INT, (int64_t)ec->id);
	if (!err)
		err = odict_entry_add(od, "class", ODICT_STRING,
				      dial_class_name(ec->dial.cls));
	if (!err)
		err = odict_entry_add(od, "number", ODICT_STRING,
				      ec->dial.number);
	if (!err)
		err = odict_entry_add(od, "dialled", ODICT_STRING,
				      ec->dial.dialled);
	if (!err)
		err = odict_entry_add(od, "account", ODICT_STRING,
				      caller_aor(ec));
	if (!err)
		err = odict_entry_add(od, "route", ODICT_STRING,
				      ec->route ? "secondary" : "primary");
	if (!err)
		err = odict_entry_add(od, "route_kind", ODICT_STRING,
				      route_kind_name(ec->target.kind));
	if (!err)
		err = add_str_or_null(od, "request_uri", ec->req_uri);
	if (!err)
		err = add_str_or_null(od, "next_hop", ec->target.next_hop);
	if (!err)
		err = odict_entry_add(
			od, "location", ODICT_STRING,
			emergency_conveyance_name(ec->conveyance));
	if (!err)
		err = add_str_or_null(
			od, "location_source",
			ec->conveyance == EMERGENCY_LOCATION_NONE
				? NULL
				: location_source_name(loc->source));
	if (!err)
		err = odict_entry_add(od, "body_hook", ODICT_BOOL, ec->hooked);
	if (!err)
		err = odict_entry_add(od, "headers", ODICT_STRING,
				      ec->hdrs ? ec->hdrs : "");
	if (!err)
		err = add_str_or_null(od, "part_headers",
				      by_value ? ec->part_hdrs : NULL);
	if (!err)
		err = add_str_or_null(od, "pidf", by_value ? ec->pidf : NULL);

	return err;
}

/* The account route's Request-URI as baresip will complete it. */
static void account_req_uri(struct e911_call *ec)
{
	struct mbuf *mb = mbuf_alloc(128);

	if (mb && !ua_uri_complete(ec->ua, mb, ec->target.dial_uri))
		(void)re_snprintf(ec->req_uri, sizeof(ec->req_uri), "%b",
				  mb->buf, mb->end);
	mem_deref(mb);
}

int e911_preview(struct e911 *m, const struct odict *args, struct odict *result,
		 const char **errmsg)
{
	const char *number = odict_string(args, "number");
	struct e911_call *ec = NULL;
	struct emergency_target second;
	struct dial_result d;
	struct ua *ua;
	int err;

	if (!number)
		number = m->policy.dial_strings.v[0];
	if (dialplan_classify(&m->policy, number, &d) ||
	    d.cls == DIAL_ORDINARY) {
		*errmsg = "not an emergency or test number";
		return EINVAL;
	}

	ua = e911_ua_choose(m, odict_string(args, "account"));
	if (!ua) {
		*errmsg = "no account is configured";
		return ENOENT;
	}

	err = e911_call_alloc(&ec, m, ua, &d);
	if (err)
		return err;

	err = emergency_target_plan(&ec->target, &m->policy, 0, &d);
	if (!err)
		err = e911_invite_prepare(ec);
	if (!err)
		err = headers_make(ec, e911_hook_active());
	if (err) {
		*errmsg = "the INVITE could not be composed";
		goto out;
	}

	if (ec->target.req_uri[0])
		str_ncpy(ec->req_uri, ec->target.req_uri, sizeof(ec->req_uri));
	else
		account_req_uri(ec);
	ec->hooked = e911_hook_active();

	err = e911_invite_encode(result, ec);
	if (!err && !emergency_target_plan(&second, &m->policy, 1, &d))
		err = odict_entry_add(
			result, "secondary_request_uri", ODICT_STRING,
			second.req_uri[0] ? second.req_uri : second.dial_uri);
	if (!err)
		err = odict_entry_add(
			result, "notification_uris", ODICT_INT,
			(int64_t)m->policy.notification_uri_count);

out:
	mem_deref(ec);
	return err;
}
