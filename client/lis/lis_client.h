/* lis_client: HTTPS transport to the Location Information Server (LIS). */

/*
 * What this is
 * ------------
 * A non-blocking HTTP(S) POST client for HELD (RFC 5985) requests, built on
 * the libcurl multi interface and driven by libre's event loop (re_main):
 * libcurl's sockets are watched with fd_listen() and its timeouts run on a
 * libre tmr.  Nothing here blocks, sleeps or starts a thread, so it is safe
 * inside a baresip module.  All functions must be called from the re_main
 * thread.
 *
 * It knows nothing about HELD: request and response bodies are opaque bytes.
 * The caller encodes the locationRequest and decodes the answer.  HELD errors
 * arrive inside a 2xx answer (standards.md §1.5), so a 2xx is handed over as
 * it is, with err 0; the caller must read the body.
 *
 * Failover and retries
 * --------------------
 * A query asks the primary LIS, and if that attempt fails, the secondary.
 * An attempt fails on: connection or name-resolution failure, the connect or
 * total time-out, any TLS failure (certificate verification included), an
 * HTTP 5xx status, a refusal of the device's credentials (HTTP 401 after
 * the answer to the challenge, 407, or the TLS client certificate asked
 * for or refused: each server has its own credentials), a body larger than
 * the cap, or a broken transfer.  When
 * every server of a pass has failed, the whole list is tried again after a
 * back-off of backoff_ms, doubled before each further pass, up to `retries`
 * further passes.  Any other HTTP status (1xx-4xx) is an answer from the LIS
 * and ends the query at once, without failover.
 *
 * Security choices
 * ----------------
 * - https:// only, unless allow_http is set (a laboratory LIS simulator).
 *   libcurl is restricted to these protocols.
 * - Certificate and host-name verification always on (VERIFYPEER, VERIFYHOST),
 *   TLS 1.2 or newer.  With ca_file set, that file holds the only trust
 *   anchors; otherwise the system store is used.
 * - HTTP credentials and the client certificate are per server and never
 *   logged: errtext names the server and what it refused, not the secret.
 * - Redirects are never followed: a 3xx is returned to the caller as an answer
 *   (err EPROTO).  A redirect would send the device's identity and
 *   measurements to a server nobody configured; the administrator configures
 *   the real LIS URL instead.
 * - No proxy from the environment (http_proxy, https_proxy, ...): only the
 *   configured proxy, if any.  No cookies, no .netrc, no content decoding.
 * - Every attempt opens a new connection: the LIS locates a device that
 *   sends no identifiers by the source address it sees (standards.md §2),
 *   so a connection opened before a network change must not carry a later
 *   request.
 *
 * Never blocking, and its one exception
 * -------------------------------------
 * Connecting, TLS and the transfer all run from the loop; host names are
 * resolved by libcurl's asynchronous resolver.  The exception is OpenSSL
 * loading the trust store from disk, synchronously, at the first TLS
 * handshake of a client: a one-off stall of some tens of ms with the system
 * store (a single-certificate ca_file costs next to nothing).  libcurl keeps
 * the loaded store with the client for 24 hours (CURLOPT_CA_CACHE_TIMEOUT's
 * default), so create the client at start-up and keep it.
 *
 * How the location module uses it
 * -------------------------------
 * The module owns one lis_client per configured LIS pair and asks it:
 * - at start-up (HELD responseTime "emergencyDispatch", standards.md §1.2);
 * - when the network changes (network.changed): cancel the query in flight
 *   (mem_deref its handle), clear the suppressions (a new network may be
 *   served by this LIS), ask again;
 * - every refresh_interval, even without a network change;
 * - when an emergency call starts and the cached location is stale
 *   ("emergencyRouting").  The call never waits for this answer: it goes out
 *   with the best location at hand, and a fresher answer only updates the
 *   cache for later use.
 * When a LIS answers the HELD error notLocatable, the device must not ask that
 * LIS again on this network (standards.md §1.4): the module calls
 * lis_client_suppress(lc, server, true) until the next network change.
 */

#ifndef LOCPHONE_LIS_CLIENT_H
#define LOCPHONE_LIS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <re.h>

#include "ndlog.h"

/* Defaults for the zero values of struct lis_config. */
enum {
	LIS_CONNECT_TIMEOUT_DEFAULT = 3000, /* ms */
	LIS_TIMEOUT_DEFAULT = 8000,	    /* ms, lis_timeout_ms */
	LIS_BODY_MAX_DEFAULT = 262144,	    /* bytes, 256 KiB */
	LIS_RETRIES_MAX = 16,
	LIS_BACKOFF_MAX = 300000, /* ms: no back-off is longer */
};

/* Which server of the pair a result came from. */
enum lis_server {
	LIS_PRIMARY = 0,
	LIS_SECONDARY = 1,
};

/* Which HTTP authentication schemes answer a LIS's 401. */
enum lis_http_auth {
	LIS_AUTH_ANY = 0, /* Basic or Digest, as the LIS asks (never NTLM) */
	LIS_AUTH_BASIC,
	LIS_AUTH_DIGEST,
};

/*
 * How the device proves who it is to one LIS.  HTTP credentials are only
 * sent when the LIS asks (a 401), Basic only over https://; the client
 * certificate is offered when the LIS asks for one in the TLS handshake.
 */
struct lis_auth {
	const char *user;     /* NULL or "": no HTTP authentication */
	const char *password; /* with user */
	enum lis_http_auth method;
	const char *client_cert; /* PEM certificate (chain), NULL: none */
	const char *client_key;	 /* its PEM private key, NULL: in the cert */
};

struct lis_config {
	const char *primary_url;   /* required: https://host[:port]/path */
	const char *secondary_url; /* optional: NULL or "" for none */
	const char *ca_file; /* optional: PEM trust anchors, NULL = system */
	const char *proxy;   /* optional: proxy URL, NULL = no proxy */
	bool allow_http;     /* accept http:// URLs (test LIS only) */
	uint32_t connect_timeout_ms; /* per attempt; 0 = default */
	uint32_t timeout_ms; /* lis_timeout_ms: whole attempt; 0 = default */
	uint32_t retries;    /* further passes over the list, <= RETRIES_MAX */
	uint32_t backoff_ms; /* wait before the first retry; doubles */
	size_t body_max;     /* response body cap; 0 = default */
	struct lis_auth auth[2]; /* per server (enum lis_server); copied */
	struct ndlog lg;	 /* where the client logs; {NULL}: nowhere */
	/* GET instead of POST, with "Accept: text/plain": a served policy
	 * (issue 14), fetched under the same TLS rules as the LIS */
	bool get;
};

struct lis_client;
struct lis_query;

/*
 * Result of a query, called exactly once unless the query or its client was
 * dereferenced first (then never).  It is never called from inside
 * lis_client_query().
 *
 *   err     0 if the LIS answered 2xx; EPROTO for another HTTP status (no
 *           failover for 1xx-4xx; for 5xx after every retry);
 *           ECONNREFUSED, EHOSTUNREACH, ETIMEDOUT, ECONNRESET; EAUTH for a
 *           certificate that failed verification; EACCES when the LIS
 *           refused the device's HTTP credentials or TLS client certificate
 *           (or asked for ones not configured); EPROTO for another TLS
 *           failure; EFBIG for a body over the cap; ENOENT if every server
 *           became suppressed; ENOMEM.  On failure it is the error of the
 *           last attempt.
 *   server  the server that answered, or on failure the last one tried.
 *   status  HTTP status of that answer, 0 if none.
 *   body    the response body when the query ended on an HTTP answer below
 *           500 (err 0, or EPROTO with that status), else NULL.  Borrowed:
 *           valid during the call; mem_ref() it to keep it.  Bytes start at
 *           body->buf, length body->end.
 *   errtext "" on success, else a short text for logs, e.g.
 *           "LIS https://lis.example.net/held certificate verification
 *           failed: ...".  Valid during the call.
 *
 * The handler may dereference the query, start new queries, or dereference
 * the client (which cancels the client's other queries).
 */
typedef void(lis_resp_h)(int err, enum lis_server server, uint16_t status,
			 struct mbuf *body, const char *errtext, void *arg);

/*
 * Creates a client for one primary/secondary pair.  The strings of cfg are
 * copied.  The first client initialises libcurl, the last one released cleans
 * it up.  Returns 0 and sets *lcp (the caller owns it, mem_deref to free),
 * EINVAL for a missing or unusable URL (scheme other than https, or http
 * without allow_http) or retries over LIS_RETRIES_MAX, ENOMEM, or EIO if
 * libcurl failed to initialise.  Freeing the client cancels its queries
 * without calling their handlers.
 */
int lis_client_alloc(struct lis_client **lcp, const struct lis_config *cfg);

/*
 * POSTs len bytes of body (copied) as application/held+xml (Content-Type and
 * Accept), with failover and retries as described above; resph gets the
 * result.  With lqp non-NULL, *lqp is set to the query handle, owned by the
 * caller: mem_deref() cancels the query if it is still running, and must be
 * called in any case, also after the handler ran.  With lqp NULL the client
 * owns the query.  Returns 0, EINVAL for missing arguments or an empty body,
 * ENOENT if no server may be asked (all suppressed), or ENOMEM.  On error the
 * handler is not called.  A client made with cfg->get sends a GET and
 * takes no body (NULL, 0).
 */
int lis_client_query(struct lis_query **lqp, struct lis_client *lc,
		     const uint8_t *body, size_t len, lis_resp_h *resph,
		     void *arg);

/*
 * Marks a server as not to be asked (standards.md §1.4, notLocatable) or
 * clears the mark.  Attempts already in flight finish; later attempts of
 * running queries and new queries skip a suppressed server.
 */
void lis_client_suppress(struct lis_client *lc, enum lis_server server,
			 bool suppressed);

/* Returns the configured URL of a server (owned by lc), or NULL if none. */
const char *lis_client_url(const struct lis_client *lc, enum lis_server server);

#endif
