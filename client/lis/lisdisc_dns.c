/* lisdisc_dns: U-NAPTR lookup of the LIS with libre's DNS client. */

#include <re.h>
#include <string.h>
#include "lisdisc.h"
#include "lisdisc_dns.h"

#define NAPTR_MAX 16

struct lisdisc_query {
	struct dnsc *dnsc;
	struct dns_query *q;
	char domain[256];
	bool allow_http;
	lisdisc_h *h;
	void *arg;
};

static void destructor(void *arg)
{
	struct lisdisc_query *lq = arg;

	mem_deref(lq->q);
	mem_deref(lq->dnsc);
}

struct collect {
	struct lisdisc_naptr v[NAPTR_MAX];
	size_t n;
};

static bool rr_collect(struct dnsrr *rr, void *arg)
{
	struct collect *c = arg;

	if (rr->type != DNS_TYPE_NAPTR || c->n >= NAPTR_MAX)
		return false;

	c->v[c->n].order = rr->rdata.naptr.order;
	c->v[c->n].pref = rr->rdata.naptr.pref;
	c->v[c->n].flags = rr->rdata.naptr.flags;
	c->v[c->n].services = rr->rdata.naptr.services;
	c->v[c->n].regexp = rr->rdata.naptr.regexp;
	++c->n;
	return false;
}

static void answer(int err, const struct dnshdr *hdr, struct list *ansl,
		   struct list *authl, struct list *addl, void *arg)
{
	struct lisdisc_query *lq = arg;
	struct collect c;
	char uri[512];
	(void)hdr;
	(void)authl;
	(void)addl;

	memset(&c, 0, sizeof(c));
	if (!err) {
		(void)dns_rrlist_apply(ansl, NULL, DNS_TYPE_NAPTR, DNS_CLASS_IN,
				       false, rr_collect, &c);
		err = lisdisc_select(uri, sizeof(uri), c.v, c.n,
				     lq->allow_http);
	}

	lq->h(err, err ? NULL : uri, lq->domain, lq->arg);
}

int lisdisc_lookup(struct lisdisc_query **qp, const char *domain,
		   bool allow_http, lisdisc_h *h, void *arg)
{
	struct lisdisc_query *lq;
	struct sa srvv[4];
	uint32_t n = ARRAY_SIZE(srvv);
	char found[256] = "";
	int err;

	if (!qp || !h)
		return EINVAL;

	lq = mem_zalloc(sizeof(*lq), destructor);
	if (!lq)
		return ENOMEM;

	lq->h = h;
	lq->arg = arg;
	lq->allow_http = allow_http;

	err = dns_srv_get(found, sizeof(found), srvv, &n);
	if (err)
		goto out;

	str_ncpy(lq->domain, domain && domain[0] ? domain : found,
		 sizeof(lq->domain));
	if (!lq->domain[0] || !n) {
		err = ENOENT; /* no domain or no name server to ask */
		goto out;
	}

	err = dnsc_alloc(&lq->dnsc, NULL, srvv, n);
	if (!err)
		err = dnsc_query(&lq->q, lq->dnsc, lq->domain, DNS_TYPE_NAPTR,
				 DNS_CLASS_IN, true, answer, lq);

out:
	if (err)
		mem_deref(lq);
	else
		*qp = lq;
	return err;
}
