/* Unit tests for policy: defaults, precedence, typos, print and JSON. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "kvconf.h"
#include "policy.h"

#define MAX_LINES 8
#define MAX_DIAGS 6

/* One case: two files in, lines policy_print must show, line starts it
 * must not show, and exactly these diagnostics in this order. */
struct policy_case {
	const char *name;
	const char *admin; /* NULL: no administrator's file */
	const char *user;  /* NULL: no user's file */
	const char *lines[MAX_LINES];
	const char *absent[MAX_LINES];
	const char *diags[MAX_DIAGS];
};

static const struct policy_case cases[] = {
	{
		.name = "defaults without files",
		.lines = {"e911_enabled yes", "location_required no",
			  "location_for_emergency_only yes", "dial_strings 911",
			  "callback_window 60", "refresh_interval 4h",
			  "failover_timeout_ms 5000", "remember_locations yes"},
		.absent = {"dial_masks ", "test_dial_strings ",
			   "emergency_route ", "outside_line_prefix ",
			   "notification_uris "},
	},
	{
		.name = "more defaults without files",
		.user = "",
		.admin = "",
		.lines = {"signalling_profile rfc6881", "elin_identity no",
			  "conference_mode oneway", "send_location_uri no"},
	},
	{
		.name = "the location URI as a second Geolocation value",
		.admin = "send_location_uri yes\n",
		.lines = {"send_location_uri yes"},
	},
	{
		.name = "a typo in send_location_uri keeps it off",
		.user = "send_location_uri maybe\n",
		.lines = {"send_location_uri no"},
		.diags =
			{"user.conf:1: send_location_uri: 'maybe' is not no or "
			 "yes; using no"},
	},
	{
		.name = "administrator wins over the user",
		.admin = "callback_window 30\n",
		.user = "callback_window 90\n",
		.lines = {"callback_window 30"},
		.diags = {"user.conf:1: callback_window: ignored: the "
			  "administrator's file sets it (admin.conf:1)"},
	},
	{
		.name = "same value in both files is no news",
		.admin = "callback_window 30\n",
		.user = "callback_window 30\n",
		.lines = {"callback_window 30"},
	},
	{
		.name = "user's value where the administrator is silent",
		.admin = "refresh_interval 2\n",
		.user = "# mine\ncallback_window 90\n",
		.lines = {"callback_window 90", "refresh_interval 2h"},
	},
	{
		.name = "user cannot switch e911 off over the administrator",
		.admin = "e911_enabled yes\n",
		.user = "e911_enabled no\n",
		.lines = {"e911_enabled yes"},
		.diags = {"user.conf:1: e911_enabled: 'no' ignored: the "
			  "administrator's file requires 'yes' "
			  "(admin.conf:1)"},
	},
	{
		.name = "user may switch e911 off where nobody else set it",
		.user = "e911_enabled no\n",
		.lines = {"e911_enabled no"},
	},
	{
		.name = "user may switch e911 on over the administrator",
		.admin = "e911_enabled no\n",
		.user = "e911_enabled yes\n",
		.lines = {"e911_enabled yes"},
	},
	{
		.name = "a typo never disables emergency calling",
		.admin = "e911_enabled nah\n",
		.lines = {"e911_enabled yes"},
		.diags = {"admin.conf:1: e911_enabled: 'nah' is not no or yes; "
			  "using yes"},
	},
	{
		.name = "an invalid administrator value still holds the floor",
		.admin = "e911_enabled nah\n",
		.user = "e911_enabled no\n",
		.lines = {"e911_enabled yes"},
		.diags = {"admin.conf:1: e911_enabled: 'nah' is not no or yes; "
			  "using yes",
			  "user.conf:1: e911_enabled: 'no' ignored: the "
			  "administrator's file requires 'yes' "
			  "(admin.conf:1)"},
	},
	{
		.name = "words are not case-sensitive",
		.admin = "e911_enabled NO\nsignalling_profile Microsoft\n"
			 "elin_identity pai\nconference_mode twoway\n",
		.lines = {"e911_enabled no", "signalling_profile microsoft",
			  "elin_identity pai", "conference_mode twoway"},
	},
	{
		.name = "user cannot weaken location_required",
		.admin = "location_required yes\n",
		.user = "location_required no\n",
		.lines = {"location_required yes"},
		.diags = {"user.conf:1: location_required: 'no' ignored: the "
			  "administrator's file requires 'yes' "
			  "(admin.conf:1)"},
	},
	{
		.name = "user may make location_required stricter",
		.admin = "location_required yes\n",
		.user = "location_required disclaimer\n",
		.lines = {"location_required disclaimer"},
	},
	{
		.name = "an unreadable location_required means a prompt",
		.user = "location_required disclaimr\n",
		.lines = {"location_required yes"},
		.diags = {"user.conf:1: location_required: 'disclaimr' is not "
			  "no, yes or disclaimer; using yes"},
	},
	{
		.name = "bad dial string dropped, 911 stays",
		.admin = "dial_strings 911, 9x1 ,112\n",
		.lines = {"dial_strings 911,112"},
		.diags = {"admin.conf:1: dial_strings: '9x1' is not a dial "
			  "string (1 to 15 digits); dropped"},
	},
	{
		.name = "no valid dial string at all falls back to 911",
		.admin = "dial_strings abc,1234567890123456\n",
		.lines = {"dial_strings 911"},
		.diags = {"admin.conf:1: dial_strings: 'abc' is not a dial "
			  "string (1 to 15 digits); dropped",
			  "admin.conf:1: dial_strings: '1234567890123456' is "
			  "not a dial string (1 to 15 digits); dropped",
			  "admin.conf:1: dial_strings: no valid dial string; "
			  "using 911"},
	},
	{
		.name = "user adds dial strings to the default",
		.user = "dial_strings 112,911,999\n",
		.lines = {"dial_strings 911,112,999"},
	},
	{
		.name = "user adds dial strings to the administrator's",
		.admin = "dial_strings 112\n",
		.user = "dial_strings 999\n",
		.lines = {"dial_strings 112,999"},
	},
	{
		.name = "at most 8 dial strings and 4 test numbers",
		.admin = "dial_strings 911,1,2,3,4,5,6,7,8\n"
			 "test_dial_strings 931,932,933,934,935\n",
		.lines = {"dial_strings 911,1,2,3,4,5,6,7",
			  "test_dial_strings 931,932,933,934"},
		.diags = {"admin.conf:1: dial_strings: more than 8 dial "
			  "strings; '8' dropped",
			  "admin.conf:2: test_dial_strings: more than 4 test "
			  "dial strings; '935' dropped"},
	},
	{
		.name = "empty list items are reported",
		.admin = "dial_strings 911,,112\n",
		.lines = {"dial_strings 911,112"},
		.diags = {"admin.conf:1: dial_strings: empty item in the list; "
			  "skipped"},
	},
	{
		.name = "masks in both spellings",
		.admin = "dial_strings 911\n"
			 "dial_masks 9911:911, 112>911 , 999 : 911\n",
		.lines = {"dial_masks 9911:911,112:911,999:911"},
	},
	{
		.name = "masks must lead to an emergency dial string",
		.admin = "dial_masks 12:34,911:911,abc,9911:911\n",
		.user = "dial_masks 9911:112,000:911\n",
		.lines = {"dial_masks 9911:911,000:911"},
		.diags = {"admin.conf:1: dial_masks: '12:34': 34 is not an "
			  "emergency dial string; dropped",
			  "admin.conf:1: dial_masks: '911:911': 911 is already "
			  "an emergency dial string; dropped",
			  "admin.conf:1: dial_masks: 'abc' is not a mask "
			  "FROM:TO of digits; dropped",
			  "user.conf:1: dial_masks: '9911:112': 112 is not an "
			  "emergency dial string; dropped"},
	},
	{
		.name = "a mask cannot be redirected",
		.admin = "dial_strings 911,112\ndial_masks 9911:911\n",
		.user = "dial_masks 9911:112\n",
		.lines = {"dial_masks 9911:911"},
		.diags = {"user.conf:1: dial_masks: '9911:112': 9911 is "
			  "already masked to 911; dropped"},
	},
	{
		.name = "a test number cannot hide an emergency number",
		.admin = "dial_masks 112:911\ntest_dial_strings 933,911,112\n",
		.lines = {"test_dial_strings 933"},
		.diags = {"admin.conf:2: test_dial_strings: '911' is an "
			  "emergency number, not a test number; dropped",
			  "admin.conf:2: test_dial_strings: '112' is an "
			  "emergency number, not a test number; dropped"},
	},
	{
		.name = "outside-line prefix",
		.admin = "outside_line_prefix 9\n",
		.lines = {"outside_line_prefix 9"},
	},
	{
		.name = "bad outside-line prefix means none",
		.user = "outside_line_prefix 99999\n",
		.absent = {"outside_line_prefix "},
		.diags = {"user.conf:1: outside_line_prefix: '99999' is not a "
			  "prefix of 1 to 4 digits; using none"},
	},
	{
		.name = "routes of every form",
		.admin = "emergency_route sip:911@psap.example.com\n"
			 "emergency_route_secondary urn:service:sos.fire\n"
			 "emergency_proxy_secondary sips:esrp.example.com\n"
			 "emergency_account sip:alice@example.com\n",
		.lines = {"emergency_route sip:911@psap.example.com",
			  "emergency_route_secondary urn:service:sos.fire",
			  "emergency_proxy_secondary sips:esrp.example.com",
			  "emergency_account sip:alice@example.com"},
	},
	{
		.name = "a urn: route without a proxy is dropped",
		.admin = "emergency_route urn:service:sos\n",
		.absent = {"emergency_route "},
		.diags = {"admin.conf:1: emergency_route: a tel: or urn: route "
			  "needs emergency_proxy (the SIP URI of the next "
			  "hop); ignored"},
	},
	{
		.name = "the secondary route shares the primary's proxy",
		.admin = "emergency_route tel:911\n"
			 "emergency_proxy sip:esrp.example.com;lr\n"
			 "emergency_route_secondary urn:service:sos\n",
		.lines = {"emergency_route tel:911",
			  "emergency_proxy sip:esrp.example.com;lr",
			  "emergency_route_secondary urn:service:sos",
			  "emergency_proxy_secondary sip:esrp.example.com;lr"},
	},
	{
		.name = "routes that are not emergency routes",
		.admin = "emergency_route urn:service:counseling\n"
			 "emergency_route_secondary sip:psap.example.com\n"
			 "emergency_proxy http://esrp.example.com/\n"
			 "emergency_account sip:alice@\n",
		.absent = {"emergency_route", "emergency_proxy",
			   "emergency_account"},
		.diags = {"admin.conf:1: emergency_route: "
			  "'urn:service:counseling' is not an emergency "
			  "service URN (urn:service:sos or "
			  "urn:service:sos.<type>); ignored",
			  "admin.conf:2: emergency_route_secondary: "
			  "'sip:psap.example.com' has no user part "
			  "(user@host); ignored",
			  "admin.conf:3: emergency_proxy: "
			  "'http://esrp.example.com/' is not a sip: or sips: "
			  "URI; ignored",
			  "admin.conf:4: emergency_account: 'sip:alice@' has "
			  "no valid host; ignored"},
	},
	{
		.name = "notification URIs: bad ones dropped",
		.admin = "notification_uris sip:desk@example.com, "
			 "mailto:desk@example.com,sips:guard@example.com\n",
		.lines = {"notification_uris "
			  "sip:desk@example.com,sips:guard@example.com"},
		.diags = {"admin.conf:1: notification_uris: "
			  "'mailto:desk@example.com' is not a sip: or sips: "
			  "URI; dropped"},
	},
	{
		.name = "numbers out of range use the default",
		.user = "callback_window 2000\nrefresh_interval 0\n"
			"failover_timeout_ms -5\n",
		.lines = {"callback_window 60", "refresh_interval 4h",
			  "failover_timeout_ms 5000"},
		.diags =
			{"user.conf:1: callback_window: '2000' is not a whole "
			 "number of minutes from 0 to 1440; using 60",
			 "user.conf:3: failover_timeout_ms: '-5' is not a "
			 "whole number of milliseconds from 1000 to 32000; "
			 "using 5000",
			 "user.conf:2: refresh_interval: '0' is not a duration "
			 "from 10s to 24h (4 for hours, or 4h, 30m, 90s); "
			 "using 4h"},
	},
	{
		.name = "refresh_interval in hours, minutes or seconds",
		.admin = "refresh_interval 30m\n",
		.lines = {"refresh_interval 30m"},
	},
	{
		.name = "refresh_interval in seconds, printed in the largest "
			"unit",
		.user = "refresh_interval 7200s\n",
		.lines = {"refresh_interval 2h"},
	},
	{
		.name = "refresh_interval too short, too long, or unreadable",
		.user = "refresh_interval 5s\n",
		.admin = "refresh_interval 4x\n",
		.lines = {"refresh_interval 4h"},
		.diags = {"user.conf:1: refresh_interval: ignored: the "
			  "administrator's file sets it (admin.conf:1)",
			  "admin.conf:1: refresh_interval: '4x' is not a "
			  "duration from 10s to 24h (4 for hours, or 4h, 30m, "
			  "90s); using 4h"},
	},
	{
		.name = "refresh_interval over a day",
		.user = "refresh_interval 25h\n",
		.lines = {"refresh_interval 4h"},
		.diags = {"user.conf:1: refresh_interval: '25h' is not a "
			  "duration from 10s to 24h (4 for hours, or 4h, 30m, "
			  "90s); using 4h"},
	},
	{
		.name = "disclaimer text as written",
		.admin = "location_required disclaimer\n"
			 "disclaimer_text Tell the dispatcher your floor.\n",
		.lines = {"disclaimer_text Tell the dispatcher your floor."},
	},
	{
		.name = "misspelt administrator keys are pointed out",
		.admin = "e911_enable no\ndial_mask 9911:911\n"
			 "sip_listen 0.0.0.0:5060\nlis_url https://lis/\n",
		.lines = {"e911_enabled yes"},
		.absent = {"dial_masks "},
		.diags = {"admin.conf:1: e911_enable: unknown setting; did you "
			  "mean e911_enabled?",
			  "admin.conf:2: dial_mask: unknown setting; did you "
			  "mean dial_masks?"},
	},
	{
		.name = "a user's unknown keys belong to others",
		.user = "e911_enable no\nlocation_requird yes\n",
		.lines = {"e911_enabled yes", "location_required no"},
	},
	{
		.name = "a swap of two letters is one slip",
		.admin = "refersh_interval 2\n",
		.diags = {"admin.conf:1: refersh_interval: unknown setting; "
			  "did you mean refresh_interval?"},
	},
};

static int kv_from(struct kvconf **kvp, const char *file, const char *text)
{
	*kvp = NULL;
	if (!text)
		return 0;

	return kvconf_parse(kvp, file, text, strlen(text), NULL);
}

static bool has_line(const char *text, const char *line, bool prefix)
{
	size_t n = strlen(line);
	const char *p = text;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, line, n) && (prefix || p[n] == '\n'))
			return true;
	}

	return false;
}

static void run_case(const struct policy_case *c)
{
	struct kvconf *admin = NULL, *user = NULL;
	struct policy_diag diag;
	struct policy p;
	struct le *le;
	char *out = NULL;
	size_t i;

	memset(&p, 0, sizeof(p));
	memset(&diag, 0, sizeof(diag));
	print_message("case: %s\n", c->name);

	assert_int_equal(0, kv_from(&admin, "admin.conf", c->admin));
	assert_int_equal(0, kv_from(&user, "user.conf", c->user));
	assert_int_equal(0, policy_load(&p, user, admin, &diag));
	assert_int_equal(0, re_sdprintf(&out, "%H", policy_print, &p));

	for (i = 0; i < MAX_LINES && c->lines[i]; i++) {
		if (!has_line(out, c->lines[i], false))
			fail_msg("%s: no line \"%s\" in:\n%s", c->name,
				 c->lines[i], out);
	}
	for (i = 0; i < MAX_LINES && c->absent[i]; i++) {
		if (has_line(out, c->absent[i], true))
			fail_msg("%s: unexpected \"%s\" in:\n%s", c->name,
				 c->absent[i], out);
	}

	i = 0;
	LIST_FOREACH(&diag.msgl, le)
	{
		const struct policy_diag_msg *m = le->data;

		if (i >= MAX_DIAGS || !c->diags[i])
			fail_msg("%s: unexpected diagnostic \"%s\"", c->name,
				 m->text);
		assert_string_equal(c->diags[i], m->text);
		++i;
	}
	if (i < MAX_DIAGS && c->diags[i])
		fail_msg("%s: missing diagnostic \"%s\"", c->name, c->diags[i]);

	mem_deref(out);
	policy_diag_reset(&diag);
	policy_reset(&p);
	mem_deref(admin);
	mem_deref(user);
}

static void table_cases(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
}

static const char rich[] =
	"e911_enabled yes\n"
	"location_required disclaimer\n"
	"location_for_emergency_only no\n"
	"dial_strings 911,112\n"
	"dial_masks 9911:911,999>112\n"
	"test_dial_strings 933\n"
	"outside_line_prefix 9\n"
	"emergency_route urn:service:sos\n"
	"emergency_proxy sip:esrp.example.com;lr\n"
	"emergency_route_secondary sip:911@psap.example.com\n"
	"emergency_account sip:alice@example.com\n"
	"notification_uris sip:desk@example.com\n"
	"conference_uri sip:conf@example.com\n"
	"conference_mode twoway\n"
	"callback_window 120\n"
	"failover_timeout_ms 3000\n"
	"refresh_interval 6\n"
	"signalling_profile microsoft\n"
	"elin_identity from\n"
	"disclaimer_text Location unknown.\n"
	"remember_locations no\n";

static char *json_of(const struct policy *p)
{
	struct odict *od = NULL;
	char *s = NULL;

	assert_int_equal(0, policy_encode(&od, p));
	assert_int_equal(0, re_sdprintf(&s, "%H", json_encode_odict, od));
	mem_deref(od);
	return s;
}

/* policy_print writes a file that loads back to the same policy. */
static void print_loads_back(void **state)
{
	struct kvconf *kv = NULL, *kv2 = NULL;
	struct policy p, q;
	char *out = NULL, *j1, *j2;
	(void)state;

	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));

	assert_int_equal(0, kvconf_parse(&kv, "a", rich, strlen(rich), NULL));
	assert_int_equal(0, policy_load(&p, kv, NULL, NULL));
	assert_int_equal(POLICY_LOCATION_DISCLAIMER, p.location_required);
	assert_int_equal(2, p.dial_mask_count);
	assert_string_equal("112", p.dial_masks[1].to);

	assert_int_equal(0, re_sdprintf(&out, "%H", policy_print, &p));
	assert_int_equal(0, kvconf_parse(&kv2, "b", out, strlen(out), NULL));
	assert_int_equal(0, policy_load(&q, NULL, kv2, NULL));

	j1 = json_of(&p);
	j2 = json_of(&q);
	assert_string_equal(j1, j2);

	mem_deref(j1);
	mem_deref(j2);
	mem_deref(out);
	mem_deref(kv);
	mem_deref(kv2);
	policy_reset(&p);
	policy_reset(&q);
}

static void encode_for_display(void **state)
{
	struct kvconf *kv = NULL;
	struct odict *od = NULL;
	const struct odict_entry *e;
	struct policy p;
	char *s;
	(void)state;

	memset(&p, 0, sizeof(p));
	assert_int_equal(0, kvconf_parse(&kv, "a", rich, strlen(rich), NULL));
	assert_int_equal(0, policy_load(&p, NULL, kv, NULL));

	s = json_of(&p);
	assert_int_equal(0, json_decode_odict(&od, 16, s, strlen(s), 4));

	e = odict_get_type(od, ODICT_BOOL, "e911_enabled");
	assert_non_null(e);
	assert_true(e->u.boolean);
	assert_string_equal("disclaimer",
			    odict_string(od, "location_required"));
	assert_string_equal("urn:service:sos",
			    odict_string(od, "emergency_route"));
	e = odict_get_type(od, ODICT_INT, "callback_window");
	assert_non_null(e);
	assert_int_equal(120, e->u.integer);
	e = odict_get_type(od, ODICT_ARRAY, "dial_masks");
	assert_non_null(e);
	assert_int_equal(2, odict_count(e->u.odict, false));
	e = odict_get_type(od, ODICT_NULL, "outside_line_prefix");
	assert_null(e);

	mem_deref(od);
	mem_deref(s);
	mem_deref(kv);
	policy_reset(&p);
}

/* A reload replaces the earlier policy (and LeakSanitizer checks that
 * its strings were released). */
static void reload_and_refuse(void **state)
{
	struct kvconf *kv = NULL;
	struct policy p;
	(void)state;

	memset(&p, 0, sizeof(p));
	assert_int_equal(0, kvconf_parse(&kv, "a", rich, strlen(rich), NULL));
	assert_int_equal(0, policy_load(&p, NULL, kv, NULL));
	assert_non_null(p.emergency_route);
	assert_int_equal(0, policy_load(&p, NULL, NULL, NULL));
	assert_null(p.emergency_route);
	assert_non_null(p.disclaimer_text);
	assert_int_equal(EINVAL, policy_load(NULL, NULL, kv, NULL));

	assert_true(policy_key_known("dial_masks"));
	assert_false(policy_key_known("lis_url"));
	assert_false(policy_key_known(NULL));

	mem_deref(kv);
	policy_reset(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_cases),
		cmocka_unit_test(print_loads_back),
		cmocka_unit_test(encode_for_display),
		cmocka_unit_test(reload_and_refuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
