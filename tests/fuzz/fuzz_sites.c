/* Fuzz target: an administrator's file with sites, choice and layers. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "kvconf.h"
#include "policy.h"
#include "policy_site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Facts taken from the input's first bytes, so matches happen. */
static void facts_of(struct policy_site_facts *f, const uint8_t *data,
		     size_t size)
{
	memset(f, 0, sizeof(*f));
	if (size < 24)
		return;
	f->vpn = data[0] & 1;
	f->has_subnet = true;
	f->family = data[0] & 2 ? AF_INET6 : AF_INET;
	memcpy(f->addr, data + 1, 16);
	f->has_bssid = data[0] & 4;
	memcpy(f->bssid, data + 17, 6);
	if (data[0] & 8)
		str_ncpy(f->chassis[f->chassisc++], "00:11:22:33:44:55",
			 sizeof(f->chassis[0]));
}

/* Every site's policy keeps policy_load's promises. */
static void check_site(const struct policy_sites *s, int site)
{
	enum policy_origin o[POLICY_KEY_COUNT];
	struct policy p;

	memset(&p, 0, sizeof(p));
	if (policy_site_load(&p, NULL, s, NULL, site, o, NULL))
		abort();
	if (!p.dial_strings.n || !p.disclaimer_text)
		abort();
	policy_reset(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_site_choice ch;
	struct policy_site_facts f;
	struct policy_sites *s = NULL;
	struct kvconf *admin = NULL;
	struct policy_diag diag;
	size_t i;

	memset(&diag, 0, sizeof(diag));
	(void)kvconf_parse(&admin, "admin", (const char *)data, size, NULL);
	if (policy_sites_parse(&s, admin, &diag))
		abort();

	facts_of(&f, data, size);
	policy_site_choose(&ch, s, NULL, &f);
	if (ch.site < -1 || ch.site >= (int)policy_sites_count(s) ||
	    (ch.site >= 0 && strcmp(ch.name, policy_site_name(s, ch.site))))
		abort();

	check_site(s, -1);
	for (i = 0; i < policy_sites_count(s) && i < 8; i++)
		check_site(s, (int)i);

	policy_diag_reset(&diag);
	mem_deref(s);
	mem_deref(admin);
	return 0;
}
