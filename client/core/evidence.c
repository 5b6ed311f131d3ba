/* evidence: one interface's address, MAC, switch and access point. */

#include <re.h>
#include <string.h>
#include <arpa/inet.h>
#include "fingerprint.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "evidence.h"

static const struct evidence_heard *
heard_find(const struct evidence_heard *heardv, size_t heardc, unsigned ifindex)
{
	size_t i;

	for (i = 0; heardv && i < heardc; i++) {
		if (heardv[i].ifindex == ifindex)
			return &heardv[i];
	}

	return NULL;
}

static bool link_local6(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/*
 * The address to identify the device with (RFC 6155): the one in the
 * gateway's subnet (subnet, may be NULL), else the first of the gateway's
 * family (family, 0 when there is no gateway), else the first IPv4, else
 * the first IPv6 one; never a link-local IPv6 one (fe80::/10 means
 * nothing beyond the link, and is the subnet of a gateway at fe80::1).
 * -1: none.
 */
static int addr_pick(const struct netsnap_if *sif, const uint8_t *subnet,
		     int family)
{
	int i, v4 = -1, v6 = -1;

	for (i = 0; i < (int)sif->addrc; i++) {
		const int fam = sif->addrs[i].family;
		const uint8_t *a = sif->addrs[i].addr;

		if (fam == AF_INET6 && link_local6(a))
			continue;
		if (subnet && !memcmp(a, subnet, 16))
			return i;
		if (fam == AF_INET && v4 < 0)
			v4 = i;
		else if (fam == AF_INET6 && v6 < 0)
			v6 = i;
	}

	if (family == AF_INET6 && v6 >= 0)
		return v6;

	return v4 >= 0 ? v4 : v6;
}

static bool heard_any(const struct evidence_heard *h)
{
	return h && (h->lldp || h->bss);
}

/* The interface that carries the default route, if it can be used. */
static const struct netsnap_if *gateway_if(const struct netsnap *snap)
{
	size_t i;

	if (!snap->gateway.present || snap->gateway.vpn)
		return NULL;

	for (i = 0; i < snap->ifc; i++) {
		const struct netsnap_if *sif = &snap->ifs[i];

		if (sif->ifindex == snap->gateway.ifindex)
			return sif->up && !sif->vpn ? sif : NULL;
	}

	return NULL;
}

/* No usable default route: the best physical interface that is up. */
static const struct netsnap_if *other_if(const struct netsnap *snap,
					 const struct evidence_heard *heardv,
					 size_t heardc)
{
	const struct netsnap_if *best = NULL;
	int best_score = 0;
	size_t i;

	for (i = 0; i < snap->ifc; i++) {
		const struct netsnap_if *sif = &snap->ifs[i];
		int score = 0;

		if (!sif->up || sif->vpn)
			continue;
		if (heard_any(heard_find(heardv, heardc, sif->ifindex)))
			score += 2;
		if (addr_pick(sif, NULL, 0) >= 0)
			score += 1;
		if (score > best_score) {
			best = sif;
			best_score = score;
		}
	}

	return best;
}

static void reason_make(struct evidence *ev, const struct netsnap *snap)
{
	const char *tail = ev->vpn ? " under the VPN; no LIS is asked" : "";

	switch (ev->why) {
	case EVIDENCE_GATEWAY:
		re_snprintf(ev->reason, sizeof(ev->reason),
			    "%s carries the default route%s", ev->ifname, tail);
		break;
	case EVIDENCE_NO_GATEWAY:
		re_snprintf(ev->reason, sizeof(ev->reason),
			    "%s: no usable default route%s; the first "
			    "interface up with %s%s",
			    ev->ifname,
			    snap->gateway.present ? " (it is down or a tunnel)"
						  : "",
			    ev->has_lldp  ? "a switch"
			    : ev->has_bss ? "an access point"
					  : "an address",
			    ev->vpn ? "; on VPN no LIS is asked" : "");
		break;
	default:
		str_ncpy(ev->reason,
			 "no interface is up with an address, a switch or an "
			 "access point",
			 sizeof(ev->reason));
		break;
	}
}

int evidence_choose(struct evidence *ev, const struct netsnap *snap,
		    const struct evidence_heard *heardv, size_t heardc)
{
	const struct evidence_heard *h;
	const struct netsnap_if *sif;
	const uint8_t *subnet = NULL;
	int ip, family = 0;

	if (!ev || !snap)
		return EINVAL;

	memset(ev, 0, sizeof(*ev));
	ev->vpn = snap->vpn;

	sif = gateway_if(snap);
	if (sif) {
		ev->why = EVIDENCE_GATEWAY;
	} else {
		sif = other_if(snap, heardv, heardc);
		ev->why = sif ? EVIDENCE_NO_GATEWAY : EVIDENCE_NONE;
	}

	if (!sif) {
		reason_make(ev, snap);
		return ENOENT;
	}

	ev->ifindex = sif->ifindex;
	str_ncpy(ev->ifname, sif->name, sizeof(ev->ifname));
	if (sif->has_mac) {
		ev->has_mac = true;
		memcpy(ev->mac, sif->mac, 6);
	}

	if (ev->why == EVIDENCE_GATEWAY) {
		ev->gateway.present = true;
		ev->gateway.family = family = snap->gateway.family;
		memcpy(ev->gateway.ip, snap->gateway.ip, 16);
		ev->gateway.has_mac = snap->gateway.has_mac;
		memcpy(ev->gateway.mac, snap->gateway.mac, 6);
		if (snap->subnet.present) {
			ev->subnet.present = true;
			ev->subnet.family = snap->subnet.family;
			ev->subnet.prefixlen = snap->subnet.prefixlen;
			memcpy(ev->subnet.addr, snap->subnet.addr, 16);
			subnet = snap->subnet.addr;
		}
	}

	ip = addr_pick(sif, subnet, family);
	if (ip >= 0) {
		ev->has_addr = true;
		ev->family = sif->addrs[ip].family;
		memcpy(ev->addr, sif->addrs[ip].addr, 16);
	}

	h = heard_find(heardv, heardc, sif->ifindex);
	if (h && h->lldp) {
		ev->has_lldp = true;
		ev->lldp = h->lldp;
	}
	if (h && h->bss) {
		ev->has_bss = true;
		ev->bss = *h->bss;
	}

	reason_make(ev, snap);
	return 0;
}

bool evidence_equal(const struct evidence *a, const struct evidence *b)
{
	struct evidence x, y;

	if (!a || !b)
		return false;

	x = *a;
	y = *b;
	x.lldp = NULL;
	y.lldp = NULL;
	return !memcmp(&x, &y, sizeof(x));
}

void evidence_fingerprint_input(struct fingerprint_input *in,
				const struct evidence *ev)
{
	if (!in)
		return;
	memset(in, 0, sizeof(*in));
	if (!ev || !ev->ifindex)
		return;

	if (ev->has_bss) {
		in->link = FINGERPRINT_LINK_WIFI;
		in->has_bssid = true;
		memcpy(in->bssid, ev->bss.bssid, 6);
	}
	if (ev->gateway.present && ev->gateway.has_mac) {
		in->has_gw_mac = true;
		memcpy(in->gw_mac, ev->gateway.mac, 6);
	}
	if (ev->subnet.present && ev->subnet.family == AF_INET) {
		sa_init(&in->subnet4, AF_INET);
		memcpy(&in->subnet4.u.in.sin_addr, ev->subnet.addr, 4);
		in->prefix4 = ev->subnet.prefixlen;
	} else if (ev->subnet.present) {
		sa_init(&in->subnet6, AF_INET6);
		memcpy(&in->subnet6.u.in6.sin6_addr, ev->subnet.addr, 16);
		in->prefix6 = ev->subnet.prefixlen;
	}
	if (ev->lldp) {
		in->chassis = &ev->lldp->chassis;
		in->port = &ev->lldp->port;
	}
}

static int mac_or_null(struct odict *od, const char *key, bool has,
		       const uint8_t mac[6])
{
	char buf[18];

	if (!has)
		return odict_entry_add(od, key, ODICT_NULL);

	net_mac_print(buf, sizeof(buf), mac);
	return odict_entry_add(od, key, ODICT_STRING, buf);
}

int evidence_json_encode(struct odict *od, const char *key,
			 const struct evidence *ev)
{
	char addr[INET6_ADDRSTRLEN];
	struct odict *o = NULL;
	int err;

	if (!od || !key || !ev)
		return EINVAL;
	if (!ev->ifindex)
		return odict_entry_add(od, key, ODICT_NULL);

	err = odict_alloc(&o, 8);
	if (err)
		return err;

	err = odict_entry_add(o, "interface", ODICT_STRING, ev->ifname);
	if (!err)
		err = odict_entry_add(o, "reason", ODICT_STRING, ev->reason);
	if (!err)
		err = mac_or_null(o, "mac", ev->has_mac, ev->mac);
	if (!err && ev->has_addr &&
	    inet_ntop(ev->family, ev->addr, addr, sizeof(addr)))
		err = odict_entry_add(o, "address", ODICT_STRING, addr);
	else if (!err)
		err = odict_entry_add(o, "address", ODICT_NULL);
	if (!err)
		err = odict_entry_add(o, "lldp", ODICT_BOOL, ev->has_lldp);
	if (!err)
		err = mac_or_null(o, "bssid", ev->has_bss, ev->bss.bssid);
	if (!err)
		err = odict_entry_add(o, "vpn", ODICT_BOOL, ev->vpn);
	if (!err)
		err = odict_entry_add(od, key, ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}
