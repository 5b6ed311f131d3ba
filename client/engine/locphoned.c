/* locphoned: the locphone engine launcher (baresip with our modules). */

#include <re.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kvconf.h"
#include "launcher.h"
#include "locphone-config.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: locphoned [options]\n"
		"  --config-dir DIR   settings: locphone.conf and accounts\n"
		"                     (default $XDG_CONFIG_HOME/locphone)\n"
		"  --runtime-dir DIR  control socket and baresip's private "
		"config\n"
		"                     (default $XDG_RUNTIME_DIR/locphone)\n"
		"  --state-dir DIR    what survives restarts (default\n"
		"                     $XDG_STATE_HOME/locphone)\n"
		"  --data-dir DIR     the person's data: saved locations\n"
		"                     (default $XDG_DATA_HOME/locphone)\n"
		"  --foreground       stay attached to the terminal "
		"(systemd, tests)\n"
		"  --module-dir DIR   locphone's baresip modules "
		"($LOCPHONE_MODULE_DIR)\n"
		"  --sipbody PATH     libsipbody.so to preload "
		"($LOCPHONE_SIPBODY)\n"
		"  --baresip PATH     the baresip binary (default %s)\n"
		"  --version          print the version and exit\n",
		LOCPHONE_BARESIP);
}

static int set_path(char *dst, size_t sz, const char *val, const char *what)
{
	if (!val || !val[0] || strlen(val) >= sz) {
		fprintf(stderr,
			"locphoned: %s: a path of 1 to %zu characters "
			"is needed\n",
			what, sz - 1);
		return EINVAL;
	}

	str_ncpy(dst, val, sz);
	return 0;
}

/* $var/locphone, else $HOME/<home_rel>/locphone (XDG base directories);
 * buf is left alone when neither is set. */
static void xdg_dir(char *buf, size_t sz, const char *var, const char *home_rel)
{
	const char *env = getenv(var);
	const char *home = getenv("HOME");

	if (env && env[0])
		re_snprintf(buf, sz, "%s/locphone", env);
	else if (home && home[0])
		re_snprintf(buf, sz, "%s/%s/locphone", home, home_rel);
}

static int defaults(struct launcher *l)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	const char *env;

	xdg_dir(l->config_dir, sizeof(l->config_dir), "XDG_CONFIG_HOME",
		".config");
	xdg_dir(l->state_dir, sizeof(l->state_dir), "XDG_STATE_HOME",
		".local/state");
	xdg_dir(l->data_dir, sizeof(l->data_dir), "XDG_DATA_HOME",
		".local/share");

	/* the runtime dir has no $HOME fallback: root's is /run/locphone */
	if (rt && rt[0])
		re_snprintf(l->runtime_dir, sizeof(l->runtime_dir),
			    "%s/locphone", rt);
	else if (geteuid() == 0)
		str_ncpy(l->runtime_dir, "/run/locphone",
			 sizeof(l->runtime_dir));

	env = getenv("LOCPHONE_MODULE_DIR");
	str_ncpy(l->module_dir, env && env[0] ? env : LOCPHONE_MODULEDIR,
		 sizeof(l->module_dir));

	env = getenv("LOCPHONE_SIPBODY");
	if (env && env[0])
		str_ncpy(l->sipbody, env, sizeof(l->sipbody));
	else
		re_snprintf(l->sipbody, sizeof(l->sipbody), "%s/libsipbody.so",
			    LOCPHONE_MODULEDIR);

	str_ncpy(l->baresip, LOCPHONE_BARESIP, sizeof(l->baresip));
	str_ncpy(l->stock_dir, LOCPHONE_BARESIP_MODULES, sizeof(l->stock_dir));

	return 0;
}

static int args_parse(struct launcher *l, int argc, char *argv[])
{
	static const struct option options[] = {
		{"config-dir", required_argument, NULL, 'c'},
		{"runtime-dir", required_argument, NULL, 'r'},
		{"state-dir", required_argument, NULL, 'S'},
		{"data-dir", required_argument, NULL, 'D'},
		{"foreground", no_argument, NULL, 'F'},
		{"module-dir", required_argument, NULL, 'm'},
		{"sipbody", required_argument, NULL, 's'},
		{"baresip", required_argument, NULL, 'b'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, err = 0;

	while (!err && (c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			err = set_path(l->config_dir, sizeof(l->config_dir),
				       optarg, "--config-dir");
			break;
		case 'r':
			err = set_path(l->runtime_dir, sizeof(l->runtime_dir),
				       optarg, "--runtime-dir");
			break;
		case 'S':
			err = set_path(l->state_dir, sizeof(l->state_dir),
				       optarg, "--state-dir");
			break;
		case 'D':
			err = set_path(l->data_dir, sizeof(l->data_dir), optarg,
				       "--data-dir");
			break;
		case 'F':
			l->foreground = true;
			break;
		case 'm':
			err = set_path(l->module_dir, sizeof(l->module_dir),
				       optarg, "--module-dir");
			break;
		case 's':
			err = set_path(l->sipbody, sizeof(l->sipbody), optarg,
				       "--sipbody");
			break;
		case 'b':
			err = set_path(l->baresip, sizeof(l->baresip), optarg,
				       "--baresip");
			break;
		case 'V':
			printf("locphoned %s\n", LOCPHONE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return EINVAL;
		}
	}

	if (!err && optind < argc) {
		fprintf(stderr, "locphoned: unexpected argument '%s'\n",
			argv[optind]);
		err = EINVAL;
	}
	if (!err && !l->config_dir[0]) {
		fprintf(stderr, "locphoned: no HOME or XDG_CONFIG_HOME; "
				"give --config-dir\n");
		err = EINVAL;
	}
	if (!err && !l->state_dir[0]) {
		fprintf(stderr, "locphoned: no HOME or XDG_STATE_HOME; give "
				"--state-dir\n");
		err = EINVAL;
	}
	if (!err && !l->data_dir[0]) {
		fprintf(stderr, "locphoned: no HOME or XDG_DATA_HOME; give "
				"--data-dir\n");
		err = EINVAL;
	}
	if (!err && !l->runtime_dir[0]) {
		fprintf(stderr, "locphoned: no XDG_RUNTIME_DIR; give "
				"--runtime-dir\n");
		err = EINVAL;
	}

	return err;
}

/* Paths end up in symlinks and in baresip's config: make them absolute. */
static int path_absolute(char *path, size_t sz)
{
	char cwd[LAUNCHER_PATH_MAX];
	char tmp[LAUNCHER_PATH_MAX];

	if (path[0] == '/')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return errno;
	if (re_snprintf(tmp, sizeof(tmp), "%s/%s", cwd, path) < 0 ||
	    strlen(cwd) + strlen(path) + 2 > sz) {
		fprintf(stderr, "locphoned: path too long: %s\n", path);
		return ENAMETOOLONG;
	}

	str_ncpy(path, tmp, sz);
	return 0;
}

static int paths_absolute(struct launcher *l)
{
	char *const pathv[] = {l->config_dir, l->runtime_dir, l->state_dir,
			       l->data_dir,   l->module_dir,  l->sipbody,
			       l->baresip,    l->stock_dir};
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(pathv); i++)
		err = path_absolute(pathv[i], LAUNCHER_PATH_MAX);

	return err;
}

static int settings_load(struct launcher *l)
{
	char path[LAUNCHER_PATH_MAX + 32];
	struct kvconf *kv = NULL;
	unsigned line = 0;
	int err;

	re_snprintf(path, sizeof(path), "%s/locphone.conf", l->config_dir);

	err = kvconf_load(&kv, path, &line);
	if (err == ENOENT)
		return 0; /* every setting has a default */
	if (err) {
		fprintf(stderr, "locphoned: %s:%u: %s\n", path, line,
			err == EFBIG	 ? "file too large"
			: err == EBADMSG ? "not a settings line"
					 : strerror(err));
		return err;
	}

	err = launcher_settings(l, kv);
	mem_deref(kv);
	return err;
}

/*
 * LD_PRELOAD=libsipbody.so, ahead of anything already preloaded.
 * $LOCPHONE_PRELOAD goes first of all: sanitizer builds put their runtime
 * there, which must be the first library of the process.
 */
static int preload_set(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	const char *first = getenv("LOCPHONE_PRELOAD");
	char *val = NULL;
	int err;

	err = re_sdprintf(&val, "%s%s%s%s%s", first && first[0] ? first : "",
			  first && first[0] ? ":" : "", lib,
			  old && old[0] ? ":" : "", old && old[0] ? old : "");
	if (err)
		return err;

	err = setenv("LD_PRELOAD", val, 1) ? errno : 0;
	mem_deref(val);
	return err;
}

int main(int argc, char *argv[])
{
	struct launcher l;
	char confdir[LAUNCHER_PATH_MAX + 16];
	char *bargv[8];
	int bargc = 0;
	int err;

	memset(&l, 0, sizeof(l));

	err = defaults(&l);
	if (!err)
		err = args_parse(&l, argc, argv);
	if (!err)
		err = paths_absolute(&l);
	if (!err)
		err = settings_load(&l);
	if (!err)
		err = launcher_check(&l);
	if (!err)
		err = launcher_prepare(&l);
	if (!err)
		err = preload_set(l.sipbody);
	if (!err)
		err = launcher_environment(&l);
	if (err)
		goto out;

	re_snprintf(confdir, sizeof(confdir), "%s/baresip", l.runtime_dir);

	bargv[bargc++] = l.baresip;
	bargv[bargc++] = "-f";
	bargv[bargc++] = confdir;
	if (!l.foreground)
		bargv[bargc++] = "-d";
	if (l.sip_trace)
		bargv[bargc++] = "-s";
	bargv[bargc] = NULL;

	fflush(NULL);
	execv(l.baresip, bargv);
	fprintf(stderr, "locphoned: cannot run %s: %s\n", l.baresip,
		strerror(errno));
	err = errno;

out:
	launcher_reset(&l);
	return err ? 1 : 0;
}
