/* xmltest: XPath checks of our XML output and hostile XML for decoders.
 * Include <libxml/tree.h> first. */

/*
 * Parse len bytes (our own output, trusted) and evaluate the XPath
 * expression expr as a string into buf.  The prefixes pidf, dm, gp, gbp,
 * ca, gml, gs, con, ms, tag, held, id, lm, lldp and wifi are bound to
 * their namespaces.  Asserts that the document parses.
 */
void xmltest_string(char *buf, size_t size, const uint8_t *doc, size_t len,
		    const char *expr);

/* count(expr) for the same document and prefixes. */
int xmltest_count(const uint8_t *doc, size_t len, const char *expr);

/* A decoder under test: 0 or an errno, *errmsg set on failure. */
typedef int(xmltest_decode_h)(const uint8_t *buf, size_t len,
			      const char **errmsg);

/*
 * Feed decode the hostile documents every decoder must refuse, each with
 * root element root in namespace ns: external entities (SYSTEM file and
 * external DTD), billion laughs, a 50 MB body, a UTF-16 document with a
 * DOCTYPE, an XInclude, an undeclared entity, a truncated and an empty document, deep
 * nesting, the wrong namespace.  Asserts each result, that the billion
 * laughs is refused within a second, and that libxml2 never tried to
 * load an external resource.
 */
void xmltest_hostile(xmltest_decode_h *decode, const char *root,
		     const char *ns);

/* Install the external-entity loader that xmltest_hostile() watches;
 * call once from main(). */
void xmltest_init(void);
