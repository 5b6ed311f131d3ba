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
#include "siptransport.h"
#include "e911.h"

/* gbp:retention-expiry: a day, as Asterisk does (standards.md §5.2). */
#define RETENTION_S (24 * 3600)

/* Look libsipbody's functions up once: they do not come and go. */
void e911_hook_resolve(struct e911 *m)
{
	sipbody_active_h *active =
		(sipbody_active_h *)dlsym(RTLD_DEFAULT, SIPBODY_SYM_ACTIVE);

	m->hook_arm = NULL;
	m->hook_release = NULL;
	if (!active || !active())
		return;

	m->hook_arm = (sipbody_arm_request_h *)dlsym(RTLD_DEFAULT,
						     SIPBODY_SYM_ARM_REQUEST);
	m->hook_release =
		(sipbody_release_h *)dlsym(RTLD_DEFAULT, SIPBODY_SYM_RELEASE);
	if (!m->hook_release)
		m->hook_arm = NULL;
}

bool e911_hook_active(const struct e911 *m)
{
	return m->hook_arm != NULL;
}

static const char *caller_aor(const struct e911_call *ec)
{
	return ua_aor(ec->ua);
}

/* Build the PIDF-LO of the latest record for calls from ua. */
static int pidf_build_for(struct e911 *m, struct ua *ua)
{
	bool ms = m->policy.signalling_profile == POLICY_PROFILE_MICROSOFT;
	struct pidf_params p;
	struct mbuf *mb;
	char seed[32];
	char *doc = NULL;
	time_t now = time(NULL);
	int err;

	/* element ids unique per document, in case a PSAP merges them */
	(void)re_snprintf(seed, sizeof(seed), "l%u-%08x", m->loc_gen,
			  rand_u32());

	memset(&p, 0, sizeof(p));
	p.profile = ms ? PIDF_PROFILE_MICROSOFT : PIDF_PROFILE_RFC5491;
	p.entity = ua_aor(ua);
	p.device_id = m->device_id[0] ? m->device_id : NULL;
	p.id_seed = seed;
	/* the LIS's usage rules stand (RFC 4119 §2.2: the Rule Maker's);
	 * without them, the PSAP may pass the location on and keep it a
	 * day (standards.md §5.2) */
	p.retention_expiry = m->loc.usage.retention_expiry
				     ? m->loc.usage.retention_expiry
				     : now + RETENTION_S;
	p.retransmission_allowed = m->loc.usage.retransmission_given
					   ? m->loc.usage.retransmission_allowed
					   : true;
	p.conference_uri = ms ? m->policy.conference_uri : NULL;
	p.conference_mode =
		m->policy.conference_mode == POLICY_CONFERENCE_TWOWAY
			? PIDF_CONFERENCE_TWOWAY
			: PIDF_CONFERENCE_ONEWAY;

	err = emergency_cid_make(m->pidf.cid, sizeof(m->pidf.cid),
				 m->policy.signalling_profile, seed, p.entity);
	if (err)
		return err;

	mb = mbuf_alloc(4096);
	if (!mb)
		return ENOMEM;

	err = pidf_build(mb, &m->loc, &p);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, &doc, mb->end);
	}
	mem_deref(mb);
	if (err)
		return err;

	mem_deref(m->pidf.doc);
	m->pidf.doc = doc;
	m->pidf.gen = m->loc_gen;
	m->pidf.ua = ua;
	m->pidf.built = now;
	return 0;
}

/* The cached document is for this record, this caller, and its
 * retention-expiry is still most of a day ahead. */
static bool pidf_fresh(const struct e911 *m, const struct ua *ua)
{
	return m->pidf.doc && m->pidf.gen == m->loc_gen && m->pidf.ua == ua &&
	       time(NULL) - m->pidf.built < RETENTION_S / 24;
}

/* Rebuild the cached PIDF-LO if it is not for this record and caller. */
void e911_pidf_refresh(struct e911 *m, struct ua *ua)
{
	int err;

	if (!ua || !m->policy.e911_enabled || !location_has_value(&m->loc) ||
	    pidf_fresh(m, ua))
		return;

	err = pidf_build_for(m, ua);
	if (err)
		warning("e911: cannot build the PIDF-LO for %s: %m\n",
			ua_aor(ua), err);
}

/* The record's words and URI, made once per record (m->pre). */
static void pre_refresh(struct e911 *m)
{
	if (m->pre.gen == m->loc_gen && (m->pre.place || m->pre.loc_uri))
		return;

	m->pre.place = mem_deref(m->pre.place);
	m->pre.loc_uri = mem_deref(m->pre.loc_uri);
	if (location_has_value(&m->loc) &&
	    re_sdprintf(&m->pre.place, "%H", emergency_place_print, &m->loc))
		m->pre.place = NULL;
	if (m->loc.uric && str_dup(&m->pre.loc_uri, m->loc.uriv[0].uri))
		m->pre.loc_uri = NULL;
	m->pre.gen = m->loc_gen;
}

/* The PIDF-LO for this call from the latest record (none: ENOENT). */
static int pidf_make(struct e911_call *ec)
{
	struct e911 *m = ec->m;

	if (!m->policy.e911_enabled || !location_has_value(&m->loc))
		return ENOENT;

	e911_pidf_refresh(m, ec->ua);
	if (!pidf_fresh(m, ec->ua))
		return EINVAL;

	str_ncpy(ec->cid, m->pidf.cid, sizeof(ec->cid));
	ec->pidf = mem_ref(m->pidf.doc);
	return 0;
}

int e911_invite_prepare(struct e911_call *ec)
{
	struct e911 *m = ec->m;
	int err;

	err = pidf_make(ec);
	if (err && err != ENOENT)
		warning("e911: call %u: no PIDF-LO (%m); the call goes out "
			"without it\n",
			ec->id, err);

	pre_refresh(m);
	err = 0;
	if (m->policy.e911_enabled && m->loc.uric)
		ec->loc_uri = mem_ref(m->pre.loc_uri);
	if (m->policy.e911_enabled && m->loc.uric && !ec->loc_uri)
		err = ENOMEM;

	if (ec->pidf)
		ec->conveyance = EMERGENCY_LOCATION_BY_VALUE;
	else if (ec->loc_uri)
		ec->conveyance = EMERGENCY_LOCATION_BY_REFERENCE;
	else
		ec->conveyance = EMERGENCY_LOCATION_NONE;

	/* what the dispatcher is given, in words for the caller's screen
	 * (made with the record; losing it only loses the words) */
	if (ec->conveyance != EMERGENCY_LOCATION_NONE &&
	    location_has_value(&m->loc))
		ec->place = mem_ref(m->pre.place);

	return err;
}

/* The next hop an attempt on t goes to, as libre picks it: the route's
 * proxy, else a direct route's host, else the account's outbound proxy;
 * NULL where it is the completed dial string (no proxy at all). */
const char *e911_route_hop(struct ua *ua, const struct emergency_target *t)
{
	if (t->kind != EMERGENCY_ROUTE_ACCOUNT)
		return t->next_hop[0] ? t->next_hop : t->req_uri;

	return ua ? account_outbound(ua_account(ua), 0) : NULL;
}

bool e911_route_pins_udp(struct ua *ua, const struct emergency_target *t)
{
	return siptransport_of(e911_route_hop(ua, t)) == SIPTRANSPORT_UDP;
}

/* Room for baresip's SDP offer and the multipart framing, which are not
 * known before the INVITE is made (one audio stream, its codecs). */
#define SDP_ROOM 700

/* An INVITE carrying the PIDF-LO by value stays within 1300 bytes. */
bool e911_by_value_fits_udp(const struct e911_call *ec)
{
	size_t uri = strlen(ec->target.req_uri) + strlen(ec->target.dial_uri);

	if (!ec->pidf)
		return true;

	return !siptransport_stream_needed(siptransport_invite_estimate(
		strlen(ec->pidf) + SDP_ROOM, 0, 3 * uri));
}

void e911_memo_reset(struct e911 *m)
{
	m->memo.hdrl = mem_deref(m->memo.hdrl);
	m->memo.loc_uri = mem_deref(m->memo.loc_uri);
	m->memo.aor = mem_deref(m->memo.aor);
	m->memo.pai = mem_deref(m->memo.pai);
	memset(&m->memo.hp, 0, sizeof(m->memo.hp));
}

/* Both NULL, or the same text (libre's str_cmp calls two NULLs unequal). */
static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The memo was made from exactly these parameters. */
static bool memo_matches(const struct e911 *m,
			 const struct emergency_header_params *hp)
{
	const struct emergency_header_params *mh = &m->memo.hp;

	return m->memo.hdrl && mh->profile == hp->profile &&
	       mh->conveyance == hp->conveyance &&
	       mh->priority_emergency == hp->priority_emergency &&
	       same_str(m->memo.cid, hp->cid) &&
	       same_str(m->memo.loc_uri, hp->loc_uri) &&
	       same_str(m->memo.aor, hp->caller_aor) &&
	       same_str(m->memo.pai, hp->pai_uri);
}

/* Keep what was made from hp (a failure only loses the memo). */
static void memo_store(struct e911 *m, const struct emergency_header_params *hp,
		       struct e911_hdrs *hdrl)
{
	e911_memo_reset(m);
	if ((hp->loc_uri && str_dup(&m->memo.loc_uri, hp->loc_uri)) ||
	    (hp->caller_aor && str_dup(&m->memo.aor, hp->caller_aor)) ||
	    (hp->pai_uri && str_dup(&m->memo.pai, hp->pai_uri))) {
		e911_memo_reset(m);
		return;
	}
	str_ncpy(m->memo.cid, hp->cid ? hp->cid : "", sizeof(m->memo.cid));
	m->memo.hp = *hp;
	m->memo.hp.cid = m->memo.cid;
	m->memo.hp.loc_uri = m->memo.loc_uri;
	m->memo.hp.caller_aor = m->memo.aor;
	m->memo.hp.pai_uri = m->memo.pai;
	m->memo.hdrl = mem_ref(hdrl);
}

static void hdrs_destructor(void *arg)
{
	struct e911_hdrs *h = arg;

	emergency_hdrs_reset(&h->list);
	mem_deref(h->text);
	mem_deref(h->part_text);
}

/* The headers for hp (with the part's for cid when by value): the memo's
 * if it was made from the same, else made now and memoised. */
static int hdrs_get(struct e911_hdrs **hp_out, struct e911 *m,
		    const struct emergency_header_params *hp)
{
	struct e911_hdrs *h;
	int err;

	if (memo_matches(m, hp)) {
		*hp_out = mem_ref(m->memo.hdrl);
		return 0;
	}

	h = mem_zalloc(sizeof(*h), hdrs_destructor);
	if (!h)
		return ENOMEM;

	err = emergency_headers_make(&h->list, hp);
	if (!err)
		err = re_sdprintf(&h->text, "%H", emergency_hdrs_print,
				  &h->list);
	if (!err && hp->conveyance == EMERGENCY_LOCATION_BY_VALUE)
		err = re_sdprintf(&h->part_text, "%H",
				  emergency_part_headers_print, hp->cid);
	if (err) {
		mem_deref(h);
		return err;
	}

	memo_store(m, hp, h);
	*hp_out = h;
	return 0;
}

/* The header parameters of a call from ua: the conveyance, the cid and
 * URI of its location, its class; elin holds the P-Asserted-Identity. */
static void params_fill(struct emergency_header_params *hp,
			const struct e911 *m, struct ua *ua,
			enum emergency_conveyance conveyance, const char *cid,
			const char *loc_uri, bool priority, char *elin,
			size_t elin_size)
{
	memset(hp, 0, sizeof(*hp));
	hp->profile = m->policy.signalling_profile;
	hp->conveyance = conveyance;
	hp->cid = cid;
	/* by value, the LIS's URI follows as a second value if the policy
	 * asks for it */
	if (conveyance == EMERGENCY_LOCATION_BY_REFERENCE ||
	    (conveyance == EMERGENCY_LOCATION_BY_VALUE &&
	     m->policy.send_location_uri))
		hp->loc_uri = loc_uri;
	hp->caller_aor = ua_aor(ua);
	hp->priority_emergency = priority;
	if (m->policy.elin_identity == POLICY_ELIN_PAI && m->loc.elin &&
	    !emergency_elin_uri_make(elin, elin_size, m->loc.elin,
				     hp->caller_aor))
		hp->pai_uri = elin;
}

/* The headers for the current attempt into ec->hdrl (ec->hdrs and
 * ec->part_hdrs its text). */
static int headers_make(struct e911_call *ec, bool hook)
{
	struct e911 *m = ec->m;
	struct emergency_header_params hp;
	char elin[EMERGENCY_URI_MAX];
	struct e911_hdrs *h = NULL;
	int err;

	/* by value needs the hook; by reference is a header only */
	if (!hook && ec->conveyance == EMERGENCY_LOCATION_BY_VALUE)
		ec->conveyance = ec->loc_uri ? EMERGENCY_LOCATION_BY_REFERENCE
					     : EMERGENCY_LOCATION_NONE;

	params_fill(&hp, m, ec->ua, ec->conveyance, ec->cid, ec->loc_uri,
		    ec->dial.cls == DIAL_EMERGENCY, elin, sizeof(elin));

	ec->hdrl = mem_deref(ec->hdrl);
	ec->hdrs = mem_deref(ec->hdrs);
	ec->part_hdrs = mem_deref(ec->part_hdrs);

	err = hdrs_get(&h, m, &hp);
	if (err)
		return err;

	ec->hdrl = h;
	ec->hdrs = mem_ref(h->text);
	ec->part_hdrs = mem_ref(h->part_text);
	return 0;
}

/*
 * What a call sends that follows from the record alone, made when the
 * record (or the device id, or the policy) changes rather than when the
 * number is dialled: the PIDF-LO (e911_pidf_refresh), the location in
 * words, its URI, and the first route's headers for the default account,
 * by value, so that the call finds them in the memo.
 */
void e911_invite_prebuild(struct e911 *m)
{
	struct emergency_header_params hp;
	char elin[EMERGENCY_URI_MAX];
	struct e911_hdrs *h = NULL;
	struct ua *ua = e911_ua_choose(m, NULL);

	pre_refresh(m);
	e911_pidf_refresh(m, ua);
	if (!ua || !m->policy.e911_enabled || !e911_hook_active(m) ||
	    !m->pidf.doc || m->pidf.ua != ua)
		return;

	params_fill(&hp, m, ua, EMERGENCY_LOCATION_BY_VALUE, m->pidf.cid,
		    m->pre.loc_uri, true, elin, sizeof(elin));
	if (!hdrs_get(&h, m, &hp))
		mem_deref(h);
}

/* Without the hook: baresip's own custom headers for this call, from the
 * list (nothing is printed and parsed back). */
static void headers_fallback(struct e911_call *ec, struct call *call)
{
	struct list hdrs = LIST_INIT;
	struct sip_hdr hv[EMERGENCY_HDRS_MAX];
	size_t i, n = 0;

	for (i = 0; ec->hdrl && i < ec->hdrl->list.c && n < ARRAY_SIZE(hv);
	     i++) {
		const struct emergency_hdr *eh = &ec->hdrl->list.v[i];

		memset(&hv[n], 0, sizeof(hv[n]));
		pl_set_str(&hv[n].name, eh->name);
		pl_set_str(&hv[n].val, eh->value);
		list_append(&hdrs, &hv[n].le, &hv[n]);
		++n;
	}

	/* copied by baresip, printed into the INVITE it is about to send */
	call_set_custom_hdrs(call, &hdrs);
}

/* The To for the Request-URI in ec->req_uri (emergency_to_uri_make);
 * the Request-URI itself if the digits cannot be shown. */
static void to_uri_make(struct e911_call *ec)
{
	int err = emergency_to_uri_make(
		ec->to_uri, sizeof(ec->to_uri), ec->req_uri, &ec->dial,
		ec->m->policy.signalling_profile, caller_aor(ec));

	if (err) {
		warning("e911: call %u: the dialled digits cannot go into the "
			"To (%m); it repeats the Request-URI\n",
			ec->id, err);
		str_ncpy(ec->to_uri, ec->req_uri, sizeof(ec->to_uri));
	}
}

/* libsipbody refused to put call ec on hold: baresip has already held
 * its own media, resume them (the re-INVITE is not sent). */
static void hold_refused(unsigned handle, void *arg)
{
	struct e911_call *ec = arg; /* the hook never outlives it */
	(void)handle;

	if (!ec->call)
		return;

	warning("e911: call %u: hold refused, the emergency call goes on\n",
		ec->id);
	(void)call_hold(ec->call, false);
}

/* libsipbody heard an ICMP error for the INVITE's next hop. */
static void hop_unreachable(unsigned handle, int err, void *arg)
{
	struct e911_call *ec = arg; /* the hook never outlives it */
	(void)handle;

	e911_call_unreachable(ec, err);
}

int e911_invite_arm(struct e911_call *ec, struct call *call)
{
	sipbody_arm_request_h *arm = ec->m->hook_arm;
	struct sipbody_request rq;
	int err;

	err = headers_make(ec, arm != NULL);
	if (err)
		return err;

	ec->hooked = false;

	if (arm) {
		memset(&rq, 0, sizeof(rq));
		rq.match_uri = call_peeruri(call);
		if (ec->target.req_uri[0])
			rq.req_uri = ec->target.req_uri;
		/* the account route keeps the account's outbound proxy */
		if (ec->target.kind != EMERGENCY_ROUTE_ACCOUNT)
			rq.route = ec->target.next_hop;
		str_ncpy(ec->req_uri, rq.req_uri ? rq.req_uri : rq.match_uri,
			 sizeof(ec->req_uri));
		to_uri_make(ec);
		if (strcmp(ec->to_uri, ec->req_uri))
			rq.to_uri = ec->to_uri;
		rq.locked = true;
		rq.fit_transport = !ec->udp_only; /* RFC 3261 §18.1.1 */
		rq.held = hold_refused;
		rq.unreachable = hop_unreachable;
		rq.arg = ec;
		rq.hdrs = ec->hdrs;
		if (ec->conveyance == EMERGENCY_LOCATION_BY_VALUE) {
			rq.part_hdrs = ec->part_hdrs;
			rq.part = (const uint8_t *)ec->pidf;
			rq.part_len = strlen(ec->pidf);
		}
		ec->hook = arm(&rq);
		ec->hooked = ec->hook != 0;
	}

	if (!ec->hooked) {
		/* libre sends baresip's URI as Request-URI and To */
		str_ncpy(ec->req_uri, call_peeruri(call), sizeof(ec->req_uri));
		str_ncpy(ec->to_uri, ec->req_uri, sizeof(ec->to_uri));
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
	if (!ec->hook)
		return;

	if (ec->m->hook_release)
		ec->m->hook_release(ec->hook);
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
		err = add_str_or_null(od, "to", ec->to_uri);
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
		err = headers_make(ec, e911_hook_active(m));
	if (err) {
		*errmsg = "the INVITE could not be composed";
		goto out;
	}

	if (ec->target.req_uri[0])
		str_ncpy(ec->req_uri, ec->target.req_uri, sizeof(ec->req_uri));
	else
		account_req_uri(ec);
	ec->hooked = e911_hook_active(m);
	if (ec->hooked)
		to_uri_make(ec);
	else
		str_ncpy(ec->to_uri, ec->req_uri, sizeof(ec->to_uri));

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
