/* Unit tests for emergency: routes, headers, identities, the desk notice. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "kvconf.h"
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"

/* A policy from an administrator's file given as text. */
static void policy_from(struct policy *p, const char *conf)
{
	struct kvconf *kv = NULL;

	memset(p, 0, sizeof(*p));
	assert_int_equal(
		0, kvconf_parse(&kv, "policy.conf", conf, strlen(conf), NULL));
	assert_int_equal(0, policy_load(p, NULL, kv, NULL));
	mem_deref(kv);
}

#define ACC EMERGENCY_ROUTE_ACCOUNT
#define DIR EMERGENCY_ROUTE_DIRECT
#define PRX EMERGENCY_ROUTE_PROXIED

struct plan_case {
	const char *conf;
	const char *dialled;
	unsigned route;
	int err;
	enum emergency_route_kind kind;
	const char *dial_uri;
	const char *req_uri;
	const char *next_hop;
};

static const struct plan_case plan_cases[] = {
	/* no route: the masked number through the account */
	{"dial_masks 9911:911\n", "9911", 0, 0, ACC, "911", "", ""},
	{"", "911", 1, ENOENT, ACC, NULL, NULL, NULL},
	/* sip: straight to the host; test calls get their own number */
	{"emergency_route sip:911@sbc1.example.com\n", "911", 0, 0, DIR,
	 "sip:911@sbc1.example.com", "sip:911@sbc1.example.com", ""},
	{"emergency_route sip:911;phone-context=+1@sbc.example.com;"
	 "user=phone\ntest_dial_strings 933\n",
	 "933", 0, 0, DIR,
	 "sip:933;phone-context=+1@sbc.example.com;user=phone",
	 "sip:933;phone-context=+1@sbc.example.com;user=phone", ""},
	/* urn: and tel: through the proxy; its own ;lr is dropped */
	{"emergency_route urn:service:sos\n"
	 "emergency_proxy sip:esrp.example.com:5070;lr;transport=tcp\n",
	 "911", 0, 0, PRX, "sip:911@esrp.example.com:5070;transport=tcp",
	 "urn:service:sos", "sip:esrp.example.com:5070;transport=tcp"},
	{"emergency_route urn:service:sos.police\n"
	 "emergency_proxy sip:[::1]:5080\ntest_dial_strings 933\n",
	 "933", 0, 0, PRX, "sip:933@[::1]:5080", "urn:service:test.sos.police",
	 "sip:[::1]:5080"},
	{"emergency_route tel:911\nemergency_proxy sip:gw@10.0.0.1\n"
	 "test_dial_strings 933\n",
	 "933", 0, 0, PRX, "sip:933@10.0.0.1", "tel:933", "sip:gw@10.0.0.1"},
	/* the secondary shares the primary's proxy unless it has one */
	{"emergency_route urn:service:sos\nemergency_proxy sip:p1.example\n"
	 "emergency_route_secondary tel:911\n",
	 "911", 1, 0, PRX, "sip:911@p1.example", "tel:911", "sip:p1.example"},
	{"emergency_route sip:911@a.example\n"
	 "emergency_route_secondary sip:911@b.example\n",
	 "911", 1, 0, DIR, "sip:911@b.example", "sip:911@b.example", ""},
	/* an account route may still have a secondary */
	{"emergency_route_secondary sip:911@b.example\n", "911", 1, 0, DIR,
	 "sip:911@b.example", "sip:911@b.example", ""},
	/* a route no header can carry (the policy let the quote pass) */
	{"emergency_route sip:911@sbc.example.com;user=ph\"x\n", "911", 0,
	 EINVAL, ACC, NULL, NULL, NULL},
	/* a proxy libre's URI decoder would read from its middle */
	{"emergency_route tel:911\nemergency_proxy sip:/s:c:6043;t:e.x:5070\n",
	 "911", 0, EINVAL, ACC, NULL, NULL, NULL},
	/* ordinary numbers are not planned */
	{"", "5551234", 0, EINVAL, ACC, NULL, NULL, NULL},
	{"", "911", 2, EINVAL, ACC, NULL, NULL, NULL},
};

static void test_target_plan(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(plan_cases); i++) {
		const struct plan_case *c = &plan_cases[i];
		struct emergency_target t;
		struct dial_result d;
		struct policy p;
		int err;

		policy_from(&p, c->conf);
		assert_int_equal(0, dialplan_classify(&p, c->dialled, &d));
		memset(&t, 0xa5, sizeof(t));
		err = emergency_target_plan(&t, &p, c->route, &d);
		if (err != c->err)
			fail_msg("case %zu: err %d, want %d", i, err, c->err);
		if (!err) {
			assert_int_equal(c->kind, t.kind);
			assert_string_equal(c->dial_uri, t.dial_uri);
			assert_string_equal(c->req_uri, t.req_uri);
			assert_string_equal(c->next_hop, t.next_hop);
		}
		policy_reset(&p);
	}
}

struct to_case {
	const char *conf;
	const char *dialled;
	const char *req_uri;
	enum policy_signalling_profile profile;
	int err;
	const char *to;
};

static const struct to_case to_cases[] = {
	/* the Request-URI shows the digits: the To repeats it */
	{"", "911", "sip:911@sbc.example.com", POLICY_PROFILE_RFC6881, 0,
	 "sip:911@sbc.example.com"},
	{"emergency_route tel:911\nemergency_proxy sip:p.example\n", "911",
	 "tel:911", POLICY_PROFILE_RFC6881, 0, "tel:911"},
	{"", "911", "sip:911;phone-context=+1@sbc.example.com;user=phone",
	 POLICY_PROFILE_RFC6881, 0,
	 "sip:911;phone-context=+1@sbc.example.com;user=phone"},
	/* a service URN, a mask, another number: the digits in the To */
	{"", "911", "urn:service:sos", POLICY_PROFILE_RFC6881, 0,
	 "sip:911@example.com;user=dialstring"},
	{"dial_masks 9911:911\n", "9-911", "sip:911@sbc.example.com",
	 POLICY_PROFILE_RFC6881, 0, "sip:9911@example.com;user=dialstring"},
	{"dial_strings 911,112\n", "112", "sip:911@sbc.example.com",
	 POLICY_PROFILE_RFC6881, 0, "sip:112@example.com;user=dialstring"},
	/* the dial key is not part of the dial string */
	{"dial_masks 9911:911\n", "9911#", "urn:service:sos",
	 POLICY_PROFILE_RFC6881, 0, "sip:9911@example.com;user=dialstring"},
	/* microsoft repeats the Request-URI */
	{"dial_masks 9911:911\n", "9911",
	 "sip:911;phone-context=x@h;user=phone", POLICY_PROFILE_MICROSOFT, 0,
	 "sip:911;phone-context=x@h;user=phone"},
	/* the person dialled a URI: nothing else to show */
	{"", "urn:service:sos", "urn:service:sos", POLICY_PROFILE_RFC6881, 0,
	 "urn:service:sos"},
	{"", "911", "", POLICY_PROFILE_RFC6881, EINVAL, NULL},
};

static void test_to_uri(void **state)
{
	char buf[EMERGENCY_URI_MAX];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(to_cases); i++) {
		const struct to_case *c = &to_cases[i];
		struct dial_result d;
		struct policy p;
		int err;

		policy_from(&p, c->conf);
		assert_int_equal(0, dialplan_classify(&p, c->dialled, &d));
		err = emergency_to_uri_make(
			buf, sizeof(buf), c->req_uri, &d, c->profile,
			"\"Alice\" <sip:alice@example.com>");
		if (err != c->err)
			fail_msg("case %zu: err %d, want %d", i, err, c->err);
		if (!err)
			assert_string_equal(c->to, buf);
		policy_reset(&p);
	}

	/* no host to put the digits under */
	{
		struct dial_result d;
		struct policy p;

		policy_from(&p, "");
		assert_int_equal(0, dialplan_classify(&p, "911", &d));
		assert_int_equal(EINVAL,
				 emergency_to_uri_make(
					 buf, sizeof(buf), "urn:service:sos",
					 &d, POLICY_PROFILE_RFC6881, "nohost"));
		assert_int_equal(EOVERFLOW, emergency_to_uri_make(
						    buf, 20, "urn:service:sos",
						    &d, POLICY_PROFILE_RFC6881,
						    "sip:a@example.com"));
		policy_reset(&p);
	}
}

struct hdr_case {
	struct emergency_header_params p;
	int err;
	const char *want;
};

static const struct hdr_case hdr_cases[] = {
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_BY_VALUE, "l1@example.com",
	  NULL, NULL, NULL, true},
	 0,
	 "Geolocation: <cid:l1@example.com>\r\n"
	 "Geolocation-Routing: yes\r\n"
	 "Priority: emergency\r\n"},
	/* by value plus the LIS's URI as a second value */
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_BY_VALUE, "l1@example.com",
	  "https://lis.example.com/l/1", NULL, "sip:5550001@example.com", true},
	 0,
	 "Geolocation: <cid:l1@example.com>, <https://lis.example.com/l/1>\r\n"
	 "Geolocation-Routing: yes\r\n"
	 "Priority: emergency\r\n"
	 "P-Asserted-Identity: <sip:5550001@example.com>\r\n"},
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_BY_REFERENCE, NULL,
	  "https://lis.example.com/l/1", NULL, NULL, false},
	 0,
	 "Geolocation: <https://lis.example.com/l/1>\r\n"
	 "Geolocation-Routing: yes\r\n"},
	/* no location: only the priority */
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_NONE, NULL, NULL, NULL,
	  NULL, true},
	 0,
	 "Priority: emergency\r\n"},
	/* standards.md §11 */
	{{POLICY_PROFILE_MICROSOFT, EMERGENCY_LOCATION_BY_VALUE,
	  "sip:alice@contoso.com", NULL, "sip:alice@contoso.com", NULL, true},
	 0,
	 "Geolocation: <cid:sip:alice@contoso.com>;"
	 "inserted-by=\"sip:alice@contoso.com\"\r\n"
	 "Geolocation-Routing: yes\r\n"
	 "Supported: geolocation\r\n"
	 "Priority: emergency\r\n"},
	/* values that would forge or break a header */
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_BY_VALUE, "a\r\nX: y",
	  NULL, NULL, NULL, true},
	 EINVAL,
	 NULL},
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_BY_REFERENCE, NULL, NULL,
	  NULL, NULL, true},
	 EINVAL,
	 NULL},
	{{POLICY_PROFILE_MICROSOFT, EMERGENCY_LOCATION_BY_VALUE, "c@d", NULL,
	  NULL, NULL, true},
	 EINVAL,
	 NULL},
	{{POLICY_PROFILE_RFC6881, EMERGENCY_LOCATION_NONE, NULL, NULL, NULL,
	  "sip:x>@y", true},
	 EINVAL,
	 NULL},
};

static void test_headers(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(hdr_cases); i++) {
		char *s = NULL;
		int err = re_sdprintf(&s, "%H", emergency_headers_print,
				      &hdr_cases[i].p);

		if (err != hdr_cases[i].err)
			fail_msg("case %zu: err %d", i, err);
		if (!err)
			assert_string_equal(hdr_cases[i].want, s);
		mem_deref(s);
	}
}

static void test_part_headers_and_ids(void **state)
{
	char buf[128], *s = NULL;
	(void)state;

	assert_int_equal(0, re_sdprintf(&s, "%H", emergency_part_headers_print,
					"l1@example.com"));
	assert_string_equal("Content-Type: application/pidf+xml\r\n"
			    "Content-ID: <l1@example.com>\r\n"
			    "Content-Disposition: by-reference;"
			    "handling=optional\r\n",
			    s);
	s = mem_deref(s);
	assert_int_equal(
		EINVAL,
		re_sdprintf(&s, "%H", emergency_part_headers_print, "a>b"));
	s = mem_deref(s);

	assert_int_equal(0, emergency_cid_make(buf, sizeof(buf),
					       POLICY_PROFILE_RFC6881, "e1-ab",
					       "sip:alice@example.com:5060"));
	assert_string_equal("e1-ab@example.com", buf);
	assert_int_equal(0, emergency_cid_make(buf, sizeof(buf),
					       POLICY_PROFILE_RFC6881, "x",
					       "<sip:bob@[2001:db8::1]>"));
	assert_string_equal("x@[2001:db8::1]", buf);
	assert_int_equal(0, emergency_cid_make(buf, sizeof(buf),
					       POLICY_PROFILE_MICROSOFT, "x",
					       "sip:alice@contoso.com"));
	assert_string_equal("sip:alice@contoso.com", buf);
	assert_int_equal(EINVAL, emergency_cid_make(buf, sizeof(buf),
						    POLICY_PROFILE_RFC6881,
						    "a@b", "sip:a@b"));
	assert_int_equal(EINVAL, emergency_cid_make(buf, sizeof(buf),
						    POLICY_PROFILE_RFC6881, "x",
						    "nope"));
	assert_int_equal(EOVERFLOW,
			 emergency_cid_make(buf, 8, POLICY_PROFILE_RFC6881,
					    "seed", "sip:a@example.com"));

	assert_int_equal(0,
			 emergency_elin_uri_make(buf, sizeof(buf), "4255550100",
						 "sip:alice@example.com"));
	assert_string_equal("sip:4255550100@example.com;user=phone", buf);
	assert_int_equal(EINVAL,
			 emergency_elin_uri_make(buf, sizeof(buf), "42a",
						 "sip:alice@example.com"));
}

struct devid_case {
	const char *json;
	int err;
	const char *want;
};

static const struct devid_case devid_cases[] = {
	/* the default route's interface wins over an earlier one */
	{"{\"interfaces\":[{\"name\":\"wlan0\",\"mac\":\"02:00:00:00:00:01\","
	 "\"up\":true},{\"name\":\"eth0\",\"mac\":\"00:1B:21:AA:bb:0C\","
	 "\"up\":true}],\"gateway\":{\"ip\":\"192.0.2.1\","
	 "\"interface\":\"eth0\"}}",
	 0, "mac:001b21aabb0c"},
	/* the evidence's interface (the LIS is told of it) wins; without
	 * a MAC of its own the default route's is taken */
	{"{\"interfaces\":[{\"name\":\"wlan0\",\"mac\":\"02:00:00:00:00:01\","
	 "\"up\":true},{\"name\":\"eth0\",\"mac\":\"00:1B:21:AA:bb:0C\","
	 "\"up\":true}],\"gateway\":{\"ip\":\"192.0.2.1\","
	 "\"interface\":\"eth0\"},\"evidence\":{\"interface\":\"wlan0\","
	 "\"mac\":\"02:00:00:00:00:01\"}}",
	 0, "mac:020000000001"},
	{"{\"interfaces\":[{\"name\":\"wlan0\",\"mac\":\"02:00:00:00:00:01\","
	 "\"up\":true},{\"name\":\"eth0\",\"mac\":\"00:1B:21:AA:bb:0C\","
	 "\"up\":true}],\"gateway\":{\"ip\":\"192.0.2.1\","
	 "\"interface\":\"eth0\"},\"evidence\":{\"interface\":\"ppp0\","
	 "\"mac\":null}}",
	 0, "mac:001b21aabb0c"},
	/* no gateway: the first interface that is up, loopback's zero MAC
	 * skipped */
	{"{\"interfaces\":[{\"name\":\"lo\",\"mac\":\"00:00:00:00:00:00\","
	 "\"up\":true},{\"name\":\"eth1\",\"mac\":\"00:11:22:33:44:55\","
	 "\"up\":false},{\"name\":\"eth0\",\"mac\":\"00:11:22:33:44:66\","
	 "\"up\":true}],\"gateway\":null}",
	 0, "mac:001122334466"},
	{"{\"interfaces\":[{\"name\":\"lo\",\"up\":true}],\"gateway\":null}",
	 ENOENT, NULL},
	{"{\"interfaces\":[{\"name\":\"e\",\"mac\":\"00:11:22:33:44\","
	 "\"up\":true},{\"name\":\"f\",\"mac\":\"zz:11:22:33:44:55\","
	 "\"up\":true}]}",
	 ENOENT, NULL},
	{"{}", ENOENT, NULL},
};

static void test_device_id(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(devid_cases); i++) {
		struct odict *od = NULL;
		char buf[32] = "";

		assert_int_equal(
			0, json_decode_odict(&od, 16, devid_cases[i].json,
					     strlen(devid_cases[i].json), 8));
		assert_int_equal(devid_cases[i].err,
				 emergency_device_id(buf, sizeof(buf), od));
		if (devid_cases[i].want)
			assert_string_equal(devid_cases[i].want, buf);
		mem_deref(od);
	}
}

static void test_notice(void **state)
{
	struct location loc;
	struct emergency_notice n = {
		.caller_name = "Alice",
		.caller_uri = "sip:alice@example.com",
		.number = "9911",
		.when = 1700000000,
	};
	char *s = NULL;
	(void)state;

	assert_int_equal(0, re_sdprintf(&s, "%H", emergency_notice_print, &n));
	assert_string_equal("Emergency call to 9911 from Alice "
			    "<sip:alice@example.com> at 2023-11-14T22:13:20Z.\n"
			    "Location: none was available; the dispatcher "
			    "will ask.\n",
			    s);
	s = mem_deref(s);

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_A3, "Redmond"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_RD, "163rd"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_HNO, "3910"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_FLR, "2"));
	loc.geo.shape = GEO_CIRCLE;
	loc.geo.crs = GEO_CRS_2D;
	loc.geo.pos.lat = 47.64;
	loc.geo.pos.lon = -122.13;
	loc.geo.radius = 30;
	assert_int_equal(0, location_set_method(&loc, "Wiremap"));
	assert_int_equal(0, location_set_elin(&loc, "4255550100"));
	loc.validated = true;

	n.loc = &loc;
	n.test = true;
	n.caller_name = NULL;
	assert_int_equal(0, re_sdprintf(&s, "%H", emergency_notice_print, &n));
	assert_string_equal("Test emergency call to 9911 from "
			    "sip:alice@example.com at 2023-11-14T22:13:20Z.\n"
			    "Location: 3910 163rd, Redmond, US, floor 2; "
			    "Circle at 47.640000, -122.130000, within 30 m "
			    "(Wiremap, validated).\n"
			    "ELIN: 4255550100.\n",
			    s);
	s = mem_deref(s);
	location_reset(&loc);

	n.caller_uri = NULL;
	assert_int_equal(EINVAL,
			 re_sdprintf(&s, "%H", emergency_notice_print, &n));
	mem_deref(s);
}

/* The location in words for the caller's screen: parts inside a building
 * say what they are; coordinates alone; nothing for an empty record. */
static void test_place_words(void **state)
{
	struct location loc;
	char *s = NULL;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, re_sdprintf(&s, "%H", emergency_place_print, &loc));
	assert_string_equal("", s);
	s = mem_deref(s);

	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_A3, "Redmond"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_RD, "Microsoft"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_STS, "Way"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_HNO, "1"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_ROOM, "3.141"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_UNIT, "B"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_FLR, "3"));
	assert_int_equal(0, re_sdprintf(&s, "%H", emergency_place_print, &loc));
	assert_string_equal("1 Microsoft Way, unit B, room 3.141, Redmond, US, "
			    "floor 3",
			    s);
	s = mem_deref(s);
	location_reset(&loc);

	loc.geo.shape = GEO_POINT;
	loc.geo.crs = GEO_CRS_2D;
	loc.geo.pos.lat = -33.856784;
	loc.geo.pos.lon = 151.215297;
	assert_int_equal(0, re_sdprintf(&s, "%H", emergency_place_print, &loc));
	assert_string_equal("Point at -33.856784, 151.215297", s);
	s = mem_deref(s);

	assert_int_equal(EINVAL,
			 re_sdprintf(&s, "%H", emergency_place_print, NULL));
	mem_deref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_plan),
		cmocka_unit_test(test_to_uri),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_part_headers_and_ids),
		cmocka_unit_test(test_device_id),
		cmocka_unit_test(test_notice),
		cmocka_unit_test(test_place_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
