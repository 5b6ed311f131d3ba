/* wifi80211: nl80211 events and dumps driven by libre's event loop. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/nl80211.h>
#include "ndlog.h"
#include "wifi.h"
#include "wifi80211.h"

struct wifi80211 {
	struct ndlog lg;
	struct nl_sock *ev;  /* multicast: mlme and config groups */
	struct nl_sock *req; /* our dumps, one at a time */
	int family;
	struct wifi_station st[WIFI80211_MAX_STATIONS];
	size_t stc;
	struct wifi_station next[WIFI80211_MAX_STATIONS]; /* being dumped */
	size_t nextc;
	size_t scan; /* station whose scan dump runs; nextc: interfaces */
	bool busy;
	bool again; /* an event came during a dump */
	wifi80211_change_h *changeh;
	void *arg;
};

static void destructor(void *arg)
{
	struct wifi80211 *w = arg;

	if (w->ev) {
		fd_close(nl_socket_get_fd(w->ev));
		nl_socket_free(w->ev);
	}
	if (w->req) {
		fd_close(nl_socket_get_fd(w->req));
		nl_socket_free(w->req);
	}
}

static int dump_request(struct wifi80211 *w, uint8_t cmd, unsigned ifindex)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = 0;

	if (!msg)
		return ENOMEM;

	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, w->family, 0,
			 NLM_F_DUMP, cmd, 0) ||
	    (ifindex && nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0))
		err = ENOMEM;
	if (!err && nl_send_auto(w->req, msg) < 0)
		err = EIO;

	nlmsg_free(msg);
	return err;
}

/* Interfaces first, then each station's scan results. */
static void refresh(struct wifi80211 *w)
{
	if (w->busy) {
		w->again = true;
		return;
	}

	w->nextc = 0;
	w->scan = WIFI80211_MAX_STATIONS;
	w->busy = !dump_request(w, NL80211_CMD_GET_INTERFACE, 0);
}

static void dump_done(struct wifi80211 *w)
{
	/* after the interface dump, scan from the first station */
	w->scan = w->scan == WIFI80211_MAX_STATIONS ? 0 : w->scan + 1;

	if (w->scan < w->nextc && !dump_request(w, NL80211_CMD_GET_SCAN,
						w->next[w->scan].iface.ifindex))
		return;

	w->busy = false;
	if (w->nextc != w->stc || memcmp(w->st, w->next, sizeof(w->st))) {
		memcpy(w->st, w->next, sizeof(w->st));
		w->stc = w->nextc;
		if (w->changeh)
			w->changeh(w->arg);
	}

	if (w->again) {
		w->again = false;
		refresh(w);
	}
}

static void reply(struct wifi80211 *w, const uint8_t *buf, size_t len)
{
	const char *why = NULL;
	size_t i;

	switch (wifi_msg_cmd(buf, len)) {
	case NL80211_CMD_NEW_INTERFACE: {
		struct wifi_iface ifc;

		if (wifi_iface_decode(&ifc, buf, len, &why)) {
			ndlog_printf(&w->lg, NDLOG_WARNING,
				     "wifi: bad interface message (%s)\n", why);
			return;
		}
		if (ifc.iftype != NL80211_IFTYPE_STATION ||
		    w->nextc >= WIFI80211_MAX_STATIONS)
			return;
		memset(&w->next[w->nextc], 0, sizeof(w->next[0]));
		w->next[w->nextc++].iface = ifc;
		break;
	}
	case NL80211_CMD_NEW_SCAN_RESULTS: {
		struct wifi_bss bss;

		if (wifi_bss_decode(&bss, buf, len, &why) || !bss.associated)
			return;
		for (i = 0; i < w->nextc; i++) {
			if (w->next[i].iface.ifindex == bss.ifindex) {
				w->next[i].bss = bss;
				w->next[i].associated = true;
			}
		}
		break;
	}
	default:
		break;
	}
}

static void req_handler(int flags, void *arg)
{
	struct wifi80211 *w = arg;
	(void)flags;

	for (;;) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		size_t off = 0;
		int n = nl_recv(w->req, &peer, &buf, NULL);

		if (n <= 0) {
			free(buf);
			if (n < 0 && n != -NLE_AGAIN && w->busy) {
				w->busy = false;
				ndlog_printf(&w->lg, NDLOG_WARNING,
					     "wifi: nl80211 dump: %s\n",
					     nl_geterror(n));
			}
			return;
		}

		while ((size_t)n - off >= NLMSG_HDRLEN) {
			struct nlmsghdr h;

			memcpy(&h, buf + off, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN ||
			    h.nlmsg_len > (size_t)n - off)
				break;
			if (h.nlmsg_type == NLMSG_DONE ||
			    h.nlmsg_type == NLMSG_ERROR) {
				dump_done(w);
				break;
			}
			reply(w, buf + off, h.nlmsg_len);
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
		free(buf);
	}
}

static void ev_handler(int flags, void *arg)
{
	struct wifi80211 *w = arg;
	bool changed = false;
	(void)flags;

	for (;;) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		int n = nl_recv(w->ev, &peer, &buf, NULL);

		if (n <= 0) {
			free(buf);
			break;
		}

		switch (wifi_msg_cmd(buf, (size_t)n)) {
		case NL80211_CMD_CONNECT:
		case NL80211_CMD_ROAM:
		case NL80211_CMD_DISCONNECT:
		case NL80211_CMD_NEW_INTERFACE:
		case NL80211_CMD_DEL_INTERFACE:
			changed = true;
			break;
		default:
			break;
		}
		free(buf);
	}

	if (changed)
		refresh(w);
}

static int sock_open(struct nl_sock **skp, int family_grp_a, int family_grp_b,
		     fd_h *h, void *arg)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk)
		return ENOMEM;

	nl_socket_disable_seq_check(sk);
	err = genl_connect(sk) < 0 ? EIO : 0;
	if (!err && family_grp_a >= 0)
		err = nl_socket_add_memberships(sk, family_grp_a, family_grp_b,
						0) < 0
			      ? EIO
			      : 0;
	if (!err)
		err = nl_socket_set_nonblocking(sk) < 0 ? EIO : 0;
	if (!err)
		err = fd_listen(nl_socket_get_fd(sk), FD_READ, h, arg);

	if (err)
		nl_socket_free(sk);
	else
		*skp = sk;
	return err;
}

int wifi80211_alloc(struct wifi80211 **wp, wifi80211_change_h *changeh,
		    void *arg, const struct ndlog *lg)
{
	struct wifi80211 *w;
	struct nl_sock *probe;
	int mlme = -1, config = -1, err;

	if (!wp)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), destructor);
	if (!w)
		return ENOMEM;
	if (lg)
		w->lg = *lg;
	w->changeh = changeh;
	w->arg = arg;

	probe = nl_socket_alloc();
	if (!probe || genl_connect(probe) < 0) {
		err = EIO;
		goto probe_out;
	}
	w->family = genl_ctrl_resolve(probe, NL80211_GENL_NAME);
	if (w->family < 0) {
		err = ENODEV;
		goto probe_out;
	}
	mlme = genl_ctrl_resolve_grp(probe, NL80211_GENL_NAME,
				     NL80211_MULTICAST_GROUP_MLME);
	config = genl_ctrl_resolve_grp(probe, NL80211_GENL_NAME,
				       NL80211_MULTICAST_GROUP_CONFIG);
	err = mlme < 0 || config < 0 ? ENODEV : 0;

probe_out:
	if (probe)
		nl_socket_free(probe);
	if (err)
		goto out;

	err = sock_open(&w->ev, mlme, config, ev_handler, w);
	if (!err)
		err = sock_open(&w->req, -1, 0, req_handler, w);
	if (!err)
		refresh(w);

out:
	if (err)
		mem_deref(w);
	else
		*wp = w;
	return err;
}

const struct wifi_station *wifi80211_stations(const struct wifi80211 *w,
					      size_t *n)
{
	if (n)
		*n = w ? w->stc : 0;
	return w ? w->st : NULL;
}
