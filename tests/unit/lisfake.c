/* lisfake: lis_client.h without HTTP (lisfake.h). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <errno.h>
#include <string.h>
#include "lisfake.h"

struct lisfake_state lisfake;

struct lis_client {
	char *url[2];
	bool suppressed[2];
};

struct lis_query {
	struct lis_client *lc;
	lis_resp_h *resph;
	void *arg;
};

static struct lis_query *pending;

void lisfake_reset(void)
{
	memset(&lisfake, 0, sizeof(lisfake));
	pending = NULL;
}

static void client_destructor(void *arg)
{
	struct lis_client *lc = arg;

	if (pending && pending->lc == lc)
		pending = NULL;
	mem_deref(lc->url[0]);
	mem_deref(lc->url[1]);
}

int lis_client_alloc(struct lis_client **lcp, const struct lis_config *cfg)
{
	struct lis_client *lc;
	int err;

	if (!lcp || !cfg || !str_isset(cfg->primary_url))
		return EINVAL;

	lc = mem_zalloc(sizeof(*lc), client_destructor);
	if (!lc)
		return ENOMEM;
	err = str_dup(&lc->url[0], cfg->primary_url);
	if (!err && str_isset(cfg->secondary_url))
		err = str_dup(&lc->url[1], cfg->secondary_url);
	if (err) {
		mem_deref(lc);
		return err;
	}

	++lisfake.clients;
	*lcp = lc;
	return 0;
}

static void query_destructor(void *arg)
{
	struct lis_query *q = arg;

	if (pending == q) {
		pending = NULL;
		lisfake.pending = false;
	}
}

int lis_client_query(struct lis_query **lqp, struct lis_client *lc,
		     const uint8_t *body, size_t len, lis_resp_h *resph,
		     void *arg)
{
	struct lis_query *q;

	if (!lc || !body || !len || !resph)
		return EINVAL;
	if ((lc->suppressed[0] || !lc->url[0]) &&
	    (lc->suppressed[1] || !lc->url[1])) {
		++lisfake.refused;
		return ENOENT;
	}
	/* the locator runs one query at a time */
	assert_null(pending);

	q = mem_zalloc(sizeof(*q), query_destructor);
	if (!q)
		return ENOMEM;
	q->lc = lc;
	q->resph = resph;
	q->arg = arg;

	memset(lisfake.last_body, 0, sizeof(lisfake.last_body));
	memcpy(lisfake.last_body, body,
	       MIN(len, sizeof(lisfake.last_body) - 1));
	++lisfake.queries;
	lisfake.pending = true;
	pending = q;

	if (lqp)
		*lqp = q;
	return 0;
}

void lis_client_suppress(struct lis_client *lc, enum lis_server server,
			 bool suppressed)
{
	if (!lc || (unsigned)server > LIS_SECONDARY)
		return;

	lc->suppressed[server] = suppressed;
	lisfake.suppressed[server] = suppressed;
}

const char *lis_client_url(const struct lis_client *lc, enum lis_server server)
{
	if (!lc || (unsigned)server > LIS_SECONDARY)
		return NULL;

	return lc->url[server];
}

void lisfake_answer(int err, enum lis_server server, uint16_t status,
		    const char *body, const char *errtext)
{
	struct lis_query *q = pending;
	struct mbuf *mb = NULL;
	lis_resp_h *h;
	void *arg;

	assert_non_null(q);
	h = q->resph;
	arg = q->arg;
	pending = NULL;
	lisfake.pending = false;

	if (body) {
		mb = mbuf_alloc(strlen(body) + 1);
		assert_non_null(mb);
		assert_int_equal(0, mbuf_write_str(mb, body));
		mb->pos = 0;
	}

	/* the locator frees its handle inside; the fake holds nothing */
	h(err, server, status, mb, errtext ? errtext : "", arg);
	mem_deref(mb);
}
