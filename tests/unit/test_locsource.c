/* Unit tests for locsource: requests from snapshots, LLDP-MED records and
 * the choice between sources. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <math.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "evidence.h"
#include "location.h"
#include "held.h"
#include "locsource.h"

/* eth0 10.1.2.30/24 via 10.1.2.1, MAC 02:00:00:00:00:0a. */
static void office(struct netsnap *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->ifc = 1;
	str_ncpy(snap->ifs[0].name, "eth0", sizeof(snap->ifs[0].name));
	snap->ifs[0].ifindex = 2;
	snap->ifs[0].has_mac = true;
	memcpy(snap->ifs[0].mac, "\x02\x00\x00\x00\x00\x0a", 6);
	snap->ifs[0].type = "ethernet";
	snap->ifs[0].up = true;
	snap->ifs[0].addrc = 1;
	snap->ifs[0].addrs[0].family = AF_INET;
	snap->ifs[0].addrs[0].prefixlen = 24;
	memcpy(snap->ifs[0].addrs[0].addr, "\x0a\x01\x02\x1e", 4);
	snap->gateway.present = true;
	snap->gateway.family = AF_INET;
	memcpy(snap->gateway.ip, "\x0a\x01\x02\x01", 4);
	snap->gateway.ifindex = 2;
	snap->subnet.present = true;
	snap->subnet.family = AF_INET;
	snap->subnet.prefixlen = 24;
	memcpy(snap->subnet.addr, "\x0a\x01\x02\x1e", 4);
}

static void switch_frame(struct lldp_frame *f, bool civic, bool coord)
{
	memset(f, 0, sizeof(*f));
	f->chassis.subtype = LLDP_CHASSIS_MAC;
	f->chassis.len = 6;
	memcpy(f->chassis.raw, "\x00\x11\x22\x33\x44\x55", 6);
	lldp_id_text(&f->chassis, true);
	f->port.subtype = LLDP_PORT_IFNAME;
	f->port.len = 7;
	memcpy(f->port.raw, "Gi1/0/7", 7);
	lldp_id_text(&f->port, false);
	f->ttl = 120;
	str_ncpy(f->sys_name, "sw-3f", sizeof(f->sys_name));
	f->med.has_caps = true;
	if (civic) {
		f->med.has_civic = true;
		assert_int_equal(0, civic_set_str(&f->med.civic.civic,
						  CIVIC_COUNTRY, "US"));
		assert_int_equal(0, civic_set_str(&f->med.civic.civic, CIVIC_A3,
						  "Redmond"));
	}
	if (coord) {
		f->med.has_coord = true;
		f->med.coord.latitude = 47.6423;
		f->med.coord.longitude = -122.1391;
		f->med.coord.alt_type = LLDP_MED_ALT_METRES;
		f->med.coord.altitude = 40;
		f->med.coord.datum = LLDP_MED_DATUM_WGS84;
	}
}

static void request_from_office(void **state)
{
	struct locsource_request r;
	struct evidence_heard h;
	struct lldp_frame f;
	struct netsnap snap;
	struct evidence ev;
	struct sa want;
	(void)state;

	office(&snap);
	switch_frame(&f, false, false);
	h = (struct evidence_heard){.ifindex = 2, .lldp = &f};
	assert_int_equal(0, evidence_choose(&ev, &snap, &h, 1));
	assert_int_equal(
		0, locsource_request(&r, &ev, "sip:a@b",
				     HELD_RESPONSE_TIME_EMERGENCY_DISPATCH));

	assert_int_equal(0, sa_set_str(&want, "10.1.2.30", 0));
	assert_true(sa_cmp(&want, &r.req.ip, SA_ADDR));
	assert_true(r.req.has_mac);
	assert_memory_equal("\x02\x00\x00\x00\x00\x0a", r.req.mac, 6);
	assert_string_equal("sip:a@b", r.req.uri);
	assert_ptr_equal(&r.lldp, r.req.lldp);
	assert_int_equal(LLDP_CHASSIS_MAC, r.lldp.chassis_type);
	assert_int_equal(7, r.lldp.port_len);
	assert_memory_equal("Gi1/0/7", r.lldp.port, 7);
	assert_int_equal(0, r.req.apc);
	lldp_frame_reset(&f);
}

static void request_with_wifi(void **state)
{
	struct locsource_request r;
	struct evidence_heard h;
	struct netsnap snap;
	struct evidence ev;
	struct wifi_bss bss;
	(void)state;

	office(&snap);
	memset(&bss, 0, sizeof(bss));
	bss.ifindex = 2;
	bss.associated = true;
	memcpy(bss.bssid, "\x00\x1a\x2b\x3c\x4d\x5e", 6);
	str_ncpy(bss.ssid, "Corp", sizeof(bss.ssid));
	bss.has_ssid = true;
	bss.ssid_exact = true;
	bss.channel = 36;
	bss.has_signal = true;
	bss.signal_mbm = -6200;
	h = (struct evidence_heard){.ifindex = 2, .bss = &bss};
	assert_int_equal(0, evidence_choose(&ev, &snap, &h, 1));

	assert_int_equal(
		0, locsource_request(&r, &ev, NULL,
				     HELD_RESPONSE_TIME_EMERGENCY_ROUTING));
	assert_null(r.req.lldp);
	assert_int_equal(1, r.req.apc);
	assert_true(r.ap.serving);
	assert_int_equal(36, r.ap.channel);
	assert_int_equal(-62, r.ap.signal_dbm);
	assert_int_equal(4, r.ap.ssid_len);
	assert_memory_equal("\x00\x1a\x2b\x3c\x4d\x5e", r.ap.bssid, 6);
}

static void vpn_or_nothing_refused(void **state)
{
	struct locsource_request r;
	struct netsnap snap;
	struct evidence ev;
	(void)state;

	office(&snap);
	snap.vpn = true;
	assert_int_equal(0, evidence_choose(&ev, &snap, NULL, 0));
	assert_int_equal(EPERM, locsource_request(&r, &ev, NULL,
						  HELD_RESPONSE_TIME_NONE));

	memset(&snap, 0, sizeof(snap));
	assert_int_equal(ENOENT, evidence_choose(&ev, &snap, NULL, 0));
	assert_int_equal(ENOENT, locsource_request(&r, &ev, NULL,
						   HELD_RESPONSE_TIME_NONE));
}

static void lldp_med_record(void **state)
{
	struct location loc;
	struct lldp_frame f;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	switch_frame(&f, true, true);
	assert_int_equal(0, locsource_from_lldp(&loc, &f, 1000));
	assert_int_equal(LOCATION_SOURCE_LLDP_MED, loc.source);
	assert_string_equal("Redmond", civic_get(&loc.civic, CIVIC_A3));
	assert_int_equal(GEO_POINT, loc.geo.shape);
	assert_int_equal(GEO_CRS_3D, loc.geo.crs);
	assert_true(loc.geo.pos.lon < -122);
	assert_string_equal("LLDP-MED", loc.method);
	assert_string_equal("sw-3f", loc.provided_by);
	assert_int_equal(1120, loc.expires);
	assert_false(loc.validated);
	location_reset(&loc);
	lldp_frame_reset(&f);

	switch_frame(&f, false, false);
	assert_int_equal(ENOENT, locsource_from_lldp(&loc, &f, 1000));
	lldp_frame_reset(&f);
}

/* LLDP-MED's fixed point (2^-25 degrees, 2^-8 m) gives back the digits
 * the switch was given, whether it rounded or truncated them
 * (issue 11 item 8). */
static void lldp_med_digits_kept(void **state)
{
	static const struct {
		double lat, lon, alt;
	} cases[] = {
		{47.640068, -122.129858, 40},	    {47.6423, -122.1391, 12.3},
		{-33.8567844, 151.2152967, -3.75},  {0, -0.0000001, 0.5},
		{89.9999999, 179.9999999, 8848.86},
	};
	struct location loc;
	struct lldp_frame f;
	size_t i, k;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (k = 0; k < 2; k++) {
			double (*fix)(double) = k ? trunc : round;

			switch_frame(&f, false, true);
			f.med.coord.latitude =
				ldexp(fix(ldexp(cases[i].lat, 25)), -25);
			f.med.coord.longitude =
				ldexp(fix(ldexp(cases[i].lon, 25)), -25);
			f.med.coord.altitude =
				ldexp(fix(ldexp(cases[i].alt, 8)), -8);
			assert_int_equal(0,
					 locsource_from_lldp(&loc, &f, 1000));
			if (loc.geo.pos.lat != cases[i].lat ||
			    loc.geo.pos.lon != cases[i].lon ||
			    loc.geo.pos.alt != cases[i].alt) {
				print_error("%.10f %.10f %.4f from %.10f %.10f "
					    "%.4f\n",
					    loc.geo.pos.lat, loc.geo.pos.lon,
					    loc.geo.pos.alt, cases[i].lat,
					    cases[i].lon, cases[i].alt);
				fail();
			}
			location_reset(&loc);
			lldp_frame_reset(&f);
		}
	}
}

/* Which sources are there, and what the choice must be. */
struct choice_case {
	const char *name;
	bool attached, vpn, lis_loc, lldp_loc, manual_loc;
	enum locsource_lis lis;
	const char *lis_detail;
	const char *manual_name;
	enum location_source want;
	bool ask;
	const char *reason;
};

static const struct choice_case choice_cases[] = {
	{"the LIS first, over everything", true, false, true, true, true,
	 LOCSOURCE_LIS_FOUND, NULL, "Home", LOCATION_SOURCE_LIS, false,
	 "the LIS located this device"},
	{"then the switch, saying why", true, false, true, true, false,
	 LOCSOURCE_LIS_FAILED, "timed out", NULL, LOCATION_SOURCE_LLDP_MED,
	 false,
	 "the LIS could not be reached (timed out); the switch's LLDP-MED "
	 "location is used"},
	{"the switch over a saved location (design.md §6)", true, false, false,
	 true, true, LOCSOURCE_LIS_UNKNOWN, NULL, "Home",
	 LOCATION_SOURCE_LLDP_MED, false,
	 "the LIS does not know this network; the switch's LLDP-MED "
	 "location is used"},
	{"never anything automatic on VPN", true, true, true, true, false,
	 LOCSOURCE_LIS_FOUND, NULL, NULL, LOCATION_SOURCE_NONE, true,
	 "on VPN: the network cannot say where you are"},
	{"on VPN the saved location", true, true, true, true, true,
	 LOCSOURCE_LIS_FOUND, NULL, "Home", LOCATION_SOURCE_MANUAL, false,
	 "on VPN: the network cannot say where you are; your saved location "
	 "\"Home\" is used"},
	{"locationUnknown: the entered location", true, false, false, false,
	 true, LOCSOURCE_LIS_UNKNOWN, NULL, NULL, LOCATION_SOURCE_MANUAL, false,
	 "the LIS does not know this network, and the switch sent no "
	 "location; the location you entered is used"},
	{"notLocatable: the saved location", true, false, false, false, true,
	 LOCSOURCE_LIS_NOT_HERE, "not here", "Office", LOCATION_SOURCE_MANUAL,
	 false,
	 "the LIS does not serve this network (not here), and the switch "
	 "sent no location; your saved location \"Office\" is used"},
	{"unreachable LIS: the saved location", true, false, false, false, true,
	 LOCSOURCE_LIS_FAILED, NULL, "Home", LOCATION_SOURCE_MANUAL, false,
	 "the LIS could not be reached, and the switch sent no location; "
	 "your saved location \"Home\" is used"},
	{"the saved location while the LIS is asked", true, false, false, false,
	 true, LOCSOURCE_LIS_PENDING, NULL, "Home", LOCATION_SOURCE_MANUAL,
	 false,
	 "the LIS has not answered yet, and the switch sent no location; "
	 "your saved location \"Home\" is used"},
	{"nothing at all: ask", true, false, false, false, false,
	 LOCSOURCE_LIS_UNKNOWN, NULL, NULL, LOCATION_SOURCE_NONE, true,
	 "the LIS does not know this network, and the switch sent no "
	 "location"},
	{"no LIS, nothing: ask", true, false, false, false, false,
	 LOCSOURCE_LIS_NONE, NULL, NULL, LOCATION_SOURCE_NONE, true,
	 "no LIS configured, and the switch sent no location"},
	{"the LIS is still asked: wait", true, false, false, false, false,
	 LOCSOURCE_LIS_PENDING, NULL, NULL, LOCATION_SOURCE_NONE, false,
	 "the LIS has not answered yet, and the switch sent no location"},
	{"no network: nobody to ask about", false, false, false, false, false,
	 LOCSOURCE_LIS_NONE, NULL, NULL, LOCATION_SOURCE_NONE, false,
	 "no LIS configured, and the switch sent no location"},
	{"a found LIS without a value does not count", true, false, false,
	 false, false, LOCSOURCE_LIS_FOUND, NULL, NULL, LOCATION_SOURCE_NONE,
	 true, "the LIS located this device, and the switch sent no location"},
};

static void choice_order(void **state)
{
	struct location lis, lldp, manual, out;
	struct civic home;
	struct lldp_frame f;
	char reason[320];
	size_t i;
	(void)state;

	memset(&lis, 0, sizeof(lis));
	memset(&lldp, 0, sizeof(lldp));
	memset(&manual, 0, sizeof(manual));
	memset(&out, 0, sizeof(out));
	memset(&home, 0, sizeof(home));
	switch_frame(&f, true, false);
	assert_int_equal(0, locsource_from_lldp(&lldp, &f, 1000));
	lis.source = LOCATION_SOURCE_LIS;
	lis.validated = true;
	assert_int_equal(0, civic_set_str(&lis.civic, CIVIC_HNO, "1"));
	assert_int_equal(0, civic_set_str(&home, CIVIC_COUNTRY, "DE"));
	assert_int_equal(0, locsource_manual(&manual, &home, NULL, 2000));

	for (i = 0; i < ARRAY_SIZE(choice_cases); i++) {
		const struct choice_case *c = &choice_cases[i];
		const struct locsource_inputs in = {
			.attached = c->attached,
			.vpn = c->vpn,
			.lis = c->lis,
			.lis_detail = c->lis_detail,
			.lis_loc = c->lis_loc ? &lis : NULL,
			.lldp_loc = c->lldp_loc ? &lldp : NULL,
			.manual_loc = c->manual_loc ? &manual : NULL,
			.manual_name = c->manual_name,
		};

		print_message("case: %s\n", c->name);
		assert_int_equal(
			0, locsource_choose(&out, reason, sizeof(reason), &in));
		assert_int_equal(c->want, out.source);
		assert_int_equal(c->want != LOCATION_SOURCE_NONE,
				 location_has_value(&out));
		assert_string_equal(c->reason, reason);
		assert_int_equal(c->ask, locsource_ask(&in, &out));
	}

	assert_int_equal(EINVAL,
			 locsource_choose(&out, reason, sizeof(reason), NULL));
	assert_false(locsource_ask(NULL, NULL));

	civic_reset(&home);
	location_reset(&lis);
	location_reset(&lldp);
	location_reset(&manual);
	location_reset(&out);
	lldp_frame_reset(&f);
}

/* Issue 11 item 3: which LIS answer survives a failed ask. */
static void lis_keep_rule(void **state)
{
	struct location loc;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_HNO, "1"));
	loc.source = LOCATION_SOURCE_LIS;
	loc.obtained_at = 1000;
	loc.expires = 4600;

	/* unexpired, same network: in force */
	assert_int_equal(LOCSOURCE_KEEP_VALID,
			 locsource_lis_keep(&loc, "ab12", "ab12", 1001));
	assert_int_equal(LOCSOURCE_KEEP_VALID,
			 locsource_lis_keep(&loc, "ab12", "ab12", 4599));
	/* expired at its expiry, same network: a last resort */
	assert_int_equal(LOCSOURCE_KEEP_EXPIRED,
			 locsource_lis_keep(&loc, "ab12", "ab12", 4600));
	assert_int_equal(LOCSOURCE_KEEP_EXPIRED,
			 locsource_lis_keep(&loc, "ab12", "ab12", 99999));
	/* another network never inherits it, fresh or not */
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, "ab12", "cd34", 1001));
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, "ab12", "cd34", 99999));
	/* nor a network not identified, nor an answer of none */
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, "ab12", "", 1001));
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, "ab12", NULL, 1001));
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, "", "", 1001));
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, NULL, "ab12", 1001));
	/* no expiry known: as the cache, unexpired */
	loc.expires = 0;
	assert_int_equal(LOCSOURCE_KEEP_VALID,
			 locsource_lis_keep(&loc, "ab12", "ab12", 99999));
	location_reset(&loc);
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(&loc, "ab12", "ab12", 1001));
	assert_int_equal(LOCSOURCE_KEEP_NONE,
			 locsource_lis_keep(NULL, "ab12", "ab12", 1001));
}

/* What a failed ask leaves chosen, and what it says. */
struct kept_case {
	const char *name;
	enum locsource_lis lis;
	const char *fp;
	time_t now;
	bool lldp, manual, vpn;
	enum location_source want;
	enum locsource_keep stale;
	const char *reason;
};

static const struct kept_case kept_cases[] = {
	{"503 before expiry: the answer stays, over the switch",
	 LOCSOURCE_LIS_FAILED, "ab12", 2000, true, true, false,
	 LOCATION_SOURCE_LIS, LOCSOURCE_KEEP_VALID,
	 "the LIS could not confirm its answer (HTTP 503); it stays in force "
	 "until 1970-01-01T01:16:40Z"},
	{"expired: the switch first", LOCSOURCE_LIS_FAILED, "ab12", 5000, true,
	 false, false, LOCATION_SOURCE_LLDP_MED, LOCSOURCE_KEEP_NONE,
	 "the LIS could not be reached (HTTP 503); the switch's LLDP-MED "
	 "location is used"},
	{"expired: the person's location first", LOCSOURCE_LIS_FAILED, "ab12",
	 5000, false, true, false, LOCATION_SOURCE_MANUAL, LOCSOURCE_KEEP_NONE,
	 "the LIS could not be reached (HTTP 503), and the switch sent no "
	 "location; your saved location \"Home\" is used"},
	{"expired, nothing else: the last resort", LOCSOURCE_LIS_FAILED, "ab12",
	 5000, false, false, false, LOCATION_SOURCE_LIS, LOCSOURCE_KEEP_EXPIRED,
	 "the LIS could not be reached (HTTP 503), and the switch sent no "
	 "location; the LIS's last answer for this network expired at "
	 "1970-01-01T01:16:40Z and is used as a last resort"},
	{"another network: nothing inherited", LOCSOURCE_LIS_FAILED, "cd34",
	 2000, false, false, false, LOCATION_SOURCE_NONE, LOCSOURCE_KEEP_NONE,
	 "the LIS could not be reached (HTTP 503), and the switch sent no "
	 "location"},
	{"another network, expired: nothing", LOCSOURCE_LIS_FAILED, "cd34",
	 5000, true, false, false, LOCATION_SOURCE_LLDP_MED,
	 LOCSOURCE_KEEP_NONE,
	 "the LIS could not be reached (HTTP 503); the switch's LLDP-MED "
	 "location is used"},
	{"locationUnknown is an answer, not a failure", LOCSOURCE_LIS_UNKNOWN,
	 "ab12", 2000, false, false, false, LOCATION_SOURCE_NONE,
	 LOCSOURCE_KEEP_NONE,
	 "the LIS does not know this network (HTTP 503), and the switch sent "
	 "no location"},
	{"never on VPN", LOCSOURCE_LIS_FAILED, "ab12", 2000, false, false, true,
	 LOCATION_SOURCE_NONE, LOCSOURCE_KEEP_NONE,
	 "on VPN: the network cannot say where you are"},
};

static void kept_choice(void **state)
{
	struct location lis, lldp, manual, out;
	struct civic home;
	struct lldp_frame f;
	char reason[320];
	size_t i;
	(void)state;

	memset(&lis, 0, sizeof(lis));
	memset(&lldp, 0, sizeof(lldp));
	memset(&manual, 0, sizeof(manual));
	memset(&out, 0, sizeof(out));
	memset(&home, 0, sizeof(home));
	switch_frame(&f, true, false);
	assert_int_equal(0, locsource_from_lldp(&lldp, &f, 1000));
	lis.source = LOCATION_SOURCE_LIS;
	lis.validated = true;
	lis.obtained_at = 1000;
	lis.expires = 4600;
	assert_int_equal(0, civic_set_str(&lis.civic, CIVIC_HNO, "1"));
	assert_int_equal(0, civic_set_str(&home, CIVIC_COUNTRY, "DE"));
	assert_int_equal(0, locsource_manual(&manual, &home, NULL, 2000));

	for (i = 0; i < ARRAY_SIZE(kept_cases); i++) {
		const struct kept_case *c = &kept_cases[i];
		const struct locsource_inputs in = {
			.attached = true,
			.vpn = c->vpn,
			.lis = c->lis,
			.lis_detail = "HTTP 503",
			.lis_loc = &lis,
			.lldp_loc = c->lldp ? &lldp : NULL,
			.manual_loc = c->manual ? &manual : NULL,
			.manual_name = "Home",
			.lis_fp = "ab12",
			.fp = c->fp,
			.now = c->now,
		};

		print_message("case: %s\n", c->name);
		assert_int_equal(
			0, locsource_choose(&out, reason, sizeof(reason), &in));
		assert_int_equal(c->want, out.source);
		assert_string_equal(c->reason, reason);
		assert_int_equal(c->stale, locsource_stale(&in, &out));
		/* a kept answer is the LIS's own, its time untouched */
		if (c->want == LOCATION_SOURCE_LIS) {
			assert_true(location_equal(&lis, &out));
			assert_int_equal(1000, out.obtained_at);
			assert_false(locsource_ask(&in, &out));
		}
	}
	assert_int_equal(LOCSOURCE_KEEP_NONE, locsource_stale(NULL, &out));

	civic_reset(&home);
	location_reset(&lis);
	location_reset(&lldp);
	location_reset(&manual);
	location_reset(&out);
	lldp_frame_reset(&f);
}

static void manual_record(void **state)
{
	const struct geo_pos pos = {47.6397, -122.1283, 0};
	const struct geo_pos far = {91.0, 0, 0};
	struct location loc;
	struct civic c;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	memset(&c, 0, sizeof(c));

	/* nothing typed: nothing to use */
	assert_int_equal(EINVAL, locsource_manual(&loc, &c, NULL, 5));
	assert_int_equal(EINVAL, locsource_manual(NULL, &c, NULL, 5));

	assert_int_equal(0, civic_set_str(&c, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&c, CIVIC_HNO, "1"));
	assert_int_equal(0, locsource_manual(&loc, &c, &pos, 5));
	assert_int_equal(LOCATION_SOURCE_MANUAL, loc.source);
	assert_string_equal("Manual", loc.method);
	assert_false(loc.validated);
	assert_int_equal(5, loc.obtained_at);
	assert_int_equal(0, loc.expires);
	assert_true(civic_equal(&c, &loc.civic));
	assert_int_equal(GEO_POINT, loc.geo.shape);
	assert_int_equal(GEO_CRS_2D, loc.geo.crs);
	assert_true(loc.geo.pos.lat > 47.6 && loc.geo.pos.lon < -122.1);

	/* a point off the globe: refused, the record left empty */
	assert_int_equal(EINVAL, locsource_manual(&loc, &c, &far, 5));
	assert_false(location_has_value(&loc));
	assert_null(loc.method);

	civic_reset(&c);
	location_reset(&loc);
}

/* location.set arguments and what must come of them. */
static const struct {
	const char *json;
	int err;
	const char *why;     /* EINVAL: the words exactly */
	const char *country; /* 0: after normalising */
	const char *hno;
	bool point;
} set_cases[] = {
	{"{\"HNO\":\" 1 \",\"RD\":\"Microsoft\",\"STS\":\"Way\","
	 "\"A3\":\"Redmond\",\"A1\":\"WA\",\"country\":\"us\",\"FLR\":\"3\"}",
	 0, NULL, "US", "1", false},
	{"{\"LOC\":\"Hut by the lake\",\"A3\":\"Nuuk\",\"A1\":\"SE\","
	 "\"country\":\"GL\",\"lat\":64.18,\"lon\":-51}",
	 0, NULL, "GL", NULL, true},
	{"{\"HNO\":\"1\",\"RD\":\"Microsoft\",\"country\":\"XX\"}", EINVAL,
	 "country: 'XX' is not an ISO 3166 alpha-2 code; A1: state or "
	 "province is required; A3: city is required",
	 NULL, NULL, false},
	{"{\"ZIP\":\"98052\"}", EINVAL, "ZIP: not an RFC 5139 civic element",
	 NULL, NULL, false},
	{"{\"HNO\":1}", EINVAL, "HNO: must be text", NULL, NULL, false},
	{"{\"lat\":\"north\"}", EINVAL, "lat: must be a number of degrees",
	 NULL, NULL, false},
	{"{\"HNO\":\"1\",\"HNO\":\"2\"}", EINVAL, "HNO: given twice", NULL,
	 NULL, false},
	{"{\"RD\":\"a\\u0001b\"}", EINVAL,
	 "RD: too long, or holds control characters", NULL, NULL, false},
	{"{\"LOC\":\"Hut\",\"A3\":\"Nuuk\",\"A1\":\"SE\",\"country\":\"GL\","
	 "\"lat\":64}",
	 EINVAL, "lat, lon: give both or neither", NULL, NULL, false},
	{"{\"LOC\":\"Hut\",\"A3\":\"Nuuk\",\"A1\":\"SE\",\"country\":\"GL\","
	 "\"lat\":91,\"lon\":0}",
	 EINVAL, "lat, lon: not a WGS 84 point", NULL, NULL, false},
	{"{}", EINVAL,
	 "country: country is required; A1: state or province is required; "
	 "A3: city is required; HNO: house number is required; RD: street "
	 "is required",
	 NULL, NULL, false},
};

static void manual_decode(void **state)
{
	struct location loc, keep;
	char why[512];
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	memset(&keep, 0, sizeof(keep));
	assert_int_equal(0, civic_set_str(&keep.civic, CIVIC_HNO, "kept"));

	for (i = 0; i < ARRAY_SIZE(set_cases); i++) {
		struct odict *od = NULL;
		int err;

		print_message("set: %s\n", set_cases[i].json);
		assert_int_equal(
			0, json_decode_odict(&od, 16, set_cases[i].json,
					     strlen(set_cases[i].json), 8));
		assert_int_equal(0, location_copy(&loc, &keep));
		err = locsource_manual_decode(&loc, od, 77, why, sizeof(why));
		assert_int_equal(set_cases[i].err, err);
		if (err) {
			assert_string_equal(set_cases[i].why, why);
			/* refused: what was there stays */
			assert_string_equal("kept",
					    civic_get(&loc.civic, CIVIC_HNO));
		} else {
			assert_int_equal(LOCATION_SOURCE_MANUAL, loc.source);
			assert_string_equal("Manual", loc.method);
			assert_int_equal(77, loc.obtained_at);
			assert_string_equal(
				set_cases[i].country,
				civic_get(&loc.civic, CIVIC_COUNTRY));
			if (set_cases[i].hno)
				assert_string_equal(
					set_cases[i].hno,
					civic_get(&loc.civic, CIVIC_HNO));
			assert_int_equal(set_cases[i].point ? GEO_POINT
							    : GEO_NONE,
					 loc.geo.shape);
		}
		location_reset(&loc);
		mem_deref(od);
	}

	assert_int_equal(EINVAL,
			 locsource_manual_decode(NULL, NULL, 0, NULL, 0));
	location_reset(&keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_from_office),
		cmocka_unit_test(lldp_med_digits_kept),
		cmocka_unit_test(request_with_wifi),
		cmocka_unit_test(vpn_or_nothing_refused),
		cmocka_unit_test(lldp_med_record),
		cmocka_unit_test(choice_order),
		cmocka_unit_test(lis_keep_rule),
		cmocka_unit_test(kept_choice),
		cmocka_unit_test(manual_record),
		cmocka_unit_test(manual_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
