/* lldpsock: LLDP receive and LLDP-MED transmit on AF_PACKET sockets. */

#include <re.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netpacket/packet.h>
#include <sys/socket.h>
#include "ndlog.h"
#include "civic.h"
#include "lldp.h"
#include "lldp_json.h"
#include "wifi.h"
#include "netstate.h"
#include "lldpsock.h"

/* 802.1AB keeps one entry per MSAP (chassis ID + port ID). */
#define NEIGH_MAX 4

struct neigh {
	struct lldp_frame f;
	uint64_t expires; /* tmr_jiffies() */
};

struct port {
	struct le le;
	struct lldpsock *ls;
	unsigned ifindex;
	char ifname[NET_IFNAMSIZ];
	uint8_t mac[6];
	int fd;
	struct tmr tx;
	unsigned fast_left;
	struct neigh nv[NEIGH_MAX];
	size_t nc;
};

struct lldpsock {
	struct lldpsock_config cfg;
	struct list ports;
	struct tmr expiry;
	bool denied; /* raw sockets refused once: stop trying */
	lldpsock_change_h *changeh;
	void *arg;
};

static int frame_send(struct port *p, uint16_t ttl);

static void neigh_remove(struct port *p, size_t i)
{
	lldp_frame_reset(&p->nv[i].f);
	memmove(&p->nv[i], &p->nv[i + 1], (p->nc - i - 1) * sizeof(p->nv[0]));
	--p->nc;
	memset(&p->nv[p->nc], 0, sizeof(p->nv[0]));
}

static void port_destructor(void *arg)
{
	struct port *p = arg;

	tmr_cancel(&p->tx);
	list_unlink(&p->le);
	if (p->fd >= 0) {
		/* 802.1AB shutdown LLDPDU: TTL 0 tells the switch to forget
		 * us now rather than when our TTL runs out (fails harmlessly
		 * when the link is already down) */
		if (p->ls->cfg.tx)
			(void)frame_send(p, 0);
		fd_close(p->fd);
		(void)close(p->fd);
	}
	while (p->nc)
		neigh_remove(p, p->nc - 1);
}

static void destructor(void *arg)
{
	struct lldpsock *ls = arg;

	tmr_cancel(&ls->expiry);
	list_flush(&ls->ports);
}

static void changed(struct lldpsock *ls)
{
	if (ls->changeh)
		ls->changeh(ls->arg);
}

static void expiry_schedule(struct lldpsock *ls);

static void expiry_handler(void *arg)
{
	struct lldpsock *ls = arg;
	const uint64_t now = tmr_jiffies();
	bool any = false;
	struct le *le;

	for (le = ls->ports.head; le; le = le->next) {
		struct port *p = le->data;
		size_t i;

		for (i = p->nc; i-- > 0;) {
			if (p->nv[i].expires > now)
				continue;
			ndlog_printf(&ls->cfg.lg, NDLOG_INFO,
				     "lldp: neighbour %s on %s expired\n",
				     p->nv[i].f.chassis.text, p->ifname);
			neigh_remove(p, i);
			any = true;
		}
	}

	expiry_schedule(ls);
	if (any)
		changed(ls);
}

/* One timer, at the earliest expiry: nothing wakes up while idle. */
static void expiry_schedule(struct lldpsock *ls)
{
	uint64_t first = 0;
	struct le *le;

	for (le = ls->ports.head; le; le = le->next) {
		const struct port *p = le->data;
		size_t i;

		for (i = 0; i < p->nc; i++) {
			if (!first || p->nv[i].expires < first)
				first = p->nv[i].expires;
		}
	}

	if (!first) {
		tmr_cancel(&ls->expiry);
		return;
	}

	tmr_start(&ls->expiry,
		  first > tmr_jiffies() ? first - tmr_jiffies() : 0,
		  expiry_handler, ls);
}

static bool same_msap(const struct lldp_frame *a, const struct lldp_frame *b)
{
	return a->chassis.subtype == b->chassis.subtype &&
	       a->chassis.len == b->chassis.len &&
	       !memcmp(a->chassis.raw, b->chassis.raw, a->chassis.len) &&
	       a->port.subtype == b->port.subtype &&
	       a->port.len == b->port.len &&
	       !memcmp(a->port.raw, b->port.raw, a->port.len);
}

static void receive(struct port *p, const uint8_t *buf, size_t len)
{
	struct lldp_frame f;
	const char *why = NULL;
	size_t i;

	memset(&f, 0, sizeof(f));
	if (lldp_decode_ethernet(&f, buf, len, &why)) {
		ndlog_printf(&p->ls->cfg.lg, NDLOG_WARNING,
			     "lldp: %s: frame refused: %s\n", p->ifname, why);
		return;
	}
	if (f.dropped)
		ndlog_printf(
			&p->ls->cfg.lg, NDLOG_INFO,
			"lldp: %s: %u malformed TLV%s dropped, the rest kept: "
			"%s\n",
			p->ifname, f.dropped, f.dropped > 1 ? "s" : "",
			f.dropbuf);

	for (i = 0; i < p->nc && !same_msap(&p->nv[i].f, &f); i++)
		;

	if (f.ttl == 0) {
		/* that neighbour (and only it) is shutting LLDP down */
		lldp_frame_reset(&f);
		if (i < p->nc) {
			neigh_remove(p, i);
			expiry_schedule(p->ls);
			changed(p->ls);
		}
		return;
	}

	if (i == p->nc && p->nc == NEIGH_MAX) {
		/* full: the entry closest to expiry gives way */
		size_t j;

		for (i = 0, j = 1; j < p->nc; j++) {
			if (p->nv[j].expires < p->nv[i].expires)
				i = j;
		}
	}
	if (i < p->nc)
		lldp_frame_reset(&p->nv[i].f);
	else
		++p->nc;

	p->nv[i].f = f; /* the frame moves: f is not reset */
	p->nv[i].expires = tmr_jiffies() + (uint64_t)f.ttl * 1000;
	expiry_schedule(p->ls);
	changed(p->ls);
}

static void read_handler(int flags, void *arg)
{
	struct port *p = arg;
	(void)flags;

	for (;;) {
		uint8_t buf[LLDP_ETH_HDR_LEN + LLDP_PDU_MAX + 64];
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(p->fd, buf, sizeof(buf), MSG_TRUNC,
				     (struct sockaddr *)&from, &fl);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue; /* our own frames */
		if ((size_t)n > sizeof(buf)) {
			ndlog_printf(&p->ls->cfg.lg, NDLOG_WARNING,
				     "lldp: %s: %zd-byte frame refused\n",
				     p->ifname, n);
			continue;
		}

		receive(p, buf, (size_t)n);
	}
}

static int frame_send(struct port *p, uint16_t ttl)
{
	struct lldpsock *ls = p->ls;
	struct lldp_tx tx;
	struct mbuf *mb = mbuf_alloc(256);
	int err;

	if (!mb)
		return ENOMEM;

	memset(&tx, 0, sizeof(tx));
	memcpy(tx.mac, p->mac, 6);
	tx.ifname = p->ifname;
	tx.ttl = ttl;
	tx.sys_name = ls->cfg.sys_name;
	tx.sw_rev = ls->cfg.sw_rev;
	tx.manufacturer = "locphone";
	tx.model = "softphone";

	err = lldp_encode(mb, &tx);
	if (!err && send(p->fd, mb->buf, mb->end, MSG_DONTWAIT) < 0)
		err = errno;

	mem_deref(mb);
	return err;
}

static void transmit(void *arg)
{
	struct port *p = arg;
	struct lldpsock *ls = p->ls;
	int err;

	/* 802.1AB: TTL = interval times the hold multiplier (4) */
	err = frame_send(p, (uint16_t)(ls->cfg.interval_s * 4));
	if (err)
		ndlog_printf(&p->ls->cfg.lg, NDLOG_WARNING,
			     "lldp: %s: send: %m\n", p->ifname, err);

	/* TIA-1057 fast start: a few frames at 1 s, then the interval */
	if (p->fast_left) {
		--p->fast_left;
		tmr_start(&p->tx, 1000, transmit, p);
	} else {
		tmr_start(&p->tx, ls->cfg.interval_s * 1000, transmit, p);
	}
}

static int port_open(struct lldpsock *ls, const struct netsnap_if *sif)
{
	const uint8_t group[6] = LLDP_MULTICAST_INIT;
	struct packet_mreq mr;
	struct sockaddr_ll sll;
	struct port *p;
	int err = 0;

	p = mem_zalloc(sizeof(*p), port_destructor);
	if (!p)
		return ENOMEM;

	p->ls = ls;
	p->ifindex = sif->ifindex;
	str_ncpy(p->ifname, sif->name, sizeof(p->ifname));
	memcpy(p->mac, sif->mac, 6);
	tmr_init(&p->tx);

	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       htons(LLDP_ETHERTYPE));
	if (p->fd < 0) {
		err = errno;
		goto out;
	}

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(LLDP_ETHERTYPE);
	sll.sll_ifindex = (int)sif->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = errno;
		goto out;
	}

	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)sif->ifindex;
	mr.mr_type = PACKET_MR_MULTICAST;
	mr.mr_alen = 6;
	memcpy(mr.mr_address, group, 6);
	if (setsockopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr))) {
		err = errno;
		goto out;
	}

	err = fd_listen(p->fd, FD_READ, read_handler, p);
	if (err)
		goto out;

	list_append(&ls->ports, &p->le, p);
	ndlog_printf(&ls->cfg.lg, NDLOG_INFO, "lldp: listening on %s\n",
		     p->ifname);

	if (ls->cfg.tx) {
		p->fast_left = ls->cfg.fast_count ? ls->cfg.fast_count - 1 : 0;
		tmr_start(&p->tx, 0, transmit, p);
	}

out:
	if (err)
		mem_deref(p);
	return err;
}

static struct port *port_find(const struct lldpsock *ls, unsigned ifindex)
{
	struct le *le;

	for (le = ls->ports.head; le; le = le->next) {
		struct port *p = le->data;

		if (p->ifindex == ifindex)
			return p;
	}

	return NULL;
}

static const struct netsnap_if *wired(const struct netsnap *snap,
				      unsigned ifindex)
{
	size_t i;

	for (i = 0; i < snap->ifc; i++) {
		const struct netsnap_if *sif = &snap->ifs[i];

		if (sif->ifindex == ifindex && sif->up && sif->has_mac &&
		    !sif->vpn && 0 == str_cmp(sif->type, "ethernet"))
			return sif;
	}

	return NULL;
}

int lldpsock_update(struct lldpsock *ls, const struct netsnap *snap)
{
	bool any = false;
	struct le *le;
	size_t i;
	int err;

	if (!ls || !snap)
		return EINVAL;

	le = ls->ports.head;
	while (le) {
		struct port *p = le->data;

		le = le->next;
		if (!wired(snap, p->ifindex)) {
			any = any || p->nc;
			mem_deref(p);
		}
	}

	for (i = 0; i < snap->ifc && !ls->denied; i++) {
		const struct netsnap_if *sif = &snap->ifs[i];

		if (!wired(snap, sif->ifindex) || port_find(ls, sif->ifindex))
			continue;

		err = port_open(ls, sif);
		if (err == EPERM || err == EACCES) {
			ls->denied = true;
			return EPERM;
		}
		if (err)
			ndlog_printf(&ls->cfg.lg, NDLOG_WARNING,
				     "lldp: cannot listen on %s: %m\n",
				     sif->name, err);
	}

	if (any) {
		expiry_schedule(ls);
		changed(ls);
	}

	return 0;
}

int lldpsock_alloc(struct lldpsock **lsp, const struct lldpsock_config *cfg,
		   lldpsock_change_h *changeh, void *arg)
{
	struct lldpsock *ls;

	if (!lsp || !cfg || (cfg->tx && !cfg->interval_s))
		return EINVAL;

	ls = mem_zalloc(sizeof(*ls), destructor);
	if (!ls)
		return ENOMEM;

	ls->cfg = *cfg;
	ls->changeh = changeh;
	ls->arg = arg;
	tmr_init(&ls->expiry);

	*lsp = ls;
	return 0;
}

/*
 * The switch among a port's neighbours: one that sends a location, else an
 * LLDP-MED network connectivity device or a bridge, else the first.
 */
static const struct lldp_frame *port_switch(const struct port *p)
{
	size_t i;

	for (i = 0; i < p->nc; i++) {
		const struct lldp_frame *f = &p->nv[i].f;

		if (f->med.has_civic || f->med.has_coord || f->med.has_elin)
			return f;
	}
	for (i = 0; i < p->nc; i++) {
		const struct lldp_frame *f = &p->nv[i].f;

		if (f->med.device_type == LLDP_MED_NETWORK ||
		    (f->caps_enabled & LLDP_CAP_BRIDGE))
			return f;
	}

	return p->nc ? &p->nv[0].f : NULL;
}

const struct lldp_frame *lldpsock_neighbour(const struct lldpsock *ls,
					    unsigned ifindex)
{
	const struct port *p = ls ? port_find(ls, ifindex) : NULL;

	return p ? port_switch(p) : NULL;
}

int lldpsock_json_encode(struct odict *od, const struct lldpsock *ls)
{
	struct le *le;
	int err = 0;

	for (le = ls ? ls->ports.head : NULL; le && !err; le = le->next) {
		const struct port *p = le->data;
		const struct lldp_frame *f = port_switch(p);
		struct odict *o = NULL;

		if (!f)
			continue;

		err = odict_alloc(&o, 8);
		if (!err)
			err = lldp_frame_json_encode(o, f);
		if (!err)
			err = odict_entry_add(od, p->ifname, ODICT_OBJECT, o);
		mem_deref(o);
	}

	return err;
}
