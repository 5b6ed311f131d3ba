/* simserver: the LIS simulator's listeners, HELD exchange and control. */

#include <re.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "civic.h"
#include "simtext.h"
#include "heldreq.h"
#include "wiremap.h"
#include "heldresp.h"
#include "simmode.h"
#include "simlog.h"
#include "simserver.h"

enum {
	LOC_ID_LEN = 16,	/* hex digits of a location URI id */
	LOC_LIFETIME = 30 * 60, /* seconds a location URI stays valid */
	LOC_STORE_MAX = 1024,	/* remembered location URIs */
	CONTROL_BODY_MAX = 64,	/* a mode is a short word */
};

#define LOC_PREFIX "/loc/"
#define CT_HELD	   "application/held+xml"
#define CT_PIDF	   "application/pidf+xml"
#define CT_TEXT	   "text/plain"

struct simserver {
	struct list listeners; /* struct listener */
	struct list pendings;  /* struct pending: slow answers */
	struct list locs;      /* struct loc, oldest first */
	struct simmode mode;
	struct wiremap *wm;
	struct simlog *log;
	char *cert;
	char *uri_base;
	char *provider;
	enum simserver_auth auth;
	char *auth_user; /* "USER:PASSWORD" */
	bool no_retransmission;
	unsigned retention_s;
};

struct listener {
	struct le le;
	struct simserver *srv;
	enum simserver_role role;
	struct sa laddr;      /* the bound address, port included */
	struct http_sock *hs; /* NULL while refusing */
};

/* An answer on its way out. */
struct answer {
	uint16_t scode;
	const char *reason;
	const char *ctype;
	struct mbuf *body;
	bool truncate; /* send half, then close */
	bool close;    /* send nothing, close */
	uint32_t delay_ms;
	const char *what; /* for the log */
	const char *code; /* HELD error code */
	const struct wiremap_entry *ent;
	struct heldreq *req;
	char loc_id[LOC_ID_LEN + 1];
	char challenge[256]; /* WWW-Authenticate of a 401, or "" */
};

/* A slow answer waiting for its timer. */
struct pending {
	struct le le;
	struct tmr tmr;
	struct http_conn *conn; /* referenced */
	struct answer a;
};

/* A location URI and the PIDF-LO it dereferences to. */
struct loc {
	struct le le;
	char id[LOC_ID_LEN + 1];
	char *pidf;
	time_t expires;
};

static const char *const role_names[SIMSERVER_ROLE_COUNT] = {
	[SIMSERVER_HTTP] = "http",
	[SIMSERVER_HTTPS] = "https",
	[SIMSERVER_CONTROL] = "control",
};

static void answer_reset(struct answer *a)
{
	a->body = mem_deref(a->body);
	a->req = mem_deref(a->req);
}

static void simserver_destructor(void *arg)
{
	struct simserver *srv = arg;

	list_flush(&srv->listeners);
	list_flush(&srv->pendings);
	list_flush(&srv->locs);
	mem_deref(srv->wm);
	mem_deref(srv->log);
	mem_deref(srv->cert);
	mem_deref(srv->uri_base);
	mem_deref(srv->provider);
	mem_deref(srv->auth_user);
}

static void listener_destructor(void *arg)
{
	struct listener *l = arg;

	list_unlink(&l->le);
	mem_deref(l->hs);
}

static void pending_destructor(void *arg)
{
	struct pending *p = arg;

	list_unlink(&p->le);
	tmr_cancel(&p->tmr);
	mem_deref(p->conn);
	answer_reset(&p->a);
}

static void loc_destructor(void *arg)
{
	struct loc *loc = arg;

	list_unlink(&loc->le);
	mem_deref(loc->pidf);
}

int simserver_alloc(struct simserver **srvp, const struct simserver_conf *conf)
{
	struct simserver *srv;
	int err = 0;

	if (!srvp || !conf || !conf->provider)
		return EINVAL;

	srv = mem_zalloc(sizeof(*srv), simserver_destructor);
	if (!srv)
		return ENOMEM;

	srv->mode = conf->mode;
	srv->wm = mem_ref(conf->wm);
	srv->log = mem_ref(conf->log);

	err = str_dup(&srv->provider, conf->provider);
	if (!err && conf->cert)
		err = str_dup(&srv->cert, conf->cert);
	if (!err && conf->uri_base)
		err = str_dup(&srv->uri_base, conf->uri_base);
	srv->auth = conf->auth;
	srv->no_retransmission = conf->no_retransmission;
	srv->retention_s = conf->retention_s;
	if (!err && conf->auth && !conf->auth_user)
		err = EINVAL;
	if (!err && conf->auth)
		err = str_dup(&srv->auth_user, conf->auth_user);

	if (err)
		mem_deref(srv);
	else
		*srvp = srv;

	return err;
}

static void log_write(struct simserver *srv, const struct listener *l,
		      struct http_conn *conn, const struct http_msg *msg,
		      const struct answer *a)
{
	struct simlog_rec rec;
	int err;

	if (!srv->log)
		return;

	memset(&rec, 0, sizeof(rec));
	rec.listener = role_names[l->role];
	rec.peer = http_conn_peer(conn);
	rec.method = &msg->met;
	rec.path = &msg->path;
	rec.mode = &srv->mode;
	rec.req = a->req;
	rec.ent = a->ent;
	rec.answer = a->what;
	rec.code = a->code;
	rec.loc_id = a->loc_id[0] ? a->loc_id : NULL;
	rec.status = a->close ? 0 : a->scode;
	rec.delay_ms = a->delay_ms;

	err = simlog_write(srv->log, &rec);
	if (err)
		re_fprintf(stderr, "lis-sim: log: %m\n", err);
}

static int answer_text(struct answer *a, uint16_t scode, const char *reason,
		       const char *what, const char *text)
{
	a->scode = scode;
	a->reason = reason;
	a->ctype = CT_TEXT;
	a->what = what;
	a->body->end = a->body->pos = 0;

	return mbuf_printf(a->body, "%s\n", text);
}

/* RFC 5985: HELD errors travel in a 200 with an error document. */
static int answer_error(struct answer *a, const char *code, const char *msg)
{
	a->scode = 200;
	a->reason = "OK";
	a->ctype = CT_HELD;
	a->what = "error";
	a->code = code;
	a->body->end = a->body->pos = 0;

	return heldresp_error_encode(a->body, code, msg);
}

static int answer_send(struct http_conn *conn, const struct answer *a)
{
	const size_t len = a->body->end;
	int err;

	if (a->close) {
		http_conn_close(conn);
		return 0;
	}

	/* a truncated answer promises the whole length, sends half */
	err = http_reply(conn, a->scode, a->reason,
			 "%s%s%s"
			 "Content-Type: %s\r\n"
			 "Content-Length: %zu\r\n"
			 "Cache-Control: no-store\r\n"
			 "\r\n"
			 "%b",
			 a->challenge[0] ? "WWW-Authenticate: " : "",
			 a->challenge, a->challenge[0] ? "\r\n" : "", a->ctype,
			 len, a->body->buf, a->truncate ? len / 2 : len);

	if (a->truncate)
		http_conn_close(conn);

	return err;
}

static void pending_handler(void *arg)
{
	struct pending *p = arg;
	int err;

	err = answer_send(p->conn, &p->a);
	if (err)
		re_fprintf(stderr, "lis-sim: slow answer not sent: %m\n", err);

	mem_deref(p);
}

/* Send now, or after the mode's delay. */
static void answer_deliver(struct simserver *srv, struct http_conn *conn,
			   struct answer *a)
{
	struct pending *p;
	int err;

	if (!a->delay_ms) {
		err = answer_send(conn, a);
		if (err)
			re_fprintf(stderr, "lis-sim: answer not sent: %m\n",
				   err);
		return;
	}

	p = mem_zalloc(sizeof(*p), pending_destructor);
	if (!p) {
		http_conn_close(conn);
		return;
	}

	/* the pending answer takes over the body and request */
	p->a = *a;
	a->body = NULL;
	a->req = NULL;
	p->conn = mem_ref(conn);
	list_append(&srv->pendings, &p->le, p);
	tmr_start(&p->tmr, a->delay_ms, pending_handler, p);
}

static bool path_has_prefix(const struct pl *path, const char *prefix)
{
	const size_t n = strlen(prefix);

	return path->l >= n && 0 == memcmp(path->p, prefix, n);
}

/* Forget expired location URIs, and the oldest beyond the cap (one
 * place is left for the URI about to be stored). */
static void locs_prune(struct simserver *srv, time_t now)
{
	uint32_t count = list_count(&srv->locs);
	struct le *le = srv->locs.head;

	while (le) {
		struct loc *loc = le->data;

		le = le->next;
		if (loc->expires <= now || count >= LOC_STORE_MAX) {
			mem_deref(loc);
			--count;
		}
	}
}

static int loc_store(struct simserver *srv, const char *id, const char *pidf,
		     time_t now)
{
	struct loc *loc;
	int err;

	locs_prune(srv, now);

	loc = mem_zalloc(sizeof(*loc), loc_destructor);
	if (!loc)
		return ENOMEM;

	str_ncpy(loc->id, id, sizeof(loc->id));
	loc->expires = now + LOC_LIFETIME;
	err = str_dup(&loc->pidf, pidf);
	if (err) {
		mem_deref(loc);
		return err;
	}

	list_append(&srv->locs, &loc->le, loc);
	return 0;
}

static const struct loc *loc_find(const struct simserver *srv,
				  const struct pl *id, time_t now)
{
	struct le *le;

	for (le = srv->locs.head; le; le = le->next) {
		const struct loc *loc = le->data;

		if (loc->expires > now && 0 == pl_strcmp(id, loc->id))
			return loc;
	}

	return NULL;
}

/* The base of location URIs: as configured, else the first HTTPS
 * listener, else the first HTTP one. */
static int uri_base_print(struct re_printf *pf, const struct simserver *srv)
{
	static const enum simserver_role prefer[] = {SIMSERVER_HTTPS,
						     SIMSERVER_HTTP};
	struct le *le;
	size_t i;

	if (srv->uri_base)
		return re_hprintf(pf, "%s", srv->uri_base);

	for (i = 0; i < ARRAY_SIZE(prefer); i++) {
		for (le = srv->listeners.head; le; le = le->next) {
			const struct listener *l = le->data;

			if (l->role == prefer[i])
				return re_hprintf(pf, "%s://%J",
						  role_names[l->role],
						  &l->laddr);
		}
	}

	return EINVAL;
}

/* Encode one PIDF-LO into a new string. */
static int pidf_encode(char **pidfp, const struct heldresp_pidf *p)
{
	struct mbuf *mb = mbuf_alloc(2048);
	int err;

	if (!mb)
		return ENOMEM;

	err = heldresp_pidf_encode(mb, p);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, pidfp, mb->end);
	}

	mem_deref(mb);
	return err;
}

/*
 * A locationResponse for a matched request: the PIDF-LO with the types
 * the request gets, and a location URI that dereferences to the full
 * PIDF-LO for LOC_LIFETIME.
 */
static int answer_location(struct simserver *srv, struct answer *a,
			   unsigned types)
{
	const unsigned all = HELDREQ_LT_CIVIC | HELDREQ_LT_GEODETIC;
	char *entity = NULL, *device_id = NULL, *uri = NULL;
	char *full = NULL, *part = NULL;
	struct heldresp_pidf p;
	const time_t now = time(NULL);
	int err;

	(void)re_snprintf(a->loc_id, sizeof(a->loc_id), "%016llx",
			  (unsigned long long)rand_u64());

	/* the presence entity is a pseudonym, not the device's identity */
	err = re_sdprintf(&entity, "pres:%s@lis-sim.invalid", a->loc_id);
	if (!err && a->req->macc)
		err = re_sdprintf(
			&device_id, "mac:%H", sim_hex_print,
			&(struct sim_bytes){a->req->macv[0], SIM_MAC_LEN});
	else if (!err)
		err = re_sdprintf(&device_id, "%s:device:%s", HELDRESP_SIM_NS,
				  a->loc_id);
	if (err)
		goto out;

	memset(&p, 0, sizeof(p));
	p.ent = a->ent;
	p.entity = entity;
	p.device_id = device_id;
	p.provider = srv->provider;
	p.no_retransmission = srv->no_retransmission;
	p.retention_s = srv->retention_s;
	p.now = now;
	p.loctypes = all;
	err = pidf_encode(&full, &p);
	if (!err && (types & all) && (types & all) != all) {
		p.loctypes = types & all;
		err = pidf_encode(&part, &p);
	}
	if (err)
		goto out;

	if (types & HELDREQ_LT_URI) {
		err = re_sdprintf(&uri, "%H" LOC_PREFIX "%s", uri_base_print,
				  srv, a->loc_id);
		if (!err)
			err = loc_store(srv, a->loc_id, full, now);
		if (err)
			goto out;
	} else {
		a->loc_id[0] = '\0';
	}

	a->scode = 200;
	a->reason = "OK";
	a->ctype = CT_HELD;
	a->what = "locationResponse";
	err = heldresp_location_encode(a->body, uri, now + LOC_LIFETIME,
				       (types & all) ? (part ? part : full)
						     : NULL);

out:
	mem_deref(entity);
	mem_deref(device_id);
	mem_deref(uri);
	mem_deref(full);
	mem_deref(part);
	return err;
}

/* POST of a locationRequest; errors go back as HELD error documents. */
static int answer_held(struct simserver *srv, struct http_conn *conn,
		       const struct http_msg *msg, struct answer *a)
{
	struct heldreq_fault fault;
	unsigned types;
	int err;

	if (pl_strcmp(&msg->met, "POST"))
		return answer_error(a, "requestError",
				    "a HELD request is an HTTP POST");
	if (!msg_ctype_cmp(&msg->ctyp, "application", "held+xml"))
		return answer_error(a, "requestError",
				    "Content-Type must be " CT_HELD);

	err = heldreq_decode(&a->req, &fault, mbuf_buf(msg->mb),
			     mbuf_get_left(msg->mb));
	if (err == EBADMSG)
		return answer_error(a, fault.code, fault.message);
	if (err)
		return err;

	if (srv->mode.kind == SIMMODE_LOCATION_UNKNOWN)
		return answer_error(a, "locationUnknown",
				    "simulated: location unknown");
	if (srv->mode.kind == SIMMODE_NOT_LOCATABLE)
		return answer_error(a, "notLocatable",
				    "simulated: device not locatable");

	a->ent = wiremap_match(srv->wm, a->req, http_conn_peer(conn));
	if (!a->ent)
		return answer_error(a, "locationUnknown",
				    "no wiremap entry matches this device");

	/* RFC 5985: exact="true" and a type we lack */
	if (heldresp_types(&types, a->req, a->ent))
		return answer_error(a, "cannotProvideLiType",
				    "the requested location type is not known");

	return answer_location(srv, a, types);
}

/* GET of a location URI: the PIDF-LO it stands for. */
static int answer_deref(struct simserver *srv, const struct http_msg *msg,
			struct answer *a)
{
	const struct loc *loc;
	struct pl id = msg->path;

	if (pl_strcmp(&msg->met, "GET"))
		return answer_text(a, 405, "Method Not Allowed", "notAllowed",
				   "location URIs answer GET");

	pl_advance(&id, strlen(LOC_PREFIX));
	loc = loc_find(srv, &id, time(NULL));
	if (!loc)
		return answer_text(a, 404, "Not Found", "notFound",
				   "no such location URI, or it expired");

	pl_strcpy(&id, a->loc_id, sizeof(a->loc_id));
	a->scode = 200;
	a->reason = "OK";
	a->ctype = CT_PIDF;
	a->what = "pidf";

	return mbuf_write_str(a->body, loc->pidf);
}

/* The failure modes replace or delay whatever the answer was. */
static int mode_apply(const struct simserver *srv, struct answer *a)
{
	switch (srv->mode.kind) {

	case SIMMODE_SLOW:
		a->delay_ms = srv->mode.delay_ms;
		return 0;

	case SIMMODE_HTTP500:
		return answer_text(a, 500, "Internal Server Error", "http500",
				   "simulated LIS failure");

	case SIMMODE_HTTP503:
		return answer_text(a, 503, "Service Unavailable", "http503",
				   "simulated LIS outage");

	case SIMMODE_REFUSE:
		/* a connection accepted just before the listeners closed */
		a->close = true;
		a->what = "closed";
		return 0;

	case SIMMODE_GARBAGE:
		a->scode = 200;
		a->reason = "OK";
		a->ctype = CT_HELD;
		a->what = "garbage";
		a->body->end = a->body->pos = 0;
		return mbuf_write_str(a->body,
				      "this is not XML <<<&&& \x01 garbage\n");

	case SIMMODE_TRUNCATED:
		a->truncate = true;
		a->what = "truncated";
		return 0;

	default:
		return 0;
	}
}

#define AUTH_REALM "locphone-lis-sim"

/* http_auth_check's look-up: H(A1) of the one configured user. */
static int digest_ha1(const struct pl *user, uint8_t *ha1, void *arg)
{
	const struct simserver *srv = arg;
	const char *colon = strchr(srv->auth_user, ':');
	struct pl want;

	want.p = srv->auth_user;
	want.l = (size_t)(colon - srv->auth_user);
	if (pl_cmp(user, &want))
		return EAUTH;

	return md5_printf(ha1, "%r:%s:%s", &want, AUTH_REALM, colon + 1);
}

static bool basic_ok(const struct simserver *srv, const struct pl *hval)
{
	char creds[256];
	size_t len = sizeof(creds) - 1;
	struct pl b64;

	if (re_regex(hval->p, hval->l, "[ \t]*Basic[ \t]+[^ \t]+", NULL, NULL,
		     &b64))
		return false;
	if (base64_decode(b64.p, b64.l, (uint8_t *)creds, &len))
		return false;
	creds[len] = '\0';

	return 0 == strcmp(creds, srv->auth_user);
}

/* --auth: a request without the right credentials gets a 401 and its
 * challenge; true when it may go on. */
static bool auth_check(struct simserver *srv, const struct http_msg *msg,
		       struct answer *a)
{
	const struct http_hdr *hdr;
	struct http_auth auth = {AUTH_REALM, false};
	int err;

	if (srv->auth == SIMSERVER_AUTH_NONE)
		return true;

	hdr = http_msg_hdr(msg, HTTP_HDR_AUTHORIZATION);
	if (srv->auth == SIMSERVER_AUTH_BASIC) {
		if (hdr && basic_ok(srv, &hdr->val))
			return true;
		str_ncpy(a->challenge, "Basic realm=\"" AUTH_REALM "\"",
			 sizeof(a->challenge));
	} else {
		if (http_auth_check_request(msg, &auth, digest_ha1, srv))
			return true;
		(void)re_snprintf(a->challenge, sizeof(a->challenge), "%H",
				  http_auth_print_challenge, &auth);
	}

	err = answer_text(a, 401, "Unauthorized",
			  hdr ? "badCredentials" : "noCredentials",
			  "credentials needed");
	if (err)
		re_fprintf(stderr, "lis-sim: 401 answer: %m\n", err);

	return false;
}

static void lis_handler(struct listener *l, struct http_conn *conn,
			const struct http_msg *msg, struct answer *a)
{
	struct simserver *srv = l->srv;
	int err;

	if (!auth_check(srv, msg, a)) {
		log_write(srv, l, conn, msg, a);
		answer_deliver(srv, conn, a);
		return;
	}

	if (path_has_prefix(&msg->path, LOC_PREFIX))
		err = answer_deref(srv, msg, a);
	else
		err = answer_held(srv, conn, msg, a);

	if (!err)
		err = mode_apply(srv, a);

	if (err) {
		re_fprintf(stderr, "lis-sim: answer failed: %m\n", err);
		a->ent = NULL;
		a->loc_id[0] = '\0';
		(void)answer_text(a, 500, "Internal Server Error", "failed",
				  "the simulator failed");
	}

	log_write(srv, l, conn, msg, a);
	answer_deliver(srv, conn, a);
}

static void listener_close(struct listener *l)
{
	l->hs = mem_deref(l->hs);
}

static void request_handler(struct http_conn *conn, const struct http_msg *msg,
			    void *arg);

static int listener_open(struct listener *l)
{
	if (l->role == SIMSERVER_HTTPS)
		return https_listen(&l->hs, &l->laddr, l->srv->cert,
				    request_handler, l);

	return http_listen(&l->hs, &l->laddr, request_handler, l);
}

/* Close or reopen the HELD listeners (not the control ones). */
static int lis_listeners_set(struct simserver *srv, bool open)
{
	struct le *le;
	int err = 0;

	for (le = srv->listeners.head; le && !err; le = le->next) {
		struct listener *l = le->data;

		if (l->role == SIMSERVER_CONTROL)
			continue;

		if (!open)
			listener_close(l);
		else if (!l->hs)
			err = listener_open(l);
	}

	if (err)
		(void)lis_listeners_set(srv, false);

	return err;
}

static int mode_set(struct simserver *srv, const struct simmode *mode)
{
	const bool was_refusing = srv->mode.kind == SIMMODE_REFUSE;
	const bool refuse = mode->kind == SIMMODE_REFUSE;
	int err = 0;

	if (refuse && !was_refusing)
		err = lis_listeners_set(srv, false);
	else if (!refuse && was_refusing)
		err = lis_listeners_set(srv, true);

	if (!err)
		srv->mode = *mode;

	return err;
}

/* GET /control: the mode; POST /control with a mode as the body: switch
 * to it, and answer once it is in force. */
static void control_handler(struct listener *l, struct http_conn *conn,
			    const struct http_msg *msg, struct answer *a)
{
	struct simserver *srv = l->srv;
	struct simmode mode;
	struct pl body;
	char text[64];
	int err = 0;

	if (pl_strcmp(&msg->path, "/control")) {
		err = answer_text(a, 404, "Not Found", "notFound",
				  "only /control here");
		goto out;
	}

	if (0 == pl_strcmp(&msg->met, "POST")) {
		body.p = (const char *)mbuf_buf(msg->mb);
		body.l = mbuf_get_left(msg->mb);
		if (body.l > CONTROL_BODY_MAX || simmode_decode(&mode, &body)) {
			err = answer_text(a, 400, "Bad Request", "badMode",
					  "not a mode");
			goto out;
		}

		err = mode_set(srv, &mode);
		if (err) {
			re_fprintf(stderr, "lis-sim: cannot leave refuse: %m\n",
				   err);
			err = answer_text(a, 500, "Internal Server Error",
					  "failed", "cannot reopen listeners");
			goto out;
		}
	} else if (pl_strcmp(&msg->met, "GET")) {
		err = answer_text(a, 405, "Method Not Allowed", "notAllowed",
				  "GET or POST");
		goto out;
	}

	(void)re_snprintf(text, sizeof(text), "mode %H", simmode_print,
			  &srv->mode);
	err = answer_text(a, 200, "OK", "mode", text);

out:
	if (err)
		re_fprintf(stderr, "lis-sim: control answer: %m\n", err);

	log_write(srv, l, conn, msg, a);
	answer_deliver(srv, conn, a);
}

static void request_handler(struct http_conn *conn, const struct http_msg *msg,
			    void *arg)
{
	struct listener *l = arg;
	struct answer a;

	memset(&a, 0, sizeof(a));
	a.body = mbuf_alloc(2048);
	if (!a.body) {
		http_conn_close(conn);
		return;
	}

	if (l->role == SIMSERVER_CONTROL)
		control_handler(l, conn, msg, &a);
	else
		lis_handler(l, conn, msg, &a);

	answer_reset(&a);
}

int simserver_listen(struct simserver *srv, enum simserver_role role,
		     const struct sa *laddr)
{
	struct listener *l;
	int err;

	if (!srv || !laddr || (unsigned)role >= SIMSERVER_ROLE_COUNT)
		return EINVAL;
	if (role == SIMSERVER_HTTPS && !srv->cert)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), listener_destructor);
	if (!l)
		return ENOMEM;

	l->srv = srv;
	l->role = role;
	l->laddr = *laddr;

	err = listener_open(l);
	if (err)
		goto out;

	/* remember the port the kernel chose, to reopen the same one */
	err = tcp_sock_local_get(http_sock_tcp(l->hs), &l->laddr);
	if (err)
		goto out;

	list_append(&srv->listeners, &l->le, l);

out:
	if (err)
		mem_deref(l);
	return err;
}

int simserver_start(struct simserver *srv)
{
	if (!srv)
		return EINVAL;

	if (srv->mode.kind == SIMMODE_REFUSE)
		return lis_listeners_set(srv, false);

	return 0;
}

int simserver_ready_print(struct re_printf *pf, const struct simserver *srv)
{
	int role, err;

	if (!srv)
		return EINVAL;

	err = re_hprintf(pf, "{\"pid\":%d", (int)getpid());
	for (role = 0; role < SIMSERVER_ROLE_COUNT && !err; role++) {
		const char *sep = "";
		struct le *le;

		err = re_hprintf(pf, ",\"%s\":[", role_names[role]);
		for (le = srv->listeners.head; le && !err; le = le->next) {
			const struct listener *l = le->data;

			if ((int)l->role != role)
				continue;
			err = re_hprintf(pf, "%s\"%J\"", sep, &l->laddr);
			sep = ",";
		}
		if (!err)
			err = re_hprintf(pf, "]");
	}
	if (!err)
		err = re_hprintf(pf, ",\"mode\":\"%H\"}\n", simmode_print,
				 &srv->mode);

	return err;
}
