/* sipbody: LD_PRELOAD wrapper adding a body part to chosen INVITEs. */

#include <re.h>
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "multipart.h"
#include "siptransport.h"
#include "sipbody.h"
#include "uritext.h"

typedef int(connect_fn)(struct sipsess **sessp, struct sipsess_sock *sock,
			const char *to_uri, const char *from_name,
			const char *from_uri, const char *cuser,
			const char *routev[], uint32_t routec,
			const char *ctype, struct mbuf *desc, sip_auth_h *authh,
			void *aarg, bool aref, sipsess_offer_h *offerh,
			sipsess_answer_h *answerh, sipsess_progr_h *progrh,
			sipsess_estab_h *estabh, sipsess_info_h *infoh,
			sipsess_refer_h *referh, sipsess_close_h *closeh,
			void *arg, const char *fmt, ...);
typedef int(modify_fn)(struct sipsess *sess, struct mbuf *desc);
typedef int(udp_send_fn)(struct udp_sock *us, const struct sa *dst,
			 struct mbuf *mb);
typedef int(dialog_alloc_fn)(struct sip_dialog **dlgp, const char *uri,
			     const char *to_uri, const char *from_name,
			     const char *from_uri, const char *routev[],
			     uint32_t routec);
typedef int(drefer_fn)(struct sipsub **subp, struct sipevent_sock *sock,
		       struct sip_dialog *dlg, const char *cuser,
		       sip_auth_h *authh, void *aarg, bool aref,
		       sipsub_notify_h *notifyh, sipsub_close_h *closeh,
		       void *arg, const char *fmt, ...);

/* One armed INVITE, and afterwards the session it created. */
struct hook {
	struct le le;
	unsigned handle;
	char *match_uri;
	char *req_uri; /* NULL: the INVITE keeps baresip's */
	char *to_uri;  /* NULL: the Request-URI */
	char *route;   /* NULL: baresip's routes; "": none */
	char *hdrs;
	char *part_hdrs;
	uint8_t *part;
	size_t part_len;
	char boundary[32];
	char *sdp_ctype;
	struct sipsess *sess; /* NULL until the INVITE was sent */
	bool locked;	      /* no hold, no transfer */
	void (*held)(unsigned handle, void *arg);
	void *arg;
	bool resuming; /* held() runs: the resume's re-INVITE is dropped */
	bool fit_transport;
	void (*unreachable)(unsigned handle, int err, void *arg);
	int probe_fd; /* -1: none yet */
	struct sa probe_dst;
	char *call_id; /* of the INVITE, once libre made it */
};

static struct {
	connect_fn *connect;
	modify_fn *modify;
	dialog_alloc_fn *dialog_alloc;
	drefer_fn *drefer;
	udp_send_fn *udp_send;
	struct hook *sending; /* inside sipsess_connect for this hook */
	bool resolved;
	const char *to_pending; /* sipsess_connect runs for a hook's To */
	struct list hooks;
	struct hook *armed;
	unsigned next_handle;
	/* the last part armed: hooks carrying the same bytes share it (an
	 * emergency call's PIDF-LO is the same until the location changes),
	 * so arming copies nothing large before the INVITE */
	uint8_t *last_part;
	size_t last_len;
} sb;

static void resolve(void)
{
	if (sb.resolved)
		return;

	sb.resolved = true;
	sb.connect = (connect_fn *)dlsym(RTLD_NEXT, "sipsess_connect");
	sb.modify = (modify_fn *)dlsym(RTLD_NEXT, "sipsess_modify");
	sb.dialog_alloc =
		(dialog_alloc_fn *)dlsym(RTLD_NEXT, "sip_dialog_alloc");
	sb.drefer = (drefer_fn *)dlsym(RTLD_NEXT, "sipevent_drefer");
	sb.udp_send = (udp_send_fn *)dlsym(RTLD_NEXT, "udp_send");
	if (!sb.connect || !sb.modify)
		re_fprintf(stderr, "sipbody: libre's sipsess functions not "
				   "found; INVITEs go out without location\n");
}

static void probe_close(struct hook *h)
{
	if (h->probe_fd < 0)
		return;

	fd_close(h->probe_fd);
	(void)close(h->probe_fd);
	h->probe_fd = -1;
}

static void hook_destructor(void *arg)
{
	struct hook *h = arg;

	if (sb.sending == h)
		sb.sending = NULL;
	probe_close(h);
	mem_deref(h->call_id);
	list_unlink(&h->le);
	mem_deref(h->match_uri);
	mem_deref(h->req_uri);
	mem_deref(h->to_uri);
	mem_deref(h->route);
	mem_deref(h->hdrs);
	mem_deref(h->part_hdrs);
	mem_deref(h->part);
	mem_deref(h->sdp_ctype);
}

/* Whole CRLF-ended lines (uritext): a stray CR or LF would forge a
 * header, an empty line would end the headers. */
static bool header_lines_ok(const char *s)
{
	return uritext_header_lines_valid(s, strlen(s), SIPBODY_MAX_HDRS);
}

/* A URI that fits in <...> on one header line (uritext). */
static bool uri_ok(const char *s, bool empty_ok)
{
	if (!*s)
		return empty_ok;

	return uritext_uri_str_valid(s, SIPBODY_MAX_HDRS);
}

static bool request_ok(const struct sipbody_request *rq)
{
	if (rq->hdrs && !header_lines_ok(rq->hdrs))
		return false;
	if (rq->req_uri && !uri_ok(rq->req_uri, false))
		return false;
	if (rq->to_uri && !uri_ok(rq->to_uri, false))
		return false;
	if (rq->route && !uri_ok(rq->route, true))
		return false;
	if (!rq->part_hdrs)
		return true;

	return rq->part && rq->part_len && rq->part_len <= SIPBODY_MAX_PART &&
	       *rq->part_hdrs && header_lines_ok(rq->part_hdrs);
}

static int strdup_opt(char **dst, const char *src)
{
	return src ? str_dup(dst, src) : 0;
}

unsigned sipbody_arm_request(const struct sipbody_request *rq)
{
	struct hook *h;

	resolve();
	if (!sb.connect || !rq || !request_ok(rq))
		return 0;

	h = mem_zalloc(sizeof(*h), hook_destructor);
	if (!h)
		return 0;

	if (str_dup(&h->hdrs, rq->hdrs ? rq->hdrs : "") ||
	    strdup_opt(&h->part_hdrs, rq->part_hdrs) ||
	    strdup_opt(&h->match_uri, rq->match_uri) ||
	    strdup_opt(&h->req_uri, rq->req_uri) ||
	    strdup_opt(&h->to_uri, rq->to_uri) ||
	    strdup_opt(&h->route, rq->route)) {
		mem_deref(h);
		return 0;
	}
	if (rq->part_hdrs && sb.last_part && sb.last_len == rq->part_len &&
	    !memcmp(sb.last_part, rq->part, rq->part_len)) {
		h->part = mem_ref(sb.last_part);
		h->part_len = rq->part_len;
	} else if (rq->part_hdrs) {
		h->part = mem_alloc(rq->part_len, NULL);
		if (!h->part) {
			mem_deref(h);
			return 0;
		}
		memcpy(h->part, rq->part, rq->part_len);
		h->part_len = rq->part_len;
		mem_deref(sb.last_part);
		sb.last_part = mem_ref(h->part);
		sb.last_len = h->part_len;
	}
	h->locked = rq->locked;
	h->fit_transport = rq->fit_transport;
	h->unreachable = rq->unreachable;
	h->probe_fd = -1;
	h->held = rq->held;
	h->arg = rq->arg;

	if (++sb.next_handle == 0)
		++sb.next_handle;
	h->handle = sb.next_handle;

	/* a second arm before the INVITE replaces the first */
	mem_deref(sb.armed);
	sb.armed = h;
	list_append(&sb.hooks, &h->le, h);

	return h->handle;
}

void sipbody_release(unsigned handle)
{
	struct le *le;

	for (le = sb.hooks.head; le; le = le->next) {
		struct hook *h = le->data;

		if (h->handle != handle)
			continue;
		if (sb.armed == h)
			sb.armed = NULL;
		mem_deref(h);
		return;
	}
}

bool sipbody_active(void)
{
	resolve();
	return sb.connect && sb.modify;
}

static struct hook *hook_by_sess(const struct sipsess *sess)
{
	struct le *le;

	for (le = sb.hooks.head; le; le = le->next) {
		struct hook *h = le->data;

		if (h->sess && h->sess == sess)
			return h;
	}

	return NULL;
}

/*
 * The next boundary: "locphone-" and 16 hex digits of a splitmix64 sequence
 * seeded once from libre's random source.  A boundary must only be absent
 * from the parts (checked below), not unpredictable, and the seed keeps
 * two phones apart; this spares each call a trip through the CSPRNG.
 */
static void boundary_next(char *buf)
{
	static const char hex[] = "0123456789abcdef";
	static uint64_t state;
	static bool seeded;
	uint64_t z;

	if (!seeded) {
		state = rand_u64();
		seeded = true;
	}
	z = (state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;

	memcpy(buf, "locphone-", 9);
	for (int i = 0; i < 16; i++)
		buf[9 + i] = hex[(z >> (60 - 4 * i)) & 0xf];
	buf[25] = '\0';
}

/*
 * desc wrapped with the hook's part: multipart/mixed, SDP first.  With
 * choose, a new boundary is taken until one occurs in neither part (EEXIST
 * after eight tries); otherwise the session's boundary must still fit.
 */
static int body_build(struct mbuf **mbp, struct hook *h, const char *sdp_ctype,
		      const struct mbuf *desc, bool choose)
{
	const uint8_t *sdp = desc ? desc->buf : NULL;
	size_t sdp_len = desc ? desc->end : 0;
	struct mbuf *mb;
	int err;

	mb = mbuf_alloc(sdp_len + h->part_len + 512);
	if (!mb)
		return ENOMEM;

	for (int i = 0; i < 8; i++) {
		if (choose)
			boundary_next(h->boundary);
		mbuf_rewind(mb);
		err = multipart_build(mb, h->boundary, sdp_ctype, sdp, sdp_len,
				      h->part_hdrs, h->part, h->part_len);
		if (err != EEXIST || !choose)
			break;
	}
	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;
	return 0;
}

/* The armed hook for an INVITE to to_uri, or NULL (a stale one dropped). */
static struct hook *hook_take(const char *to_uri, const struct mbuf *desc,
			      const char *ctype, struct mbuf **bodyp)
{
	struct hook *h = sb.armed;

	sb.armed = NULL;
	if (h && h->match_uri && str_cmp(h->match_uri, to_uri)) {
		re_fprintf(stderr,
			   "sipbody: armed for %s but the INVITE goes to %s;"
			   " sent unchanged\n",
			   h->match_uri, to_uri);
		mem_deref(h);
		return NULL;
	}

	if (h && h->part && body_build(bodyp, h, ctype, desc, true)) {
		re_fprintf(stderr, "sipbody: cannot build the multipart body;"
				   " INVITE sent without the extra part\n");
		mem_deref(h);
		return NULL;
	}

	return h;
}

/* What came back to the probe: an ICMP error is the hook's news. */
static void probe_handler(int flags, void *arg)
{
	struct hook *h = arg;
	void (*cb)(unsigned handle, int err, void *arg) = h->unreachable;
	uint8_t buf[64];
	ssize_t n;
	int err;
	(void)flags;

	n = recv(h->probe_fd, buf, sizeof(buf), 0);
	if (n >= 0)
		return; /* a peer that answers keep-alives: alive */
	err = errno;
	if (err != ECONNREFUSED && err != EHOSTUNREACH && err != ENETUNREACH)
		return;

	re_fprintf(stderr, "sipbody: %J: %m\n", &h->probe_dst, err);
	probe_close(h);
	h->unreachable = NULL; /* once */
	if (cb)
		cb(h->handle, err, h->arg); /* may release h */
}

/* The INVITE of h went to dst over UDP: a keep-alive from our own socket
 * connected there, so that an ICMP error reaches us. */
static void probe_send(struct hook *h, const struct sa *dst)
{
	static const char ping[] = "\r\n\r\n";
	int fd;

	if (!h->unreachable)
		return;

	if (h->probe_fd < 0 || !sa_cmp(&h->probe_dst, dst, SA_ALL)) {
		probe_close(h);
		fd = socket(sa_af(dst),
			    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return;
		if (connect(fd, &dst->u.sa, dst->len) ||
		    fd_listen(fd, FD_READ | FD_EXCEPT, probe_handler, h)) {
			(void)close(fd);
			return;
		}
		h->probe_fd = fd;
		h->probe_dst = *dst;
	}

	(void)send(h->probe_fd, ping, sizeof(ping) - 1, 0);
}

/* True if the n bytes at p hold the text s. */
static bool contains(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s), i;

	if (!k || k > n)
		return false;
	for (i = 0; i + k <= n; i++)
		if (p[i] == (uint8_t)s[0] && !memcmp(p + i, s, k))
			return true;

	return false;
}

/* The hook whose INVITE mb is, if any: the one being connected, else by
 * its Call-ID (a retransmission, or a send after a DNS lookup). */
static struct hook *hook_of_invite(const struct mbuf *mb)
{
	const uint8_t *p = mbuf_buf(mb);
	size_t n = mbuf_get_left(mb);
	struct le *le;

	if (n < 7 || memcmp(p, "INVITE ", 7))
		return NULL;
	if (sb.sending)
		return sb.sending;

	for (le = sb.hooks.head; le; le = le->next) {
		struct hook *h = le->data;

		if (h->unreachable && h->call_id && contains(p, n, h->call_id))
			return h;
	}

	return NULL;
}

int udp_send(struct udp_sock *us, const struct sa *dst, struct mbuf *mb)
{
	struct hook *h;
	int err;

	resolve();
	if (!sb.udp_send)
		return ENOSYS;

	err = sb.udp_send(us, dst, mb);
	if (!err && mb && dst && sb.hooks.head) {
		h = hook_of_invite(mb);
		if (h)
			probe_send(h, dst);
	}

	return err;
}

static size_t len_opt(const char *s)
{
	return s ? strlen(s) : 0;
}

/*
 * The INVITE's next hop over TCP when it is too large for UDP: *routevp
 * then points at a copy of the routes with the first one in tcp_hop.
 * The hop is routev[0], else the Request-URI to_uri.
 */
static void transport_fit(const char *routev[], uint32_t routec,
			  const char ***routevp, uint32_t *routecp,
			  const char *to_uri, size_t size, char *tcp_hop,
			  size_t hop_size, const char **copy, uint32_t copyc)
{
	const char *hop = routec ? routev[0] : to_uri;
	uint32_t i;

	if (!siptransport_stream_needed(size) || routec > copyc ||
	    siptransport_loopback(hop) ||
	    siptransport_of(hop) != SIPTRANSPORT_UNNAMED)
		return;
	if (siptransport_tcp_uri(tcp_hop, hop_size, hop)) {
		re_fprintf(stderr,
			   "sipbody: INVITE of about %zu bytes: %s "
			   "cannot be made a TCP hop; sent as it is\n",
			   size, hop);
		return;
	}

	copy[0] = tcp_hop;
	for (i = 1; i < routec; i++)
		copy[i] = routev[i];
	*routevp = copy;
	*routecp = routec ? routec : 1;
	re_fprintf(stderr,
		   "sipbody: INVITE of about %zu bytes goes over TCP "
		   "to %s (RFC 3261 18.1.1)\n",
		   size, tcp_hop);
}

int sipsess_connect(struct sipsess **sessp, struct sipsess_sock *sock,
		    const char *to_uri, const char *from_name,
		    const char *from_uri, const char *cuser,
		    const char *routev[], uint32_t routec, const char *ctype,
		    struct mbuf *desc, sip_auth_h *authh, void *aarg, bool aref,
		    sipsess_offer_h *offerh, sipsess_answer_h *answerh,
		    sipsess_progr_h *progrh, sipsess_estab_h *estabh,
		    sipsess_info_h *infoh, sipsess_refer_h *referh,
		    sipsess_close_h *closeh, void *arg, const char *fmt, ...)
{
	struct hook *h;
	struct mbuf *body = NULL;
	const char *route1[1];
	const char *routes_tcp[4];
	char tcp_hop[512];
	char *hdrs = NULL;
	char mpctype[64];
	va_list ap;
	int err;

	resolve();
	if (!sb.connect)
		return ENOSYS;

	/* the caller's headers, formatted exactly as libre would */
	va_start(ap, fmt);
	err = fmt ? re_vsdprintf(&hdrs, fmt, ap) : 0;
	va_end(ap);
	if (err)
		return err;

	h = hook_take(to_uri, desc, ctype, &body);
	if (!h) {
		err = sb.connect(sessp, sock, to_uri, from_name, from_uri,
				 cuser, routev, routec, ctype, desc, authh,
				 aarg, aref, offerh, answerh, progrh, estabh,
				 infoh, referh, closeh, arg, fmt ? "%s" : NULL,
				 hdrs);
		goto out;
	}

	if (h->req_uri)
		to_uri = h->req_uri;
	if (h->route && h->route[0]) {
		route1[0] = h->route;
		routev = route1;
		routec = 1;
	} else if (h->route) {
		routev = NULL;
		routec = 0;
	}
	if (h->part) {
		(void)re_snprintf(mpctype, sizeof(mpctype),
				  "multipart/mixed;boundary=%s", h->boundary);
		err = str_dup(&h->sdp_ctype, ctype ? ctype : "application/sdp");
		if (err) {
			mem_deref(h);
			goto out;
		}
		ctype = mpctype;
		desc = body;
	}
	if (h->fit_transport)
		transport_fit(
			routev, routec, &routev, &routec, to_uri,
			siptransport_invite_estimate(
				desc ? desc->end : 0,
				len_opt(hdrs) + len_opt(h->hdrs) +
					len_opt(ctype),
				len_opt(to_uri) * 2 + len_opt(h->to_uri) +
					len_opt(from_uri) + len_opt(from_name) +
					(routec ? len_opt(routev[0]) : 0)),
			tcp_hop, sizeof(tcp_hop), routes_tcp,
			ARRAY_SIZE(routes_tcp));

	/* libre makes the dialog (and its To) inside sipsess_connect */
	if (h->to_uri && !sb.dialog_alloc)
		re_fprintf(stderr, "sipbody: sip_dialog_alloc not found; "
				   "the To is the Request-URI\n");
	sb.to_pending = h->to_uri;
	sb.sending = h;
	err = sb.connect(sessp, sock, to_uri, from_name, from_uri, cuser,
			 routev, routec, ctype, desc, authh, aarg, aref, offerh,
			 answerh, progrh, estabh, infoh, referh, closeh, arg,
			 "%s%s", hdrs ? hdrs : "", h->hdrs);
	sb.sending = NULL;
	sb.to_pending = NULL;
	if (err) {
		mem_deref(h);
	} else {
		h->sess = *sessp;
		if (h->unreachable &&
		    str_dup(&h->call_id,
			    sip_dialog_callid(sipsess_dialog(*sessp))))
			h->call_id = NULL; /* only the first send is probed */
	}

out:
	mem_deref(body);
	mem_deref(hdrs);
	return err;
}

/* An SDP line "a=<attr>" (RFC 4566 §6: the direction attributes). */
static bool sdp_has_line(const struct mbuf *desc, const char *line)
{
	const size_t n = strlen(line);
	size_t i = 0;

	while (i < desc->end) {
		const uint8_t *p = desc->buf + i;
		const uint8_t *eol = memchr(p, '\n', desc->end - i);
		size_t len = eol ? (size_t)(eol - p) : desc->end - i;

		i += len + 1;
		if (len && p[len - 1] == '\r')
			--len;
		if (len == n && !memcmp(p, line, n))
			return true;
	}

	return false;
}

/* True if an offer of ours would stop the media towards the far end. */
static bool sdp_holds(const struct mbuf *desc)
{
	return desc && (sdp_has_line(desc, "a=sendonly") ||
			sdp_has_line(desc, "a=inactive"));
}

/* A hold of a locked session: refused, and the module told so that it
 * resumes the media baresip already held.  Returns EPERM. */
static int hold_refuse(struct hook *h)
{
	re_fprintf(stderr, "sipbody: an emergency call cannot be put on "
			   "hold; re-INVITE not sent\n");
	if (!h->held || h->resuming)
		return EPERM;

	/* held() may release the hook */
	mem_ref(h);
	h->resuming = true;
	h->held(h->handle, h->arg);
	h->resuming = false;
	mem_deref(h);

	return EPERM;
}

int sipsess_modify(struct sipsess *sess, struct mbuf *desc)
{
	struct hook *h;
	struct mbuf *body = NULL;
	int err;

	resolve();
	if (!sb.modify)
		return ENOSYS;

	h = hook_by_sess(sess);
	if (h && h->locked) {
		if (sdp_holds(desc))
			return hold_refuse(h);
		/* the resume after a refused hold: the far end never saw
		 * the hold, the media it knows is unchanged */
		if (h->resuming)
			return 0;
	}

	/* hooks without a part changed only the INVITE's headers */
	if (!h || !h->part)
		return sb.modify(sess, desc);

	/* the session keeps the multipart Content-Type for re-INVITEs */
	err = body_build(&body, h, h->sdp_ctype, desc, false);
	if (err == EEXIST)
		re_fprintf(stderr, "sipbody: the new SDP contains the "
				   "boundary; re-INVITE not sent\n");
	if (err)
		return err;

	err = sb.modify(sess, body);
	mem_deref(body);
	return err;
}

/* Inside sipsess_connect for a hook with its own To: that To. */
int sip_dialog_alloc(struct sip_dialog **dlgp, const char *uri,
		     const char *to_uri, const char *from_name,
		     const char *from_uri, const char *routev[],
		     uint32_t routec)
{
	resolve();
	if (!sb.dialog_alloc)
		return ENOSYS;

	if (sb.to_pending)
		to_uri = sb.to_pending;

	return sb.dialog_alloc(dlgp, uri, to_uri, from_name, from_uri, routev,
			       routec);
}

static bool dialog_locked(const struct sip_dialog *dlg)
{
	struct le *le;

	for (le = sb.hooks.head; le; le = le->next) {
		const struct hook *h = le->data;

		if (h->locked && h->sess && sipsess_dialog(h->sess) == dlg)
			return true;
	}

	return false;
}

/* baresip's call_transfer: a REFER in the call's dialog. */
int sipevent_drefer(struct sipsub **subp, struct sipevent_sock *sock,
		    struct sip_dialog *dlg, const char *cuser,
		    sip_auth_h *authh, void *aarg, bool aref,
		    sipsub_notify_h *notifyh, sipsub_close_h *closeh, void *arg,
		    const char *fmt, ...)
{
	char *hdrs = NULL;
	va_list ap;
	int err;

	resolve();
	if (!sb.drefer)
		return ENOSYS;

	if (dlg && dialog_locked(dlg)) {
		re_fprintf(stderr, "sipbody: an emergency call cannot be "
				   "transferred; REFER not sent\n");
		return EPERM;
	}

	va_start(ap, fmt);
	err = fmt ? re_vsdprintf(&hdrs, fmt, ap) : 0;
	va_end(ap);
	if (err)
		return err;

	err = sb.drefer(subp, sock, dlg, cuser, authh, aarg, aref, notifyh,
			closeh, arg, fmt ? "%s" : NULL, hdrs);
	mem_deref(hdrs);
	return err;
}
