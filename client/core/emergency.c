/* emergency: request-URIs, headers and notices of emergency calls. */

#include <stdarg.h>
#include <re.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "evidence.h"
#include "rfc3339.h"
#include "emergency.h"
#include "uritext.h"

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return 0 == strncasecmp(s, prefix, strlen(prefix));
}

static bool is_sip(const char *uri)
{
	return has_prefix_ci(uri, "sip:") || has_prefix_ci(uri, "sips:");
}

/* Copy printf output into a fixed buffer; EOVERFLOW if it does not fit. */
static int buf_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = re_vsnprintf(buf, size, fmt, ap);
	va_end(ap);

	if (n < 0 || (size_t)n >= size)
		return EOVERFLOW;

	return 0;
}

/* The number in a SIP or tel: URI, up to its first ';' or '@'. */
static int number_span(const char *uri, size_t *start, size_t *end)
{
	const char *colon = strchr(uri, ':');
	size_t i;

	if (!colon)
		return EINVAL;

	*start = (size_t)(colon + 1 - uri);
	for (i = *start; uri[i] && uri[i] != ';' && uri[i] != '@'; i++)
		;
	*end = i;
	return 0;
}

/* uri with its number (user part) replaced: sip:911@h -> sip:933@h. */
static int number_replace(char *buf, size_t size, const char *uri,
			  const char *number)
{
	size_t start, end;
	int err;

	err = number_span(uri, &start, &end);
	if (err)
		return err;

	return buf_printf(buf, size, "%b%s%s", uri, start, number, uri + end);
}

/* RFC 5031 urn:service:sos[.x] as the test service urn:service:test.sos[.x]
 * (RFC 6881 §15 [U]). */
static int urn_test(char *buf, size_t size, const char *urn)
{
	static const char svc[] = "urn:service:";

	if (!has_prefix_ci(urn, svc))
		return EINVAL;

	return buf_printf(buf, size, "urn:service:test.%s",
			  urn + sizeof(svc) - 1);
}

/* The proxy's URI parameters without "lr": libre writes its own ";lr"
 * after the Route URI (sip_dialog_alloc). */
static int params_without_lr(char *buf, size_t size, const struct pl *params)
{
	struct pl rest = *params;
	size_t n = 0;

	buf[0] = '\0';
	while (rest.l) {
		const char *semi;
		struct pl tok;

		/* each parameter starts with ';' */
		semi = pl_strchr(&rest, ';');
		if (!semi)
			break;
		tok.p = semi;
		tok.l = rest.l - (size_t)(semi - rest.p);
		semi = tok.l > 1 ? memchr(tok.p + 1, ';', tok.l - 1) : NULL;
		if (semi)
			tok.l = (size_t)(semi - tok.p);

		if (!(tok.l == 3 && 0 == strncasecmp(tok.p, ";lr", 3))) {
			if (n + tok.l >= size)
				return EOVERFLOW;
			memcpy(buf + n, tok.p, tok.l);
			n += tok.l;
			buf[n] = '\0';
		}
		rest.p = tok.p + tok.l;
		rest.l = params->l - (size_t)(rest.p - params->p);
	}

	return 0;
}

/* Through a proxy: the Route is the proxy; what baresip dials is the
 * number at the proxy, so that even without the body hook the call
 * reaches the right next hop. */
static int plan_proxied(struct emergency_target *t, const char *proxy,
			const char *number)
{
	char params[EMERGENCY_URI_MAX];
	struct uri uri;
	struct pl pl;
	bool v6;
	int err;

	/* libre's uri_decode is not anchored: the scheme it found must be
	 * the one the proxy starts with */
	pl_set_str(&pl, proxy);
	if (!is_sip(proxy) || uri_decode(&uri, &pl) || !pl_isset(&uri.host) ||
	    uri.scheme.p != proxy ||
	    (pl_strcasecmp(&uri.scheme, "sip") &&
	     pl_strcasecmp(&uri.scheme, "sips")))
		return EINVAL;

	err = params_without_lr(params, sizeof(params), &uri.params);
	if (err)
		return err;

	v6 = uri.af == AF_INET6;
	err = buf_printf(t->next_hop, sizeof(t->next_hop), "%r:%r%s%s%r%s",
			 &uri.scheme, &uri.user, pl_isset(&uri.user) ? "@" : "",
			 v6 ? "[" : "", &uri.host, v6 ? "]" : "");
	if (!err && uri.port)
		err = buf_printf(t->next_hop + strlen(t->next_hop),
				 sizeof(t->next_hop) - strlen(t->next_hop),
				 ":%u", uri.port);
	if (!err)
		err = buf_printf(t->next_hop + strlen(t->next_hop),
				 sizeof(t->next_hop) - strlen(t->next_hop),
				 "%s", params);
	if (err)
		return err;

	err = buf_printf(t->dial_uri, sizeof(t->dial_uri), "%r:%s@%s%r%s",
			 &uri.scheme, number, v6 ? "[" : "", &uri.host,
			 v6 ? "]" : "");
	if (!err && uri.port)
		err = buf_printf(t->dial_uri + strlen(t->dial_uri),
				 sizeof(t->dial_uri) - strlen(t->dial_uri),
				 ":%u", uri.port);
	if (!err)
		err = buf_printf(t->dial_uri + strlen(t->dial_uri),
				 sizeof(t->dial_uri) - strlen(t->dial_uri),
				 "%s", params);

	return err;
}

static int plan_route(struct emergency_target *t, const char *route,
		      const char *proxy, const struct dial_result *d)
{
	bool test = d->cls == DIAL_TEST;
	int err;

	if (is_sip(route)) {
		t->kind = EMERGENCY_ROUTE_DIRECT;
		if (test)
			err = number_replace(t->req_uri, sizeof(t->req_uri),
					     route, d->number);
		else
			err = buf_printf(t->req_uri, sizeof(t->req_uri), "%s",
					 route);
		if (!err)
			err = buf_printf(t->dial_uri, sizeof(t->dial_uri), "%s",
					 t->req_uri);
		return err;
	}

	/* tel: and urn: name no host: policy_load insists on a proxy */
	if (!proxy)
		return EINVAL;

	t->kind = EMERGENCY_ROUTE_PROXIED;
	if (test && has_prefix_ci(route, "tel:"))
		err = number_replace(t->req_uri, sizeof(t->req_uri), route,
				     d->number);
	else if (test)
		err = urn_test(t->req_uri, sizeof(t->req_uri), route);
	else
		err = buf_printf(t->req_uri, sizeof(t->req_uri), "%s", route);
	if (err)
		return err;

	return plan_proxied(t, proxy, d->number[0] ? d->number : "911");
}

/* Empty, or a URI that fits in <...> on a header line (uritext). */
static bool uri_text_ok(const char *s)
{
	return !*s || uritext_uri_str_valid(s, 0);
}

int emergency_target_plan(struct emergency_target *t, const struct policy *p,
			  unsigned route, const struct dial_result *d)
{
	struct emergency_target nt;
	const char *r, *proxy;
	int err;

	if (!t || !p || !d || d->cls == DIAL_ORDINARY || route > 1)
		return EINVAL;

	memset(&nt, 0, sizeof(nt));
	r = route ? p->emergency_route_secondary : p->emergency_route;
	proxy = route ? p->emergency_proxy_secondary : p->emergency_proxy;

	if (!r && route)
		return ENOENT;

	if (!r) {
		/* the account's own way out, the number as the dial plan
		 * made it (a mask applied) */
		nt.kind = EMERGENCY_ROUTE_ACCOUNT;
		err = buf_printf(nt.dial_uri, sizeof(nt.dial_uri), "%s",
				 d->number);
	} else {
		err = plan_route(&nt, r, proxy, d);
	}

	/* whatever the policy let through must fit a header line */
	if (!err && (!uri_text_ok(nt.dial_uri) || !uri_text_ok(nt.req_uri) ||
		     !uri_text_ok(nt.next_hop)))
		err = EINVAL;

	if (!err)
		*t = nt;

	return err;
}

/* A value that can sit inside <...> or "..." of one header line: all
 * of them are URIs or URI parts (cid, AOR, location URI). */
static bool header_safe(const char *s)
{
	return uritext_uri_str_valid(s, 0);
}

void emergency_hdrs_reset(struct emergency_hdrs *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->c && i < EMERGENCY_HDRS_MAX; i++)
		mem_deref(h->v[i].value);
	memset(h, 0, sizeof(*h));
}

static int hdr_add(struct emergency_hdrs *h, const char *name, const char *fmt,
		   ...)
{
	va_list ap;
	int err;

	if (h->c >= EMERGENCY_HDRS_MAX)
		return EOVERFLOW;

	va_start(ap, fmt);
	err = re_vsdprintf(&h->v[h->c].value, fmt, ap);
	va_end(ap);
	if (err)
		return err;

	h->v[h->c++].name = name;
	return 0;
}

/* RFC 6442 §4.1 Geolocation: <cid:...> by value, <uri> by reference. */
static int geolocation_add(struct emergency_hdrs *h,
			   const struct emergency_header_params *p, bool ms)
{
	switch (p->conveyance) {
	case EMERGENCY_LOCATION_BY_VALUE:
		if (!header_safe(p->cid) || (ms && !header_safe(p->caller_aor)))
			return EINVAL;
		/* RFC 6442 §4.1: the cid: URL names the body part */
		return hdr_add(
			h, "Geolocation", "<cid:%s>%s%s%s%s%s%s", p->cid,
			ms ? ";inserted-by=\"" : "", ms ? p->caller_aor : "",
			ms ? "\"" : "",
			p->loc_uri && header_safe(p->loc_uri) ? ", <" : "",
			p->loc_uri && header_safe(p->loc_uri) ? p->loc_uri : "",
			p->loc_uri && header_safe(p->loc_uri) ? ">" : "");
	case EMERGENCY_LOCATION_BY_REFERENCE:
		if (!header_safe(p->loc_uri))
			return EINVAL;
		return hdr_add(h, "Geolocation", "<%s>", p->loc_uri);
	default:
		return 0;
	}
}

int emergency_headers_make(struct emergency_hdrs *h,
			   const struct emergency_header_params *p)
{
	struct emergency_hdrs tmp;
	bool ms;
	int err;

	if (!h || !p)
		return EINVAL;

	memset(&tmp, 0, sizeof(tmp));
	ms = p->profile == POLICY_PROFILE_MICROSOFT;

	err = geolocation_add(&tmp, p, ms);

	/* RFC 6442 §4.2: the location may be used to route the call */
	if (!err && p->conveyance != EMERGENCY_LOCATION_NONE)
		err = hdr_add(&tmp, "Geolocation-Routing", "yes");
	if (!err && ms && p->conveyance != EMERGENCY_LOCATION_NONE)
		err = hdr_add(&tmp, "Supported", "geolocation");
	if (!err && p->priority_emergency)
		err = hdr_add(&tmp, "Priority", "emergency");
	if (!err && p->pai_uri) {
		if (!header_safe(p->pai_uri))
			err = EINVAL;
		else
			err = hdr_add(&tmp, "P-Asserted-Identity", "<%s>",
				      p->pai_uri);
	}

	if (err) {
		emergency_hdrs_reset(&tmp);
		return err;
	}

	emergency_hdrs_reset(h);
	*h = tmp;
	return 0;
}

int emergency_hdrs_print(struct re_printf *pf, const struct emergency_hdrs *h)
{
	size_t i;
	int err = 0;

	if (!pf || !h)
		return EINVAL;

	for (i = 0; !err && i < h->c && i < EMERGENCY_HDRS_MAX; i++)
		err = re_hprintf(pf, "%s: %s\r\n", h->v[i].name, h->v[i].value);

	return err;
}

int emergency_headers_print(struct re_printf *pf,
			    const struct emergency_header_params *p)
{
	struct emergency_hdrs h;
	int err;

	if (!pf || !p)
		return EINVAL;

	memset(&h, 0, sizeof(h));
	err = emergency_headers_make(&h, p);
	if (!err)
		err = emergency_hdrs_print(pf, &h);
	emergency_hdrs_reset(&h);

	return err;
}

int emergency_part_headers_print(struct re_printf *pf, const char *cid)
{
	if (!pf || !header_safe(cid))
		return EINVAL;

	/* RFC 5621: by-reference, and optional so that a UAS that cannot
	 * read it does not refuse the call with 415 */
	return re_hprintf(pf,
			  "Content-Type: application/pidf+xml\r\n"
			  "Content-ID: <%s>\r\n"
			  "Content-Disposition: by-reference;"
			  "handling=optional\r\n",
			  cid);
}

/* The host (and port) part of a SIP AOR, as text. */
static int aor_host(struct pl *host, const char *aor)
{
	struct sip_addr addr;
	struct pl pl;

	if (!aor)
		return EINVAL;

	pl_set_str(&pl, aor);
	if (sip_addr_decode(&addr, &pl) || !pl_isset(&addr.uri.host))
		return EINVAL;

	/* the host as written, including [] around IPv6 */
	host->p = addr.uri.host.p;
	host->l = addr.uri.host.l;
	if (host->p > pl.p && host->p[-1] == '[' &&
	    (size_t)(host->p + host->l - pl.p) < pl.l &&
	    host->p[host->l] == ']') {
		host->p--;
		host->l += 2;
	}

	return 0;
}

int emergency_cid_make(char *buf, size_t size,
		       enum policy_signalling_profile profile, const char *seed,
		       const char *aor)
{
	struct pl host;
	int err;

	if (!buf || !seed || !*seed || strpbrk(seed, "@<> \r\n\""))
		return EINVAL;

	err = aor_host(&host, aor);
	if (err)
		return err;

	if (profile == POLICY_PROFILE_MICROSOFT)
		return header_safe(aor) ? buf_printf(buf, size, "%s", aor)
					: EINVAL;

	return buf_printf(buf, size, "%s@%r", seed, &host);
}

int emergency_elin_uri_make(char *buf, size_t size, const char *elin,
			    const char *aor)
{
	struct pl host;
	size_t i;
	int err;

	if (!buf || !elin || !*elin)
		return EINVAL;
	for (i = 0; elin[i]; i++) {
		if (elin[i] < '0' || elin[i] > '9')
			return EINVAL;
	}

	err = aor_host(&host, aor);
	if (err)
		return err;

	return buf_printf(buf, size, "sip:%s@%r;user=phone", elin, &host);
}

/* The user part of a sip:, sips: or tel: URI; false for any other. */
static bool uri_number(struct pl *num, const char *uri)
{
	size_t start, end;

	if (!is_sip(uri) && !has_prefix_ci(uri, "tel:"))
		return false;
	if (number_span(uri, &start, &end))
		return false;

	num->p = uri + start;
	num->l = end - start;
	return true;
}

int emergency_to_uri_make(char *buf, size_t size, const char *req_uri,
			  const struct dial_result *d,
			  enum policy_signalling_profile profile,
			  const char *aor)
{
	struct pl num, host, digits;
	size_t i;

	if (!buf || !req_uri || !*req_uri || !d)
		return EINVAL;

	/* the Request-URI shows the digits, or no dial string to show */
	if (profile == POLICY_PROFILE_MICROSOFT || !d->dialled[0] ||
	    (uri_number(&num, req_uri) && !pl_strcmp(&num, d->dialled)))
		return buf_printf(buf, size, "%s", req_uri);

	for (i = 0; d->dialled[i]; i++) {
		const char c = d->dialled[i];

		if (!(c >= '0' && c <= '9') && c != '*' && c != '#')
			return EINVAL;
	}
	if (aor_host(&host, aor))
		return EINVAL;

	/* '#' must be escaped in a URI's user part (RFC 3261 §25.1) */
	pl_set_str(&digits, d->dialled);
	return buf_printf(buf, size, "sip:%H@%r;user=dialstring",
			  uri_user_escape, &digits, &host);
}

/* "00:11:22:AA:bb:cc" -> "mac:001122aabbcc"; false unless a non-zero
 * MAC in that form. */
static bool mac_to_id(char *buf, size_t size, const char *mac)
{
	char hex[13];
	size_t i, n = 0;
	bool nonzero = false;

	if (!mac || strlen(mac) != 17 || size < 17)
		return false;

	for (i = 0; i < 17; i++) {
		char c = mac[i];

		if (i % 3 == 2) {
			if (c != ':' && c != '-')
				return false;
			continue;
		}
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		nonzero = nonzero || c != '0';
		hex[n++] = c;
	}
	hex[n] = '\0';

	if (!nonzero)
		return false;

	(void)re_snprintf(buf, size, "mac:%s", hex);
	return true;
}

/* id from an interface's name, MAC and address (family 0: none), if the
 * MAC makes a dm:deviceID. */
static bool identity_set(struct device_identity *id, const char *ifname,
			 const uint8_t mac[6], int family, const uint8_t *addr)
{
	char text[18];

	net_mac_print(text, sizeof(text), mac);
	if (!mac_to_id(id->device_id, sizeof(id->device_id), text))
		return false;

	str_ncpy(id->ifname, ifname, sizeof(id->ifname));
	memcpy(id->mac, mac, sizeof(id->mac));
	id->has_mac = true;
	if (family) {
		id->family = family;
		memcpy(id->ip, addr, sizeof(id->ip));
	}
	return true;
}

/* The interface's identity if it has a usable MAC. */
static bool identity_of(struct device_identity *id,
			const struct netsnap_if *sif)
{
	if (!sif->has_mac)
		return false;

	return identity_set(id, sif->name, sif->mac,
			    sif->addrc ? sif->addrs[0].family : 0,
			    sif->addrs[0].addr);
}

/* The evidence's interface (evidence.h), if its MAC makes an id. */
static bool evidence_identity(struct device_identity *id,
			      const struct evidence *ev)
{
	return identity_set(id, ev->ifname, ev->mac,
			    ev->has_addr ? ev->family : 0, ev->addr);
}

int emergency_device_identity(struct device_identity *id,
			      const struct netsnap *snap,
			      const struct evidence *ev)
{
	const char *gw_if;
	size_t i;
	int pass;

	if (!id || !snap)
		return EINVAL;
	memset(id, 0, sizeof(*id));

	/* the interface whose evidence goes to the LIS (evidence.h) */
	if (ev && ev->has_mac && evidence_identity(id, ev))
		return 0;

	gw_if = snap->gateway.present ? snap->gateway.ifname : NULL;

	/* first the default route's interface, then any that is up */
	for (pass = gw_if ? 0 : 1; pass < 2; pass++) {
		for (i = 0; i < snap->ifc && i < NET_MAX_LINKS; i++) {
			const struct netsnap_if *sif = &snap->ifs[i];

			if (pass == 0 && str_cmp(sif->name, gw_if))
				continue;
			if (pass == 1 && !sif->up)
				continue;
			if (identity_of(id, sif))
				return 0;
		}
	}

	memset(id, 0, sizeof(*id));
	return ENOENT;
}

/* libre's printf rounds neither "%.6f" nor "%.0f" as C does */
static const char *num(char *buf, size_t size, const char *fmt, double v)
{
	(void)snprintf(buf, size, fmt, v);
	return buf;
}

static int geo_words(struct re_printf *pf, const struct geo *g)
{
	char a[32], b[32];
	double within = 0;
	int err;

	err = re_hprintf(pf, "%s at %s, %s", geo_shape_name(g->shape),
			 num(a, sizeof(a), "%.6f", g->pos.lat),
			 num(b, sizeof(b), "%.6f", g->pos.lon));
	if (!err && g->crs == GEO_CRS_3D)
		err = re_hprintf(pf, ", %s m altitude",
				 num(a, sizeof(a), "%.1f", g->pos.alt));
	if (g->shape == GEO_CIRCLE || g->shape == GEO_SPHERE)
		within = g->radius;
	else if (g->shape == GEO_ELLIPSE || g->shape == GEO_ELLIPSOID)
		within = g->semi_major;
	else if (g->shape == GEO_ARCBAND)
		within = g->outer_radius;
	if (!err && within > 0)
		err = re_hprintf(pf, ", within %s m",
				 num(a, sizeof(a), "%.0f", within));
	if (!err && g->confidence)
		err = re_hprintf(pf, " (%u%% confidence)", g->confidence);

	return err;
}

int emergency_place_print(struct re_printf *pf, const struct location *loc)
{
	bool civic;
	char a[32], b[32];
	int err = 0;

	if (!pf || !loc)
		return EINVAL;

	civic = !civic_is_empty(&loc->civic);

	if (civic)
		err = civic_print(pf, &loc->civic);
	if (!err && loc->geo.shape != GEO_NONE) {
		if (civic)
			err = re_hprintf(pf, "; ");
		/* polygons and prisms: the first vertex stands for them */
		if (!err && (loc->geo.shape == GEO_POLYGON ||
			     loc->geo.shape == GEO_PRISM))
			err = re_hprintf(pf, "area around %s, %s",
					 num(a, sizeof(a), "%.6f",
					     loc->geo.pointv[0].lat),
					 num(b, sizeof(b), "%.6f",
					     loc->geo.pointv[0].lon));
		else if (!err)
			err = geo_words(pf, &loc->geo);
	}

	return err;
}

static int location_words(struct re_printf *pf, const struct location *loc)
{
	int err = emergency_place_print(pf, loc);

	if (!err)
		err = re_hprintf(pf, " (");
	if (!err && loc->method)
		err = re_hprintf(pf, "%s, ", loc->method);
	if (!err)
		err = re_hprintf(pf, "%s)",
				 loc->validated ? "validated"
						: "not validated");

	return err;
}

int emergency_notice_print(struct re_printf *pf,
			   const struct emergency_notice *n)
{
	int err;

	if (!pf || !n || !n->caller_uri || !n->number)
		return EINVAL;

	err = re_hprintf(pf, "%s call to %s from ",
			 n->test ? "Test emergency" : "Emergency", n->number);
	if (!err && n->caller_name && *n->caller_name)
		err = re_hprintf(pf, "%s <%s>", n->caller_name, n->caller_uri);
	else if (!err)
		err = re_hprintf(pf, "%s", n->caller_uri);
	if (!err)
		err = re_hprintf(pf, " at %H.\n", rfc3339_print, &n->when);
	if (err)
		return err;

	if (!n->loc || !location_has_value(n->loc))
		return re_hprintf(pf, "Location: none was available; the "
				      "dispatcher will ask.\n");

	err = re_hprintf(pf, "Location: %H.\n", location_words, n->loc);
	if (!err && n->loc->elin)
		err = re_hprintf(pf, "ELIN: %s.\n", n->loc->elin);

	return err;
}
