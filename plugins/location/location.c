/* location: baresip module running network discovery inside the engine. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "baresip-abi.h"
#include "bus.h"
#include "kvconf.h"
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "lldpsock.h"
#include "netdisc.h"
#include "locphone-config.h"

static struct {
	struct netdisc *nd;
	struct netdisc_config cfg;
} loc;

/* locphone.conf settings of this module; a bad value keeps the default. */
static void settings_read(struct netdisc_config *cfg)
{
	char dir[512], path[600];
	const struct kvconf_entry *e;
	struct kvconf *kv = NULL;
	unsigned line = 0;
	int err;

	cfg->debounce_ms = 200;
	cfg->probe_gateway = true;
	cfg->lldp.tx = true;
	cfg->lldp.interval_s = 30;
	cfg->lldp.fast_count = 4;
	cfg->lldp.sw_rev = "locphone " LOCPHONE_VERSION;
	if (gethostname(cfg->lldp.sys_name, sizeof(cfg->lldp.sys_name)))
		str_ncpy(cfg->lldp.sys_name, "locphone",
			 sizeof(cfg->lldp.sys_name));

	if (conf_get_str(conf_cur(), "locphone_config_dir", dir, sizeof(dir)))
		return;
	re_snprintf(path, sizeof(path), "%s/locphone.conf", dir);

	err = kvconf_load(&kv, path, &line);
	if (err) {
		if (err != ENOENT)
			warning("location: %s:%u: %m\n", path, line, err);
		return;
	}

	e = kvconf_get(kv, "gateway_probe");
	if (e && 0 == str_cmp(e->value, "no"))
		cfg->probe_gateway = false;
	else if (e && str_cmp(e->value, "yes"))
		warning("location: %s:%u: gateway_probe: must be yes or no\n",
			e->file, e->line);

	e = kvconf_get(kv, "lldp_tx");
	if (e && 0 == str_cmp(e->value, "no"))
		cfg->lldp.tx = false;
	else if (e && str_cmp(e->value, "yes"))
		warning("location: %s:%u: lldp_tx: must be yes or no\n",
			e->file, e->line);

	e = kvconf_get(kv, "lldpd_socket");
	if (e && e->value[0] == '/' &&
	    strlen(e->value) < sizeof(cfg->lldpd_socket))
		str_ncpy(cfg->lldpd_socket, e->value,
			 sizeof(cfg->lldpd_socket));
	else if (e)
		warning("location: %s:%u: lldpd_socket: an absolute path is "
			"needed\n",
			e->file, e->line);

	e = kvconf_get(kv, "discovery_debounce_ms");
	if (e) {
		uint32_t v = (uint32_t)strtoul(e->value, NULL, 10);

		if (v >= 10 && v <= 10000)
			cfg->debounce_ms = v;
		else
			warning("location: %s:%u: discovery_debounce_ms: "
				"must be 10 to 10000\n",
				e->file, e->line);
	}

	mem_deref(kv);
}

static int netinfo_encode(struct odict *od)
{
	return netdisc_json_encode(od, loc.nd);
}

static int cmd_netinfo(const struct odict *args, struct odict *result,
		       const char **errmsg, void *arg)
{
	(void)args;
	(void)errmsg;
	(void)arg;

	return netinfo_encode(result);
}

static void network_changed(const struct netsnap *snap, void *arg)
{
	struct odict *ev = NULL;
	(void)snap;
	(void)arg;

	if (odict_alloc(&ev, 8))
		return;
	if (!netinfo_encode(ev))
		bus_event_emit("network.changed", ev);
	mem_deref(ev);
}

static int module_init(void)
{
	int err;

	settings_read(&loc.cfg);

	err = netdisc_alloc(&loc.nd, &loc.cfg, network_changed, NULL);
	if (err) {
		warning("location: network discovery unavailable: %m\n", err);
		return err;
	}

	return bus_command_register("netinfo", cmd_netinfo, NULL);
}

static int module_close(void)
{
	bus_command_unregister("netinfo");
	loc.nd = mem_deref(loc.nd);
	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"location",
	"application",
	module_init,
	module_close,
};
