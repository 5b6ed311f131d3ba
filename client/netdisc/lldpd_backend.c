/*
 * lldpd_backend: LLDP neighbours from a running lldpd, through liblldpctl
 * (loaded when a backend starts: lldpctl_lazy.h), for engines without
 * CAP_NET_RAW (desktops).  liblldpctl's watch call blocks, so a thread
 * does the talking and hands each complete neighbour list to baresip's
 * thread through a libre mqueue.  The thread's sockets are ours
 * (liblldpctl's I/O callbacks), so stopping it is a byte on a pipe that
 * every wait also watches: no cancellation, nothing leaks.
 */

#include <re.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <lldpctl.h>
#include "ndlog.h"
#include "civic.h"
#include "lldp.h"
#include "lldp_json.h"
#include "lldpctl_lazy.h"
#include "lldpd_backend.h"
#include "wiretext.h"

enum { MSG_NEIGHBOURS = 1, MSG_ERROR = 2 };

struct neighbours {
	size_t n;
	struct {
		unsigned ifindex;
		char ifname[IF_NAMESIZE];
		struct lldp_frame f;
	} v[LLDPD_BACKEND_MAX];
};

struct lldpd_backend {
	struct ndlog lg; /* read by the worker too: set before it starts */
	char sock[256];
	struct mqueue *mq;
	pthread_t thread;
	bool running;
	int stop[2]; /* a byte on stop[1] ends the worker */
	struct neighbours *cur;
	bool said_error;
	bool stopping;
	lldpd_backend_change_h *changeh;
	void *arg;
};

static void neighbours_destructor(void *arg)
{
	struct neighbours *nb = arg;
	size_t i;

	for (i = 0; i < nb->n; i++)
		lldp_frame_reset(&nb->v[i].f);
}

/*
 * One decoder, two transports: lldpd hands over what it read from the
 * switch's LLDPDU as atoms, and they are written back into an LLDPDU that
 * lldp_decode() reads, as it reads frames from the raw socket.  The same
 * checks apply (a civic LCI with country "F5" is dropped), the same text
 * clean-up (wiretext), the same JSON.  What lldpd does not pass on is
 * lost: civic What (written as 2, the client), coordinate resolutions
 * (written as 0), the digits of a coordinate past what its resolution
 * gives (lldpd prints them rounded down), octets after a NUL in a string.
 */

/* TLV header (7-bit type, 9-bit length) and value; values over 511
 * octets cannot be what lldpd read, and are cut. */
static int tlv_put(struct mbuf *mb, unsigned type, const void *v, size_t n)
{
	int err;

	if (n > 511)
		n = 511;
	err = mbuf_write_u16(mb, htons((uint16_t)(type << 9 | n)));
	if (!err && n)
		err = mbuf_write_mem(mb, v, n);
	return err;
}

/* An LLDP-MED TLV (OUI 00-12-BB) of the given subtype and value. */
static int med_put(struct mbuf *mb, uint8_t subtype, const void *v, size_t n)
{
	uint8_t buf[4 + 507] = {0x00, 0x12, 0xbb};

	if (n > sizeof(buf) - 4)
		n = sizeof(buf) - 4;
	buf[3] = subtype;
	if (n)
		memcpy(buf + 4, v, n);
	return tlv_put(mb, LLDP_TLV_ORG, buf, 4 + n);
}

static int str_put(struct mbuf *mb, unsigned type, const char *s)
{
	return s && s[0] ? tlv_put(mb, type, s, strlen(s)) : 0;
}

static int id_put(struct mbuf *mb, unsigned type, lldpctl_atom_t *atom,
		  lldpctl_key_t subtype, lldpctl_key_t value)
{
	uint8_t buf[1 + LLDP_ID_MAX];
	const uint8_t *id;
	size_t len = 0;

	buf[0] = (uint8_t)lldpctlf.atom_get_int(atom, subtype);
	id = lldpctlf.atom_get_buffer(atom, value, &len);
	if (!id)
		len = 0;
	if (len > LLDP_ID_MAX)
		len = LLDP_ID_MAX;
	if (len)
		memcpy(buf + 1, id, len);
	return tlv_put(mb, type, buf, 1 + len);
}

/* Bits start..start+count-1 of b (bit 0 the MSB of b[0]) set to v. */
static void bits_put(uint8_t *b, unsigned start, unsigned count, uint64_t v)
{
	unsigned i;

	for (i = 0; i < count; i++) {
		const unsigned bit = start + i;
		const unsigned on = (v >> (count - 1 - i)) & 1u;

		b[bit / 8] = (uint8_t)((b[bit / 8] & ~(0x80u >> bit % 8)) |
				       (on << (7 - bit % 8)));
	}
}

/* lldpd's "47.6422N" / "122.1390W" / "40.5" to a number. */
static double degrees(const char *s)
{
	double v = 0;
	char hemi = 0;

	if (!s || sscanf(s, "%lf%c", &v, &hemi) < 1)
		return 0;

	return (hemi == 'S' || hemi == 'W') ? -v : v;
}

/* Fixed point with frac fractional bits, as two's complement of width. */
static uint64_t fixed(double v, unsigned frac, unsigned width)
{
	const int64_t raw = (int64_t)llround(ldexp(v, (int)frac));

	return (uint64_t)raw & (((uint64_t)1 << width) - 1);
}

/* §8.7 coordinate LCI, from lldpd's text (resolutions left 0). */
static int coord_put(struct mbuf *mb, lldpctl_atom_t *loc)
{
	uint8_t b[1 + 16] = {LLDP_MED_LOC_COORD};
	uint8_t *lci = b + 1;

	bits_put(lci, 6, 34,
		 fixed(degrees(lldpctlf.atom_get_str(
			       loc, lldpctl_k_med_location_latitude)),
		       25, 34));
	bits_put(lci, 46, 34,
		 fixed(degrees(lldpctlf.atom_get_str(
			       loc, lldpctl_k_med_location_longitude)),
		       25, 34));
	bits_put(lci, 80, 4,
		 (uint64_t)lldpctlf.atom_get_int(
			 loc, lldpctl_k_med_location_altitude_unit) &
			 0x0f);
	bits_put(lci, 90, 30,
		 fixed(degrees(lldpctlf.atom_get_str(
			       loc, lldpctl_k_med_location_altitude)),
		       8, 30));
	lci[15] = (uint8_t)lldpctlf.atom_get_int(loc,
						 lldpctl_k_med_location_geoid);

	return med_put(mb, LLDP_MED_LOCATION, b, sizeof(b));
}

/* §8.6 civic LCI: lldpd gives the country and the CA elements. */
static int civic_put(struct mbuf *mb, lldpctl_atom_t *loc)
{
	uint8_t b[2 + 255] = {LLDP_MED_LOC_CIVIC};
	const char *cc =
		lldpctlf.atom_get_str(loc, lldpctl_k_med_location_country);
	lldpctl_atom_t *elems, *el;
	lldpctl_atom_iter_t *it;
	size_t n = 2;

	b[n++] = 2; /* What: lldpd does not say; the client */
	b[n++] = cc && cc[0] ? (uint8_t)cc[0] : 0;
	b[n++] = cc && cc[0] ? (uint8_t)cc[1] : 0;

	elems = lldpctlf.atom_get(loc, lldpctl_k_med_location_ca_elements);
	for (el = lldpctl_lazy_first(elems, &it); el;
	     el = lldpctl_lazy_next(elems, &it, el)) {
		const char *v = lldpctlf.atom_get_str(
			el, lldpctl_k_med_civicaddress_value);
		const size_t len = v ? strlen(v) : 0;

		if (len > 255 || n + 2 + len > sizeof(b))
			continue;
		b[n++] = (uint8_t)lldpctlf.atom_get_int(
			el, lldpctl_k_med_civicaddress_type);
		b[n++] = (uint8_t)len;
		memcpy(b + n, v, len);
		n += len;
	}
	lldpctlf.atom_dec_ref(elems);

	b[1] = (uint8_t)(n - 2);
	return med_put(mb, LLDP_MED_LOCATION, b, n);
}

static int location_put(struct mbuf *mb, lldpctl_atom_t *loc)
{
	uint8_t b[1 + LLDP_MED_ELIN_MAX + 1] = {LLDP_MED_LOC_ELIN};
	const char *s;
	size_t n;

	/* lldpd answers an error (negative) for a location it found too
	 * short itself, and 0 for an empty slot */
	switch (lldpctlf.atom_get_int(loc, lldpctl_k_med_location_format)) {

	case LLDP_MED_LOC_COORD:
		return coord_put(mb, loc);
	case LLDP_MED_LOC_CIVIC:
		return civic_put(mb, loc);
	case LLDP_MED_LOC_ELIN:
		s = lldpctlf.atom_get_str(loc, lldpctl_k_med_location_elin);
		/* one octet past the longest: the decoder refuses it */
		n = s ? strlen(s) : 0;
		if (n > LLDP_MED_ELIN_MAX + 1)
			n = LLDP_MED_ELIN_MAX + 1;
		if (n)
			memcpy(b + 1, s, n);
		return med_put(mb, LLDP_MED_LOCATION, b, 1 + n);
	default:
		return 0;
	}
}

/* §8.4: app type, then U(1) T(1) X(1) VLAN(12) L2 priority(3) DSCP(6). */
static int policy_put(struct mbuf *mb, lldpctl_atom_t *pol, bool *any)
{
	const long app = lldpctlf.atom_get_int(pol, lldpctl_k_med_policy_type);
	uint32_t v;
	uint8_t b[4];

	/* lldpd lists every application type; 0 marks an empty slot */
	if (app < 1 || app > 255)
		return 0;

	v = (uint32_t)(lldpctlf.atom_get_int(pol,
					     lldpctl_k_med_policy_unknown) &
		       1)
		    << 23 |
	    (uint32_t)(lldpctlf.atom_get_int(pol, lldpctl_k_med_policy_tagged) &
		       1)
		    << 22 |
	    (uint32_t)(lldpctlf.atom_get_int(pol, lldpctl_k_med_policy_vid) &
		       0x0fff)
		    << 9 |
	    (uint32_t)(lldpctlf.atom_get_int(pol,
					     lldpctl_k_med_policy_priority) &
		       7)
		    << 6 |
	    (uint32_t)(lldpctlf.atom_get_int(pol, lldpctl_k_med_policy_dscp) &
		       0x3f);
	b[0] = (uint8_t)app;
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
	*any = true;
	return med_put(mb, LLDP_MED_POLICY, b, sizeof(b));
}

static const struct {
	lldpctl_key_t key;
	uint8_t subtype;
} inventory[] = {
	{lldpctl_k_chassis_med_inventory_hw, LLDP_MED_HW_REV},
	{lldpctl_k_chassis_med_inventory_fw, LLDP_MED_FW_REV},
	{lldpctl_k_chassis_med_inventory_sw, LLDP_MED_SW_REV},
	{lldpctl_k_chassis_med_inventory_sn, LLDP_MED_SERIAL},
	{lldpctl_k_chassis_med_inventory_manuf, LLDP_MED_MANUFACTURER},
	{lldpctl_k_chassis_med_inventory_model, LLDP_MED_MODEL},
	{lldpctl_k_chassis_med_inventory_asset, LLDP_MED_ASSET},
};

/*
 * The LLDP-MED TLVs.  lldpd keeps whether a MED Capabilities TLV came
 * only as the capabilities and device type it carried, so it is written
 * when either is non-zero or another MED TLV came (a device type 0 with
 * inventory, as lldpd 0.x sent); a lone Capabilities TLV of zeros is lost.
 */
static int med_tlvs_put(struct mbuf *mb, lldpctl_atom_t *chassis,
			lldpctl_atom_t *nb)
{
	const long type =
		lldpctlf.atom_get_int(chassis, lldpctl_k_chassis_med_type);
	const long caps =
		lldpctlf.atom_get_int(chassis, lldpctl_k_chassis_med_cap);
	const size_t caps_pos = mb->pos;
	lldpctl_atom_t *list, *a;
	lldpctl_atom_iter_t *it;
	bool any = type > 0 || caps > 0;
	uint8_t b[3];
	size_t i;
	int err = 0;

	list = lldpctlf.atom_get(nb, lldpctl_k_port_med_policies);
	for (a = lldpctl_lazy_first(list, &it); a && !err;
	     a = lldpctl_lazy_next(list, &it, a))
		err = policy_put(mb, a, &any);
	if (a)
		lldpctlf.atom_dec_ref(a);
	lldpctlf.atom_dec_ref(list);

	list = lldpctlf.atom_get(nb, lldpctl_k_port_med_locations);
	for (a = lldpctl_lazy_first(list, &it); a && !err;
	     a = lldpctl_lazy_next(list, &it, a)) {
		const size_t before = mb->pos;

		err = location_put(mb, a);
		any = any || mb->pos != before;
	}
	if (a)
		lldpctlf.atom_dec_ref(a);
	lldpctlf.atom_dec_ref(list);

	for (i = 0; i < ARRAY_SIZE(inventory) && !err; i++) {
		const char *s =
			lldpctlf.atom_get_str(chassis, inventory[i].key);

		if (!s || !s[0])
			continue;
		err = med_put(mb, inventory[i].subtype, s, strlen(s));
		any = true;
	}

	if (err || !any)
		return err;

	/* the Capabilities TLV goes first, as a switch sends it */
	b[0] = (uint8_t)((unsigned long)(caps > 0 ? caps : 0) >> 8);
	b[1] = (uint8_t)(caps > 0 ? caps : 0);
	b[2] = (uint8_t)(type > 0 ? type : 0);
	{
		const size_t tail = mb->pos - caps_pos;
		uint8_t *rest = mem_alloc(tail ? tail : 1, NULL);

		if (!rest)
			return ENOMEM;
		memcpy(rest, mb->buf + caps_pos, tail);
		mb->pos = mb->end = caps_pos;
		err = med_put(mb, LLDP_MED_CAPS, b, sizeof(b));
		if (!err && tail)
			err = mbuf_write_mem(mb, rest, tail);
		mem_deref(rest);
	}

	return err;
}

/* lldpd's neighbour as an LLDPDU, then decoded as the raw path does. */
static int neighbour_fill(struct lldp_frame *f, lldpctl_atom_t *nb,
			  const char *ifname, const struct ndlog *lg)
{
	lldpctl_atom_t *chassis = lldpctlf.atom_get(nb, lldpctl_k_port_chassis);
	const long ttl = lldpctlf.atom_get_int(nb, lldpctl_k_port_ttl);
	struct mbuf *mb = mbuf_alloc(512);
	const char *why = NULL;
	uint16_t ttl16;
	int err;

	if (!mb || !chassis) {
		err = ENOMEM;
		goto out;
	}

	ttl16 = htons((uint16_t)(ttl > 0 && ttl <= 0xffff ? ttl : 0));
	err = id_put(mb, LLDP_TLV_CHASSIS_ID, chassis,
		     lldpctl_k_chassis_id_subtype, lldpctl_k_chassis_id);
	if (!err)
		err = id_put(mb, LLDP_TLV_PORT_ID, nb,
			     lldpctl_k_port_id_subtype, lldpctl_k_port_id);
	if (!err)
		err = tlv_put(mb, LLDP_TLV_TTL, &ttl16, sizeof(ttl16));
	if (!err)
		err = str_put(mb, LLDP_TLV_PORT_DESC,
			      lldpctlf.atom_get_str(nb, lldpctl_k_port_descr));
	if (!err)
		err = str_put(
			mb, LLDP_TLV_SYS_NAME,
			lldpctlf.atom_get_str(chassis, lldpctl_k_chassis_name));
	if (!err)
		err = str_put(mb, LLDP_TLV_SYS_DESC,
			      lldpctlf.atom_get_str(chassis,
						    lldpctl_k_chassis_descr));
	if (!err)
		err = med_tlvs_put(mb, chassis, nb);
	if (!err)
		err = tlv_put(mb, LLDP_TLV_END, NULL, 0);
	if (err)
		goto out;

	err = lldp_decode(f, mb->buf, mb->end, &why);
	if (err)
		ndlog_printf(lg, NDLOG_WARNING,
			     "lldp: %s: lldpd's neighbour refused: %s\n",
			     ifname, why);
	else if (f->dropped)
		ndlog_printf(
			lg, NDLOG_INFO,
			"lldp: %s: %u malformed TLV%s from lldpd dropped: %s\n",
			ifname, f->dropped, f->dropped > 1 ? "s" : "",
			f->dropbuf);

out:
	mem_deref(mb);
	if (chassis)
		lldpctlf.atom_dec_ref(chassis);
	return err;
}

/* Every neighbour lldpd knows, as one list (runs on the worker thread). */
static struct neighbours *neighbours_fetch(lldpctl_conn_t *conn,
					   const struct ndlog *lg)
{
	lldpctl_atom_t *ifaces, *iface;
	lldpctl_atom_iter_t *it;
	struct neighbours *nbs;

	nbs = mem_zalloc(sizeof(*nbs), neighbours_destructor);
	if (!nbs)
		return NULL;

	ifaces = lldpctlf.get_interfaces(conn);
	if (!ifaces) {
		mem_deref(nbs);
		return NULL;
	}

	for (iface = lldpctl_lazy_first(ifaces, &it); iface;
	     iface = lldpctl_lazy_next(ifaces, &it, iface)) {
		lldpctl_atom_t *port = lldpctlf.get_port(iface);
		lldpctl_atom_t *list, *nb;
		lldpctl_atom_iter_t *nb_it;
		const char *name =
			lldpctlf.atom_get_str(iface, lldpctl_k_interface_name);

		list = port ? lldpctlf.atom_get(port, lldpctl_k_port_neighbors)
			    : NULL;
		/* full table or no name: stop, dropping the element held */
		for (nb = lldpctl_lazy_first(list, &nb_it);
		     nb && nbs->n < LLDPD_BACKEND_MAX && name;
		     nb = lldpctl_lazy_next(list, &nb_it, nb)) {
			/* the name as text for netinfo; the kernel's own
			 * octets for the index */
			(void)wiretext_utf8(
				nbs->v[nbs->n].ifname, sizeof(nbs->v[0].ifname),
				(const uint8_t *)name, strlen(name));
			nbs->v[nbs->n].ifindex = if_nametoindex(name);
			if (!neighbour_fill(&nbs->v[nbs->n].f, nb, name, lg))
				++nbs->n;
		}
		lldpctlf.atom_dec_ref(nb);
		lldpctlf.atom_dec_ref(list);
		lldpctlf.atom_dec_ref(port);
	}
	lldpctlf.atom_dec_ref(ifaces);

	return nbs;
}

/* One connection to lldpd with our own blocking, stoppable I/O. */
struct chan {
	int fd;
	int stopfd;
};

struct worker {
	struct lldpd_backend *b;
	struct chan watch_chan, query_chan;
	lldpctl_conn_t *watch;
	lldpctl_conn_t *query;
};

/* Wait for fd to be ready; false if the stop pipe fired first. */
static bool chan_wait(const struct chan *c, short events)
{
	struct pollfd pfd[2] = {{.fd = c->fd, .events = events},
				{.fd = c->stopfd, .events = POLLIN}};

	while (poll(pfd, 2, -1) < 0) {
		if (errno != EINTR)
			return false;
	}

	return !pfd[1].revents;
}

static ssize_t chan_send(lldpctl_conn_t *conn, const uint8_t *data,
			 size_t length, void *user_data)
{
	const struct chan *c = user_data;
	ssize_t n;
	(void)conn;

	if (!chan_wait(c, POLLOUT))
		return LLDPCTL_ERR_CALLBACK_FAILURE;

	n = send(c->fd, data, length, MSG_NOSIGNAL);
	return n < 0 ? LLDPCTL_ERR_CALLBACK_FAILURE : n;
}

static ssize_t chan_recv(lldpctl_conn_t *conn, const uint8_t *data,
			 size_t length, void *user_data)
{
	const struct chan *c = user_data;
	ssize_t n;
	(void)conn;

	if (!chan_wait(c, POLLIN))
		return LLDPCTL_ERR_CALLBACK_FAILURE;

	/* liblldpctl passes its receive buffer as const */
	n = recv(c->fd, (void *)(uintptr_t)data, length, 0);
	if (n == 0)
		return LLDPCTL_ERR_EOF;
	return n < 0 ? LLDPCTL_ERR_CALLBACK_FAILURE : n;
}

static lldpctl_conn_t *chan_open(struct chan *c, const char *path, int stopfd)
{
	struct sockaddr_un sun;

	c->stopfd = stopfd;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return NULL;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	str_ncpy(sun.sun_path, path, sizeof(sun.sun_path));
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)))
		return NULL;

	return lldpctlf.new_name(path, chan_send, chan_recv, c);
}

static void publish(struct worker *w)
{
	struct neighbours *nbs = neighbours_fetch(w->query, &w->b->lg);

	if (nbs)
		(void)mqueue_push(w->b->mq, MSG_NEIGHBOURS, nbs);
	else
		(void)mqueue_push(w->b->mq, MSG_ERROR, NULL);
}

static void on_change(lldpctl_change_t type, lldpctl_atom_t *iface,
		      lldpctl_atom_t *neighbor, void *data)
{
	(void)type;
	(void)iface;
	(void)neighbor;

	publish(data);
}

static void *worker_main(void *arg)
{
	struct worker w = {
		.b = arg, .watch_chan = {.fd = -1}, .query_chan = {.fd = -1}};

	w.watch = chan_open(&w.watch_chan, w.b->sock, w.b->stop[0]);
	w.query = chan_open(&w.query_chan, w.b->sock, w.b->stop[0]);
	if (w.watch && w.query &&
	    lldpctlf.watch_callback2(w.watch, on_change, &w) == 0) {
		publish(&w);
		while (lldpctlf.watch(w.watch) >= 0)
			;
	}
	(void)mqueue_push(w.b->mq, MSG_ERROR, NULL);

	if (w.watch)
		lldpctlf.release(w.watch);
	if (w.query)
		lldpctlf.release(w.query);
	if (w.watch_chan.fd >= 0)
		(void)close(w.watch_chan.fd);
	if (w.query_chan.fd >= 0)
		(void)close(w.query_chan.fd);
	return NULL;
}

static void mqueue_handler(int id, void *data, void *arg)
{
	struct lldpd_backend *b = arg;

	if (id == MSG_ERROR) {
		if (!b->said_error && !b->stopping)
			ndlog_printf(
				&b->lg, NDLOG_WARNING,
				"lldp: lldpd at %s does not answer: no LLDP "
				"evidence\n",
				b->sock);
		b->said_error = true;
		return;
	}

	mem_deref(b->cur);
	b->cur = data;
	b->said_error = false;
	if (b->changeh)
		b->changeh(b->arg);
}

static void destructor(void *arg)
{
	struct lldpd_backend *b = arg;

	b->stopping = true;
	if (b->running) {
		(void)write(b->stop[1], "", 1);
		pthread_join(b->thread, NULL);
	}
	if (b->stop[0] >= 0) {
		(void)close(b->stop[0]);
		(void)close(b->stop[1]);
	}
	mem_deref(b->mq);
	mem_deref(b->cur);
}

int lldpd_backend_alloc(struct lldpd_backend **bp, const char *sock,
			lldpd_backend_change_h *changeh, void *arg,
			const struct ndlog *lg)
{
	struct lldpd_backend *b;
	int err;

	if (!bp)
		return EINVAL;

	/* liblldpctl is mapped from here on only (lldpctl_lazy.h) */
	err = lldpctl_lazy_load(lg);
	if (err)
		return err;

	b = mem_zalloc(sizeof(*b), destructor);
	if (!b)
		return ENOMEM;

	str_ncpy(b->sock, sock && sock[0] ? sock : "/run/lldpd.socket",
		 sizeof(b->sock));
	if (lg)
		b->lg = *lg;
	b->changeh = changeh;
	b->arg = arg;
	b->stop[0] = b->stop[1] = -1;

	if (pipe2(b->stop, O_CLOEXEC)) {
		err = errno;
		b->stop[0] = b->stop[1] = -1;
		goto out;
	}

	err = mqueue_alloc(&b->mq, mqueue_handler, b);
	if (err)
		goto out;

	err = pthread_create(&b->thread, NULL, worker_main, b);
	if (!err)
		b->running = true;

out:
	if (err)
		mem_deref(b);
	else
		*bp = b;
	return err;
}

const struct lldp_frame *lldpd_backend_neighbour(const struct lldpd_backend *b,
						 unsigned ifindex)
{
	size_t i;

	for (i = 0; b && b->cur && i < b->cur->n; i++) {
		if (b->cur->v[i].ifindex == ifindex)
			return &b->cur->v[i].f;
	}

	return NULL;
}

int lldpd_backend_json_encode(struct odict *od, const struct lldpd_backend *b)
{
	size_t i;
	int err = 0;

	for (i = 0; b && b->cur && i < b->cur->n && !err; i++) {
		struct odict *o = NULL;

		err = odict_alloc(&o, 8);
		if (!err)
			err = lldp_frame_json_encode(o, &b->cur->v[i].f);
		if (!err)
			err = odict_entry_add(od, b->cur->v[i].ifname,
					      ODICT_OBJECT, o);
		mem_deref(o);
	}

	return err;
}
