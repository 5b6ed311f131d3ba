/* e911_served: the policy served from policy_url (issue 14 item 2). */

/*
 * The administrator's file may name a policy document to fetch:
 *
 *   policy_url https://policy.example.com/phones.conf
 *   policy_refresh 1h          (10 s to 7 days; default 1 h)
 *   policy_ca_file /etc/...    (trust anchors; default the system's)
 *
 * It is fetched with the LIS's TLS rules (lis_client: https only, peer and
 * host verified, no redirects, no proxy from the environment) at start,
 * every policy_refresh (after a failure sooner: 30 s, doubling up to
 * policy_refresh) and on e911.policy.refresh.  A document is taken
 * only whole: it must parse, and the policy and every site it defines must
 * load without a single diagnostic; otherwise it is refused, the copy in
 * force stays and the error is said.  The last good document is kept in
 * the state directory (served-policy.conf, 0600, written to a temporary
 * file and renamed) and used from the next start until the server answers
 * again.  Nothing waits for a fetch: the call goes out with what is in
 * force.
 */

#include <re.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "atomicfile.h"
#include "baresip-abi.h"
#include "kvconf.h"
#include "policy.h"
#include "policy_site.h"
#include "policy_value.h"
#include "lis_client.h"
#include "rfc3339.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"
#include "sipbody.h"
#include "e911.h"

enum {
	REFRESH_DEFAULT_S = 3600,
	REFRESH_MIN_S = 10,
	REFRESH_MAX_S = 7 * 24 * 3600,
	RETRY_FIRST_S = 30, /* after a failure, doubling up to refresh_s */
	FETCH_TIMEOUT_MS = 10000,
	DOC_MAX = KVCONF_MAX_SIZE,
};

#define COPY_NAME   "served-policy.conf"
#define COPY_HEADER "# locphone: last good policy served from "

struct e911_served {
	char url[512];
	char copy[600]; /* "" without a state directory */
	uint32_t refresh_s;
	uint32_t retry_s; /* the next retry after a failure; 0: healthy */
	struct lis_client *lc;
	struct lis_query *q;
	struct tmr tmr;
	struct policy_sites *sites; /* in force; NULL: none yet */
	bool from_copy;		    /* sites came from the copy on disk */
	time_t obtained;	    /* when the server served them */
	time_t tried;		    /* the last fetch's end, 0: none yet */
	char error[480];	    /* the last fetch's failure, "" */
	e911_served_h *h;
	void *arg;
};

static void destructor(void *arg)
{
	struct e911_served *s = arg;

	tmr_cancel(&s->tmr);
	s->q = mem_deref(s->q);
	s->lc = mem_deref(s->lc);
	s->sites = mem_deref(s->sites);
}

/* Atomically: a temporary file of mode 0600, synced, renamed. */
static int copy_write(const struct e911_served *s, const char *buf, size_t len)
{
	struct mbuf *mb;
	int err = 0;

	if (!s->copy[0])
		return 0;

	mb = mbuf_alloc(len + 600);
	if (!mb)
		return ENOMEM;
	err = mbuf_printf(mb, "%s%s\n", COPY_HEADER, s->url);
	if (!err)
		err = mbuf_write_mem(mb, (const uint8_t *)buf, len);
	if (err)
		goto out;

	err = atomicfile_write(s->copy, mb->buf, mb->end, 0600, NULL, NULL);

out:
	mem_deref(mb);
	return err;
}

/* The copy of an earlier run, if it was served from this URL and is good. */
static void copy_load(struct e911_served *s)
{
	char why[480], header[600];
	struct mbuf *mb = NULL;
	struct stat st;
	size_t hl;
	int fd, err;

	if (!s->copy[0])
		return;

	fd = open(s->copy, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || st.st_size > DOC_MAX + 600) {
		(void)close(fd);
		return;
	}
	mb = mbuf_alloc((size_t)st.st_size + 1);
	if (mb) {
		ssize_t n = read(fd, mb->buf, (size_t)st.st_size);

		mb->end = n > 0 ? (size_t)n : 0;
	}
	(void)close(fd);
	if (!mb)
		return;

	hl = (size_t)re_snprintf(header, sizeof(header), "%s%s\n", COPY_HEADER,
				 s->url);
	if (mb->end < hl || memcmp(mb->buf, header, hl)) {
		warning("e911: %s: not served from %s: not used\n", s->copy,
			s->url);
		goto out;
	}

	err = policy_sites_validate(&s->sites, s->url, (char *)mb->buf + hl,
				    mb->end - hl, why, sizeof(why));
	if (err) {
		warning("e911: %s: %s: not used\n", s->copy, why);
		goto out;
	}
	s->from_copy = true;
	s->obtained = st.st_mtime;
	info("e911: served policy: the last good copy (%s) until %s "
	     "answers\n",
	     s->copy, s->url);

out:
	mem_deref(mb);
}

static void refresh_handler(void *arg);

static void fetched(int err, enum lis_server server, uint16_t status,
		    struct mbuf *body, const char *errtext, void *arg)
{
	struct e911_served *s = arg;
	struct policy_sites *sites = NULL;
	char why[480];
	(void)server;
	(void)status;

	s->q = mem_deref(s->q);
	s->tried = time(NULL);

	if (err || !body) {
		re_snprintf(s->error, sizeof(s->error), "%s",
			    str_isset(errtext) ? errtext : "no answer");
		goto failed;
	}

	err = policy_sites_validate(&sites, s->url,
				    (const char *)mbuf_buf(body),
				    mbuf_get_left(body), why, sizeof(why));
	if (err) {
		re_snprintf(s->error, sizeof(s->error), "refused whole: %s",
			    why);
		goto failed;
	}

	err = copy_write(s, (const char *)mbuf_buf(body), mbuf_get_left(body));
	if (err)
		warning("e911: served policy: cannot keep a copy in %s: %m\n",
			s->copy, err);

	s->error[0] = '\0';
	s->retry_s = 0;
	tmr_start(&s->tmr, (uint64_t)s->refresh_s * 1000, refresh_handler, s);
	mem_deref(s->sites);
	s->sites = sites;
	s->from_copy = false;
	s->obtained = s->tried;
	info("e911: served policy from %s: %zu sites\n", s->url,
	     policy_sites_count(sites));
	s->h(true, s->arg);
	return;

failed:
	/* a server that is down is asked again sooner than refresh_s; a bad
	 * document too (it may be fixed), doubling up to refresh_s */
	s->retry_s = s->retry_s ? MIN(s->retry_s * 2, s->refresh_s)
				: MIN((uint32_t)RETRY_FIRST_S, s->refresh_s);
	tmr_start(&s->tmr, (uint64_t)s->retry_s * 1000, refresh_handler, s);
	warning("e911: served policy %s: %s; %s stays in force\n", s->url,
		s->error,
		s->sites ? (s->from_copy ? "the last good copy"
					 : "the one served before")
			 : "no served policy");
	s->h(false, s->arg);
}

int e911_served_refresh(struct e911_served *s)
{
	int err;

	if (!s)
		return ENOENT;
	if (s->q)
		return 0; /* one is on its way */

	err = lis_client_query(&s->q, s->lc, NULL, 0, fetched, s);
	if (err) {
		re_snprintf(s->error, sizeof(s->error), "not fetched: %m", err);
		tmr_start(&s->tmr, (uint64_t)s->refresh_s * 1000,
			  refresh_handler, s);
	}

	return err;
}

static void refresh_handler(void *arg)
{
	(void)e911_served_refresh(arg);
}

/* The LIS client's lines (they start "lis: ") to baresip's log. */
static void lis_log(enum ndlog_level level, const char *line, void *arg)
{
	(void)arg;

	if (level == NDLOG_WARNING)
		warning("%s", line);
	else
		info("%s", line);
}

/* policy_refresh and policy_ca_file problems go to diag as file:line. */
static void settings_read(struct e911_served *s, const struct kvconf *admin,
			  struct lis_config *cfg, struct policy_diag *diag)
{
	const struct kvconf_entry *e = kvconf_get(admin, "policy_refresh");
	unsigned secs;

	s->refresh_s = REFRESH_DEFAULT_S;
	if (e) {
		if (policy_duration_parse(&secs, e->value) ||
		    secs < REFRESH_MIN_S || secs > REFRESH_MAX_S)
			e911_diag_line(
				diag,
				"%s:%u: policy_refresh: must be 10s to 7 days "
				"(\"1h\", \"30m\", \"90s\"); 1h is used",
				e->file, e->line);
		else
			s->refresh_s = secs;
	}

	e = kvconf_get(admin, "policy_ca_file");
	if (e && e->value[0] != '/')
		e911_diag_line(diag,
			       "%s:%u: policy_ca_file: an absolute path is "
			       "needed; the "
			       "system's trust store is used",
			       e->file, e->line);
	else if (e)
		cfg->ca_file = e->value;
}

int e911_served_alloc(struct e911_served **sp, const struct kvconf *admin,
		      struct policy_diag *diag, e911_served_h *h, void *arg)
{
	const struct kvconf_entry *e = kvconf_get(admin, "policy_url");
	struct lis_config cfg;
	struct e911_served *s;
	char state[512];
	int err;

	*sp = NULL;
	if (!e)
		return 0;

	s = mem_zalloc(sizeof(*s), destructor);
	if (!s)
		return ENOMEM;
	tmr_init(&s->tmr);
	s->h = h;
	s->arg = arg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.get = true;
	cfg.lg.logh = lis_log;
	cfg.timeout_ms = FETCH_TIMEOUT_MS;
	cfg.body_max = DOC_MAX;
	settings_read(s, admin, &cfg, diag);

	if (strlen(e->value) >= sizeof(s->url) ||
	    strncasecmp(e->value, "https://", 8)) {
		e911_diag_line(diag,
			       "%s:%u: policy_url: must be an https:// URL; no "
			       "policy is "
			       "fetched",
			       e->file, e->line);
		mem_deref(s);
		return 0;
	}
	str_ncpy(s->url, e->value, sizeof(s->url));
	cfg.primary_url = s->url;

	if (!conf_get_str(conf_cur(), "locphone_state_dir", state,
			  sizeof(state)))
		re_snprintf(s->copy, sizeof(s->copy), "%s/%s", state,
			    COPY_NAME);

	err = lis_client_alloc(&s->lc, &cfg);
	if (err) {
		e911_diag_line(diag,
			       "%s:%u: policy_url: cannot be fetched (%m)",
			       e->file, e->line, err);
		mem_deref(s);
		return 0;
	}

	copy_load(s);
	(void)e911_served_refresh(s);
	*sp = s;
	return 0;
}

const struct policy_sites *e911_served_sites(const struct e911_served *s)
{
	return s ? s->sites : NULL;
}

static int time_add(struct odict *od, const char *key, time_t t)
{
	char buf[32];

	if (!t || rfc3339_format(buf, sizeof(buf), t))
		return odict_entry_add(od, key, ODICT_NULL);

	return odict_entry_add(od, key, ODICT_STRING, buf);
}

int e911_served_encode(struct odict *od, const struct e911_served *s)
{
	struct odict *o = NULL;
	const char *source;
	int err;

	if (!s)
		return odict_entry_add(od, "served", ODICT_NULL);

	err = odict_alloc(&o, 8);
	if (err)
		return err;

	source = !s->sites	? "none"
		 : s->from_copy ? "last good copy"
				: "server";
	err = odict_entry_add(o, "url", ODICT_STRING, s->url);
	if (!err)
		err = odict_entry_add(o, "source", ODICT_STRING, source);
	if (!err)
		err = time_add(o, "obtained_at", s->obtained);
	if (!err)
		err = odict_entry_add(
			o, "age_s", ODICT_INT,
			(int64_t)(s->obtained ? time(NULL) - s->obtained : -1));
	if (!err)
		err = time_add(o, "tried_at", s->tried);
	if (!err)
		err = odict_entry_add(o, "refresh_s", ODICT_INT,
				      (int64_t)s->refresh_s);
	if (!err && s->error[0])
		err = odict_entry_add(o, "error", ODICT_STRING, s->error);
	else if (!err)
		err = odict_entry_add(o, "error", ODICT_NULL);
	if (!err)
		err = odict_entry_add(o, "copy", ODICT_STRING, s->copy);
	if (!err)
		err = odict_entry_add(od, "served", ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}
