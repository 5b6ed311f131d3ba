/* Unit tests for siptransport: the transport a URI names, the TCP hop. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "siptransport.h"

#define UNN SIPTRANSPORT_UNNAMED
#define UDP SIPTRANSPORT_UDP
#define OTH SIPTRANSPORT_OTHER
#define BAD SIPTRANSPORT_INVALID

static const struct {
	const char *uri;
	enum siptransport_named named;
	int err; /* of siptransport_tcp_uri */
	const char *tcp;
} cases[] = {
	{"sip:911@10.0.0.1:5070", UNN, 0,
	 "sip:911@10.0.0.1:5070;transport=tcp"},
	{"<sip:sbc.example.com;lr>", UNN, 0,
	 "sip:sbc.example.com;lr;transport=tcp"},
	{"sip:10.0.0.1;transport=udp", UDP, EINVAL, NULL},
	{"sip:10.0.0.1;lr;transport=UDP", UDP, EINVAL, NULL},
	{"sip:10.0.0.1;transport=tcp", OTH, EINVAL, NULL},
	{"sip:10.0.0.1;transport=tls", OTH, EINVAL, NULL},
	{"sips:sbc.example.com", OTH, EINVAL, NULL},
	{"sip:911@10.0.0.1?Subject=x", UNN, EINVAL, NULL},
	{"tel:911", BAD, EINVAL, NULL},
	{"urn:service:sos", BAD, EINVAL, NULL},
	{"", BAD, EINVAL, NULL},
	{NULL, BAD, EINVAL, NULL},
};

static void test_named_and_tcp(void **state)
{
	char buf[128];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err;

		if (siptransport_of(cases[i].uri) != cases[i].named)
			fail_msg("%s: named %d", cases[i].uri,
				 siptransport_of(cases[i].uri));
		err = siptransport_tcp_uri(buf, sizeof(buf), cases[i].uri);
		if (err != cases[i].err)
			fail_msg("%s: tcp_uri %d", cases[i].uri, err);
		if (!err)
			assert_string_equal(cases[i].tcp, buf);
	}

	assert_int_equal(EOVERFLOW,
			 siptransport_tcp_uri(buf, 20, "sip:911@10.0.0.1"));
	assert_int_equal(EINVAL, siptransport_tcp_uri(NULL, 0, "sip:a@b"));
}

static void test_loopback(void **state)
{
	(void)state;

	assert_true(siptransport_loopback("sip:911@127.0.0.1:5070"));
	/* all of 127/8, not only 127.0.0.1 (as libre's sa_is_loopback) */
	assert_true(siptransport_loopback("sip:911@127.0.0.2"));
	assert_true(siptransport_loopback("<sip:127.255.1.9:5060;lr>"));
	assert_false(siptransport_loopback("sip:911@128.0.0.1"));
	assert_true(siptransport_loopback("<sip:[::1]:5060;lr>"));
	assert_false(siptransport_loopback("sip:911@10.0.0.1"));
	assert_false(siptransport_loopback("sip:sbc.example.com"));
	assert_false(siptransport_loopback(NULL));
}

static void test_size(void **state)
{
	(void)state;

	/* RFC 3261 §18.1.1: over 1300 bytes, not UDP */
	assert_false(siptransport_stream_needed(1300));
	assert_true(siptransport_stream_needed(1301));
	assert_int_equal(SIPTRANSPORT_INVITE_OVERHEAD + 6,
			 siptransport_invite_estimate(1, 2, 3));
	/* a 2.5 kB PIDF-LO never fits; a bare SDP offer does */
	assert_true(siptransport_stream_needed(
		siptransport_invite_estimate(2500 + 400, 200, 120)));
	assert_false(siptransport_stream_needed(
		siptransport_invite_estimate(400, 200, 120)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_and_tcp),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
