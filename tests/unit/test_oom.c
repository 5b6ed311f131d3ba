/* Out-of-memory paths of client/core (issue 12): each codec and store is
 * run with its n-th allocation failing (oomfail.c), for n = 1, 2, ... until
 * a run makes no more allocations than n - 1.  Every run with a failure
 * returns ENOMEM (or the error the input gets anyway), leaves its output as
 * the documented contract says, and, in the sanitizer build, leaks nothing.
 * A run in which the failure was absorbed must still give the reference
 * result.  Inputs: the fuzz corpora (tests/fuzz/corpus) and samples.
 *
 * Covered, every codec and store of client/core that allocates:
 * pidf_parse (through xmlutil_parse, gml, xmlutil_foreign_dump/_check),
 * pidf_build (xmlw), held_response_decode, held_request_encode,
 * lldp_decode (with LLDP-MED), lldp_frame_json_encode, lldp_encode,
 * savedloc_decode/_encode/_put/_save/_load (atomicfile), kvconf_parse,
 * policy_load/_encode/_print, policy_sites_parse, policy_site_load,
 * multipart_build, ctl_request_decode, ctl_event_encode, ctl_reply_encode,
 * locsource_manual_decode, location_json_encode/_decode, location_copy,
 * civic_normalise, civic_validate, wifi_iface_decode, wifi_bss_decode,
 * wifi_bss_json_encode, netstate_feed/_snapshot, netsnap_json_encode,
 * fingerprint_compute.
 * The rest allocate nothing (multipart_parse, dialplan, emergency, uritext,
 * rfc3339, lisdisc, siptransport, nlattr) or only through these. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "civic.h"
#include "civic_validate.h"
#include "location.h"
#include "ctlproto.h"
#include "fingerprint.h"
#include "held.h"
#include "kvconf.h"
#include "lldp.h"
#include "lldp_json.h"
#include "locsample.h"
#include "wifi.h"
#include "netstate.h"
#include "locsource.h"
#include "locrules.h"
#include "multipart.h"
#include "oomfail.h"
#include "pidf.h"
#include "policy.h"
#include "policy_site.h"
#include "savedloc.h"

#define CORPUS LOCPHONE_FUZZ_CORPUS "/"

/* LeakSanitizer (sanitizer builds): libxml2 2.9.14's
 * xmlTextWriterStartElement loses its stack entry and the name in it when
 * the list link for it cannot be allocated; that leak is libxml2's, every
 * other one fails this test. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	/* and xmlDocCopyNode leaves the nodes it had made when one of
	 * their names cannot be allocated; it tail-calls a static function,
	 * so only its caller, xmlutil_foreign_dump, names the stack (which
	 * also hides a leak of that function's own: it frees one document
	 * and one mbuf, on every path) */
	return "leak:xmlTextWriterStartElement\n"
	       "leak:xmlutil_foreign_dump\n";
}

/* whole stacks for the allocations (libxml2 has no frame pointers), so
 * that the suppressions above find the functions they name */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

/* an attempt: the operation with allocation n failing; true if it fired */
typedef bool(attempt_h)(size_t n, const void *arg);

/* Runs attempt for n = 1, 2, ... until no failure fires. */
static void sweep(const char *what, attempt_h *attempt, const void *arg)
{
	size_t n;

	for (n = 1; n < 200000; n++) {
		if (!attempt(n, arg)) {
			print_message("%-44s %5zu allocations, each failure "
				      "handled\n",
				      what, n - 1);
			return;
		}
	}
	fail_msg("%s: still allocating after %zu", what, n);
}

/* what the last failing operation said, for the failure message */
static const char *said;

/*
 * A document accepted with a different meaning after allocation n
 * failed: libxml2 2.9.14 drops what it could not allocate (a name its
 * dictionary could not store, a node's content) and does not always say
 * so; xmlutil's allocation watch (xmlutil.h) turns every such failure
 * into ENOMEM, so this must never happen.
 */
static void shortened(const char *name, size_t n)
{
	const char *in = oomfail_fired_in();

	fail_msg("%s: allocation %zu (in %s) failed, a shortened document "
		 "accepted",
		 name, n, *in ? in : "?");
}

/* err of a run where allocation n may have failed (fired), against the
 * result without a failure (ref) */
static void result_ok(const char *what, size_t n, bool fired, int err, int ref)
{
	if (!fired) {
		if (err != ref)
			fail_msg("%s: %d without a failure, reference %d", what,
				 err, ref);
		return;
	}
	if (err != ENOMEM && err != ref)
		fail_msg("%s: allocation %zu failed: error %d (%s: %s), want "
			 "ENOMEM or %d",
			 what, n, err, strerror(err), said ? said : "", ref);
	said = NULL;
}

struct blob {
	char name[256];
	uint8_t *buf;
	size_t len;
};

static struct blob *corpus(const char *target, size_t *countp)
{
	char dir[512];
	struct blob *v = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), CORPUS "%s", target);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[1024];
		FILE *f;
		long size;

		if (de->d_name[0] == '.')
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		assert_non_null(v);
		re_snprintf(v[n].name, sizeof(v[n].name), "%s/%s", target,
			    de->d_name);
		re_snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(0, fseek(f, 0, SEEK_END));
		size = ftell(f);
		assert_true(size >= 0);
		rewind(f);
		v[n].buf = malloc((size_t)size + 1);
		assert_non_null(v[n].buf);
		assert_int_equal(size, fread(v[n].buf, 1, (size_t)size, f));
		v[n].buf[size] = 0;
		v[n].len = (size_t)size;
		fclose(f);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
	*countp = n;
	return v;
}

static void corpus_free(struct blob *v, size_t n)
{
	while (n--)
		free(v[n].buf);
	free(v);
}

/* an mbuf holding "prefix", to see that a failed encode adds nothing */
static struct mbuf *prefixed(void)
{
	struct mbuf *mb = mbuf_alloc(16);

	assert_non_null(mb);
	assert_int_equal(0, mbuf_write_str(mb, "prefix"));
	return mb;
}

static void prefix_only(const struct mbuf *mb, const char *what)
{
	if (mb->end != 6 || mb->pos != 6 || memcmp(mb->buf, "prefix", 6))
		fail_msg("%s: a failed encode left %zu bytes (pos %zu)", what,
			 mb->end, mb->pos);
}

/* same bytes after "prefix" as ref */
static void same_output(const struct mbuf *mb, const struct mbuf *ref,
			const char *what)
{
	if (mb->end != ref->end || memcmp(mb->buf, ref->buf, mb->end))
		fail_msg("%s: output differs from the reference", what);
}

/* --- pidf ---------------------------------------------------------------- */

struct pidf_case {
	const struct blob *b;
	struct location ref;
	int ref_err;
};

static bool pidf_parse_attempt(size_t n, const void *arg)
{
	const struct pidf_case *c = arg;
	struct location loc, before;
	struct geo g[LOCSAMPLE_SHAPES];
	size_t ng = LOCSAMPLE_SHAPES;
	bool fired;
	int err;

	/* a record there already: a failed parse leaves it as it was */
	locsample_shapes(g, &ng);
	locsample_record(&loc, &g[2]);
	memcpy(&before, &loc, sizeof(loc));

	oomfail_arm(n);
	err = pidf_parse(&loc, c->b->buf, c->b->len, &said);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, c->ref_err);
	if (err) {
		assert_memory_equal(&before, &loc, sizeof(loc));
	} else if (!location_equal(&loc, &c->ref)) {
		shortened(c->b->name, n);
	}
	location_reset(&loc);
	return fired;
}

static void pidf_parse_oom(void **state)
{
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("pidf", &n);
	for (i = 0; i < n; i++) {
		struct pidf_case c = {.b = &v[i]};

		memset(&c.ref, 0, sizeof(c.ref));
		c.ref_err = pidf_parse(&c.ref, v[i].buf, v[i].len, NULL);
		sweep(v[i].name, pidf_parse_attempt, &c);
		location_reset(&c.ref);
	}
	corpus_free(v, n);
}

static const struct pidf_params pidf_params = {
	.entity = "sip:alice@example.com",
	.device_id = "mac:001122334455",
	.id_seed = "oom",
	.timestamp = T0,
	.retention_expiry = T0 + 86400,
	.retransmission_allowed = true,
};

struct build_case {
	struct pidf_params params;
	struct location loc;
	struct mbuf *ref;
	int ref_err;
	const char *what;
};

static bool pidf_build_attempt(size_t n, const void *arg)
{
	const struct build_case *c = arg;
	struct mbuf *mb = prefixed();
	bool fired;
	int err;

	oomfail_arm(n);
	err = pidf_build(mb, &c->loc, &c->params);
	fired = oomfail_disarm();

	result_ok(c->what, n, fired, err, c->ref_err);
	if (err)
		prefix_only(mb, c->what);
	else
		same_output(mb, c->ref, c->what);
	mem_deref(mb);
	return fired;
}

static void pidf_build_oom(void **state)
{
	struct geo g[LOCSAMPLE_SHAPES];
	size_t ng = LOCSAMPLE_SHAPES, i;
	(void)state;

	locsample_shapes(g, &ng);
	for (i = 0; i < ng; i++) {
		static const enum pidf_profile profiles[] = {
			PIDF_PROFILE_RFC5491, PIDF_PROFILE_MICROSOFT};
		size_t k;

		for (k = 0; k < ARRAY_SIZE(profiles); k++) {
			struct build_case c = {.what = "pidf_build",
					       .params = pidf_params};

			c.params.profile = profiles[k];
			locsample_record(&c.loc, &g[i]);
			c.ref = prefixed();
			c.ref_err = pidf_build(c.ref, &c.loc, &c.params);
			assert_int_equal(0, c.ref_err);
			sweep(geo_shape_name(g[i].shape), pidf_build_attempt,
			      &c);
			mem_deref(c.ref);
			location_reset(&c.loc);
		}
	}
}

/* --- held ---------------------------------------------------------------- */

struct held_case {
	const struct blob *b;
	struct held_response ref;
	int ref_err;
};

static bool held_decode_attempt(size_t n, const void *arg)
{
	const struct held_case *c = arg;
	struct held_response resp, before;
	struct geo g[LOCSAMPLE_SHAPES];
	size_t ng = LOCSAMPLE_SHAPES;
	bool fired;
	int err;

	memset(&resp, 0, sizeof(resp));
	locsample_shapes(g, &ng);
	locsample_record(&resp.loc, &g[0]);
	str_ncpy(resp.message, "earlier", sizeof(resp.message));
	memcpy(&before, &resp, sizeof(resp));

	oomfail_arm(n);
	err = held_response_decode(&resp, c->b->buf, c->b->len, &said);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, c->ref_err);
	if (err) {
		assert_memory_equal(&before, &resp, sizeof(resp));
	} else if (resp.error != c->ref.error ||
		   strcmp(resp.code_text, c->ref.code_text) ||
		   strcmp(resp.message, c->ref.message) ||
		   !location_equal(&resp.loc, &c->ref.loc)) {
		shortened(c->b->name, n);
	}
	held_response_reset(&resp);
	return fired;
}

static void held_decode_oom(void **state)
{
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("held", &n);
	for (i = 0; i < n; i++) {
		struct held_case c = {.b = &v[i]};

		c.ref_err =
			held_response_decode(&c.ref, v[i].buf, v[i].len, NULL);
		sweep(v[i].name, held_decode_attempt, &c);
		held_response_reset(&c.ref);
	}
	corpus_free(v, n);
}

struct heldreq_case {
	struct held_request req;
	struct mbuf *ref;
};

static bool held_encode_attempt(size_t n, const void *arg)
{
	const struct heldreq_case *c = arg;
	struct mbuf *mb = prefixed();
	bool fired;
	int err;

	oomfail_arm(n);
	err = held_request_encode(mb, &c->req);
	fired = oomfail_disarm();

	result_ok("held_request_encode", n, fired, err, 0);
	if (err)
		prefix_only(mb, "held_request_encode");
	else
		same_output(mb, c->ref, "held_request_encode");
	mem_deref(mb);
	return fired;
}

static void held_encode_oom(void **state)
{
	static const struct held_wifi_ap aps[2];
	struct heldreq_case c;
	(void)state;

	memset(&c, 0, sizeof(c));
	c.req.response_time = HELD_RESPONSE_TIME_EMERGENCY_ROUTING;
	assert_int_equal(0, sa_set_str(&c.req.ip, "192.0.2.7", 0));
	c.req.has_mac = true;
	memcpy(c.req.mac, "\x00\x11\x22\x33\x44\x55", 6);
	c.req.uri = "sip:alice@example.com";
	c.req.apv = aps;
	c.req.apc = 0;
	c.ref = prefixed();
	assert_int_equal(0, held_request_encode(c.ref, &c.req));
	sweep("held_request_encode", held_encode_attempt, &c);
	mem_deref(c.ref);
}

/* --- lldp ---------------------------------------------------------------- */

/* the frame as JSON text, NULL if it has none */
static char *frame_text(const struct lldp_frame *f)
{
	struct odict *od = NULL;
	char *s = NULL;

	assert_int_equal(0, odict_alloc(&od, 32));
	assert_int_equal(0, lldp_frame_json_encode(od, f));
	assert_int_equal(0, re_sdprintf(&s, "%H", json_encode_odict, od));
	mem_deref(od);
	return s;
}

struct lldp_case {
	const struct blob *b;
	int ref_err;
	char *ref_text;
};

static bool lldp_decode_attempt(size_t n, const void *arg)
{
	const struct lldp_case *c = arg;
	struct lldp_frame f;
	bool fired;
	int err;

	memset(&f, 0, sizeof(f));
	oomfail_arm(n);
	err = lldp_decode(&f, c->b->buf, c->b->len, NULL);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, c->ref_err);
	if (!err) {
		char *text = frame_text(&f);

		assert_string_equal(c->ref_text, text);
		mem_deref(text);
	}
	lldp_frame_reset(&f);
	return fired;
}

static bool lldp_json_attempt(size_t n, const void *arg)
{
	const struct lldp_case *c = arg;
	struct odict *od = NULL;
	struct lldp_frame f;
	size_t count;
	bool fired;
	int err;

	memset(&f, 0, sizeof(f));
	assert_int_equal(0, lldp_decode(&f, c->b->buf, c->b->len, NULL));
	assert_int_equal(0, odict_alloc(&od, 32));
	count = odict_count(od, false);

	oomfail_arm(n);
	err = lldp_frame_json_encode(od, &f);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, 0);
	if (!err) {
		char *s = NULL;

		assert_int_equal(0,
				 re_sdprintf(&s, "%H", json_encode_odict, od));
		assert_string_equal(c->ref_text, s);
		mem_deref(s);
	}
	(void)count;
	mem_deref(od);
	lldp_frame_reset(&f);
	return fired;
}

static void lldp_oom(void **state)
{
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("lldp", &n);
	for (i = 0; i < n; i++) {
		struct lldp_case c = {.b = &v[i]};
		struct lldp_frame f;

		memset(&f, 0, sizeof(f));
		c.ref_err = lldp_decode(&f, v[i].buf, v[i].len, NULL);
		if (!c.ref_err)
			c.ref_text = frame_text(&f);
		lldp_frame_reset(&f);
		sweep(v[i].name, lldp_decode_attempt, &c);
		if (!c.ref_err)
			sweep("lldp_frame_json_encode", lldp_json_attempt, &c);
		mem_deref(c.ref_text);
	}
	corpus_free(v, n);
}

struct lldp_tx_case {
	struct lldp_tx tx;
	struct mbuf *ref;
};

static bool lldp_encode_attempt(size_t n, const void *arg)
{
	const struct lldp_tx_case *c = arg;
	struct mbuf *mb = prefixed();
	bool fired;
	int err;

	oomfail_arm(n);
	err = lldp_encode(mb, &c->tx);
	fired = oomfail_disarm();

	result_ok("lldp_encode", n, fired, err, 0);
	if (err)
		prefix_only(mb, "lldp_encode");
	else
		same_output(mb, c->ref, "lldp_encode");
	mem_deref(mb);
	return fired;
}

static void lldp_encode_oom(void **state)
{
	struct lldp_tx_case c;
	(void)state;

	memset(&c, 0, sizeof(c));
	memcpy(c.tx.mac, "\x02\x11\x22\x33\x44\x55", 6);
	c.tx.ifname = "eth0";
	c.tx.ttl = 120;
	c.tx.sys_name = "locphone";
	c.tx.sw_rev = "1.0";
	c.tx.manufacturer = "locphone";
	c.tx.model = "softphone";
	c.ref = prefixed();
	assert_int_equal(0, lldp_encode(c.ref, &c.tx));
	sweep("lldp_encode", lldp_encode_attempt, &c);
	mem_deref(c.ref);
}

/* --- savedloc ------------------------------------------------------------ */

struct savedloc_case {
	const struct blob *b;
	int ref_err;
	struct mbuf *ref; /* the decoded store encoded, after "prefix" */
	const char *path;
};

static bool savedloc_decode_attempt(size_t n, const void *arg)
{
	const struct savedloc_case *c = arg;
	struct savedloc *s = NULL;
	struct savedloc_error e;
	bool fired;
	int err;

	oomfail_arm(n);
	err = savedloc_decode(&s, (const char *)c->b->buf, c->b->len, &e);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, c->ref_err);
	if (err) {
		assert_null(s);
		assert_true(e.why[0] != '\0');
	} else {
		struct mbuf *mb = prefixed();

		assert_int_equal(0, savedloc_encode(mb, s));
		same_output(mb, c->ref, c->b->name);
		mem_deref(mb);
	}
	mem_deref(s);
	return fired;
}

static bool savedloc_encode_attempt(size_t n, const void *arg)
{
	const struct savedloc_case *c = arg;
	struct savedloc *s = NULL;
	struct mbuf *mb;
	bool fired;
	int err;

	assert_int_equal(0, savedloc_decode(&s, (const char *)c->b->buf,
					    c->b->len, NULL));
	mb = prefixed();
	oomfail_arm(n);
	err = savedloc_encode(mb, s);
	fired = oomfail_disarm();

	result_ok("savedloc_encode", n, fired, err, 0);
	if (err)
		prefix_only(mb, "savedloc_encode");
	else
		same_output(mb, c->ref, "savedloc_encode");
	mem_deref(mb);
	mem_deref(s);
	return fired;
}

/* the file at path, read whole */
static struct mbuf *file_bytes(const char *path)
{
	struct mbuf *mb = mbuf_alloc(1024);
	uint8_t buf[4096];
	size_t got;
	FILE *f = fopen(path, "rb");

	assert_non_null(mb);
	assert_non_null(f);
	while ((got = fread(buf, 1, sizeof(buf), f)))
		assert_int_equal(0, mbuf_write_mem(mb, buf, got));
	fclose(f);
	return mb;
}

static bool savedloc_save_attempt(size_t n, const void *arg)
{
	const struct savedloc_case *c = arg;
	struct savedloc *s = NULL, *empty = NULL;
	struct mbuf *before, *after;
	bool fired;
	int err;

	/* an empty store saved there first: a failed save keeps it */
	assert_int_equal(0, savedloc_alloc(&empty));
	assert_int_equal(0, savedloc_save(empty, c->path));
	before = file_bytes(c->path);
	assert_int_equal(0, savedloc_decode(&s, (const char *)c->b->buf,
					    c->b->len, NULL));

	oomfail_arm(n);
	err = savedloc_save(s, c->path);
	fired = oomfail_disarm();

	result_ok("savedloc_save", n, fired, err, 0);
	after = file_bytes(c->path);
	if (err) {
		/* the old file, or (a failure after the rename, syncing the
		 * directory) the whole new one: never a part */
		if (!(after->end == before->end &&
		      !memcmp(after->buf, before->buf, after->end)) &&
		    !(after->end + 6 == c->ref->end &&
		      !memcmp(after->buf, c->ref->buf + 6, after->end)))
			fail_msg("savedloc_save: allocation %zu failed, the "
				 "file is neither the old nor the new store",
				 n);
	} else {
		struct savedloc *back = NULL;
		struct mbuf *mb = prefixed();

		assert_int_equal(0, savedloc_decode(&back,
						    (const char *)after->buf,
						    after->end, NULL));
		assert_int_equal(0, savedloc_encode(mb, back));
		same_output(mb, c->ref, "savedloc_save");
		mem_deref(mb);
		mem_deref(back);
	}
	mem_deref(before);
	mem_deref(after);
	mem_deref(s);
	mem_deref(empty);
	return fired;
}

static bool savedloc_load_attempt(size_t n, const void *arg)
{
	const struct savedloc_case *c = arg;
	struct savedloc *s = NULL, *keep = NULL;
	struct savedloc_error e;
	bool fired;
	int err;

	assert_int_equal(0, savedloc_decode(&keep, (const char *)c->b->buf,
					    c->b->len, NULL));
	assert_int_equal(0, savedloc_save(keep, c->path));
	mem_deref(keep);

	oomfail_arm(n);
	err = savedloc_load(&s, c->path, &e);
	fired = oomfail_disarm();

	result_ok("savedloc_load", n, fired, err, 0);
	if (err) {
		assert_null(s);
		/* memory, not the file, was short: it stays in place */
		assert_int_equal(0, access(c->path, F_OK));
		assert_string_equal("", e.aside);
	} else {
		struct mbuf *mb = prefixed();

		assert_int_equal(0, savedloc_encode(mb, s));
		same_output(mb, c->ref, "savedloc_load");
		mem_deref(mb);
	}
	mem_deref(s);
	return fired;
}

static bool savedloc_put_attempt(size_t n, const void *arg)
{
	const struct savedloc_case *c = arg;
	const char *fps[] = {"00112233445566778899aabbccddeeff", "c0ffee"};
	struct savedloc_coord coord = {47.6396, -122.1284};
	struct savedloc *s = NULL;
	struct mbuf *before, *after;
	struct civic civ;
	bool fired;
	int err;

	assert_int_equal(0, savedloc_decode(&s, (const char *)c->b->buf,
					    c->b->len, NULL));
	memset(&civ, 0, sizeof(civ));
	assert_int_equal(0, civic_set_str(&civ, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&civ, CIVIC_A3, "Redmond"));
	assert_int_equal(0, civic_set_str(&civ, CIVIC_RD, "Elm"));
	before = prefixed();
	assert_int_equal(0, savedloc_encode(before, s));

	oomfail_arm(n);
	err = savedloc_put(s, "Out of memory", &civ, &coord, fps, 2);
	fired = oomfail_disarm();

	result_ok("savedloc_put", n, fired, err, 0);
	after = prefixed();
	assert_int_equal(0, savedloc_encode(after, s));
	if (err)
		same_output(after, before, "savedloc_put (the store)");
	else
		assert_non_null(savedloc_find(s, "Out of memory"));
	civic_reset(&civ);
	mem_deref(before);
	mem_deref(after);
	mem_deref(s);
	return fired;
}

static void savedloc_oom(void **state)
{
	char dir[] = "/tmp/locphone-oom-XXXXXX";
	char path[64];
	struct blob *v;
	size_t n, i;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/saved", dir);
	v = corpus("savedloc", &n);
	for (i = 0; i < n; i++) {
		struct savedloc_case c = {.b = &v[i], .path = path};
		struct savedloc *s = NULL;

		c.ref_err = savedloc_decode(&s, (const char *)v[i].buf,
					    v[i].len, NULL);
		c.ref = prefixed();
		if (!c.ref_err)
			assert_int_equal(0, savedloc_encode(c.ref, s));
		mem_deref(s);
		sweep(v[i].name, savedloc_decode_attempt, &c);
		if (!c.ref_err) {
			sweep("savedloc_encode", savedloc_encode_attempt, &c);
			sweep("savedloc_put", savedloc_put_attempt, &c);
			sweep("savedloc_save", savedloc_save_attempt, &c);
			sweep("savedloc_load", savedloc_load_attempt, &c);
		}
		mem_deref(c.ref);
	}
	corpus_free(v, n);
	unlink(path);
	rmdir(dir);
}

/* --- policy, kvconf ------------------------------------------------------ */

struct policy_case {
	const struct blob *b;
	size_t alen; /* the admin file: up to the first NUL */
	struct mbuf *ref_print;
};

static bool kvconf_attempt(size_t n, const void *arg)
{
	const struct policy_case *c = arg;
	struct kvconf *kv = NULL;
	bool fired;
	int err, ref;

	ref = kvconf_parse(&kv, "admin", (const char *)c->b->buf, c->alen,
			   NULL);
	kv = mem_deref(kv);

	oomfail_arm(n);
	err = kvconf_parse(&kv, "admin", (const char *)c->b->buf, c->alen,
			   NULL);
	fired = oomfail_disarm();

	result_ok("kvconf_parse", n, fired, err, ref);
	if (err)
		assert_null(kv);
	mem_deref(kv);
	return fired;
}

static bool policy_load_attempt(size_t n, const void *arg)
{
	const struct policy_case *c = arg;
	struct kvconf *admin = NULL;
	struct policy p, before;
	struct policy_diag diag;
	struct mbuf *mb;
	bool fired;
	int err;

	(void)kvconf_parse(&admin, "admin", (const char *)c->b->buf, c->alen,
			   NULL);
	/* an earlier policy (the defaults): a failed load keeps it */
	memset(&p, 0, sizeof(p));
	assert_int_equal(0, policy_load(&p, NULL, NULL, NULL));
	memcpy(&before, &p, sizeof(p));
	memset(&diag, 0, sizeof(diag));

	oomfail_arm(n);
	err = policy_load(&p, NULL, admin, &diag);
	fired = oomfail_disarm();

	result_ok("policy_load", n, fired, err, 0);
	if (err) {
		assert_memory_equal(&before, &p, sizeof(p));
	} else {
		mb = prefixed();
		assert_int_equal(0, mbuf_printf(mb, "%H", policy_print, &p));
		same_output(mb, c->ref_print, "policy_load");
		mem_deref(mb);
	}
	policy_diag_reset(&diag);
	/* on success the earlier policy's strings went with it */
	policy_reset(&p);
	mem_deref(admin);
	return fired;
}

static bool policy_encode_attempt(size_t n, const void *arg)
{
	const struct policy_case *c = arg;
	struct kvconf *admin = NULL;
	struct odict *od = NULL;
	struct policy p;
	bool fired;
	int err;

	(void)kvconf_parse(&admin, "admin", (const char *)c->b->buf, c->alen,
			   NULL);
	memset(&p, 0, sizeof(p));
	assert_int_equal(0, policy_load(&p, NULL, admin, NULL));

	oomfail_arm(n);
	err = policy_encode(&od, &p);
	fired = oomfail_disarm();

	result_ok("policy_encode", n, fired, err, 0);
	if (err)
		assert_null(od);
	mem_deref(od);
	policy_reset(&p);
	mem_deref(admin);
	return fired;
}

static bool policy_print_attempt(size_t n, const void *arg)
{
	const struct policy_case *c = arg;
	struct kvconf *admin = NULL;
	struct policy p;
	char *s = NULL;
	bool fired;
	int err;

	(void)kvconf_parse(&admin, "admin", (const char *)c->b->buf, c->alen,
			   NULL);
	memset(&p, 0, sizeof(p));
	assert_int_equal(0, policy_load(&p, NULL, admin, NULL));

	oomfail_arm(n);
	err = re_sdprintf(&s, "%H", policy_print, &p);
	fired = oomfail_disarm();

	result_ok("policy_print", n, fired, err, 0);
	if (!err) {
		assert_int_equal(c->ref_print->end - 6, strlen(s));
		assert_memory_equal(c->ref_print->buf + 6, s, strlen(s));
	}
	mem_deref(s);
	policy_reset(&p);
	mem_deref(admin);
	return fired;
}

static void policy_oom(void **state)
{
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("policy", &n);
	for (i = 0; i < n; i++) {
		const uint8_t *nul = memchr(v[i].buf, 0, v[i].len);
		struct policy_case c = {.b = &v[i]};
		struct kvconf *admin = NULL;
		struct policy p;

		c.alen = nul ? (size_t)(nul - v[i].buf) : v[i].len;
		(void)kvconf_parse(&admin, "admin", (const char *)v[i].buf,
				   c.alen, NULL);
		memset(&p, 0, sizeof(p));
		assert_int_equal(0, policy_load(&p, NULL, admin, NULL));
		c.ref_print = prefixed();
		assert_int_equal(
			0, mbuf_printf(c.ref_print, "%H", policy_print, &p));
		policy_reset(&p);
		mem_deref(admin);

		sweep(v[i].name, kvconf_attempt, &c);
		sweep("policy_load", policy_load_attempt, &c);
		sweep("policy_encode", policy_encode_attempt, &c);
		sweep("policy_print", policy_print_attempt, &c);
		mem_deref(c.ref_print);
	}
	corpus_free(v, n);
}

/* --- sites --------------------------------------------------------------- */

/* the sites the fuzz target looks at: none (-1) and the first 8 */
static size_t sites_shown(const struct policy_sites *s)
{
	size_t n = policy_sites_count(s);

	return n < 8 ? n : 8;
}

/* every site's effective policy, printed after "prefix" */
static struct mbuf *sites_print(const struct policy_sites *s)
{
	struct mbuf *mb = prefixed();
	size_t i;

	assert_int_equal(0,
			 mbuf_printf(mb, "%zu sites\n", policy_sites_count(s)));
	for (i = 0; i <= sites_shown(s); i++) {
		struct policy p;

		memset(&p, 0, sizeof(p));
		assert_int_equal(0, policy_site_load(&p, NULL, s, NULL,
						     (int)i - 1, NULL, NULL));
		assert_int_equal(0, mbuf_printf(mb, "%H", policy_print, &p));
		policy_reset(&p);
	}
	return mb;
}

struct sites_case {
	const struct blob *b;
	struct kvconf *admin;
	struct mbuf *ref;      /* sites_print() */
	int site;	       /* for sites_load_attempt */
	struct mbuf *ref_site; /* that site's policy printed */
};

static bool sites_parse_attempt(size_t n, const void *arg)
{
	const struct sites_case *c = arg;
	struct policy_sites *s = NULL;
	struct policy_diag diag;
	bool fired;
	int err;

	memset(&diag, 0, sizeof(diag));
	oomfail_arm(n);
	err = policy_sites_parse(&s, c->admin, &diag);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, 0);
	if (err) {
		assert_null(s);
	} else {
		struct mbuf *mb = sites_print(s);

		same_output(mb, c->ref, c->b->name);
		mem_deref(mb);
	}
	policy_diag_reset(&diag);
	mem_deref(s);
	return fired;
}

static bool sites_load_attempt(size_t n, const void *arg)
{
	const struct sites_case *c = arg;
	enum policy_origin o[POLICY_KEY_COUNT];
	struct policy_sites *s = NULL;
	struct policy_diag diag;
	struct policy p, before;
	bool fired;
	int err;

	assert_int_equal(0, policy_sites_parse(&s, c->admin, NULL));
	/* an earlier policy (the defaults): a failed load keeps it */
	memset(&p, 0, sizeof(p));
	assert_int_equal(0, policy_load(&p, NULL, NULL, NULL));
	memcpy(&before, &p, sizeof(p));
	memset(&diag, 0, sizeof(diag));

	oomfail_arm(n);
	err = policy_site_load(&p, NULL, s, NULL, c->site, o, &diag);
	fired = oomfail_disarm();

	result_ok("policy_site_load", n, fired, err, 0);
	if (err) {
		assert_memory_equal(&before, &p, sizeof(p));
	} else {
		struct mbuf *mb = prefixed();

		assert_int_equal(0, mbuf_printf(mb, "%H", policy_print, &p));
		same_output(mb, c->ref_site, "policy_site_load");
		mem_deref(mb);
	}
	policy_diag_reset(&diag);
	policy_reset(&p);
	mem_deref(s);
	return fired;
}

static void sites_oom(void **state)
{
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("sites", &n);
	for (i = 0; i < n; i++) {
		struct sites_case c = {.b = &v[i]};
		struct policy_sites *s = NULL;

		(void)kvconf_parse(&c.admin, "admin", (const char *)v[i].buf,
				   v[i].len, NULL);
		assert_int_equal(0, policy_sites_parse(&s, c.admin, NULL));
		c.ref = sites_print(s);

		sweep(v[i].name, sites_parse_attempt, &c);
		for (c.site = -1; c.site < (int)sites_shown(s); c.site++) {
			struct policy p;

			memset(&p, 0, sizeof(p));
			assert_int_equal(0,
					 policy_site_load(&p, NULL, s, NULL,
							  c.site, NULL, NULL));
			c.ref_site = prefixed();
			assert_int_equal(0, mbuf_printf(c.ref_site, "%H",
							policy_print, &p));
			policy_reset(&p);
			sweep("policy_site_load", sites_load_attempt, &c);
			mem_deref(c.ref_site);
		}
		mem_deref(s);
		mem_deref(c.ref);
		mem_deref(c.admin);
	}
	corpus_free(v, n);
}

/* --- wifi, netlink --------------------------------------------------------- */

/* od as JSON text */
static char *odict_text(const struct odict *od)
{
	char *s = NULL;

	assert_int_equal(0, re_sdprintf(&s, "%H", json_encode_odict, od));
	return s;
}

struct nl_case {
	const struct blob *b;
	int ref_iface, ref_bss, ref_feed;
	struct wifi_bss bss;
	struct netsnap *snap;
	char *ref_text;
};

static bool wifi_decode_attempt(size_t n, const void *arg)
{
	const struct nl_case *c = arg;
	struct wifi_iface ifc;
	struct wifi_bss bss;
	const char *why = NULL;
	bool fired;
	int e1, e2;

	oomfail_arm(n);
	e1 = wifi_iface_decode(&ifc, c->b->buf, c->b->len, &why);
	e2 = wifi_bss_decode(&bss, c->b->buf, c->b->len, &why);
	fired = oomfail_disarm();

	result_ok("wifi_iface_decode", n, fired, e1, c->ref_iface);
	result_ok("wifi_bss_decode", n, fired, e2, c->ref_bss);
	if (!e2)
		assert_memory_equal(&bss, &c->bss, sizeof(bss));
	return fired;
}

static bool wifi_json_attempt(size_t n, const void *arg)
{
	const struct nl_case *c = arg;
	struct odict *od = NULL;
	bool fired;
	int err;

	assert_int_equal(0, odict_alloc(&od, 8));
	oomfail_arm(n);
	err = wifi_bss_json_encode(od, &c->bss, "wlan0");
	fired = oomfail_disarm();

	result_ok("wifi_bss_json_encode", n, fired, err, 0);
	if (!err) {
		char *s = odict_text(od);

		assert_string_equal(c->ref_text, s);
		mem_deref(s);
	}
	mem_deref(od);
	return fired;
}

static void wifi_oom(void **state)
{
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("wifi", &n);
	for (i = 0; i < n; i++) {
		struct nl_case c = {.b = &v[i]};
		struct wifi_iface ifc;
		const char *why;

		memset(&c.bss, 0, sizeof(c.bss));
		c.ref_iface = wifi_iface_decode(&ifc, v[i].buf, v[i].len, &why);
		c.ref_bss = wifi_bss_decode(&c.bss, v[i].buf, v[i].len, &why);
		sweep(v[i].name, wifi_decode_attempt, &c);
		if (!c.ref_bss) {
			struct odict *od = NULL;

			assert_int_equal(0, odict_alloc(&od, 8));
			assert_int_equal(
				0, wifi_bss_json_encode(od, &c.bss, "wlan0"));
			c.ref_text = odict_text(od);
			mem_deref(od);
			sweep("wifi_bss_json_encode", wifi_json_attempt, &c);
			mem_deref(c.ref_text);
		}
	}
	corpus_free(v, n);
}

static bool netstate_attempt(size_t n, const void *arg)
{
	const struct nl_case *c = arg;
	static struct netstate ns;
	static struct netsnap snap;
	const char *why = NULL;
	bool fired;
	int err;

	memset(&ns, 0, sizeof(ns));
	oomfail_arm(n);
	err = netstate_feed(&ns, c->b->buf, c->b->len, NULL, &why);
	netstate_snapshot(&ns, &snap);
	fired = oomfail_disarm();

	result_ok(c->b->name, n, fired, err, c->ref_feed);
	assert_true(netsnap_equal(&snap, c->snap));
	return fired;
}

static bool netsnap_json_attempt(size_t n, const void *arg)
{
	const struct nl_case *c = arg;
	struct odict *od = NULL;
	bool fired;
	int err;

	assert_int_equal(0, odict_alloc(&od, 8));
	oomfail_arm(n);
	err = netsnap_json_encode(od, c->snap);
	fired = oomfail_disarm();

	result_ok("netsnap_json_encode", n, fired, err, 0);
	if (!err) {
		char *s = odict_text(od);

		assert_string_equal(c->ref_text, s);
		mem_deref(s);
	}
	mem_deref(od);
	return fired;
}

static void netlink_oom(void **state)
{
	static struct netstate ns;
	static struct netsnap snap;
	struct blob *v;
	size_t n, i;
	(void)state;

	v = corpus("netlink", &n);
	for (i = 0; i < n; i++) {
		struct nl_case c = {.b = &v[i], .snap = &snap};
		struct odict *od = NULL;
		const char *why;

		memset(&ns, 0, sizeof(ns));
		c.ref_feed = netstate_feed(&ns, v[i].buf, v[i].len, NULL, &why);
		netstate_snapshot(&ns, &snap);
		assert_int_equal(0, odict_alloc(&od, 8));
		assert_int_equal(0, netsnap_json_encode(od, &snap));
		c.ref_text = odict_text(od);
		mem_deref(od);

		sweep(v[i].name, netstate_attempt, &c);
		sweep("netsnap_json_encode", netsnap_json_attempt, &c);
		mem_deref(c.ref_text);
	}
	corpus_free(v, n);
}

/* --- fingerprint --------------------------------------------------------- */

static bool fingerprint_attempt(size_t n, const void *arg)
{
	const struct fingerprint_input *in = arg;
	char out[FINGERPRINT_LEN + 1], ref[FINGERPRINT_LEN + 1];
	enum fingerprint_basis basis = 0;
	bool fired;
	int err;

	assert_int_equal(0, fingerprint_compute(ref, NULL, in));
	memset(out, 'x', sizeof(out));
	oomfail_arm(n);
	err = fingerprint_compute(out, &basis, in);
	fired = oomfail_disarm();

	result_ok("fingerprint_compute", n, fired, err, 0);
	if (err) {
		assert_int_equal(0, basis);
		assert_memory_equal("xxxxxxxxxxxxxxxxx", out, sizeof(out));
	} else {
		assert_string_equal(ref, out);
	}
	return fired;
}

static void fingerprint_oom(void **state)
{
	static const uint8_t gw[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xaa};
	struct fingerprint_input in;
	(void)state;

	memset(&in, 0, sizeof(in));
	in.link = FINGERPRINT_LINK_WIRED;
	in.has_gw_mac = true;
	memcpy(in.gw_mac, gw, 6);
	assert_int_equal(0, sa_set_str(&in.subnet4, "192.0.2.7", 0));
	in.prefix4 = 24;
	sweep("fingerprint_compute", fingerprint_attempt, &in);
}

/* --- multipart ----------------------------------------------------------- */

static bool multipart_attempt(size_t n, const void *arg)
{
	const struct mbuf *ref = arg;
	static const char sdp[] = "v=0\r\n";
	static const char pidf[] = "<presence/>";
	struct mbuf *mb = prefixed();
	bool fired;
	int err;

	oomfail_arm(n);
	err = multipart_build(mb, "boundary1", "application/sdp",
			      (const uint8_t *)sdp, strlen(sdp),
			      "Content-Type: application/pidf+xml\r\n"
			      "Content-ID: <abc@example.com>\r\n",
			      (const uint8_t *)pidf, strlen(pidf));
	fired = oomfail_disarm();

	result_ok("multipart_build", n, fired, err, 0);
	if (err)
		prefix_only(mb, "multipart_build");
	else if (ref)
		same_output(mb, ref, "multipart_build");
	mem_deref(mb);
	return fired;
}

static void multipart_oom(void **state)
{
	struct mbuf *ref;
	(void)state;

	/* the reference: the first run, unarmed (n past any count) */
	ref = prefixed();
	assert_int_equal(
		0, multipart_build(ref, "boundary1", "application/sdp",
				   (const uint8_t *)"v=0\r\n", 5,
				   "Content-Type: application/pidf+xml\r\n"
				   "Content-ID: <abc@example.com>\r\n",
				   (const uint8_t *)"<presence/>", 11));
	sweep("multipart_build", multipart_attempt, ref);
	mem_deref(ref);
}

/* --- ctlproto, manual location ------------------------------------------- */

struct line_case {
	const char *line;
	size_t len;
	int ref_err;
	char name[64];
};

static bool ctl_decode_attempt(size_t n, const void *arg)
{
	const struct line_case *c = arg;
	struct ctl_request req;
	const char *why = NULL;
	int64_t id = -7;
	bool fired;
	int err;

	memset(&req, 0, sizeof(req));
	oomfail_arm(n);
	err = ctl_request_decode(&req, c->line, c->len, &id, &why);
	fired = oomfail_disarm();

	result_ok(c->name, n, fired, err, c->ref_err);
	if (!err)
		ctl_request_reset(&req);
	return fired;
}

static bool manual_decode_attempt(size_t n, const void *arg)
{
	const struct line_case *c = arg;
	struct location loc, before;
	struct ctl_request req;
	struct geo g[LOCSAMPLE_SHAPES];
	size_t ng = LOCSAMPLE_SHAPES;
	const char *errmsg = NULL;
	char why[512];
	int64_t id;
	bool fired;
	int err, ref;

	assert_int_equal(
		0, ctl_request_decode(&req, c->line, c->len, &id, &errmsg));
	memset(&loc, 0, sizeof(loc));
	ref = locsource_manual_decode(&loc, req.args, T0, why, sizeof(why));
	location_reset(&loc);

	locsample_shapes(g, &ng);
	locsample_record(&loc, &g[0]);
	memcpy(&before, &loc, sizeof(loc));
	oomfail_arm(n);
	err = locsource_manual_decode(&loc, req.args, T0, why, sizeof(why));
	fired = oomfail_disarm();

	result_ok("locsource_manual_decode", n, fired, err, ref);
	(void)before;
	location_reset(&loc);
	ctl_request_reset(&req);
	return fired;
}

static void lines_sweep(const char *target, attempt_h *attempt, bool valid)
{
	struct blob *v;
	size_t n, i;

	v = corpus(target, &n);
	for (i = 0; i < n; i++) {
		const char *p = (const char *)v[i].buf;
		const char *end = p + v[i].len;
		unsigned k = 0;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			struct line_case c;
			struct ctl_request req;
			const char *why = NULL;
			int64_t id;

			c.line = p;
			c.len = nl ? (size_t)(nl - p) : (size_t)(end - p);
			snprintf(c.name, sizeof(c.name), "%s:%u", v[i].name,
				 ++k);
			c.ref_err = ctl_request_decode(&req, c.line, c.len, &id,
						       &why);
			if (!c.ref_err)
				ctl_request_reset(&req);
			if (!valid || !c.ref_err)
				sweep(c.name, attempt, &c);
			p += c.len + 1;
		}
	}
	corpus_free(v, n);
}

static void ctlproto_oom(void **state)
{
	(void)state;
	lines_sweep("ctlproto", ctl_decode_attempt, false);
	lines_sweep("manualset", ctl_decode_attempt, false);
}

static void manual_location_oom(void **state)
{
	(void)state;
	lines_sweep("manualset", manual_decode_attempt, true);
}

static bool ctl_encode_attempt(size_t n, const void *arg)
{
	const struct mbuf *ref = arg;
	struct odict *od = NULL;
	struct mbuf *mb;
	bool fired;
	int err;

	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(
		0, odict_entry_add(od, "state", ODICT_STRING, "established"));
	assert_int_equal(0, odict_entry_add(od, "id", ODICT_INT, 3LL));
	mb = prefixed();

	oomfail_arm(n);
	err = ctl_event_encode(mb, "call.state", od);
	if (!err)
		err = ctl_reply_encode(mb, 42, od, NULL);
	if (!err)
		err = ctl_reply_encode(mb, 43, NULL, "no such call");
	fired = oomfail_disarm();

	result_ok("ctl_event_encode, ctl_reply_encode", n, fired, err, 0);
	if (!err)
		same_output(mb, ref, "ctl encoders");
	mem_deref(mb);
	mem_deref(od);
	return fired;
}

static void ctl_encode_oom(void **state)
{
	struct odict *od = NULL;
	struct mbuf *ref = prefixed();
	(void)state;

	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(
		0, odict_entry_add(od, "state", ODICT_STRING, "established"));
	assert_int_equal(0, odict_entry_add(od, "id", ODICT_INT, 3LL));
	assert_int_equal(0, ctl_event_encode(ref, "call.state", od));
	assert_int_equal(0, ctl_reply_encode(ref, 42, od, NULL));
	assert_int_equal(0, ctl_reply_encode(ref, 43, NULL, "no such call"));
	sweep("ctl_event_encode, ctl_reply_encode", ctl_encode_attempt, ref);
	mem_deref(od);
	mem_deref(ref);
}

/* --- location json, copy, civic ------------------------------------------ */

static bool location_json_attempt(size_t n, const void *arg)
{
	const struct geo *g = arg;
	struct location loc, back, before;
	struct odict *od = NULL;
	char *ref = NULL, *s = NULL;
	bool fired;
	int err;

	locsample_record(&loc, g);
	assert_int_equal(0, odict_alloc(&od, 32));

	oomfail_arm(n);
	err = location_json_encode(od, &loc);
	fired = oomfail_disarm();
	result_ok("location_json_encode", n, fired, err, 0);

	if (!err) {
		/* and back, with the failure at the same count */
		memset(&back, 0, sizeof(back));
		locsample_record(&back, g);
		memcpy(&before, &back, sizeof(back));
		oomfail_arm(n);
		err = location_json_decode(&back, od, NULL);
		fired = oomfail_disarm() || fired;
		result_ok("location_json_decode", n, fired, err, 0);
		if (err)
			assert_memory_equal(&before, &back, sizeof(back));
		else
			assert_true(location_equal(&loc, &back));
		location_reset(&back);
	}
	mem_deref(ref);
	mem_deref(s);
	mem_deref(od);
	location_reset(&loc);
	return fired;
}

static bool location_copy_attempt(size_t n, const void *arg)
{
	const struct geo *g = arg;
	struct location src, dst;
	bool fired;
	int err;

	locsample_record(&src, g);
	locsample_record(&dst, g);

	oomfail_arm(n);
	err = location_copy(&dst, &src);
	fired = oomfail_disarm();

	result_ok("location_copy", n, fired, err, 0);
	if (err)
		assert_false(location_has_value(&dst));
	else
		assert_true(location_equal(&src, &dst));
	location_reset(&src);
	location_reset(&dst);
	return fired;
}

static bool civic_attempt(size_t n, const void *arg)
{
	struct civic c, before;
	struct civic_problems probs;
	bool fired;
	int err;
	(void)arg;

	memset(&c, 0, sizeof(c));
	assert_int_equal(0, civic_set_str(&c, CIVIC_COUNTRY, " us "));
	assert_int_equal(0, civic_set_str(&c, CIVIC_A1, "WA"));
	assert_int_equal(0, civic_set_str(&c, CIVIC_A3, " Redmond"));
	assert_int_equal(0, civic_set_str(&c, CIVIC_RD, "Elm "));
	assert_int_equal(0, civic_set_str(&c, CIVIC_HNO, "12"));
	memcpy(&before, &c, sizeof(c));

	oomfail_arm(n);
	err = civic_normalise(&c);
	fired = oomfail_disarm();
	result_ok("civic_normalise", n, fired, err, 0);
	if (err) {
		assert_memory_equal(&before, &c, sizeof(c));
	} else {
		memset(&probs, 0, sizeof(probs));
		oomfail_arm(n);
		err = civic_validate(&c, &probs);
		fired = oomfail_disarm() || fired;
		result_ok("civic_validate", n, fired, err, 0);
	}
	civic_reset(&c);
	return fired;
}

/* The locator's last good location (locrules): written, and read back. */
static bool locrules_state_attempt(size_t n, const void *arg)
{
	const struct geo *g = arg;
	struct location loc, back;
	char fp[LOCRULES_FP_SIZE];
	struct mbuf *mb = mbuf_alloc(512), *ref = mbuf_alloc(512);
	bool fired;
	int err;

	assert_non_null(mb);
	assert_non_null(ref);
	locsample_record(&loc, g);
	assert_int_equal(0, locrules_state_encode(ref, "ab12", &loc));

	oomfail_arm(n);
	err = locrules_state_encode(mb, "ab12", &loc);
	fired = oomfail_disarm();
	result_ok("locrules_state_encode", n, fired, err, 0);
	if (!err)
		assert_true(mb->end == ref->end &&
			    !memcmp(mb->buf, ref->buf, mb->end));

	memset(&back, 0, sizeof(back));
	oomfail_arm(n);
	err = locrules_state_decode(&back, fp, (const char *)ref->buf,
				    ref->end);
	fired = oomfail_disarm() || fired;
	result_ok("locrules_state_decode", n, fired, err, 0);
	if (err)
		assert_false(location_has_value(&back));
	else
		assert_true(location_equal(&loc, &back));

	location_reset(&back);
	location_reset(&loc);
	mem_deref(ref);
	mem_deref(mb);
	return fired;
}

static void location_oom(void **state)
{
	struct geo g[LOCSAMPLE_SHAPES];
	size_t ng = LOCSAMPLE_SHAPES, i;
	(void)state;

	locsample_shapes(g, &ng);
	for (i = 0; i < ng; i++) {
		sweep("location_json_encode, _decode", location_json_attempt,
		      &g[i]);
		sweep("location_copy", location_copy_attempt, &g[i]);
		sweep("locrules_state_encode, _decode", locrules_state_attempt,
		      &g[i]);
	}
	sweep("civic_normalise, civic_validate", civic_attempt, NULL);
}

/* The injector itself: the n-th allocation fails, the others do not. */
static void injector(void **state)
{
	void *a, *b, *c;
	(void)state;

	oomfail_arm(2);
	a = malloc(8);
	b = mem_zalloc(8, NULL);
	c = calloc(1, 8);
	assert_true(oomfail_disarm());
	assert_non_null(a);
	assert_null(b);
	assert_non_null(c);
	assert_int_equal(3, oomfail_count());
	free(a);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(injector),
		cmocka_unit_test(pidf_parse_oom),
		cmocka_unit_test(pidf_build_oom),
		cmocka_unit_test(held_decode_oom),
		cmocka_unit_test(held_encode_oom),
		cmocka_unit_test(lldp_oom),
		cmocka_unit_test(lldp_encode_oom),
		cmocka_unit_test(savedloc_oom),
		cmocka_unit_test(policy_oom),
		cmocka_unit_test(sites_oom),
		cmocka_unit_test(wifi_oom),
		cmocka_unit_test(netlink_oom),
		cmocka_unit_test(fingerprint_oom),
		cmocka_unit_test(multipart_oom),
		cmocka_unit_test(ctlproto_oom),
		cmocka_unit_test(ctl_encode_oom),
		cmocka_unit_test(manual_location_oom),
		cmocka_unit_test(location_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
