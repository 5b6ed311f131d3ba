/* xsdcheck: our XML output checked against the published schemas. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>
#include "xsdcheck.h"

#ifndef LOCPHONE_XSD_DIR
#define LOCPHONE_XSD_DIR ""
#endif

static struct {
	bool tried;
	int result;
	const char *why;
	char dir[1024];
	xmlSchema *schema;
	unsigned count;
	char *first; /* the first validation error of the current document */
	size_t first_sz;
	bool have_first;
} st;

const char *xsdcheck_dir(void)
{
	const char *env = getenv("LOCPHONE_XSD_DIR");

	if (!st.dir[0])
		snprintf(st.dir, sizeof(st.dir), "%s",
			 env && env[0] ? env : LOCPHONE_XSD_DIR);
	return st.dir;
}

/* Keep only the first error: the test stops there. */
static void on_error(void *ctx, const xmlError *e)
{
	(void)ctx;
	if (st.have_first || !st.first)
		return;
	st.have_first = true;
	snprintf(st.first, st.first_sz, "line %d: %s", e->line,
		 e->message ? e->message : "?");
	st.first[strcspn(st.first, "\n")] = '\0';
}

/* libxml2 2.9 declares the handler without const */
static void on_error_cb(void *ctx, xmlError *e)
{
	on_error(ctx, e);
}

/* Schema-parser warnings ("Skipping import ... already imported") are
 * noise, as validate-xml drops them too. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int xsdcheck_init(const char **why)
{
	char path[1200];
	xmlSchemaParserCtxt *pctx;
	struct stat sb;

	if (st.tried) {
		if (why)
			*why = st.why;
		return st.result;
	}
	st.tried = true;

	xmlInitParser();
	snprintf(path, sizeof(path), "%s/held-lm.xsd", xsdcheck_dir());
	if (stat(path, &sb)) {
		st.why = "no schemas (../shared/xsd/held-lm.xsd) next to the "
			 "source tree";
		st.result = ENOENT;
		goto out;
	}

	/* offline: the catalog maps xml.xsd to the local copy, every other
	 * network URL is refused */
	snprintf(path, sizeof(path), "%s/catalog.xml", xsdcheck_dir());
	xmlInitializeCatalog();
	if (xmlLoadCatalog(path)) {
		st.why = "catalog.xml does not load";
		st.result = EINVAL;
		goto out;
	}
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);

	snprintf(path, sizeof(path), "%s/held-lm.xsd", xsdcheck_dir());
	pctx = xmlSchemaNewParserCtxt(path);
	if (!pctx) {
		st.why = "out of memory";
		st.result = ENOMEM;
		goto out;
	}
	xmlSchemaSetParserErrors(pctx, quiet, quiet, NULL);
	st.schema = xmlSchemaParse(pctx);
	xmlSchemaFreeParserCtxt(pctx);
	if (!st.schema) {
		st.why = "the schemas do not compile";
		st.result = EINVAL;
		goto out;
	}
	st.result = 0;

out:
	if (why)
		*why = st.why;
	return st.result;
}

static bool root_is(const xmlNode *r, const char *ns, const char *name)
{
	return r && r->ns && !strcmp((const char *)r->ns->href, ns) &&
	       !strcmp((const char *)r->name, name);
}

static bool root_ok(enum xsdcheck_mode mode, const xmlNode *r)
{
	static const char held[] = "urn:ietf:params:xml:ns:geopriv:held";

	switch (mode) {

	case XSDCHECK_PIDF:
		return root_is(r, "urn:ietf:params:xml:ns:pidf", "presence");

	case XSDCHECK_HELD_REQUEST:
		return root_is(r, held, "locationRequest");

	case XSDCHECK_HELD_RESPONSE:
		return root_is(r, held, "locationResponse") ||
		       root_is(r, held, "error");
	}

	return false;
}

int xsdcheck_doc(enum xsdcheck_mode mode, const uint8_t *buf, size_t len,
		 char *err, size_t errsz)
{
	xmlSchemaValidCtxt *vctx;
	xmlDoc *doc;
	int rc;

	if (st.result || !st.schema || !buf || !err || !errsz)
		return EINVAL;

	err[0] = '\0';
	st.first = err;
	st.first_sz = errsz;
	st.have_first = false;
	++st.count;

	xmlSetStructuredErrorFunc(NULL, on_error_cb);
	doc = xmlReadMemory((const char *)buf, (int)len, "doc", NULL,
			    XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		if (!st.have_first)
			snprintf(err, errsz, "not well-formed");
		rc = EBADMSG;
		goto out;
	}

	if (!root_ok(mode, xmlDocGetRootElement(doc))) {
		snprintf(err, errsz,
			 "root element {%s}%s is not the one "
			 "expected",
			 xmlDocGetRootElement(doc)->ns
				 ? (const char *)xmlDocGetRootElement(doc)
					   ->ns->href
				 : "",
			 (const char *)xmlDocGetRootElement(doc)->name);
		xmlFreeDoc(doc);
		rc = EBADMSG;
		goto out;
	}

	vctx = xmlSchemaNewValidCtxt(st.schema);
	if (!vctx) {
		xmlFreeDoc(doc);
		rc = ENOMEM;
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vctx, on_error_cb, NULL);
	rc = xmlSchemaValidateDoc(vctx, doc);
	xmlSchemaFreeValidCtxt(vctx);
	xmlFreeDoc(doc);
	if (rc && !st.have_first)
		snprintf(err, errsz, "invalid (libxml2 code %d)", rc);
	rc = rc ? EBADMSG : 0;

out:
	st.first = NULL;
	return rc;
}

void xsdcheck_or_abort(enum xsdcheck_mode mode, const uint8_t *buf, size_t len)
{
	static bool warned;
	const char *why = NULL, *ci;
	char err[512];
	int rc = xsdcheck_init(&why);

	if (rc) {
		ci = getenv("CI");
		if (rc != ENOENT || (ci && !strcmp(ci, "true"))) {
			fprintf(stderr, "schemas in %s: %s\n", xsdcheck_dir(),
				why ? why : "?");
			abort();
		}
		if (!warned)
			fprintf(stderr,
				"schemas in %s: %s; what is built is "
				"not validated\n",
				xsdcheck_dir(), why ? why : "?");
		warned = true;
		return;
	}

	if (!xsdcheck_doc(mode, buf, len, err, sizeof(err)))
		return;

	fprintf(stderr, "built document is not schema-valid: %s\n%.*s\n", err,
		(int)len, (const char *)buf);
	abort();
}

unsigned xsdcheck_count(void)
{
	return st.count;
}
