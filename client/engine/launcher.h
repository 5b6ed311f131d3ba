/* launcher: turn locphone's settings into a private baresip setup. */

#ifndef LOCPHONE_LAUNCHER_H
#define LOCPHONE_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <re.h>

#include "kvconf.h"

#define LAUNCHER_PATH_MAX    1024
#define LAUNCHER_MAX_MODULES 32

struct launcher {
	char config_dir[LAUNCHER_PATH_MAX];
	char runtime_dir[LAUNCHER_PATH_MAX];
	char state_dir[LAUNCHER_PATH_MAX];  /* what must survive a restart */
	char data_dir[LAUNCHER_PATH_MAX];   /* the person's: saved locations */
	char module_dir[LAUNCHER_PATH_MAX]; /* our modules */
	char stock_dir[LAUNCHER_PATH_MAX];  /* baresip's modules */
	char sipbody[LAUNCHER_PATH_MAX];    /* libsipbody.so */
	char baresip[LAUNCHER_PATH_MAX];
	bool foreground;
	bool sip_trace;

	/* from locphone.conf; empty when not set */
	char sip_listen[128];
	char audio_player[256];
	char audio_source[LAUNCHER_PATH_MAX];
	char audio_alert[256];
	char sip_ca_file[LAUNCHER_PATH_MAX]; /* SIP TLS trust anchors; */
	char sip_ca_dir[LAUNCHER_PATH_MAX];  /* neither: the system's */

	/* modules in load order: stock names ("g711") or absolute paths */
	const char *modules[LAUNCHER_MAX_MODULES];
	char *extra[LAUNCHER_MAX_MODULES];
	size_t modc;
	size_t extrac;
};

/*
 * Read the launcher's keys from an already parsed locphone.conf.  Returns
 * EINVAL with a message on stderr naming the file and line of a bad value;
 * keys the launcher does not know belong to the modules and are left alone.
 */
int launcher_settings(struct launcher *l, const struct kvconf *kv);

/* The environment libsipbody reads inside baresip (the SIP CA). */
int launcher_environment(const struct launcher *l);

/* Check that baresip, its modules, ours and libsipbody.so are there. */
int launcher_check(const struct launcher *l);

/* Create the runtime dir (0700) with baresip's config, accounts, modules. */
int launcher_prepare(const struct launcher *l);

/* The baresip config file text, written into mb. */
int launcher_config_print(struct mbuf *mb, const struct launcher *l);

void launcher_reset(struct launcher *l);

#endif
