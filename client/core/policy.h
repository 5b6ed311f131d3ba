/* policy: the emergency-call location policy, read from kvconf files. */

#ifndef LOCPHONE_POLICY_H
#define LOCPHONE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <re.h>

/*
 * Settings (design.md §5; standards.md §12 for what each one means in the
 * Lync / Skype for Business model that the names follow).  Two files feed
 * one policy: the user's (~/.config/locphone/) and the administrator's
 * (/etc/locphone/).
 *
 * Precedence:
 * - The administrator's value wins over the user's for every setting, with
 *   two exceptions where the user may be stricter but never weaker:
 *   e911_enabled (the user may turn it on, not off) and location_required
 *   (no < yes < disclaimer).
 * - dial_strings and dial_masks are unions: the administrator's list (or the
 *   default 911 when the administrator set none) plus what the user adds.
 *   A user can add 112 for travelling; nobody's file removes 911 but the
 *   administrator's.
 *
 * Invalid values never disable emergency calling: each one is reported as
 * "file:line: key: why" and the safe value is used instead.  The safe value
 * is the default, except for location_required, where a value nobody can
 * read still shows someone wanted a prompt, so it becomes "yes".  An
 * administrator's invalid value still counts as set: the user cannot use the
 * resulting gap to switch a feature off.
 */

struct kvconf;

#define POLICY_DIAL_MAX		 15 /* digits in one dial string (E.164 length) */
#define POLICY_DIAL_STRINGS_MAX	 8   /* emergency dial strings kept */
#define POLICY_MASKS_MAX	 16  /* dial masks kept */
#define POLICY_TEST_STRINGS_MAX	 4   /* test dial strings kept */
#define POLICY_PREFIX_MAX	 4   /* digits in the outside-line prefix */
#define POLICY_NOTIFY_MAX	 8   /* notification URIs kept */
#define POLICY_URI_MAX		 256 /* longest SIP / tel / URN value accepted */
#define POLICY_REFRESH_MIN_S	 10  /* refresh_interval bounds */
#define POLICY_REFRESH_MAX_S	 (24u * 3600u)
#define POLICY_REFRESH_DEFAULT_S (4u * 3600u)
#define POLICY_DISCLAIMER_MAX	 1024 /* longest disclaimer_text accepted */

enum policy_location_required {
	POLICY_LOCATION_NO = 0,	   /* never prompt */
	POLICY_LOCATION_YES,	   /* prompt; dismissing is allowed */
	POLICY_LOCATION_DISCLAIMER /* prompt; dismissing shows the disclaimer */
};

enum policy_signalling_profile {
	POLICY_PROFILE_RFC6881 = 0, /* service URN, Geolocation by cid */
	POLICY_PROFILE_MICROSOFT    /* Lync/SfB form, standards.md §11 */
};

/* Where the ELIN (LLDP-MED, standards.md §8) goes as callback identity. */
enum policy_elin_identity {
	POLICY_ELIN_NO = 0,
	POLICY_ELIN_FROM,
	POLICY_ELIN_PAI
};

enum policy_conference_mode {
	POLICY_CONFERENCE_ONEWAY = 0, /* the desk listens */
	POLICY_CONFERENCE_TWOWAY
};

/* A list of digit strings, e.g. the emergency dial strings "911", "112". */
struct policy_numbers {
	char v[POLICY_DIAL_STRINGS_MAX][POLICY_DIAL_MAX + 1];
	size_t n;
};

/* "9911:911": dialling from means calling to, an emergency dial string. */
struct policy_dial_mask {
	char from[POLICY_DIAL_MAX + 1];
	char to[POLICY_DIAL_MAX + 1];
};

/* The effective policy.  Strings are NULL when unset and owned by the
 * policy (released by policy_reset). */
struct policy {
	bool e911_enabled;
	enum policy_location_required location_required;
	bool location_for_emergency_only;
	struct policy_numbers dial_strings; /* never empty after policy_load */
	struct policy_dial_mask dial_masks[POLICY_MASKS_MAX];
	size_t dial_mask_count;
	struct policy_numbers test_dial_strings; /* at most TEST_STRINGS_MAX */
	char outside_line_prefix[POLICY_PREFIX_MAX + 1]; /* "" for none */

	/* Request-URI forms (sip:911@host, sips:, tel:911, urn:service:sos,
	 * urn:service:sos.<sub>); NULL sends the call to the dialled number
	 * through the account's own outbound path.  A tel: or urn: route has
	 * a proxy: the next hop, a SIP URI. */
	char *emergency_route;
	char *emergency_proxy;
	char *emergency_route_secondary;
	char *emergency_proxy_secondary;
	char *emergency_account; /* AOR of the account to use, NULL: default */

	char *notification_uris[POLICY_NOTIFY_MAX];
	size_t notification_uri_count;
	char *conference_uri;
	enum policy_conference_mode conference_mode;

	unsigned callback_window;     /* minutes, 0-1440 */
	unsigned failover_timeout_ms; /* before trying the secondary route */
	unsigned refresh_interval_s;  /* between LIS queries, seconds */
	enum policy_signalling_profile signalling_profile;
	enum policy_elin_identity elin_identity;
	char *disclaimer_text; /* never NULL after policy_load */
	bool remember_locations;
	/* by value, also the LIS's location URI as a second Geolocation
	 * value (RFC 6442 §4.1 allows several), for networks that fetch it */
	bool send_location_uri;
};

/* One diagnostic: "file:line: key: why". */
struct policy_diag_msg {
	struct le le;
	char *text;
};

/* What policy_load had to say about the files; zero it before use. */
struct policy_diag {
	struct list msgl; /* struct policy_diag_msg, in file order */
};

/*
 * Build the effective policy from the user's and the administrator's files;
 * either may be NULL (no such file).  p must be zeroed or hold an earlier
 * policy, whose strings are released on success.  Invalid values are not
 * errors: each is appended to diag (if given) and the safe value is used.
 * Returns 0, EINVAL for a NULL p, or ENOMEM (p untouched).
 */
int policy_load(struct policy *p, const struct kvconf *user,
		const struct kvconf *admin, struct policy_diag *diag);

/* Release the policy's strings and zero it. */
void policy_reset(struct policy *p);

/* Free every message and leave diag empty. */
void policy_diag_reset(struct policy_diag *diag);

/* Print the policy as a kvconf file that loads back to the same policy. */
int policy_print(struct re_printf *pf, const struct policy *p);

/* The policy as a JSON-ready odict (for the control protocol and the UI);
 * on success *odp is the caller's. */
int policy_encode(struct odict **odp, const struct policy *p);

/* True if key is a setting of this module (others belong elsewhere). */
bool policy_key_known(const char *key);

/* The administrator's policy file (design.md §5). */
#define POLICY_ADMIN_FILE "/etc/locphone/policy.conf"

/*
 * Which file holds the administrator's policy: POLICY_ADMIN_FILE, or the
 * path a policy_file line of the user's locphone.conf names — but only
 * where POLICY_ADMIN_FILE does not exist (tests), or a user could point
 * it at an empty file and leave the site's policy.  *ignored (optional)
 * tells that a policy_file line was ignored for that reason.
 */
const char *policy_admin_path(const struct kvconf *user, bool *ignored);

#endif
