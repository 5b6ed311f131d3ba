/*
 * Unit tests for the locator (client/lis/locator.c) driven without
 * sockets: its LIS is lisfake.c, answered by the test.  The choice
 * between the LIS's answer, the switch's LLDP-MED location and the
 * person's, failover from primary to secondary, notLocatable, stale
 * marking after a failed refresh, the cache and the state kept across
 * restarts.  (The decisions themselves: test_locrules.c.)
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "civic.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "location.h"
#include "held.h"
#include "evidence.h"
#include "locsource.h"
#include "locrules.h"
#include "lis_client.h"
#include "locator.h"
#include "lisfake.h"

#define HELD_NS	  "urn:ietf:params:xml:ns:geopriv:held"
#define PRIMARY	  "https://lis1.example/held"
#define SECONDARY "https://lis2.example/held"

/* A locationResponse with a civic address in city (own text). */
static void resp_found(char *buf, size_t sz, const char *city)
{
	re_snprintf(buf, sz,
		    "<locationResponse xmlns=\"" HELD_NS "\">"
		    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		    "entity=\"pres:d@lis.example\"><tuple id=\"t\"><status>"
		    "<geopriv xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10\">"
		    "<location-info><civicAddress xmlns=\"urn:ietf:params:xml:"
		    "ns:pidf:geopriv10:civicAddr\"><country>US</country>"
		    "<A1>WA</A1><A3>%s</A3><RD>Main</RD><HNO>1</HNO>"
		    "</civicAddress></location-info><usage-rules/>"
		    "<method>Wiremap</method></geopriv></status></tuple>"
		    "</presence></locationResponse>",
		    city);
}

#define ERROR_DOC(code)                                                        \
	"<error xmlns=\"" HELD_NS "\" code=\"" code "\">"                      \
	"<message>said " code "</message></error>"

/* What the locator told, and the person's location it is asked for. */
static struct {
	unsigned changes;
	char reason[320];
	struct location person;
	const char *person_name;
	const char *person_place; /* the place it was entered for */
	const char *place;	  /* where the device is now */
	char dir[64];		  /* scratch dir for state files */
} t;

static void changed(const struct location *loc, const char *reason, void *arg)
{
	(void)loc;
	(void)arg;

	++t.changes;
	str_ncpy(t.reason, reason, sizeof(t.reason));
}

/* As manual.c does: the person's location only on its own place. */
static void person(const struct location **locp, const char **namep, void *arg)
{
	const bool here = location_has_value(&t.person) && t.place &&
			  !str_cmp(t.place, t.person_place);
	(void)arg;

	*locp = here ? &t.person : NULL;
	*namep = here ? t.person_name : NULL;
}

static void person_set(const char *city, const char *name, const char *place)
{
	struct civic c;

	memset(&c, 0, sizeof(c));
	assert_int_equal(0, civic_set_str(&c, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&c, CIVIC_A3, city));
	assert_int_equal(0, locsource_manual(&t.person, &c, NULL, 1000));
	civic_reset(&c);
	t.person_name = name;
	t.person_place = place;
}

/* eth0 10.1.<net>.30/24 via 10.1.<net>.1. */
static void office(struct netsnap *snap, uint8_t net)
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
	memcpy(snap->ifs[0].addrs[0].addr, "\x0a\x01\x00\x1e", 4);
	snap->ifs[0].addrs[0].addr[2] = net;
	snap->gateway.present = true;
	snap->gateway.family = AF_INET;
	memcpy(snap->gateway.ip, "\x0a\x01\x00\x01", 4);
	snap->gateway.ip[2] = net;
	snap->gateway.ifindex = 2;
	snap->subnet.present = true;
	snap->subnet.family = AF_INET;
	snap->subnet.prefixlen = 24;
	memcpy(snap->subnet.addr, snap->ifs[0].addrs[0].addr, 4);
}

/* A switch that sends a civic location in city (NULL: none). */
static void switch_frame(struct lldp_frame *f, const char *port,
			 const char *city)
{
	memset(f, 0, sizeof(*f));
	f->chassis.subtype = LLDP_CHASSIS_MAC;
	f->chassis.len = 6;
	memcpy(f->chassis.raw, "\x00\x11\x22\x33\x44\x55", 6);
	lldp_id_text(&f->chassis, true);
	f->port.subtype = LLDP_PORT_IFNAME;
	f->port.len = strlen(port);
	memcpy(f->port.raw, port, f->port.len);
	lldp_id_text(&f->port, false);
	f->ttl = 120;
	str_ncpy(f->sys_name, "sw-3f", sizeof(f->sys_name));
	f->med.has_caps = true;
	if (city) {
		f->med.has_civic = true;
		assert_int_equal(0, civic_set_str(&f->med.civic.civic,
						  CIVIC_COUNTRY, "US"));
		assert_int_equal(
			0, civic_set_str(&f->med.civic.civic, CIVIC_A3, city));
	}
}

/* The network changed to snap, the switch f (NULL: none) heard on eth0:
 * the evidence chosen as netdisc chooses it, handed to the locator. */
static void netchange(struct locator *l, const struct netsnap *snap,
		      const struct lldp_frame *f, const char *fp,
		      const char *aor)
{
	struct evidence_heard h = {.ifindex = 2, .lldp = f, .bss = NULL};
	struct evidence ev;

	assert_int_equal(0, evidence_choose(&ev, snap, &h, 1));
	locator_network(l, snap, &ev, fp, aor);
}

static struct locator *locator_new(bool lis, bool secondary,
				   const char *state_file)
{
	struct locator_config cfg;
	struct locator *l = NULL;

	memset(&cfg, 0, sizeof(cfg));
	cfg.lis_enabled = lis;
	cfg.lis.primary_url = PRIMARY;
	cfg.lis.secondary_url = secondary ? SECONDARY : NULL;
	cfg.refresh_s = 3600;
	if (state_file)
		str_ncpy(cfg.state_file, state_file, sizeof(cfg.state_file));

	assert_int_equal(0, locator_alloc(&l, &cfg, changed, person, NULL));
	return l;
}

/* Where the locator is now: the source, the city and the reason. */
static void expect(const struct locator *l, enum location_source src,
		   const char *city, const char *reason_part)
{
	const char *reason = NULL;
	const struct location *cur = locator_current(l, &reason);

	print_message("  now: %s \"%s\" (%s)\n",
		      location_source_name(cur->source),
		      civic_get(&cur->civic, CIVIC_A3)
			      ? civic_get(&cur->civic, CIVIC_A3)
			      : "",
		      reason);
	assert_int_equal(src, cur->source);
	if (city)
		assert_string_equal(city, civic_get(&cur->civic, CIVIC_A3));
	else
		assert_false(location_has_value(cur));
	if (reason_part)
		assert_non_null(strstr(reason, reason_part));
	/* the listener heard the same */
	assert_string_equal(reason, t.reason);
}

static int setup(void **state)
{
	(void)state;

	lisfake_reset();
	location_reset(&t.person);
	memset(&t, 0, sizeof(t));
	str_ncpy(t.dir, "/tmp/locphone-locator-XXXXXX", sizeof(t.dir));
	assert_non_null(mkdtemp(t.dir));
	return 0;
}

static int teardown(void **state)
{
	char path[128];
	(void)state;

	location_reset(&t.person);
	re_snprintf(path, sizeof(path), "%s/last", t.dir);
	(void)unlink(path);
	(void)rmdir(t.dir);
	return 0;
}

/*
 * The choice, as a table: what the LIS said, whether the switch sent a
 * location, whether the person has one for this place, VPN.
 */
enum lis_says { SAYS_NOTHING, NO_LIS, FOUND, UNKNOWN, NOTLOC, FAILS };

static void precedence(void **state)
{
	static const struct {
		enum lis_says lis;
		bool lldp, person, vpn;
		enum location_source want;
		const char *city;
		bool ask;
		const char *reason;
	} rows[] = {
		{FOUND, true, true, false, LOCATION_SOURCE_LIS, "Redmond",
		 false, "the LIS located this device"},
		{FOUND, false, false, false, LOCATION_SOURCE_LIS, "Redmond",
		 false, "the LIS located"},
		{SAYS_NOTHING, true, true, false, LOCATION_SOURCE_LLDP_MED,
		 "Kirkland", false, "has not answered yet; the switch's"},
		{SAYS_NOTHING, false, true, false, LOCATION_SOURCE_MANUAL,
		 "Home", false, "your saved location \"Home\" is used"},
		/* nothing yet, nothing to show: the answer is awaited */
		{SAYS_NOTHING, false, false, false, LOCATION_SOURCE_NONE, NULL,
		 false, "has not answered yet"},
		{UNKNOWN, true, true, false, LOCATION_SOURCE_LLDP_MED,
		 "Kirkland", false, "does not know this network (said"},
		{UNKNOWN, false, true, false, LOCATION_SOURCE_MANUAL, "Home",
		 false, "your saved location"},
		{UNKNOWN, false, false, false, LOCATION_SOURCE_NONE, NULL, true,
		 "does not know this network"},
		{NOTLOC, true, false, false, LOCATION_SOURCE_LLDP_MED,
		 "Kirkland", false, "does not serve this network"},
		{NOTLOC, false, true, false, LOCATION_SOURCE_MANUAL, "Home",
		 false, "does not serve this network"},
		{FAILS, true, true, false, LOCATION_SOURCE_LLDP_MED, "Kirkland",
		 false, "could not be reached (timed out)"},
		{FAILS, false, true, false, LOCATION_SOURCE_MANUAL, "Home",
		 false, "could not be reached"},
		{FAILS, false, false, false, LOCATION_SOURCE_NONE, NULL, true,
		 "could not be reached"},
		{NO_LIS, true, true, false, LOCATION_SOURCE_LLDP_MED,
		 "Kirkland", false, "no LIS configured"},
		{NO_LIS, false, true, false, LOCATION_SOURCE_MANUAL, "Home",
		 false, "no LIS configured"},
		{NO_LIS, false, false, false, LOCATION_SOURCE_NONE, NULL, true,
		 "no LIS configured"},
		/* on VPN nothing automatic, the LIS is not asked */
		{SAYS_NOTHING, true, true, true, LOCATION_SOURCE_MANUAL, "Home",
		 false, "on VPN"},
		{SAYS_NOTHING, true, false, true, LOCATION_SOURCE_NONE, NULL,
		 true, "on VPN"},
	};
	char body[2048];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct locator *l;
		struct lldp_frame f;
		struct netsnap snap;

		print_message("row %zu\n", i);
		lisfake_reset();
		l = locator_new(rows[i].lis != NO_LIS, false, NULL);
		if (rows[i].person)
			person_set("Home", "Home", "aa11");
		else
			location_reset(&t.person);
		t.place = "aa11";

		office(&snap, 2);
		snap.vpn = rows[i].vpn;
		switch_frame(&f, "Gi1/0/7", rows[i].lldp ? "Kirkland" : NULL);
		netchange(l, &snap, &f, "aa11", "sip:a@b.example");

		assert_int_equal(rows[i].lis != NO_LIS && !rows[i].vpn,
				 lisfake.queries);
		switch (rows[i].lis) {
		case FOUND:
			resp_found(body, sizeof(body), "Redmond");
			lisfake_answer(0, LIS_PRIMARY, 200, body, "");
			break;
		case UNKNOWN:
			lisfake_answer(0, LIS_PRIMARY, 200,
				       ERROR_DOC("locationUnknown"), "");
			break;
		case NOTLOC:
			lisfake_answer(0, LIS_PRIMARY, 200,
				       ERROR_DOC("notLocatable"), "");
			break;
		case FAILS:
			lisfake_answer(ETIMEDOUT, LIS_PRIMARY, 0, NULL,
				       "timed out");
			break;
		default:
			break;
		}

		expect(l, rows[i].want, rows[i].city, rows[i].reason);
		assert_int_equal(rows[i].ask, locator_ask(l));
		assert_false(locator_stale(l, NULL));
		if (rows[i].vpn)
			assert_int_equal(EPERM, locator_refresh(l, false));

		lldp_frame_reset(&f);
		mem_deref(l);
	}
}

/* The person's location for a known place: used there only, chosen again
 * when it changes, and the LIS's answer still wins over it. */
static void person_per_place(void **state)
{
	struct locator *l = locator_new(false, false, NULL);
	struct netsnap snap;
	(void)state;

	person_set("Home", "Home", "aa11");
	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	expect(l, LOCATION_SOURCE_MANUAL, "Home", "\"Home\" is used");
	assert_false(locator_ask(l));

	/* another place: never the other's address */
	t.place = "bb22";
	office(&snap, 3);
	netchange(l, &snap, NULL, "bb22", NULL);
	expect(l, LOCATION_SOURCE_NONE, NULL, "no LIS configured");
	assert_true(locator_ask(l));

	/* typed in here, not saved */
	person_set("Office", NULL, "bb22");
	locator_person_changed(l);
	expect(l, LOCATION_SOURCE_MANUAL, "Office",
	       "the location you entered is used");
	assert_false(locator_ask(l));

	/* deleted */
	location_reset(&t.person);
	locator_person_changed(l);
	expect(l, LOCATION_SOURCE_NONE, NULL, NULL);
	assert_true(locator_ask(l));
	mem_deref(l);

	/* with a LIS: its answer wins, the person's stands meanwhile */
	lisfake_reset();
	l = locator_new(true, false, NULL);
	person_set("Home", "Home", "aa11");
	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	expect(l, LOCATION_SOURCE_MANUAL, "Home", "has not answered yet");
	{
		char body[2048];

		resp_found(body, sizeof(body), "Redmond");
		lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	}
	expect(l, LOCATION_SOURCE_LIS, "Redmond", NULL);
	mem_deref(l);
}

/* notLocatable from the primary: the secondary is asked; from both: the
 * LIS is not asked again from this network, and is on the next one. */
static void primary_secondary(void **state)
{
	struct locator *l = locator_new(true, true, NULL);
	const char *reason;
	struct netsnap snap;
	char body[2048];
	(void)state;

	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	assert_int_equal(1, lisfake.queries);
	assert_non_null(strstr(lisfake.last_body, "locationRequest"));

	lisfake_answer(0, LIS_PRIMARY, 200, ERROR_DOC("notLocatable"), "");
	assert_true(lisfake.suppressed[LIS_PRIMARY]);
	assert_false(lisfake.suppressed[LIS_SECONDARY]);
	expect(l, LOCATION_SOURCE_NONE, NULL, "does not serve this network");

	/* asked again: the secondary answers */
	assert_int_equal(0, locator_refresh(l, false));
	assert_int_equal(2, lisfake.queries);
	resp_found(body, sizeof(body), "Redmond");
	lisfake_answer(0, LIS_SECONDARY, 200, body, "");
	expect(l, LOCATION_SOURCE_LIS, "Redmond", "the LIS located");
	assert_string_equal(SECONDARY, locator_current(l, NULL)->provided_by);

	/* the secondary says notLocatable too: no more asking from here */
	assert_int_equal(0, locator_refresh(l, true));
	assert_non_null(strstr(lisfake.last_body, "emergencyRouting"));
	lisfake_answer(0, LIS_SECONDARY, 200, ERROR_DOC("notLocatable"), "");
	assert_true(lisfake.suppressed[LIS_SECONDARY]);
	expect(l, LOCATION_SOURCE_NONE, NULL, "does not serve");
	assert_int_equal(EPERM, locator_refresh(l, false));
	assert_int_equal(3, lisfake.queries);
	(void)locator_current(l, &reason);
	assert_non_null(strstr(reason, "it said so before"));

	/* another network: both may be asked again */
	t.place = "bb22";
	office(&snap, 3);
	netchange(l, &snap, NULL, "bb22", NULL);
	assert_false(lisfake.suppressed[LIS_PRIMARY]);
	assert_false(lisfake.suppressed[LIS_SECONDARY]);
	assert_int_equal(4, lisfake.queries);
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	expect(l, LOCATION_SOURCE_LIS, "Redmond", NULL);
	assert_string_equal(PRIMARY, locator_current(l, NULL)->provided_by);

	/* ... and back: the primary said so there, the secondary too */
	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	assert_true(lisfake.suppressed[LIS_PRIMARY]);
	assert_true(lisfake.suppressed[LIS_SECONDARY]);
	mem_deref(l);
}

/* A refresh that fails leaves the answer in force, said to be stale; an
 * answer ends that.  A failure on another network keeps nothing. */
static void stale_after_failed_refresh(void **state)
{
	struct locator *l = locator_new(true, false, NULL);
	const char *err = "x";
	struct lldp_frame f;
	struct netsnap snap;
	char body[2048];
	(void)state;

	t.place = "aa11";
	office(&snap, 2);
	switch_frame(&f, "Gi1/0/7", "Kirkland");
	netchange(l, &snap, &f, "aa11", NULL);
	resp_found(body, sizeof(body), "Redmond");
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	expect(l, LOCATION_SOURCE_LIS, "Redmond", NULL);
	assert_false(locator_stale(l, &err));
	assert_null(err);
	assert_null(locator_lis_error(l));

	/* the refresh: the answer stands while asked */
	assert_int_equal(0, locator_refresh(l, false));
	expect(l, LOCATION_SOURCE_LIS, "Redmond", "the LIS located");
	lisfake_answer(ECONNREFUSED, LIS_PRIMARY, 0, NULL,
		       "LIS " PRIMARY " refused the connection");
	/* kept over the switch's, unconfirmed */
	expect(l, LOCATION_SOURCE_LIS, "Redmond",
	       "the LIS could not confirm its answer (LIS " PRIMARY
	       " refused the connection); it stays in force until");
	assert_true(locator_stale(l, &err));
	assert_string_equal("LIS " PRIMARY " refused the connection", err);
	assert_string_equal("LIS " PRIMARY " refused the connection",
			    locator_lis_error(l));

	/* a bad body is a failure too: still kept */
	assert_int_equal(0, locator_refresh(l, false));
	lisfake_answer(0, LIS_PRIMARY, 200, "<html/>", "");
	assert_true(locator_stale(l, &err));
	assert_non_null(strstr(err, "with a bad HELD body"));

	/* after a failure here the LIS is asked, not the cache */
	lldp_frame_reset(&f);
	switch_frame(&f, "Gi1/0/8", "Kirkland");
	netchange(l, &snap, &f, "aa11", NULL);
	assert_int_equal(4, lisfake.queries);
	assert_true(locator_stale(l, NULL));

	/* the LIS answers again: confirmed */
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	assert_false(locator_stale(l, NULL));
	assert_null(locator_lis_error(l));
	expect(l, LOCATION_SOURCE_LIS, "Redmond", "the LIS located");

	/* another network whose LIS fails: nothing of the last one */
	t.place = "bb22";
	office(&snap, 3);
	netchange(l, &snap, &f, "bb22", NULL);
	lisfake_answer(ETIMEDOUT, LIS_PRIMARY, 0, NULL, "timed out");
	assert_false(locator_stale(l, NULL));
	expect(l, LOCATION_SOURCE_LLDP_MED, "Kirkland", "could not be reached");

	lldp_frame_reset(&f);
	mem_deref(l);
}

/* An answer is kept per evidence: back on a port, no new query. */
static void cache(void **state)
{
	struct locator *l = locator_new(true, false, NULL);
	char body[2048], port7[sizeof(lisfake.last_body)];
	struct lldp_frame f7, f8;
	struct netsnap snap;
	(void)state;

	t.place = "aa11";
	office(&snap, 2);
	switch_frame(&f7, "Gi1/0/7", NULL);
	switch_frame(&f8, "Gi1/0/8", NULL);
	netchange(l, &snap, &f7, "aa11", NULL);
	resp_found(body, sizeof(body), "Redmond");
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");

	/* the same evidence again: nothing asked */
	str_ncpy(port7, lisfake.last_body, sizeof(port7));
	netchange(l, &snap, &f7, "aa11", NULL);
	assert_int_equal(1, lisfake.queries);

	/* another port: asked, the answer in hand stands meanwhile */
	netchange(l, &snap, &f8, "aa11", NULL);
	assert_int_equal(2, lisfake.queries);
	assert_string_not_equal(port7, lisfake.last_body);
	expect(l, LOCATION_SOURCE_LIS, "Redmond", NULL);
	resp_found(body, sizeof(body), "Bellevue");
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	expect(l, LOCATION_SOURCE_LIS, "Bellevue", NULL);

	/* back on port 7: the cache answers, the LIS is not asked */
	netchange(l, &snap, &f7, "aa11", NULL);
	assert_int_equal(2, lisfake.queries);
	assert_false(lisfake.pending);
	expect(l, LOCATION_SOURCE_LIS, "Redmond", "the LIS located");

	lldp_frame_reset(&f7);
	lldp_frame_reset(&f8);
	mem_deref(l);
}

/* The last good location is saved, and used again after a restart on the
 * same network only: while asking, and when the LIS fails. */
static void state_across_restarts(void **state)
{
	struct location loc;
	char path[128], fp[LOCRULES_FP_SIZE], buf[LOCRULES_STATE_MAX];
	struct netsnap snap;
	struct locator *l;
	char body[2048];
	struct mbuf *mb;
	struct stat st;
	FILE *fh;
	size_t n;
	(void)state;

	re_snprintf(path, sizeof(path), "%s/last", t.dir);
	l = locator_new(true, false, path);
	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	assert_int_equal(-1, stat(path, &st));
	resp_found(body, sizeof(body), "Redmond");
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	mem_deref(l);

	/* written, for the owner only, for this network */
	assert_int_equal(0, stat(path, &st));
	assert_int_equal(0600, st.st_mode & 0777);
	fh = fopen(path, "r");
	assert_non_null(fh);
	n = fread(buf, 1, sizeof(buf), fh);
	fclose(fh);
	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, locrules_state_decode(&loc, fp, buf, n));
	assert_string_equal("aa11", fp);
	assert_string_equal("Redmond", civic_get(&loc.civic, CIVIC_A3));

	/* restart on the same network: used while the LIS is asked */
	lisfake_reset();
	l = locator_new(true, false, path);
	netchange(l, &snap, NULL, "aa11", NULL);
	assert_int_equal(1, lisfake.queries);
	expect(l, LOCATION_SOURCE_LIS, "Redmond",
	       "remembered from the last run; asking again");
	/* the LIS fails: kept, unconfirmed */
	lisfake_answer(ETIMEDOUT, LIS_PRIMARY, 0, NULL, "timed out");
	expect(l, LOCATION_SOURCE_LIS, "Redmond", "could not confirm");
	assert_true(locator_stale(l, NULL));
	mem_deref(l);

	/* restart on another network: not used */
	lisfake_reset();
	l = locator_new(true, false, path);
	t.place = "bb22";
	office(&snap, 3);
	netchange(l, &snap, NULL, "bb22", NULL);
	expect(l, LOCATION_SOURCE_NONE, NULL, "has not answered yet");
	lisfake_answer(ETIMEDOUT, LIS_PRIMARY, 0, NULL, "timed out");
	expect(l, LOCATION_SOURCE_NONE, NULL, "could not be reached");
	mem_deref(l);

	/* an expired one: not while asking; a last resort once it fails */
	loc.expires = 1000;
	mb = mbuf_alloc(1024);
	assert_non_null(mb);
	assert_int_equal(0, locrules_state_encode(mb, "aa11", &loc));
	fh = fopen(path, "w");
	assert_non_null(fh);
	assert_int_equal(mb->end, fwrite(mb->buf, 1, mb->end, fh));
	fclose(fh);
	mem_deref(mb);

	lisfake_reset();
	l = locator_new(true, false, path);
	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	expect(l, LOCATION_SOURCE_NONE, NULL, "has not answered yet");
	lisfake_answer(ETIMEDOUT, LIS_PRIMARY, 0, NULL, "timed out");
	expect(l, LOCATION_SOURCE_LIS, "Redmond", "used as a last resort");
	assert_true(locator_stale(l, NULL));
	mem_deref(l);

	/* a damaged file is no location, and no error */
	fh = fopen(path, "w");
	assert_non_null(fh);
	fputs("{\"fingerprint\":", fh);
	fclose(fh);
	lisfake_reset();
	l = locator_new(true, false, path);
	netchange(l, &snap, NULL, "aa11", NULL);
	lisfake_answer(ETIMEDOUT, LIS_PRIMARY, 0, NULL, "timed out");
	expect(l, LOCATION_SOURCE_NONE, NULL, "could not be reached");
	mem_deref(l);

	location_reset(&loc);
}

/* A LIS found by discovery replaces the primary and is asked at once. */
static void discovered_lis(void **state)
{
	struct locator *l = locator_new(false, false, NULL);
	struct netsnap snap;
	char body[2048];
	(void)state;

	t.place = "aa11";
	office(&snap, 2);
	netchange(l, &snap, NULL, "aa11", NULL);
	assert_int_equal(ENOENT, locator_refresh(l, false));
	assert_int_equal(0, lisfake.queries);

	assert_int_equal(0, locator_set_lis(l, "https://found.example/h"));
	assert_int_equal(1, lisfake.queries);
	/* the same again: nothing new */
	assert_int_equal(0, locator_set_lis(l, "https://found.example/h"));
	assert_int_equal(1, lisfake.queries);
	resp_found(body, sizeof(body), "Redmond");
	lisfake_answer(0, LIS_PRIMARY, 200, body, "");
	expect(l, LOCATION_SOURCE_LIS, "Redmond", NULL);
	assert_string_equal("https://found.example/h",
			    locator_current(l, NULL)->provided_by);

	assert_int_equal(EINVAL, locator_set_lis(l, ""));
	locator_set_refresh(l, 0);
	assert_int_equal(3600, locator_refresh_s(l));
	locator_set_refresh(l, 60);
	assert_int_equal(60, locator_refresh_s(l));
	mem_deref(l);
}

static int group_setup(void **state)
{
	(void)state;

	return libre_init();
}

static int group_teardown(void **state)
{
	(void)state;
	libre_close();

	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(person_per_place, setup,
						teardown),
		cmocka_unit_test_setup_teardown(primary_secondary, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stale_after_failed_refresh,
						setup, teardown),
		cmocka_unit_test_setup_teardown(cache, setup, teardown),
		cmocka_unit_test_setup_teardown(state_across_restarts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(discovered_lis, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
