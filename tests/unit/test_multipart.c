/* Unit tests for multipart: build, split, boundaries, malformed bodies. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "multipart.h"

static const char sdp[] = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n";
static const char pidf[] = "<?xml version=\"1.0\"?>\n<presence/>\n";
static const char part_hdrs[] = "Content-Type: application/pidf+xml\r\n"
				"Content-ID: <loc@example.com>\r\n"
				"Content-Disposition: by-reference;"
				"handling=optional\r\n";

static void build_then_parse(void **state)
{
	struct multipart_part parts[4];
	size_t n = ARRAY_SIZE(parts);
	struct pl b = PL("b1");
	struct mbuf *mb = mbuf_alloc(512);
	(void)state;

	assert_int_equal(0, multipart_build(mb, "b1", "application/sdp",
					    (const uint8_t *)sdp, strlen(sdp),
					    part_hdrs, (const uint8_t *)pidf,
					    strlen(pidf)));

	/* the SDP part comes first and starts the body */
	assert_memory_equal("--b1\r\nContent-Type: application/sdp\r\n\r\nv=0",
			    mb->buf, 42);

	assert_int_equal(0, multipart_parse(parts, &n, &b, mb->buf, mb->end));
	assert_int_equal(2, n);
	assert_int_equal(0, pl_strcmp(&parts[0].ctype, "application/sdp"));
	assert_int_equal(0, pl_strcmp(&parts[0].body, sdp));
	assert_int_equal(0, pl_strcmp(&parts[1].ctype, "application/pidf+xml"));
	assert_int_equal(0, pl_strcmp(&parts[1].cid, "<loc@example.com>"));
	assert_int_equal(0, pl_strcmp(&parts[1].disposition,
				      "by-reference;handling=optional"));
	assert_int_equal(0, pl_strcmp(&parts[1].body, pidf));

	mem_deref(mb);
}

static void refuse_boundary_inside_part(void **state)
{
	struct mbuf *mb = mbuf_alloc(64);
	const char body[] = "x\r\n--b1\r\n";
	(void)state;

	assert_false(multipart_boundary_usable("b1", (const uint8_t *)body,
					       strlen(body)));
	assert_int_equal(EEXIST,
			 multipart_build(mb, "b1", "application/sdp",
					 (const uint8_t *)body, strlen(body),
					 part_hdrs, (const uint8_t *)"x", 1));
	assert_int_equal(EEXIST,
			 multipart_build(mb, "b1", "application/sdp",
					 (const uint8_t *)"x", 1, part_hdrs,
					 (const uint8_t *)body, strlen(body)));
	assert_int_equal(EINVAL,
			 multipart_build(mb, "", "application/sdp",
					 (const uint8_t *)"x", 1, part_hdrs,
					 (const uint8_t *)"y", 1));
	assert_false(multipart_boundary_usable("", NULL, 0));
	mem_deref(mb);
}

static void boundary_from_content_type(void **state)
{
	static const struct {
		const char *ctype;
		int err;
		const char *boundary;
	} cases[] = {
		{"multipart/mixed;boundary=abc", 0, "abc"},
		{"multipart/mixed; boundary=\"a b\"", 0, "a b"},
		{"Multipart/Mixed;charset=x;boundary=zz", 0, "zz"},
		{"application/sdp", ENOENT, NULL},
		{"multipart/mixed", ENOENT, NULL},
		{"multipart/mixed;boundary=\"unterminated", EBADMSG, NULL},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pl ct, b;

		pl_set_str(&ct, cases[i].ctype);
		assert_int_equal(cases[i].err, multipart_boundary_get(&b, &ct));
		if (!cases[i].err)
			assert_int_equal(0, pl_strcmp(&b, cases[i].boundary));
	}
}

static void refuse_malformed(void **state)
{
	static const char *const bodies[] = {
		"",				       /* empty */
		"no delimiter at all",		       /* no first delim */
		"--b1\r\nContent-Type: a\r\n\r\nbody", /* never closed */
		"--b1\r\nContent-Type: a\r\nbody\r\n--b1--", /* no blank line */
		"--b1x\r\n\r\nbody\r\n--b1--", /* junk after delim */
	};
	struct multipart_part parts[2];
	struct pl b = PL("b1");
	size_t i, n;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		n = ARRAY_SIZE(parts);
		assert_int_equal(EBADMSG,
				 multipart_parse(parts, &n, &b,
						 (const uint8_t *)bodies[i],
						 strlen(bodies[i])));
	}
}

static void too_many_parts(void **state)
{
	const char body[] = "--b\r\n\r\n1\r\n--b\r\n\r\n2\r\n--b\r\n\r\n3"
			    "\r\n--b--\r\n";
	struct multipart_part parts[2];
	struct pl b = PL("b");
	size_t n = ARRAY_SIZE(parts);
	(void)state;

	assert_int_equal(EOVERFLOW,
			 multipart_parse(parts, &n, &b, (const uint8_t *)body,
					 strlen(body)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_then_parse),
		cmocka_unit_test(refuse_boundary_inside_part),
		cmocka_unit_test(boundary_from_content_type),
		cmocka_unit_test(refuse_malformed),
		cmocka_unit_test(too_many_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
