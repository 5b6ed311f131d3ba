/* held_encode: the HELD locationRequest (RFC 5985, 6155, 7105). */

#include <re.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "xmlutil.h"

/* "AA-BB-CC-DD-EE-FF": the hyphenated form of RFC 6155's examples (the
 * required lexical form is [U]); RFC 7105 bssid uses it too [U]. */
static void write_mac(struct xmlw *x, const char *name, const uint8_t *mac)
{
	char buf[18];

	re_snprintf(buf, sizeof(buf), "%02X-%02X-%02X-%02X-%02X-%02X", mac[0],
		    mac[1], mac[2], mac[3], mac[4], mac[5]);
	xmlw_elem(x, name, buf);
}

/* RFC 6155 device element (standards.md §2) with the identifiers we
 * have; none at all means the LIS uses our source address. */
static void write_identity(struct xmlw *x, const struct held_request *req)
{
	const bool has_ip = sa_isset(&req->ip, SA_ADDR);

	if (!has_ip && !req->has_mac && !req->uri)
		return;

	xmlw_start(x, "device");
	xmlw_attr(x, "xmlns", HELD_NS_ID);

	if (has_ip) {
		char addr[64];

		if (sa_ntop(&req->ip, addr, sizeof(addr))) {
			xmlw_fail(x, EINVAL);
			return;
		}
		xmlw_start(x, "ip");
		xmlw_attr(x, "v", sa_af(&req->ip) == AF_INET6 ? "6" : "4");
		xmlw_text(x, addr);
		xmlw_end(x);
	}

	if (req->has_mac)
		write_mac(x, "mac", req->mac);

	if (req->uri)
		xmlw_elem(x, "uri", req->uri);

	xmlw_end(x);
}

/* RFC 7105 LLDP: the ID octets as xs:hexBinary, type = the subtype. */
static void write_lldp_id(struct xmlw *x, const char *name, uint8_t type,
			  const uint8_t *id, size_t len)
{
	char hex[2 * HELD_LLDP_ID_MAX + 1], t[4];
	size_t i;

	for (i = 0; i < len; i++)
		re_snprintf(&hex[2 * i], 3, "%02X", id[i]);
	hex[2 * len] = '\0';
	re_snprintf(t, sizeof(t), "%u", type);

	xmlw_start(x, name);
	xmlw_attr(x, "type", t);
	xmlw_text(x, hex);
	xmlw_end(x);
}

static void write_lldp(struct xmlw *x, const struct held_lldp *l)
{
	xmlw_start(x, "lldp");
	xmlw_attr(x, "xmlns", HELD_NS_LLDP);
	write_lldp_id(x, "chassis", l->chassis_type, l->chassis,
		      l->chassis_len);
	write_lldp_id(x, "port", l->port_type, l->port, l->port_len);
	xmlw_end(x);
}

/* An SSID goes in only as text: octets that are valid UTF-8 without
 * control characters. */
static bool ssid_printable(const struct held_wifi_ap *ap)
{
	size_t i;

	if (!ap->ssid_len || ap->ssid_len > sizeof(ap->ssid))
		return false;

	for (i = 0; i < ap->ssid_len; i++) {
		if (ap->ssid[i] < 0x20)
			return false;
	}

	return location_text_valid((const char *)ap->ssid, ap->ssid_len);
}

/* RFC 7105 wifi/ap, children in schema order: bssid, ssid, channel, ...,
 * deviceSignal (standards.md §3.3). */
static void write_ap(struct xmlw *x, const struct held_wifi_ap *ap)
{
	char buf[40];

	xmlw_start(x, "ap");
	/* [U] attribute name believed to mark the associated AP */
	if (ap->serving)
		xmlw_attr(x, "serving", "true");

	write_mac(x, "bssid", ap->bssid);

	if (ssid_printable(ap)) {
		memcpy(buf, ap->ssid, ap->ssid_len);
		buf[ap->ssid_len] = '\0';
		xmlw_elem(x, "ssid", buf);
	}

	if (ap->channel) {
		re_snprintf(buf, sizeof(buf), "%u", ap->channel);
		xmlw_elem(x, "channel", buf);
	}

	/* [U] deviceSignal/rcpi: the signal this device receives, dBm */
	if (ap->has_signal) {
		re_snprintf(buf, sizeof(buf), "%d", ap->signal_dbm);
		xmlw_start(x, "deviceSignal");
		xmlw_elem(x, "rcpi", buf);
		xmlw_end(x);
	}

	xmlw_end(x);
}

/* RFC 7105: one measurements element, a child of locationRequest,
 * holding each technology in its own namespace. */
static void write_measurements(struct xmlw *x, const struct held_request *req)
{
	size_t i;

	if (!req->lldp && !req->apc)
		return;

	/* [U] the time/expiry attributes of measurements: left out */
	xmlw_start(x, "measurements");
	xmlw_attr(x, "xmlns", HELD_NS_LM);

	if (req->lldp)
		write_lldp(x, req->lldp);

	if (req->apc) {
		xmlw_start(x, "wifi");
		xmlw_attr(x, "xmlns", HELD_NS_WIFI);
		for (i = 0; i < req->apc; i++)
			write_ap(x, &req->apv[i]);
		xmlw_end(x);
	}

	xmlw_end(x);
}

static int check_request(const struct held_request *req)
{
	const struct held_lldp *l = req->lldp;

	if (l && (l->chassis_type < 1 || l->chassis_type > 7 ||
		  l->port_type < 1 || l->port_type > 7 || !l->chassis_len ||
		  l->chassis_len > HELD_LLDP_ID_MAX || !l->port_len ||
		  l->port_len > HELD_LLDP_ID_MAX))
		return EINVAL;

	if (req->apc > HELD_WIFI_AP_MAX || (req->apc && !req->apv))
		return EINVAL;

	if (req->response_time > HELD_RESPONSE_TIME_MS)
		return EINVAL;

	if (req->uri && (!strchr(req->uri, ':') || strpbrk(req->uri, " \t")))
		return EINVAL;

	return 0;
}

int held_request_encode(struct mbuf *mb, const struct held_request *req)
{
	struct xmlw x;
	char ms[16];
	int err;

	if (!mb || !req)
		return EINVAL;

	err = check_request(req);
	if (err)
		return err;

	err = xmlw_begin(&x);
	if (err)
		return err;

	xmlw_start(&x, "locationRequest");
	xmlw_attr(&x, "xmlns", HELD_NS);

	/* RFC 5985 responseTime (standards.md §1.2): emergencyRouting at
	 * call time, emergencyDispatch in the background, or a limit in
	 * milliseconds */
	switch (req->response_time) {

	case HELD_RESPONSE_TIME_EMERGENCY_ROUTING:
		xmlw_attr(&x, "responseTime", "emergencyRouting");
		break;

	case HELD_RESPONSE_TIME_EMERGENCY_DISPATCH:
		xmlw_attr(&x, "responseTime", "emergencyDispatch");
		break;

	case HELD_RESPONSE_TIME_MS:
		re_snprintf(ms, sizeof(ms), "%u", req->response_ms);
		xmlw_attr(&x, "responseTime", ms);
		break;

	default:
		break;
	}

	/* standards.md §1.2: never narrow the type or set exact="true" */
	xmlw_start(&x, "locationType");
	xmlw_attr(&x, "exact", "false");
	xmlw_text(&x, "civic geodetic locationURI");
	xmlw_end(&x);

	write_identity(&x, req);
	write_measurements(&x, req);

	xmlw_end(&x);
	return xmlw_finish(&x, mb);
}
