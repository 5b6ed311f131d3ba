/* Fuzz target: policy file NUL dialled digits NUL raw snapshot bytes into
 * the emergency INVITE's routes, headers and device identity. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "kvconf.h"
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Text that can go into a header line and inside <...>. */
static bool header_safe(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' ||
		    *s == '"' || (unsigned char)*s == 0x7f)
			return false;
	}

	return true;
}

/* What emergency_target_plan promises for any policy and number. */
static void check_plan(const struct policy *p, const struct dial_result *d)
{
	struct emergency_target t;
	struct emergency_header_params hp;
	unsigned route;
	char *s = NULL;

	for (route = 0; route < 2; route++) {
		int err = emergency_target_plan(&t, p, route, d);

		if (d->cls == DIAL_ORDINARY) {
			if (err != EINVAL)
				abort();
			continue;
		}
		if (err)
			continue;
		if (!header_safe(t.dial_uri) || !header_safe(t.req_uri) ||
		    !header_safe(t.next_hop) || !t.dial_uri[0])
			abort();
		if (t.kind != EMERGENCY_ROUTE_ACCOUNT &&
		    strncasecmp(t.dial_uri, "sip", 3))
			abort();
		if (t.kind == EMERGENCY_ROUTE_PROXIED && !t.next_hop[0])
			abort();

		/* the request-URI as a by-reference location: one line */
		memset(&hp, 0, sizeof(hp));
		hp.conveyance = t.req_uri[0] ? EMERGENCY_LOCATION_BY_REFERENCE
					     : EMERGENCY_LOCATION_NONE;
		hp.loc_uri = t.req_uri;
		hp.priority_emergency = true;
		if (re_sdprintf(&s, "%H", emergency_headers_print, &hp))
			abort();
		if (strstr(s, "\r\n\r\n") || strchr(s, '\0') != s + strlen(s))
			abort();
		s = mem_deref(s);
	}
}

/* The rest of the input as a network snapshot's bytes: whatever they
 * hold, the identity is empty or "mac:" and twelve hex digits. */
static void check_device_id(const uint8_t *raw, size_t len)
{
	static struct netsnap snap;
	struct device_identity id;
	size_t i;

	memset(&snap, 0, sizeof(snap));
	memcpy(&snap, raw, len < sizeof(snap) ? len : sizeof(snap));
	snap.ifc %= NET_MAX_LINKS + 1;
	for (i = 0; i < NET_MAX_LINKS; i++) {
		snap.ifs[i].type = NULL;
		snap.ifs[i].name[NET_IFNAMSIZ - 1] = '\0';
		snap.ifs[i].addrc %= NET_SNAP_MAX_ADDRS + 1;
	}
	snap.gateway.ifname[NET_IFNAMSIZ - 1] = '\0';

	if (emergency_device_identity(&id, &snap, NULL)) {
		if (id.device_id[0] || id.has_mac)
			abort();
		return;
	}
	if (strlen(id.device_id) != 16 || strncmp(id.device_id, "mac:", 4))
		abort();
	for (i = 4; i < 16; i++) {
		if (!strchr("0123456789abcdef", id.device_id[i]))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul1 = memchr(data, 0, size), *nul2 = NULL;
	size_t plen = nul1 ? (size_t)(nul1 - data) : size;
	struct kvconf *admin = NULL;
	struct dial_result d;
	struct policy p;
	char dialled[64] = "911";

	memset(&p, 0, sizeof(p));
	(void)kvconf_parse(&admin, "admin", (const char *)data, plen, NULL);
	if (policy_load(&p, NULL, admin, NULL))
		abort();

	if (nul1) {
		size_t rest = size - plen - 1, n;

		nul2 = memchr(nul1 + 1, 0, rest);
		n = nul2 ? (size_t)(nul2 - nul1 - 1) : rest;
		if (n < sizeof(dialled)) {
			memcpy(dialled, nul1 + 1, n);
			dialled[n] = '\0';
		}
	}

	if (dialplan_classify(&p, dialled, &d))
		abort();
	check_plan(&p, &d);

	if (nul2)
		check_device_id(nul2 + 1, size - (size_t)(nul2 + 1 - data));

	policy_reset(&p);
	mem_deref(admin);
	return 0;
}
