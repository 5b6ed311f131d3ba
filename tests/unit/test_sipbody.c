/* Unit tests for libsipbody: what sipbody_arm_request accepts.  The hook
 * itself (the INVITE on the wire) is tested in tests/integration. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "sipbody.h"

static const uint8_t pidf[] = "<presence/>";

struct arm_case {
	const char *what;
	const char *hdrs;
	const char *req_uri;
	const char *to_uri;
	const char *route;
	const char *part_hdrs;
	bool ok;
};

static const struct arm_case arm_cases[] = {
	{"nothing to add", "", NULL, NULL, NULL, NULL, true},
	{"one header line", "Priority: emergency\r\n", NULL, NULL, NULL, NULL,
	 true},
	{"two lines and a part", "A: 1\r\nB: 2\r\n", NULL, NULL, NULL,
	 "Content-Type: application/pidf+xml\r\n", true},
	{"URIs", "", "urn:service:sos", "sip:911@example.com;user=dialstring",
	 "sip:esrp.example.com", NULL, true},
	{"no route at all", "", NULL, NULL, "", NULL, true},
	/* each of these would forge or end a header */
	{"line without CRLF", "Priority: emergency", NULL, NULL, NULL, NULL,
	 false},
	{"bare LF", "A: 1\n", NULL, NULL, NULL, NULL, false},
	{"stray CR", "A: 1\rB: 2\r\n", NULL, NULL, NULL, NULL, false},
	{"empty line first", "\r\nA: 1\r\n", NULL, NULL, NULL, NULL, false},
	{"empty line after", "A: 1\r\n\r\n", NULL, NULL, NULL, NULL, false},
	{"body smuggled", "A: 1\r\n\r\nv=0\r\n", NULL, NULL, NULL, NULL, false},
	{"part headers unterminated", "", NULL, NULL, NULL,
	 "Content-Type: application/pidf+xml", false},
	{"empty part headers", "", NULL, NULL, NULL, "", false},
	/* a URI must fit in <...> */
	{"blank in a URI", "", "sip:9 11@example.com", NULL, NULL, NULL, false},
	{"'>' in the To", "", NULL, "sip:911@x>;tag=1", NULL, NULL, false},
	{"empty Request-URI", "", "", NULL, NULL, NULL, false},
	{"empty To", "", NULL, "", NULL, NULL, false},
	{"quote in the route", "", NULL, NULL, "sip:\"p\"@x", NULL, false},
};

static void test_arm_validation(void **state)
{
	size_t i;
	(void)state;

	assert_true(sipbody_active());

	for (i = 0; i < ARRAY_SIZE(arm_cases); i++) {
		const struct arm_case *c = &arm_cases[i];
		struct sipbody_request rq;
		unsigned h;

		memset(&rq, 0, sizeof(rq));
		rq.hdrs = c->hdrs;
		rq.req_uri = c->req_uri;
		rq.to_uri = c->to_uri;
		rq.route = c->route;
		rq.part_hdrs = c->part_hdrs;
		rq.part = pidf;
		rq.part_len = sizeof(pidf) - 1;

		h = sipbody_arm_request(&rq);
		if ((h != 0) != c->ok)
			fail_msg("%s: handle %u, want %s", c->what, h,
				 c->ok ? "one" : "none");
		sipbody_release(h);
	}
}

static void test_arm_limits(void **state)
{
	char *hdrs = mem_zalloc(SIPBODY_MAX_HDRS + 3, NULL);
	uint8_t *big = mem_zalloc(SIPBODY_MAX_PART + 1, NULL);
	struct sipbody_request rq;
	unsigned h;
	(void)state;

	assert_non_null(hdrs);
	assert_non_null(big);

	/* one header line of exactly the limit, then one byte over */
	memset(hdrs, 'a', SIPBODY_MAX_HDRS);
	hdrs[1] = ':';
	memcpy(hdrs + SIPBODY_MAX_HDRS - 2, "\r\n", 2);
	memset(&rq, 0, sizeof(rq));
	rq.hdrs = hdrs;
	h = sipbody_arm_request(&rq);
	assert_int_not_equal(0, h);
	sipbody_release(h);
	memcpy(hdrs + SIPBODY_MAX_HDRS - 2, "a\r\n", 3);
	assert_int_equal(0, sipbody_arm_request(&rq));

	/* a part over the limit, and one with no bytes */
	memset(&rq, 0, sizeof(rq));
	rq.part_hdrs = "Content-Type: text/plain\r\n";
	rq.part = big;
	rq.part_len = SIPBODY_MAX_PART + 1;
	assert_int_equal(0, sipbody_arm_request(&rq));
	rq.part_len = 0;
	assert_int_equal(0, sipbody_arm_request(&rq));
	rq.part_len = SIPBODY_MAX_PART;
	h = sipbody_arm_request(&rq);
	assert_int_not_equal(0, h);
	sipbody_release(h);

	assert_int_equal(0, sipbody_arm_request(NULL));

	mem_deref(big);
	mem_deref(hdrs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm_validation),
		cmocka_unit_test(test_arm_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
