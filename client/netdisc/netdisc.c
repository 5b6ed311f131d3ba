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
#include "evidence.h"
#include "netsettle.h"
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
	/* the debounce's decisions and the last announced change; its
	 * snapshot is large, so this is allocated with the netdisc */
	struct netsettle settle;
	size_t dump; /* next dump to ask for; ARRAY_SIZE(dumps) when synced */
	netdisc_change_h *changeh;
	void *arg;
	struct wifi80211 *wifi;
	struct lldpsock *lldp;
	struct lldpd_backend *lldpd; /* when raw sockets are refused */
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
		netsettle_dumping(&nd->settle, false);
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
	netsettle_dumping(&nd->settle, true);
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
 * What was heard on each interface of snap: its LLDP neighbour and the
 * access point it is associated with.  Returns how many of heardv.
 */
static size_t heard_collect(const struct netdisc *nd,
			    const struct netsnap *snap,
			    struct evidence_heard *heardv, size_t max)
{
	const struct wifi_station *st;
	size_t n, i, j, c = 0;

	st = wifi80211_stations(nd->wifi, &n);
	for (i = 0; i < snap->ifc && c < max; i++) {
		struct evidence_heard *h = &heardv[c];

		memset(h, 0, sizeof(*h));
		h->ifindex = snap->ifs[i].ifindex;
		h->lldp = netdisc_lldp(nd, h->ifindex);
		for (j = 0; j < n; j++) {
			if (st[j].associated &&
			    st[j].iface.ifindex == h->ifindex) {
				h->bss = &st[j].bss;
				break;
			}
		}
		if (h->lldp || h->bss)
			++c;
	}

	return c;
}

/*
 * The network's identity (fingerprint.h), and the place's, from the
 * evidence: the same off VPN; on VPN the physical network under the
 * tunnel, which is where the person is.  A tunnel's own gateway is never
 * an input to either.
 */
static void fingerprint_update(struct netdisc *nd, const struct netsnap *snap,
			       const struct evidence *ev)
{
	struct fingerprint_input in;

	nd->fingerprint[0] = '\0';
	nd->place[0] = '\0';

	evidence_fingerprint_input(&in, ev);
	(void)fingerprint_compute(nd->place, NULL, &in);

	/* fingerprint.h rule 1: a VPN has no network fingerprint */
	if (!snap->vpn)
		str_ncpy(nd->fingerprint, nd->place, sizeof(nd->fingerprint));
}

/* (Re)arm the debounce for delay ms. */
static void debounce(struct netdisc *nd, uint64_t delay)
{
	tmr_start(&nd->debounce, delay, settle, nd);
}

static void lldp_changed(void *arg)
{
	struct netdisc *nd = arg;

	debounce(nd, netsettle_lldp(&nd->settle, tmr_jiffies()));
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

	debounce(nd, netsettle_event(&nd->settle, tmr_jiffies()));
}

static void settle(void *arg)
{
	struct evidence_heard heard[NET_MAX_LINKS];
	struct netdisc *nd = arg;
	struct evidence ev;
	struct netsnap snap;
	uint64_t wait;

	/* during a dump its end starts the timer again */
	if (!netsettle_due(&nd->settle, tmr_jiffies(), &wait)) {
		if (wait)
			debounce(nd, wait);
		return;
	}

	wifi_apply(nd);
	netstate_snapshot(nd->state, &snap);
	wifi_snapshot(nd, &snap);

	if (netsettle_probe(&nd->settle, &snap, nd->cfg.probe_gateway))
		gateway_probe(&snap);

	/* before the evidence: closing a port drops its neighbour */
	if (nd->lldp && !nd->lldpd && lldpsock_update(nd->lldp, &snap) == EPERM)
		lldpd_fallback(nd);

	/* the one choice, handed on as it is (issue 16 item 3) */
	(void)evidence_choose(
		&ev, &snap, heard,
		heard_collect(nd, &snap, heard, ARRAY_SIZE(heard)));
	fingerprint_update(nd, &snap, &ev);

	if (!netsettle_offer(&nd->settle, &snap, &ev))
		return;

	if (nd->changeh)
		nd->changeh(&nd->settle.snap, &ev, nd->arg);
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

		if (nd->settle.dumping && dump_finished(buf, (size_t)n)) {
			(void)dump_next(nd);
			changed = true;
		}
		free(buf);

		if (changed)
			debounce(nd,
				 netsettle_event(&nd->settle, tmr_jiffies()));
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
	netsettle_init(&nd->settle, cfg->debounce_ms);

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

	err = netsnap_json_encode(od,
				  nd->settle.have ? &nd->settle.snap : &empty);
	if (!err)
		err = evidence_json_encode(od, "evidence", &nd->settle.ev);
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
