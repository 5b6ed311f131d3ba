/* Unit tests for HELD: locationRequest content, responses, errors. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "locsample.h"
#include "xmltest.h"

/* Switch chassis: subtype 4 (MAC address) 00:11:22:33:44:55; port:
 * subtype 5 (interface name) "Gi1/0/7" (standards.md §3.2 example). */
static const struct held_lldp lldp = {
	.chassis_type = 4,
	.chassis = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
	.chassis_len = 6,
	.port_type = 5,
	.port = {'G', 'i', '1', '/', '0', '/', '7'},
	.port_len = 7,
};

static const struct held_wifi_ap aps[] = {
	{
		.bssid = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x9a},
		.ssid = {'c', 'o', 'r', 'p'},
		.ssid_len = 4,
		.channel = 36,
		.serving = true,
		.has_signal = true,
		.signal_dbm = -52,
	},
	{
		/* a neighbour whose SSID is not text: left out */
		.bssid = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x9b},
		.ssid = {0x01, 0xff},
		.ssid_len = 2,
	},
};

static void full_request(struct held_request *req)
{
	memset(req, 0, sizeof(*req));
	req->response_time = HELD_RESPONSE_TIME_EMERGENCY_ROUTING;
	assert_int_equal(0, sa_set_str(&req->ip, "192.0.2.5", 0));
	req->has_mac = true;
	memcpy(req->mac, "\x00\x1b\x21\x3c\x4d\x5e", 6);
	req->uri = "sip:alice@example.com";
	req->lldp = &lldp;
	req->apv = aps;
	req->apc = ARRAY_SIZE(aps);
}

static void request_content(void **state)
{
	static const struct {
		const char *xpath;
		const char *value;
	} cases[] = {
		{"namespace-uri(/*)", "urn:ietf:params:xml:ns:geopriv:held"},
		{"local-name(/*)", "locationRequest"},
		{"/held:locationRequest/@responseTime", "emergencyRouting"},
		{"/held:locationRequest/held:locationType",
		 "civic geodetic locationURI"},
		{"/held:locationRequest/held:locationType/@exact", "false"},
		/* RFC 6155 identity */
		{"/held:locationRequest/id:device/id:ip", "192.0.2.5"},
		{"/held:locationRequest/id:device/id:ip/@v", "4"},
		{"/held:locationRequest/id:device/id:mac", "00-1B-21-3C-4D-5E"},
		{"/held:locationRequest/id:device/id:uri",
		 "sip:alice@example.com"},
		/* RFC 7105 measurements */
		{"/held:locationRequest/lm:measurements/lldp:lldp/"
		 "lldp:chassis",
		 "001122334455"},
		{"/held:locationRequest/lm:measurements/lldp:lldp/"
		 "lldp:chassis/@type",
		 "4"},
		{"/held:locationRequest/lm:measurements/lldp:lldp/lldp:port",
		 "4769312F302F37"}, /* "Gi1/0/7" */
		{"/held:locationRequest/lm:measurements/lldp:lldp/"
		 "lldp:port/@type",
		 "5"},
		{"count(/held:locationRequest/lm:measurements/wifi:wifi/"
		 "wifi:ap)",
		 "2"},
		{"/held:locationRequest/lm:measurements/wifi:wifi/wifi:ap[1]/"
		 "wifi:bssid",
		 "A0-12-34-56-78-9A"},
		{"/held:locationRequest/lm:measurements/wifi:wifi/wifi:ap[1]/"
		 "@serving",
		 "true"},
		{"/held:locationRequest/lm:measurements/wifi:wifi/wifi:ap[1]/"
		 "wifi:ssid",
		 "corp"},
		{"/held:locationRequest/lm:measurements/wifi:wifi/wifi:ap[1]/"
		 "wifi:channel",
		 "36"},
		{"/held:locationRequest/lm:measurements/wifi:wifi/wifi:ap[1]/"
		 "wifi:deviceSignal/wifi:rcpi",
		 "-52"},
		{"/held:locationRequest/lm:measurements/wifi:wifi/wifi:ap[2]/"
		 "wifi:bssid",
		 "A0-12-34-56-78-9B"},
		{"count(//wifi:ap[2]/wifi:ssid | //wifi:ap[2]/wifi:channel | "
		 "//wifi:ap[2]/@serving)",
		 "0"},
	};
	struct held_request req;
	struct mbuf *a = mbuf_alloc(2048), *b = mbuf_alloc(2048);
	char value[256];
	size_t i;
	(void)state;

	full_request(&req);
	assert_int_equal(0, held_request_encode(a, &req));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		xmltest_string(value, sizeof(value), a->buf, a->end,
			       cases[i].xpath);
		assert_string_equal(cases[i].value, value);
	}

	/* deterministic */
	assert_int_equal(0, held_request_encode(b, &req));
	assert_int_equal(a->end, b->end);
	assert_memory_equal(a->buf, b->buf, a->end);

	mem_deref(a);
	mem_deref(b);
}

static void request_variants(void **state)
{
	static const struct {
		enum held_response_time rt;
		uint32_t ms;
		const char *value; /* "" when the attribute is left out */
	} times[] = {
		{HELD_RESPONSE_TIME_NONE, 0, ""},
		{HELD_RESPONSE_TIME_EMERGENCY_ROUTING, 0, "emergencyRouting"},
		{HELD_RESPONSE_TIME_EMERGENCY_DISPATCH, 0, "emergencyDispatch"},
		{HELD_RESPONSE_TIME_MS, 15000, "15000"},
	};
	struct held_request req;
	struct mbuf *mb = mbuf_alloc(1024);
	char value[128];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(times); i++) {
		memset(&req, 0, sizeof(req));
		req.response_time = times[i].rt;
		req.response_ms = times[i].ms;
		mbuf_rewind(mb);
		assert_int_equal(0, held_request_encode(mb, &req));
		xmltest_string(value, sizeof(value), mb->buf, mb->end,
			       "string(/held:locationRequest/@responseTime)");
		assert_string_equal(times[i].value, value);

		/* nothing to identify or measure: no such elements */
		assert_int_equal(0, xmltest_count(mb->buf, mb->end,
						  "//id:device | "
						  "//lm:measurements"));
	}

	/* IPv6 identity only */
	memset(&req, 0, sizeof(req));
	assert_int_equal(0, sa_set_str(&req.ip, "2001:db8::5", 0));
	mbuf_rewind(mb);
	assert_int_equal(0, held_request_encode(mb, &req));
	xmltest_string(value, sizeof(value), mb->buf, mb->end,
		       "/held:locationRequest/id:device/id:ip/@v");
	assert_string_equal("6", value);
	xmltest_string(value, sizeof(value), mb->buf, mb->end,
		       "/held:locationRequest/id:device/id:ip");
	assert_string_equal("2001:db8::5", value);
	assert_int_equal(1, xmltest_count(mb->buf, mb->end,
					  "/held:locationRequest/id:device/"
					  "*"));

	mem_deref(mb);
}

static void request_refusals(void **state)
{
	struct held_lldp bad;
	struct held_request req;
	struct mbuf *mb = mbuf_alloc(64);
	(void)state;

	full_request(&req);
	bad = lldp, bad.chassis_type = 0;
	req.lldp = &bad;
	assert_int_equal(EINVAL, held_request_encode(mb, &req));
	bad = lldp, bad.port_type = 8;
	assert_int_equal(EINVAL, held_request_encode(mb, &req));
	bad = lldp, bad.chassis_len = 0;
	assert_int_equal(EINVAL, held_request_encode(mb, &req));
	bad = lldp, bad.port_len = HELD_LLDP_ID_MAX + 1;
	assert_int_equal(EINVAL, held_request_encode(mb, &req));

	full_request(&req);
	req.apc = HELD_WIFI_AP_MAX + 1;
	assert_int_equal(EINVAL, held_request_encode(mb, &req));

	full_request(&req);
	req.uri = "alice at example";
	assert_int_equal(EINVAL, held_request_encode(mb, &req));

	assert_int_equal(0, mb->end);
	mem_deref(mb);
}

/* Responses shaped like the standards' examples (own text). */

static const char resp_by_value[] =
	"<?xml version=\"1.0\"?>\n"
	"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:held\">\n"
	" <locationUriSet expires=\"2023-11-15T04:13:20Z\">\n"
	"  <locationURI>https://lis.example.com:9768/357yc6s64ceyoiuy5ax3o"
	"</locationURI>\n"
	"  <locationURI>sip:9769+357yc6s64ceyoiuy5ax3o@ls.example.com"
	"</locationURI>\n"
	" </locationUriSet>\n"
	" <presence xmlns=\"urn:ietf:params:xml:ns:pidf\"\n"
	"   entity=\"pres:3650n87934c@ls.example.com\">\n"
	"  <tuple id=\"b650sf789nd\">\n"
	"   <status>\n"
	"    <geopriv xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10\">\n"
	"     <location-info>\n"
	"      <Circle srsName=\"urn:ogc:def:crs:EPSG::4326\"\n"
	"        xmlns=\"http://www.opengis.net/pidflo/1.0\">\n"
	"       <pos xmlns=\"http://www.opengis.net/gml\">"
	"42.5463 -73.2512</pos>\n"
	"       <radius uom=\"urn:ogc:def:uom:EPSG::9001\">850.24</radius>\n"
	"      </Circle>\n"
	"      <civicAddress xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
	"civicAddr\">\n"
	"       <country>US</country><A1>NY</A1><A3>Wellsville</A3>\n"
	"       <RD>Main</RD><STS>St</STS><HNO>123</HNO>\n"
	"      </civicAddress>\n"
	"     </location-info>\n"
	"     <usage-rules/>\n"
	"     <method>Wiremap</method>\n"
	"    </geopriv>\n"
	"   </status>\n"
	"   <timestamp>2023-11-14T22:13:20Z</timestamp>\n"
	"  </tuple>\n"
	" </presence>\n"
	"</locationResponse>\n";

static const char resp_uri_only[] =
	"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:held\">"
	"<locationUriSet expires=\"2023-11-14T23:13:20.000+01:00\">"
	"<locationURI>https://lis.example.com/loc/1</locationURI>"
	"</locationUriSet></locationResponse>";

static int decode_str(struct held_response *resp, const char *doc,
		      const char **errmsg)
{
	return held_response_decode(resp, (const uint8_t *)doc, strlen(doc),
				    errmsg);
}

static void response_location(void **state)
{
	struct held_response resp;
	const char *errmsg = NULL;
	(void)state;

	memset(&resp, 0, sizeof(resp));
	assert_int_equal(0, decode_str(&resp, resp_by_value, &errmsg));
	assert_int_equal(HELD_OK, resp.error);
	assert_int_equal(LOCATION_SOURCE_LIS, resp.loc.source);

	assert_int_equal(2, resp.loc.uric);
	assert_string_equal(
		"https://lis.example.com:9768/357yc6s64ceyoiuy5ax3o",
		resp.loc.uriv[0].uri);
	assert_string_equal("sip:9769+357yc6s64ceyoiuy5ax3o@ls.example.com",
			    resp.loc.uriv[1].uri);
	assert_int_equal(T0 + 6 * 3600, resp.loc.uriv[0].expires);
	assert_int_equal(T0 + 6 * 3600, resp.loc.uriv[1].expires);

	assert_int_equal(GEO_CIRCLE, resp.loc.geo.shape);
	assert_true(resp.loc.geo.radius == 850.24);
	assert_string_equal("Wellsville", civic_get(&resp.loc.civic, CIVIC_A3));
	assert_string_equal("Wiremap", resp.loc.method);
	assert_int_equal(T0, resp.loc.obtained_at);

	/* URIs only: no value, the URI kept with its expiry */
	assert_int_equal(0, decode_str(&resp, resp_uri_only, &errmsg));
	assert_int_equal(HELD_OK, resp.error);
	assert_false(location_has_value(&resp.loc));
	assert_int_equal(1, resp.loc.uric);
	assert_int_equal(T0, resp.loc.uriv[0].expires);

	held_response_reset(&resp);
}

static void response_errors(void **state)
{
	static const struct {
		const char *code;
		enum held_error error;
	} cases[] = {
		{"requestError", HELD_ERROR_REQUEST},
		{"xmlError", HELD_ERROR_XML},
		{"generalLisError", HELD_ERROR_GENERAL_LIS},
		{"locationUnknown", HELD_ERROR_LOCATION_UNKNOWN},
		{"unsupportedMessage", HELD_ERROR_UNSUPPORTED_MESSAGE},
		{"timeout", HELD_ERROR_TIMEOUT},
		{"cannotProvideLiType", HELD_ERROR_CANNOT_PROVIDE_LI_TYPE},
		{"notLocatable", HELD_ERROR_NOT_LOCATABLE},
		{"badIdentifier", HELD_ERROR_BAD_IDENTIFIER},
		{"somethingNew", HELD_ERROR_OTHER},
	};
	struct held_response resp;
	char doc[1024], longmsg[HELD_MESSAGE_MAX * 2];
	size_t i;
	(void)state;

	memset(&resp, 0, sizeof(resp));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		re_snprintf(doc, sizeof(doc),
			    "<?xml version=\"1.0\"?>\n"
			    "<error xmlns=\"urn:ietf:params:xml:ns:geopriv:"
			    "held\" code=\"%s\">\n"
			    "  <message xml:lang=\"en\">Reason %zu</message>\n"
			    "</error>\n",
			    cases[i].code, i);
		assert_int_equal(0, decode_str(&resp, doc, NULL));
		assert_int_equal(cases[i].error, resp.error);
		assert_string_equal(cases[i].code, resp.code_text);
		if (cases[i].error != HELD_ERROR_OTHER)
			assert_string_equal(cases[i].code,
					    held_error_name(cases[i].error));
		re_snprintf(longmsg, sizeof(longmsg), "Reason %zu", i);
		assert_string_equal(longmsg, resp.message);
		assert_false(location_has_value(&resp.loc));
	}

	/* a message without text, and one too long: cut, not refused */
	assert_int_equal(0, decode_str(&resp,
				       "<error xmlns=\"urn:ietf:params:xml:ns:"
				       "geopriv:held\" code=\"timeout\"/>",
				       NULL));
	assert_string_equal("", resp.message);

	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	re_snprintf(doc, sizeof(doc),
		    "<error xmlns=\"urn:ietf:params:xml:ns:geopriv:held\" "
		    "code=\"timeout\"><message>%s</message></error>",
		    longmsg);
	assert_int_equal(0, decode_str(&resp, doc, NULL));
	assert_int_equal(HELD_MESSAGE_MAX - 1, strlen(resp.message));

	held_response_reset(&resp);
}

static void response_refusals(void **state)
{
	static const struct {
		const char *doc;
		int err;
		const char *msg;
	} cases[] = {
		{"<error xmlns=\"urn:ietf:params:xml:ns:geopriv:held\"/>",
		 EBADMSG, "HELD error without a code"},
		{"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held\"/>",
		 EBADMSG, "locationResponse without a location"},
		{"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held\"><locationUriSet><locationURI>https://x/1"
		 "</locationURI></locationUriSet></locationResponse>",
		 EBADMSG, "locationUriSet without a valid expires"},
		{"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held\"><locationUriSet expires=\"2023-11-14T22:13:20Z\"/>"
		 "</locationResponse>",
		 EBADMSG, "empty locationUriSet"},
		{"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held\"><locationUriSet expires=\"2023-11-14T22:13:20Z\">"
		 "<locationURI>not a uri</locationURI></locationUriSet>"
		 "</locationResponse>",
		 EBADMSG, "bad locationURI"},
		/* the embedded PIDF-LO's own complaint comes through */
		{"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held\"><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
		 "entity=\"pres:a@b\"/></locationResponse>",
		 EBADMSG, "no location in the PIDF-LO"},
		{"<locationRequest xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held\"/>",
		 EPROTO, "unexpected HELD document element"},
		{"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:"
		 "held:v2\"/>",
		 EPROTO, "not a HELD document"},
		{"<locationResponse/>", EPROTO, "not a HELD document"},
		{"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>", EPROTO,
		 "not a HELD document"},
	};
	struct held_response resp;
	size_t i;
	(void)state;

	/* a decoded response stays as it was through every refusal */
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(0, decode_str(&resp, resp_uri_only, NULL));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *errmsg = NULL;

		assert_int_equal(cases[i].err,
				 decode_str(&resp, cases[i].doc, &errmsg));
		assert_string_equal(cases[i].msg, errmsg);
	}

	assert_int_equal(1, resp.loc.uric);
	held_response_reset(&resp);
}

/* More URIs than we keep: the first LOCATION_URI_MAX. */
static void response_many_uris(void **state)
{
	struct held_response resp;
	struct mbuf *mb = mbuf_alloc(1024);
	int i;
	(void)state;

	assert_int_equal(0, mbuf_write_str(mb,
					   "<locationResponse xmlns=\"urn:ietf:"
					   "params:xml:ns:geopriv:held\">"
					   "<locationUriSet expires=\"2023-11-"
					   "14T22:13:20Z\">"));
	for (i = 0; i < LOCATION_URI_MAX + 2; i++)
		assert_int_equal(0, mbuf_printf(mb,
						"<locationURI>sip:loc%d@ex"
						"</locationURI>",
						i));
	assert_int_equal(0, mbuf_write_str(mb, "</locationUriSet>"
					       "</locationResponse>"));

	memset(&resp, 0, sizeof(resp));
	assert_int_equal(0,
			 held_response_decode(&resp, mb->buf, mb->end, NULL));
	assert_int_equal(LOCATION_URI_MAX, resp.loc.uric);
	assert_string_equal("sip:loc3@ex", resp.loc.uriv[3].uri);

	held_response_reset(&resp);
	mem_deref(mb);
}

static int decode_held(const uint8_t *buf, size_t len, const char **errmsg)
{
	struct held_response resp;
	int err;

	memset(&resp, 0, sizeof(resp));
	err = held_response_decode(&resp, buf, len, errmsg);
	held_response_reset(&resp);
	return err;
}

static void hostile_documents(void **state)
{
	(void)state;
	xmltest_hostile(decode_held, "locationResponse", HELD_NS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_content),
		cmocka_unit_test(request_variants),
		cmocka_unit_test(request_refusals),
		cmocka_unit_test(response_location),
		cmocka_unit_test(response_errors),
		cmocka_unit_test(response_refusals),
		cmocka_unit_test(response_many_uris),
		cmocka_unit_test(hostile_documents),
	};
	int ret;

	xmltest_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return ret;
}
