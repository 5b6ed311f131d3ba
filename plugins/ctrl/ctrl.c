/* ctrl: baresip module serving the locphone control protocol on a socket. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "baresip-abi.h"
#include "ctlproto.h"
#include "bus.h"
#include "locphone-config.h"
#include "ctrl_calls.h"

/* A client that lets this much output pile up is dropped (slow reader). */
#define CTRL_MAX_TXQ	 (4u * 1024u * 1024u)
#define CTRL_MAX_CLIENTS 64

struct client {
	struct le le;
	int fd;
	struct mbuf *rx;
	struct mbuf *tx;
	bool subscribed;
	bool closing; /* send what is queued, then close */
	bool dead;    /* close at the end of the current callback */
};

static struct ctrl {
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct list clients;
	struct tmr reaper;
} ctrl = {.lfd = -1};

static void client_destructor(void *arg)
{
	struct client *cl = arg;

	list_unlink(&cl->le);
	if (cl->fd >= 0) {
		fd_close(cl->fd);
		(void)close(cl->fd);
	}
	mem_deref(cl->rx);
	mem_deref(cl->tx);
}

/*
 * Clients are only marked dead inside the protocol code; the callback that
 * started the work frees them on its way out (client_reap), so no function
 * ever touches a client that was freed under it.
 */
static bool client_reap(struct client *cl)
{
	if (!cl->dead)
		return false;

	mem_deref(cl);
	return true;
}

/* Events can arrive inside a request; dead clients are freed later. */
static void reap_handler(void *arg)
{
	struct le *le = ctrl.clients.head;
	(void)arg;

	while (le) {
		struct client *cl = le->data;

		le = le->next;
		(void)client_reap(cl);
	}
}

static void client_handler(int flags, void *arg);

/* Send what is queued; wait for FD_WRITE if the socket is full. */
static void client_flush(struct client *cl)
{
	while (cl->tx->pos < cl->tx->end) {
		ssize_t n = send(cl->fd, mbuf_buf(cl->tx),
				 mbuf_get_left(cl->tx), MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			(void)fd_listen(cl->fd, FD_READ | FD_WRITE,
					client_handler, cl);
			return;
		}
		if (n < 0) {
			cl->dead = true;
			return;
		}
		cl->tx->pos += (size_t)n;
	}

	mbuf_rewind(cl->tx);

	if (cl->closing)
		cl->dead = true;
	else
		(void)fd_listen(cl->fd, FD_READ, client_handler, cl);
}

static void client_queue(struct client *cl, const struct mbuf *mb)
{
	if (cl->dead || cl->closing)
		return;

	if (mbuf_get_left(cl->tx) + mb->end > CTRL_MAX_TXQ) {
		warning("ctrl: client fd %d does not read what it is sent; "
			"disconnecting it\n",
			cl->fd);
		cl->dead = true;
		return;
	}

	cl->tx->pos = cl->tx->end;
	if (mbuf_write_mem(cl->tx, mb->buf, mb->end)) {
		cl->dead = true;
		return;
	}
	cl->tx->pos = 0;

	client_flush(cl);
}

static void reply(struct client *cl, int64_t id, const struct odict *result,
		  const char *error)
{
	struct mbuf *mb = mbuf_alloc(256);

	if (!mb || ctl_reply_encode(mb, id, result, error)) {
		warning("ctrl: cannot encode the reply to request %lld\n",
			(long long)id);
		mem_deref(mb);
		return;
	}

	client_queue(cl, mb);
	mem_deref(mb);
}

/* Answer, then close once the answer is out. */
static void reply_and_close(struct client *cl, int64_t id, const char *error)
{
	reply(cl, id, NULL, error);
	cl->closing = true;
	if (!cl->dead)
		client_flush(cl);
}

static int cmd_subscribe(struct client *cl, const struct odict *args)
{
	(void)args;

	cl->subscribed = true;
	return 0;
}

static int handle_line(const char *line, size_t len, void *arg)
{
	struct client *cl = arg;
	struct ctl_request req;
	struct odict *result = NULL;
	const char *errmsg = NULL;
	int64_t id;
	int err;

	if (cl->dead || cl->closing)
		return ECONNABORTED;
	if (!len)
		return 0;

	err = ctl_request_decode(&req, line, len, &id, &errmsg);
	if (err) {
		/* the client speaks something else: say so and hang up */
		reply_and_close(cl, id, errmsg);
		return ECONNABORTED;
	}

	err = odict_alloc(&result, 8);
	if (err)
		goto out;

	if (0 == str_cmp(req.cmd, "subscribe"))
		err = cmd_subscribe(cl, req.args);
	else
		err = ctrl_calls_command(req.cmd, req.args, result, &errmsg);

	if (err == ENOENT && !errmsg)
		err = bus_command_call(req.cmd, req.args, result, &errmsg);

	if (err == ENOENT && !errmsg)
		errmsg = "unknown command";

out:
	if (err && !errmsg)
		errmsg = strerror(err);
	reply(cl, req.id, err ? NULL : result, err ? errmsg : NULL);
	mem_deref(result);
	ctl_request_reset(&req);

	return 0;
}

static void client_read(struct client *cl)
{
	uint8_t buf[4096];
	ssize_t n;
	int err;

	while (!cl->dead && !cl->closing) {
		n = recv(cl->fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* gone, possibly in the middle of a request */
			cl->dead = true;
			return;
		}

		err = ctl_framer_feed(cl->rx, buf, (size_t)n, CTLPROTO_MAX_LINE,
				      handle_line, cl);
		if (err == EOVERFLOW) {
			warning("ctrl: client fd %d sent a line over %u bytes;"
				" disconnecting it\n",
				cl->fd, CTLPROTO_MAX_LINE);
			reply_and_close(cl, -1, "line too long");
		} else if (err && err != ECONNABORTED) {
			warning("ctrl: client fd %d: %m\n", cl->fd, err);
			cl->dead = true;
		}
	}
}

static void client_handler(int flags, void *arg)
{
	struct client *cl = arg;

	if (flags & FD_WRITE)
		client_flush(cl);

	if ((flags & FD_READ) && !cl->dead && !cl->closing)
		client_read(cl);

	if (flags & FD_EXCEPT)
		cl->dead = true;

	(void)client_reap(cl);
}

static void accept_handler(int flags, void *arg)
{
	struct client *cl;
	int fd;
	(void)flags;
	(void)arg;

	fd = accept4(ctrl.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;

	if (list_count(&ctrl.clients) >= CTRL_MAX_CLIENTS) {
		warning("ctrl: %u clients already; refusing another\n",
			CTRL_MAX_CLIENTS);
		(void)close(fd);
		return;
	}

	cl = mem_zalloc(sizeof(*cl), client_destructor);
	if (!cl) {
		(void)close(fd);
		return;
	}

	cl->fd = fd;
	list_append(&ctrl.clients, &cl->le, cl);

	cl->rx = mbuf_alloc(1024);
	cl->tx = mbuf_alloc(1024);
	if (!cl->rx || !cl->tx || fd_listen(fd, FD_READ, client_handler, cl))
		mem_deref(cl);
}

/* Broadcast an event to every client that subscribed. */
static void event_broadcast(const char *name, const struct odict *fields,
			    void *arg)
{
	struct mbuf *mb;
	struct le *le;
	(void)arg;

	mb = mbuf_alloc(256);
	if (!mb || ctl_event_encode(mb, name, fields)) {
		mem_deref(mb);
		return;
	}

	le = ctrl.clients.head;
	while (le) {
		struct client *cl = le->data;

		le = le->next;
		if (cl->subscribed)
			client_queue(cl, mb);
		if (cl->dead)
			tmr_start(&ctrl.reaper, 0, reap_handler, NULL);
	}

	mem_deref(mb);
}

/* The socket's directory: created 0700, or an existing one tightened. */
static int socket_dir_prepare(const char *path)
{
	char dir[sizeof(ctrl.path)];
	struct stat st;
	char *slash;

	str_ncpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';

	if (mkdir(dir, 0700) && errno != EEXIST)
		return errno;
	if (stat(dir, &st))
		return errno;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	if (st.st_uid != geteuid()) {
		warning("ctrl: %s belongs to uid %u, not to us\n", dir,
			(unsigned)st.st_uid);
		return EPERM;
	}
	if (chmod(dir, 0700))
		return errno;

	return 0;
}

static int socket_open(const char *path)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;

	err = socket_dir_prepare(path);
	if (err)
		return err;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	str_ncpy(sun.sun_path, path, sizeof(sun.sun_path));

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;

	/* a socket file nobody answers on is left over from a crash */
	if (0 == connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		warning("ctrl: another engine is serving %s\n", path);
		(void)close(fd);
		return EADDRINUSE;
	}
	(void)close(fd);
	(void)unlink(path);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;

	old = umask(0177);
	err = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ? errno : 0;
	umask(old);
	if (!err && chmod(path, 0600))
		err = errno;
	if (!err && listen(fd, 16))
		err = errno;
	if (!err)
		err = fd_listen(fd, FD_READ, accept_handler, NULL);
	if (err) {
		(void)close(fd);
		return err;
	}

	ctrl.lfd = fd;
	return 0;
}

static int module_init(void)
{
	char path[sizeof(ctrl.path)] = "";
	int err;

	if (conf_get_str(conf_cur(), "locphone_ctl_socket", path,
			 sizeof(path))) {
		const char *rt = getenv("XDG_RUNTIME_DIR");

		if (!rt) {
			warning("ctrl: neither locphone_ctl_socket nor "
				"XDG_RUNTIME_DIR is set\n");
			return EINVAL;
		}
		if (re_snprintf(path, sizeof(path), "%s/locphone/ctl.sock",
				rt) < 0)
			return ENAMETOOLONG;
	}

	err = socket_open(path);
	if (err) {
		warning("ctrl: cannot serve %s: %m\n", path, err);
		return err;
	}
	str_ncpy(ctrl.path, path, sizeof(ctrl.path));

	err = bus_event_listen(event_broadcast, NULL);
	if (err)
		return err;

	err = ctrl_calls_init();
	if (err)
		return err;

	info("ctrl: control socket %s\n", ctrl.path);
	return 0;
}

static int module_close(void)
{
	ctrl_calls_close();
	bus_event_unlisten(event_broadcast);
	tmr_cancel(&ctrl.reaper);
	list_flush(&ctrl.clients);

	if (ctrl.lfd >= 0) {
		fd_close(ctrl.lfd);
		(void)close(ctrl.lfd);
		ctrl.lfd = -1;
		(void)unlink(ctrl.path);
	}

	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"ctrl",
	"application",
	module_init,
	module_close,
};
