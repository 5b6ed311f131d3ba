/* Fuzz target: two policy files (administrator's NUL user's) into a policy. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "kvconf.h"
#include "policy.h"
#include "dialplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_number(const struct policy_numbers *nums, const char *s)
{
	size_t i;

	for (i = 0; i < nums->n; i++) {
		if (!strcmp(nums->v[i], s))
			return true;
	}

	return false;
}

/* What policy_load promises whatever the files say. */
static void check_policy(const struct policy *p)
{
	size_t i;

	if (!p->dial_strings.n || !p->disclaimer_text)
		abort();
	for (i = 0; i < p->dial_mask_count; i++) {
		if (!has_number(&p->dial_strings, p->dial_masks[i].to) ||
		    has_number(&p->dial_strings, p->dial_masks[i].from))
			abort();
	}
	for (i = 0; i < p->test_dial_strings.n; i++) {
		if (has_number(&p->dial_strings, p->test_dial_strings.v[i]))
			abort();
	}
	if ((p->emergency_route && !strncmp(p->emergency_route, "urn:", 4) &&
	     !p->emergency_proxy) ||
	    p->callback_window > 1440 ||
	    p->refresh_interval_s < POLICY_REFRESH_MIN_S ||
	    p->refresh_interval_s > POLICY_REFRESH_MAX_S)
		abort();
}

/* A call classified as emergency or test calls a configured number. */
static void check_dial(const struct policy *p, const char *dialled)
{
	struct dial_result r;

	if (dialplan_classify(p, dialled, &r))
		abort();
	if ((r.cls == DIAL_EMERGENCY &&
	     !has_number(&p->dial_strings, r.number)) ||
	    (r.cls == DIAL_TEST &&
	     !has_number(&p->test_dial_strings, r.number)) ||
	    (r.cls == DIAL_ORDINARY && r.number[0]))
		abort();
}

static char *json_of(const struct policy *p)
{
	struct odict *od = NULL;
	char *s = NULL;

	if (policy_encode(&od, p) ||
	    re_sdprintf(&s, "%H", json_encode_odict, od))
		abort();
	mem_deref(od);
	return s;
}

/* The printed policy loads back to the same policy. */
static void check_print(const struct policy *p)
{
	struct kvconf *kv = NULL;
	struct policy q;
	char *out = NULL, *j1, *j2;

	memset(&q, 0, sizeof(q));
	if (re_sdprintf(&out, "%H", policy_print, p) ||
	    kvconf_parse(&kv, "printed", out, strlen(out), NULL) ||
	    policy_load(&q, NULL, kv, NULL))
		abort();

	j1 = json_of(p);
	j2 = json_of(&q);
	if (strcmp(j1, j2))
		abort();

	mem_deref(j1);
	mem_deref(j2);
	mem_deref(out);
	mem_deref(kv);
	policy_reset(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - data) : size;
	struct kvconf *admin = NULL, *user = NULL;
	struct policy_diag diag;
	struct policy p;
	char dialled[64];

	memset(&p, 0, sizeof(p));
	memset(&diag, 0, sizeof(diag));

	/* a file that does not parse is treated as absent */
	(void)kvconf_parse(&admin, "admin", (const char *)data, alen, NULL);
	if (nul)
		(void)kvconf_parse(&user, "user", (const char *)nul + 1,
				   size - alen - 1, NULL);

	if (policy_load(&p, user, admin, &diag))
		abort();
	check_policy(&p);
	check_print(&p);

	/* the first line of the input as a dialled string, and some fixed */
	str_ncpy(dialled, (const char *)data,
		 alen + 1 < sizeof(dialled) ? alen + 1 : sizeof(dialled));
	dialled[strcspn(dialled, "\n")] = '\0';
	check_dial(&p, dialled);
	check_dial(&p, "911");
	check_dial(&p, "9911");
	check_dial(&p, "sip:112@pbx");

	policy_diag_reset(&diag);
	policy_reset(&p);
	mem_deref(admin);
	mem_deref(user);
	return 0;
}
