/*
 * Every document locphone builds, validated against the published schemas
 * (../shared/xsd: RFC 3863, 4119, 4479, 5139, 5985, 6155, 7105, 7459 and
 * the OGC GML PIDF-LO shape profile) with libxml2, offline; the test stops
 * at the first error.  Also the LIS simulator's answers, and what the
 * PIDF-LO builder makes of them.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "held.h"
#include "locsample.h"
#include "xmltest.h"
#include "xsdcheck.h"
#include "xsdtest.h"
#include "xsd_sim.h"

/* What provided-by carries when a LIS sent elements: two of them, one
 * with a namespaced attribute and a child in a third namespace. */
static const char provider_xml[] =
	"<p:provider xmlns:p=\"urn:example:lis\"><p:name>LIS &amp; "
	"co</p:name></p:provider><q:contact xmlns:q=\"urn:example:q\" "
	"xmlns:r=\"urn:example:r\" r:kind=\"noc\">noc@example.com"
	"</q:contact>";

static struct pidf_params params(unsigned variant)
{
	struct pidf_params p = {
		.profile = PIDF_PROFILE_RFC5491,
		.entity = "sip:alice@example.com",
		.device_id = "mac:001122334455",
		.id_seed = "c1",
		.timestamp = T0,
		.retention_expiry = T0 + 86400,
		.retransmission_allowed = true,
	};

	switch (variant % 5) {

	case 1: /* Lync: the extension with its policy tag */
		p.profile = PIDF_PROFILE_MICROSOFT;
		p.conference_uri = "sip:security@example.com";
		p.conference_mode = PIDF_CONFERENCE_TWOWAY;
		p.location_policy_tag = "emergency-tag-1";
		break;

	case 2: /* Lync without the extension */
		p.profile = PIDF_PROFILE_MICROSOFT;
		p.retransmission_allowed = false;
		p.retention_expiry = 0;
		break;

	case 3: /* the least the builder needs */
		p.device_id = NULL;
		p.id_seed = NULL;
		p.timestamp = 0;
		p.retention_expiry = 0;
		p.retransmission_allowed = false;
		break;

	case 4: /* Lync, one way, conference URI only */
		p.profile = PIDF_PROFILE_MICROSOFT;
		p.conference_uri = "sips:desk@example.com";
		p.conference_mode = PIDF_CONFERENCE_ONEWAY;
		break;
	}

	return p;
}

static const char *profile_name(const struct pidf_params *p)
{
	return p->profile == PIDF_PROFILE_MICROSOFT ? "microsoft" : "rfc5491";
}

static unsigned built;

static void build_valid(const struct location *loc, const struct pidf_params *p,
			const char *what)
{
	struct mbuf *mb = mbuf_alloc(4096);
	char desc[256];

	assert_non_null(mb);
	assert_int_equal(0, pidf_build(mb, loc, p));
	re_snprintf(desc, sizeof(desc), "PIDF-LO (%s profile, %s)",
		    profile_name(p), what);
	xsdtest_valid(XSDCHECK_PIDF, mb->buf, mb->end, desc);
	++built;
	mem_deref(mb);
}

/* The shapes locsample has, plus a 3D polygon and confidence on more. */
static size_t all_shapes(struct geo *gv, size_t max)
{
	size_t n = max, i;

	locsample_shapes(gv, &n);
	assert_true(n + 3 <= max);

	gv[n] = gv[n - 2]; /* Polygon in EPSG::4979 */
	gv[n].crs = GEO_CRS_3D;
	for (i = 0; i < gv[n].pointc; i++)
		gv[n].pointv[i].alt = 10 + (double)i;
	n++;
	gv[n] = gv[0]; /* Point with confidence */
	gv[n].confidence = 95;
	gv[n].pdf = GEO_PDF_UNKNOWN;
	n++;
	gv[n] = gv[n - 4]; /* Prism with confidence */
	gv[n].confidence = 68;
	gv[n].pdf = GEO_PDF_NORMAL;
	n++;

	return n;
}

/* Each shape, with and without the civic address, each profile and
 * signalling variant, with and without the LIS's provided-by. */
static void pidf_every_shape_and_profile(void **state)
{
	struct geo gv[LOCSAMPLE_SHAPES + 4];
	size_t n = all_shapes(gv, ARRAY_SIZE(gv)), i;
	unsigned v, civic, prov;
	(void)state;

	for (i = 0; i < n; i++) {
		for (civic = 0; civic < 2; civic++) {
			for (prov = 0; prov < 2; prov++) {
				for (v = 0; v < 5; v++) {
					struct pidf_params p = params(v);
					struct location loc;
					char what[128];

					locsample_record(&loc, &gv[i]);
					if (!civic)
						civic_reset(&loc.civic);
					if (prov)
						assert_int_equal(
							0,
							location_set_provided_by_xml(
								&loc,
								provider_xml));
					re_snprintf(
						what, sizeof(what),
						"%s%s%s%s, variant %u",
						geo_shape_name(gv[i].shape),
						gv[i].crs == GEO_CRS_3D ? " 3D"
									: "",
						civic ? " with civic" : "",
						prov ? ", provided-by" : "", v);
					build_valid(&loc, &p, what);
					location_reset(&loc);
				}
			}
		}
	}
}

/* Civic alone: one element at a time, then all of them (the schema's
 * sequence order), each profile. */
static void pidf_civic_only(void **state)
{
	struct location loc;
	unsigned f, v;
	char what[64];
	(void)state;

	for (f = 0; f <= CIVIC_FIELD_COUNT; f++) {
		memset(&loc, 0, sizeof(loc));
		if (f == CIVIC_FIELD_COUNT) {
			unsigned k;

			for (k = 0; k < CIVIC_FIELD_COUNT; k++)
				assert_int_equal(
					0,
					civic_set_str(&loc.civic, k,
						      k == CIVIC_COUNTRY
							      ? "US"
							      : "x <&> \"y\""));
			str_ncpy(what, "every civic element", sizeof(what));
		} else {
			assert_int_equal(
				0, civic_set_str(&loc.civic, f,
						 f == CIVIC_COUNTRY
							 ? "DE"
							 : "M\xc3\xbcnchen"));
			re_snprintf(what, sizeof(what), "civic %s only",
				    civic_field_name(f));
		}
		loc.obtained_at = T0;
		for (v = 0; v < 5; v++) {
			struct pidf_params p = params(v);

			build_valid(&loc, &p, what);
		}
		location_reset(&loc);
	}
}

/* A country as a switch or a LIS gave it: lower case goes out upper case,
 * anything else is left out and the rest of the address still goes. */
static void pidf_country_as_received(void **state)
{
	static const struct {
		const char *in;
		const char *out; /* NULL: no country element */
	} cases[] = {
		{"us", "<ca:country>US</ca:country>"},
		{"De", "<ca:country>DE</ca:country>"},
		{"U1", NULL},
		{"USA", NULL},
		{"\"\"", NULL},
		{"\xc3\xbc", NULL},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pidf_params p = params(0);
		struct location loc;
		struct mbuf *mb = mbuf_alloc(2048);
		char what[64];
		char *doc;

		memset(&loc, 0, sizeof(loc));
		assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_COUNTRY,
						  cases[i].in));
		assert_int_equal(0,
				 civic_set_str(&loc.civic, CIVIC_A3, "Bonn"));
		loc.obtained_at = T0;
		re_snprintf(what, sizeof(what), "country %zu", i);
		assert_int_equal(0, pidf_build(mb, &loc, &p));
		xsdtest_valid(XSDCHECK_PIDF, mb->buf, mb->end, what);
		mb->pos = 0;
		assert_int_equal(0, mbuf_strdup(mb, &doc, mb->end));
		assert_non_null(strstr(doc, "<ca:A3>Bonn</ca:A3>"));
		if (cases[i].out)
			assert_non_null(strstr(doc, cases[i].out));
		else
			assert_null(strstr(doc, "country"));
		mem_deref(doc);
		location_reset(&loc);
		mem_deref(mb);
	}
}

/* Received text-only provided-by and "yes"/"no" are accepted; what goes
 * back out is valid (provided-by dropped, usage rules as booleans). */
static void pidf_tolerant_input_strict_output(void **state)
{
	static const char *const docs[] = {
		/* RFC 6442-style text provided-by, retransmission "yes" */
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		"xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
		"xmlns:gbp=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
		"basicPolicy\" "
		"xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" "
		"entity=\"pres:a@example.com\"><tuple id=\"t\"><status>"
		"<gp:geopriv><gp:location-info><ca:civicAddress>"
		"<ca:country>US</ca:country><ca:A1>WA</ca:A1>"
		"</ca:civicAddress></gp:location-info><gp:usage-rules>"
		"<gbp:retransmission-allowed>yes</gbp:retransmission-allowed>"
		"</gp:usage-rules><gp:provided-by>lis.example.com"
		"</gp:provided-by></gp:geopriv></status></tuple></presence>",
		/* "no", provided-by with an element in no namespace and one
		 * in geopriv10's own: neither can go out */
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		"xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
		"xmlns:gml=\"http://www.opengis.net/gml\" "
		"entity=\"pres:a@example.com\"><tuple id=\"t\"><status>"
		"<gp:geopriv><gp:location-info><gml:Point "
		"srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>47.640068 "
		"-122.129858</gml:pos></gml:Point></gp:location-info>"
		"<gp:usage-rules><gp:retransmission-allowed>no"
		"</gp:retransmission-allowed></gp:usage-rules>"
		"<gp:provided-by><name xmlns=\"\">x</name><gp:method>y"
		"</gp:method></gp:provided-by></gp:geopriv></status></tuple>"
		"</presence>",
	};
	struct pidf_params p = params(0);
	struct mbuf *mb = mbuf_alloc(4096);
	struct location loc;
	char buf[64];
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		assert_int_equal(0, pidf_parse(&loc, (const uint8_t *)docs[i],
					       strlen(docs[i]), NULL));
		assert_int_equal(i == 0, loc.usage.retransmission_allowed);
		assert_null(loc.provided_by_xml);
		if (i == 0)
			assert_string_equal("lis.example.com", loc.provided_by);

		mbuf_rewind(mb);
		p.retransmission_allowed = loc.usage.retransmission_allowed;
		assert_int_equal(0, pidf_build(mb, &loc, &p));
		xsdtest_valid(XSDCHECK_PIDF, mb->buf, mb->end,
			      "PIDF-LO rebuilt from a lenient one");
		assert_int_equal(
			0, xmltest_count(mb->buf, mb->end, "//gp:provided-by"));
		xmltest_string(buf, sizeof(buf), mb->buf, mb->end,
			       "string(//gbp:retransmission-allowed)");
		assert_string_equal(i == 0 ? "true" : "false", buf);
		location_reset(&loc);
	}

	mem_deref(mb);
}

/* The setter refuses what could not go into a PIDF-LO as it is. */
static void provided_by_xml_refusals(void **state)
{
	static const char *const bad[] = {
		"text only",
		"<name>no namespace</name>",
		"<p:x>undeclared prefix</p:x>",
		"<x xmlns=\"urn:a\"><p:y>undeclared below</p:y></x>",
		"<x xmlns=\"urn:a\" p:at=\"1\">undeclared attribute</x>",
		"<gp:x xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\"/>",
		"<x xmlns=\"urn:a\"/>text between<y xmlns=\"urn:a\"/>",
		"<x xmlns=\"urn:a\"></r><r>",
		"<x xmlns=\"urn:a\"><!-- a comment --></x>",
		"<?pi x?><x xmlns=\"urn:a\"/>",
		"<x xmlns=\"urn:a\">&ent;</x>",
		"<x xmlns=\"urn:a\">\x01</x>",
		"<x xmlns=\"urn:a\">\xff</x>",
		"<x xmlns=\"urn:a\">",
	};
	struct location loc;
	char big[LOCATION_PROVIDER_XML_MAX + 64];
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (location_set_provided_by_xml(&loc, bad[i]) != EINVAL) {
			print_error("accepted: %s\n", bad[i]);
			fail();
		}
	}
	assert_null(loc.provided_by_xml);

	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "<x xmlns=\"urn:a\">", 17);
	memcpy(big + sizeof(big) - 5, "</x>", 4);
	assert_int_equal(EINVAL, location_set_provided_by_xml(&loc, big));

	assert_int_equal(0, location_set_provided_by_xml(&loc, provider_xml));
	assert_string_equal(provider_xml, loc.provided_by_xml);
	location_reset(&loc);
}

/* HELD requests: each device identity and measurement, alone and
 * together, each responseTime form. */
static void held_requests(void **state)
{
	static const struct held_lldp lldp[] = {
		{4,
		 {0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e},
		 6,
		 5,
		 {'g', 'i', '0', '/', '1'},
		 5},
		{7,
		 {'s', 'w', '1'},
		 3,
		 3,
		 {0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5f},
		 6},
		{5, {1, 192, 0, 2, 1}, 5, 7, {'1', '2'}, 2},
	};
	static const struct held_wifi_ap aps[] = {
		{.bssid = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x9a},
		 .ssid = {'c', 'o', 'r', 'p', '<', '&'},
		 .ssid_len = 6,
		 .channel = 36,
		 .serving = true,
		 .has_signal = true,
		 .signal_dbm = -52},
		{.bssid = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x9b},
		 .ssid = {0x01, 0xff},
		 .ssid_len = 2},
		{.bssid = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x9c},
		 .channel = 1,
		 .has_signal = true,
		 .signal_dbm = -90},
	};
	static const char *const ips[] = {NULL, "192.0.2.5", "2001:db8::5"};
	static const char *const uris[] = {NULL, "sip:alice@example.com",
					   "tel:+14255550100",
					   "sips:bob@example.com"};
	struct mbuf *mb = mbuf_alloc(4096);
	unsigned ip, mac, uri, meas, rt;
	(void)state;

	for (ip = 0; ip < ARRAY_SIZE(ips); ip++)
		for (mac = 0; mac < 2; mac++)
			for (uri = 0; uri < ARRAY_SIZE(uris); uri++)
				for (meas = 0; meas < 6; meas++) {
					struct held_request req;
					char what[160];

					memset(&req, 0, sizeof(req));
					rt = (ip + uri + meas) % 4;
					req.response_time =
						(enum held_response_time)rt;
					req.response_ms = 15000;
					if (ips[ip])
						assert_int_equal(
							0,
							sa_set_str(&req.ip,
								   ips[ip], 0));
					req.has_mac = mac;
					memcpy(req.mac,
					       "\x00\x1b\x21\x3c\x4d\x5e", 6);
					req.uri = uris[uri];
					if (meas >= 1 && meas <= 3)
						req.lldp = &lldp[meas - 1];
					if (meas >= 4) {
						req.apv = aps;
						req.apc =
							meas == 4
								? 1
								: ARRAY_SIZE(
									  aps);
						req.lldp = meas == 5 ? &lldp[0]
								     : NULL;
					}

					mbuf_rewind(mb);
					assert_int_equal(0, held_request_encode(
								    mb, &req));
					re_snprintf(what, sizeof(what),
						    "HELD request (ip %s, mac "
						    "%u, uri %s, "
						    "measurement set %u, "
						    "responseTime form %u)",
						    ips[ip] ? ips[ip] : "-",
						    mac,
						    uris[uri] ? uris[uri] : "-",
						    meas, rt);
					xsdtest_valid(XSDCHECK_HELD_REQUEST,
						      mb->buf, mb->end, what);
					++built;
				}

	mem_deref(mb);
}

/* The simulator's answer is valid, decodes, and the PIDF-LO we build
 * from it is valid and carries the simulator's provided-by element. */
static void sim_doc(const uint8_t *buf, size_t len, bool pidf, const char *what,
		    void *arg)
{
	struct held_response resp;
	struct location loc;
	struct pidf_params p = params(0);
	struct mbuf *mb = arg;
	char ns[128];
	int err;

	xsdtest_valid(pidf ? XSDCHECK_PIDF : XSDCHECK_HELD_RESPONSE, buf, len,
		      what);
	++built;

	memset(&resp, 0, sizeof(resp));
	memset(&loc, 0, sizeof(loc));
	if (pidf) {
		assert_int_equal(0, pidf_parse(&loc, buf, len, NULL));
	} else {
		const char *why = NULL;

		err = held_response_decode(&resp, buf, len, &why);
		if (err)
			print_error("%s: %s\n", what, why);
		assert_int_equal(0, err);
		if (!location_has_value(&resp.loc)) {
			held_response_reset(&resp);
			return;
		}
		location_move(&loc, &resp.loc);
	}
	held_response_reset(&resp);

	assert_non_null(loc.provided_by_xml);
	mbuf_rewind(mb);
	assert_int_equal(0, pidf_build(mb, &loc, &p));
	xsdtest_valid(XSDCHECK_PIDF, mb->buf, mb->end,
		      "PIDF-LO built from a lis-sim answer");
	xmltest_string(ns, sizeof(ns), mb->buf, mb->end,
		       "namespace-uri(//gp:provided-by/*[1])");
	assert_string_equal(xsd_sim_ns, ns);
	++built;
	location_reset(&loc);
}

static void lis_sim_answers(void **state)
{
	struct mbuf *mb = mbuf_alloc(4096);
	(void)state;

	xsd_sim_answers(sim_doc, mb);
	mem_deref(mb);
}

/* The oracle itself rejects what the old builder wrote: without this a
 * schema set that loads but checks nothing would pass everything. */
static void oracle_rejects(void **state)
{
	static const char *const bad[] = {
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		"xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
		"xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
		"xmlns:gbp=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
		"basicPolicy\" "
		"xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" "
		"entity=\"sip:a@example.com\"><dm:device id=\"d1\">"
		"<gp:geopriv><gp:location-info><ca:civicAddress>"
		"<ca:country>US</ca:country></ca:civicAddress>"
		"</gp:location-info><gp:usage-rules>"
		"<gbp:retransmission-allowed>%s</gbp:retransmission-allowed>"
		"</gp:usage-rules>%s</gp:geopriv><dm:deviceID>mac:00112233"
		"4455</dm:deviceID></dm:device></presence>",
	};
	char doc[2048], err[256];
	(void)state;

	re_snprintf(doc, sizeof(doc), bad[0], "yes", "");
	assert_int_equal(EBADMSG,
			 xsdcheck_doc(XSDCHECK_PIDF, (const uint8_t *)doc,
				      strlen(doc), err, sizeof(err)));
	re_snprintf(doc, sizeof(doc), bad[0], "true",
		    "<gp:provided-by>lis.example.com</gp:provided-by>");
	assert_int_equal(EBADMSG,
			 xsdcheck_doc(XSDCHECK_PIDF, (const uint8_t *)doc,
				      strlen(doc), err, sizeof(err)));
	re_snprintf(doc, sizeof(doc), bad[0], "true", "");
	assert_int_equal(0, xsdcheck_doc(XSDCHECK_PIDF, (const uint8_t *)doc,
					 strlen(doc), err, sizeof(err)));
	assert_int_equal(EBADMSG, xsdcheck_doc(XSDCHECK_HELD_REQUEST,
					       (const uint8_t *)doc,
					       strlen(doc), err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oracle_rejects),
		cmocka_unit_test(pidf_every_shape_and_profile),
		cmocka_unit_test(pidf_civic_only),
		cmocka_unit_test(pidf_country_as_received),
		cmocka_unit_test(pidf_tolerant_input_strict_output),
		cmocka_unit_test(provided_by_xml_refusals),
		cmocka_unit_test(held_requests),
		cmocka_unit_test(lis_sim_answers),
	};
	struct timespec a, b;
	int rc;

	xsdtest_require();
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("validated %u documents (%u built by locphone or lis-sim) "
	       "in %.3f s\n",
	       xsdcheck_count(), built,
	       (double)(b.tv_sec - a.tv_sec) +
		       (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return rc;
}
