/* sipbody_tls: every SIP-over-TLS connection baresip opens is verified. */

#include <re.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "sipbody.h"

/*
 * libre 1.1.0 opens SIP TLS connections without any check: its context is
 * made by baresip with SSL_VERIFY_NONE and no trust anchors, and the
 * connection is not told which host it is for.  So libsipbody wraps:
 *
 * - sip_transp_send: for a request over TLS, the host libre resolved to
 *   reach the next hop (RFC 3261 §16.6/§8.1.2: the top Route's URI, else
 *   the Request-URI) is what the server's certificate must name (RFC 5922
 *   §7); it is noted for the duration of the call, in which libre opens a
 *   new connection if it has none (conn_send -> tls_start_tcp);
 * - tls_start_tcp and SSL_new: the SSL object made for that outgoing
 *   connection gets SSL_VERIFY_PEER, the expected host (a name, or an IP
 *   address as OpenSSL 3 takes it through SSL_set1_host) and SNI for names;
 *   the context gets the CA file/dir the launcher passes in
 *   LOCPHONE_SIP_CA_FILE / LOCPHONE_SIP_CA_DIR, else the system's store.
 *
 * A refused certificate fails the handshake: libre closes the connection
 * and the request fails (a registration with "Protocol error").  Why it
 * was refused is kept for the modules (sipbody_tls_failure).  Connections
 * the far end opens to us are not checked: we are the server there.
 */

/* libre's private types (src/sip/sip.h of 1.1.0), as the ABI has them. */
struct sip_connqent;
typedef void(sip_transp_h)(int err, void *arg);

typedef int(transp_send_fn)(struct sip_connqent **qentp, struct sip *sip,
			    void *sock, enum sip_transp tp,
			    const struct sa *dst, struct mbuf *mb,
			    sip_transp_h *transph, void *arg);
typedef int(start_tcp_fn)(struct tls_conn **ptc, struct tls *tls,
			  struct tcp_conn *tcp, int layer);
typedef SSL *(ssl_new_fn)(SSL_CTX *ctx);

/* Declared here: libre is built with OpenSSL, and it defines this. */
int sip_transp_send(struct sip_connqent **qentp, struct sip *sip, void *sock,
		    enum sip_transp tp, const struct sa *dst, struct mbuf *mb,
		    sip_transp_h *transph, void *arg);

#define FAILURES 8

static struct {
	bool resolved;
	transp_send_fn *transp_send;
	start_tcp_fn *start_tcp;
	ssl_new_fn *ssl_new;

	SSL_CTX *ctx_done; /* trust anchors loaded into this one */
	bool ca_failed;

	/* the latest refusals, newest at [0] */
	struct sipbody_tls_failure failv[FAILURES];
	unsigned failc;
	unsigned failures; /* ever */
} T;

/* Per thread: libcurl (the LIS client) may make SSL objects on another
 * thread while baresip's opens a SIP connection. */
static _Thread_local struct {
	char host[256]; /* the next hop's host, inside sip_transp_send */
	bool in_start;	/* inside tls_start_tcp for that connection */
	SSL *ssl;	/* what SSL_new made there */
} C;

static void resolve(void)
{
	if (T.resolved)
		return;
	T.resolved = true;
	T.transp_send = (transp_send_fn *)dlsym(RTLD_NEXT, "sip_transp_send");
	T.start_tcp = (start_tcp_fn *)dlsym(RTLD_NEXT, "tls_start_tcp");
	T.ssl_new = (ssl_new_fn *)dlsym(RTLD_NEXT, "SSL_new");
}

static void failure_add(const char *host, const char *why)
{
	struct sipbody_tls_failure *f;

	memmove(&T.failv[1], &T.failv[0], (FAILURES - 1) * sizeof(T.failv[0]));
	f = &T.failv[0];
	memset(f, 0, sizeof(*f));
	str_ncpy(f->host, host, sizeof(f->host));
	str_ncpy(f->reason, why, sizeof(f->reason));
	if (T.failc < FAILURES)
		++T.failc;
	f->seq = ++T.failures;

	(void)re_fprintf(stderr,
			 "sipbody: TLS to %s refused: %s (the connection is "
			 "closed)\n",
			 host, why);
}

static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl;
	X509_VERIFY_PARAM *param;
	const char *host = NULL;
	char *ip = NULL;
	int e;

	if (ok)
		return ok;

	e = X509_STORE_CTX_get_error(xs);
	ssl = X509_STORE_CTX_get_ex_data(xs,
					 SSL_get_ex_data_X509_STORE_CTX_idx());
	param = ssl ? SSL_get0_param(ssl) : NULL;
	if (param) {
		host = X509_VERIFY_PARAM_get0_host(param, 0);
		if (!host)
			host = ip = X509_VERIFY_PARAM_get1_ip_asc(param);
	}

	failure_add(host ? host : "?",
		    T.ca_failed ? "the CA file/dir could not be read"
				: X509_verify_cert_error_string(e));
	OPENSSL_free(ip);
	return 0;
}

/* The trust anchors: the configured CA file/dir, else the system's. */
static void ctx_prepare(SSL_CTX *ctx)
{
	const char *file = getenv("LOCPHONE_SIP_CA_FILE");
	const char *dir = getenv("LOCPHONE_SIP_CA_DIR");
	int ok;

	if (ctx == T.ctx_done)
		return;
	T.ctx_done = ctx;

	if (file && !file[0])
		file = NULL;
	if (dir && !dir[0])
		dir = NULL;

	if (file || dir)
		ok = SSL_CTX_load_verify_locations(ctx, file, dir);
	else
		ok = SSL_CTX_set_default_verify_paths(ctx);

	T.ca_failed = ok != 1;
	if (T.ca_failed) {
		ERR_clear_error();
		(void)re_fprintf(
			stderr,
			"sipbody: cannot load the SIP CA %s%s%s: every "
			"TLS connection will be refused\n",
			file ? file : "", file && dir ? " and " : "",
			dir ? dir : (file ? "" : "system store"));
	}
}

static void ssl_verify_setup(SSL *ssl, const char *host)
{
	struct sa sa;

	ctx_prepare(SSL_get_SSL_CTX(ssl));

	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (1 != SSL_set1_host(ssl, host))
		ERR_clear_error(); /* no name to match: verification fails */
	if (sa_set_str(&sa, host, 0) &&
	    1 != SSL_set_tlsext_host_name(ssl, host))
		ERR_clear_error(); /* SNI only for names (RFC 6066 §3) */
	SSL_set_verify(ssl, SSL_VERIFY_PEER, verify_cb);
}

SSL *SSL_new(SSL_CTX *ctx)
{
	SSL *ssl;

	resolve();
	if (!T.ssl_new)
		return NULL;

	ssl = T.ssl_new(ctx);
	if (ssl && C.in_start && !C.ssl)
		C.ssl = ssl;

	return ssl;
}

int tls_start_tcp(struct tls_conn **ptc, struct tls *tls, struct tcp_conn *tcp,
		  int layer)
{
	bool outgoing = C.host[0] && !C.in_start;
	int err;

	resolve();
	if (!T.start_tcp)
		return ENOSYS;

	if (!outgoing)
		return T.start_tcp(ptc, tls, tcp, layer);

	C.in_start = true;
	C.ssl = NULL;
	err = T.start_tcp(ptc, tls, tcp, layer);
	C.in_start = false;

	if (!err && C.ssl)
		ssl_verify_setup(C.ssl, C.host);
	else if (!err) {
		/* an SSL we cannot reach: better no connection than one
		 * nobody checked */
		failure_add(C.host, "the TLS connection could not be set up "
				    "for verification");
		*ptc = mem_deref(*ptc);
		err = EPROTO;
	}
	C.ssl = NULL;

	return err;
}

/* The host whose certificate a request over TLS must show. */
static void next_hop_host(char *buf, size_t sz, struct mbuf *mb)
{
	const struct sip_hdr *route;
	struct sip_msg *msg = NULL;
	struct sip_addr addr;
	size_t pos = mb->pos;

	buf[0] = '\0';
	mb->pos = 0;
	if (sip_msg_decode(&msg, mb))
		goto out;
	if (!msg->req)
		goto out;

	route = sip_msg_hdr(msg, SIP_HDR_ROUTE);
	if (route && !sip_addr_decode(&addr, &route->val))
		(void)pl_strcpy(&addr.uri.host, buf, sz);
	else
		(void)pl_strcpy(&msg->uri.host, buf, sz);

out:
	mem_deref(msg);
	mb->pos = pos;
}

int sip_transp_send(struct sip_connqent **qentp, struct sip *sip, void *sock,
		    enum sip_transp tp, const struct sa *dst, struct mbuf *mb,
		    sip_transp_h *transph, void *arg)
{
	int err;

	resolve();
	if (!T.transp_send)
		return ENOSYS;

	if (tp != SIP_TRANSP_TLS || !mb)
		return T.transp_send(qentp, sip, sock, tp, dst, mb, transph,
				     arg);

	next_hop_host(C.host, sizeof(C.host), mb);
	err = T.transp_send(qentp, sip, sock, tp, dst, mb, transph, arg);
	C.host[0] = '\0';

	return err;
}

unsigned sipbody_tls_failures(const struct sipbody_tls_failure **fv, size_t *fc)
{
	if (fv)
		*fv = T.failv;
	if (fc)
		*fc = T.failc;

	return T.failures;
}
