/* lis_client: HTTPS POST to the LIS over libcurl multi, driven by re_main. */

#define CURL_DISABLE_TYPECHECK
#include <re.h>
#include <curl/curl.h>
#include "curl_lazy.h"
#include <string.h>
#include <strings.h>
#include "locphone-config.h"
#include "lis_client.h"

enum {
	ERRTEXT_SIZE = 512,
	SERVERS = 2,
};

/* One server's credentials, copied from struct lis_auth. */
struct lis_cred {
	char *user; /* NULL: no HTTP authentication */
	char *password;
	enum lis_http_auth method;
	char *cert; /* NULL: no client certificate */
	char *key;
};

struct lis_client {
	char *url[SERVERS]; /* url[LIS_SECONDARY] may be NULL */
	struct lis_cred cred[SERVERS];
	char *ca_file;
	char *proxy;
	bool allow_http;
	bool get;
	bool suppressed[SERVERS];
	long connect_timeout_ms;
	long timeout_ms;
	uint32_t retries;
	uint32_t backoff_ms;
	size_t body_max;
	CURLM *multi;
	struct curl_slist *hdrs; /* shared by every attempt */
	struct tmr tmr;		 /* libcurl's time-out */
	struct list socks;	 /* struct lis_sock: fds libcurl watches */
	struct list queries;	 /* running struct lis_query */
};

/* A socket libcurl asked us to watch (curl_multi_assign'ed to its fd). */
struct lis_sock {
	struct le le;
	struct lis_client *lc;
	curl_socket_t fd;
};

struct lis_query {
	struct le le;
	struct lis_client *lc; /* NULL once finished or the client is gone */
	bool client_owned;     /* no handle given: the client frees it */
	uint8_t *body;
	size_t len;
	lis_resp_h *resph;
	void *arg;
	CURL *easy;	 /* attempt in flight, or NULL */
	struct mbuf *mb; /* response body of the attempt */
	bool too_big;	 /* the attempt's body went over the cap */
	struct tmr backoff;
	uint32_t pass; /* 0 = first pass over the list */
	int server;    /* next server to try in this pass is > server */
	int last;      /* server of the latest attempt */
	int err;       /* result of the last failed attempt */
	uint16_t status;
	char curl_err[CURL_ERROR_SIZE];
	char errtext[ERRTEXT_SIZE];
};

static unsigned curl_users; /* clients alive: curl_global_* once */

static void query_next(struct lis_query *q);

/* How a libcurl failure reads in errno and in the log. */
static const struct {
	CURLcode code;
	int err;
	const char *what;
} curl_errors[] = {
	{CURLE_COULDNT_CONNECT, ECONNREFUSED, "connection failed"},
	{CURLE_COULDNT_RESOLVE_HOST, EHOSTUNREACH, "host name not resolved"},
	{CURLE_COULDNT_RESOLVE_PROXY, EHOSTUNREACH, "proxy name not resolved"},
	{CURLE_OPERATION_TIMEDOUT, ETIMEDOUT, "timed out"},
	{CURLE_PEER_FAILED_VERIFICATION, EAUTH,
	 "certificate verification failed"},
	{CURLE_SSL_CACERT_BADFILE, EAUTH, "certificate verification failed"},
	{CURLE_SSL_ISSUER_ERROR, EAUTH, "certificate verification failed"},
	{CURLE_SSL_INVALIDCERTSTATUS, EAUTH, "certificate verification failed"},
	{CURLE_SSL_CONNECT_ERROR, EPROTO, "TLS handshake failed"},
	{CURLE_FILESIZE_EXCEEDED, EFBIG, "response body too large"},
	{CURLE_SEND_ERROR, ECONNRESET, "connection broken"},
	{CURLE_RECV_ERROR, ECONNRESET, "connection broken"},
	{CURLE_GOT_NOTHING, ECONNRESET, "connection closed without answer"},
	{CURLE_PARTIAL_FILE, ECONNRESET, "answer cut short"},
	{CURLE_UNSUPPORTED_PROTOCOL, EPROTONOSUPPORT, "protocol refused"},
	{CURLE_OUT_OF_MEMORY, ENOMEM, "out of memory"},
};

static bool url_usable(const char *url, bool allow_http)
{
	if (!str_isset(url))
		return false;

	if (0 == strncasecmp(url, "https://", 8))
		return str_len(url) > 8;

	return allow_http && 0 == strncasecmp(url, "http://", 7) &&
	       str_len(url) > 7;
}

static bool server_askable(const struct lis_client *lc, int server)
{
	return lc->url[server] && !lc->suppressed[server];
}

static void sock_destructor(void *arg)
{
	struct lis_sock *ls = arg;

	list_unlink(&ls->le);
}

/* Detaches q from its client: no attempt, no timer, no list. */
static void query_detach(struct lis_query *q)
{
	tmr_cancel(&q->backoff);

	if (q->easy) {
		if (q->lc)
			(void)curlf.multi_remove_handle(q->lc->multi, q->easy);
		curlf.easy_cleanup(q->easy);
		q->easy = NULL;
	}

	list_unlink(&q->le);
	q->lc = NULL;
}

static void query_destructor(void *arg)
{
	struct lis_query *q = arg;

	query_detach(q);
	mem_deref(q->mb);
	mem_deref(q->body);
}

static void client_destructor(void *arg)
{
	struct lis_client *lc = arg;
	struct le *le;

	le = lc->queries.head;
	while (le) {
		struct lis_query *q = le->data;

		le = le->next;
		query_detach(q);
		if (q->client_owned)
			mem_deref(q);
	}

	/* libcurl may call our socket and timer callbacks from in here */
	if (lc->multi)
		(void)curlf.multi_cleanup(lc->multi);

	le = lc->socks.head;
	while (le) {
		struct lis_sock *ls = le->data;

		le = le->next;
		fd_close(ls->fd);
		mem_deref(ls);
	}

	tmr_cancel(&lc->tmr);
	curlf.slist_free_all(lc->hdrs);

	for (size_t i = 0; i < SERVERS; i++) {
		struct lis_cred *c = &lc->cred[i];

		mem_deref(lc->url[i]);
		if (c->password)
			explicit_bzero(c->password, strlen(c->password));
		mem_deref(c->password);
		mem_deref(c->user);
		mem_deref(c->cert);
		mem_deref(c->key);
	}
	mem_deref(lc->ca_file);
	mem_deref(lc->proxy);

	if (--curl_users == 0)
		curlf.global_cleanup();
}

/* Hands the result to the caller; q may be gone when this returns. */
static void query_finish(struct lis_query *q, int err, struct mbuf *mb)
{
	char errtext[ERRTEXT_SIZE];
	lis_resp_h *resph = q->resph;
	void *arg = q->arg;
	enum lis_server server = q->last > 0 ? LIS_SECONDARY : LIS_PRIMARY;
	uint16_t status = q->status;

	/* the handler may free q: take what it needs out of q first */
	str_ncpy(errtext, err ? q->errtext : "", sizeof(errtext));
	mb = mem_ref(mb);

	query_detach(q);
	if (q->client_owned)
		mem_deref(q);

	if (mb)
		mb->pos = 0;
	resph(err, server, status, mb, errtext, arg);

	mem_deref(mb);
}

static void backoff_handler(void *arg)
{
	query_next(arg);
}

/* Records why the current attempt failed. */
static void attempt_fail(struct lis_query *q, int err, const char *what,
			 const char *detail)
{
	const char *url = q->lc->url[q->last];

	q->err = err;
	if (str_isset(detail))
		re_snprintf(q->errtext, sizeof(q->errtext), "LIS %s %s: %s",
			    url, what, detail);
	else
		re_snprintf(q->errtext, sizeof(q->errtext), "LIS %s %s", url,
			    what);
}

static size_t body_write_handler(char *ptr, size_t size, size_t nmemb,
				 void *arg)
{
	struct lis_query *q = arg;
	size_t n = size * nmemb;

	/* invariant: mb->end <= body_max; returning short fails the transfer
	 * with CURLE_WRITE_ERROR and nothing more is buffered */
	if (n > q->lc->body_max - q->mb->end) {
		q->too_big = true;
		return 0;
	}

	if (mbuf_write_mem(q->mb, (const uint8_t *)ptr, n))
		return 0;

	return n;
}

static CURLcode easy_setup_security(CURL *easy, const struct lis_client *lc)
{
	CURLcode rc;

	rc = curlf.easy_setopt(easy, CURLOPT_PROTOCOLS_STR,
			       lc->allow_http ? "http,https" : "https");
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_SSLVERSION,
				       (long)CURL_SSLVERSION_TLSv1_2);
	if (!rc && lc->ca_file) {
		/* the configured CA file replaces the system store */
		rc = curlf.easy_setopt(easy, CURLOPT_CAINFO, lc->ca_file);
		if (!rc)
			rc = curlf.easy_setopt(easy, CURLOPT_CAPATH, NULL);
	}
	/* "" disables every proxy, the environment's included; no host
	 * bypasses a configured one (no_proxy in the environment neither) */
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_PROXY,
				       lc->proxy ? lc->proxy : "");
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_NOPROXY, "");
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	/* the LIS may locate the device by the source address it sees
	 * (standards.md §2): no connection from before a network change */
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);

	return rc;
}

/* The server's credentials: HTTP authentication when it asks, and the
 * client certificate for the TLS handshake. */
static CURLcode easy_setup_auth(CURL *easy, const struct lis_client *lc,
				int server)
{
	const struct lis_cred *c = &lc->cred[server];
	const bool tls = 0 == strncasecmp(lc->url[server], "https://", 8);
	CURLcode rc = CURLE_OK;
	unsigned long mask = 0;

	if (c->user) {
		if (c->method != LIS_AUTH_DIGEST && tls)
			mask |= CURLAUTH_BASIC; /* never in the clear */
		if (c->method != LIS_AUTH_BASIC)
			mask |= CURLAUTH_DIGEST;
	}
	if (mask) {
		rc = curlf.easy_setopt(easy, CURLOPT_HTTPAUTH, mask);
		if (!rc)
			rc = curlf.easy_setopt(easy, CURLOPT_USERNAME, c->user);
		if (!rc)
			rc = curlf.easy_setopt(easy, CURLOPT_PASSWORD,
					       c->password ? c->password : "");
	}
	if (!rc && c->cert) {
		rc = curlf.easy_setopt(easy, CURLOPT_SSLCERT, c->cert);
		if (!rc)
			rc = curlf.easy_setopt(easy, CURLOPT_SSLCERTTYPE,
					       "PEM");
		if (!rc && c->key)
			rc = curlf.easy_setopt(easy, CURLOPT_SSLKEY, c->key);
		if (!rc && c->key)
			rc = curlf.easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
	}

	return rc;
}

static CURLcode easy_setup_request(CURL *easy, struct lis_query *q)
{
	const struct lis_client *lc = q->lc;
	CURLcode rc;

	rc = curlf.easy_setopt(easy, CURLOPT_URL, lc->url[q->server]);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_PRIVATE, q);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_ERRORBUFFER, q->curl_err);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_HTTPHEADER, lc->hdrs);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_USERAGENT,
				       "locphone/" LOCPHONE_VERSION);
	if (!rc && lc->get)
		rc = curlf.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	if (!rc && !lc->get)
		rc = curlf.easy_setopt(easy, CURLOPT_POSTFIELDS, q->body);
	if (!rc && !lc->get)
		rc = curlf.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
				       (curl_off_t)q->len);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
				       lc->connect_timeout_ms);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_TIMEOUT_MS,
				       lc->timeout_ms);
	/* refuses early when Content-Length announces too much */
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
				       (curl_off_t)lc->body_max);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_WRITEFUNCTION,
				       body_write_handler);
	if (!rc)
		rc = curlf.easy_setopt(easy, CURLOPT_WRITEDATA, q);

	return rc;
}

/* Starts one attempt at server q->server; the answer comes to the loop. */
static int attempt_start(struct lis_query *q)
{
	struct lis_client *lc = q->lc;
	CURL *easy;
	CURLcode rc;
	int err = 0;

	q->last = q->server;
	q->mb = mem_deref(q->mb);
	q->too_big = false;
	q->status = 0;
	q->curl_err[0] = '\0';

	q->mb = mbuf_alloc(1024);
	easy = curlf.easy_init();
	if (!q->mb || !easy) {
		err = ENOMEM;
		goto out;
	}

	rc = easy_setup_security(easy, lc);
	if (!rc)
		rc = easy_setup_request(easy, q);
	if (!rc)
		rc = easy_setup_auth(easy, lc, q->server);
	if (rc) {
		err = rc == CURLE_OUT_OF_MEMORY ? ENOMEM : EINVAL;
		goto out;
	}

	if (curlf.multi_add_handle(lc->multi, easy) != CURLM_OK) {
		err = ENOMEM;
		goto out;
	}

	q->easy = easy;

out:
	if (err) {
		curlf.easy_cleanup(easy);
		attempt_fail(q, err, "request not started", NULL);
	}

	return err;
}

/* Moves to the next server of the pass, the next pass, or the end. */
static void query_next(struct lis_query *q)
{
	struct lis_client *lc = q->lc;
	uint64_t delay;

	while (++q->server < SERVERS) {
		if (server_askable(lc, q->server) && !attempt_start(q))
			return;
	}

	/* standards.md §1.4: a notLocatable LIS is not asked again */
	if (!server_askable(lc, LIS_PRIMARY) &&
	    !server_askable(lc, LIS_SECONDARY)) {
		q->status = 0;
		str_ncpy(q->errtext,
			 "LIS every server is suppressed on this network",
			 sizeof(q->errtext));
		query_finish(q, ENOENT, NULL);
		return;
	}

	if (q->pass >= lc->retries) {
		query_finish(q, q->err, NULL);
		return;
	}

	/* the next pass starts after backoff_ms << pass, capped */
	delay = (uint64_t)lc->backoff_ms << q->pass;
	++q->pass;
	q->server = -1;
	tmr_start(&q->backoff, min(delay, (uint64_t)LIS_BACKOFF_MAX),
		  backoff_handler, q);
}

/*
 * The TLS client certificate could not be used, or the server asked for
 * one or refused ours (its TLS alert, in OpenSSL's words in the error
 * buffer): EACCES, with which of them it was.
 */
static bool client_cert_failed(struct lis_query *q, CURLcode res)
{
	static const char *const alerts[] = {
		"alert certificate required",
		"alert bad certificate",
		"alert unknown ca",
		"alert certificate unknown",
	};
	const bool have = q->lc->cred[q->last].cert != NULL;
	size_t i;

	if (res == CURLE_SSL_CERTPROBLEM) {
		attempt_fail(q, EACCES,
			     "cannot use the client certificate "
			     "(lis_client_cert, lis_client_key)",
			     q->curl_err);
		return true;
	}

	if (res != CURLE_SSL_CONNECT_ERROR && res != CURLE_RECV_ERROR &&
	    res != CURLE_SEND_ERROR)
		return false;

	for (i = 0; i < ARRAY_SIZE(alerts); i++) {
		if (strstr(q->curl_err, alerts[i]))
			break;
	}
	/* only certificate alerts: a bare handshake failure may be anything */
	if (i == ARRAY_SIZE(alerts))
		return false;

	attempt_fail(q, EACCES,
		     have ? "refused the TLS client certificate"
			  : "asks for a TLS client certificate and none is "
			    "configured",
		     q->curl_err);
	return true;
}

/* Handles a finished transfer: an answer, or a failure to fail over from. */
static void attempt_done(struct lis_query *q, CURLcode res)
{
	long status = 0;
	size_t i;

	(void)curlf.easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
	(void)curlf.multi_remove_handle(q->lc->multi, q->easy);
	curlf.easy_cleanup(q->easy);
	q->easy = NULL;
	q->status = (uint16_t)status;

	if (res == CURLE_OK) {
		char what[32];

		if (status >= 200 && status <= 299) {
			query_finish(q, 0, q->mb);
			return;
		}

		/* each server has its own credentials: the next may take its
		 * own (a 401 here is after libcurl answered the challenge) */
		if (status == 401 || status == 407) {
			attempt_fail(q, EACCES,
				     q->lc->cred[q->last].user
					     ? "refused the credentials"
					     : "asks for credentials and "
					       "none are configured",
				     status == 401 ? "HTTP 401" : "HTTP 407");
			query_next(q);
			return;
		}

		re_snprintf(what, sizeof(what), "answered %ld", status);
		attempt_fail(q, EPROTO, what, NULL);

		/* a 5xx is the server failing; anything else is its answer */
		if (status >= 500)
			query_next(q);
		else
			query_finish(q, EPROTO, q->mb);
		return;
	}

	q->status = 0;

	if (q->too_big || res == CURLE_FILESIZE_EXCEEDED) {
		attempt_fail(q, EFBIG, "response body too large", NULL);
		query_next(q);
		return;
	}

	if (client_cert_failed(q, res)) {
		query_next(q);
		return;
	}

	for (i = 0; i < ARRAY_SIZE(curl_errors); i++) {
		if (curl_errors[i].code == res)
			break;
	}

	if (i < ARRAY_SIZE(curl_errors))
		attempt_fail(q, curl_errors[i].err, curl_errors[i].what,
			     q->curl_err[0] ? q->curl_err
					    : curlf.easy_strerror(res));
	else
		attempt_fail(q, EIO, "transfer failed",
			     q->curl_err[0] ? q->curl_err
					    : curlf.easy_strerror(res));
	query_next(q);
}

/* Collects finished transfers after libcurl ran. */
static void multi_collect(struct lis_client *lc)
{
	CURLMsg *msg;
	int left;

	/* a result handler may drop the caller's reference to lc: ours keeps
	 * it alive until we are out of libcurl's message queue, and a count of
	 * one means nobody else wants results any more */
	mem_ref(lc);

	while (mem_nrefs(lc) > 1 &&
	       (msg = curlf.multi_info_read(lc->multi, &left))) {
		CURLcode res = msg->data.result;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;

		(void)curlf.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					 &priv);
		if (priv)
			attempt_done((struct lis_query *)priv, res);
	}

	mem_deref(lc);
}

static void sock_event_handler(int flags, void *arg)
{
	struct lis_sock *ls = arg;
	struct lis_client *lc = ls->lc;
	curl_socket_t fd = ls->fd; /* ls may be freed inside libcurl */
	int ev = 0;
	int running;

	if (flags & FD_READ)
		ev |= CURL_CSELECT_IN;
	if (flags & FD_WRITE)
		ev |= CURL_CSELECT_OUT;
	if (flags & FD_EXCEPT)
		ev |= CURL_CSELECT_ERR;

	(void)curlf.multi_socket_action(lc->multi, fd, ev, &running);
	multi_collect(lc);
}

static void multi_tmr_handler(void *arg)
{
	struct lis_client *lc = arg;
	int running;

	(void)curlf.multi_socket_action(lc->multi, CURL_SOCKET_TIMEOUT, 0,
					&running);
	multi_collect(lc);
}

/* CURLMOPT_TIMERFUNCTION: libcurl wants to be called after timeout_ms.
 * It must not call libcurl back from here, so even 0 goes through a tmr. */
static int multi_timer_handler(CURLM *multi, long timeout_ms, void *arg)
{
	struct lis_client *lc = arg;
	(void)multi;

	if (timeout_ms < 0)
		tmr_cancel(&lc->tmr);
	else
		tmr_start(&lc->tmr, (uint64_t)timeout_ms, multi_tmr_handler,
			  lc);

	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: watch fd for what, or stop watching it. */
static int multi_socket_handler(CURL *easy, curl_socket_t fd, int what,
				void *arg, void *socketp)
{
	struct lis_client *lc = arg;
	struct lis_sock *ls = socketp;
	int flags = 0;
	(void)easy;

	if (what == CURL_POLL_REMOVE) {
		fd_close(fd);
		mem_deref(ls);
		return 0;
	}

	if (!ls) {
		ls = mem_zalloc(sizeof(*ls), sock_destructor);
		if (!ls)
			return -1;

		ls->lc = lc;
		ls->fd = fd;
		list_append(&lc->socks, &ls->le, ls);
		(void)curlf.multi_assign(lc->multi, fd, ls);
	}

	if (what & CURL_POLL_IN)
		flags |= FD_READ;
	if (what & CURL_POLL_OUT)
		flags |= FD_WRITE;

	return fd_listen(fd, flags, sock_event_handler, ls) ? -1 : 0;
}

static int client_multi_setup(struct lis_client *lc)
{
	CURLMcode mc;
	struct curl_slist *l;

	/* RFC 5985 HTTP binding: HELD media type both ways (standards §1.5);
	 * "Expect:": never wait for a 100 Continue, whatever the body size
	 * (libcurl asks for one on large POSTs) */
	static const char *const hdrs[] = {
		"Content-Type: application/held+xml",
		"Accept: application/held+xml",
		"Expect:",
	};
	static const char *const get_hdrs[] = {"Accept: text/plain"};
	const char *const *hv = lc->get ? get_hdrs : hdrs;
	const size_t hc = lc->get ? ARRAY_SIZE(get_hdrs) : ARRAY_SIZE(hdrs);

	for (size_t i = 0; i < hc; i++) {
		l = curlf.slist_append(lc->hdrs, hv[i]);
		if (!l)
			return ENOMEM;
		lc->hdrs = l;
	}

	lc->multi = curlf.multi_init();
	if (!lc->multi)
		return ENOMEM;

	mc = curlf.multi_setopt(lc->multi, CURLMOPT_SOCKETFUNCTION,
				multi_socket_handler);
	if (mc == CURLM_OK)
		mc = curlf.multi_setopt(lc->multi, CURLMOPT_SOCKETDATA, lc);
	if (mc == CURLM_OK)
		mc = curlf.multi_setopt(lc->multi, CURLMOPT_TIMERFUNCTION,
					multi_timer_handler);
	if (mc == CURLM_OK)
		mc = curlf.multi_setopt(lc->multi, CURLMOPT_TIMERDATA, lc);

	return mc == CURLM_OK ? 0 : ENOMEM;
}

static int client_config_copy(struct lis_client *lc,
			      const struct lis_config *cfg)
{
	int err;

	lc->allow_http = cfg->allow_http;
	lc->get = cfg->get;
	lc->connect_timeout_ms = cfg->connect_timeout_ms
					 ? (long)cfg->connect_timeout_ms
					 : LIS_CONNECT_TIMEOUT_DEFAULT;
	lc->timeout_ms =
		cfg->timeout_ms ? (long)cfg->timeout_ms : LIS_TIMEOUT_DEFAULT;
	lc->retries = cfg->retries;
	lc->backoff_ms = cfg->backoff_ms;
	lc->body_max = cfg->body_max ? cfg->body_max : LIS_BODY_MAX_DEFAULT;

	err = str_dup(&lc->url[LIS_PRIMARY], cfg->primary_url);
	if (!err && str_isset(cfg->secondary_url))
		err = str_dup(&lc->url[LIS_SECONDARY], cfg->secondary_url);
	if (!err && str_isset(cfg->ca_file))
		err = str_dup(&lc->ca_file, cfg->ca_file);
	if (!err && str_isset(cfg->proxy))
		err = str_dup(&lc->proxy, cfg->proxy);

	for (size_t i = 0; i < SERVERS && !err; i++) {
		const struct lis_auth *a = &cfg->auth[i];
		struct lis_cred *c = &lc->cred[i];

		c->method = a->method;
		if (str_isset(a->user)) {
			err = str_dup(&c->user, a->user);
			if (!err)
				err = str_dup(&c->password,
					      a->password ? a->password : "");
		}
		if (!err && str_isset(a->client_cert))
			err = str_dup(&c->cert, a->client_cert);
		if (!err && str_isset(a->client_cert) &&
		    str_isset(a->client_key))
			err = str_dup(&c->key, a->client_key);
	}

	return err;
}

int lis_client_alloc(struct lis_client **lcp, const struct lis_config *cfg)
{
	struct lis_client *lc;
	int err;

	if (!lcp || !cfg || cfg->retries > LIS_RETRIES_MAX)
		return EINVAL;
	if (!url_usable(cfg->primary_url, cfg->allow_http))
		return EINVAL;
	if (str_isset(cfg->secondary_url) &&
	    !url_usable(cfg->secondary_url, cfg->allow_http))
		return EINVAL;

	/* libcurl is loaded by the first client, not at engine start */
	if (curl_lazy_load(&cfg->lg))
		return ENOSYS;
	if (curl_users == 0 && curlf.global_init(CURL_GLOBAL_DEFAULT))
		return EIO;

	lc = mem_zalloc(sizeof(*lc), client_destructor);
	if (!lc) {
		if (curl_users == 0)
			curlf.global_cleanup();
		return ENOMEM;
	}
	++curl_users; /* from here the destructor balances it */

	tmr_init(&lc->tmr);

	err = client_config_copy(lc, cfg);
	if (err)
		goto out;

	err = client_multi_setup(lc);
	if (err)
		goto out;

out:
	if (err)
		mem_deref(lc);
	else
		*lcp = lc;

	return err;
}

int lis_client_query(struct lis_query **lqp, struct lis_client *lc,
		     const uint8_t *body, size_t len, lis_resp_h *resph,
		     void *arg)
{
	struct lis_query *q;
	int err;

	if (!lc || !resph || (!lc->get && (!body || !len)))
		return EINVAL;

	q = mem_zalloc(sizeof(*q), query_destructor);
	if (!q)
		return ENOMEM;

	tmr_init(&q->backoff);
	q->lc = lc;
	q->client_owned = lqp == NULL;
	q->resph = resph;
	q->arg = arg;
	q->server = -1;

	if (len) {
		q->body = mem_alloc(len, NULL);
		if (!q->body) {
			err = ENOMEM;
			goto out;
		}
		memcpy(q->body, body, len);
		q->len = len;
	}

	list_append(&lc->queries, &q->le, q);

	/* the first attempt that starts decides; failures here are the
	 * caller's to see, so the handler is never called from in here */
	err = ENOENT;
	while (++q->server < SERVERS) {
		if (!server_askable(lc, q->server))
			continue;
		err = attempt_start(q);
		if (!err)
			break;
	}

out:
	if (err)
		mem_deref(q);
	else if (lqp)
		*lqp = q;

	return err;
}

void lis_client_suppress(struct lis_client *lc, enum lis_server server,
			 bool suppressed)
{
	if (!lc || (unsigned)server >= SERVERS)
		return;

	lc->suppressed[server] = suppressed;
}

const char *lis_client_url(const struct lis_client *lc, enum lis_server server)
{
	if (!lc || (unsigned)server >= SERVERS)
		return NULL;

	return lc->url[server];
}
