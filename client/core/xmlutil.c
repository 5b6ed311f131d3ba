/* xmlutil: guarded libxml2 parsing, node lookup and a checked writer. */

#include <re.h>
#include <limits.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "wiretext.h"
#include "xmlutil.h"

/*
 * The allocation watch (see xmlutil.h): while one of our libxml2
 * operations runs, libxml2 allocates through these wrappers, which call
 * the functions installed before them and count, per thread, every
 * allocation that failed.  libxml2 2.9 carries on after many failures
 * without a word (a name its dictionary could not store drops the
 * attribute, a text it could not copy is left out), so the count is how
 * we learn of them.  free() is not wrapped: the previous one is kept.
 */
static struct {
	xmlFreeFunc free;
	xmlMallocFunc malloc;
	xmlMallocFunc atomic;
	xmlReallocFunc realloc;
	xmlStrdupFunc strdup;
} watch_prev;
static unsigned watch_depth; /* nested watches of this copy */
static _Thread_local unsigned long watch_failed;

static void *watch_malloc(size_t size)
{
	void *p = watch_prev.malloc(size);

	if (!p)
		++watch_failed;
	return p;
}

static void *watch_atomic(size_t size)
{
	void *p = watch_prev.atomic(size);

	if (!p)
		++watch_failed;
	return p;
}

static void *watch_realloc(void *ptr, size_t size)
{
	void *p = watch_prev.realloc(ptr, size);

	if (!p && size)
		++watch_failed;
	return p;
}

static char *watch_strdup(const char *str)
{
	char *p = watch_prev.strdup(str);

	if (!p && str)
		++watch_failed;
	return p;
}

/* Start watching libxml2's allocations; the mark for watch_end(). */
static unsigned long watch_begin(void)
{
	xmlMallocFunc cur = NULL;

	/* never our own wrapper as the one to call (that would recurse):
	 * found installed, it stays, and what it calls is put back */
	if (!watch_depth++ && xmlGcMemGet(NULL, &cur, NULL, NULL, NULL) == 0 &&
	    cur != watch_malloc) {
		(void)xmlGcMemGet(&watch_prev.free, &watch_prev.malloc,
				  &watch_prev.atomic, &watch_prev.realloc,
				  &watch_prev.strdup);
		(void)xmlGcMemSetup(watch_prev.free, watch_malloc, watch_atomic,
				    watch_realloc, watch_strdup);
	}

	return watch_failed;
}

/* Stop (the outermost watch puts back what it found); true if an
 * allocation failed since mark. */
static bool watch_end(unsigned long mark)
{
	if (watch_depth && !--watch_depth)
		(void)xmlGcMemSetup(watch_prev.free, watch_prev.malloc,
				    watch_prev.atomic, watch_prev.realloc,
				    watch_prev.strdup);

	return watch_failed != mark;
}

/*
 * What the SAX hooks learn while libxml2 builds the tree.  The default
 * SAX2 element handlers are kept and called through, so the tree is the
 * ordinary one; the hooks only count depth and stop the parser at the
 * first DOCTYPE or entity declaration, before any of it is processed.
 */
struct guard {
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	unsigned depth;
	const char *refused;
	bool nomem; /* libxml2 ran out of memory somewhere */
};

static void refuse(void *ctx, const char *why)
{
	xmlParserCtxt *ctxt = ctx;
	struct guard *g = ctxt->_private;

	if (!g->refused)
		g->refused = why;
	xmlStopParser(ctxt);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nb_ns, const xmlChar **ns,
		     int nb_attr, int nb_def, const xmlChar **attrs)
{
	xmlParserCtxt *ctxt = ctx;
	struct guard *g = ctxt->_private;

	if (++g->depth > XMLUTIL_MAX_DEPTH) {
		refuse(ctx, "XML nested too deeply");
		return;
	}

	g->start(ctx, localname, prefix, uri, nb_ns, ns, nb_attr, nb_def,
		 attrs);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *uri)
{
	xmlParserCtxt *ctxt = ctx;
	struct guard *g = ctxt->_private;

	if (g->depth)
		--g->depth;
	g->end(ctx, localname, prefix, uri);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *pub,
		       const xmlChar *sys)
{
	(void)name;
	(void)pub;
	(void)sys;
	refuse(ctx, "document type declarations are not allowed");
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type,
			   const xmlChar *pub, const xmlChar *sys,
			   xmlChar *content)
{
	(void)name;
	(void)type;
	(void)pub;
	(void)sys;
	(void)content;
	refuse(ctx, "entity declarations are not allowed");
}

/* Nothing outside the document is ever loaded. */
static xmlParserInput *on_resolve(void *ctx, const xmlChar *pub,
				  const xmlChar *sys)
{
	(void)pub;
	(void)sys;
	refuse(ctx, "external entities are not allowed");
	return NULL;
}

/* An allocation that failed anywhere in libxml2 (parser, buffers,
 * encoding) makes the parse ENOMEM, not a verdict on the document: the
 * parser's own errNo is overwritten by the errors that follow, and a
 * buffer's failure never reaches it. */
static void note_error(bool *nomem, const xmlError *e)
{
	if (nomem && e && e->code == XML_ERR_NO_MEMORY)
		*nomem = true;
}

/* the parser's handler: ctx is the parser context */
static void on_error(void *ctx, xmlError *e)
{
	xmlParserCtxt *ctxt = ctx;
	struct guard *g = ctxt ? ctxt->_private : NULL;

	note_error(g ? &g->nomem : NULL, e);
}

/* the per-thread handler: ctx is the guard */
static void on_thread_error(void *ctx, xmlError *e)
{
	struct guard *g = ctx;

	note_error(&g->nomem, e);
}

/* Never XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID or XINCLUDE. */
#define PARSE_OPTIONS                                                          \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |           \
	 XML_PARSE_NOCDATA)

static void install_guard(xmlParserCtxt *ctxt, struct guard *g)
{
	xmlSAXHandler *sax = ctxt->sax;

	g->start = sax->startElementNs;
	g->end = sax->endElementNs;

	sax->startElementNs = on_start;
	sax->endElementNs = on_end;
	sax->internalSubset = on_doctype;
	sax->externalSubset = on_doctype;
	sax->entityDecl = on_entity_decl;
	sax->resolveEntity = on_resolve;
	sax->serror = on_error;
	sax->warning = NULL;
	sax->error = NULL;
	sax->fatalError = NULL;
	ctxt->_private = g;
}

/* An XML declaration with an encoding, or a byte order mark: libxml2
 * then knows the encoding from the document itself. */
static bool declares_encoding(const uint8_t *buf, size_t len)
{
	size_t i;

	if (len >= 2 && (buf[0] == 0xfe || buf[0] == 0xff || buf[0] == 0xef ||
			 buf[0] == 0x00 || buf[1] == 0x00))
		return true;
	if (len < 5 || memcmp(buf, "<?xml", 5))
		return false;

	for (i = 5; i + 8 <= len && i < 200; i++) {
		if (buf[i] == '>')
			return false;
		if (!memcmp(buf + i, "encoding", 8))
			return true;
	}

	return false;
}

int xmlutil_parse(xmlDoc **docp, const uint8_t *buf, size_t len, size_t maxlen,
		  const char **errmsg)
{
	xmlStructuredErrorFunc old_handler;
	xmlParserCtxt *ctxt = NULL;
	void *old_ctx;
	struct guard g;
	const char *msg = NULL;
	xmlDoc *doc = NULL;
	unsigned long mark;
	int err = 0;

	if (!docp || (!buf && len))
		return EINVAL;

	memset(&g, 0, sizeof(g));
	mark = watch_begin();

	if (len > maxlen || len > INT_MAX) {
		msg = "document too large";
		err = EMSGSIZE;
		goto out;
	}
	if (!len) {
		msg = "empty document";
		err = EBADMSG;
		goto out;
	}

	/* idempotent; cheap after the first call */
	xmlInitParser();

	/* Errors raised without the parser context (encoding conversion,
	 * buffers, creating the context) go to libxml2's per-thread
	 * structured handler, else to stderr: silence them for this parse
	 * and put the caller's handler back. */
	old_handler = xmlStructuredError;
	old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&g, on_thread_error);

	ctxt = xmlCreateMemoryParserCtxt((const char *)buf, (int)len);
	if (!ctxt || !ctxt->sax) {
		xmlSetStructuredErrorFunc(old_ctx, old_handler);
		msg = "out of memory";
		err = ENOMEM;
		goto out;
	}

	install_guard(ctxt, &g);
	xmlCtxtUseOptions(ctxt, PARSE_OPTIONS);

	/* a document that does not say its encoding is UTF-8 by XML's
	 * rules; one that is not valid UTF-8 is read as ISO-8859-1 (what
	 * such servers send) rather than lost */
	if (!declares_encoding(buf, len) && !wiretext_is_utf8(buf, len) &&
	    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_8859_1) < 0)
		g.nomem = true; /* its handler is built in: only memory */

	(void)xmlParseDocument(ctxt);
	xmlSetStructuredErrorFunc(old_ctx, old_handler);

	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;

	/* an allocation that failed, even one libxml2 got over or kept
	 * quiet about, leaves no verdict on the document: the tree may lack
	 * what it could not store */
	if (g.nomem || ctxt->errNo == XML_ERR_NO_MEMORY) {
		msg = "out of memory";
		err = ENOMEM;
	} else if (g.refused) {
		msg = g.refused;
		err = EBADMSG;
	} else if (!ctxt->wellFormed || !doc || !xmlDocGetRootElement(doc)) {
		msg = "XML is not well-formed";
		err = EBADMSG;
	} else if (doc->intSubset || doc->extSubset) {
		msg = "document type declarations are not allowed";
		err = EBADMSG;
	}

out:
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	if (watch_end(mark)) {
		msg = "out of memory";
		err = ENOMEM;
	}

	if (err) {
		if (doc)
			xmlFreeDoc(doc);
		if (errmsg)
			*errmsg = msg;
		return err;
	}

	*docp = doc;
	return 0;
}

bool xmlutil_in_ns(const xmlNode *n, const char *ns)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       0 == strcmp((const char *)n->ns->href, ns);
}

bool xmlutil_is(const xmlNode *n, const char *ns, const char *name)
{
	return xmlutil_in_ns(n, ns) && 0 == strcmp((const char *)n->name, name);
}

static const xmlNode *first_match(const xmlNode *n, const char *ns,
				  const char *name)
{
	for (; n; n = n->next) {
		if (name ? xmlutil_is(n, ns, name) : xmlutil_in_ns(n, ns))
			return n;
	}

	return NULL;
}

const xmlNode *xmlutil_child(const xmlNode *parent, const char *ns,
			     const char *name)
{
	if (!parent)
		return NULL;

	return first_match(parent->children, ns, name);
}

const xmlNode *xmlutil_next(const xmlNode *n, const char *ns, const char *name)
{
	if (!n)
		return NULL;

	return first_match(n->next, ns, name);
}

static bool is_space(xmlChar c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copy src into buf, normalising whitespace as xs:token does.  On
 * EOVERFLOW buf holds as much as fits, cut at a character boundary. */
static int normalise(char *buf, size_t size, const xmlChar *src)
{
	size_t n = 0;
	bool gap = false;

	if (!size)
		return EOVERFLOW;

	for (; src && *src; src++) {
		if (is_space(*src)) {
			gap = n > 0;
			continue;
		}
		if (n + (gap ? 2 : 1) >= size) {
			while (n && ((uint8_t)buf[n - 1] & 0xc0) == 0x80)
				--n;
			if (n && ((uint8_t)buf[n - 1] & 0xc0) == 0xc0)
				--n;
			buf[n] = '\0';
			return EOVERFLOW;
		}
		if (gap)
			buf[n++] = ' ';
		buf[n++] = (char)*src;
		gap = false;
	}

	buf[n] = '\0';
	return 0;
}

int xmlutil_text(char *buf, size_t size, const xmlNode *n)
{
	unsigned long mark;
	xmlChar *content;
	int err;

	if (!buf || !n)
		return EINVAL;

	/* libxml2 leaves out of the content what it could not append */
	mark = watch_begin();
	content = xmlNodeGetContent(n);
	if (watch_end(mark)) {
		xmlFree(content);
		return ENOMEM;
	}
	if (!content && n->children)
		return ENOMEM;

	err = normalise(buf, size, content);
	xmlFree(content);

	/* libxml2 gives valid UTF-8, but XML allows C1 controls (U+0085):
	 * the same clean-up as all wire text, in place (it never grows
	 * valid UTF-8) */
	if (err != ENOMEM)
		(void)wiretext_utf8(buf, size, (const uint8_t *)buf,
				    strlen(buf));
	return err;
}

int xmlutil_attr(char *buf, size_t size, const xmlNode *n, const char *name)
{
	unsigned long mark;
	xmlChar *value;
	int err;

	if (!buf || !n || !name)
		return EINVAL;

	if (!xmlHasNsProp(n, (const xmlChar *)name, NULL))
		return ENOENT;

	mark = watch_begin();
	value = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (watch_end(mark) || !value) {
		xmlFree(value);
		return ENOMEM;
	}

	err = normalise(buf, size, value);
	xmlFree(value);
	return err;
}

static bool name_bound(const xmlChar *name, const xmlNs *ns)
{
	/* libxml2 keeps an undeclared prefix in the name, without ns */
	return ns || !strchr((const char *)name, ':');
}

/* Elements and text only, every prefix bound, to any depth the parser
 * allowed. */
static bool subtree_clean(const xmlNode *n)
{
	const xmlAttr *a;

	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE)
			continue;
		if (n->type != XML_ELEMENT_NODE || !name_bound(n->name, n->ns))
			return false;
		for (a = n->properties; a; a = a->next) {
			if (!name_bound(a->name, a->ns))
				return false;
		}
		if (!subtree_clean(n->children))
			return false;
	}

	return true;
}

static bool is_foreign(const xmlNode *n, const char *own_ns)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       n->ns->href[0] && strcmp((const char *)n->ns->href, own_ns);
}

/* RFC 4119's namespace: provided-by content must come from another */
#define GEOPRIV10_NS "urn:ietf:params:xml:ns:pidf:geopriv10"

int xmlutil_foreign_check(const char *s, size_t len)
{
	static const char open[] = "<r>", close[] = "</r>";
	const xmlNode *n;
	xmlDoc *doc = NULL;
	struct mbuf *mb;
	bool any = false;
	int err;

	if (!s || !len || !location_text_valid(s, len) || memchr(s, 0, len))
		return EINVAL;

	mb = mbuf_alloc(len + sizeof(open) + sizeof(close));
	if (!mb)
		return ENOMEM;

	/* the wrapper has no namespace declarations: each element must
	 * declare its own, as xmlutil_foreign_dump() writes them; a
	 * fragment that closed the wrapper early leaves the document
	 * malformed */
	err = mbuf_write_str(mb, open);
	err |= mbuf_write_mem(mb, (const uint8_t *)s, len);
	err |= mbuf_write_str(mb, close);
	if (err) {
		err = ENOMEM;
		goto out;
	}

	/* out of memory is not a verdict: ENOMEM, whatever else failed */
	err = xmlutil_parse(&doc, mb->buf, mb->end, mb->end, NULL);
	if (err) {
		err = err == ENOMEM ? ENOMEM : EINVAL;
		goto out;
	}

	err = EINVAL;
	n = xmlDocGetRootElement(doc);
	if (!n || n->next || n->prev)
		goto out;
	for (n = n->children; n; n = n->next) {
		if (n->type == XML_TEXT_NODE) {
			const xmlChar *c;

			for (c = n->content; c && *c; c++) {
				if (!is_space(*c))
					goto out;
			}
			continue;
		}
		if (!is_foreign(n, GEOPRIV10_NS))
			goto out;
		any = true;
	}

	if (any && subtree_clean(xmlDocGetRootElement(doc)->children))
		err = 0;

out:
	if (doc)
		xmlFreeDoc(doc);
	mem_deref(mb);
	return err;
}

/* xmlOutputBuffer's sink: the dump goes into an mbuf of ours, as
 * libxml2 2.9's xmlNodeDump into an xmlBuffer frees the buffer's content
 * twice when growing it runs out of memory (found by the OOM test). */
struct dump_sink {
	struct mbuf *mb;
	size_t max;
	int err;
};

static int sink_write(void *ctx, const char *data, int len)
{
	struct dump_sink *d = ctx;

	if (d->err)
		return -1;
	if (d->mb->end + (size_t)len > d->max) {
		d->err = EOVERFLOW;
		return -1;
	}
	if (mbuf_write_mem(d->mb, (const uint8_t *)data, (size_t)len)) {
		d->err = ENOMEM;
		return -1;
	}
	return len;
}

static int sink_close(void *ctx)
{
	(void)ctx;
	return 0;
}

int xmlutil_foreign_dump(char **strp, const xmlNode *parent, const char *own_ns,
			 size_t max)
{
	xmlStructuredErrorFunc old_handler = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	struct dump_sink d = {NULL, max, 0};
	struct guard g;
	xmlOutputBuffer *out = NULL;
	xmlDoc *doc = NULL;
	const xmlNode *n;
	unsigned long mark;
	bool any = false;
	int err = 0;

	if (!strp || !parent || !own_ns)
		return EINVAL;

	/* libxml2 copies and dumps on after a failed allocation, leaving
	 * out what it could not allocate (a namespace, a text): its error
	 * report is how we learn of it */
	memset(&g, 0, sizeof(g));
	xmlSetStructuredErrorFunc(&g, on_thread_error);
	mark = watch_begin();
	d.mb = mbuf_alloc(256);
	doc = xmlNewDoc(BAD_CAST "1.0");
	out = d.mb ? xmlOutputBufferCreateIO(sink_write, sink_close, &d, NULL)
		   : NULL;
	if (!d.mb || !doc || !out) {
		err = ENOMEM;
		goto out;
	}

	for (n = parent->children; n && !err; n = n->next) {
		xmlNode *copy;

		if (!is_foreign(n, own_ns))
			continue;

		/* a copy outside the original tree declares, on itself,
		 * every namespace it uses that an ancestor declared */
		copy = xmlDocCopyNode((xmlNode *)n, doc, 1);
		if (!copy) {
			err = ENOMEM;
			break;
		}
		xmlNodeDumpOutput(out, doc, copy, 0, 0, NULL);
		xmlFreeNode(copy);
		any = true;
		if (xmlOutputBufferFlush(out) < 0 || out->error)
			err = d.err ? d.err : ENOMEM;
	}

out:
	if (out && xmlOutputBufferClose(out) < 0 && !err)
		err = d.err ? d.err : ENOMEM;
	if (doc)
		xmlFreeDoc(doc);
	doc = NULL;
	if (watch_end(mark))
		err = ENOMEM;
	if (!err && d.err)
		err = d.err;
	if (!err && g.nomem)
		err = ENOMEM;
	if (!err && !any)
		err = ENOENT;
	if (!err) {
		mbuf_set_pos(d.mb, 0);
		err = mbuf_strdup(d.mb, strp, mbuf_get_left(d.mb));
	}
	if (doc)
		xmlFreeDoc(doc);
	mem_deref(d.mb);
	xmlSetStructuredErrorFunc(old_ctx, old_handler);
	return err;
}

/* The writer. */

void xmlw_fail(struct xmlw *x, int err)
{
	if (x && !x->err)
		x->err = err;
}

static void check(struct xmlw *x, int rc)
{
	if (rc < 0)
		xmlw_fail(x, ENOMEM);
}

static bool value_ok(struct xmlw *x, const char *s)
{
	if (x->err)
		return false;
	if (!s || !location_text_valid(s, strlen(s))) {
		xmlw_fail(x, EINVAL);
		return false;
	}

	return true;
}

/* the writer's per-thread handler: libxml2's writer drops text whose
 * escaping ran out of memory and still reports success; the error it
 * raises is how we learn of it */
static void on_writer_error(void *ctx, xmlError *e)
{
	struct xmlw *x = ctx;

	note_error(&x->nomem, e);
}

int xmlw_begin(struct xmlw *x)
{
	if (!x)
		return EINVAL;

	memset(x, 0, sizeof(*x));
	xmlInitParser();

	x->old_handler = xmlStructuredError;
	x->old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(x, on_writer_error);
	x->watch_mark = watch_begin();

	x->buf = xmlBufferCreate();
	if (!x->buf) {
		(void)watch_end(x->watch_mark);
		xmlSetStructuredErrorFunc(x->old_ctx, x->old_handler);
		return ENOMEM;
	}

	x->w = xmlNewTextWriterMemory(x->buf, 0);
	if (!x->w) {
		(void)watch_end(x->watch_mark);
		xmlSetStructuredErrorFunc(x->old_ctx, x->old_handler);
		xmlBufferFree(x->buf);
		x->buf = NULL;
		return ENOMEM;
	}

	check(x, xmlTextWriterSetIndent(x->w, 1));
	check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST "  "));
	check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
	return 0;
}

void xmlw_start(struct xmlw *x, const char *name)
{
	if (!x->err)
		check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
	if (value_ok(x, value))
		check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
						     BAD_CAST value));
}

void xmlw_text(struct xmlw *x, const char *text)
{
	if (value_ok(x, text))
		check(x, xmlTextWriterWriteString(x->w, BAD_CAST text));
}

void xmlw_raw(struct xmlw *x, const char *xml)
{
	if (x->err)
		return;
	if (!xml) {
		xmlw_fail(x, EINVAL);
		return;
	}
	xmlw_fail(x, xmlutil_foreign_check(xml, strlen(xml)));
	if (x->err)
		return;

	check(x, xmlTextWriterWriteRaw(x->w, BAD_CAST xml));
}

void xmlw_end(struct xmlw *x)
{
	if (!x->err)
		check(x, xmlTextWriterEndElement(x->w));
}

void xmlw_elem(struct xmlw *x, const char *name, const char *text)
{
	xmlw_start(x, name);
	xmlw_text(x, text);
	xmlw_end(x);
}

int xmlw_finish(struct xmlw *x, struct mbuf *mb)
{
	int err;

	if (!x || !x->w)
		return EINVAL;

	if (!x->err)
		check(x, xmlTextWriterEndDocument(x->w));
	if (!x->err)
		check(x, xmlTextWriterFlush(x->w));

	xmlFreeTextWriter(x->w);
	x->w = NULL;
	if (watch_end(x->watch_mark))
		x->nomem = true;
	xmlSetStructuredErrorFunc(x->old_ctx, x->old_handler);
	if (x->nomem)
		xmlw_fail(x, ENOMEM);

	err = x->err;
	if (!err && !mb)
		err = EINVAL;
	if (!err)
		err = mbuf_write_mem(mb, xmlBufferContent(x->buf),
				     (size_t)xmlBufferLength(x->buf));

	xmlBufferFree(x->buf);
	x->buf = NULL;
	return err;
}
