/* settings: the location module's keys in locphone.conf. */

#ifndef LOCPHONE_SETTINGS_H
#define LOCPHONE_SETTINGS_H

#include <stdbool.h>

#include "lis_cred.h"
#include "locator.h"
#include "netdisc.h"

/* Everything the module is configured with; strings live here. */
struct location_settings {
	struct netdisc_config disc;
	struct locator_config loc;
	char lis_url[512];
	char lis_url_secondary[512];
	char lis_ca_file[512];
	char lis_credentials[512];	       /* "" for none */
	char lis_cert[2][512];		       /* lis_client_cert, _secondary */
	char lis_key[2][512];		       /* lis_client_key, _secondary */
	struct lis_cred_file cred;	       /* what lis_credentials holds */
	char lis_auth_error[LIS_CRED_ERR_MAX]; /* refused credentials or key */
	bool lis_discovery;   /* RFC 5986 when no lis_url is set */
	char lis_domain[256]; /* access network domain; "" resolv.conf's */
	char saved_file[600]; /* saved locations; "" if no data dir */
};

/*
 * Fill s with defaults, then with locphone.conf from the engine's config
 * dir.  A bad value is reported with file and line and the default kept:
 * the phone always starts.
 */
void location_settings_read(struct location_settings *s);

/* The policy (design.md §5) is not read here: the e911 module owns it and
 * the location module takes it from that module (location.c,
 * policy_start). */

#endif
