/* Unit tests for ctlproto: framing, request decoding, replies, events. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "ctlproto.h"

struct lines {
	char seen[8][64];
	size_t n;
};

static int collect(const char *line, size_t len, void *arg)
{
	struct lines *l = arg;

	assert_true(l->n < 8 && len < 64);
	memcpy(l->seen[l->n], line, len);
	l->seen[l->n][len] = '\0';
	l->n++;
	return 0;
}

static void framing_splits_and_keeps_partial(void **state)
{
	struct mbuf *rx = mbuf_alloc(16);
	struct lines l = {0};
	(void)state;

	assert_int_equal(0, ctl_framer_feed(rx, (const uint8_t *)"ab\ncd\r\nef",
					    9, 100, collect, &l));
	assert_int_equal(2, l.n);
	assert_string_equal("ab", l.seen[0]);
	assert_string_equal("cd", l.seen[1]);

	assert_int_equal(0, ctl_framer_feed(rx, (const uint8_t *)"g\n", 2, 100,
					    collect, &l));
	assert_int_equal(3, l.n);
	assert_string_equal("efg", l.seen[2]);
	assert_int_equal(0, rx->end);

	mem_deref(rx);
}

static void framing_refuses_overlong_line(void **state)
{
	struct mbuf *rx = mbuf_alloc(16);
	struct lines l = {0};
	uint8_t chunk[64];
	(void)state;

	memset(chunk, 'x', sizeof(chunk));
	assert_int_equal(0, ctl_framer_feed(rx, chunk, 40, 100, collect, &l));
	assert_int_equal(EOVERFLOW,
			 ctl_framer_feed(rx, chunk, 64, 100, collect, &l));
	assert_int_equal(0, l.n);
	mem_deref(rx);
}

static void decode_valid_request(void **state)
{
	const char line[] = "{\"id\":7,\"cmd\":\"dial\","
			    "\"args\":{\"number\":\"911\"}}";
	struct ctl_request req;
	const char *why = NULL;
	int64_t id;
	(void)state;

	assert_int_equal(
		0, ctl_request_decode(&req, line, strlen(line), &id, &why));
	assert_int_equal(7, req.id);
	assert_int_equal(7, id);
	assert_string_equal("dial", req.cmd);
	assert_string_equal("911", ctl_arg_str(req.args, "number"));
	assert_null(ctl_arg_str(req.args, "uri"));
	ctl_request_reset(&req);

	/* args may be left out: an empty object stands in */
	assert_int_equal(0, ctl_request_decode(&req, "{\"id\":1,\"cmd\":\"x\"}",
					       19, &id, &why));
	assert_non_null(req.args);
	assert_int_equal(0, odict_count(req.args, false));
	ctl_request_reset(&req);
}

static void decode_refusals(void **state)
{
	static const struct {
		const char *line;
		int64_t id;
	} cases[] = {
		{"not json", -1},
		{"{\"id\":1", -1},
		{"[1,2,3]", -1},
		{"{\"cmd\":\"status\"}", -1},
		{"{\"id\":\"1\",\"cmd\":\"status\"}", -1},
		{"{\"id\":-4,\"cmd\":\"status\"}", -1},
		{"{\"id\":3}", 3},
		{"{\"id\":3,\"cmd\":\"\"}", 3},
		{"{\"id\":3,\"cmd\":5}", 3},
		{"{\"id\":4,\"cmd\":\"dial\",\"args\":[1]}", 4},
		{"{\"id\":5,\"cmd\":\"x\",\"args\":{\"a\":{\"b\":{\"c\":{\"d\":"
		 "{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}}",
		 -1},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ctl_request req;
		const char *why = NULL;
		int64_t id = 99;

		assert_int_not_equal(0,
				     ctl_request_decode(&req, cases[i].line,
							strlen(cases[i].line),
							&id, &why));
		assert_non_null(why);
		assert_int_equal(cases[i].id, id);
		assert_null(req.msg);
	}
}

static void encode_reply_and_event(void **state)
{
	struct mbuf *mb = mbuf_alloc(128);
	struct odict *od = NULL;
	(void)state;

	assert_int_equal(0, odict_alloc(&od, 4));
	assert_int_equal(0, odict_entry_add(od, "state", ODICT_STRING, "ok"));

	assert_int_equal(0, ctl_reply_encode(mb, 3, od, NULL));
	assert_int_equal(0, ctl_reply_encode(mb, -1, NULL, "line too long"));
	assert_int_equal(0, ctl_event_encode(mb, "call.closed", od));
	assert_int_equal(0, mbuf_write_u8(mb, 0));

	assert_string_equal(
		"{\"id\":3,\"ok\":true,\"result\":{\"state\":\"ok\"}}\n"
		"{\"id\":null,\"ok\":false,\"error\":\"line too long\"}\n"
		"{\"event\":\"call.closed\",\"state\":\"ok\"}\n",
		(char *)mb->buf);

	mem_deref(od);
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(framing_splits_and_keeps_partial),
		cmocka_unit_test(framing_refuses_overlong_line),
		cmocka_unit_test(decode_valid_request),
		cmocka_unit_test(decode_refusals),
		cmocka_unit_test(encode_reply_and_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
