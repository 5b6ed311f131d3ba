/* Tests for lis_client against HTTPS servers on 127.0.0.1, run by re_main:
 * headers, failover, time-outs, retries with back-off, certificates, body
 * cap, cancellation, and a ticking timer proving the loop never blocks. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "lis_client.h"
#include "timebound.h"

#define DATA LOCPHONE_TEST_DATA "/lis/"

enum {
	TICK_MS = 10,
	LINGER_MS = 50, /* after the result: catches a second call */
	/* wall-clock bounds on an idle machine, scaled by timebound.h */
	DEADLINE_MS = 8000, /* a run that lasts longer has failed */
	SLACK_MS = 1500,    /* allowed lateness of timed events */
	GAP_MAX_MS = 250,   /* longest the loop may stall */
	/* with the system store: its one-off load (tens of ms idle, 600 ms
	 * seen on a 2-core machine running seven other programs) */
	STORE_GAP_MAX_MS = 1000,
	BIG_BODY = 300 * 1024,
};

enum behaviour {
	SRV_NONE,	/* not configured */
	SRV_CLOSED,	/* nothing listens: connection refused */
	SRV_OK,		/* 200 with held_response */
	SRV_503,	/* 503 Service Unavailable */
	SRV_404,	/* 404 Not Found */
	SRV_HOLD,	/* reads the request, never answers */
	SRV_BIG,	/* 200 announcing BIG_BODY bytes (Content-Length) */
	SRV_BIG_STREAM, /* 200 without Content-Length, BIG_BODY bytes */
	SRV_ROGUE,	/* certificate from an untrusted issuer */
	SRV_WRONGHOST,	/* test-CA certificate for lis.example.net only */
	SRV_BASIC,	/* 401 unless Basic "phone:s3cret", then as SRV_OK */
};

struct test_server {
	enum behaviour behaviour;
	struct http_sock *sock;
	char url[64];
	unsigned requests;
	unsigned connections; /* requests from a new client port */
	uint16_t last_port;
	bool request_ok; /* every request: POST /held, HELD headers, body */
};

struct run {
	struct lis_client *lc;
	struct lis_query *q;
	struct tmr deadline;
	struct tmr stop;
	struct tmr ticker;
	struct tmr action;
	unsigned ticks;
	uint64_t last_tick;
	uint64_t gap_max; /* longest time between two ticks until the result */
	unsigned calls;
	uint64_t t0;
	uint64_t elapsed;
	bool timed_out;
	bool free_client; /* the result handler frees the client */
	int err;
	enum lis_server server;
	uint16_t status;
	struct mbuf *body;
	char errtext[512];
};

static const char held_response[] =
	"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:held\"/>";

/* HELD request skeleton (standards.md §1.2); bytes to this transport */
static const char held_request[] =
	"<locationRequest xmlns=\"urn:ietf:params:xml:ns:geopriv:held\" "
	"responseTime=\"emergencyRouting\"><locationType exact=\"false\">"
	"civic geodetic locationURI</locationType></locationRequest>";

static bool hdr_is(const struct http_msg *msg, enum http_hdrid id,
		   const char *val)
{
	const struct http_hdr *hdr = http_msg_hdr(msg, id);

	return hdr && 0 == pl_strcasecmp(&hdr->val, val);
}

static void big_reply(struct http_conn *conn, bool announce)
{
	uint8_t *big = mem_alloc(BIG_BODY, NULL);

	assert_non_null(big);
	memset(big, 'x', BIG_BODY);
	if (announce)
		(void)http_reply(conn, 200, "OK",
				 "Content-Type: application/held+xml\r\n"
				 "Content-Length: %u\r\n\r\n%b",
				 BIG_BODY, big, (size_t)BIG_BODY);
	else
		(void)http_reply(conn, 200, "OK",
				 "Content-Type: application/held+xml\r\n\r\n%b",
				 big, (size_t)BIG_BODY);
	mem_deref(big);
}

static void server_req_handler(struct http_conn *conn,
			       const struct http_msg *msg, void *arg)
{
	struct test_server *srv = arg;
	const size_t len = mbuf_get_left(msg->mb);

	if (sa_port(http_conn_peer(conn)) != srv->last_port)
		++srv->connections;
	srv->last_port = sa_port(http_conn_peer(conn));

	/* RFC 5985 HTTP binding: POST, HELD media type both ways */
	if (srv->requests++ == 0)
		srv->request_ok = true;
	srv->request_ok =
		srv->request_ok && 0 == pl_strcmp(&msg->met, "POST") &&
		0 == pl_strcmp(&msg->path, "/held") &&
		hdr_is(msg, HTTP_HDR_CONTENT_TYPE, "application/held+xml") &&
		hdr_is(msg, HTTP_HDR_ACCEPT, "application/held+xml") &&
		len == strlen(held_request) &&
		0 == memcmp(mbuf_buf(msg->mb), held_request, len);

	switch (srv->behaviour) {

	case SRV_BASIC: {
		const struct http_hdr *auth =
			http_msg_hdr(msg, HTTP_HDR_AUTHORIZATION);

		/* base64 of "phone:s3cret" */
		if (auth &&
		    0 == pl_strcmp(&auth->val, "Basic cGhvbmU6czNjcmV0")) {
			(void)http_creply(conn, 200, "OK",
					  "application/held+xml", "%s",
					  held_response);
			break;
		}
		(void)http_reply(conn, 401, "Unauthorized",
				 "WWW-Authenticate: Basic realm=\"lis\"\r\n"
				 "Content-Length: 0\r\n\r\n");
		break;
	}

	case SRV_503:
		(void)http_ereply(conn, 503, "Service Unavailable");
		break;

	case SRV_404:
		(void)http_ereply(conn, 404, "Not Found");
		break;

	case SRV_HOLD:
		break;

	case SRV_BIG:
	case SRV_BIG_STREAM:
		big_reply(conn, srv->behaviour == SRV_BIG);
		break;

	default:
		(void)http_creply(conn, 200, "OK", "application/held+xml", "%s",
				  held_response);
		break;
	}
}

static void server_start(struct test_server *srv, enum behaviour b)
{
	const char *cert = DATA "server.pem";
	struct sa laddr;

	memset(srv, 0, sizeof(*srv));
	srv->behaviour = b;
	if (b == SRV_NONE)
		return;

	if (b == SRV_ROGUE)
		cert = DATA "rogue.pem";
	else if (b == SRV_WRONGHOST)
		cert = DATA "wronghost.pem";

	assert_int_equal(0, sa_set_str(&laddr, "127.0.0.1", 0));
	assert_int_equal(0, https_listen(&srv->sock, &laddr, cert,
					 server_req_handler, srv));
	assert_int_equal(0,
			 tcp_sock_local_get(http_sock_tcp(srv->sock), &laddr));
	re_snprintf(srv->url, sizeof(srv->url), "https://127.0.0.1:%u/held",
		    sa_port(&laddr));

	/* a port that was just free and now refuses connections */
	if (b == SRV_CLOSED)
		srv->sock = mem_deref(srv->sock);
}

static void server_stop(struct test_server *srv)
{
	srv->sock = mem_deref(srv->sock);
}

static void ticker_handler(void *arg)
{
	struct run *r = arg;
	const uint64_t now = tmr_jiffies();

	if (!r->calls)
		r->gap_max = max(r->gap_max, now - r->last_tick);
	r->last_tick = now;
	++r->ticks;
	tmr_start(&r->ticker, TICK_MS, ticker_handler, r);

	/* LOCPHONE_PLANT_SLEEP_MS: a stalled loop, which the gap check must
	 * report with its figure */
	timebound_plant();
}

static void deadline_handler(void *arg)
{
	struct run *r = arg;

	r->timed_out = true;
	re_cancel();
}

static void stop_handler(void *arg)
{
	(void)arg;
	re_cancel();
}

static void resp_handler(int err, enum lis_server server, uint16_t status,
			 struct mbuf *body, const char *errtext, void *arg)
{
	struct run *r = arg;

	assert_non_null(errtext);
	if (++r->calls > 1)
		return;

	r->elapsed = tmr_jiffies() - r->t0;
	r->gap_max = max(r->gap_max, tmr_jiffies() - r->last_tick);
	r->err = err;
	r->server = server;
	r->status = status;
	r->body = mem_ref(body);
	str_ncpy(r->errtext, errtext, sizeof(r->errtext));

	/* the handler may drop its query, or the whole client */
	r->q = mem_deref(r->q);
	if (r->free_client)
		r->lc = mem_deref(r->lc);

	tmr_start(&r->stop, LINGER_MS, stop_handler, r);
}

/* Runs re_main until a result plus LINGER_MS, stop_ms if set, or the
 * deadline. */
static void run_loop(struct run *r, uint64_t stop_ms)
{
	r->last_tick = tmr_jiffies();
	tmr_start(&r->ticker, TICK_MS, ticker_handler, r);
	tmr_start(&r->deadline, timebound_ms(DEADLINE_MS), deadline_handler, r);
	if (stop_ms)
		tmr_start(&r->stop, stop_ms, stop_handler, r);

	assert_int_equal(0, re_main(NULL));

	tmr_cancel(&r->ticker);
	tmr_cancel(&r->deadline);
	tmr_cancel(&r->stop);
	tmr_cancel(&r->action);
}

static void run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	tmr_init(&r->deadline);
	tmr_init(&r->stop);
	tmr_init(&r->ticker);
	tmr_init(&r->action);
}

static void run_close(struct run *r)
{
	r->q = mem_deref(r->q);
	r->lc = mem_deref(r->lc);
	r->body = mem_deref(r->body);
}

static int query_start(struct run *r, bool with_handle)
{
	r->t0 = tmr_jiffies();

	return lis_client_query(with_handle ? &r->q : NULL, r->lc,
				(const uint8_t *)held_request,
				strlen(held_request), resp_handler, r);
}

enum scenario_flags {
	SYSTEM_CA = 1 << 0, /* no ca_file: the system trust store */
	NO_HANDLE = 1 << 1, /* lqp NULL: the client owns the query */
	CREDS = 1 << 2,	    /* the primary gets phone:s3cret, Basic */
	BAD_CREDS = 1 << 3, /* the primary gets phone:wrong, Basic */
};

static void scenarios(void **state)
{
	/* servers, client settings, then the one result expected; requests
	 * counts what each server received, min_ms is the earliest result
	 * (the latest is min_ms + SLACK_MS), errtext a part of the text */
	static const struct {
		const char *name;
		enum behaviour primary;
		enum behaviour secondary;
		uint32_t timeout_ms;
		uint32_t retries;
		uint32_t backoff_ms;
		unsigned flags;
		int err;
		enum lis_server server;
		uint16_t status;
		unsigned requests_primary;
		unsigned requests_secondary;
		uint64_t min_ms;
		const char *errtext;
	} cases[] = {
		{"primary answers", SRV_OK, SRV_OK, 0, 0, 0, 0, 0, LIS_PRIMARY,
		 200, 1, 0, 0, NULL},
		{"client owns the query", SRV_OK, SRV_NONE, 0, 0, 0, NO_HANDLE,
		 0, LIS_PRIMARY, 200, 1, 0, 0, NULL},
		{"primary refuses", SRV_CLOSED, SRV_OK, 0, 0, 0, 0, 0,
		 LIS_SECONDARY, 200, 0, 1, 0, NULL},
		{"primary slower than the time-out", SRV_HOLD, SRV_OK, 500, 0,
		 0, 0, 0, LIS_SECONDARY, 200, 1, 1, 500, NULL},
		{"primary 503", SRV_503, SRV_OK, 0, 0, 0, 0, 0, LIS_SECONDARY,
		 200, 1, 1, 0, NULL},
		{"404 is an answer, no failover", SRV_404, SRV_OK, 0, 0, 0, 0,
		 EPROTO, LIS_PRIMARY, 404, 1, 0, 0, "answered 404"},
		{"untrusted issuer", SRV_ROGUE, SRV_NONE, 0, 0, 0, 0, EAUTH,
		 LIS_PRIMARY, 0, 0, 0, 0,
		 "certificate verification failed: SSL certificate problem"},
		{"wrong host name", SRV_WRONGHOST, SRV_NONE, 0, 0, 0, 0, EAUTH,
		 LIS_PRIMARY, 0, 0, 0, 0, "certificate verification failed"},
		{"test CA not in the system store", SRV_OK, SRV_NONE, 0, 0, 0,
		 SYSTEM_CA, EAUTH, LIS_PRIMARY, 0, 0, 0, 0,
		 "certificate verification failed"},
		{"untrusted primary, good secondary", SRV_ROGUE, SRV_OK, 0, 0,
		 0, 0, 0, LIS_SECONDARY, 200, 0, 1, 0, NULL},
		{"announced body over the cap", SRV_BIG, SRV_NONE, 0, 0, 0, 0,
		 EFBIG, LIS_PRIMARY, 0, 1, 0, 0, "response body too large"},
		{"streamed body over the cap", SRV_BIG_STREAM, SRV_NONE, 0, 0,
		 0, 0, EFBIG, LIS_PRIMARY, 0, 1, 0, 0,
		 "response body too large"},
		{"oversized primary, good secondary", SRV_BIG_STREAM, SRV_OK, 0,
		 0, 0, 0, 0, LIS_SECONDARY, 200, 1, 1, 0, NULL},
		/* back-off 100 ms, then 200 ms: 300 ms at least */
		{"both refuse, two retries", SRV_CLOSED, SRV_CLOSED, 0, 2, 100,
		 0, ECONNREFUSED, LIS_SECONDARY, 0, 0, 0, 300,
		 "connection failed"},
		{"both 503, two retries", SRV_503, SRV_503, 0, 2, 100, 0,
		 EPROTO, LIS_SECONDARY, 503, 3, 3, 300, "answered 503"},
		/* 4 time-outs of 150 ms and a back-off of 100 ms */
		{"both slow, one retry", SRV_HOLD, SRV_HOLD, 150, 1, 100, 0,
		 ETIMEDOUT, LIS_SECONDARY, 0, 2, 2, 700, "timed out"},
		/* authentication: each server its own credentials */
		{"Basic credentials accepted", SRV_BASIC, SRV_NONE, 0, 0, 0,
		 CREDS, 0, LIS_PRIMARY, 200, 1, 0, 0, NULL},
		{"credentials refused", SRV_BASIC, SRV_NONE, 0, 0, 0, BAD_CREDS,
		 EACCES, LIS_PRIMARY, 401, 1, 0, 0,
		 "refused the credentials: HTTP 401"},
		{"credentials asked, none set", SRV_BASIC, SRV_NONE, 0, 0, 0, 0,
		 EACCES, LIS_PRIMARY, 401, 1, 0, 0,
		 "asks for credentials and none are configured: HTTP 401"},
		{"401 fails over to the secondary", SRV_BASIC, SRV_OK, 0, 0, 0,
		 BAD_CREDS, 0, LIS_SECONDARY, 200, 1, 1, 0, NULL},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct test_server srv[2];
		struct lis_config cfg;
		struct run r;

		print_message("scenario: %s\n", cases[i].name);

		server_start(&srv[0], cases[i].primary);
		server_start(&srv[1], cases[i].secondary);

		memset(&cfg, 0, sizeof(cfg));
		cfg.primary_url = srv[0].url;
		cfg.secondary_url = srv[1].url;
		cfg.ca_file = cases[i].flags & SYSTEM_CA ? NULL : DATA "ca.pem";
		cfg.timeout_ms = cases[i].timeout_ms;
		cfg.retries = cases[i].retries;
		cfg.backoff_ms = cases[i].backoff_ms;
		if (cases[i].flags & (CREDS | BAD_CREDS)) {
			cfg.auth[LIS_PRIMARY].user = "phone";
			cfg.auth[LIS_PRIMARY].password =
				cases[i].flags & CREDS ? "s3cret" : "wrong";
			cfg.auth[LIS_PRIMARY].method = LIS_AUTH_BASIC;
		}

		run_init(&r);
		assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));
		assert_int_equal(
			0, query_start(&r, !(cases[i].flags & NO_HANDLE)));
		run_loop(&r, 0);

		/* the loop never stalled: a blocking client would stop the
		 * ticker for a whole time-out; checked first, as a stall
		 * also makes the other figures wrong (the system store's allowance
		 * covers loading it once, see lis_client.h) */
		assert_time_within(r.gap_max,
				   cases[i].flags & SYSTEM_CA ? STORE_GAP_MAX_MS
							      : GAP_MAX_MS,
				   "the event loop stalled");

		assert_false(r.timed_out);
		assert_int_equal(1, r.calls);
		assert_int_equal(cases[i].err, r.err);
		assert_int_equal(cases[i].server, r.server);
		assert_int_equal(cases[i].status, r.status);
		assert_int_equal(cases[i].requests_primary, srv[0].requests);
		assert_int_equal(cases[i].requests_secondary, srv[1].requests);
		assert_time_at_least(r.elapsed, cases[i].min_ms,
				     "the result came");
		assert_time_within(r.elapsed, cases[i].min_ms + SLACK_MS,
				   "the result came");

		/* each request well-formed, each on its own connection */
		for (size_t s = 0; s < 2; s++) {
			if (srv[s].requests)
				assert_true(srv[s].request_ok);
			assert_int_equal(srv[s].requests, srv[s].connections);
		}

		if (cases[i].errtext)
			assert_non_null(strstr(r.errtext, cases[i].errtext));
		else
			assert_string_equal("", r.errtext);

		if (r.status && r.status < 300) {
			assert_non_null(r.body);
			assert_int_equal(strlen(held_response), r.body->end);
			assert_memory_equal(held_response, r.body->buf,
					    r.body->end);
		} else if (r.status == 0) {
			assert_null(r.body);
		}

		run_close(&r);
		server_stop(&srv[0]);
		server_stop(&srv[1]);
	}
}

static void config_checked(void **state)
{
	static const struct {
		const char *primary;
		const char *secondary;
		bool allow_http;
		uint32_t retries;
		int err;
	} cases[] = {
		{"https://lis.example.net/held", NULL, false, 0, 0},
		{"HTTPS://lis.example.net/held", "", false, 0, 0},
		{"https://a/", "https://b/", false, LIS_RETRIES_MAX, 0},
		{"http://lis.test/", "https://b/", true, 0, 0},
		{NULL, NULL, false, 0, EINVAL},
		{"", NULL, false, 0, EINVAL},
		{"https://", NULL, false, 0, EINVAL},
		{"http://lis.example.net/held", NULL, false, 0, EINVAL},
		{"ftp://lis.example.net/held", NULL, true, 0, EINVAL},
		{"lis.example.net", NULL, false, 0, EINVAL},
		{"https://a/", "file:///etc/passwd", false, 0, EINVAL},
		{"https://a/", "http://b/", false, 0, EINVAL},
		{"https://a/", NULL, false, LIS_RETRIES_MAX + 1, EINVAL},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct lis_client *lc = NULL;
		struct lis_config cfg;

		memset(&cfg, 0, sizeof(cfg));
		cfg.primary_url = cases[i].primary;
		cfg.secondary_url = cases[i].secondary;
		cfg.allow_http = cases[i].allow_http;
		cfg.retries = cases[i].retries;

		assert_int_equal(cases[i].err, lis_client_alloc(&lc, &cfg));
		if (cases[i].err) {
			assert_null(lc);
			continue;
		}

		/* URLs are copied; an empty secondary means none */
		assert_string_equal(cases[i].primary,
				    lis_client_url(lc, LIS_PRIMARY));
		if (str_isset(cases[i].secondary))
			assert_string_equal(cases[i].secondary,
					    lis_client_url(lc, LIS_SECONDARY));
		else
			assert_null(lis_client_url(lc, LIS_SECONDARY));
		mem_deref(lc);
	}

	assert_int_equal(EINVAL, lis_client_alloc(NULL, NULL));
}

static void query_arguments_checked(void **state)
{
	struct lis_config cfg = {.primary_url = "https://lis.example.net/"};
	struct lis_query *q = NULL;
	struct run r;
	(void)state;

	run_init(&r);
	assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));
	assert_int_equal(EINVAL,
			 lis_client_query(&q, r.lc, NULL, 1, resp_handler, &r));
	assert_int_equal(EINVAL,
			 lis_client_query(&q, r.lc, (const uint8_t *)"x", 0,
					  resp_handler, &r));
	assert_int_equal(
		EINVAL,
		lis_client_query(&q, r.lc, (const uint8_t *)"x", 1, NULL, &r));
	assert_int_equal(EINVAL,
			 lis_client_query(&q, NULL, (const uint8_t *)"x", 1,
					  resp_handler, &r));
	assert_null(q);
	assert_int_equal(0, r.calls);
	run_close(&r);
}

/* standards.md §1.4: a server that answered notLocatable is skipped. */
static void suppressed_server_skipped(void **state)
{
	struct test_server srv[2];
	struct lis_config cfg;
	struct run r;
	(void)state;

	server_start(&srv[0], SRV_OK);
	server_start(&srv[1], SRV_OK);
	memset(&cfg, 0, sizeof(cfg));
	cfg.primary_url = srv[0].url;
	cfg.secondary_url = srv[1].url;
	cfg.ca_file = DATA "ca.pem";

	run_init(&r);
	assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));

	lis_client_suppress(r.lc, LIS_PRIMARY, true);
	assert_int_equal(0, query_start(&r, true));
	run_loop(&r, 0);
	assert_false(r.timed_out);
	assert_int_equal(1, r.calls);
	assert_int_equal(0, r.err);
	assert_int_equal(LIS_SECONDARY, r.server);
	assert_int_equal(0, srv[0].requests);
	assert_int_equal(1, srv[1].requests);

	/* nobody left to ask: refused at once, no handler */
	lis_client_suppress(r.lc, LIS_SECONDARY, true);
	assert_int_equal(ENOENT, query_start(&r, true));
	assert_null(r.q);

	/* cleared again, e.g. after a network change */
	lis_client_suppress(r.lc, LIS_PRIMARY, false);
	r.calls = 0;
	r.body = mem_deref(r.body);
	assert_int_equal(0, query_start(&r, true));
	run_loop(&r, 0);
	assert_int_equal(1, r.calls);
	assert_int_equal(LIS_PRIMARY, r.server);
	assert_int_equal(1, srv[0].requests);

	run_close(&r);
	server_stop(&srv[0]);
	server_stop(&srv[1]);
}

static void suppress_both_handler(void *arg)
{
	struct run *r = arg;

	lis_client_suppress(r->lc, LIS_PRIMARY, true);
	lis_client_suppress(r->lc, LIS_SECONDARY, true);
}

/* Suppressed during the back-off: the query ends instead of waiting. */
static void suppressed_while_retrying(void **state)
{
	struct test_server srv[2];
	struct lis_config cfg;
	struct run r;
	(void)state;

	server_start(&srv[0], SRV_503);
	server_start(&srv[1], SRV_503);
	memset(&cfg, 0, sizeof(cfg));
	cfg.primary_url = srv[0].url;
	cfg.secondary_url = srv[1].url;
	cfg.ca_file = DATA "ca.pem";
	cfg.retries = 3;
	cfg.backoff_ms = 300;

	run_init(&r);
	assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));
	assert_int_equal(0, query_start(&r, true));
	tmr_start(&r.action, 150, suppress_both_handler, &r);
	run_loop(&r, 0);

	assert_false(r.timed_out);
	assert_int_equal(1, r.calls);
	assert_int_equal(ENOENT, r.err);
	assert_int_equal(0, r.status);
	assert_null(r.body);
	assert_non_null(strstr(r.errtext, "suppressed"));
	assert_int_equal(1, srv[0].requests);
	assert_true(srv[1].requests <= 1);
	assert_time_within(r.elapsed, 300 + SLACK_MS, "the query ended");

	run_close(&r);
	server_stop(&srv[0]);
	server_stop(&srv[1]);
}

static void drop_query_handler(void *arg)
{
	struct run *r = arg;

	r->q = mem_deref(r->q);
}

static void drop_client_handler(void *arg)
{
	struct run *r = arg;

	r->lc = mem_deref(r->lc);
}

/* A query cancelled before its result, by dropping the query or the
 * client, while a transfer or a back-off runs, never calls its handler. */
static void cancel_silences_handler(void **state)
{
	/* each would end by 400 ms: a 200 ms time-out, or a 503 and a retry
	 * 300 ms later; the cancel comes at 150 ms, the loop runs to 500 */
	static const struct {
		enum behaviour behaviour;
		uint32_t retries;
		tmr_h *cancel;
	} cases[] = {
		{SRV_HOLD, 0, drop_query_handler},
		{SRV_HOLD, 0, drop_client_handler},
		{SRV_503, 1, drop_query_handler},
		{SRV_503, 1, drop_client_handler},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct test_server srv;
		struct lis_config cfg;
		struct run r;

		server_start(&srv, cases[i].behaviour);
		memset(&cfg, 0, sizeof(cfg));
		cfg.primary_url = srv.url;
		cfg.ca_file = DATA "ca.pem";
		cfg.timeout_ms = 200;
		cfg.retries = cases[i].retries;
		cfg.backoff_ms = 300;

		run_init(&r);
		assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));
		assert_int_equal(0, query_start(&r, true));
		tmr_start(&r.action, 150, cases[i].cancel, &r);

		run_loop(&r, 500);
		assert_false(r.timed_out);
		assert_int_equal(0, r.calls);
		assert_int_equal(1, srv.requests);
		assert_time_within(r.gap_max, GAP_MAX_MS,
				   "the event loop stalled");

		run_close(&r);
		server_stop(&srv);
	}
}

/* Only the configured proxy is used, never one from the environment. */
static void proxy_from_config_only(void **state)
{
	static const struct {
		bool env_proxy; /* https_proxy points at a dead port */
		bool cfg_proxy; /* cfg.proxy points at a dead port */
		int err;
	} cases[] = {
		{true, false, 0},
		{false, true, ECONNREFUSED},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct test_server srv, dead;
		struct lis_config cfg;
		char proxy[64];
		struct run r;

		server_start(&srv, SRV_OK);
		server_start(&dead, SRV_CLOSED);
		re_snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%u",
			    atoi(strrchr(dead.url, ':') + 1));
		if (cases[i].env_proxy) {
			assert_int_equal(0, setenv("https_proxy", proxy, 1));
			assert_int_equal(0, setenv("all_proxy", proxy, 1));
		}

		memset(&cfg, 0, sizeof(cfg));
		cfg.primary_url = srv.url;
		cfg.ca_file = DATA "ca.pem";
		cfg.proxy = cases[i].cfg_proxy ? proxy : NULL;

		run_init(&r);
		assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));
		assert_int_equal(0, query_start(&r, true));
		run_loop(&r, 0);
		assert_int_equal(0, unsetenv("https_proxy"));
		assert_int_equal(0, unsetenv("all_proxy"));

		assert_false(r.timed_out);
		assert_int_equal(1, r.calls);
		assert_int_equal(cases[i].err, r.err);
		assert_int_equal(cases[i].err ? 0 : 1, srv.requests);

		run_close(&r);
		server_stop(&srv);
		server_stop(&dead);
	}
}

/* The first result handler frees the client; the other query of that
 * client is cancelled with it and never reports. */
static void handler_frees_client(void **state)
{
	struct lis_query *other = NULL;
	struct test_server srv;
	struct lis_config cfg;
	struct run r;
	(void)state;

	server_start(&srv, SRV_OK);
	memset(&cfg, 0, sizeof(cfg));
	cfg.primary_url = srv.url;
	cfg.ca_file = DATA "ca.pem";

	run_init(&r);
	r.free_client = true;
	assert_int_equal(0, lis_client_alloc(&r.lc, &cfg));
	assert_int_equal(0, query_start(&r, true));
	assert_int_equal(
		0, lis_client_query(&other, r.lc, (const uint8_t *)held_request,
				    strlen(held_request), resp_handler, &r));
	run_loop(&r, 0);

	assert_false(r.timed_out);
	assert_int_equal(1, r.calls);
	assert_int_equal(0, r.err);
	assert_null(r.lc);

	mem_deref(other);
	run_close(&r);
	server_stop(&srv);
}

static int group_setup(void **state)
{
	(void)state;

	return libre_init();
}

static int group_teardown(void **state)
{
	(void)state;
	libre_close();

	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_checked),
		cmocka_unit_test(query_arguments_checked),
		cmocka_unit_test(scenarios),
		cmocka_unit_test(suppressed_server_skipped),
		cmocka_unit_test(suppressed_while_retrying),
		cmocka_unit_test(cancel_silences_handler),
		cmocka_unit_test(proxy_from_config_only),
		cmocka_unit_test(handler_frees_client),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
