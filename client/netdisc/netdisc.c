/* netdisc: rtnetlink subscription driven by libre's event loop. */

#include <re.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <linux/rtnetlink.h>
#include "ndlog.h"
#include "civic.h"
#include "lldp.h"
#include "fingerprint.h"
#include "wifi.h"
#include "netstate.h"
#include "wifi80211.h"
#include "lldpsock.h"
#include "lldpd_backend.h"
#include "netdisc.h"

/* Dumps run one at a time on the socket, in this order. */
static const int dumps[] = {RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE,
			    RTM_GETNEIGH};

struct netdisc {
	struct netdisc_config cfg;
	struct nl_sock *sk;
	int fd;
	struct tmr debounce;
	struct netstate *state;
	struct netsnap snap;
	bool have_snap;
	size_t dump; /* next dump to ask for; ARRAY_SIZE(dumps) when synced */
	bool dumping;
	bool probed;
	netdisc_change_h *changeh;
	void *arg;
	struct wifi80211 *wifi;
	struct lldpsock *lldp;
	struct lldpd_backend *lldpd; /* when raw sockets are refused */
	unsigned lldp_gen;	     /* bumped on every neighbour change */
	unsigned lldp_seen; /* lldp_gen when the last change was announced */
	char fingerprint[FINGERPRINT_LEN + 1];
	char place[FINGERPRINT_LEN + 1]; /* netdisc_place_fingerprint */
};

static void destructor(void *arg)
{
	struct netdisc *nd = arg;

	tmr_cancel(&nd->debounce);
	mem_deref(nd->wifi);
	mem_deref(nd->lldp);
	mem_deref(nd->lldpd);
	if (nd->fd >= 0)
		fd_close(nd->fd);
	if (nd->sk)
		nl_socket_free(nd->sk);
	mem_deref(nd->state);
}

/* True if the datagram ends a dump (NLMSG_DONE or an NLMSG_ERROR). */
static bool dump_finished(const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
			return true;
		if (h.nlmsg_len < sizeof(h) ||
		    NLMSG_ALIGN(h.nlmsg_len) >= len - off)
			break;
		off += NLMSG_ALIGN(h.nlmsg_len);
	}

	return false;
}

static int dump_next(struct netdisc *nd)
{
	struct rtgenmsg gen = {.rtgen_family = AF_UNSPEC};
	int err;

	if (nd->dump >= ARRAY_SIZE(dumps)) {
		nd->dumping = false;
		return 0;
	}

	/* a struct rtgenmsg is all a dump request carries; built here
	 * rather than by libnl-route, whose 360 KiB of resident memory the
	 * engine would carry for this one call (engine-rss bench) */
	err = nl_send_simple(nd->sk, dumps[nd->dump], NLM_F_DUMP, &gen,
			     sizeof(gen));
	if (err < 0) {
		ndlog_printf(&nd->cfg.lg, NDLOG_WARNING,
			     "netdisc: rtnetlink dump request: %s\n",
			     nl_geterror(err));
		return EIO;
	}

	++nd->dump;
	nd->dumping = true;
	return 0;
}

/* A UDP datagram to the discard port makes the kernel resolve the MAC. */
static void gateway_probe(const struct netsnap *snap)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (snap->gateway.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(9);
		memcpy(&sin->sin_addr, snap->gateway.ip, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(9);
		memcpy(&sin6->sin6_addr, snap->gateway.ip, 16);
		sin6->sin6_scope_id = snap->gateway.ifindex;
		sl = sizeof(*sin6);
	}

	fd = socket(snap->gateway.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	(void)sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&ss, sl);
	(void)close(fd);
}

static void settle(void *arg);

/* nl80211 knows which links are Wi-Fi; rtnetlink does not say. */
static void wifi_apply(struct netdisc *nd)
{
	const struct wifi_station *st;
	size_t n, i;

	st = wifi80211_stations(nd->wifi, &n);
	for (i = 0; i < n; i++)
		netstate_set_wireless(nd->state, st[i].iface.ifindex, true);
}

static void wifi_snapshot(const struct netdisc *nd, struct netsnap *snap)
{
	const struct wifi_station *st;
	size_t n, i;

	st = wifi80211_stations(nd->wifi, &n);
	for (i = 0; i < n; i++) {
		if (!st[i].associated)
			continue;
		snap->wifi.present = true;
		snap->wifi.bss = st[i].bss;
		str_ncpy(snap->wifi.ifname, st[i].iface.name,
			 sizeof(snap->wifi.ifname));
		return;
	}
}

/*
 * The network's identity (fingerprint.h), and the place's: the same off
 * VPN; on VPN the physical network under the tunnel, which is where the
 * person is.  A tunnel's own gateway is never an input to either.
 */
static void fingerprint_update(struct netdisc *nd, const struct netsnap *snap)
{
	struct fingerprint_input in;
	const struct lldp_frame *f;
	size_t i;

	memset(&in, 0, sizeof(in));
	nd->fingerprint[0] = '\0';
	nd->place[0] = '\0';

	if (snap->wifi.present)
		in.link = FINGERPRINT_LINK_WIFI;

	if (snap->wifi.present) {
		in.has_bssid = true;
		memcpy(in.bssid, snap->wifi.bss.bssid, 6);
	}
	/* netsnap prefers a physical gateway; a tunnel's MAC is the far
	 * end's (tap), never the place's */
	if (snap->gateway.has_mac && !snap->gateway.vpn) {
		in.has_gw_mac = true;
		memcpy(in.gw_mac, snap->gateway.mac, 6);
	}
	if (snap->subnet.present && snap->subnet.family == AF_INET) {
		sa_init(&in.subnet4, AF_INET);
		in.subnet4.u.in.sin_addr.s_addr = 0;
		memcpy(&in.subnet4.u.in.sin_addr, snap->subnet.addr, 4);
		in.prefix4 = snap->subnet.prefixlen;
	} else if (snap->subnet.present) {
		sa_init(&in.subnet6, AF_INET6);
		memcpy(&in.subnet6.u.in6.sin6_addr, snap->subnet.addr, 16);
		in.prefix6 = snap->subnet.prefixlen;
	}

	/* the switch port the gateway is reached through, else any */
	f = netdisc_lldp(nd, snap->gateway.ifindex);
	for (i = 0; !f && i < snap->ifc; i++)
		f = netdisc_lldp(nd, snap->ifs[i].ifindex);
	if (f) {
		in.chassis = &f->chassis;
		in.port = &f->port;
	}

	(void)fingerprint_compute(nd->place, NULL, &in);

	/* fingerprint.h rule 1: a VPN has no network fingerprint */
	if (!snap->vpn)
		str_ncpy(nd->fingerprint, nd->place, sizeof(nd->fingerprint));
}

static void lldp_changed(void *arg)
{
	struct netdisc *nd = arg;

	++nd->lldp_gen;
	tmr_start(&nd->debounce, nd->cfg.debounce_ms, settle, nd);
}

/* No CAP_NET_RAW: lldpd, if it runs, receives and sends LLDP for us. */
static void lldpd_fallback(struct netdisc *nd)
{
#ifdef HAVE_LLDPCTL
	int err = lldpd_backend_alloc(&nd->lldpd, nd->cfg.lldpd_socket,
				      lldp_changed, nd, &nd->cfg.lg);

	if (err)
		ndlog_printf(
			&nd->cfg.lg, NDLOG_WARNING,
			"netdisc: no CAP_NET_RAW and no lldpd backend (%m): "
			"no LLDP evidence\n",
			err);
	else
		ndlog_printf(&nd->cfg.lg, NDLOG_INFO,
			     "netdisc: no CAP_NET_RAW: reading LLDP from lldpd "
			     "at %s\n",
			     nd->cfg.lldpd_socket[0] ? nd->cfg.lldpd_socket
						     : "its default socket");
#else
	ndlog_printf(&nd->cfg.lg, NDLOG_WARNING,
		     "netdisc: no CAP_NET_RAW and built without liblldpctl: no "
		     "LLDP evidence\n");
	(void)nd;
#endif
}

static void wifi_changed(void *arg)
{
	struct netdisc *nd = arg;

	tmr_start(&nd->debounce, nd->cfg.debounce_ms, settle, nd);
}

static void settle(void *arg)
{
	struct netdisc *nd = arg;
	struct netsnap snap;

	if (nd->dumping)
		return; /* the last dump's end starts the timer again */

	wifi_apply(nd);
	netstate_snapshot(nd->state, &snap);
	wifi_snapshot(nd, &snap);

	if (snap.gateway.present && !snap.gateway.has_mac &&
	    nd->cfg.probe_gateway && !nd->probed) {
		nd->probed = true; /* once per change of gateway */
		gateway_probe(&snap);
	}

	if (nd->lldp && !nd->lldpd && lldpsock_update(nd->lldp, &snap) == EPERM)
		lldpd_fallback(nd);
	fingerprint_update(nd, &snap);

	if (nd->have_snap && netsnap_equal(&snap, &nd->snap) &&
	    nd->lldp_gen == nd->lldp_seen)
		return;
	nd->lldp_seen = nd->lldp_gen;

	if (!nd->have_snap ||
	    snap.gateway.present != nd->snap.gateway.present ||
	    memcmp(snap.gateway.ip, nd->snap.gateway.ip, 16))
		nd->probed = false;

	nd->snap = snap;
	nd->have_snap = true;
	if (nd->changeh)
		nd->changeh(&nd->snap, nd->arg);
}

static void resync(struct netdisc *nd)
{
	memset(nd->state, 0, sizeof(*nd->state));
	nd->dump = 0;
	if (dump_next(nd))
		ndlog_printf(&nd->cfg.lg, NDLOG_WARNING,
			     "netdisc: cannot resynchronise with the kernel\n");
}

static void read_handler(int flags, void *arg)
{
	struct netdisc *nd = arg;
	(void)flags;

	for (;;) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		const char *why = NULL;
		bool changed = false;
		int n, err;

		n = nl_recv(nd->sk, &peer, &buf, NULL);
		if (n == -NLE_AGAIN || n == 0) {
			free(buf);
			return;
		}
		if (n < 0) {
			free(buf);
			/* -NLE_NOMEM: the kernel dropped events (ENOBUFS) */
			ndlog_printf(
				&nd->cfg.lg, NDLOG_WARNING,
				"netdisc: rtnetlink: %s; reading the state "
				"again\n",
				nl_geterror(n));
			resync(nd);
			return;
		}

		err = netstate_feed(nd->state, buf, (size_t)n, &changed, &why);
		if (err)
			ndlog_printf(
				&nd->cfg.lg, NDLOG_WARNING,
				"netdisc: malformed rtnetlink message (%s); "
				"skipped\n",
				why);

		if (nd->dumping && dump_finished(buf, (size_t)n)) {
			(void)dump_next(nd);
			changed = true;
		}
		free(buf);

		if (changed)
			tmr_start(&nd->debounce, nd->cfg.debounce_ms, settle,
				  nd);
	}
}

int netdisc_alloc(struct netdisc **ndp, const struct netdisc_config *cfg,
		  netdisc_change_h *changeh, void *arg)
{
	struct netdisc *nd;
	int err;

	if (!ndp || !cfg)
		return EINVAL;

	nd = mem_zalloc(sizeof(*nd), destructor);
	if (!nd)
		return ENOMEM;

	nd->fd = -1;
	nd->cfg = *cfg;
	nd->changeh = changeh;
	nd->arg = arg;
	tmr_init(&nd->debounce);

	nd->state = mem_zalloc(sizeof(*nd->state), NULL);
	nd->sk = nl_socket_alloc();
	if (!nd->state || !nd->sk) {
		err = ENOMEM;
		goto out;
	}

	/* events and dump replies share the socket: no sequence checks */
	nl_socket_disable_seq_check(nd->sk);
	nl_socket_disable_auto_ack(nd->sk);

	err = nl_connect(nd->sk, NETLINK_ROUTE);
	if (err < 0) {
		ndlog_printf(&nd->cfg.lg, NDLOG_WARNING,
			     "netdisc: rtnetlink: %s\n", nl_geterror(err));
		err = EIO;
		goto out;
	}

	err = nl_socket_add_memberships(
		nd->sk, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
		RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_NEIGH, 0);
	if (!err)
		err = nl_socket_set_nonblocking(nd->sk);
	if (!err)
		err = nl_socket_set_buffer_size(nd->sk, 1 << 20, 0);
	if (err < 0) {
		ndlog_printf(&nd->cfg.lg, NDLOG_WARNING,
			     "netdisc: rtnetlink setup: %s\n",
			     nl_geterror(err));
		err = EIO;
		goto out;
	}

	/* the neighbour table can be large; a page per read is not enough */
	(void)nl_socket_set_msg_buf_size(nd->sk, 64 * 1024);

	nd->fd = nl_socket_get_fd(nd->sk);
	err = fd_listen(nd->fd, FD_READ, read_handler, nd);
	if (err)
		goto out;

	/* one log for all parts */
	nd->cfg.lldp.lg = cfg->lg;
	err = lldpsock_alloc(&nd->lldp, &nd->cfg.lldp, lldp_changed, nd);
	if (err)
		goto out;

	err = wifi80211_alloc(&nd->wifi, wifi_changed, nd, &nd->cfg.lg);
	if (err == ENODEV)
		ndlog_printf(&nd->cfg.lg, NDLOG_INFO,
			     "netdisc: no nl80211 in this kernel: no Wi-Fi "
			     "evidence\n");
	else if (err)
		ndlog_printf(&nd->cfg.lg, NDLOG_WARNING,
			     "netdisc: Wi-Fi discovery unavailable: %m\n", err);

	err = dump_next(nd);

out:
	if (err)
		mem_deref(nd);
	else
		*ndp = nd;
	return err;
}

int netdisc_json_encode(struct odict *od, const struct netdisc *nd)
{
	static const struct netsnap empty;
	struct odict *lldp = NULL;
	int err;

	if (!od || !nd)
		return EINVAL;

	err = netsnap_json_encode(od, nd->have_snap ? &nd->snap : &empty);
	if (!err)
		err = odict_alloc(&lldp, 4);
	if (!err)
		err = lldpsock_json_encode(lldp, nd->lldp);
#ifdef HAVE_LLDPCTL
	if (!err)
		err = lldpd_backend_json_encode(lldp, nd->lldpd);
#endif
	if (!err)
		err = odict_entry_add(od, "lldp", ODICT_OBJECT, lldp);
	if (!err && nd->fingerprint[0])
		err = odict_entry_add(od, "fingerprint", ODICT_STRING,
				      nd->fingerprint);
	else if (!err)
		err = odict_entry_add(od, "fingerprint", ODICT_NULL);
	if (!err && nd->place[0])
		err = odict_entry_add(od, "place_fingerprint", ODICT_STRING,
				      nd->place);
	else if (!err)
		err = odict_entry_add(od, "place_fingerprint", ODICT_NULL);

	mem_deref(lldp);
	return err;
}

const struct netsnap *netdisc_snap(const struct netdisc *nd)
{
	return nd && nd->have_snap ? &nd->snap : NULL;
}

const char *netdisc_fingerprint(const struct netdisc *nd)
{
	return nd && nd->fingerprint[0] ? nd->fingerprint : NULL;
}

const char *netdisc_place_fingerprint(const struct netdisc *nd)
{
	return nd && nd->place[0] ? nd->place : NULL;
}

const struct lldp_frame *netdisc_lldp(const struct netdisc *nd,
				      unsigned ifindex)
{
	const struct lldp_frame *f =
		nd ? lldpsock_neighbour(nd->lldp, ifindex) : NULL;

#ifdef HAVE_LLDPCTL
	if (!f && nd)
		f = lldpd_backend_neighbour(nd->lldpd, ifindex);
#endif
	return f;
}
