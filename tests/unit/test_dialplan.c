/* Unit tests for dialplan: what counts as an emergency or test call. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "kvconf.h"
#include "policy.h"
#include "dialplan.h"

/* The policies the cases run against (administrator's files). */
enum site {
	SITE_DEFAULT, /* nothing set: 911 only */
	SITE_PBX,     /* masks, a test number, outside line 9 */
	SITE_PREFIX,  /* outside line 9, no masks */
	SITE_ZERO,    /* outside line 0 */
	SITE_OFF,     /* e911 features off */
	SITE_COUNT
};

static const char *const site_conf[SITE_COUNT] = {
	[SITE_DEFAULT] = "",
	[SITE_PBX] = ("dial_strings 911\n"
		      "dial_masks 9911:911,112:911,999:911\n"
		      "test_dial_strings 933\n"
		      "outside_line_prefix 9\n"),
	[SITE_PREFIX] = "outside_line_prefix 9\ntest_dial_strings 933\n",
	[SITE_ZERO] = "outside_line_prefix 0\n",
	[SITE_OFF] = ("e911_enabled no\ndial_masks 9911:911\n"
		      "test_dial_strings 933\n"),
};

#define E DIAL_EMERGENCY
#define T DIAL_TEST
#define O DIAL_ORDINARY

struct dial_case {
	enum site site;
	const char *in;
	enum dial_class cls;
	const char *number;  /* what to call */
	const char *dialled; /* the digits shown to the far end */
	bool prefix;	     /* outside-line prefix removed */
	bool masked;
};

static const struct dial_case cases[] = {
	/* Kari's Law: 911 direct, with or without an outside line */
	{SITE_DEFAULT, "911", E, "911", "911", false, false},
	{SITE_PBX, "911", E, "911", "911", false, false},
	{SITE_PREFIX, "911", E, "911", "911", false, false},
	/* masks, and the digits as dialled kept */
	{SITE_PBX, "9911", E, "911", "9911", false, true},
	{SITE_PBX, "9-911", E, "911", "9911", false, true},
	{SITE_PBX, "112", E, "911", "112", false, true},
	{SITE_PBX, "999", E, "911", "999", false, true},
	{SITE_PBX, "99911", E, "911", "99911", true, true},
	/* the prefix comes off only for an emergency or test string */
	{SITE_PREFIX, "9911", E, "911", "9911", true, false},
	{SITE_PREFIX, "9 (911)", E, "911", "9911", true, false},
	{SITE_PREFIX, "9933", T, "933", "9933", true, false},
	{SITE_PREFIX, "95551234", O, "", "95551234", false, false},
	{SITE_PREFIX, "9", O, "", "9", false, false},
	{SITE_ZERO, "0911", E, "911", "0911", true, false},
	{SITE_PREFIX, "0911", O, "", "0911", false, false},
	{SITE_DEFAULT, "0911", O, "", "0911", false, false},
	{SITE_DEFAULT, "9911", O, "", "9911", false, false},
	{SITE_DEFAULT, "112", O, "", "112", false, false},
	/* test numbers */
	{SITE_PBX, "933", T, "933", "933", false, false},
	{SITE_DEFAULT, "933", O, "", "933", false, false},
	/* visual separators and the dial key */
	{SITE_DEFAULT, " 9 1 1 ", E, "911", "911", false, false},
	{SITE_DEFAULT, "(911)", E, "911", "911", false, false},
	{SITE_DEFAULT, "9.1.1", E, "911", "911", false, false},
	{SITE_DEFAULT, "911#", E, "911", "911", false, false},
	{SITE_DEFAULT, "911# ", E, "911", "911", false, false},
	{SITE_DEFAULT, "9#11", O, "", "", false, false},
	{SITE_DEFAULT, "911##", O, "", "", false, false},
	/* a '+' makes a global number, never an emergency one */
	{SITE_DEFAULT, "+1 911", O, "", "", false, false},
	{SITE_DEFAULT, "+911", O, "", "", false, false},
	{SITE_DEFAULT, "1911", O, "", "1911", false, false},
	{SITE_DEFAULT, "911911", O, "", "911911", false, false},
	{SITE_DEFAULT, "*911", O, "", "", false, false},
	{SITE_DEFAULT, "911a", O, "", "", false, false},
	/* URIs: the user part is the number */
	{SITE_DEFAULT, "sip:911@pbx", E, "911", "911", false, false},
	{SITE_DEFAULT, "SIP:911@PBX", E, "911", "911", false, false},
	{SITE_DEFAULT, "sips:911@pbx;transport=tls", E, "911", "911", false,
	 false},
	{SITE_DEFAULT, "sip:911;phone-context=+1@pbx;user=phone", E, "911",
	 "911", false, false},
	{SITE_PBX, "sip:9911@pbx", E, "911", "9911", false, true},
	{SITE_DEFAULT, "tel:911", E, "911", "911", false, false},
	{SITE_DEFAULT, "tel:911;phone-context=example.com", E, "911", "911",
	 false, false},
	{SITE_DEFAULT, "tel:+1-911", O, "", "", false, false},
	{SITE_DEFAULT, "sip:911", O, "", "", false, false},
	{SITE_DEFAULT, "sip:alice@pbx", O, "", "", false, false},
	{SITE_DEFAULT, "sip:@pbx", O, "", "", false, false},
	/* service URNs dialled directly */
	{SITE_DEFAULT, "urn:service:sos", E, "911", "", false, false},
	{SITE_DEFAULT, "urn:service:sos.fire", E, "911", "", false, false},
	{SITE_DEFAULT, "urn:service:sosx", O, "", "", false, false},
	{SITE_DEFAULT, "urn:service:counseling", O, "", "", false, false},
	/* nothing, and too much */
	{SITE_DEFAULT, "", O, "", "", false, false},
	{SITE_DEFAULT, " - ", O, "", "", false, false},
	{SITE_DEFAULT, "12345678901234567890123456789012", O, "",
	 "12345678901234567890123456789012", false, false},
	{SITE_DEFAULT, "123456789012345678901234567890123", O, "", "", false,
	 false},
	{SITE_DEFAULT, "911000000000000000000000000000000000", O, "", "", false,
	 false},
	/* e911 features off: still recognised and routed as emergency */
	{SITE_OFF, "911", E, "911", "911", false, false},
	{SITE_OFF, "9911", E, "911", "9911", false, true},
	{SITE_OFF, "933", T, "933", "933", false, false},
};

static void load_sites(struct policy *pv)
{
	size_t i;

	for (i = 0; i < SITE_COUNT; i++) {
		struct kvconf *kv = NULL;
		struct policy_diag diag;

		memset(&diag, 0, sizeof(diag));
		assert_int_equal(0, kvconf_parse(&kv, "site.conf", site_conf[i],
						 strlen(site_conf[i]), NULL));
		assert_int_equal(0, policy_load(&pv[i], NULL, kv, &diag));
		/* the fixtures themselves must be clean */
		assert_int_equal(0, list_count(&diag.msgl));
		mem_deref(kv);
	}
}

static void table_cases(void **state)
{
	struct policy sites[SITE_COUNT];
	size_t i;
	(void)state;

	memset(sites, 0, sizeof(sites));
	load_sites(sites);
	assert_false(sites[SITE_OFF].e911_enabled);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct dial_case *c = &cases[i];
		struct dial_result r;

		print_message("case %zu: \"%s\"\n", i, c->in);
		assert_int_equal(0,
				 dialplan_classify(&sites[c->site], c->in, &r));
		assert_string_equal(dial_class_name(c->cls),
				    dial_class_name(r.cls));
		assert_string_equal(c->number, r.number);
		assert_string_equal(c->dialled, r.dialled);
		assert_int_equal(c->prefix, r.prefix_stripped);
		assert_int_equal(c->masked, r.masked);
	}

	for (i = 0; i < SITE_COUNT; i++)
		policy_reset(&sites[i]);
}

static void refuse_null(void **state)
{
	struct dial_result r;
	struct policy p;
	(void)state;

	memset(&p, 0, sizeof(p));
	assert_int_equal(0, policy_load(&p, NULL, NULL, NULL));
	assert_int_equal(EINVAL, dialplan_classify(NULL, "911", &r));
	assert_int_equal(EINVAL, dialplan_classify(&p, NULL, &r));
	assert_int_equal(EINVAL, dialplan_classify(&p, "911", NULL));
	assert_string_equal("emergency", dial_class_name(DIAL_EMERGENCY));
	assert_string_equal("test", dial_class_name(DIAL_TEST));
	assert_string_equal("ordinary", dial_class_name(DIAL_ORDINARY));
	policy_reset(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_cases),
		cmocka_unit_test(refuse_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
