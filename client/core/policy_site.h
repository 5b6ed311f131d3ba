/* policy_site: network sites of the administrator's policy (issue 14). */

#ifndef LOCPHONE_POLICY_SITE_H
#define LOCPHONE_POLICY_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#include "kvconf.h"
#include "lldp.h"
#include "netstate.h"
#include "policy.h"

/*
 * The administrator's file (and a served policy) may define sites:
 *
 *   remote_site home-workers          (global: the site of VPN users)
 *   [site toronto]
 *   match_subnet 10.20.0.0/16         (any number of match_ lines)
 *   match_chassis 00:11:22:33:44:55
 *   emergency_route sip:911@gw.toronto.example.com
 *
 * Until the next [site NAME] line every match_ line says how to recognise
 * the site and every other key is the site's own value of a policy
 * setting.  Which site is in force, the most specific evidence first:
 *
 *  1. match_chassis: the LLDP chassis ID of a switch the phone hears
 *     (a MAC, compared as one, or the ID's text exactly);
 *  2. match_bssid: the associated Wi-Fi access point;
 *  3. match_subnet: the address of the interface that carries the
 *     default route lies in the CIDR; the longest prefix wins;
 *  4. match_ssid: the associated network's name, exactly;
 *  5. on VPN and nothing above matches: remote_site, if set;
 *  6. none: the global policy.
 *
 * Ties go to the site written first.  On VPN the evidence is the physical
 * network's under the tunnel (netsnap's gateway subnet is never a
 * tunnel's, and LLDP and Wi-Fi never cross one), so a person on VPN in
 * the Toronto office still gets Toronto.
 *
 * Served policies (policy_url) are fetched by the e911 module
 * (plugins/e911/e911_served.c) and passed here as served.
 *
 * Value precedence, lowest first: default, served policy, administrator's
 * file, the site's values (served, then the administrator's own section),
 * then the user's file under policy.h's rules (the administrator's value
 * wins; e911_enabled and location_required may only be made stricter;
 * dial strings and masks are unions).
 */

#define POLICY_SITE_NAME_MAX	64
#define POLICY_SITE_CHASSIS_MAX 4 /* switches heard at once, as facts */

enum policy_match_kind {
	POLICY_MATCH_NONE = 0,
	POLICY_MATCH_SSID,
	POLICY_MATCH_SUBNET,
	POLICY_MATCH_BSSID,
	POLICY_MATCH_CHASSIS,
	POLICY_MATCH_REMOTE, /* remote_site on VPN */
};

/* Where a value of the effective policy came from. */
enum policy_origin {
	POLICY_FROM_DEFAULT = 0,
	POLICY_FROM_SERVED,
	POLICY_FROM_ADMIN,
	POLICY_FROM_SITE,
	POLICY_FROM_USER,
};

/* What the phone knows of the network it is on, for site matching. */
struct policy_site_facts {
	bool vpn; /* a tunnel carries the default route */
	bool has_subnet;
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	bool has_bssid;
	uint8_t bssid[6];
	char ssid[4 * 32 + 1]; /* as wifi.c prints it; "" for none */
	char chassis[POLICY_SITE_CHASSIS_MAX][256];
	size_t chassisc;
};

struct policy_sites;

/* The site chosen and why, in words ("subnet 10.20.0.0/16 of site
 * toronto"); site -1 for the global policy. */
struct policy_site_choice {
	int site;
	enum policy_match_kind kind;
	char name[POLICY_SITE_NAME_MAX + 1];
	char why[400];
};

/*
 * Split the administrator's (or a served) policy into its global part and
 * its sites.  Every problem goes to diag (optional) as "file:line: ...":
 * a bad section header ignores the lines up to the next one, a bad match_
 * line is dropped, a site key that is no policy setting is ignored, and
 * so on; the rest is kept.  Each site's values are checked as policy_load
 * checks global ones (each problem said once).  admin may be NULL (no
 * file).  On success *sp is the caller's.
 */
int policy_sites_parse(struct policy_sites **sp, const struct kvconf *admin,
		       struct policy_diag *diag);

/*
 * A served policy document (len bytes of buf; name, its URL, is what the
 * diagnostics call it), taken only whole: it must parse, and its global
 * values and every site's must load without a single diagnostic.  Returns
 * 0 and *sp (the caller's), or EBADMSG (and kvconf's errors) with the
 * first problem in why ("URL:3: refresh_interval: ...").
 */
int policy_sites_validate(struct policy_sites **sp, const char *name,
			  const char *buf, size_t len, char *why, size_t whysz);

/* The number of sites, and the name of site i (NULL out of range). */
size_t policy_sites_count(const struct policy_sites *s);
const char *policy_site_name(const struct policy_sites *s, int i);

/* Index of the site of that name, -1 if none. */
int policy_site_find(const struct policy_sites *s, const char *name);

/*
 * Choose the site for facts by the order above.  served (optional) is a
 * served policy's sites, matched after the administrator's: a site of the
 * same name in admin replaces the served one.  choice->site indexes the
 * administrator's sites, or served ones from policy_sites_count(admin)
 * on.  Never fails: without facts the choice is the global policy.
 */
void policy_site_choose(struct policy_site_choice *choice,
			const struct policy_sites *admin,
			const struct policy_sites *served,
			const struct policy_site_facts *facts);

/*
 * The effective policy with site (as choose numbers it; -1: none) in
 * force: policy_load over the layers above.  origins (optional, indexed
 * like policy_key_name) says where each setting came from.  Diagnostics
 * as policy_load's, into diag (optional).  Returns policy_load's errors.
 */
int policy_site_load(struct policy *p, const struct kvconf *user,
		     const struct policy_sites *admin,
		     const struct policy_sites *served, int site,
		     enum policy_origin *origins, struct policy_diag *diag);

/* The keys of policy.h, in order; NULL past the last. */
const char *policy_key_name(size_t i);
#define POLICY_KEY_COUNT 23

/* "default", "served policy", "administrator file", "site", "user file". */
const char *policy_origin_name(enum policy_origin o);

/* The facts from the network as the location module settled it: subnet,
 * Wi-Fi, vpn from snap, the switches' chassis IDs (as lldp.h prints them)
 * from the nbc neighbours nbv (NULL entries skipped).  snap NULL: no
 * facts. */
void policy_site_facts_from_snap(struct policy_site_facts *f,
				 const struct netsnap *snap,
				 const struct lldp_frame *const *nbv,
				 size_t nbc);

#endif
