/* policy: merge the user's and the administrator's location policy. */

#include <re.h>
#include <assert.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include "kvconf.h"
#include "policy.h"
#include "policy_value.h"
#include "policy_site.h"

/* Shown when location_required is "disclaimer" and no text was set. */
static const char default_disclaimer[] =
	"Without your location, emergency services may not be able to find "
	"you. Emergency calls are still placed; tell the dispatcher where you "
	"are.";

/* Every setting this module owns, for policy_key_known and spelling. */
static const char *const policy_keys[] = {
	"e911_enabled",
	"location_required",
	"location_for_emergency_only",
	"dial_strings",
	"dial_masks",
	"test_dial_strings",
	"outside_line_prefix",
	"emergency_route",
	"emergency_proxy",
	"emergency_route_secondary",
	"emergency_proxy_secondary",
	"emergency_account",
	"notification_uris",
	"conference_uri",
	"conference_mode",
	"callback_window",
	"failover_timeout_ms",
	"refresh_interval",
	"signalling_profile",
	"elin_identity",
	"disclaimer_text",
	"remember_locations",
	"send_location_uri",
};

/* The words a setting accepts; the index is the value, and for the two
 * floor settings a higher index is the stricter one. */
struct words {
	const char *const *v;
	size_t n;
};

#define WORDS(...)                                                             \
	{                                                                      \
		(const char *const[]){__VA_ARGS__},                            \
			sizeof((const char *const[]){__VA_ARGS__}) /           \
				sizeof(const char *)                           \
	}

static const struct words yes_no = WORDS("no", "yes");
static const struct words location_words = WORDS("no", "yes", "disclaimer");
static const struct words profile_words = WORDS("rfc6881", "microsoft");
static const struct words elin_words = WORDS("no", "from", "pai");
static const struct words conference_words = WORDS("oneway", "twoway");

/* State of one policy_load; err is sticky: the first allocation failure
 * ends the load, so the many small steps need not each pass it back. */
struct load {
	struct policy *p;
	const struct kvconf *user;
	const struct kvconf *admin;
	struct policy_diag *diag;
	int err;
};

static void diag_msg_destructor(void *arg)
{
	struct policy_diag_msg *m = arg;

	list_unlink(&m->le);
	mem_deref(m->text);
}

/* Append "file:line: key: <fmt>" to the diagnostics. */
static void diag_add(struct load *ld, const struct kvconf_entry *e,
		     const char *fmt, ...)
{
	struct policy_diag_msg *m;
	struct le *le;
	va_list ap;
	int err;

	if (!ld->diag || ld->err)
		return;

	m = mem_zalloc(sizeof(*m), diag_msg_destructor);
	if (!m) {
		ld->err = ENOMEM;
		return;
	}

	va_start(ap, fmt);
	err = re_sdprintf(&m->text, "%s:%u: %s: %v", e->file, e->line, e->key,
			  fmt, &ap);
	va_end(ap);

	if (err) {
		mem_deref(m);
		ld->err = err;
		return;
	}

	/* sites load the global lines once per site: say a problem once */
	for (le = ld->diag->msgl.head; le; le = le->next) {
		const struct policy_diag_msg *o = le->data;

		if (!strcmp(o->text, m->text)) {
			mem_deref(m);
			return;
		}
	}

	list_append(&ld->diag->msgl, &m->le, m);
}

static void dup_into(struct load *ld, char **dst, const char *src, size_t len)
{
	if (ld->err)
		return;

	*dst = mem_deref(*dst);
	ld->err = re_sdprintf(dst, "%b", src, len);
}

/* The entry that decides an administrator-wins setting: the administrator's
 * if present (a differing user value is reported as ignored), else the
 * user's, else NULL. */
static const struct kvconf_entry *effective(struct load *ld, const char *key)
{
	const struct kvconf_entry *a = kvconf_get(ld->admin, key);
	const struct kvconf_entry *u = kvconf_get(ld->user, key);

	if (a && u && strcmp(a->value, u->value))
		diag_add(ld, u,
			 "ignored: the administrator's file sets it (%s:%u)",
			 a->file, a->line);

	return a ? a : u;
}

static int print_words(struct re_printf *pf, const struct words *w)
{
	size_t i;
	int err = 0;

	for (i = 0; i < w->n && !err; i++)
		err = re_hprintf(pf, "%s%s",
				 i ? (i + 1 < w->n ? ", " : " or ") : "",
				 w->v[i]);

	return err;
}

/* Index of the entry's word; the fallback (reported) if it is none. */
static int word_index(struct load *ld, const struct kvconf_entry *e,
		      const struct words *w, int fallback)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (!str_casecmp(e->value, w->v[i]))
			return (int)i;
	}

	diag_add(ld, e, "'%s' is not %H; using %s", e->value, print_words, w,
		 w->v[fallback]);
	return fallback;
}

static int word_setting(struct load *ld, const char *key, const struct words *w,
			int def, int fallback)
{
	const struct kvconf_entry *e = effective(ld, key);

	return e ? word_index(ld, e, w, fallback) : def;
}

/* A setting where the administrator's value is a floor the user may raise
 * but not lower (e911_enabled, location_required). */
static int floor_setting(struct load *ld, const char *key,
			 const struct words *w, int def, int fallback)
{
	const struct kvconf_entry *a = kvconf_get(ld->admin, key);
	const struct kvconf_entry *u = kvconf_get(ld->user, key);
	int av, uv;

	if (!a)
		return u ? word_index(ld, u, w, fallback) : def;

	av = word_index(ld, a, w, fallback);
	if (!u)
		return av;

	uv = word_index(ld, u, w, fallback);
	if (uv >= av)
		return uv;

	diag_add(ld, u,
		 "'%s' ignored: the administrator's file requires '%s' "
		 "(%s:%u)",
		 u->value, w->v[av], a->file, a->line);
	return av;
}

static unsigned uint_setting(struct load *ld, const char *key, unsigned min,
			     unsigned max, unsigned def, const char *unit)
{
	const struct kvconf_entry *e = effective(ld, key);
	unsigned v;

	if (!e)
		return def;

	if (policy_uint_parse(&v, e->value) || v < min || v > max) {
		diag_add(ld, e,
			 "'%s' is not a whole number of %s from %u to "
			 "%u; using %u",
			 e->value, unit, min, max, def);
		return def;
	}

	return v;
}

static unsigned duration_setting(struct load *ld, const char *key, unsigned min,
				 unsigned max, unsigned def)
{
	const struct kvconf_entry *e = effective(ld, key);
	unsigned v;

	if (!e)
		return def;

	if (policy_duration_parse(&v, e->value) || v < min || v > max) {
		diag_add(ld, e,
			 "'%s' is not a duration from %us to %uh (4 for "
			 "hours, or 4h, 30m, 90s); using %uh",
			 e->value, min, max / 3600, def / 3600);
		return def;
	}

	return v;
}

static void load_switches(struct load *ld)
{
	struct policy *p = ld->p;

	p->e911_enabled = floor_setting(ld, "e911_enabled", &yes_no, 1, 1);
	p->location_required =
		floor_setting(ld, "location_required", &location_words,
			      POLICY_LOCATION_NO, POLICY_LOCATION_YES);
	p->location_for_emergency_only =
		word_setting(ld, "location_for_emergency_only", &yes_no, 1, 1);
	p->remember_locations =
		word_setting(ld, "remember_locations", &yes_no, 1, 1);
	p->send_location_uri =
		word_setting(ld, "send_location_uri", &yes_no, 0, 0);
	p->signalling_profile =
		word_setting(ld, "signalling_profile", &profile_words,
			     POLICY_PROFILE_RFC6881, POLICY_PROFILE_RFC6881);
	p->elin_identity = word_setting(ld, "elin_identity", &elin_words,
					POLICY_ELIN_NO, POLICY_ELIN_NO);
	p->conference_mode = word_setting(
		ld, "conference_mode", &conference_words,
		POLICY_CONFERENCE_ONEWAY, POLICY_CONFERENCE_ONEWAY);

	/* RFC 6881 leaves the callback period to policy; a day at most */
	p->callback_window =
		uint_setting(ld, "callback_window", 0, 1440, 60, "minutes");
	/* our choice: SIP Timer B (64*T1 = 32 s) is far too long to wait
	 * for a PSAP route, a second is too short for a slow proxy */
	p->failover_timeout_ms = uint_setting(ld, "failover_timeout_ms", 1000,
					      32000, 5000, "milliseconds");
	/* standards.md §12: LocationRefreshInterval, default 4 hours (Lync
	 * takes 1-12 h; shorter is allowed for sites and tests that want it) */
	p->refresh_interval_s = duration_setting(
		ld, "refresh_interval", POLICY_REFRESH_MIN_S,
		POLICY_REFRESH_MAX_S, POLICY_REFRESH_DEFAULT_S);
}

/* Call itemh for each comma-separated item of e's value, trimmed. */
static void each_item(struct load *ld, const struct kvconf_entry *e,
		      void (*itemh)(struct load *ld,
				    const struct kvconf_entry *e,
				    const struct pl *item))
{
	const char *p = e->value;

	while (!ld->err) {
		const char *end = strchr(p, ',');
		struct pl item;

		item.p = p;
		item.l = end ? (size_t)(end - p) : strlen(p);
		policy_pl_trim(&item);
		if (item.l)
			itemh(ld, e, &item);
		else if (end || p != e->value)
			diag_add(ld, e, "empty item in the list; skipped");

		if (!end)
			break;
		p = end + 1;
	}
}

static bool numbers_has(const struct policy_numbers *nums, const struct pl *s)
{
	size_t i;

	for (i = 0; i < nums->n; i++) {
		if (!pl_strcmp(s, nums->v[i]))
			return true;
	}

	return false;
}

static const struct policy_dial_mask *mask_find(const struct policy *p,
						const struct pl *from)
{
	size_t i;

	for (i = 0; i < p->dial_mask_count; i++) {
		if (!pl_strcmp(from, p->dial_masks[i].from))
			return &p->dial_masks[i];
	}

	return NULL;
}

/* Add a digit string to a list unless it is invalid or one too many (both
 * reported) or already there. */
static void numbers_add(struct load *ld, const struct kvconf_entry *e,
			struct policy_numbers *nums, size_t max,
			const char *what, const struct pl *item)
{
	if (!policy_digits_valid(item, POLICY_DIAL_MAX)) {
		diag_add(ld, e,
			 "'%r' is not a dial string (1 to %u digits); "
			 "dropped",
			 item, POLICY_DIAL_MAX);
		return;
	}
	if (numbers_has(nums, item))
		return;
	if (nums->n >= max) {
		diag_add(ld, e, "more than %zu %s; '%r' dropped", max, what,
			 item);
		return;
	}

	pl_strcpy(item, nums->v[nums->n++], sizeof(nums->v[0]));
}

static void dial_string_add(struct load *ld, const struct kvconf_entry *e,
			    const struct pl *item)
{
	numbers_add(ld, e, &ld->p->dial_strings, POLICY_DIAL_STRINGS_MAX,
		    "dial strings", item);
}

static void dial_mask_add(struct load *ld, const struct kvconf_entry *e,
			  const struct pl *item)
{
	struct policy *p = ld->p;
	const struct policy_dial_mask *old;
	struct pl from, to;

	if (policy_mask_split(item, &from, &to) ||
	    !policy_digits_valid(&from, POLICY_DIAL_MAX) ||
	    !policy_digits_valid(&to, POLICY_DIAL_MAX)) {
		diag_add(ld, e, "'%r' is not a mask FROM:TO of digits; dropped",
			 item);
		return;
	}
	if (!numbers_has(&p->dial_strings, &to)) {
		diag_add(ld, e,
			 "'%r': %r is not an emergency dial string; "
			 "dropped",
			 item, &to);
		return;
	}
	if (numbers_has(&p->dial_strings, &from)) {
		diag_add(ld, e,
			 "'%r': %r is already an emergency dial string; "
			 "dropped",
			 item, &from);
		return;
	}

	old = mask_find(p, &from);
	if (old) {
		if (pl_strcmp(&to, old->to))
			diag_add(ld, e,
				 "'%r': %r is already masked to %s; "
				 "dropped",
				 item, &from, old->to);
		return;
	}
	if (p->dial_mask_count >= POLICY_MASKS_MAX) {
		diag_add(ld, e, "more than %u masks; '%r' dropped",
			 POLICY_MASKS_MAX, item);
		return;
	}

	pl_strcpy(&from, p->dial_masks[p->dial_mask_count].from,
		  sizeof(p->dial_masks[0].from));
	pl_strcpy(&to, p->dial_masks[p->dial_mask_count].to,
		  sizeof(p->dial_masks[0].to));
	++p->dial_mask_count;
}

static void test_string_add(struct load *ld, const struct kvconf_entry *e,
			    const struct pl *item)
{
	/* an emergency call must never be taken for a test call */
	if (numbers_has(&ld->p->dial_strings, item) || mask_find(ld->p, item)) {
		diag_add(ld, e,
			 "'%r' is an emergency number, not a test number; "
			 "dropped",
			 item);
		return;
	}

	numbers_add(ld, e, &ld->p->test_dial_strings, POLICY_TEST_STRINGS_MAX,
		    "test dial strings", item);
}

/* Dial strings and masks are unions: the administrator's (or the default)
 * plus the user's additions; no file but the administrator's removes 911. */
static void load_dialling(struct load *ld)
{
	struct policy *p = ld->p;
	const struct kvconf_entry *a, *u, *e;
	struct pl prefix;

	a = kvconf_get(ld->admin, "dial_strings");
	u = kvconf_get(ld->user, "dial_strings");
	if (a)
		each_item(ld, a, dial_string_add);
	if (!p->dial_strings.n) {
		if (a)
			diag_add(ld, a, "no valid dial string; using 911");
		strcpy(p->dial_strings.v[p->dial_strings.n++], "911");
	}
	if (u)
		each_item(ld, u, dial_string_add);

	a = kvconf_get(ld->admin, "dial_masks");
	u = kvconf_get(ld->user, "dial_masks");
	if (a)
		each_item(ld, a, dial_mask_add);
	if (u)
		each_item(ld, u, dial_mask_add);

	e = effective(ld, "test_dial_strings");
	if (e)
		each_item(ld, e, test_string_add);

	e = effective(ld, "outside_line_prefix");
	if (!e)
		return;
	pl_set_str(&prefix, e->value);
	if (!prefix.l)
		return;
	if (!policy_digits_valid(&prefix, POLICY_PREFIX_MAX)) {
		diag_add(ld, e,
			 "'%s' is not a prefix of 1 to %u digits; "
			 "using none",
			 e->value, POLICY_PREFIX_MAX);
		return;
	}
	pl_strcpy(&prefix, p->outside_line_prefix,
		  sizeof(p->outside_line_prefix));
}

/* A URI-valued setting; *dst stays NULL when unset or invalid. */
static const struct kvconf_entry *uri_setting(struct load *ld, char **dst,
					      const char *key,
					      enum policy_uri_kind kind)
{
	const struct kvconf_entry *e = effective(ld, key);
	const char *why;

	if (!e || !e->value[0])
		return NULL;

	why = policy_uri_problem(e->value, kind);
	if (why) {
		diag_add(ld, e, "'%s' %s; ignored", e->value, why);
		return NULL;
	}

	dup_into(ld, dst, e->value, strlen(e->value));
	return e;
}

/* A tel: or urn: route names no host, so the call needs a SIP next hop. */
static void route_check_proxy(struct load *ld, const struct kvconf_entry *e,
			      char **route, const char *proxy,
			      const char *proxy_key)
{
	if (!*route || proxy || !policy_route_needs_proxy(*route))
		return;

	diag_add(ld, e,
		 "a tel: or urn: route needs %s (the SIP URI of the "
		 "next hop); ignored",
		 proxy_key);
	*route = mem_deref(*route);
}

static void load_routes(struct load *ld)
{
	struct policy *p = ld->p;
	const struct kvconf_entry *r1, *r2;

	r1 = uri_setting(ld, &p->emergency_route, "emergency_route",
			 POLICY_URI_ROUTE);
	r2 = uri_setting(ld, &p->emergency_route_secondary,
			 "emergency_route_secondary", POLICY_URI_ROUTE);
	uri_setting(ld, &p->emergency_proxy, "emergency_proxy",
		    POLICY_URI_PROXY);
	uri_setting(ld, &p->emergency_proxy_secondary,
		    "emergency_proxy_secondary", POLICY_URI_PROXY);
	uri_setting(ld, &p->emergency_account, "emergency_account",
		    POLICY_URI_AOR);

	route_check_proxy(ld, r1, &p->emergency_route, p->emergency_proxy,
			  "emergency_proxy");

	/* the secondary route may share the primary's next hop */
	if (p->emergency_route_secondary && !p->emergency_proxy_secondary &&
	    p->emergency_proxy &&
	    policy_route_needs_proxy(p->emergency_route_secondary))
		dup_into(ld, &p->emergency_proxy_secondary, p->emergency_proxy,
			 strlen(p->emergency_proxy));
	route_check_proxy(ld, r2, &p->emergency_route_secondary,
			  p->emergency_proxy_secondary,
			  "emergency_proxy_secondary");
}

static void notification_add(struct load *ld, const struct kvconf_entry *e,
			     const struct pl *item)
{
	struct policy *p = ld->p;
	char uri[POLICY_URI_MAX + 1];
	const char *why;
	size_t i;

	if (item->l > POLICY_URI_MAX) {
		diag_add(ld, e, "a URI is longer than %u bytes; dropped",
			 POLICY_URI_MAX);
		return;
	}
	pl_strcpy(item, uri, sizeof(uri));

	why = policy_uri_problem(uri, POLICY_URI_AOR);
	if (why) {
		diag_add(ld, e, "'%s' %s; dropped", uri, why);
		return;
	}
	for (i = 0; i < p->notification_uri_count; i++) {
		if (!strcmp(uri, p->notification_uris[i]))
			return;
	}
	if (p->notification_uri_count >= POLICY_NOTIFY_MAX) {
		diag_add(ld, e, "more than %u notification URIs; '%s' dropped",
			 POLICY_NOTIFY_MAX, uri);
		return;
	}

	dup_into(ld, &p->notification_uris[p->notification_uri_count], uri,
		 item->l);
	if (!ld->err)
		++p->notification_uri_count;
}

static void load_texts(struct load *ld)
{
	struct policy *p = ld->p;
	const struct kvconf_entry *e;

	e = effective(ld, "notification_uris");
	if (e)
		each_item(ld, e, notification_add);

	uri_setting(ld, &p->conference_uri, "conference_uri", POLICY_URI_AOR);

	e = effective(ld, "disclaimer_text");
	if (e && strlen(e->value) > POLICY_DISCLAIMER_MAX)
		diag_add(ld, e, "longer than %u bytes; using the default text",
			 POLICY_DISCLAIMER_MAX);
	else if (e && e->value[0])
		dup_into(ld, &p->disclaimer_text, e->value, strlen(e->value));

	if (!p->disclaimer_text)
		dup_into(ld, &p->disclaimer_text, default_disclaimer,
			 strlen(default_disclaimer));
}

/* Other modules read their own keys from the same files, so an unknown key
 * is no error; but in the administrator's file one that is a typing slip
 * away from ours probably meant ours, and silently ignoring it could leave
 * a site without the setting it thinks it has. */
static void check_spelling(struct load *ld)
{
	struct le *le;

	LIST_FOREACH(kvconf_entries(ld->admin), le)
	{
		const struct kvconf_entry *e = le->data;
		const char *best = NULL;
		unsigned d, bestd = 3;
		size_t i;

		if (policy_key_known(e->key))
			continue;

		for (i = 0; i < ARRAY_SIZE(policy_keys); i++) {
			d = policy_edit_distance(e->key, policy_keys[i], 3);
			if (d < bestd) {
				bestd = d;
				best = policy_keys[i];
			}
		}

		if (best)
			diag_add(ld, e, "unknown setting; did you mean %s?",
				 best);
	}
}

int policy_load(struct policy *p, const struct kvconf *user,
		const struct kvconf *admin, struct policy_diag *diag)
{
	struct policy np;
	struct load ld;

	if (!p)
		return EINVAL;

	memset(&np, 0, sizeof(np));
	ld.p = &np;
	ld.user = user;
	ld.admin = admin;
	ld.diag = diag;
	ld.err = 0;

	load_switches(&ld);
	load_dialling(&ld);
	load_routes(&ld);
	load_texts(&ld);
	check_spelling(&ld);

	if (ld.err) {
		policy_reset(&np);
		return ld.err;
	}

	policy_reset(p);
	*p = np;
	return 0;
}

void policy_reset(struct policy *p)
{
	size_t i;

	if (!p)
		return;

	mem_deref(p->emergency_route);
	mem_deref(p->emergency_proxy);
	mem_deref(p->emergency_route_secondary);
	mem_deref(p->emergency_proxy_secondary);
	mem_deref(p->emergency_account);
	for (i = 0; i < p->notification_uri_count; i++)
		mem_deref(p->notification_uris[i]);
	mem_deref(p->conference_uri);
	mem_deref(p->disclaimer_text);

	memset(p, 0, sizeof(*p));
}

void policy_diag_reset(struct policy_diag *diag)
{
	if (diag)
		list_flush(&diag->msgl);
}

const char *policy_key_name(size_t i)
{
	static_assert(ARRAY_SIZE(policy_keys) == POLICY_KEY_COUNT,
		      "POLICY_KEY_COUNT is the number of policy keys");

	return i < ARRAY_SIZE(policy_keys) ? policy_keys[i] : NULL;
}

bool policy_key_known(const char *key)
{
	size_t i;

	for (i = 0; key && i < ARRAY_SIZE(policy_keys); i++) {
		if (!strcmp(key, policy_keys[i]))
			return true;
	}

	return false;
}

const char *policy_word(enum policy_word_set set, int value)
{
	static const struct words *sets[] = {
		[POLICY_WORDS_YES_NO] = &yes_no,
		[POLICY_WORDS_LOCATION] = &location_words,
		[POLICY_WORDS_PROFILE] = &profile_words,
		[POLICY_WORDS_ELIN] = &elin_words,
		[POLICY_WORDS_CONFERENCE] = &conference_words,
	};

	if ((unsigned)set >= ARRAY_SIZE(sets) || value < 0 ||
	    (size_t)value >= sets[set]->n)
		return "?";

	return sets[set]->v[value];
}

const char *policy_admin_path(const struct kvconf *user, bool *ignored)
{
	const char *alt = user ? kvconf_str(user, "policy_file") : NULL;
	const bool admin_exists = access(POLICY_ADMIN_FILE, F_OK) == 0;

	if (ignored)
		*ignored = alt && admin_exists;

	return alt && !admin_exists ? alt : POLICY_ADMIN_FILE;
}
