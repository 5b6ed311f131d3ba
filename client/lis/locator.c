/* locator: LIS queries, per-network cache and the choice of location. */

#include <re.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "atomicfile.h"
#include "civic.h"
#include "ctlproto.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "lis_client.h"
#include "locator.h"

#define FP_SIZE	  17
#define STATE_MAX (64u * 1024u)

/* After a failed ask the LIS is asked again this soon, then twice as late
 * each time up to refresh_interval: an outage ends without waiting hours
 * for the next refresh, and a fleet of phones does not hammer a LIS that
 * is down. */
#define RETRY_FIRST_S 15u

/*
 * A LIS answer, kept until it expires, for the exact evidence it was asked
 * with: a move to another switch port in the same network asks again.
 */
struct cached {
	struct le le;
	struct mbuf *request;
	struct location loc;
};

/*
 * A LIS that answered notLocatable on one network (RFC 5985: do not ask it
 * again from there).  The network is its layer-3 identity, gateway and
 * subnet, which is known at once and stays put while the gateway's MAC and
 * the switch's LLDP arrive.
 */
#define NETKEY_SIZE 128

struct not_here {
	struct le le;
	char netkey[NETKEY_SIZE];
	enum lis_server server;
};

struct locator {
	struct locator_config cfg;
	char *discovered_url; /* the LIS found by discovery, if any */
	struct lis_client *lc;
	struct lis_query *q;
	struct tmr refresh;
	char fp[FP_SIZE];
	char netkey[NETKEY_SIZE];
	char *aor;
	struct locsource_request *req; /* NULL: nothing to ask with */
	struct mbuf *asked; /* the last request sent, to skip repeats */
	bool vpn;
	bool attached; /* a gateway or a VPN */
	bool ask;      /* locsource_ask of the last choice */
	struct location lldp_loc;
	struct location manual;
	char *manual_name;
	enum locsource_lis lis;
	char lis_detail[192];
	char lis_error[192]; /* the last failure, until an answer or NONE */
	struct location lis_loc;
	char lis_fp[FP_SIZE]; /* the network lis_loc was given for */
	struct location current;
	/* current is lis_loc kept through a failure, until it expires (then
	 * the expiry timer chooses again) */
	enum locsource_keep stale;
	struct tmr expiry;
	uint32_t retry_s; /* the next retry after a failure; 0: none */
	char reason[320];
	struct list cache;
	struct list not_here;
	/* the last good answer of an earlier run, and its network */
	char remembered_fp[FP_SIZE];
	struct location remembered;
	locator_change_h *changeh;
	void *arg;
};

static void cached_destructor(void *arg)
{
	struct cached *c = arg;

	list_unlink(&c->le);
	mem_deref(c->request);
	location_reset(&c->loc);
}

static void not_here_destructor(void *arg)
{
	struct not_here *n = arg;

	list_unlink(&n->le);
}

static void destructor(void *arg)
{
	struct locator *l = arg;

	tmr_cancel(&l->refresh);
	tmr_cancel(&l->expiry);
	l->q = mem_deref(l->q);
	mem_deref(l->lc);
	mem_deref(l->discovered_url);
	mem_deref(l->aor);
	mem_deref(l->req);
	mem_deref(l->asked);
	list_flush(&l->cache);
	list_flush(&l->not_here);
	location_reset(&l->lldp_loc);
	location_reset(&l->lis_loc);
	location_reset(&l->manual);
	mem_deref(l->manual_name);
	location_reset(&l->current);
	location_reset(&l->remembered);
}

static bool mbuf_same(const struct mbuf *a, const struct mbuf *b)
{
	return a && b && a->end == b->end && !memcmp(a->buf, b->buf, a->end);
}

/* The request that would go out now (dispatch), or NULL. */
static struct mbuf *request_now(const struct locator *l)
{
	struct mbuf *mb;

	if (!l->req)
		return NULL;

	mb = mbuf_alloc(2048);
	if (!mb)
		return NULL;

	l->req->req.response_time = HELD_RESPONSE_TIME_EMERGENCY_DISPATCH;
	if (held_request_encode(mb, &l->req->req))
		return mem_deref(mb);

	return mb;
}

static struct cached *cache_find(const struct locator *l,
				 const struct mbuf *request)
{
	const time_t now = time(NULL);
	struct le *le;

	for (le = l->cache.head; le; le = le->next) {
		struct cached *c = le->data;

		if (mbuf_same(c->request, request) &&
		    (!c->loc.expires || c->loc.expires > now))
			return c;
	}

	return NULL;
}

static bool not_here_has(const struct locator *l, enum lis_server s)
{
	struct le *le;

	for (le = l->not_here.head; le; le = le->next) {
		const struct not_here *n = le->data;

		if (n->server == s && !str_cmp(n->netkey, l->netkey))
			return true;
	}

	return false;
}

static void decide(struct locator *l);

static void expiry_handler(void *arg)
{
	decide(arg);
}

/* Choose again; tell the listener if the answer or its reason changed. */
static void decide(struct locator *l)
{
	const time_t now = time(NULL);
	struct locsource_inputs in = {
		.attached = l->attached,
		.vpn = l->vpn,
		.lis = l->lis,
		.lis_detail = l->lis_detail,
		.lis_loc = &l->lis_loc,
		.lldp_loc = &l->lldp_loc,
		.manual_loc = &l->manual,
		.manual_name = l->manual_name,
		.lis_fp = l->lis_fp,
		.fp = l->fp,
		.now = now,
	};
	struct location next;
	char reason[sizeof(l->reason)];

	memset(&next, 0, sizeof(next));
	if (locsource_choose(&next, reason, sizeof(reason), &in))
		return;
	l->ask = locsource_ask(&in, &next);
	l->stale = locsource_stale(&in, &next);

	/* a kept answer turns into a last resort when it expires */
	tmr_cancel(&l->expiry);
	if (l->stale == LOCSOURCE_KEEP_VALID && next.expires > now)
		tmr_start(&l->expiry,
			  (uint64_t)(next.expires - now) * 1000 + 500,
			  expiry_handler, l);

	if (location_equal(&next, &l->current) && !str_cmp(reason, l->reason)) {
		location_reset(&next);
		return;
	}

	location_reset(&l->current);
	location_move(&l->current, &next);
	str_ncpy(l->reason, reason, sizeof(l->reason));

	if (l->changeh)
		l->changeh(&l->current, l->reason, l->arg);
}

/* Last good location, written whole or not at all. */
static void state_save(const struct locator *l, const struct location *loc)
{
	struct odict *od = NULL, *lj = NULL;
	struct mbuf *mb = NULL;
	int err;

	if (!l->cfg.state_file[0])
		return;

	err = odict_alloc(&od, 4);
	if (!err)
		err = odict_alloc(&lj, 16);
	if (!err)
		err = location_json_encode(lj, loc);
	if (!err)
		err = odict_entry_add(od, "fingerprint", ODICT_STRING, l->fp);
	if (!err)
		err = odict_entry_add(od, "location", ODICT_OBJECT, lj);
	mb = mbuf_alloc(1024);
	if (!err && !mb)
		err = ENOMEM;
	if (!err)
		err = mbuf_printf(mb, "%H\n", json_out_odict, od);
	if (err)
		goto out;

	err = atomicfile_write(l->cfg.state_file, mb->buf, mb->end, 0600, NULL,
			       NULL);

out:
	if (err)
		ndlog_printf(&l->cfg.lis.lg, NDLOG_WARNING,
			     "locator: cannot save the last location to %s: "
			     "%m\n",
			     l->cfg.state_file, err);
	mem_deref(mb);
	mem_deref(lj);
	mem_deref(od);
}

static void cache_put(struct locator *l, const struct location *loc)
{
	struct cached *c;
	struct le *le;

	if (!l->asked)
		return;

	for (le = l->cache.head; le; le = le->next) {
		c = le->data;
		if (mbuf_same(c->request, l->asked)) {
			mem_deref(c);
			break;
		}
	}

	c = mem_zalloc(sizeof(*c), cached_destructor);
	if (!c)
		return;
	c->request = mem_ref(l->asked);
	if (location_copy(&c->loc, loc)) {
		mem_deref(c);
		return;
	}
	list_append(&l->cache, &c->le, c);
}

/* The last good location of an earlier run, for its network only. */
static void state_load(struct locator *l)
{
	struct odict *od = NULL;
	const struct odict_entry *e;
	char *buf = NULL;
	const char *why = NULL, *fp;
	size_t n;
	FILE *f;

	if (!l->cfg.state_file[0])
		return;
	f = fopen(l->cfg.state_file, "r");
	if (!f)
		return;

	buf = mem_alloc(STATE_MAX + 1, NULL);
	n = buf ? fread(buf, 1, STATE_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || n == 0 || n > STATE_MAX ||
	    json_decode_odict(&od, 8, buf, n, 8))
		goto out;

	fp = odict_string(od, "fingerprint");
	e = odict_get_type(od, ODICT_OBJECT, "location");
	if (!fp || strlen(fp) >= FP_SIZE || !e)
		goto out;

	if (location_json_decode(&l->remembered, e->u.odict, &why))
		goto out;
	str_ncpy(l->remembered_fp, fp, sizeof(l->remembered_fp));

out:
	mem_deref(od);
	mem_deref(buf);
}

/*
 * The LIS's outcome.  An answer saying it does not know the device ends
 * the earlier one; a failure (or a query under way) leaves it for
 * locsource_choose to weigh.
 */
static void lis_set(struct locator *l, enum locsource_lis s, const char *detail)
{
	l->lis = s;
	str_ncpy(l->lis_detail, detail ? detail : "", sizeof(l->lis_detail));
	if (s == LOCSOURCE_LIS_FAILED)
		str_ncpy(l->lis_error, l->lis_detail, sizeof(l->lis_error));
	else if (s != LOCSOURCE_LIS_PENDING)
		l->lis_error[0] = '\0';
	if (s != LOCSOURCE_LIS_FOUND && s != LOCSOURCE_LIS_FAILED &&
	    s != LOCSOURCE_LIS_PENDING) {
		location_reset(&l->lis_loc);
		l->lis_fp[0] = '\0';
	}
}

/* Is the earlier LIS answer still worth something if this ask fails? */
static bool lis_kept(const struct locator *l)
{
	return locsource_lis_keep(&l->lis_loc, l->lis_fp, l->fp, time(NULL)) !=
	       LOCSOURCE_KEEP_NONE;
}

/*
 * The LIS failed with nothing of this run to keep: the last run's answer
 * for this network, expired or not, is what locsource_choose weighs.
 */
static void lis_failed(struct locator *l, const char *detail)
{
	lis_set(l, LOCSOURCE_LIS_FAILED, detail);
	if (location_has_value(&l->lis_loc) || !l->fp[0] ||
	    str_cmp(l->fp, l->remembered_fp) ||
	    location_copy(&l->lis_loc, &l->remembered))
		return;
	str_ncpy(l->lis_fp, l->remembered_fp, sizeof(l->lis_fp));
}

static void answer_location(struct locator *l, enum lis_server server,
			    struct held_response *resp)
{
	const time_t now = time(NULL);
	struct location *loc = &resp->loc;
	size_t i;

	loc->source = LOCATION_SOURCE_LIS;
	loc->validated = true;
	loc->obtained_at = now;
	loc->expires = now + l->cfg.refresh_s;
	for (i = 0; i < loc->uric; i++) {
		if (loc->uriv[i].expires && loc->uriv[i].expires < loc->expires)
			loc->expires = loc->uriv[i].expires;
	}
	if (!loc->provided_by)
		(void)location_set_provided_by(loc,
					       lis_client_url(l->lc, server));

	location_reset(&l->lis_loc);
	location_move(&l->lis_loc, loc);
	str_ncpy(l->lis_fp, l->fp, sizeof(l->lis_fp));
	lis_set(l, LOCSOURCE_LIS_FOUND, NULL);
	cache_put(l, &l->lis_loc);
	state_save(l, &l->lis_loc);
	location_reset(&l->remembered);
	(void)location_copy(&l->remembered, &l->lis_loc);
	str_ncpy(l->remembered_fp, l->fp, sizeof(l->remembered_fp));
}

static void refresh_handler(void *arg);

static void lis_answer(int err, enum lis_server server, uint16_t status,
		       struct mbuf *body, const char *errtext, void *arg)
{
	struct locator *l = arg;
	struct held_response resp;
	const char *why = NULL;
	char detail[192];

	l->q = mem_deref(l->q);
	memset(&resp, 0, sizeof(resp));

	if (err || !body) {
		lis_failed(l, errtext ? errtext : "no answer");
		goto out;
	}

	if (held_response_decode(&resp, mbuf_buf(body), mbuf_get_left(body),
				 &why)) {
		re_snprintf(detail, sizeof(detail),
			    "%s answered HTTP %u "
			    "with a bad HELD body: %s",
			    lis_client_url(l->lc, server), status, why);
		lis_failed(l, detail);
		goto out;
	}

	switch (resp.error) {
	case HELD_OK:
		if (location_has_value(&resp.loc)) {
			answer_location(l, server, &resp);
			break;
		}
		lis_set(l, LOCSOURCE_LIS_UNKNOWN, "no location in its answer");
		break;
	case HELD_ERROR_NOT_LOCATABLE: {
		struct not_here *n =
			mem_zalloc(sizeof(*n), not_here_destructor);

		/* RFC 5985: do not ask this LIS again from this network */
		if (n) {
			str_ncpy(n->netkey, l->netkey, sizeof(n->netkey));
			n->server = server;
			list_append(&l->not_here, &n->le, n);
		}
		lis_client_suppress(l->lc, server, true);
		lis_set(l, LOCSOURCE_LIS_NOT_HERE, resp.message);
		break;
	}
	case HELD_ERROR_LOCATION_UNKNOWN:
		lis_set(l, LOCSOURCE_LIS_UNKNOWN, resp.message);
		break;
	default:
		re_snprintf(detail, sizeof(detail), "HELD error %s%s%s",
			    held_error_name(resp.error),
			    resp.message[0] ? ": " : "", resp.message);
		lis_failed(l, detail);
		break;
	}

out:
	if (l->lis == LOCSOURCE_LIS_FAILED) {
		if (!l->retry_s)
			l->retry_s = RETRY_FIRST_S;
		tmr_start(&l->refresh,
			  (uint64_t)MIN(l->retry_s, l->cfg.refresh_s) * 1000,
			  refresh_handler, l);
		l->retry_s = MIN(l->retry_s * 2, l->cfg.refresh_s);
	} else {
		l->retry_s = 0;
	}
	held_response_reset(&resp);
	decide(l);
}

static void refresh_handler(void *arg)
{
	struct locator *l = arg;

	(void)locator_refresh(l, false);
}

static int query(struct locator *l, enum held_response_time rt)
{
	struct mbuf *mb;
	int err;

	if (!l->cfg.lis_enabled || !l->req)
		return ENOENT;
	if (not_here_has(l, LIS_PRIMARY) &&
	    (!l->cfg.lis.secondary_url || not_here_has(l, LIS_SECONDARY))) {
		lis_set(l, LOCSOURCE_LIS_NOT_HERE, "it said so before");
		return EPERM;
	}

	mb = mbuf_alloc(2048);
	if (!mb)
		return ENOMEM;

	l->req->req.response_time = rt;
	err = held_request_encode(mb, &l->req->req);
	if (!err) {
		mem_deref(l->asked);
		l->asked = mem_ref(mb);
		l->q = mem_deref(l->q);
		err = lis_client_query(&l->q, l->lc, mb->buf, mb->end,
				       lis_answer, l);
	}
	mem_deref(mb);
	if (err)
		return err;

	/* an answer in hand (or kept through a failure) stands meanwhile */
	if (l->lis != LOCSOURCE_LIS_FOUND &&
	    !(l->lis == LOCSOURCE_LIS_FAILED && lis_kept(l)))
		lis_set(l, LOCSOURCE_LIS_PENDING, NULL);
	tmr_start(&l->refresh, (uint64_t)l->cfg.refresh_s * 1000,
		  refresh_handler, l);
	return 0;
}

/* The network's layer-3 identity: gateway and subnet ("" if none). */
static void netkey_make(char *buf, size_t sz, const struct netsnap *snap)
{
	char gw[64], net[64];

	buf[0] = '\0';
	if (!snap->gateway.present || !snap->subnet.present ||
	    !inet_ntop(snap->gateway.family, snap->gateway.ip, gw,
		       sizeof(gw)) ||
	    !inet_ntop(snap->subnet.family, snap->subnet.addr, net,
		       sizeof(net)))
		return;

	re_snprintf(buf, sz, "%s|%s/%u", gw, net, snap->subnet.prefixlen);
}

/* True when the request that would go out now was already sent. */
static bool already_asked(const struct locator *l, const struct mbuf *now)
{
	return l->lis != LOCSOURCE_LIS_NONE && l->lis != LOCSOURCE_LIS_FAILED &&
	       mbuf_same(l->asked, now);
}

/*
 * Back on the network of the last run's answer: use it while the LIS is
 * asked again, so a restart is never without a location.
 */
static void remembered_use(struct locator *l)
{
	const time_t now = time(NULL);

	if (l->lis != LOCSOURCE_LIS_PENDING || !l->fp[0] ||
	    str_cmp(l->fp, l->remembered_fp) ||
	    !location_has_value(&l->remembered) ||
	    (l->remembered.expires && l->remembered.expires <= now))
		return;

	location_reset(&l->lis_loc);
	if (location_copy(&l->lis_loc, &l->remembered))
		return;
	str_ncpy(l->lis_fp, l->remembered_fp, sizeof(l->lis_fp));
	l->lis = LOCSOURCE_LIS_FOUND;
	str_ncpy(l->lis_detail, "remembered from the last run; asking again",
		 sizeof(l->lis_detail));
}

/* Keep a copy of the person's location; the old one stays on error. */
static int manual_set(struct locator *l, const struct locator_manual *man)
{
	struct location loc;
	char *name = NULL;
	int err = 0;

	memset(&loc, 0, sizeof(loc));
	if (man && location_has_value(man->loc)) {
		err = location_copy(&loc, man->loc);
		if (!err && man->name)
			err = str_dup(&name, man->name);
		if (err) {
			location_reset(&loc);
			return err;
		}
	}

	location_reset(&l->manual);
	location_move(&l->manual, &loc);
	mem_deref(l->manual_name);
	l->manual_name = name;
	return 0;
}

int locator_manual(struct locator *l, const struct locator_manual *man)
{
	int err;

	if (!l)
		return EINVAL;

	err = manual_set(l, man);
	if (!err)
		decide(l);
	return err;
}

bool locator_ask(const struct locator *l)
{
	return l && l->ask;
}

void locator_network(struct locator *l, const struct netsnap *snap,
		     const struct lldp_frame *nb, const char *fingerprint,
		     const char *aor, const struct locator_manual *man)
{
	struct mbuf *request;
	struct cached *c;
	int err;

	if (!l || !snap)
		return;

	if (manual_set(l, man))
		(void)manual_set(l, NULL); /* never another network's */

	l->req = mem_deref(l->req);
	l->aor = mem_deref(l->aor);
	(void)str_dup(&l->aor, aor ? aor : "");
	str_ncpy(l->fp, fingerprint ? fingerprint : "", sizeof(l->fp));
	netkey_make(l->netkey, sizeof(l->netkey), snap);
	l->vpn = snap->vpn;
	l->attached = snap->gateway.present || snap->vpn;

	location_reset(&l->lldp_loc);
	if (nb)
		(void)locsource_from_lldp(&l->lldp_loc, nb, time(NULL));

	l->req = mem_zalloc(sizeof(*l->req), NULL);
	if (l->req) {
		err = locsource_request(l->req, snap, nb,
					aor && aor[0] ? l->aor : NULL,
					HELD_RESPONSE_TIME_EMERGENCY_DISPATCH);
		if (err)
			l->req = mem_deref(l->req);
	}

	/* suppression follows the network: only where it was said */
	lis_client_suppress(l->lc, LIS_PRIMARY, not_here_has(l, LIS_PRIMARY));
	lis_client_suppress(l->lc, LIS_SECONDARY,
			    not_here_has(l, LIS_SECONDARY));

	request = request_now(l);

	/* the same evidence as last time: the answer stands (or is coming) */
	if (!l->vpn && already_asked(l, request)) {
		/* answered before the network was named: it is this one's,
		 * also for the next run */
		if (location_has_value(&l->lis_loc) && !l->lis_fp[0] &&
		    l->fp[0]) {
			str_ncpy(l->lis_fp, l->fp, sizeof(l->lis_fp));
			if (!l->remembered_fp[0] &&
			    location_equal(&l->remembered, &l->lis_loc)) {
				str_ncpy(l->remembered_fp, l->fp,
					 sizeof(l->remembered_fp));
				state_save(l, &l->lis_loc);
			}
		}
		mem_deref(request);
		decide(l);
		return;
	}
	l->q = mem_deref(l->q);

	/* after a failure on this network the LIS is asked, not the cache:
	 * the answer stays as it is, said to be unconfirmed */
	c = l->vpn || (l->lis == LOCSOURCE_LIS_FAILED && lis_kept(l))
		    ? NULL
		    : cache_find(l, request);
	if (c) {
		location_reset(&l->lis_loc);
		(void)location_copy(&l->lis_loc, &c->loc);
		str_ncpy(l->lis_fp, l->fp, sizeof(l->lis_fp));
		lis_set(l, LOCSOURCE_LIS_FOUND, NULL);
		mem_deref(l->asked);
		l->asked = mem_ref(request);
		tmr_start(&l->refresh, (uint64_t)l->cfg.refresh_s * 1000,
			  refresh_handler, l);
	} else if (l->vpn) {
		lis_set(l, LOCSOURCE_LIS_NONE, NULL);
		l->asked = mem_deref(l->asked);
	} else {
		/* new evidence on the same network: what the LIS said stands
		 * while it is asked again; another network starts afresh */
		if (!l->fp[0] || str_cmp(l->fp, l->lis_fp)) {
			lis_set(l, LOCSOURCE_LIS_NONE, NULL);
			l->retry_s = 0;
		}
		(void)query(l, HELD_RESPONSE_TIME_EMERGENCY_DISPATCH);
		remembered_use(l);
	}

	mem_deref(request);
	decide(l);
}

int locator_set_lis(struct locator *l, const char *primary_url)
{
	struct lis_client *lc = NULL;
	struct lis_config cfg;
	char *url = NULL;
	int err;

	if (!l || !str_isset(primary_url))
		return EINVAL;
	if (!str_cmp(primary_url, l->discovered_url))
		return 0;

	err = str_dup(&url, primary_url);
	if (err)
		return err;

	cfg = l->cfg.lis;
	cfg.primary_url = url;
	/* credentials are for the configured LIS only, never for one the
	 * network's DNS named */
	memset(&cfg.auth[LIS_PRIMARY], 0, sizeof(cfg.auth[LIS_PRIMARY]));
	err = lis_client_alloc(&lc, &cfg);
	if (err) {
		mem_deref(url);
		return err;
	}

	l->q = mem_deref(l->q);
	mem_deref(l->lc);
	l->lc = lc;
	mem_deref(l->discovered_url);
	l->discovered_url = url;
	l->cfg.lis.primary_url = url;
	l->cfg.lis_enabled = true;
	l->asked = mem_deref(l->asked);
	list_flush(&l->not_here); /* a new LIS has not said anything yet */

	(void)query(l, HELD_RESPONSE_TIME_EMERGENCY_DISPATCH);
	decide(l);
	return 0;
}

int locator_refresh(struct locator *l, bool routing)
{
	int err;

	if (!l)
		return EINVAL;
	if (l->vpn)
		return EPERM;

	err = query(l, routing ? HELD_RESPONSE_TIME_EMERGENCY_ROUTING
			       : HELD_RESPONSE_TIME_EMERGENCY_DISPATCH);
	decide(l);
	return err;
}

bool locator_stale(const struct locator *l, const char **error)
{
	const bool stale = l && l->stale != LOCSOURCE_KEEP_NONE;

	if (error)
		*error = stale ? l->lis_detail : NULL;

	return stale;
}

void locator_set_refresh(struct locator *l, uint32_t refresh_s)
{
	if (!l || !refresh_s || refresh_s == l->cfg.refresh_s)
		return;

	l->cfg.refresh_s = refresh_s;
	/* the next ask of a healthy LIS counts from now; a retry after a
	 * failure keeps its own (shorter) time */
	if (tmr_isrunning(&l->refresh) && !l->retry_s)
		tmr_start(&l->refresh, (uint64_t)refresh_s * 1000,
			  refresh_handler, l);
}

uint32_t locator_refresh_s(const struct locator *l)
{
	return l ? l->cfg.refresh_s : 0;
}

const char *locator_lis_error(const struct locator *l)
{
	return l && l->lis_error[0] ? l->lis_error : NULL;
}

const struct location *locator_current(const struct locator *l,
				       const char **reason)
{
	if (reason)
		*reason = l ? l->reason : "";

	return l ? &l->current : NULL;
}


int locator_alloc(struct locator **lp, const struct locator_config *cfg,
		  locator_change_h *changeh, void *arg)
{
	struct locator *l;
	int err = 0;

	if (!lp || !cfg || !cfg->refresh_s)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), destructor);
	if (!l)
		return ENOMEM;

	l->cfg = *cfg;
	l->changeh = changeh;
	l->arg = arg;
	tmr_init(&l->refresh);
	tmr_init(&l->expiry);
	str_ncpy(l->reason, "no network yet", sizeof(l->reason));

	if (cfg->lis_enabled)
		err = lis_client_alloc(&l->lc, &cfg->lis);
	if (err)
		goto out;

	state_load(l);

out:
	if (err)
		mem_deref(l);
	else
		*lp = l;
	return err;
}
