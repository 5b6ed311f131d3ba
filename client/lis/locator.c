/* locator: LIS queries, per-network cache, the state kept across restarts
 * and the choice of location (its rules: locrules.h). */

#include <re.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "atomicfile.h"
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "locrules.h"
#include "lis_client.h"
#include "locator.h"

/* The decisions are locrules.h's (pure, unit-tested); this file keeps
 * the state, the timers and the LIS client, and does what they say.  A
 * failed ask is retried soon, then less often (locrules_retry): an outage
 * ends without waiting hours for the next refresh, and a fleet of phones
 * does not hammer a LIS that is down. */
#define FP_SIZE LOCRULES_FP_SIZE

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
	locator_person_h *personh;
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
		.lis_fp = l->lis_fp,
		.fp = l->fp,
		.now = now,
	};
	struct location next;
	char reason[sizeof(l->reason)];

	/* the person's location is theirs: read, never kept here */
	if (l->personh)
		l->personh(&in.manual_loc, &in.manual_name, l->arg);

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
	struct mbuf *mb = NULL;
	int err;

	if (!l->cfg.state_file[0])
		return;

	mb = mbuf_alloc(1024);
	err = mb ? locrules_state_encode(mb, l->fp, loc) : ENOMEM;
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
	char *buf = NULL;
	size_t n;
	FILE *f;

	if (!l->cfg.state_file[0])
		return;
	f = fopen(l->cfg.state_file, "r");
	if (!f)
		return;

	buf = mem_alloc(LOCRULES_STATE_MAX + 1, NULL);
	n = buf ? fread(buf, 1, LOCRULES_STATE_MAX + 1, f) : 0;
	fclose(f);
	if (buf &&
	    locrules_state_decode(&l->remembered, l->remembered_fp, buf, n))
		l->remembered_fp[0] = '\0';

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
	if (location_has_value(&l->lis_loc) ||
	    !locrules_remembered(&l->remembered, l->remembered_fp, l->fp, true,
				 time(NULL)) ||
	    location_copy(&l->lis_loc, &l->remembered))
		return;
	str_ncpy(l->lis_fp, l->remembered_fp, sizeof(l->lis_fp));
}

static void answer_location(struct locator *l, enum lis_server server,
			    struct held_response *resp)
{
	const time_t now = time(NULL);
	struct location *loc = &resp->loc;

	loc->source = LOCATION_SOURCE_LIS;
	loc->validated = true;
	loc->obtained_at = now;
	loc->expires = locrules_expires(loc, now, l->cfg.refresh_s);
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
	enum locsource_lis outcome;
	char detail[192];
	uint32_t delay;

	l->q = mem_deref(l->q);
	memset(&resp, 0, sizeof(resp));

	outcome = locrules_answer(
		&resp, err, status, body ? mbuf_buf(body) : NULL,
		body ? mbuf_get_left(body) : 0, lis_client_url(l->lc, server),
		errtext, detail, sizeof(detail));
	switch (outcome) {
	case LOCSOURCE_LIS_FOUND:
		answer_location(l, server, &resp);
		break;
	case LOCSOURCE_LIS_NOT_HERE: {
		struct not_here *n =
			mem_zalloc(sizeof(*n), not_here_destructor);

		/* RFC 5985: do not ask this LIS again from this network */
		if (n) {
			str_ncpy(n->netkey, l->netkey, sizeof(n->netkey));
			n->server = server;
			list_append(&l->not_here, &n->le, n);
		}
		lis_client_suppress(l->lc, server, true);
		lis_set(l, LOCSOURCE_LIS_NOT_HERE, detail);
		break;
	}
	case LOCSOURCE_LIS_UNKNOWN:
		lis_set(l, LOCSOURCE_LIS_UNKNOWN, detail);
		break;
	default:
		lis_failed(l, detail);
		break;
	}

	delay = locrules_retry(&l->retry_s, l->cfg.refresh_s,
			       l->lis == LOCSOURCE_LIS_FAILED);
	if (delay)
		tmr_start(&l->refresh, (uint64_t)delay * 1000, refresh_handler,
			  l);
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
	if (!locrules_may_ask(not_here_has(l, LIS_PRIMARY),
			      str_isset(l->cfg.lis.secondary_url),
			      not_here_has(l, LIS_SECONDARY))) {
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
	if (locrules_while_asking(l->lis, lis_kept(l)) == LOCSOURCE_LIS_PENDING)
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
	if (l->lis != LOCSOURCE_LIS_PENDING ||
	    !locrules_remembered(&l->remembered, l->remembered_fp, l->fp, false,
				 time(NULL)))
		return;

	location_reset(&l->lis_loc);
	if (location_copy(&l->lis_loc, &l->remembered))
		return;
	str_ncpy(l->lis_fp, l->remembered_fp, sizeof(l->lis_fp));
	l->lis = LOCSOURCE_LIS_FOUND;
	str_ncpy(l->lis_detail, "remembered from the last run; asking again",
		 sizeof(l->lis_detail));
}

void locator_person_changed(struct locator *l)
{
	if (l)
		decide(l);
}

bool locator_ask(const struct locator *l)
{
	return l && l->ask;
}

void locator_network(struct locator *l, const struct netsnap *snap,
		     const struct evidence *ev, const char *fingerprint,
		     const char *aor)
{
	struct locrules_net_in in;
	struct mbuf *request;
	struct cached *c;
	int err;

	if (!l || !snap)
		return;

	memset(&in, 0, sizeof(in));
	l->req = mem_deref(l->req);
	l->aor = mem_deref(l->aor);
	(void)str_dup(&l->aor, aor ? aor : "");
	str_ncpy(l->fp, fingerprint ? fingerprint : "", sizeof(l->fp));
	netkey_make(l->netkey, sizeof(l->netkey), snap);
	l->vpn = snap->vpn;
	l->attached = snap->gateway.present || snap->vpn;

	location_reset(&l->lldp_loc);
	if (ev && ev->lldp)
		(void)locsource_from_lldp(&l->lldp_loc, ev->lldp, time(NULL));

	l->req = ev ? mem_zalloc(sizeof(*l->req), NULL) : NULL;
	if (l->req) {
		err = locsource_request(l->req, ev,
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
	in.vpn = l->vpn;
	in.already_asked = already_asked(l, request);
	in.failed_kept = l->lis == LOCSOURCE_LIS_FAILED && lis_kept(l);
	c = l->vpn || in.failed_kept ? NULL : cache_find(l, request);
	in.cached = c != NULL;
	in.same_network = l->fp[0] && !str_cmp(l->fp, l->lis_fp);

	switch (locrules_network(&in)) {
	case LOCRULES_NET_SAME:
		/* the same evidence as last time: the answer stands (or is
		 * coming); answered before the network was named, it is
		 * this one's, also for the next run */
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
		break;
	case LOCRULES_NET_CACHE:
		l->q = mem_deref(l->q);
		location_reset(&l->lis_loc);
		(void)location_copy(&l->lis_loc, &c->loc);
		str_ncpy(l->lis_fp, l->fp, sizeof(l->lis_fp));
		lis_set(l, LOCSOURCE_LIS_FOUND, NULL);
		mem_deref(l->asked);
		l->asked = mem_ref(request);
		tmr_start(&l->refresh, (uint64_t)l->cfg.refresh_s * 1000,
			  refresh_handler, l);
		break;
	case LOCRULES_NET_VPN:
		l->q = mem_deref(l->q);
		lis_set(l, LOCSOURCE_LIS_NONE, NULL);
		l->asked = mem_deref(l->asked);
		break;
	case LOCRULES_NET_ASK_AFRESH:
		/* another network starts afresh */
		lis_set(l, LOCSOURCE_LIS_NONE, NULL);
		l->retry_s = 0;
		/* fall through */
	case LOCRULES_NET_ASK:
		/* new evidence on the same network: what the LIS said
		 * stands while it is asked again (after a failure on this
		 * network the LIS is asked, not the cache: the answer stays
		 * as it is, said to be unconfirmed) */
		l->q = mem_deref(l->q);
		(void)query(l, HELD_RESPONSE_TIME_EMERGENCY_DISPATCH);
		remembered_use(l);
		break;
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
		  locator_change_h *changeh, locator_person_h *personh,
		  void *arg)
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
	l->personh = personh;
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
