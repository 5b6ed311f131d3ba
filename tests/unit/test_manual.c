/*
 * Unit tests for the location module's manual part (plugins/location/
 * manual.c, manual_cmd.c) without sockets or baresip: the real bus
 * (client/engine/bus.c) carries its commands and events, and the test
 * plays the locator (it answers manual_change_h with manual_chosen, as
 * location.c does).  The prompt policy (no prompt, a prompt, a prompt
 * with the disclaimer; e911 off), per network; locations remembered per
 * network across restarts; a location saved before the network was
 * identified.  (The prompt's states alone: test_locprompt.c.)
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "bus.h"
#include "location.h"
#include "policy.h"
#include "savedloc.h"
#include "manual.h"

#define REDMOND                                                                \
	"{\"HNO\":\"1\",\"RD\":\"Microsoft\",\"STS\":\"Way\","                 \
	"\"A3\":\"Redmond\",\"A1\":\"WA\",\"country\":\"US\"}"

/* baresip's log, which the module writes to (baresip-abi.h) */
void info(const char *fmt, ...);
void warning(const char *fmt, ...);

static char last_warning[1024];

void info(const char *fmt, ...)
{
	(void)fmt;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
}

/* The locator's part, played by the test, and what the bus carried. */
static struct {
	struct manual *m;
	bool automatic; /* the LIS or the switch has a location */
	unsigned changes;
	unsigned prompts;
	unsigned disclaimers;
	char required[16];
	char network[64]; /* "" : null */
	char disclaimer_text[128];
	char dir[64];
	char path[128];
} t;

/* As location.c: what the chooser makes of the person's location. */
static void tell(void)
{
	struct manual_choice c;
	const struct location *loc = NULL;
	const char *name = NULL;

	manual_here(t.m, &loc, &name);
	c.used = !t.automatic && location_has_value(loc);
	c.ask = !t.automatic && !c.used;
	c.reason = t.automatic ? "the LIS located this device"
		   : c.used    ? "the location you entered is used"
			       : "nothing found";
	manual_chosen(t.m, &c);
}

static void changed(void *arg)
{
	assert_ptr_equal(&t, arg);
	++t.changes;
	tell();
}

static void event(const char *name, const struct odict *fields, void *arg)
{
	const char *s;
	(void)arg;

	if (!str_cmp(name, "location.prompt")) {
		++t.prompts;
		s = odict_string(fields, "required");
		str_ncpy(t.required, s ? s : "?", sizeof(t.required));
		s = odict_string(fields, "network");
		str_ncpy(t.network, s ? s : "", sizeof(t.network));
		assert_string_equal("nothing found",
				    odict_string(fields, "reason"));
	} else if (!str_cmp(name, "location.disclaimer")) {
		++t.disclaimers;
		s = odict_string(fields, "disclaimer_text");
		str_ncpy(t.disclaimer_text, s ? s : "",
			 sizeof(t.disclaimer_text));
	}
}

static void manual_new(enum policy_location_required req, bool e911,
		       bool remember)
{
	struct policy pol;

	memset(&pol, 0, sizeof(pol));
	pol.e911_enabled = e911;
	pol.location_required = req;
	pol.remember_locations = remember;
	assert_int_equal(0, str_dup(&pol.disclaimer_text, "Call 911 anyway"));

	assert_int_equal(0, manual_alloc(&t.m, &pol, t.path, changed, &t));
	assert_null(pol.disclaimer_text); /* moved in */
}

/* A command on the bus: its error, and its result in *resultp. */
static int call(const char *name, const char *json, struct odict **resultp,
		const char **errmsg)
{
	struct odict *args = NULL, *result = NULL;
	const char *msg = NULL;
	int err;

	if (json)
		assert_int_equal(
			0, json_decode_odict(&args, 16, json, strlen(json), 8));
	else
		assert_int_equal(0, odict_alloc(&args, 1));
	assert_int_equal(0, odict_alloc(&result, 16));

	err = bus_command_call(name, args, result, &msg);
	mem_deref(args);
	if (errmsg)
		*errmsg = msg;
	if (resultp)
		*resultp = result;
	else
		mem_deref(result);
	return err;
}

static bool result_bool(const struct odict *r, const char *key)
{
	bool b = false;

	assert_true(odict_get_boolean(r, &b, key));
	return b;
}

/* The prompt's state in a result ("" when null). */
static const char *prompt_state(const struct odict *r)
{
	const struct odict_entry *e = odict_lookup(r, "prompt");

	assert_non_null(e);
	if (e->type == ODICT_NULL)
		return "";
	assert_int_equal(ODICT_OBJECT, e->type);
	return odict_string(e->u.odict, "state");
}

static int setup(void **state)
{
	(void)state;

	memset(&t, 0, sizeof(t));
	str_ncpy(t.dir, "/tmp/locphone-manual-XXXXXX", sizeof(t.dir));
	assert_non_null(mkdtemp(t.dir));
	re_snprintf(t.path, sizeof(t.path), "%s/saved.json", t.dir);
	return bus_event_listen(event, NULL);
}

static int teardown(void **state)
{
	(void)state;

	bus_event_unlisten(event);
	t.m = mem_deref(t.m);
	(void)unlink(t.path);
	(void)rmdir(t.dir);
	return 0;
}

/* The policy's location_required, on a new place where nothing is found:
 * asked or not, a dismissal, the disclaimer; per network. */
static void prompt_policy(void **state)
{
	static const struct {
		const char *what;
		enum policy_location_required req;
		bool e911;
		bool prompts;	     /* a new place where nothing is found */
		const char *word;    /* location.prompt's "required" */
		int dismiss;	     /* location.dismiss's error */
		const char *after;   /* the prompt's state after it */
		bool disclaimer;     /* location.disclaimer raised */
		int ack;	     /* acknowledge-disclaimer's error */
		const char *applied; /* manual_required's */
	} rows[] = {
		{"no: never asked", POLICY_LOCATION_NO, true, false, NULL,
		 ENOENT, "", false, ENOENT, "no"},
		{"yes: asked, a dismissal holds", POLICY_LOCATION_YES, true,
		 true, "yes", 0, "dismissed", false, ENOENT, "yes"},
		{"disclaimer: a dismissal shows it", POLICY_LOCATION_DISCLAIMER,
		 true, true, "disclaimer", 0, "disclaimer", true, 0,
		 "disclaimer"},
		{"e911 off: never asked", POLICY_LOCATION_DISCLAIMER, false,
		 false, NULL, ENOENT, "", false, ENOENT, "no"},
	};
	static const char *const words[] = {"no", "yes", "disclaimer"};
	struct odict *r;
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const unsigned want = rows[i].prompts ? 1 : 0;

		print_message("%s\n", rows[i].what);
		t.prompts = t.disclaimers = 0;
		t.automatic = false;
		manual_new(rows[i].req, rows[i].e911, true);
		assert_string_equal(rows[i].applied,
				    words[manual_required(t.m)]);

		/* a new place, nothing found */
		manual_network(t.m, "aa11");
		tell();
		assert_int_equal(want, t.prompts);
		if (want) {
			assert_string_equal(rows[i].word, t.required);
			assert_string_equal("aa11", t.network);
		}
		/* told again: asked once */
		tell();
		assert_int_equal(want, t.prompts);

		assert_int_equal(rows[i].dismiss,
				 call("location.dismiss", NULL, &r, NULL));
		if (!rows[i].dismiss)
			assert_string_equal(rows[i].after, prompt_state(r));
		mem_deref(r);
		assert_int_equal(rows[i].disclaimer ? 1 : 0, t.disclaimers);
		if (rows[i].disclaimer)
			assert_string_equal("Call 911 anyway",
					    t.disclaimer_text);

		assert_int_equal(rows[i].ack,
				 call("location.acknowledge-disclaimer", NULL,
				      &r, NULL));
		if (!rows[i].ack)
			assert_string_equal("acknowledged", prompt_state(r));
		mem_deref(r);

		/* dismissed here: not asked again on this network */
		tell();
		assert_int_equal(want, t.prompts);

		/* another place: asked again */
		manual_network(t.m, "bb22");
		tell();
		assert_int_equal(2 * want, t.prompts);

		/* a place where the LIS answers: nothing asked */
		t.automatic = true;
		manual_network(t.m, "cc33");
		tell();
		assert_int_equal(2 * want, t.prompts);

		t.m = mem_deref(t.m);
	}
}

/* A location entered closes the prompt; the policy changing opens it. */
static void prompt_answered_and_policy_change(void **state)
{
	const char *msg = NULL;
	struct odict *r;
	(void)state;

	manual_new(POLICY_LOCATION_YES, true, true);
	manual_network(t.m, "aa11");
	tell();
	assert_int_equal(1, t.prompts);

	assert_int_equal(0, call("location.set", REDMOND, &r, NULL));
	assert_true(result_bool(r, "used"));
	assert_string_equal("the location you entered is used",
			    odict_string(r, "reason"));
	mem_deref(r);
	assert_int_equal(1, t.changes);
	/* answered: nothing is asked any more */
	assert_int_equal(ENOENT, call("location.dismiss", NULL, NULL, &msg));
	assert_string_equal("nothing is being asked", msg);

	/* refused input names the field, changes nothing */
	assert_int_equal(EINVAL, call("location.set", "{\"ZIP\":\"98052\"}",
				      NULL, &msg));
	assert_non_null(strstr(msg, "ZIP"));
	assert_int_equal(1, t.changes);
	t.m = mem_deref(t.m);

	/* location_required no, then disclaimer from a served policy: the
	 * place is asked about at once */
	t.prompts = 0;
	manual_new(POLICY_LOCATION_NO, true, true);
	manual_network(t.m, "aa11");
	tell();
	assert_int_equal(0, t.prompts);
	manual_policy(t.m, true, POLICY_LOCATION_DISCLAIMER, "Served words");
	assert_int_equal(1, t.prompts);
	assert_string_equal("disclaimer", t.required);
	assert_int_equal(0, call("location.dismiss", NULL, NULL, NULL));
	assert_string_equal("Served words", t.disclaimer_text);
	/* e911 turned off: applied as no */
	manual_policy(t.m, false, POLICY_LOCATION_DISCLAIMER, NULL);
	assert_int_equal(POLICY_LOCATION_NO, manual_required(t.m));
}

/* Saved for a network, used again there (also after a restart), never on
 * another; used on a second network; deleted. */
static void remembered_per_network(void **state)
{
	const struct location *loc;
	const struct odict_entry *e;
	const char *name, *msg;
	struct odict *r;
	struct stat st;
	(void)state;

	manual_new(POLICY_LOCATION_YES, true, true);
	manual_network(t.m, "aa11");
	tell();
	assert_int_equal(0, call("location.set", REDMOND, NULL, NULL));
	manual_here(t.m, &loc, &name);
	assert_non_null(loc);
	assert_null(name); /* entered, not saved */

	assert_int_equal(
		0, call("location.save", "{\"name\":\"Home\"}", &r, NULL));
	assert_true(result_bool(r, "remembered"));
	assert_false(result_bool(r, "remember_pending"));
	assert_true(result_bool(r, "used"));
	mem_deref(r);
	assert_int_equal(0, stat(t.path, &st));
	assert_int_equal(0600, st.st_mode & 0777);
	manual_here(t.m, &loc, &name);
	assert_string_equal("Home", name);

	/* another network: not here; asked */
	t.prompts = 0;
	manual_network(t.m, "bb22");
	tell();
	manual_here(t.m, &loc, &name);
	assert_null(loc);
	assert_null(name);
	assert_int_equal(1, t.prompts);
	assert_int_equal(ENOENT,
			 call("location.save", "{\"name\":\"X\"}", NULL, &msg));
	assert_string_equal("nothing entered on this network: location.set "
			    "first",
			    msg);

	/* back: the saved one */
	manual_network(t.m, "aa11");
	manual_here(t.m, &loc, &name);
	assert_string_equal("Home", name);
	assert_string_equal("Redmond", civic_get(&loc->civic, CIVIC_A3));
	t.m = mem_deref(t.m);

	/* a restart: read from the file, for that network */
	manual_new(POLICY_LOCATION_YES, true, true);
	manual_network(t.m, "aa11");
	manual_here(t.m, &loc, &name);
	assert_string_equal("Home", name);
	assert_int_equal(0, call("location.list", NULL, &r, NULL));
	assert_string_equal("Home", odict_string(r, "in_use"));
	e = odict_lookup(r, "locations");
	assert_non_null(e);
	assert_int_equal(1, odict_count(e->u.odict, false));
	mem_deref(r);

	/* used on a second network: remembered there too */
	manual_network(t.m, "bb22");
	assert_int_equal(0,
			 call("location.use", "{\"name\":\"Home\"}", &r, NULL));
	assert_true(result_bool(r, "remembered"));
	mem_deref(r);
	t.m = mem_deref(t.m);
	manual_new(POLICY_LOCATION_YES, true, true);
	manual_network(t.m, "bb22");
	manual_here(t.m, &loc, &name);
	assert_string_equal("Home", name);

	/* deleted: gone here, the chooser told */
	t.changes = 0;
	assert_int_equal(
		0, call("location.delete", "{\"name\":\"Home\"}", &r, NULL));
	assert_false(result_bool(r, "used"));
	mem_deref(r);
	assert_int_equal(1, t.changes);
	manual_here(t.m, &loc, &name);
	assert_null(loc);
	assert_int_equal(ENOENT, call("location.use", "{\"name\":\"Home\"}",
				      NULL, &msg));
	assert_string_equal("no saved location of that name", msg);
}

/* Saved before the network was identified: remembered for it once it is;
 * nothing asked until it is.  remember_locations no keeps nothing. */
static void saved_before_the_network(void **state)
{
	const struct location *loc;
	const char *name, *msg;
	struct odict *r;
	(void)state;

	manual_new(POLICY_LOCATION_YES, true, true);
	manual_network(t.m, NULL);
	tell();
	/* not identified yet: not asked at once */
	assert_int_equal(0, t.prompts);

	assert_int_equal(0, call("location.set", REDMOND, NULL, NULL));
	assert_int_equal(
		0, call("location.save", "{\"name\":\"Cafe\"}", &r, NULL));
	assert_false(result_bool(r, "remembered"));
	assert_true(result_bool(r, "remember_pending"));
	mem_deref(r);

	/* the gateway's MAC arrives: this network's now */
	manual_network(t.m, "dd44");
	manual_here(t.m, &loc, &name);
	assert_string_equal("Cafe", name);
	t.m = mem_deref(t.m);
	manual_new(POLICY_LOCATION_YES, true, true);
	manual_network(t.m, "dd44");
	manual_here(t.m, &loc, &name);
	assert_string_equal("Cafe", name);
	t.m = mem_deref(t.m);

	/* remember_locations no: used, never kept */
	(void)unlink(t.path);
	manual_new(POLICY_LOCATION_YES, true, false);
	manual_network(t.m, "aa11");
	assert_int_equal(0, call("location.set", REDMOND, &r, NULL));
	assert_true(result_bool(r, "used"));
	mem_deref(r);
	assert_int_equal(EPERM, call("location.save", "{\"name\":\"Home\"}",
				     NULL, &msg));
	assert_string_equal("remember_locations is no: locations are not kept",
			    msg);
	assert_int_equal(-1, access(t.path, F_OK));
}

/* A damaged file is set aside and said so, never used or emptied. */
static void damaged_file(void **state)
{
	const struct location *loc;
	FILE *f;
	(void)state;

	f = fopen(t.path, "w");
	assert_non_null(f);
	fputs("{\"version\":1,\"locations\":[{", f);
	fclose(f);
	last_warning[0] = '\0';

	manual_new(POLICY_LOCATION_YES, true, true);
	assert_non_null(strstr(last_warning, "is damaged"));
	manual_network(t.m, "aa11");
	manual_here(t.m, &loc, NULL);
	assert_null(loc);
	t.m = mem_deref(t.m);

	/* set aside: the corrupt copy is kept next to it */
	{
		char cmd[256];

		re_snprintf(cmd, sizeof(cmd), "ls %s | grep -q corrupt", t.dir);
		assert_int_equal(0, system(cmd));
		re_snprintf(cmd, sizeof(cmd), "rm -f %s/*.corrupt-*", t.dir);
		assert_int_equal(0, system(cmd));
	}
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
		cmocka_unit_test_setup_teardown(prompt_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(
			prompt_answered_and_policy_change, setup, teardown),
		cmocka_unit_test_setup_teardown(remembered_per_network, setup,
						teardown),
		cmocka_unit_test_setup_teardown(saved_before_the_network, setup,
						teardown),
		cmocka_unit_test_setup_teardown(damaged_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
