/* settings: locphone.conf keys of the location module, with defaults. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "baresip-abi.h"
#include "kvconf.h"
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "lldpsock.h"
#include "netdisc.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "lis_client.h"
#include "locator.h"
#include "lis_cred.h"
#include "policy.h"
#include "locphone-config.h"
#include "settings.h"

static void bad(const struct kvconf_entry *e, const char *why)
{
	warning("location: %s:%u: %s: %s; the default is used\n", e->file,
		e->line, e->key, why);
}

static void yes_no(bool *out, const struct kvconf *kv, const char *key)
{
	const struct kvconf_entry *e = kvconf_get(kv, key);

	if (!e)
		return;
	if (0 == str_cmp(e->value, "yes"))
		*out = true;
	else if (0 == str_cmp(e->value, "no"))
		*out = false;
	else
		bad(e, "must be yes or no");
}

static void number(uint32_t *out, const struct kvconf *kv, const char *key,
		   uint32_t min, uint32_t max)
{
	const struct kvconf_entry *e = kvconf_get(kv, key);
	char *end = NULL;
	unsigned long v;

	if (!e)
		return;
	v = strtoul(e->value, &end, 10);
	if (!e->value[0] || *end || v < min || v > max) {
		char why[64];

		re_snprintf(why, sizeof(why), "must be %u to %u", min, max);
		bad(e, why);
		return;
	}
	*out = (uint32_t)v;
}

/* "4" or "4h" hours, "30m" minutes, "90s" seconds (labs and tests). */
static void path(char *dst, size_t sz, const struct kvconf *kv, const char *key,
		 bool absolute)
{
	const struct kvconf_entry *e = kvconf_get(kv, key);

	if (!e)
		return;
	if (strlen(e->value) >= sz || (absolute && e->value[0] != '/')) {
		bad(e, absolute ? "an absolute path is needed" : "too long");
		return;
	}
	str_ncpy(dst, e->value, sz);
}

static void defaults(struct location_settings *s)
{
	char state[512], data[512];

	memset(s, 0, sizeof(*s));
	s->disc.debounce_ms = 200;
	s->disc.probe_gateway = true;
	s->disc.lldp.tx = true;
	s->disc.lldp.interval_s = 30;
	s->disc.lldp.fast_count = 4;
	s->disc.lldp.sw_rev = "locphone " LOCPHONE_VERSION;
	if (gethostname(s->disc.lldp.sys_name, sizeof(s->disc.lldp.sys_name)))
		str_ncpy(s->disc.lldp.sys_name, "locphone",
			 sizeof(s->disc.lldp.sys_name));

	/* refresh_interval is a policy setting: location.c takes it from
	 * the policy, where the administrator's file wins */
	s->loc.refresh_s = POLICY_REFRESH_DEFAULT_S;
	s->loc.lis.timeout_ms = 5000;
	s->loc.lis.retries = 2;
	s->loc.lis.backoff_ms = 1000;

	if (!conf_get_str(conf_cur(), "locphone_state_dir", state,
			  sizeof(state)))
		re_snprintf(s->loc.state_file, sizeof(s->loc.state_file),
			    "%s/last-location.json", state);

	/* the person's own data: $XDG_DATA_HOME/locphone (issue 6) */
	if (!conf_get_str(conf_cur(), "locphone_data_dir", data, sizeof(data)))
		re_snprintf(s->saved_file, sizeof(s->saved_file),
			    "%s/saved-locations.json", data);
}

/* One more reason the LIS gets fewer credentials than configured. */
static void auth_refused(struct location_settings *s, const char *why)
{
	const size_t n = strlen(s->lis_auth_error);

	warning("location: %s\n", why);
	re_snprintf(s->lis_auth_error + n, sizeof(s->lis_auth_error) - n,
		    "%s%s", n ? "; " : "", why);
}

/*
 * lis_credentials and the client certificates, per server: the secondary
 * takes the primary's unless it has its own.  A refused file or key is
 * said in the log and in netinfo; the LIS is still asked without it (it
 * answers with its refusal, and nothing waits for it).
 */
static void lis_auth_read(struct location_settings *s)
{
	char why[LIS_CRED_ERR_MAX];

	if (s->lis_credentials[0]) {
		if (lis_cred_load(&s->cred, s->lis_credentials, why,
				  sizeof(why)))
			auth_refused(s, why);
		else
			lis_cred_apply(s->loc.lis.auth, &s->cred);
	}

	for (int i = 0; i < 2; i++) {
		const char *cert =
			s->lis_cert[i][0] ? s->lis_cert[i] : s->lis_cert[0];
		const char *key =
			s->lis_cert[i][0] ? s->lis_key[i] : s->lis_key[0];

		if (!cert[0])
			continue;
		if (key[0] && lis_cred_key_check(key, why, sizeof(why))) {
			auth_refused(s, why);
			continue;
		}
		/* without a key file the certificate's file holds the key */
		if (!key[0] && lis_cred_key_check(cert, why, sizeof(why))) {
			auth_refused(s, why);
			continue;
		}
		s->loc.lis.auth[i].client_cert = cert;
		s->loc.lis.auth[i].client_key = key[0] ? key : NULL;
	}
}

void location_settings_read(struct location_settings *s)
{
	char dir[512], file[600];
	struct kvconf *kv = NULL;
	unsigned line = 0;
	int err;

	defaults(s);

	if (conf_get_str(conf_cur(), "locphone_config_dir", dir, sizeof(dir)))
		return;
	re_snprintf(file, sizeof(file), "%s/locphone.conf", dir);

	err = kvconf_load(&kv, file, &line);
	if (err) {
		if (err != ENOENT)
			warning("location: %s:%u: %m\n", file, line, err);
		return;
	}

	yes_no(&s->disc.probe_gateway, kv, "gateway_probe");
	yes_no(&s->disc.lldp.tx, kv, "lldp_tx");
	number(&s->disc.debounce_ms, kv, "discovery_debounce_ms", 10, 10000);
	path(s->disc.lldpd_socket, sizeof(s->disc.lldpd_socket), kv,
	     "lldpd_socket", true);

	path(s->lis_url, sizeof(s->lis_url), kv, "lis_url", false);
	path(s->lis_url_secondary, sizeof(s->lis_url_secondary), kv,
	     "lis_url_secondary", false);
	path(s->lis_ca_file, sizeof(s->lis_ca_file), kv, "lis_ca_file", true);
	number(&s->loc.lis.timeout_ms, kv, "lis_timeout_ms", 100, 60000);

	yes_no(&s->lis_discovery, kv, "lis_discovery");
	path(s->lis_domain, sizeof(s->lis_domain), kv, "lis_domain", false);

	s->loc.lis_enabled = s->lis_url[0] != '\0';
	s->loc.lis.primary_url = s->lis_url;
	s->loc.lis.secondary_url =
		s->lis_url_secondary[0] ? s->lis_url_secondary : NULL;
	s->loc.lis.ca_file = s->lis_ca_file[0] ? s->lis_ca_file : NULL;

	path(s->lis_credentials, sizeof(s->lis_credentials), kv,
	     "lis_credentials", true);
	path(s->lis_cert[0], sizeof(s->lis_cert[0]), kv, "lis_client_cert",
	     true);
	path(s->lis_key[0], sizeof(s->lis_key[0]), kv, "lis_client_key", true);
	path(s->lis_cert[1], sizeof(s->lis_cert[1]), kv,
	     "lis_client_cert_secondary", true);
	path(s->lis_key[1], sizeof(s->lis_key[1]), kv,
	     "lis_client_key_secondary", true);
	lis_auth_read(s);

	mem_deref(kv);
}
