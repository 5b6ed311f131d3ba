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
#include "baresip-abi.h"
#include "civic.h"
#include "lldp.h"
#include "lldp_json.h"
#include "lldpctl_lazy.h"
#include "lldpd_backend.h"

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

static void id_fill(struct lldp_id *id, lldpctl_atom_t *atom,
		    lldpctl_key_t subtype, lldpctl_key_t value, bool chassis)
{
	const uint8_t *buf;
	size_t len = 0;

	id->subtype = (uint8_t)lldpctlf.atom_get_int(atom, subtype);
	buf = lldpctlf.atom_get_buffer(atom, value, &len);
	if (!buf)
		return;
	id->len = len > sizeof(id->raw) ? sizeof(id->raw) : len;
	memcpy(id->raw, buf, id->len);
	lldp_id_text(id, chassis);
}

/* "47.6422N" / "122.1390W" to signed degrees. */
static double degrees(const char *s)
{
	double v = 0;
	char hemi = 0;

	if (!s || sscanf(s, "%lf%c", &v, &hemi) < 1)
		return 0;

	return (hemi == 'S' || hemi == 'W') ? -v : v;
}

static void location_fill(struct lldp_frame *f, lldpctl_atom_t *loc)
{
	lldpctl_atom_t *elems, *el;
	lldpctl_atom_iter_t *it;
	const char *s;

	switch (lldpctlf.atom_get_int(loc, lldpctl_k_med_location_format)) {
	case LLDP_MED_LOC_COORD:
		f->med.has_coord = true;
		f->med.coord.latitude = degrees(lldpctlf.atom_get_str(
			loc, lldpctl_k_med_location_latitude));
		f->med.coord.longitude = degrees(lldpctlf.atom_get_str(
			loc, lldpctl_k_med_location_longitude));
		s = lldpctlf.atom_get_str(loc, lldpctl_k_med_location_altitude);
		f->med.coord.altitude = s ? atof(s) : 0;
		f->med.coord.alt_type =
			(enum lldp_med_altitude)lldpctlf.atom_get_int(
				loc, lldpctl_k_med_location_altitude_unit);
		f->med.coord.datum = (enum lldp_med_datum)lldpctlf.atom_get_int(
			loc, lldpctl_k_med_location_geoid);
		break;
	case LLDP_MED_LOC_CIVIC:
		f->med.has_civic = true;
		(void)civic_set_str(
			&f->med.civic.civic, CIVIC_COUNTRY,
			lldpctlf.atom_get_str(loc,
					      lldpctl_k_med_location_country));
		elems = lldpctlf.atom_get(loc,
					  lldpctl_k_med_location_ca_elements);
		for (el = lldpctl_lazy_first(elems, &it); el;
		     el = lldpctl_lazy_next(elems, &it, el)) {
			int field = civic_field_by_catype(
				(unsigned)lldpctlf.atom_get_int(
					el, lldpctl_k_med_civicaddress_type));

			if (field < 0) {
				++f->med.civic.unknown;
				continue;
			}
			(void)civic_set_str(
				&f->med.civic.civic, field,
				lldpctlf.atom_get_str(
					el, lldpctl_k_med_civicaddress_value));
		}
		lldpctlf.atom_dec_ref(elems);
		break;
	case LLDP_MED_LOC_ELIN:
		s = lldpctlf.atom_get_str(loc, lldpctl_k_med_location_elin);
		if (s) {
			f->med.has_elin = true;
			str_ncpy(f->med.elin, s, sizeof(f->med.elin));
		}
		break;
	default:
		break;
	}
}

static void neighbour_fill(struct lldp_frame *f, lldpctl_atom_t *nb)
{
	lldpctl_atom_t *chassis = lldpctlf.atom_get(nb, lldpctl_k_port_chassis);
	lldpctl_atom_t *locs, *loc;
	lldpctl_atom_iter_t *it;
	const char *s;

	id_fill(&f->chassis, chassis, lldpctl_k_chassis_id_subtype,
		lldpctl_k_chassis_id, true);
	id_fill(&f->port, nb, lldpctl_k_port_id_subtype, lldpctl_k_port_id,
		false);
	f->ttl = (uint16_t)lldpctlf.atom_get_int(nb, lldpctl_k_port_ttl);
	s = lldpctlf.atom_get_str(chassis, lldpctl_k_chassis_name);
	if (s)
		str_ncpy(f->sys_name, s, sizeof(f->sys_name));

	f->med.device_type = (uint8_t)lldpctlf.atom_get_int(
		chassis, lldpctl_k_chassis_med_type);
	f->med.caps = (uint16_t)lldpctlf.atom_get_int(
		chassis, lldpctl_k_chassis_med_cap);
	f->med.has_caps = f->med.device_type > 0;

	locs = lldpctlf.atom_get(nb, lldpctl_k_port_med_locations);
	for (loc = lldpctl_lazy_first(locs, &it); loc;
	     loc = lldpctl_lazy_next(locs, &it, loc)) {
		location_fill(f, loc);
	}
	lldpctlf.atom_dec_ref(locs);
	lldpctlf.atom_dec_ref(chassis);
}

/* Every neighbour lldpd knows, as one list (runs on the worker thread). */
static struct neighbours *neighbours_fetch(lldpctl_conn_t *conn)
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
			str_ncpy(nbs->v[nbs->n].ifname, name,
				 sizeof(nbs->v[0].ifname));
			nbs->v[nbs->n].ifindex = if_nametoindex(name);
			neighbour_fill(&nbs->v[nbs->n].f, nb);
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
	struct neighbours *nbs = neighbours_fetch(w->query);

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
			warning("lldp: lldpd at %s does not answer: no LLDP "
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
			lldpd_backend_change_h *changeh, void *arg)
{
	struct lldpd_backend *b;
	int err;

	if (!bp)
		return EINVAL;

	/* liblldpctl is mapped from here on only (lldpctl_lazy.h) */
	err = lldpctl_lazy_load();
	if (err)
		return err;

	b = mem_zalloc(sizeof(*b), destructor);
	if (!b)
		return ENOMEM;

	str_ncpy(b->sock, sock && sock[0] ? sock : "/run/lldpd.socket",
		 sizeof(b->sock));
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
