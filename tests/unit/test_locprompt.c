/* Unit tests for locprompt: when the person is asked, per policy mode. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "policy.h"
#include "locprompt.h"

enum op { UPDATE, DISMISS, ACK };

/* One step: what happens, what must come of it. */
struct step {
	enum op op;
	const char *network; /* UPDATE: fingerprint, NULL unknown */
	bool missing;	     /* UPDATE: no location */
	int rc;		     /* DISMISS, ACK */
	enum locprompt_action act;
	enum locprompt_state state;
};

#define MAX_STEPS 12

struct scenario {
	const char *name;
	enum policy_location_required mode;
	struct step steps[MAX_STEPS];
	size_t n;
};

#define UPD(net, miss, a, st)                                                  \
	{                                                                      \
		UPDATE, net, miss, 0, a, st                                    \
	}
#define DIS(r, a, st)                                                          \
	{                                                                      \
		DISMISS, NULL, false, r, a, st                                 \
	}
#define ACKN(r, st)                                                            \
	{                                                                      \
		ACK, NULL, false, r, LOCPROMPT_ACT_NONE, st                    \
	}

#define NONE   LOCPROMPT_ACT_NONE
#define PROMPT LOCPROMPT_ACT_PROMPT
#define DISCL  LOCPROMPT_ACT_DISCLAIMER

static const struct scenario scenarios[] = {
	{"no: nothing is ever asked",
	 POLICY_LOCATION_NO,
	 {UPD("aa", true, NONE, LOCPROMPT_IDLE),
	  UPD("bb", true, NONE, LOCPROMPT_IDLE),
	  DIS(ENOENT, NONE, LOCPROMPT_IDLE), ACKN(ENOENT, LOCPROMPT_IDLE)},
	 4},
	{"yes: one prompt per network; a dismissal holds there",
	 POLICY_LOCATION_YES,
	 {UPD("aa", true, PROMPT, LOCPROMPT_ASKING),
	  UPD("aa", true, NONE, LOCPROMPT_ASKING),
	  DIS(0, NONE, LOCPROMPT_DISMISSED),
	  DIS(ENOENT, NONE, LOCPROMPT_DISMISSED),
	  ACKN(ENOENT, LOCPROMPT_DISMISSED),
	  UPD("aa", true, NONE, LOCPROMPT_DISMISSED),
	  /* a location came and went: still dismissed here */
	  UPD("aa", false, NONE, LOCPROMPT_DISMISSED),
	  UPD("aa", true, NONE, LOCPROMPT_DISMISSED),
	  /* a new network asks again */
	  UPD("bb", true, PROMPT, LOCPROMPT_ASKING)},
	 9},
	{"disclaimer: a dismissal shows it, once acknowledged",
	 POLICY_LOCATION_DISCLAIMER,
	 {UPD("aa", true, PROMPT, LOCPROMPT_ASKING),
	  ACKN(ENOENT, LOCPROMPT_ASKING), DIS(0, DISCL, LOCPROMPT_DISCLAIMER),
	  DIS(ENOENT, NONE, LOCPROMPT_DISCLAIMER),
	  UPD("aa", true, NONE, LOCPROMPT_DISCLAIMER),
	  ACKN(0, LOCPROMPT_ACKNOWLEDGED), ACKN(ENOENT, LOCPROMPT_ACKNOWLEDGED),
	  UPD("aa", true, NONE, LOCPROMPT_ACKNOWLEDGED),
	  UPD("bb", true, PROMPT, LOCPROMPT_ASKING),
	  DIS(0, DISCL, LOCPROMPT_DISCLAIMER)},
	 10},
	{"an answer closes the prompt; losing it again asks again",
	 POLICY_LOCATION_YES,
	 {UPD("aa", true, PROMPT, LOCPROMPT_ASKING),
	  UPD("aa", false, NONE, LOCPROMPT_IDLE),
	  DIS(ENOENT, NONE, LOCPROMPT_IDLE),
	  UPD("aa", true, PROMPT, LOCPROMPT_ASKING)},
	 4},
	{"a location at once: nothing asked",
	 POLICY_LOCATION_DISCLAIMER,
	 {UPD("aa", false, NONE, LOCPROMPT_IDLE),
	  UPD("bb", false, NONE, LOCPROMPT_IDLE),
	  UPD(NULL, false, NONE, LOCPROMPT_IDLE)},
	 3},
	{"an unknown network is no change; the first known one adopts",
	 POLICY_LOCATION_YES,
	 {UPD(NULL, true, PROMPT, LOCPROMPT_ASKING),
	  UPD("", true, NONE, LOCPROMPT_ASKING),
	  DIS(0, NONE, LOCPROMPT_DISMISSED),
	  /* the gateway's MAC arrives: the same attachment */
	  UPD("aa", true, NONE, LOCPROMPT_DISMISSED),
	  /* a link flap through no network */
	  UPD(NULL, false, NONE, LOCPROMPT_DISMISSED),
	  UPD("aa", true, NONE, LOCPROMPT_DISMISSED),
	  UPD("bb", true, PROMPT, LOCPROMPT_ASKING)},
	 7},
};

static void scenario_run(const struct scenario *sc)
{
	struct locprompt p;
	size_t i;

	locprompt_init(&p, sc->mode);
	assert_int_equal(LOCPROMPT_IDLE, p.state);

	for (i = 0; i < sc->n; i++) {
		const struct step *st = &sc->steps[i];
		enum locprompt_action act = NONE;

		print_message("%s, step %zu\n", sc->name, i);
		switch (st->op) {
		case UPDATE:
			act = locprompt_update(&p, st->network, st->missing);
			break;
		case DISMISS:
			assert_int_equal(st->rc, locprompt_dismiss(&p, &act));
			break;
		case ACK:
			assert_int_equal(st->rc, locprompt_acknowledge(&p));
			break;
		}
		assert_int_equal(st->act, act);
		assert_int_equal(st->state, p.state);
	}
}

static void scenarios_all(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		scenario_run(&scenarios[i]);
}

static void bad_arguments(void **state)
{
	enum locprompt_action act = PROMPT;
	struct locprompt p;
	(void)state;

	locprompt_init(NULL, POLICY_LOCATION_YES);
	assert_int_equal(NONE, locprompt_update(NULL, "aa", true));
	assert_int_equal(EINVAL, locprompt_dismiss(NULL, &act));
	assert_int_equal(EINVAL, locprompt_acknowledge(NULL));

	locprompt_init(&p, POLICY_LOCATION_YES);
	assert_int_equal(EINVAL, locprompt_dismiss(&p, NULL));
	assert_int_equal(PROMPT, act);

	assert_string_equal("idle", locprompt_state_name(LOCPROMPT_IDLE));
	assert_string_equal("acknowledged",
			    locprompt_state_name(LOCPROMPT_ACKNOWLEDGED));
	assert_string_equal("?", locprompt_state_name(99));
}

/* Fingerprints longer than the state keeps still compare as they are. */
static void long_network(void **state)
{
	char a[LOCPROMPT_NETWORK_MAX + 8], b[LOCPROMPT_NETWORK_MAX + 8];
	struct locprompt p;
	(void)state;

	memset(a, 'a', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[0] = 'b';

	locprompt_init(&p, POLICY_LOCATION_YES);
	assert_int_equal(PROMPT, locprompt_update(&p, a, true));
	assert_int_equal(NONE, locprompt_update(&p, a, true));
	assert_int_equal(PROMPT, locprompt_update(&p, b, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenarios_all),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(long_network),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
