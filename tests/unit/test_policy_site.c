/* Unit tests for policy_site: matching, precedence, malformed sections. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include "kvconf.h"
#include "policy.h"
#include "policy_site.h"

/* Sites that overlap on purpose: a /16 and a /24 inside it, IPv6, a
 * switch, an access point and a network name. */
static const char sites_conf[] = "emergency_route sip:911@global.example.com\n"
				 "remote_site home\n"
				 "[site toronto]\n"
				 "match_subnet 10.20.0.0/16\n"
				 "match_subnet 2001:db8:20::/48\n"
				 "emergency_route sip:911@toronto.example.com\n"
				 "[site toronto-lab]\n"
				 "match_subnet 10.20.5.0/24\n"
				 "emergency_route sip:911@lab.example.com\n"
				 "[site london]\n"
				 "match_chassis 00:11:22:33:44:55\n"
				 "match_chassis sw-london-1\n"
				 "dial_strings 999,112\n"
				 "[site cafe]\n"
				 "match_bssid aa:bb:cc:dd:ee:ff\n"
				 "match_ssid CorpWiFi\n"
				 "[site home]\n"
				 "e911_enabled no\n"
				 "[site everywhere]\n"
				 "match_subnet 0.0.0.0/0\n";

struct match_case {
	const char *name;
	const char *subnet; /* address of the default route's interface */
	const char *chassis;
	const char *bssid;
	const char *ssid;
	bool vpn;
	const char *site; /* NULL: the global policy */
	const char *why;  /* a part of choice.why */
};

static const struct match_case match_cases[] = {
	{"subnet", "10.20.9.7", NULL, NULL, NULL, false, "toronto",
	 "subnet 10.20.0.0/16 of site toronto"},
	{"the longer of overlapping subnets", "10.20.5.9", NULL, NULL, NULL,
	 false, "toronto-lab", "subnet 10.20.5.0/24 of site toronto-lab"},
	{"IPv6", "2001:db8:20:1::5", NULL, NULL, NULL, false, "toronto",
	 "subnet 2001:db8:20::/48"},
	{"IPv6 outside", "2001:db8:21::5", NULL, NULL, NULL, false, NULL,
	 "no site matches"},
	{"a /0 catches the rest of IPv4", "192.0.2.1", NULL, NULL, NULL, false,
	 "everywhere", "subnet 0.0.0.0/0"},
	{"chassis MAC beats subnet", "10.20.5.9", "00:11:22:33:44:55", NULL,
	 NULL, false, "london",
	 "LLDP chassis 00:11:22:33:44:55 of site london"},
	{"chassis MAC compared as a MAC", NULL, "00-11-22-33-44-55", NULL, NULL,
	 false, "london", "LLDP chassis"},
	{"chassis text", NULL, "sw-london-1", NULL, NULL, false, "london",
	 "LLDP chassis sw-london-1"},
	{"BSSID beats subnet", "10.20.5.9", NULL, "aa:bb:cc:dd:ee:ff", "Other",
	 false, "cafe", "BSSID aa:bb:cc:dd:ee:ff"},
	{"subnet beats SSID", "10.20.1.1", NULL, "aa:bb:cc:00:00:01",
	 "CorpWiFi", false, "toronto", "subnet 10.20.0.0/16"},
	{"SSID alone", NULL, NULL, "aa:bb:cc:00:00:01", "CorpWiFi", false,
	 "cafe", "SSID CorpWiFi of site cafe"},
	{"SSID compared exactly", NULL, NULL, NULL, "corpwifi", false, NULL,
	 "no site matches"},
	{"nothing known", NULL, NULL, NULL, NULL, false, NULL,
	 "no site matches"},
	{"VPN over a site's network", "10.20.9.7", NULL, NULL, NULL, true,
	 "toronto", "(the network under the VPN)"},
	{"VPN elsewhere: remote_site", NULL, NULL, NULL, NULL, true, "home",
	 "remote_site home"},
};

static void facts_make(struct policy_site_facts *f, const struct match_case *c)
{
	memset(f, 0, sizeof(*f));
	f->vpn = c->vpn;
	if (c->subnet) {
		f->has_subnet = true;
		f->family = strchr(c->subnet, ':') ? AF_INET6 : AF_INET;
		assert_int_equal(1, inet_pton(f->family, c->subnet, f->addr));
	}
	if (c->chassis)
		str_ncpy(f->chassis[f->chassisc++], c->chassis,
			 sizeof(f->chassis[0]));
	if (c->bssid) {
		unsigned b[6], i;

		assert_int_equal(6, sscanf(c->bssid, "%x:%x:%x:%x:%x:%x", &b[0],
					   &b[1], &b[2], &b[3], &b[4], &b[5]));
		for (i = 0; i < 6; i++)
			f->bssid[i] = (uint8_t)b[i];
		f->has_bssid = true;
	}
	if (c->ssid)
		str_ncpy(f->ssid, c->ssid, sizeof(f->ssid));
}

static void diag_print(const struct policy_diag *d)
{
	struct le *le;

	for (le = d->msgl.head; le; le = le->next)
		print_message("diag: %s\n",
			      ((struct policy_diag_msg *)le->data)->text);
}

static void match_table(void **state)
{
	struct policy_diag diag;
	struct policy_sites *s = NULL;
	struct kvconf *kv = NULL;
	size_t i;
	(void)state;

	memset(&diag, 0, sizeof(diag));
	assert_int_equal(0, kvconf_parse(&kv, "policy.conf", sites_conf,
					 strlen(sites_conf), NULL));
	assert_int_equal(0, policy_sites_parse(&s, kv, &diag));
	diag_print(&diag);
	assert_int_equal(0, list_count(&diag.msgl));
	assert_int_equal(6, policy_sites_count(s));

	for (i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];
		struct policy_site_choice ch;
		struct policy_site_facts f;

		facts_make(&f, c);
		policy_site_choose(&ch, s, NULL, &f);
		print_message("%s: %s (%s)\n", c->name, ch.name, ch.why);
		if (c->site) {
			assert_string_equal(c->site, ch.name);
			assert_string_equal(c->site,
					    policy_site_name(s, ch.site));
		} else {
			assert_int_equal(-1, ch.site);
		}
		assert_non_null(strstr(ch.why, c->why));
	}

	mem_deref(s);
	mem_deref(kv);
	policy_diag_reset(&diag);
}

/* Every source in its place: default, served, administrator, site, user. */
static void precedence(void **state)
{
	static const char served_conf[] =
		"callback_window 10\n"
		"failover_timeout_ms 2000\n"
		"conference_mode twoway\n"
		"[site toronto]\n"
		"match_subnet 10.20.0.0/16\n"
		"notification_uris sip:served-desk@example.com\n"
		"elin_identity pai\n"
		"[site served-only]\n"
		"match_subnet 10.30.0.0/16\n"
		"test_dial_strings 933\n";
	static const char admin_conf[] =
		"callback_window 20\n"
		"location_required yes\n"
		"[site toronto]\n"
		"match_subnet 10.20.0.0/16\n"
		"notification_uris sip:desk@toronto.example.com\n"
		"remember_locations no\n";
	static const char user_conf[] = "location_required disclaimer\n"
					"send_location_uri yes\n"
					"remember_locations yes\n"
					"callback_window 90\n";
	struct kvconf *skv = NULL, *akv = NULL, *ukv = NULL;
	struct policy_sites *served = NULL, *admin = NULL;
	enum policy_origin o[POLICY_KEY_COUNT];
	struct policy_site_choice ch;
	struct policy_site_facts f;
	struct policy_diag diag;
	struct policy p;
	size_t i;
	(void)state;

	memset(&diag, 0, sizeof(diag));
	memset(&p, 0, sizeof(p));
	assert_int_equal(0, kvconf_parse(&skv, "https://p/policy", served_conf,
					 strlen(served_conf), NULL));
	assert_int_equal(0, kvconf_parse(&akv, "policy.conf", admin_conf,
					 strlen(admin_conf), NULL));
	assert_int_equal(0, kvconf_parse(&ukv, "user.conf", user_conf,
					 strlen(user_conf), NULL));
	assert_int_equal(0, policy_sites_parse(&served, skv, &diag));
	assert_int_equal(0, policy_sites_parse(&admin, akv, &diag));

	memset(&f, 0, sizeof(f));
	f.has_subnet = true;
	f.family = AF_INET;
	assert_int_equal(1, inet_pton(AF_INET, "10.20.1.1", f.addr));
	policy_site_choose(&ch, admin, served, &f);
	assert_string_equal("toronto", ch.name);
	assert_int_equal(0, ch.site);

	assert_int_equal(
		0, policy_site_load(&p, ukv, admin, served, ch.site, o, &diag));
	diag_print(&diag);
	/* the administrator's site section wins over the served one */
	assert_int_equal(1, p.notification_uri_count);
	assert_string_equal("sip:desk@toronto.example.com",
			    p.notification_uris[0]);
	/* a served site value the administrator's section leaves alone */
	assert_int_equal(POLICY_ELIN_PAI, p.elin_identity);
	/* administrator's file over served, over the user */
	assert_int_equal(20, p.callback_window);
	/* served where nothing local sets it */
	assert_int_equal(2000, p.failover_timeout_ms);
	/* the user may be stricter */
	assert_int_equal(POLICY_LOCATION_DISCLAIMER, p.location_required);
	assert_true(p.send_location_uri);
	/* the site's remember_locations no wins over the user's yes */
	assert_false(p.remember_locations);

	for (i = 0; i < POLICY_KEY_COUNT; i++) {
		const char *k = policy_key_name(i);
		enum policy_origin want = POLICY_FROM_DEFAULT;

		if (!strcmp(k, "notification_uris") ||
		    !strcmp(k, "elin_identity") ||
		    !strcmp(k, "remember_locations"))
			want = POLICY_FROM_SITE;
		else if (!strcmp(k, "callback_window"))
			want = POLICY_FROM_ADMIN;
		else if (!strcmp(k, "failover_timeout_ms") ||
			 !strcmp(k, "conference_mode"))
			want = POLICY_FROM_SERVED;
		else if (!strcmp(k, "location_required") ||
			 !strcmp(k, "send_location_uri"))
			want = POLICY_FROM_USER;
		print_message("%s: %s\n", k, policy_origin_name(o[i]));
		assert_int_equal(want, o[i]);
	}

	/* a site only the served policy defines, numbered after the
	 * administrator's */
	assert_int_equal(1, inet_pton(AF_INET, "10.30.1.1", f.addr));
	policy_site_choose(&ch, admin, served, &f);
	assert_string_equal("served-only", ch.name);
	assert_int_equal(2, ch.site);
	assert_int_equal(0, policy_site_load(&p, NULL, admin, served, ch.site,
					     NULL, NULL));
	assert_int_equal(1, p.test_dial_strings.n);
	assert_string_equal("933", p.test_dial_strings.v[0]);

	/* no site: the global layers only */
	assert_int_equal(
		0, policy_site_load(&p, NULL, admin, served, -1, o, NULL));
	assert_int_equal(0, p.notification_uri_count);
	assert_int_equal(POLICY_ELIN_NO, p.elin_identity);
	assert_true(p.remember_locations);

	policy_reset(&p);
	mem_deref(served);
	mem_deref(admin);
	mem_deref(skv);
	mem_deref(akv);
	mem_deref(ukv);
	policy_diag_reset(&diag);
}

/* Broken sections: each problem file:line, the rest kept. */
static void malformed(void **state)
{
	static const char conf[] = "match_subnet 10.0.0.0/8\n"	   /* 1 */
				   "[site good]\n"		   /* 2 */
				   "match_subnet 10.1.0.0/16\n"	   /* 3 */
				   "match_subnet 10.1.0.1/16\n"	   /* 4 */
				   "match_subnet 10.1.0.0/33\n"	   /* 5 */
				   "match_bssid aa:bb\n"	   /* 6 */
				   "match_color blue\n"		   /* 7 */
				   "lis_url https://lis\n"	   /* 8 */
				   "failover_timeout_ms 5\n"	   /* 9 */
				   "remote_site good\n"		   /* 10 */
				   "[site bad name]\n"		   /* 11 */
				   "match_subnet 10.2.0.0/16\n"	   /* 12 */
				   "[site good]\n"		   /* 13 */
				   "match_subnet 10.3.0.0/16\n"	   /* 14 */
				   "[site lonely]\n"		   /* 15 */
				   "[site v6]\n"		   /* 16 */
				   "match_subnet 2001:db8::/129\n" /* 17 */
				   "match_subnet fe80::1/64\n";	   /* 18 */
	static const char *const want[] = {
		"policy.conf:1: match_subnet: only inside a [site NAME] "
		"section; ignored",
		"policy.conf:4: match_subnet: '10.1.0.1/16' has address bits "
		"set past the prefix length; dropped",
		"policy.conf:5: match_subnet: '10.1.0.0/33' is not an "
		"address/prefix",
		"policy.conf:6: match_bssid: 'aa:bb' is not a MAC address",
		"policy.conf:7: match_color: not a match",
		"policy.conf:8: lis_url: not a policy setting; a site can only "
		"set policy settings (site good); ignored",
		"policy.conf:10: remote_site: a global setting",
		"policy.conf:11: '[site bad name]' is not a section header",
		"policy.conf:13: site good is already defined at "
		"policy.conf:2; this section is ignored",
		"policy.conf:17: match_subnet: '2001:db8::/129' is not",
		"policy.conf:18: match_subnet: 'fe80::1/64' has address bits",
		"policy.conf:9: failover_timeout_ms: '5' is not a whole number",
		"policy.conf:15: site lonely has no match_ line",
		"policy.conf:16: site v6 has no match_ line",
	};
	struct policy_site_choice ch;
	struct policy_site_facts f;
	struct policy_sites *s = NULL;
	struct kvconf *kv = NULL;
	struct policy_diag diag;
	struct policy p;
	struct le *le;
	size_t i = 0;
	(void)state;

	memset(&diag, 0, sizeof(diag));
	memset(&p, 0, sizeof(p));
	assert_int_equal(
		0, kvconf_parse(&kv, "policy.conf", conf, strlen(conf), NULL));
	assert_int_equal(0, policy_sites_parse(&s, kv, &diag));
	diag_print(&diag);
	assert_int_equal(ARRAY_SIZE(want), list_count(&diag.msgl));
	for (le = diag.msgl.head; le; le = le->next, i++) {
		const struct policy_diag_msg *m = le->data;

		assert_true(0 == strncmp(m->text, want[i], strlen(want[i])));
	}

	/* the good line of the site still matches, the bad section's and
	 * the duplicate's do not */
	assert_int_equal(3, policy_sites_count(s));
	memset(&f, 0, sizeof(f));
	f.has_subnet = true;
	f.family = AF_INET;
	assert_int_equal(1, inet_pton(AF_INET, "10.1.2.3", f.addr));
	policy_site_choose(&ch, s, NULL, &f);
	assert_string_equal("good", ch.name);
	assert_int_equal(1, inet_pton(AF_INET, "10.2.2.3", f.addr));
	policy_site_choose(&ch, s, NULL, &f);
	assert_int_equal(-1, ch.site);
	assert_int_equal(1, inet_pton(AF_INET, "10.3.2.3", f.addr));
	policy_site_choose(&ch, s, NULL, &f);
	assert_int_equal(-1, ch.site);

	/* the site's bad value falls back to the safe one */
	assert_int_equal(0, policy_site_load(&p, NULL, s, NULL, 0, NULL, NULL));
	assert_int_equal(5000, p.failover_timeout_ms);

	policy_reset(&p);
	mem_deref(s);
	mem_deref(kv);
	policy_diag_reset(&diag);
}

/* The facts from the location module's typed network data. */
static void facts_from_snap(void **state)
{
	static struct netsnap snap;
	static struct lldp_frame nb;
	const struct lldp_frame *nbv[] = {NULL, &nb};
	struct policy_site_facts f;
	uint8_t want[4] = {10, 20, 1, 5};
	(void)state;

	memset(&snap, 0, sizeof(snap));
	memset(&nb, 0, sizeof(nb));
	snap.vpn = true;
	snap.subnet.present = true;
	snap.subnet.family = AF_INET;
	memcpy(snap.subnet.addr, want, 4);
	snap.subnet.prefixlen = 16;
	snap.wifi.present = true;
	memcpy(snap.wifi.bss.bssid, "\xaa\xbb\xcc\xdd\xee\xff", 6);
	str_ncpy(snap.wifi.bss.ssid, "Corp", sizeof(snap.wifi.bss.ssid));
	snap.wifi.bss.has_ssid = true;
	str_ncpy(nb.chassis.text, "00:11:22:33:44:55", sizeof(nb.chassis.text));

	policy_site_facts_from_snap(&f, &snap, nbv, ARRAY_SIZE(nbv));
	assert_true(f.vpn);
	assert_true(f.has_subnet);
	assert_int_equal(AF_INET, f.family);
	assert_memory_equal(want, f.addr, 4);
	assert_true(f.has_bssid);
	assert_int_equal(0xff, f.bssid[5]);
	assert_string_equal("Corp", f.ssid);
	assert_int_equal(1, f.chassisc);
	assert_string_equal("00:11:22:33:44:55", f.chassis[0]);

	policy_site_facts_from_snap(&f, NULL, NULL, 0);
	assert_false(f.has_subnet);
	assert_int_equal(0, f.chassisc);
}

/* A served document is taken whole or not at all, and where it fits in
 * the precedence: under the administrator's file, over the user's. */
static void served_validate(void **state)
{
	static const char good[] = "test_dial_strings 933\n"
				   "refresh_interval 30m\n"
				   "e911_enabled yes\n"
				   "[site lab]\n"
				   "match_subnet 198.51.100.0/24\n"
				   "notification_uris sip:desk@example.com\n";
	static const struct {
		const char *doc;
		const char *why; /* the start of the refusal */
	} bad[] = {
		{"test_dial_strings 944\nrefresh_interval soon\n",
		 "https://p.example/x.conf:2: refresh_interval"},
		{"[site lab]\nmatch_subnet 300.1.2.3/8\n",
		 "https://p.example/x.conf:2: "},
		{"[site lab]\nsecurity_desk sip:d@example.com\n",
		 "https://p.example/x.conf:2: security_desk"},
		{"[site]\ndial_strings 911\n", "https://p.example/x.conf:1: "},
		{"dial_strings 911\n\0\n", "https://p.example/x.conf:"},
	};
	const char *url = "https://p.example/x.conf";
	struct policy_sites *served = NULL, *admin = NULL;
	struct kvconf *akv = NULL, *ukv = NULL;
	enum policy_origin origins[POLICY_KEY_COUNT];
	struct policy p;
	char why[400];
	size_t i;
	(void)state;

	assert_int_equal(0,
			 policy_sites_validate(&served, url, good, strlen(good),
					       why, sizeof(why)));
	assert_int_equal(1, policy_sites_count(served));
	assert_string_equal("", why);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct policy_sites *s = NULL;
		size_t len = strlen(bad[i].doc);

		if (i == ARRAY_SIZE(bad) - 1)
			len += 2; /* the NUL byte and what follows */
		assert_int_not_equal(
			0, policy_sites_validate(&s, url, bad[i].doc, len, why,
						 sizeof(why)));
		assert_null(s);
		if (strncmp(why, bad[i].why, strlen(bad[i].why)))
			fail_msg("case %zu: \"%s\", want \"%s...\"", i, why,
				 bad[i].why);
	}

	/* the administrator's file wins over the served document, which
	 * wins over the user's file */
	assert_int_equal(0, kvconf_parse(&akv, "admin", "refresh_interval 2h\n",
					 20, NULL));
	assert_int_equal(0, kvconf_parse(&ukv, "user",
					 "test_dial_strings 955\n"
					 "e911_enabled no\n",
					 38, NULL));
	assert_int_equal(0, policy_sites_parse(&admin, akv, NULL));
	memset(&p, 0, sizeof(p));
	assert_int_equal(
		0, policy_site_load(&p, ukv, admin, served, -1, origins, NULL));
	assert_int_equal(7200, p.refresh_interval_s);
	assert_int_equal(POLICY_FROM_ADMIN, origins[17]);
	assert_int_equal(POLICY_FROM_SERVED, origins[5]);
	assert_true(p.e911_enabled);
	policy_reset(&p);

	mem_deref(served);
	mem_deref(admin);
	mem_deref(akv);
	mem_deref(ukv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match_table),
		cmocka_unit_test(precedence),
		cmocka_unit_test(malformed),
		cmocka_unit_test(facts_from_snap),
		cmocka_unit_test(served_validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
