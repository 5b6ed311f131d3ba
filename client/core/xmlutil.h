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

/*
 * Out of memory.  libxml2 2.9 carries on after many failed allocations
 * without reporting them: a name its dictionary could not store drops
 * the attribute or element, a text it could not append is left out of
 * the content, a namespace it could not copy is missing from a dump.  So
 * every function here that runs libxml2 (the parse, the text and
 * attribute readers, the dump and check of foreign markup, the writer
 * from xmlw_begin() to xmlw_finish()) watches libxml2's allocations
 * while it runs, and returns ENOMEM if any of them failed, whatever
 * libxml2 made of it.
 *
 * The watch: xmlGcMemSetup() wrappers around the allocation functions
 * installed before (free is kept as it is), which count failures in a
 * thread-local counter; installed at the start of the call and the
 * previous functions put back before it returns.  Why scoped, not once
 * per process: client/core is a static library, linked into several
 * baresip modules (location.so, e911.so, each with its own copy of this
 * code, loaded RTLD_LOCAL and unloaded at exit) and into other programs,
 * while libxml2's allocation hooks are one set per process.  A wrapper
 * left installed would be called after its module is gone; a scoped one
 * is only ever installed while its own code is on the stack.  And a
 * check sees every failure whichever copy's wrapper is on top: during
 * the call its own wrapper is installed, and one installed above it (a
 * nested watch) calls through it, so every failed allocation passes
 * through both.  The rule that makes this hold: libxml2's allocation
 * hooks are changed, and these functions called, from one thread at a
 * time (in the engine, baresip's main thread; the other programs are
 * single-threaded).  Another thread's allocations while a watch is on
 * only go through a wrapper that passes them on.
 */

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
 * 0 if s (len bytes) is what xmlutil_foreign_dump() produces and may go
 * into our documents as it is: valid UTF-8, one or more elements each in
 * a namespace other than RFC 4119's geopriv10, every prefix declared,
 * nothing but whitespace between them, no comments, processing
 * instructions or DOCTYPE.  EINVAL if it is not; ENOMEM if checking ran
 * out of memory (no verdict).
 */
int xmlutil_foreign_check(const char *s, size_t len);

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
	bool nomem;		  /* libxml2 said it ran out of memory */
	unsigned long watch_mark; /* the allocation watch (above) */
	xmlStructuredErrorFunc old_handler; /* put back by xmlw_finish */
	void *old_ctx;
};

/* Start a document with its XML declaration.  0, or ENOMEM (then x needs
 * no xmlw_finish()).  After 0, xmlw_finish() must follow before anything
 * else runs on this thread (it ends the allocation watch). */
int xmlw_begin(struct xmlw *x);

/* Open element name; attributes follow, then content. */
void xmlw_start(struct xmlw *x, const char *name);

/* An attribute of the element just opened; EINVAL for bad text. */
void xmlw_attr(struct xmlw *x, const char *name, const char *value);

/* Escaped text content; EINVAL for bad text. */
void xmlw_text(struct xmlw *x, const char *text);

/* Markup written as it is: only text xmlutil_foreign_check() accepts
 * (its error otherwise). */
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
