/* xmlutil: guarded libxml2 parsing, node lookup and a checked writer.
 * Internal to client/core. */

#ifndef LOCPHONE_XMLUTIL_H
#define LOCPHONE_XMLUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

/* Deepest element nesting we parse; PIDF-LO inside HELD needs about 12. */
#define XMLUTIL_MAX_DEPTH 32

/*
 * Parse len bytes as one XML document, refusing what a peer never needs
 * to send: more than maxlen bytes (EMSGSIZE, checked before parsing), a
 * DOCTYPE or entity declaration, nesting deeper than XMLUTIL_MAX_DEPTH,
 * or anything not well-formed (EBADMSG).  The parser runs without network
 * access, never substitutes entities and never loads a DTD; it prints
 * nothing.  On success *docp is the document, which the caller frees with
 * xmlFreeDoc(); on failure *errmsg (if given) is a static string saying
 * why.  ENOMEM when libxml2 runs out of memory.
 */
int xmlutil_parse(xmlDoc **docp, const uint8_t *buf, size_t len, size_t maxlen,
		  const char **errmsg);

/* True if n is an element called name in namespace ns. */
bool xmlutil_is(const xmlNode *n, const char *ns, const char *name);

/* True if n is an element in namespace ns (any name). */
bool xmlutil_in_ns(const xmlNode *n, const char *ns);

/* The first element child of parent called name in namespace ns, or
 * NULL.  name NULL matches any element in ns. */
const xmlNode *xmlutil_child(const xmlNode *parent, const char *ns,
			     const char *name);

/* The next element sibling after n called name in namespace ns, or NULL.
 * name NULL matches any element in ns. */
const xmlNode *xmlutil_next(const xmlNode *n, const char *ns, const char *name);

/*
 * The text inside element n (all descendant text), with leading and
 * trailing whitespace dropped and inner runs of whitespace made one space
 * (xs:token normalisation), into buf as a NUL-terminated string.  Returns
 * 0, EOVERFLOW if it does not fit (buf then holds what fits, cut at a
 * UTF-8 character boundary), ENOMEM.
 */
int xmlutil_text(char *buf, size_t size, const xmlNode *n);

/* Attribute name (no namespace) of element n, normalised as above.
 * ENOENT if absent, EOVERFLOW if too long. */
int xmlutil_attr(char *buf, size_t size, const xmlNode *n, const char *name);

/*
 * Serialise the element children of parent that are in a namespace other
 * than own_ns (RFC 4119 provided-by: ##other), each declaring the
 * namespaces it uses, into a new string *strp (mem_deref).  Returns 0,
 * ENOENT if parent has no such child, EOVERFLOW if the text would exceed
 * max bytes, ENOMEM.
 */
int xmlutil_foreign_dump(char **strp, const xmlNode *parent, const char *own_ns,
			 size_t max);

/*
 * True if s (len bytes) is what xmlutil_foreign_dump() produces and may
 * go into our documents as it is: valid UTF-8, one or more elements each
 * in a namespace other than RFC 4119's geopriv10, every prefix declared,
 * nothing but whitespace between them, no comments, processing
 * instructions or DOCTYPE.
 */
bool xmlutil_foreign_valid(const char *s, size_t len);

/*
 * A writer that produces indented UTF-8 XML into an mbuf.  Every text and
 * attribute value is checked (valid UTF-8, no control characters XML 1.0
 * forbids) and escaped.  The calls between xmlw_begin() and xmlw_finish()
 * return nothing: after the first failure they do nothing, and
 * xmlw_finish() reports that failure.  Element and attribute names are
 * written as given, prefix included ("gp:geopriv").
 */
struct xmlw {
	xmlBuffer *buf;
	xmlTextWriter *w;
	int err;
	bool nomem; /* libxml2 said it ran out of memory */
	xmlStructuredErrorFunc old_handler; /* put back by xmlw_finish */
	void *old_ctx;
};

/* Start a document with its XML declaration.  0, or ENOMEM (then x needs
 * no xmlw_finish()). */
int xmlw_begin(struct xmlw *x);

/* Open element name; attributes follow, then content. */
void xmlw_start(struct xmlw *x, const char *name);

/* An attribute of the element just opened; EINVAL for bad text. */
void xmlw_attr(struct xmlw *x, const char *name, const char *value);

/* Escaped text content; EINVAL for bad text. */
void xmlw_text(struct xmlw *x, const char *text);

/* Markup written as it is: only text xmlutil_foreign_valid() accepts
 * (EINVAL otherwise). */
void xmlw_raw(struct xmlw *x, const char *xml);

/* Close the innermost open element. */
void xmlw_end(struct xmlw *x);

/* An element holding only text: <name>text</name>. */
void xmlw_elem(struct xmlw *x, const char *name, const char *text);

/* Record err (EINVAL for bad input found by the caller) unless an
 * earlier error is already recorded. */
void xmlw_fail(struct xmlw *x, int err);

/* Close every open element, append the document to mb if nothing failed,
 * free the writer.  Returns the first error, or 0. */
int xmlw_finish(struct xmlw *x, struct mbuf *mb);

#endif
