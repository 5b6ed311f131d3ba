/* ctlclient: blocking control-socket client for locphonectl and scripts. */

#include <re.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "ctlproto.h"
#include "ctlclient.h"

struct queued {
	struct le le;
	char *line;
};

struct ctlclient {
	int fd;
	int64_t next_id;
	struct mbuf *rx;
	struct list events; /* struct queued, oldest first */
	struct list lines;  /* complete lines not yet looked at */
};

static void queued_destructor(void *arg)
{
	struct queued *q = arg;

	list_unlink(&q->le);
	mem_deref(q->line);
}

static void destructor(void *arg)
{
	struct ctlclient *cl = arg;

	list_flush(&cl->events);
	list_flush(&cl->lines);
	mem_deref(cl->rx);
	if (cl->fd >= 0)
		(void)close(cl->fd);
}

int ctlclient_default_path(char *buf, size_t sz)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");

	if (!buf)
		return EINVAL;

	if (rt && rt[0]) {
		if (re_snprintf(buf, sz, "%s/locphone/ctl.sock", rt) < 0)
			return ENAMETOOLONG;
		return 0;
	}

	if (geteuid() == 0) {
		str_ncpy(buf, "/run/locphone/ctl.sock", sz);
		return 0;
	}

	return ENOENT;
}

int ctlclient_connect(struct ctlclient **clp, const char *path)
{
	struct sockaddr_un sun;
	struct ctlclient *cl;
	int err = 0;

	if (!clp || !path)
		return EINVAL;
	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;

	cl = mem_zalloc(sizeof(*cl), destructor);
	if (!cl)
		return ENOMEM;

	cl->next_id = 1;
	cl->rx = mbuf_alloc(4096);
	cl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!cl->rx) {
		err = ENOMEM;
		goto out;
	}
	if (cl->fd < 0) {
		err = errno;
		goto out;
	}

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	str_ncpy(sun.sun_path, path, sizeof(sun.sun_path));

	if (connect(cl->fd, (struct sockaddr *)&sun, sizeof(sun)))
		err = errno;

out:
	if (err)
		mem_deref(cl);
	else
		*clp = cl;
	return err;
}

static int line_queue(const char *line, size_t len, void *arg)
{
	struct list *lines = arg;
	struct queued *q;

	q = mem_zalloc(sizeof(*q), queued_destructor);
	if (!q)
		return ENOMEM;

	if (re_sdprintf(&q->line, "%b", line, len)) {
		mem_deref(q);
		return ENOMEM;
	}

	list_append(lines, &q->le, q);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read until at least one more complete line is queued. */
static int read_lines(struct ctlclient *cl, int timeout_ms)
{
	const int64_t deadline = now_ms() + timeout_ms;
	uint8_t buf[4096];

	while (!cl->lines.head) {
		struct pollfd pfd = {.fd = cl->fd, .events = POLLIN};
		int wait = -1;
		ssize_t n;
		int err;

		if (timeout_ms >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return ETIMEDOUT;
			wait = (int)left;
		}

		if (poll(&pfd, 1, wait) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (!pfd.revents)
			continue;

		n = recv(cl->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ECONNRESET;

		err = ctl_framer_feed(cl->rx, buf, (size_t)n,
				      CTLPROTO_MAX_LINE * 64, line_queue,
				      &cl->lines);
		if (err)
			return err;
	}

	return 0;
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}

	return 0;
}

int ctlclient_request(struct ctlclient *cl, const char *cmd,
		      const struct odict *args, int timeout_ms,
		      struct odict **replyp)
{
	const int64_t deadline = now_ms() + timeout_ms;
	struct odict *req = NULL;
	struct mbuf *mb = NULL;
	const int64_t id = cl ? cl->next_id++ : 0;
	int err;

	if (!cl || !cmd || !replyp)
		return EINVAL;

	mb = mbuf_alloc(256);
	err = odict_alloc(&req, 4);
	if (err || !mb) {
		err = err ? err : ENOMEM;
		goto out;
	}

	err = odict_entry_add(req, "id", ODICT_INT, id);
	if (!err)
		err = odict_entry_add(req, "cmd", ODICT_STRING, cmd);
	if (!err && args)
		err = odict_entry_add(req, "args", ODICT_OBJECT, args);
	if (!err)
		err = mbuf_printf(mb, "%H\n", json_out_odict, req);
	if (!err)
		err = send_all(cl->fd, mb->buf, mb->end);
	if (err)
		goto out;

	for (;;) {
		struct queued *q;
		struct odict *msg = NULL;
		const struct odict_entry *e;
		int64_t left = deadline - now_ms();

		err = read_lines(cl, left > 0 ? (int)left : 0);
		if (err)
			goto out;

		q = cl->lines.head->data;
		if (json_decode_odict(&msg, 16, q->line, strlen(q->line), 32)) {
			err = EPROTO;
			goto out;
		}

		if (odict_lookup(msg, "event")) {
			list_unlink(&q->le);
			list_append(&cl->events, &q->le, q);
			mem_deref(msg);
			continue;
		}

		mem_deref(q);
		e = odict_lookup(msg, "id");
		if (e && e->type == ODICT_INT && e->u.integer == id) {
			*replyp = msg;
			break;
		}
		if (e && e->type == ODICT_NULL) {
			/* the engine could not read our request at all */
			*replyp = msg;
			break;
		}
		mem_deref(msg); /* a reply to someone else's request */
	}

out:
	mem_deref(req);
	mem_deref(mb);
	return err;
}

int ctlclient_event(struct ctlclient *cl, int timeout_ms, char **linep,
		    struct odict **evp)
{
	struct queued *q;
	int err;

	if (!cl || !linep)
		return EINVAL;

	for (;;) {
		struct odict *msg = NULL;

		if (cl->events.head) {
			q = cl->events.head->data;
			break;
		}

		err = read_lines(cl, timeout_ms);
		if (err)
			return err;

		q = cl->lines.head->data;
		list_unlink(&q->le);
		if (json_decode_odict(&msg, 16, q->line, strlen(q->line), 32)) {
			mem_deref(q);
			return EPROTO;
		}
		if (odict_lookup(msg, "event")) {
			list_append(&cl->events, &q->le, q);
			mem_deref(msg);
			continue;
		}
		mem_deref(msg);
		mem_deref(q); /* a stray reply */
	}

	if (evp) {
		err = json_decode_odict(evp, 16, q->line, strlen(q->line), 32);
		if (err)
			return err;
	}

	*linep = mem_ref(q->line);
	mem_deref(q);
	return 0;
}
