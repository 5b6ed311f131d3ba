/* xmltest: XPath checks of our XML output and hostile XML for decoders. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <time.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "timebound.h"
#include "xmltest.h"

static const struct {
	const char *prefix;
	const char *uri;
} prefixes[] = {
	{"pidf", "urn:ietf:params:xml:ns:pidf"},
	{"dm", "urn:ietf:params:xml:ns:pidf:data-model"},
	{"gp", "urn:ietf:params:xml:ns:pidf:geopriv10"},
	{"gbp", "urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy"},
	{"ca", "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"},
	{"gml", "http://www.opengis.net/gml"},
	{"gs", "http://www.opengis.net/pidflo/1.0"},
	{"con", "urn:ietf:params:xml:ns:geopriv:conf"},
	{"ms", "urn:schema:Rtc.LIS.msftE911PidfExtn.2008"},
	{"tag", "urn:schema:Rtc.Lis.LocationPolicyTagID.2008"},
	{"held", "urn:ietf:params:xml:ns:geopriv:held"},
	{"id", "urn:ietf:params:xml:ns:geopriv:held:id"},
	{"lm", "urn:ietf:params:xml:ns:geopriv:lm"},
	{"lldp", "urn:ietf:params:xml:ns:geopriv:lm:lldp"},
	{"wifi", "urn:ietf:params:xml:ns:geopriv:lm:wifi"},
};

/* External loads libxml2 attempted; must stay 0. */
static unsigned external_loads;

static xmlParserInputPtr counting_loader(const char *url, const char *id,
					 xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	++external_loads;
	return NULL;
}

void xmltest_init(void)
{
	xmlSetExternalEntityLoader(counting_loader);
}

static xmlXPathObjectPtr eval(xmlDocPtr *docp, const uint8_t *doc, size_t len,
			      const char *expr)
{
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr obj;
	size_t i;

	*docp = xmlReadMemory((const char *)doc, (int)len, NULL, NULL,
			      XML_PARSE_NONET);
	assert_non_null(*docp);

	ctx = xmlXPathNewContext(*docp);
	assert_non_null(ctx);
	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		assert_int_equal(
			0, xmlXPathRegisterNs(ctx, BAD_CAST prefixes[i].prefix,
					      BAD_CAST prefixes[i].uri));

	obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlXPathFreeContext(ctx);
	assert_non_null(obj);
	return obj;
}

void xmltest_string(char *buf, size_t size, const uint8_t *doc, size_t len,
		    const char *expr)
{
	xmlDocPtr d;
	xmlXPathObjectPtr obj = eval(&d, doc, len, expr);
	xmlChar *s = xmlXPathCastToString(obj);

	assert_non_null(s);
	str_ncpy(buf, (const char *)s, size);
	xmlFree(s);
	xmlXPathFreeObject(obj);
	xmlFreeDoc(d);
}

int xmltest_count(const uint8_t *doc, size_t len, const char *expr)
{
	xmlDocPtr d;
	xmlXPathObjectPtr obj = eval(&d, doc, len, expr);
	int n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;

	assert_int_equal(XPATH_NODESET, obj->type);
	xmlXPathFreeObject(obj);
	xmlFreeDoc(d);
	return n;
}

/* An ASCII document as UTF-16LE with a byte order mark. */
static uint8_t *utf16le(const char *s, size_t *lenp)
{
	size_t n = strlen(s), i;
	uint8_t *out = mem_alloc(2 + 2 * n, NULL);

	assert_non_null(out);
	out[0] = 0xff, out[1] = 0xfe;
	for (i = 0; i < n; i++) {
		out[2 + 2 * i] = (uint8_t)s[i];
		out[3 + 2 * i] = 0;
	}

	*lenp = 2 + 2 * n;
	return out;
}

static void expect(xmltest_decode_h *decode, const uint8_t *buf, size_t len,
		   int err, const char *msg)
{
	const char *errmsg = NULL;

	assert_int_equal(err, decode(buf, len, &errmsg));
	assert_non_null(errmsg);
	if (msg)
		assert_string_equal(msg, errmsg);
}

static void expect_str(xmltest_decode_h *decode, const char *doc, int err,
		       const char *msg)
{
	expect(decode, (const uint8_t *)doc, strlen(doc), err, msg);
}

static void nested(xmltest_decode_h *decode, const char *root, const char *ns)
{
	const size_t depth = 10000;
	struct mbuf *mb = mbuf_alloc(depth * 8);
	size_t i;

	assert_int_equal(0, mbuf_printf(mb, "<%s xmlns=\"%s\">", root, ns));
	for (i = 0; i < depth; i++)
		assert_int_equal(0, mbuf_write_str(mb, "<a>"));
	for (i = 0; i < depth; i++)
		assert_int_equal(0, mbuf_write_str(mb, "</a>"));
	assert_int_equal(0, mbuf_printf(mb, "</%s>", root));

	expect(decode, mb->buf, mb->end, EBADMSG, "XML nested too deeply");
	mem_deref(mb);
}

/* lol9 expands to 10^9 "lol"s: lolN holds ten references to lol(N-1). */
static void billion_laughs(xmltest_decode_h *decode, const char *root,
			   const char *ns)
{
	struct mbuf *mb = mbuf_alloc(2048);
	double t;
	int i, k;

	assert_int_equal(0, mbuf_printf(mb,
					"<?xml version=\"1.0\"?>\n"
					"<!DOCTYPE %s [\n"
					" <!ENTITY lol0 \"lol\">\n",
					root));
	for (i = 1; i <= 9; i++) {
		assert_int_equal(0, mbuf_printf(mb, " <!ENTITY lol%d \"", i));
		for (k = 0; k < 10; k++)
			assert_int_equal(0, mbuf_printf(mb, "&lol%d;", i - 1));
		assert_int_equal(0, mbuf_write_str(mb, "\">\n"));
	}
	assert_int_equal(0, mbuf_printf(mb, "]>\n<%s xmlns=\"%s\">&lol9;</%s>",
					root, ns, root));

	t = timebound_now();
	timebound_plant();
	expect(decode, mb->buf, mb->end, EBADMSG,
	       "document type declarations are not allowed");
	assert_time_within((uint64_t)((timebound_now() - t) * 1000), 1000,
			   "refusing a billion laughs");
	mem_deref(mb);
}

/* 50 MB that would take libxml2 a while: refused by size alone. */
static void huge(xmltest_decode_h *decode, const char *root, const char *ns)
{
	const size_t size = 50u * 1024u * 1024u;
	uint8_t *buf = mem_alloc(size, NULL);
	int n;

	assert_non_null(buf);
	n = re_snprintf((char *)buf, size, "<%s xmlns=\"%s\">", root, ns);
	assert_true(n > 0);
	memset(buf + n, 'a', size - (size_t)n);

	expect(decode, buf, size, EMSGSIZE, "document too large");
	mem_deref(buf);
}

void xmltest_hostile(xmltest_decode_h *decode, const char *root, const char *ns)
{
	char doc[1024];
	uint8_t *wide;
	size_t len;

	external_loads = 0;

	/* XXE: an external general entity naming a local file */
	re_snprintf(doc, sizeof(doc),
		    "<?xml version=\"1.0\"?>\n"
		    "<!DOCTYPE %s [<!ENTITY xxe SYSTEM "
		    "\"file:///etc/passwd\">]>\n"
		    "<%s xmlns=\"%s\">&xxe;</%s>",
		    root, root, ns, root);
	expect_str(decode, doc, EBADMSG,
		   "document type declarations are not allowed");

	/* an external DTD */
	re_snprintf(doc, sizeof(doc),
		    "<!DOCTYPE %s SYSTEM \"file:///etc/passwd\">"
		    "<%s xmlns=\"%s\"/>",
		    root, root, ns);
	expect_str(decode, doc, EBADMSG,
		   "document type declarations are not allowed");

	/* the same XXE in UTF-16, where a byte search would miss it */
	re_snprintf(doc, sizeof(doc),
		    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
		    "<!DOCTYPE %s [<!ENTITY xxe SYSTEM "
		    "\"file:///etc/passwd\">]>\n"
		    "<%s xmlns=\"%s\">&xxe;</%s>",
		    root, root, ns, root);
	wide = utf16le(doc, &len);
	expect(decode, wide, len, EBADMSG,
	       "document type declarations are not allowed");
	mem_deref(wide);

	/* XInclude is never processed: at most a document without a
	 * location */
	re_snprintf(
		doc, sizeof(doc),
		"<%s xmlns=\"%s\"><xi:include xmlns:xi=\"http://www.w3.org/"
		"2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>"
		"</%s>",
		root, ns, root);
	assert_int_not_equal(0,
			     decode((const uint8_t *)doc, strlen(doc), NULL));

	assert_int_equal(0, external_loads);

	billion_laughs(decode, root, ns);
	huge(decode, root, ns);
	nested(decode, root, ns);

	/* an entity nobody declared */
	re_snprintf(doc, sizeof(doc), "<%s xmlns=\"%s\">&xxe;</%s>", root, ns,
		    root);
	expect_str(decode, doc, EBADMSG, "XML is not well-formed");

	/* truncated */
	re_snprintf(doc, sizeof(doc), "<%s xmlns=\"%s\"><a>text</a", root, ns);
	expect_str(decode, doc, EBADMSG, "XML is not well-formed");

	expect_str(decode, "", EBADMSG, "empty document");
	expect_str(decode, "not xml at all", EBADMSG, "XML is not well-formed");

	/* the right element in the wrong namespace */
	re_snprintf(doc, sizeof(doc), "<%s xmlns=\"urn:example:wrong\"/>",
		    root);
	expect_str(decode, doc, EPROTO, NULL);

	assert_int_equal(0, external_loads);
}
