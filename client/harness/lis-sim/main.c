/* locphone-lis-sim: a HELD (RFC 5985) LIS for tests, demos and site
 * proving. */

#include <re.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include "atomicfile.h"
#include "civic.h"
#include "heldreq.h"
#include "wiremap.h"
#include "simmode.h"
#include "simlog.h"
#include "simserver.h"

enum { LISTEN_MAX = 16, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: locphone-lis-sim [options]\n"
	"  --listen ADDR:PORT      HELD over HTTP (repeatable; port 0: any)\n"
	"  --tls-listen ADDR:PORT  HELD over HTTPS (repeatable; needs --cert)\n"
	"  --cert FILE             PEM file: certificate chain and key\n"
	"  --control ADDR:PORT     HTTP control: GET/POST /control (mode)\n"
	"  --wiremap FILE          CSV wiremap (see README.md)\n"
	"  --log FILE              append one JSON line per request\n"
	"  --mode MODE             normal | slow:MS | http500 | refuse |\n"
	"                          locationUnknown | notLocatable | garbage |\n"
	"                          truncated | http503\n"
	"  --ready-file PATH       write bound ports here once listening\n"
	"  --uri-base URL          location URIs are URL/loc/<id>\n"
	"  --name NAME             provider name in the PIDF-LO\n"
	"  --auth basic|digest     HELD listeners demand HTTP authentication\n"
	"  --auth-user USER:PASS   the one user --auth accepts\n"
	"  --retransmission-allowed yes|no  the PIDF-LO's usage rule "
	"(yes)\n"
	"  --retention SECONDS     retention-expiry this far ahead (86400)\n";

struct endpoint {
	enum simserver_role role;
	struct sa addr;
};

struct options {
	struct endpoint epv[LISTEN_MAX];
	size_t epc;
	struct simserver_conf conf;
	const char *wiremap;
	const char *log;
	const char *ready;
};

static void signal_handler(int sig)
{
	re_fprintf(stderr, "lis-sim: signal %d, stopping\n", sig);
	re_cancel();
}

static int endpoint_add(struct options *o, enum simserver_role role,
			const char *arg)
{
	struct endpoint *ep;

	if (o->epc >= LISTEN_MAX) {
		re_fprintf(stderr, "lis-sim: more than %u listeners\n",
			   LISTEN_MAX);
		return EINVAL;
	}

	ep = &o->epv[o->epc];
	if (sa_decode(&ep->addr, arg, strlen(arg))) {
		re_fprintf(stderr, "lis-sim: not ADDR:PORT: %s\n", arg);
		return EINVAL;
	}

	ep->role = role;
	++o->epc;
	return 0;
}

static int option_apply(struct options *o, int c, const char *arg)
{
	struct pl pl;

	switch (c) {

	case 'l':
		return endpoint_add(o, SIMSERVER_HTTP, arg);
	case 't':
		return endpoint_add(o, SIMSERVER_HTTPS, arg);
	case 'c':
		return endpoint_add(o, SIMSERVER_CONTROL, arg);
	case 'C':
		o->conf.cert = arg;
		return 0;
	case 'w':
		o->wiremap = arg;
		return 0;
	case 'L':
		o->log = arg;
		return 0;
	case 'r':
		o->ready = arg;
		return 0;
	case 'u':
		o->conf.uri_base = arg;
		return 0;
	case 'n':
		o->conf.provider = arg;
		return 0;
	case 'R':
		if (0 == strcmp(arg, "yes") || 0 == strcmp(arg, "no")) {
			o->conf.no_retransmission = arg[0] == 'n';
			return 0;
		}
		re_fprintf(stderr,
			   "lis-sim: --retransmission-allowed: yes "
			   "or no, not %s\n",
			   arg);
		return EINVAL;
	case 'E': {
		char *end = NULL;
		unsigned long v = strtoul(arg, &end, 10);

		if (!*arg || *end || v < 1 || v > 10UL * 365 * 24 * 3600) {
			re_fprintf(stderr,
				   "lis-sim: --retention: seconds, 1 "
				   "to ten years, not %s\n",
				   arg);
			return EINVAL;
		}
		o->conf.retention_s = (unsigned)v;
		return 0;
	}
	case 'a':
		if (0 == strcmp(arg, "basic"))
			o->conf.auth = SIMSERVER_AUTH_BASIC;
		else if (0 == strcmp(arg, "digest"))
			o->conf.auth = SIMSERVER_AUTH_DIGEST;
		else {
			re_fprintf(stderr, "lis-sim: --auth basic or digest\n");
			return EINVAL;
		}
		return 0;
	case 'U':
		if (!strchr(arg, ':')) {
			re_fprintf(stderr, "lis-sim: --auth-user USER:PASS\n");
			return EINVAL;
		}
		o->conf.auth_user = arg;
		return 0;
	case 'm':
		pl_set_str(&pl, arg);
		if (simmode_decode(&o->conf.mode, &pl)) {
			re_fprintf(stderr, "lis-sim: unknown mode: %s\n", arg);
			return EINVAL;
		}
		return 0;
	default:
		return EINVAL;
	}
}

static int options_parse(struct options *o, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"tls-listen", required_argument, NULL, 't'},
		{"control", required_argument, NULL, 'c'},
		{"cert", required_argument, NULL, 'C'},
		{"wiremap", required_argument, NULL, 'w'},
		{"log", required_argument, NULL, 'L'},
		{"mode", required_argument, NULL, 'm'},
		{"ready-file", required_argument, NULL, 'r'},
		{"uri-base", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'n'},
		{"auth", required_argument, NULL, 'a'},
		{"auth-user", required_argument, NULL, 'U'},
		{"retransmission-allowed", required_argument, NULL, 'R'},
		{"retention", required_argument, NULL, 'E'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	size_t i, lis = 0;
	bool tls = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h' || c == '?' || option_apply(o, c, optarg))
			return EINVAL;
	}
	if (optind < argc) {
		re_fprintf(stderr, "lis-sim: unexpected argument %s\n",
			   argv[optind]);
		return EINVAL;
	}

	for (i = 0; i < o->epc; i++) {
		lis += o->epv[i].role != SIMSERVER_CONTROL;
		tls |= o->epv[i].role == SIMSERVER_HTTPS;
	}
	if (!lis) {
		re_fprintf(stderr, "lis-sim: need --listen or --tls-listen\n");
		return EINVAL;
	}
	if (!o->conf.auth != !o->conf.auth_user) {
		re_fprintf(stderr, "lis-sim: --auth and --auth-user go "
				   "together\n");
		return EINVAL;
	}
	if (tls && !o->conf.cert) {
		re_fprintf(stderr, "lis-sim: --tls-listen needs --cert\n");
		return EINVAL;
	}

	return 0;
}

/* Write the ready file whole (atomicfile), so a reader never sees half of
 * it. */
static int ready_write(const char *path, const struct simserver *srv)
{
	struct mbuf *mb = mbuf_alloc(256);
	int err;

	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "%H", simserver_ready_print, srv);
	if (!err)
		err = atomicfile_write(path, mb->buf, mb->end, 0644, NULL,
				       NULL);

	mem_deref(mb);
	return err;
}

/* Load the wiremap and log, listen, announce readiness. */
static int setup(struct simserver **srvp, struct options *o)
{
	struct wiremap_err we;
	size_t i;
	int err = 0;

	if (o->wiremap) {
		err = wiremap_load(&o->conf.wm, &we, o->wiremap);
		if (err == EBADMSG && we.line)
			re_fprintf(stderr, "lis-sim: %s:%u: %s\n", o->wiremap,
				   we.line, we.msg);
		else if (err == EBADMSG)
			re_fprintf(stderr, "lis-sim: %s: %s\n", o->wiremap,
				   we.msg);
		else if (err)
			re_fprintf(stderr, "lis-sim: %s: %m\n", o->wiremap,
				   err);
		if (err)
			return err;
	}

	if (o->log) {
		err = simlog_open(&o->conf.log, o->log);
		if (err) {
			re_fprintf(stderr, "lis-sim: %s: %m\n", o->log, err);
			return err;
		}
	}

	err = simserver_alloc(srvp, &o->conf);
	if (err)
		return err;

	for (i = 0; i < o->epc && !err; i++) {
		err = simserver_listen(*srvp, o->epv[i].role, &o->epv[i].addr);
		if (err)
			re_fprintf(stderr, "lis-sim: cannot listen on %J: %m\n",
				   &o->epv[i].addr, err);
	}
	if (!err)
		err = simserver_start(*srvp);
	if (!err && o->ready) {
		err = ready_write(o->ready, *srvp);
		if (err)
			re_fprintf(stderr, "lis-sim: %s: %m\n", o->ready, err);
	}

	return err;
}

int main(int argc, char *argv[])
{
	struct simserver *srv = NULL;
	struct options o;
	int err;

	memset(&o, 0, sizeof(o));
	o.conf.provider = "locphone-lis-sim";

	if (options_parse(&o, argc, argv)) {
		re_fprintf(stderr, "%s", usage_text);
		return EXIT_USAGE;
	}

	err = libre_init();
	if (err) {
		re_fprintf(stderr, "lis-sim: libre: %m\n", err);
		return EXIT_FAILURE;
	}

	xmlInitParser();
	heldreq_init();

	err = setup(&srv, &o);
	if (!err) {
		re_fprintf(stderr, "lis-sim: %zu wiremap entries, mode %H\n",
			   wiremap_count(o.conf.wm), simmode_print,
			   &o.conf.mode);
		err = re_main(signal_handler);
	}

	mem_deref(srv);
	mem_deref(o.conf.wm);
	mem_deref(o.conf.log);
	libre_close();
	xmlCleanupParser();

	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
