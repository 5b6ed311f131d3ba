/* Unit tests for PIDF-LO: build, parse, round trips, hostile documents. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <math.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "locsample.h"
#include "xmltest.h"

static const struct pidf_params params = {
	.profile = PIDF_PROFILE_RFC5491,
	.entity = "sip:alice@example.com",
	.device_id = "mac:001122334455",
	.id_seed = "c1",
	.timestamp = T0,
	.retention_expiry = T0 + 86400,
	.retransmission_allowed = true,
};

/* What pidf_parse() can give back for in built with p. */
static void expected_after_parse(struct location *exp,
				 const struct location *in,
				 const struct pidf_params *p)
{
	size_t i;

	memset(exp, 0, sizeof(*exp));
	assert_int_equal(0, location_copy(exp, in));
	exp->source = LOCATION_SOURCE_NONE;
	exp->expires = 0;
	exp->validated = false;
	assert_int_equal(0, location_set_elin(exp, NULL));
	for (i = 0; i < exp->uric; i++)
		exp->uriv[i].uri = mem_deref(exp->uriv[i].uri);
	exp->uric = 0;
	exp->obtained_at = p->timestamp ? p->timestamp : in->obtained_at;
	exp->usage.retransmission_given = true; /* always written */
	exp->usage.retransmission_allowed = p->retransmission_allowed;
	exp->usage.retention_expiry = p->retention_expiry;
	/* provided-by goes out only as the LIS's elements, whose text is
	 * what comes back */
	if (!in->provided_by_xml)
		assert_int_equal(0, location_set_provided_by(exp, NULL));
}

static void round_trip(const struct location *in)
{
	struct location out, exp;
	struct mbuf *mb = mbuf_alloc(2048);
	const char *errmsg = NULL;

	memset(&out, 0, sizeof(out));
	assert_int_equal(0, pidf_build(mb, in, &params));
	assert_int_equal(0, pidf_parse(&out, mb->buf, mb->end, &errmsg));

	expected_after_parse(&exp, in, &params);
	assert_true(location_equal(&exp, &out));

	location_reset(&exp);
	location_reset(&out);
	mem_deref(mb);
}

/* Every shape with the civic address, every shape alone, civic alone. */
static void round_trip_every_shape(void **state)
{
	struct geo gv[LOCSAMPLE_SHAPES], none;
	size_t n = ARRAY_SIZE(gv), i;
	struct location loc;
	(void)state;

	locsample_shapes(gv, &n);
	for (i = 0; i < n; i++) {
		locsample_record(&loc, &gv[i]);
		round_trip(&loc);
		civic_reset(&loc.civic);
		round_trip(&loc);
		location_reset(&loc);
	}

	memset(&none, 0, sizeof(none));
	locsample_record(&loc, &none);
	round_trip(&loc);

	/* the LIS's provided-by elements come back as they went out */
	assert_int_equal(0, location_set_provided_by_xml(
				    &loc, "<p:lis xmlns:p=\"urn:example:p\">"
					  "<p:name>lis.example.com</p:name>"
					  "</p:lis>"));
	assert_int_equal(0, location_set_provided_by(&loc, "lis.example.com"));
	round_trip(&loc);
	location_reset(&loc);
}

/* gp:provided-by from a LIS: its elements kept with their namespaces
 * (declared on an ancestor in the received document), text alone and
 * elements that cannot go out dropped, over-size dropped. */
static void provided_by_kept(void **state)
{
	static const char head[] =
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		"xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
		"xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" "
		"xmlns:v=\"urn:example:vendor\" entity=\"pres:a@example.com\">"
		"<tuple id=\"t\"><status><gp:geopriv><gp:location-info>"
		"<ca:civicAddress><ca:country>US</ca:country>"
		"</ca:civicAddress></gp:location-info><gp:usage-rules/>"
		"<gp:provided-by>";
	static const char tail[] =
		"</gp:provided-by></gp:geopriv></status></tuple></presence>";
	static const struct {
		const char *content;
		const char *xml; /* provided_by_xml expected, NULL: none */
	} cases[] = {
		{"<v:lis v:id=\"7\"><v:name>LIS 1</v:name></v:lis>",
		 "<v:lis xmlns:v=\"urn:example:vendor\" v:id=\"7\">"
		 "<v:name>LIS 1</v:name></v:lis>"},
		{" text <v:a/> more ", "<v:a xmlns:v=\"urn:example:vendor\"/>"},
		{"<gp:method>x</gp:method><v:b>1</v:b>",
		 "<v:b xmlns:v=\"urn:example:vendor\">1</v:b>"},
		{"just text", NULL},
		{"<plain xmlns=\"\">no namespace</plain>", NULL},
	};
	struct location loc;
	struct mbuf *mb = mbuf_alloc(8192);
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mbuf_rewind(mb);
		mbuf_printf(mb, "%s%s%s", head, cases[i].content, tail);
		assert_int_equal(0, pidf_parse(&loc, mb->buf, mb->end, NULL));
		if (cases[i].xml)
			assert_string_equal(cases[i].xml, loc.provided_by_xml);
		else
			assert_null(loc.provided_by_xml);
		location_reset(&loc);
	}

	/* over LOCATION_PROVIDER_XML_MAX: the location stays, the
	 * element is dropped */
	mbuf_rewind(mb);
	mbuf_printf(mb, "%s<v:big>", head);
	for (i = 0; i < LOCATION_PROVIDER_XML_MAX / 8 + 1; i++)
		mbuf_write_str(mb, "12345678");
	mbuf_printf(mb, "</v:big>%s", tail);
	assert_int_equal(0, pidf_parse(&loc, mb->buf, mb->end, NULL));
	assert_null(loc.provided_by_xml);
	assert_string_equal("US", civic_get(&loc.civic, CIVIC_COUNTRY));
	location_reset(&loc);
	mem_deref(mb);
}

/* Numbers that need all eight decimals, and extremes: they come back
 * closer than location_equal() would insist on. */
static void round_trip_precise_numbers(void **state)
{
	static const struct geo_pos pts[] = {
		{-89.99999999, -179.99999999, -428.5},
		{90, 180, 8848.86},
		{0.00000001, -0.00000001, 0},
		{38.89773, -77.03653, 10.5},
	};
	struct mbuf *mb = mbuf_alloc(1024);
	struct location loc, out;
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	memset(&out, 0, sizeof(out));
	loc.geo.shape = GEO_POINT;
	loc.geo.crs = GEO_CRS_3D;

	for (i = 0; i < ARRAY_SIZE(pts); i++) {
		loc.geo.pos = pts[i];
		mbuf_rewind(mb);
		assert_int_equal(0, pidf_build(mb, &loc, &params));
		assert_int_equal(0, pidf_parse(&out, mb->buf, mb->end, NULL));
		assert_true(fabs(out.geo.pos.lat - pts[i].lat) < 1e-12);
		assert_true(fabs(out.geo.pos.lon - pts[i].lon) < 1e-12);
		assert_true(fabs(out.geo.pos.alt - pts[i].alt) < 1e-12);
	}

	location_reset(&out);
	mem_deref(mb);
}

/* The coordinates go out with the digits they came with, from a LIS's
 * PIDF-LO or a record (issue 11 item 8). */
static void numbers_as_given(void **state)
{
	static const char *const pos[] = {
		"47.640068 -122.129858",
		"47.64006812 -122.12985799",
		"-33.8567844 151.2152967",
		"47.6 -122.3",
	};
	struct mbuf *in = mbuf_alloc(1024), *out = mbuf_alloc(2048);
	struct location loc;
	char text[128], want[128];
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(pos); i++) {
		mbuf_rewind(in);
		mbuf_printf(in,
			    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
			    "xmlns:gp=\"urn:ietf:params:xml:ns:pidf:"
			    "geopriv10\" xmlns:gml=\"http://www.opengis.net/"
			    "gml\" entity=\"pres:a@example.com\"><tuple "
			    "id=\"t\"><status><gp:geopriv><gp:location-info>"
			    "<gml:Point srsName=\"urn:ogc:def:crs:EPSG::"
			    "4326\"><gml:pos>%s</gml:pos></gml:Point>"
			    "</gp:location-info><gp:usage-rules/>"
			    "</gp:geopriv></status></tuple></presence>",
			    pos[i]);
		assert_int_equal(0, pidf_parse(&loc, in->buf, in->end, NULL));
		mbuf_rewind(out);
		assert_int_equal(0, pidf_build(out, &loc, &params));
		xmltest_string(text, sizeof(text), out->buf, out->end,
			       "string(//gml:pos)");
		assert_string_equal(pos[i], text);
		location_reset(&loc);
	}

	/* a record's numbers (a person's, the fixture's) */
	loc.geo.shape = GEO_CIRCLE;
	loc.geo.crs = GEO_CRS_2D;
	loc.geo.pos.lat = 47.640068;
	loc.geo.pos.lon = -122.129858;
	loc.geo.radius = 30;
	mbuf_rewind(out);
	assert_int_equal(0, pidf_build(out, &loc, &params));
	xmltest_string(text, sizeof(text), out->buf, out->end,
		       "string(//gml:pos)");
	re_snprintf(want, sizeof(want), "47.640068 -122.129858");
	assert_string_equal(want, text);

	mem_deref(in);
	mem_deref(out);
}

/* The whole document for a small civic location, byte for byte. */
static void build_is_deterministic(void **state)
{
	static const char expected[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		"xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
		"xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
		"xmlns:gbp=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
		"basicPolicy\" "
		"xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" "
		"entity=\"sip:alice@example.com\">\n"
		"  <dm:device id=\"dc1-1\">\n"
		"    <gp:geopriv>\n"
		"      <gp:location-info>\n"
		"        <ca:civicAddress>\n"
		"          <ca:country>US</ca:country>\n"
		"          <ca:A1>WA</ca:A1>\n"
		"          <ca:RD>Main &amp; 1st</ca:RD>\n"
		"          <ca:HNO>1</ca:HNO>\n"
		"        </ca:civicAddress>\n"
		"      </gp:location-info>\n"
		"      <gp:usage-rules>\n"
		"        <gbp:retransmission-allowed>true"
		"</gbp:retransmission-allowed>\n"
		"        <gbp:retention-expiry>2023-11-15T22:13:20Z"
		"</gbp:retention-expiry>\n"
		"      </gp:usage-rules>\n"
		"      <gp:method>Manual</gp:method>\n"
		"    </gp:geopriv>\n"
		"    <dm:deviceID>mac:001122334455</dm:deviceID>\n"
		"    <dm:timestamp>2023-11-14T22:13:20Z</dm:timestamp>\n"
		"  </dm:device>\n"
		"</presence>\n";
	struct mbuf *a = mbuf_alloc(1024), *b = mbuf_alloc(1024);
	struct location loc;
	struct geo gv[LOCSAMPLE_SHAPES];
	size_t n = ARRAY_SIZE(gv);
	(void)state;

	memset(&loc, 0, sizeof(loc));
	/* set out of schema order: the builder orders them */
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_HNO, "1"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_RD, "Main & 1st"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_A1, "WA"));
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, location_set_method(&loc, "Manual"));

	assert_int_equal(0, pidf_build(a, &loc, &params));
	assert_int_equal(strlen(expected), a->end);
	assert_memory_equal(expected, a->buf, a->end);

	/* a full record with a polygon, twice */
	location_reset(&loc);
	locsample_shapes(gv, &n);
	locsample_record(&loc, &gv[7]);
	mbuf_rewind(a);
	assert_int_equal(0, pidf_build(a, &loc, &params));
	assert_int_equal(0, pidf_build(b, &loc, &params));
	assert_int_equal(a->end, b->end);
	assert_memory_equal(a->buf, b->buf, a->end);

	location_reset(&loc);
	mem_deref(a);
	mem_deref(b);
}

/* Where each piece goes (RFC 5491, standards.md §5.2). */
static void build_structure(void **state)
{
	static const struct {
		const char *xpath;
		const char *value;
	} cases[] = {
		{"count(/pidf:presence/dm:device)", "2"},
		{"/pidf:presence/@entity", "sip:alice@example.com"},
		{"/pidf:presence/dm:device[1]/@id", "dc1-1"},
		{"/pidf:presence/dm:device[2]/@id", "dc1-2"},
		{"/pidf:presence/dm:device[1]/gp:geopriv/gp:location-info/"
		 "ca:civicAddress/ca:A3",
		 "Redmond"},
		{"count(/pidf:presence/dm:device[1]//gml:*)", "0"},
		{"count(/pidf:presence/dm:device[2]//ca:*)", "0"},
		{"/pidf:presence/dm:device[2]/gp:geopriv/gp:location-info/"
		 "gs:Circle/@srsName",
		 "urn:ogc:def:crs:EPSG::4326"},
		{"/pidf:presence/dm:device[2]/gp:geopriv/gp:location-info/"
		 "gs:Circle/gml:pos",
		 "42.5463 -73.2512"},
		{"/pidf:presence/dm:device[2]/gp:geopriv/gp:location-info/"
		 "gs:Circle/gs:radius",
		 "850.24"},
		{"/pidf:presence/dm:device[2]/gp:geopriv/gp:location-info/"
		 "gs:Circle/gs:radius/@uom",
		 "urn:ogc:def:uom:EPSG::9001"},
		{"/pidf:presence/dm:device[2]/gp:geopriv/gp:location-info/"
		 "con:confidence",
		 "67"},
		{"/pidf:presence/dm:device[2]/gp:geopriv/gp:location-info/"
		 "con:confidence/@pdf",
		 "normal"},
		{"/pidf:presence/dm:device[1]/gp:geopriv/gp:usage-rules/"
		 "gbp:retransmission-allowed",
		 "true"},
		{"/pidf:presence/dm:device[1]/gp:geopriv/gp:usage-rules/"
		 "gbp:retention-expiry",
		 "2023-11-15T22:13:20Z"},
		{"/pidf:presence/dm:device[1]/gp:geopriv/gp:method", "Wiremap"},
		{"count(//gp:provided-by)", "0"},
		{"/pidf:presence/dm:device[1]/dm:deviceID", "mac:001122334455"},
		{"/pidf:presence/dm:device[1]/dm:timestamp",
		 "2023-11-14T22:13:20Z"},
		{"count(//pidf:tuple)", "0"},
	};
	struct geo gv[LOCSAMPLE_SHAPES];
	size_t n = ARRAY_SIZE(gv), i;
	struct mbuf *mb = mbuf_alloc(2048);
	struct location loc;
	char value[256];
	(void)state;

	locsample_shapes(gv, &n);
	locsample_record(&loc, &gv[2]); /* Circle, confidence 67 normal */
	assert_int_equal(0, pidf_build(mb, &loc, &params));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		xmltest_string(value, sizeof(value), mb->buf, mb->end,
			       cases[i].xpath);
		assert_string_equal(cases[i].value, value);
	}

	/* the polygon ring is closed by repeating its first vertex */
	mbuf_rewind(mb);
	location_reset(&loc);
	locsample_record(&loc, &gv[7]);
	assert_int_equal(0, pidf_build(mb, &loc, &params));
	assert_int_equal(4, xmltest_count(mb->buf, mb->end,
					  "//gml:Polygon/gml:exterior/"
					  "gml:LinearRing/gml:pos"));
	xmltest_string(value, sizeof(value), mb->buf, mb->end,
		       "//gml:LinearRing/gml:pos[4]");
	assert_string_equal("38.89 -77.04", value);

	location_reset(&loc);
	mem_deref(mb);
}

static void build_microsoft_profile(void **state)
{
	static const struct {
		const char *xpath;
		const char *value;
	} cases[] = {
		{"count(//dm:device)", "0"},
		{"/pidf:presence/pidf:tuple/pidf:status/gp:geopriv/"
		 "gp:location-info/ca:civicAddress/ca:HNO",
		 "3910"},
		{"count(//gp:location-info/*)", "1"}, /* civic only */
		{"/pidf:presence/pidf:tuple/pidf:status/gp:geopriv/gp:method",
		 "Wiremap"},
		{"/pidf:presence/pidf:tuple/ms:msftE911PidfExtn/"
		 "ms:ConferenceUri",
		 "sip:+14255550199@example.com;user=phone"},
		{"/pidf:presence/pidf:tuple/ms:msftE911PidfExtn/"
		 "ms:ConferenceMode",
		 "twoway"},
		{"/pidf:presence/pidf:tuple/ms:msftE911PidfExtn/"
		 "tag:LocationPolicyTagID",
		 "user-tagid"},
		{"/pidf:presence/pidf:tuple/pidf:timestamp",
		 "2023-11-14T22:13:20Z"},
	};
	struct pidf_params p = params;
	struct geo gv[LOCSAMPLE_SHAPES];
	size_t n = ARRAY_SIZE(gv), i;
	struct mbuf *mb = mbuf_alloc(2048);
	struct location loc, out;
	char value[256];
	(void)state;

	p.profile = PIDF_PROFILE_MICROSOFT;
	p.conference_uri = "sip:+14255550199@example.com;user=phone";
	p.conference_mode = PIDF_CONFERENCE_TWOWAY;
	p.location_policy_tag = "user-tagid";

	locsample_shapes(gv, &n);
	locsample_record(&loc, &gv[0]);
	assert_int_equal(0, pidf_build(mb, &loc, &p));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		xmltest_string(value, sizeof(value), mb->buf, mb->end,
			       cases[i].xpath);
		assert_string_equal(cases[i].value, value);
	}

	/* it reads back through the tuple */
	memset(&out, 0, sizeof(out));
	assert_int_equal(0, pidf_parse(&out, mb->buf, mb->end, NULL));
	assert_true(civic_equal(&loc.civic, &out.civic));
	assert_int_equal(GEO_NONE, out.geo.shape);
	location_reset(&out);

	/* no civic address: the shape goes in instead, no extension
	 * element without conference or tag */
	civic_reset(&loc.civic);
	p.conference_uri = NULL;
	p.location_policy_tag = NULL;
	mbuf_rewind(mb);
	assert_int_equal(0, pidf_build(mb, &loc, &p));
	assert_int_equal(1, xmltest_count(mb->buf, mb->end,
					  "/pidf:presence/pidf:tuple/"
					  "pidf:status/gp:geopriv/"
					  "gp:location-info/gml:Point"));
	assert_int_equal(
		0, xmltest_count(mb->buf, mb->end, "//ms:msftE911PidfExtn"));

	location_reset(&loc);
	mem_deref(mb);
}

static void build_refusals(void **state)
{
	struct pidf_params p;
	struct geo gv[LOCSAMPLE_SHAPES], none;
	size_t n = ARRAY_SIZE(gv);
	struct mbuf *mb = mbuf_alloc(64);
	struct location loc;
	(void)state;

	locsample_shapes(gv, &n);
	locsample_record(&loc, &gv[0]);

	p = params, p.entity = NULL;
	assert_int_equal(EINVAL, pidf_build(mb, &loc, &p));
	p = params, p.entity = "alice";
	assert_int_equal(EINVAL, pidf_build(mb, &loc, &p));
	p = params, p.id_seed = "a b";
	assert_int_equal(EINVAL, pidf_build(mb, &loc, &p));
	p = params, p.device_id = "mac 00";
	assert_int_equal(EINVAL, pidf_build(mb, &loc, &p));

	loc.geo.pos.lat = 123;
	assert_int_equal(EINVAL, pidf_build(mb, &loc, &params));
	loc.geo = gv[0];

	/* civic_set() takes any byte above 0x1f; XML needs UTF-8 */
	assert_int_equal(0, civic_set_str(&loc.civic, CIVIC_NAM, "Caf\xe9"));
	assert_int_equal(EINVAL, pidf_build(mb, &loc, &params));
	location_reset(&loc);

	memset(&none, 0, sizeof(none));
	locsample_record(&loc, &none);
	civic_reset(&loc.civic);
	assert_int_equal(ENOENT, pidf_build(mb, &loc, &params));

	/* nothing was appended by any refusal */
	assert_int_equal(0, mb->end);

	location_reset(&loc);
	mem_deref(mb);
}

/* Documents written by others, in the forms seen in RFCs and products. */

static const char doc_rfc4119[] =
	/* RFC 4119 era: tuple, gml:location wrapper, usage rules in the
	 * geopriv10 namespace, xs:boolean retransmission */
	"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"\n"
	"  xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\"\n"
	"  xmlns:gml=\"http://www.opengis.net/gml\" entity=\"pres:a@b\">\n"
	" <tuple id=\"sg89ae\">\n"
	"  <status><gp:geopriv>\n"
	"   <gp:location-info><gml:location>\n"
	"    <gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\">\n"
	"     <gml:pos>37.775 -122.4194</gml:pos></gml:Point>\n"
	"   </gml:location></gp:location-info>\n"
	"   <gp:usage-rules>\n"
	"    <gp:retransmission-allowed>false</gp:retransmission-allowed>\n"
	"    <gp:retention-expiry>2023-11-15T00:13:20+02:00"
	"</gp:retention-expiry>\n"
	"   </gp:usage-rules>\n"
	"   <gp:method>DHCP</gp:method>\n"
	"   <gp:provided-by>  www.example.com  </gp:provided-by>\n"
	"  </gp:geopriv></status>\n"
	"  <timestamp>2023-11-14T22:13:20Z</timestamp>\n"
	" </tuple>\n"
	"</presence>\n";

static const char doc_compound[] =
	/* one location-info with a point and a civic address (as some
	 * products send), values padded with whitespace, default
	 * namespaces instead of prefixes */
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<presence entity=\"sip:fred@example.com\"\n"
	"  xmlns=\"urn:ietf:params:xml:ns:pidf\">\n"
	"<tuple id=\"tuple0\"><status>\n"
	"<geopriv xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10\">\n"
	"<location-info>\n"
	"<Point srsName=\"urn:ogc:def:crs:EPSG::4326\"\n"
	"  xmlns=\"http://www.opengis.net/gml\"><pos>\n"
	"39.3294 -78.3138\n"
	"</pos></Point>\n"
	"<civicAddress xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
	"civicAddr\">\n"
	"<country>\nUS\n</country><A1>\nCO\n</A1><PRD>\n</PRD>\n"
	"<RD>\n13   Cobblestone\n Way\n</RD><ELIN>\n</ELIN>\n"
	"</civicAddress>\n"
	"</location-info>\n"
	"<usage-rules><retransmission-allowed\n"
	"  xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy\">\n"
	"true\n</retransmission-allowed></usage-rules>\n"
	"<method>\nManual\n</method>\n"
	"</geopriv></status></tuple></presence>\n";

static void parse_foreign_documents(void **state)
{
	struct location loc;
	const char *errmsg = NULL;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, pidf_parse(&loc, (const uint8_t *)doc_rfc4119,
				       strlen(doc_rfc4119), &errmsg));
	assert_int_equal(GEO_POINT, loc.geo.shape);
	assert_int_equal(GEO_CRS_2D, loc.geo.crs);
	assert_true(loc.geo.pos.lat == 37.775);
	assert_true(loc.geo.pos.lon == -122.4194);
	assert_true(loc.usage.retransmission_given);
	assert_false(loc.usage.retransmission_allowed);
	assert_int_equal(T0, loc.usage.retention_expiry);
	assert_string_equal("DHCP", loc.method);
	assert_string_equal("www.example.com", loc.provided_by);
	assert_int_equal(T0, loc.obtained_at);
	assert_true(civic_is_empty(&loc.civic));

	assert_int_equal(0, pidf_parse(&loc, (const uint8_t *)doc_compound,
				       strlen(doc_compound), &errmsg));
	assert_int_equal(GEO_POINT, loc.geo.shape);
	assert_true(loc.geo.pos.lat == 39.3294);
	assert_string_equal("US", civic_get(&loc.civic, CIVIC_COUNTRY));
	assert_string_equal("CO", civic_get(&loc.civic, CIVIC_A1));
	assert_string_equal("13 Cobblestone Way",
			    civic_get(&loc.civic, CIVIC_RD));
	assert_null(civic_get(&loc.civic, CIVIC_PRD)); /* empty: unset */
	assert_true(loc.usage.retransmission_allowed);
	assert_string_equal("Manual", loc.method);
	assert_null(loc.provided_by);
	assert_int_equal(0, loc.obtained_at);

	location_reset(&loc);
}

/* A presence with the given children; civic values name the holder. */
static void parse_doc(struct location *loc, const char *children)
{
	char doc[2048];
	const char *errmsg = NULL;
	int n;

	n = re_snprintf(doc, sizeof(doc),
			"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
			" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
			" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
			" xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
			"civicAddr\""
			" xmlns:gml=\"http://www.opengis.net/gml\""
			" xmlns:gs=\"http://www.opengis.net/pidflo/1.0\""
			" entity=\"pres:a@b\">%s</presence>",
			children);
	assert_true(n > 0 && (size_t)n < sizeof(doc));

	assert_int_equal(
		0, pidf_parse(loc, (const uint8_t *)doc, (size_t)n, &errmsg));
}

#define CIVIC_IN(where)                                                        \
	"<gp:geopriv><gp:location-info><ca:civicAddress><ca:A3>" where         \
	"</ca:A3></ca:civicAddress></gp:location-info></gp:geopriv>"
#define POINT_IN                                                               \
	"<gp:geopriv><gp:location-info><gml:Point srsName=\""                  \
	"urn:ogc:def:crs:EPSG::4326\"><gml:pos>1 2</gml:pos></gml:Point>"      \
	"</gp:location-info></gp:geopriv>"

/* RFC 5491: device before tuple before person, whatever the order in
 * the document; alternatives fill in what the first one lacks. */
/* Civic values are UTF-8 text whatever the LIS sent: a document that is
 * not UTF-8 and does not say its encoding is read as ISO-8859-1, one that
 * says it is transcoded by libxml2, and C1 controls (allowed in XML) are
 * dropped. */
static void parse_civic_text_encodings(void **state)
{
	static const char *const docs[] = {
		/* raw ISO-8859-1 octets, no declaration */
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
		" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
		" xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\""
		" entity=\"pres:a@b\"><tuple id=\"t\"><status><gp:geopriv>"
		"<gp:location-info><ca:civicAddress><ca:country>DE</ca:country>"
		"<ca:A3>M\xfcnchen</ca:A3></ca:civicAddress></gp:location-info>"
		"</gp:geopriv></status></tuple></presence>",
		/* declared ISO-8859-1 */
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
		" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
		" xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\""
		" entity=\"pres:a@b\"><tuple id=\"t\"><status><gp:geopriv>"
		"<gp:location-info><ca:civicAddress><ca:country>DE</ca:country>"
		"<ca:A3>M\xfcnchen</ca:A3></ca:civicAddress></gp:location-info>"
		"</gp:geopriv></status></tuple></presence>",
		/* UTF-8 with a C1 control (NEL) as a character reference */
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
		" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
		" xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\""
		" entity=\"pres:a@b\"><tuple id=\"t\"><status><gp:geopriv>"
		"<gp:location-info><ca:civicAddress><ca:country>DE</ca:country>"
		"<ca:A3>M\xc3\xbcn&#x85;chen</ca:A3></ca:civicAddress>"
		"</gp:location-info></gp:geopriv></status></tuple></presence>",
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		struct location loc;
		const char *errmsg = NULL;
		int err;

		memset(&loc, 0, sizeof(loc));
		err = pidf_parse(&loc, (const uint8_t *)docs[i],
				 strlen(docs[i]), &errmsg);
		if (err)
			print_error("doc %zu: %s\n", i, errmsg);
		assert_int_equal(0, err);
		assert_string_equal("M\xc3\xbcnchen",
				    civic_get(&loc.civic, CIVIC_A3));
		location_reset(&loc);
	}
}

/* A LIS's country is read as RFC 5139 has it: "de" is DE, and one that is
 * not two letters is left out while the rest of the address is kept. */
static void parse_country_lenient(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: no country */
	} cases[] = {
		{"DE", "DE"}, {"de", "DE"},  {" dE ", "DE"},
		{"D1", NULL}, {"DEU", NULL}, {"", NULL},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct location loc;
		const char *errmsg = NULL;
		char doc[1024];
		int err;

		re_snprintf(
			doc, sizeof(doc),
			"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
			" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
			" xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
			"civicAddr\" entity=\"pres:a@b\"><tuple id=\"t\">"
			"<status><gp:geopriv><gp:location-info>"
			"<ca:civicAddress><ca:country>%s</ca:country>"
			"<ca:A3>Bonn</ca:A3></ca:civicAddress>"
			"</gp:location-info></gp:geopriv></status></tuple>"
			"</presence>",
			cases[i].in);
		memset(&loc, 0, sizeof(loc));
		err = pidf_parse(&loc, (const uint8_t *)doc, strlen(doc),
				 &errmsg);
		if (err)
			print_error("case %zu: %s\n", i, errmsg);
		assert_int_equal(0, err);
		assert_string_equal("Bonn", civic_get(&loc.civic, CIVIC_A3));
		if (cases[i].want)
			assert_string_equal(
				cases[i].want,
				civic_get(&loc.civic, CIVIC_COUNTRY));
		else
			assert_null(civic_get(&loc.civic, CIVIC_COUNTRY));
		location_reset(&loc);
	}
}

static void parse_priority(void **state)
{
	static const struct {
		const char *children;
		const char *city;
		bool has_point;
	} cases[] = {
		{"<dm:person id=\"p\">" CIVIC_IN(
			 "person") "</dm:person>"
				   "<tuple id=\"t\"><status>" CIVIC_IN(
					   "tuple") "</status></tuple>"
						    "<dm:device "
						    "id=\"d\">" CIVIC_IN(
							    "device") "</"
								      "dm:"
								      "device>",
		 "device", false},
		{"<dm:person id=\"p\">" CIVIC_IN(
			 "person") "</dm:person>"
				   "<tuple id=\"t\"><status>" CIVIC_IN(
					   "tuple") "</status></tuple>",
		 "tuple", false},
		{"<dm:person id=\"p\">" CIVIC_IN("person") "</dm:person>",
		 "person", false},
		/* a device without location does not count */
		{"<dm:device id=\"d\"><dm:deviceID>mac:1</dm:deviceID>"
		 "</dm:device>"
		 "<tuple id=\"t\"><status>" CIVIC_IN(
			 "tuple") "</status></tuple>",
		 "tuple", false},
		/* civic then geodetic alternative; a second civic ignored */
		{"<dm:device id=\"d1\">" CIVIC_IN(
			 "first") "</dm:device>"
				  "<dm:device id=\"d2\">" POINT_IN
				  "</dm:device>"
				  "<dm:device id=\"d3\">" CIVIC_IN(
					  "third") "</dm:device>",
		 "first", true},
		/* alternatives come only from the same kind of element */
		{"<dm:device id=\"d1\">" CIVIC_IN(
			 "device") "</dm:device>"
				   "<tuple id=\"t\"><status>" POINT_IN
				   "</status></tuple>",
		 "device", false},
	};
	struct location loc;
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		parse_doc(&loc, cases[i].children);
		assert_string_equal(cases[i].city,
				    civic_get(&loc.civic, CIVIC_A3));
		assert_int_equal(cases[i].has_point ? GEO_POINT : GEO_NONE,
				 loc.geo.shape);
	}

	location_reset(&loc);
}

#define LI(shape)                                                              \
	"<dm:device id=\"d\"><gp:geopriv><gp:location-info>" shape             \
	"</gp:location-info></gp:geopriv></dm:device>"

/* Shapes in forms our builder does not write. */
static void parse_shape_variants(void **state)
{
	struct location loc;
	(void)state;

	memset(&loc, 0, sizeof(loc));

	/* orientation in radians (EPSG::9101): pi/2 is 90 degrees */
	parse_doc(&loc,
		  LI("<gs:Ellipse srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		     "<gml:pos>42.5 -73.25</gml:pos>"
		     "<gs:semiMajorAxis uom=\"urn:ogc:def:uom:EPSG::9001\">"
		     "1275</gs:semiMajorAxis>"
		     "<gs:semiMinorAxis uom=\"urn:ogc:def:uom:EPSG::9001\">"
		     "670</gs:semiMinorAxis>"
		     "<gs:orientation uom=\"urn:ogc:def:uom:EPSG::9101\">"
		     "1.5707963267948966</gs:orientation></gs:Ellipse>"));
	assert_int_equal(GEO_ELLIPSE, loc.geo.shape);
	assert_true(loc.geo.orientation > 89.999999 &&
		    loc.geo.orientation < 90.000001);
	assert_true(loc.geo.semi_major == 1275);

	/* polygon as a posList, ring closed, exponent notation */
	parse_doc(&loc,
		  LI("<gml:Polygon srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		     "<gml:exterior><gml:LinearRing><gml:posList>"
		     "43.311 -73.422 43.111 -73.322 43.111 -73.222 "
		     "4.3311E1 -73.422"
		     "</gml:posList></gml:LinearRing></gml:exterior>"
		     "</gml:Polygon>"));
	assert_int_equal(GEO_POLYGON, loc.geo.shape);
	assert_int_equal(3, loc.geo.pointc);
	assert_true(loc.geo.pointv[2].lon == -73.222);

	/* 3D prism with a posList base, versioned srsName */
	parse_doc(&loc,
		  LI("<gs:Prism srsName=\"urn:ogc:def:crs:EPSG:6.6:4979\">"
		     "<gs:base><gml:Polygon><gml:exterior><gml:LinearRing>"
		     "<gml:posList>42.556 -73.248 96 42.556 -73.249 96 "
		     "42.557 -73.249 96 42.557 -73.248 96 "
		     "42.556 -73.248 96</gml:posList>"
		     "</gml:LinearRing></gml:exterior></gml:Polygon>"
		     "</gs:base><gs:height uom=\"urn:ogc:def:uom:EPSG::"
		     "9001\">2.4</gs:height></gs:Prism>"));
	assert_int_equal(GEO_PRISM, loc.geo.shape);
	assert_int_equal(GEO_CRS_3D, loc.geo.crs);
	assert_int_equal(4, loc.geo.pointc);
	assert_true(loc.geo.height == 2.4);

	location_reset(&loc);
}

static void parse_refusals(void **state)
{
	static const struct {
		const char *children;
		int err;
		const char *msg;
	} cases[] = {
		{LI("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4269\">"
		    "<gml:pos>1 2</gml:pos></gml:Point>"),
		 EBADMSG, "shape without a supported srsName"},
		{LI("<gml:Point><gml:pos>1 2</gml:pos></gml:Point>"), EBADMSG,
		 "shape without a supported srsName"},
		{LI("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4979\">"
		    "<gml:pos>1 2</gml:pos></gml:Point>"),
		 EBADMSG, "malformed GML shape"}, /* 3D needs altitude */
		{LI("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		    "<gml:pos>95 2</gml:pos></gml:Point>"),
		 EBADMSG, "GML shape out of range"},
		{LI("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		    "<gml:pos>1,5 2</gml:pos></gml:Point>"),
		 EBADMSG, "malformed GML shape"},
		{LI("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		    "<gml:pos>NaN 2</gml:pos></gml:Point>"),
		 EBADMSG, "malformed GML shape"},
		{LI("<gs:Circle srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		    "<gml:pos>1 2</gml:pos><gs:radius uom=\"urn:ogc:def:uom:"
		    "EPSG::9002\">50</gs:radius></gs:Circle>"),
		 EBADMSG, "malformed GML shape"}, /* feet */
		{LI("<gs:Circle srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		    "<gml:pos>1 2</gml:pos></gs:Circle>"),
		 EBADMSG, "malformed GML shape"}, /* no radius */
		{LI("<gml:Polygon srsName=\"urn:ogc:def:crs:EPSG::4326\">"
		    "<gml:exterior><gml:LinearRing><gml:posList>1 2 3 4 1 2"
		    "</gml:posList></gml:LinearRing></gml:exterior>"
		    "</gml:Polygon>"),
		 EBADMSG, "malformed GML shape"}, /* two vertices */
		{"<dm:device id=\"d\"><dm:deviceID>mac:1</dm:deviceID>"
		 "</dm:device>",
		 ENOENT, "no location in the PIDF-LO"},
		{"<dm:device id=\"d\"><gp:geopriv><gp:location-info>"
		 "<ca:civicAddress><ca:PRD/></ca:civicAddress>"
		 "</gp:location-info></gp:geopriv></dm:device>",
		 ENOENT, "no location in the PIDF-LO"},
		{"<dm:device id=\"d\">" CIVIC_IN(
			 "x") "<dm:timestamp>noon</dm:timestamp></dm:device>",
		 EBADMSG, "bad timestamp"},
	};
	struct location loc;
	size_t i;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(0, location_set_method(&loc, "Manual"));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char doc[2048];
		const char *errmsg = NULL;
		int n;

		n = re_snprintf(doc, sizeof(doc),
				"<presence xmlns=\"urn:ietf:params:xml:ns:"
				"pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:"
				"pidf:data-model\" xmlns:gp=\"urn:ietf:params:"
				"xml:ns:pidf:geopriv10\" xmlns:ca=\"urn:ietf:"
				"params:xml:ns:pidf:geopriv10:civicAddr\" "
				"xmlns:gml=\"http://www.opengis.net/gml\" "
				"xmlns:gs=\"http://www.opengis.net/pidflo/"
				"1.0\" entity=\"pres:a@b\">%s</presence>",
				cases[i].children);
		assert_int_equal(cases[i].err,
				 pidf_parse(&loc, (const uint8_t *)doc,
					    (size_t)n, &errmsg));
		assert_string_equal(cases[i].msg, errmsg);
	}

	/* refusals leave the record alone */
	assert_string_equal("Manual", loc.method);
	location_reset(&loc);
}

static int decode_pidf(const uint8_t *buf, size_t len, const char **errmsg)
{
	struct location loc;
	int err;

	memset(&loc, 0, sizeof(loc));
	err = pidf_parse(&loc, buf, len, errmsg);
	location_reset(&loc);
	return err;
}

static void hostile_documents(void **state)
{
	(void)state;
	xmltest_hostile(decode_pidf, "presence", PIDF_NS_PIDF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_shape),
		cmocka_unit_test(round_trip_precise_numbers),
		cmocka_unit_test(provided_by_kept),
		cmocka_unit_test(numbers_as_given),
		cmocka_unit_test(build_is_deterministic),
		cmocka_unit_test(build_structure),
		cmocka_unit_test(build_microsoft_profile),
		cmocka_unit_test(build_refusals),
		cmocka_unit_test(parse_foreign_documents),
		cmocka_unit_test(parse_priority),
		cmocka_unit_test(parse_civic_text_encodings),
		cmocka_unit_test(parse_country_lenient),
		cmocka_unit_test(parse_shape_variants),
		cmocka_unit_test(parse_refusals),
		cmocka_unit_test(hostile_documents),
	};
	int ret;

	xmltest_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return ret;
}
