/* launcher: locphone settings to a private baresip config dir. */

#include <re.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "atomicfile.h"
#include "kvconf.h"
#include "launcher.h"
#include "locphone-config.h"

/* Our baresip modules, loaded after the stock ones.  ctrl comes last: its
 * socket is how clients (and tests) know the engine is up, so it must not
 * answer while the other modules are still starting. */
/* How long a new engine waits for a stopping one to exit. */
#define LAUNCHER_STOP_WAIT_MS 5000

static const char *const own_modules[] = {"location", "e911", "ctrl"};

static int bad_value(const struct kvconf_entry *e, const char *why)
{
	re_fprintf(stderr, "locphoned: %s:%u: %s: %s\n", e->file, e->line,
		   e->key, why);
	return EINVAL;
}

static int copy_value(char *dst, size_t sz, const struct kvconf_entry *e)
{
	if (strlen(e->value) >= sz)
		return bad_value(e, "value too long");
	if (!e->value[0])
		return bad_value(e, "value missing");

	str_ncpy(dst, e->value, sz);
	return 0;
}

static int yes_no(bool *out, const struct kvconf_entry *e)
{
	if (0 == str_casecmp(e->value, "yes")) {
		*out = true;
		return 0;
	}
	if (0 == str_casecmp(e->value, "no")) {
		*out = false;
		return 0;
	}

	return bad_value(e, "must be yes or no");
}

/* "module,device": the module part must be a plain module name. */
static int audio_value(char *dst, size_t sz, const struct kvconf_entry *e)
{
	const char *comma = strchr(e->value, ',');
	size_t n = comma ? (size_t)(comma - e->value) : strlen(e->value);

	if (!n || n > 32 || strcspn(e->value, "/. \t") < n)
		return bad_value(e,
				 "must be MODULE,DEVICE (e.g. alsa,default)");

	return copy_value(dst, sz, e);
}

static int abs_path(char *dst, size_t sz, const struct kvconf_entry *e)
{
	if (e->value[0] != '/')
		return bad_value(e, "an absolute path is needed");

	return copy_value(dst, sz, e);
}

static int extra_module(struct launcher *l, const struct kvconf_entry *e)
{
	const char *v = e->value;
	size_t n = strlen(v);

	if (l->extrac >= ARRAY_SIZE(l->extra))
		return bad_value(e, "too many modules");
	if (!n || n >= LAUNCHER_PATH_MAX)
		return bad_value(e, "a module name or absolute path is needed");
	if (v[0] != '/' && (strchr(v, '/') || strchr(v, '.')))
		return bad_value(e, "give a stock module name (stdio) or an "
				    "absolute path (/x/y.so)");

	return str_dup(&l->extra[l->extrac++], v);
}

int launcher_settings(struct launcher *l, const struct kvconf *kv)
{
	struct le *le;
	int err = 0;

	if (!l)
		return EINVAL;

	for (le = list_head(kvconf_entries(kv)); le; le = le->next) {
		const struct kvconf_entry *e = le->data;

		if (0 == str_cmp(e->key, "sip_listen")) {
			struct sa sa;

			if (sa_decode(&sa, e->value, strlen(e->value)))
				err = bad_value(e, "must be ADDRESS:PORT");
			else
				err = copy_value(l->sip_listen,
						 sizeof(l->sip_listen), e);
		} else if (0 == str_cmp(e->key, "sip_trace")) {
			err = yes_no(&l->sip_trace, e);
		} else if (0 == str_cmp(e->key, "audio_player")) {
			err = audio_value(l->audio_player,
					  sizeof(l->audio_player), e);
		} else if (0 == str_cmp(e->key, "audio_source")) {
			err = audio_value(l->audio_source,
					  sizeof(l->audio_source), e);
		} else if (0 == str_cmp(e->key, "audio_alert")) {
			err = audio_value(l->audio_alert,
					  sizeof(l->audio_alert), e);
		} else if (0 == str_cmp(e->key, "sip_ca_file")) {
			err = abs_path(l->sip_ca_file, sizeof(l->sip_ca_file),
				       e);
		} else if (0 == str_cmp(e->key, "sip_ca_dir")) {
			err = abs_path(l->sip_ca_dir, sizeof(l->sip_ca_dir), e);
		} else if (0 == str_cmp(e->key, "extra_module")) {
			err = extra_module(l, e);
		}
		if (err)
			return err;
	}

	return 0;
}

void launcher_reset(struct launcher *l)
{
	size_t i;

	if (!l)
		return;

	for (i = 0; i < l->extrac; i++)
		l->extra[i] = mem_deref(l->extra[i]);
	l->extrac = 0;
}

/* The audio module named by "module,device", copied into buf. */
static const char *audio_module(char *buf, size_t sz, const char *setting)
{
	size_t n = strcspn(setting, ",");

	if (!n || n >= sz)
		return NULL;

	memcpy(buf, setting, n);
	buf[n] = '\0';
	return buf;
}

static const char *player(const struct launcher *l)
{
	return l->audio_player[0] ? l->audio_player : "alsa,default";
}

static const char *source(const struct launcher *l)
{
	return l->audio_source[0] ? l->audio_source : "alsa,default";
}

static const char *alert(const struct launcher *l)
{
	return l->audio_alert[0] ? l->audio_alert : player(l);
}

/*
 * The e911 module's "lpaudio" opens the configured device for every call and
 * keeps an emergency call going with silence when it cannot (issue 11):
 * baresip gets "lpaudio,MODULE,DEVICE".  baresip keeps at most 127 bytes
 * of a device name; a longer one is given as it is, without the fallback.
 */
#define AUDIO_WRAPPER	 "lpaudio"
#define AUDIO_DEVICE_MAX 127

static bool wrapped(const char *setting)
{
	return strlen(AUDIO_WRAPPER) + 1 + strlen(setting) <= AUDIO_DEVICE_MAX;
}

/* Stock modules to load, without duplicates, in load order. */
static size_t stock_modules(const char *namev[], char bufv[][40], size_t max,
			    const struct launcher *l)
{
	const char *settings[3];
	size_t n = 0, i, j;

	namev[n++] = "g711";
	settings[0] = source(l);
	settings[1] = player(l);
	settings[2] = alert(l);

	for (i = 0; i < 3 && n < max; i++) {
		const char *m =
			audio_module(bufv[i], sizeof(bufv[i]), settings[i]);
		bool dup = false;

		if (!m)
			continue;
		for (j = 0; j < n; j++)
			dup = dup || 0 == str_cmp(namev[j], m);
		if (!dup)
			namev[n++] = m;
	}

	return n;
}

static int file_check(const char *what, const char *path, int mode)
{
	if (0 == access(path, mode))
		return 0;

	re_fprintf(stderr, "locphoned: %s %s: %s\n", what, path,
		   strerror(errno));
	return ENOENT;
}

int launcher_check(const struct launcher *l)
{
	const char *stock[8];
	char bufv[3][40];
	char path[LAUNCHER_PATH_MAX + 64];
	size_t n, i;
	int err = 0;

	if (file_check("baresip", l->baresip, X_OK))
		return ENOENT;

	n = stock_modules(stock, bufv, ARRAY_SIZE(stock), l);
	for (i = 0; i < n; i++) {
		re_snprintf(path, sizeof(path), "%s/%s.so", l->stock_dir,
			    stock[i]);
		err = err ? err : file_check("baresip module", path, R_OK);
	}

	re_snprintf(path, sizeof(path), "%s/account.so", l->stock_dir);
	err = err ? err : file_check("baresip module", path, R_OK);

	for (i = 0; i < l->extrac; i++) {
		if (l->extra[i][0] == '/')
			str_ncpy(path, l->extra[i], sizeof(path));
		else
			re_snprintf(path, sizeof(path), "%s/%s.so",
				    l->stock_dir, l->extra[i]);
		err = err ? err : file_check("module", path, R_OK);
	}

	/* every missing module of ours is named, not only the first */
	for (i = 0; i < ARRAY_SIZE(own_modules); i++) {
		int e;

		re_snprintf(path, sizeof(path), "%s/%s.so", l->module_dir,
			    own_modules[i]);
		e = file_check("locphone module", path, R_OK);
		err = err ? err : e;
	}

	/* not fatal: SIP over TLS is refused, every other call goes out */
	if (l->sip_ca_file[0] && access(l->sip_ca_file, R_OK))
		re_fprintf(stderr,
			   "locphoned: sip_ca_file %s: %s: SIP over TLS will "
			   "be refused\n",
			   l->sip_ca_file, strerror(errno));
	if (l->sip_ca_dir[0] && access(l->sip_ca_dir, R_OK | X_OK))
		re_fprintf(stderr,
			   "locphoned: sip_ca_dir %s: %s: SIP over TLS will "
			   "be refused\n",
			   l->sip_ca_dir, strerror(errno));

	if (!wrapped(source(l)) || !wrapped(player(l)))
		re_fprintf(stderr,
			   "locphoned: audio device names over %u bytes: an "
			   "emergency call ends if the device fails\n",
			   AUDIO_DEVICE_MAX - (unsigned)strlen(AUDIO_WRAPPER) -
				   1);

	return err ? err : file_check("libsipbody", l->sipbody, R_OK);
}

int launcher_config_print(struct mbuf *mb, const struct launcher *l)
{
	const char *stock[8];
	char bufv[3][40];
	size_t n, i;
	int err;

	n = stock_modules(stock, bufv, ARRAY_SIZE(stock), l);

	err = mbuf_printf(mb,
			  "# baresip config written by locphoned %s from %s.\n"
			  "# Regenerated at every start: edit locphone.conf.\n"
			  "poll_method\t\tepoll\n"
			  "audio_player\t\t%s%s\n"
			  "audio_source\t\t%s%s\n"
			  "audio_alert\t\t%s\n"
			  "module_path\t\t%s/modules\n",
			  LOCPHONE_VERSION, l->config_dir,
			  wrapped(player(l)) ? AUDIO_WRAPPER "," : "",
			  player(l),
			  wrapped(source(l)) ? AUDIO_WRAPPER "," : "",
			  source(l), alert(l), l->runtime_dir);
	if (!err && l->sip_listen[0])
		err = mbuf_printf(mb, "sip_listen\t\t%s\n", l->sip_listen);

	for (i = 0; !err && i < n; i++)
		err = mbuf_printf(mb, "module\t\t\t%s.so\n", stock[i]);

	if (!err)
		err = mbuf_printf(mb, "module_tmp\t\taccount.so\n");

	for (i = 0; !err && i < l->extrac; i++) {
		const char *base = strrchr(l->extra[i], '/');

		err = mbuf_printf(mb, "module_app\t\t%s%s\n",
				  base ? base + 1 : l->extra[i],
				  base ? "" : ".so");
	}

	for (i = 0; !err && i < ARRAY_SIZE(own_modules); i++)
		err = mbuf_printf(mb, "module_app\t\t%s.so\n", own_modules[i]);

	if (!err)
		err = mbuf_printf(mb,
				  "locphone_ctl_socket\t%s/ctl.sock\n"
				  "locphone_config_dir\t%s\n"
				  "locphone_runtime_dir\t%s\n"
				  "locphone_state_dir\t%s\n"
				  "locphone_data_dir\t%s\n",
				  l->runtime_dir, l->config_dir, l->runtime_dir,
				  l->state_dir, l->data_dir);

	return err;
}

static int dir_make(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) && errno != EEXIST)
		goto fail;
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		goto fail;
	if (chmod(path, 0700))
		goto fail;

	return 0;

fail:
	re_fprintf(stderr, "locphoned: cannot create directory %s: %s\n", path,
		   strerror(errno ? errno : ENOTDIR));
	return errno ? errno : ENOTDIR;
}

/* mkdir -p, each new level 0700 (the state dir's parents may be new). */
static int dirs_make(const char *path)
{
	char buf[LAUNCHER_PATH_MAX];
	char *p;

	str_ncpy(buf, path, sizeof(buf));
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST) {
			re_fprintf(stderr, "locphoned: cannot create %s: %s\n",
				   buf, strerror(errno));
			return errno;
		}
		*p = '/';
	}

	return dir_make(buf);
}

/* Write a whole file atomically (atomicfile), saying so if it fails. */
static int file_write(const char *path, const uint8_t *buf, size_t len)
{
	int err = atomicfile_write(path, buf, len, 0600, NULL, NULL);

	if (err)
		re_fprintf(stderr, "locphoned: cannot write %s: %s\n", path,
			   strerror(err));

	return err;
}

static int accounts_copy(const struct launcher *l, const char *dst)
{
	char src[LAUNCHER_PATH_MAX + 16];
	struct mbuf *mb;
	uint8_t buf[4096];
	size_t n;
	FILE *f;
	int err = 0;

	re_snprintf(src, sizeof(src), "%s/accounts", l->config_dir);

	mb = mbuf_alloc(1024);
	if (!mb)
		return ENOMEM;

	f = fopen(src, "r");
	if (!f) {
		re_fprintf(stderr,
			   "locphoned: no %s: the phone starts without a SIP "
			   "account (emergency calls need one to go out)\n",
			   src);
		err = mbuf_printf(mb, "# no accounts configured in %s\n",
				  l->config_dir);
	} else {
		while (!err && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
			if (mb->end + n > 1024 * 1024)
				err = EFBIG;
			else
				err = mbuf_write_mem(mb, buf, n);
		}
		if (ferror(f))
			err = EIO;
		fclose(f);
		if (err)
			re_fprintf(stderr, "locphoned: cannot read %s: %s\n",
				   src, strerror(err));
	}

	if (!err)
		err = file_write(dst, mb->buf, mb->end);

	mem_deref(mb);
	return err;
}

static int link_module(const char *dir, const char *name, const char *target)
{
	char path[LAUNCHER_PATH_MAX + 64];

	re_snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)unlink(path);
	if (symlink(target, path)) {
		re_fprintf(stderr, "locphoned: cannot link %s: %s\n", path,
			   strerror(errno));
		return errno;
	}

	return 0;
}

/* baresip has one module_path: a dir of links to stock and own modules. */
static int modules_link(const struct launcher *l, const char *dir)
{
	char target[LAUNCHER_PATH_MAX + 64], name[80];
	const char *stock[8];
	char bufv[3][40];
	size_t n, i;
	int err = 0;

	n = stock_modules(stock, bufv, ARRAY_SIZE(stock), l);
	for (i = 0; !err && i < n; i++) {
		re_snprintf(name, sizeof(name), "%s.so", stock[i]);
		re_snprintf(target, sizeof(target), "%s/%s", l->stock_dir,
			    name);
		err = link_module(dir, name, target);
	}

	re_snprintf(target, sizeof(target), "%s/account.so", l->stock_dir);
	err = err ? err : link_module(dir, "account.so", target);

	for (i = 0; !err && i < l->extrac; i++) {
		const char *base = strrchr(l->extra[i], '/');

		if (base) {
			err = link_module(dir, base + 1, l->extra[i]);
			continue;
		}
		re_snprintf(name, sizeof(name), "%s.so", l->extra[i]);
		re_snprintf(target, sizeof(target), "%s/%s", l->stock_dir,
			    name);
		err = link_module(dir, name, target);
	}

	for (i = 0; !err && i < ARRAY_SIZE(own_modules); i++) {
		re_snprintf(name, sizeof(name), "%s.so", own_modules[i]);
		re_snprintf(target, sizeof(target), "%s/%s", l->module_dir,
			    name);
		err = link_module(dir, name, target);
	}

	return err;
}

static int ctl_connect(const struct launcher *l)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (re_snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/ctl.sock",
			l->runtime_dir) < 0)
		return -1;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;

	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		(void)close(fd);
		return -1;
	}

	return fd;
}

/* Whether the engine on fd says it is stopping (its status "state"). */
static bool engine_stopping(int fd)
{
	static const char req[] = "{\"id\":1,\"cmd\":\"status\"}\n";
	char buf[4096];
	size_t len = 0;

	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
		return false;

	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, 2000) <= 0)
			return false;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return false;
		len += (size_t)n;
	}

	buf[len] = '\0';
	return NULL != strstr(buf, "\"state\":\"stopping\"");
}

/*
 * True if an engine answers on the runtime dir's control socket.  One
 * that is stopping is waited for (it exits within about 2 s, see ctrl):
 * a restart must not leave the phone without an engine.
 */
static bool engine_running(const struct launcher *l)
{
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
	unsigned waited_ms = 0;
	bool stopping;
	int fd;

	fd = ctl_connect(l);
	if (fd < 0)
		return false;

	stopping = engine_stopping(fd);
	(void)close(fd);
	if (!stopping)
		return true;

	re_fprintf(stderr,
		   "locphoned: the engine on %s is stopping; waiting "
		   "for it\n",
		   l->runtime_dir);
	while (waited_ms < LAUNCHER_STOP_WAIT_MS) {
		(void)nanosleep(&pause, NULL);
		waited_ms += 20;
		fd = ctl_connect(l);
		if (fd < 0)
			return false;
		(void)close(fd);
	}

	return true;
}

int launcher_prepare(const struct launcher *l)
{
	char path[LAUNCHER_PATH_MAX + 32];
	struct mbuf *mb;
	int err;

	if (engine_running(l)) {
		re_fprintf(stderr,
			   "locphoned: an engine is already running on %s\n",
			   l->runtime_dir);
		return EADDRINUSE;
	}

	err = dir_make(l->runtime_dir);
	if (!err)
		err = dirs_make(l->state_dir);
	if (!err)
		err = dirs_make(l->data_dir);
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/modules", l->runtime_dir);
	err = dir_make(path);
	if (!err)
		err = modules_link(l, path);
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/baresip", l->runtime_dir);
	err = dir_make(path);
	if (err)
		return err;

	mb = mbuf_alloc(2048);
	if (!mb)
		return ENOMEM;

	err = launcher_config_print(mb, l);
	if (!err) {
		re_snprintf(path, sizeof(path), "%s/baresip/config",
			    l->runtime_dir);
		err = file_write(path, mb->buf, mb->end);
	}
	mem_deref(mb);
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/baresip/accounts", l->runtime_dir);
	return accounts_copy(l, path);
}

/* libsipbody (sipbody_tls.c) verifies SIP TLS servers against these; with
 * neither set, against the system's store.  Set or cleared here so that
 * the settings, not whatever the caller's environment holds, decide. */
int launcher_environment(const struct launcher *l)
{
	static const char *const names[] = {"LOCPHONE_SIP_CA_FILE",
					    "LOCPHONE_SIP_CA_DIR"};
	const char *values[] = {l->sip_ca_file, l->sip_ca_dir};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		int r = values[i][0] ? setenv(names[i], values[i], 1)
				     : unsetenv(names[i]);

		if (r)
			return errno;
	}

	return 0;
}
