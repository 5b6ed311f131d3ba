/*
 * Unit tests for netsettle, netdisc's debounce without sockets: a burst
 * of events settles once, after the quiet; a dump holds it back until its
 * end; a repeat is not announced, a new neighbour or other evidence is;
 * the gateway's MAC is asked for once per gateway.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "evidence.h"
#include "netsettle.h"

#define QUIET 200

static struct netsettle s; /* large: one for the program */

static void office(struct netsnap *snap, uint8_t gw_last, bool gw_mac)
{
	memset(snap, 0, sizeof(*snap));
	snap->ifc = 1;
	str_ncpy(snap->ifs[0].name, "eth0", sizeof(snap->ifs[0].name));
	snap->ifs[0].ifindex = 2;
	snap->ifs[0].up = true;
	snap->ifs[0].has_mac = true;
	snap->gateway.present = true;
	snap->gateway.family = AF_INET;
	snap->gateway.ifindex = 2;
	memcpy(snap->gateway.ip, "\x0a\x01\x02", 3);
	snap->gateway.ip[3] = gw_last;
	snap->gateway.has_mac = gw_mac;
}

/* Each step of the table: an input at a time and what must follow. */
enum step_kind {
	EV,	  /* an event: the delay must be QUIET */
	LLDP,	  /* a neighbour change */
	DUMP_ON,  /* a dump starts */
	DUMP_OFF, /* it ends (an EV follows, as netdisc does) */
	FIRE,	  /* the timer fired: due? and the wait */
	OFFER,	  /* offer snapshot variant: announced? */
	PROBE,	  /* probe with snapshot variant: asked? */
};

struct step {
	enum step_kind kind;
	uint64_t at;
	int arg;     /* FIRE: the wait; OFFER/PROBE: snapshot variant */
	bool want;   /* FIRE: due; OFFER: announced; PROBE: asked */
	bool evid_b; /* OFFER: the other evidence */
};

/* Snapshot variants: 0 gateway .1 without MAC, 1 the same with its MAC,
 * 2 another gateway (.254) without MAC. */
static void variant(struct netsnap *snap, int v)
{
	office(snap, v == 2 ? 254 : 1, v == 1);
}

static void run(const char *name, const struct step *steps, size_t n)
{
	static struct netsnap snap;
	struct evidence ea, eb;
	struct wifi_bss bss;
	struct evidence_heard h;
	size_t i;

	print_message("sequence: %s\n", name);
	netsettle_init(&s, QUIET);

	for (i = 0; i < n; i++) {
		const struct step *st = &steps[i];
		uint64_t wait = 12345;

		switch (st->kind) {
		case EV:
			assert_int_equal(QUIET, netsettle_event(&s, st->at));
			break;
		case LLDP:
			assert_int_equal(QUIET, netsettle_lldp(&s, st->at));
			break;
		case DUMP_ON:
			netsettle_dumping(&s, true);
			break;
		case DUMP_OFF:
			netsettle_dumping(&s, false);
			break;
		case FIRE:
			assert_int_equal(st->want,
					 netsettle_due(&s, st->at, &wait));
			assert_int_equal(st->arg, wait);
			break;
		case OFFER:
			variant(&snap, st->arg);
			memset(&bss, 0, sizeof(bss));
			bss.ifindex = 2;
			bss.bssid[5] = st->evid_b ? 2 : 1;
			h = (struct evidence_heard){.ifindex = 2, .bss = &bss};
			assert_int_equal(0,
					 evidence_choose(st->evid_b ? &eb : &ea,
							 &snap, &h, 1));
			assert_int_equal(
				st->want,
				netsettle_offer(&s, &snap,
						st->evid_b ? &eb : &ea));
			if (st->want) {
				assert_true(s.have);
				assert_true(netsnap_equal(&snap, &s.snap));
				assert_null(s.ev.lldp);
			}
			break;
		case PROBE:
			variant(&snap, st->arg);
			assert_int_equal(st->want,
					 netsettle_probe(&s, &snap, true));
			break;
		}
	}
}

static void burst_settles_once(void **state)
{
	static const struct step steps[] = {
		{FIRE, 0, 0, false, false}, /* nothing pending */
		{EV, 1000, 0, false, false},
		{EV, 1050, 0, false, false},
		{EV, 1150, 0, false, false},
		/* a timer armed earlier fires: the quiet is not over */
		{FIRE, 1200, 150, false, false},
		{FIRE, 1349, 1, false, false},
		{FIRE, 1350, 0, true, false},
		/* taken: until the next event nothing is due */
		{FIRE, 2000, 0, false, false},
		{OFFER, 2000, 1, true, false},
	};
	(void)state;

	run("a burst settles once, after the quiet", steps, ARRAY_SIZE(steps));
}

static void dump_holds_back(void **state)
{
	static const struct step steps[] = {
		{DUMP_ON, 0, 0, false, false},
		{EV, 0, 0, false, false},
		{FIRE, 500, 0, false, false}, /* dumping: wait for its end */
		{FIRE, 900, 0, false, false},
		{DUMP_OFF, 1000, 0, false, false},
		{EV, 1000, 0, false, false}, /* the end is an event */
		{FIRE, 1100, 100, false, false},
		{FIRE, 1200, 0, true, false},
		{OFFER, 1200, 1, true, false},
	};
	(void)state;

	run("a dump holds the snapshot back until its end", steps,
	    ARRAY_SIZE(steps));
}

static void repeats_and_changes(void **state)
{
	static const struct step steps[] = {
		{OFFER, 0, 1, true, false},  /* the first one */
		{OFFER, 0, 1, false, false}, /* the same: a repeat */
		{OFFER, 0, 0, true, false},  /* the gateway MAC went */
		{OFFER, 0, 0, false, false},
		/* a neighbour changed, the snapshot did not */
		{LLDP, 100, 0, false, false},
		{FIRE, 300, 0, true, false},
		{OFFER, 300, 0, true, false},
		{OFFER, 300, 0, false, false}, /* seen now */
		/* the same snapshot, other evidence (roamed) */
		{OFFER, 400, 0, true, true},
		{OFFER, 400, 0, false, true},
		{OFFER, 400, 0, true, false},
	};
	(void)state;

	run("repeats are not announced, changes are", steps, ARRAY_SIZE(steps));
}

static void probe_once_per_gateway(void **state)
{
	static const struct step steps[] = {
		{PROBE, 0, 1, false, false}, /* its MAC is known */
		{PROBE, 0, 0, true, false},  /* unknown: ask */
		{PROBE, 0, 0, false, false}, /* asked already */
		{OFFER, 0, 0, true, false},
		{PROBE, 0, 0, false, false}, /* the same gateway */
		{OFFER, 0, 1, true, false},  /* its MAC came */
		{OFFER, 0, 0, true, false},  /* and went: same gateway */
		{PROBE, 0, 0, false, false},
		{OFFER, 0, 2, true, false}, /* another gateway */
		{PROBE, 0, 2, true, false}, /* asked for again */
		{PROBE, 0, 2, false, false},
	};
	static struct netsnap snap;
	(void)state;

	run("the gateway's MAC is asked for once per gateway", steps,
	    ARRAY_SIZE(steps));

	/* disabled, or no gateway: never */
	netsettle_init(&s, QUIET);
	office(&snap, 1, false);
	assert_false(netsettle_probe(&s, &snap, false));
	snap.gateway.present = false;
	assert_false(netsettle_probe(&s, &snap, true));
}

static void no_quiet_and_null(void **state)
{
	static struct netsnap snap;
	uint64_t wait = 1;
	(void)state;

	netsettle_init(&s, 0);
	assert_int_equal(0, netsettle_event(&s, 50));
	assert_true(netsettle_due(&s, 50, &wait));
	assert_int_equal(0, wait);

	office(&snap, 1, true);
	assert_true(netsettle_offer(&s, &snap, NULL)); /* no evidence */
	assert_false(netsettle_offer(&s, &snap, NULL));
	assert_false(netsettle_offer(NULL, &snap, NULL));
	assert_false(netsettle_offer(&s, NULL, NULL));
	assert_false(netsettle_due(NULL, 0, NULL));
	assert_false(netsettle_probe(NULL, &snap, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_settles_once),
		cmocka_unit_test(dump_holds_back),
		cmocka_unit_test(repeats_and_changes),
		cmocka_unit_test(probe_once_per_gateway),
		cmocka_unit_test(no_quiet_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
