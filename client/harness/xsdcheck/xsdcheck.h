/* xsdcheck: our XML output checked against the published schemas in
 * ../shared/xsd (RFC 3863, 4119, 4479, 5139, 5491's GML profile, 5985,
 * 6155, 7105, 7459), offline.  For tests, fuzz targets and
 * locphone-pidfcheck. */

#ifndef LOCPHONE_XSDCHECK_H
#define LOCPHONE_XSDCHECK_H

/* The root element a document must have (validate-xml's modes). */
enum xsdcheck_mode {
	XSDCHECK_PIDF = 0,     /* pidf:presence */
	XSDCHECK_HELD_REQUEST, /* held:locationRequest */
	XSDCHECK_HELD_RESPONSE /* held:locationResponse or held:error */
};

/*
 * Load the schemas once (held-lm.xsd, which includes pidf-lo.xsd) from
 * LOCPHONE_XSD_DIR (or $LOCPHONE_XSD_DIR), with the directory's
 * catalog.xml and no network access.  Returns 0; ENOENT when the schema
 * directory is missing (why says where it was looked for); EINVAL when
 * the schemas do not compile.  Later calls return the first result.
 */
int xsdcheck_init(const char **why);

/*
 * Parse len bytes and validate them: well-formed, the root mode asks
 * for, schema-valid.  Returns 0, or EBADMSG with the first error (line
 * and libxml2's message) in err; EINVAL before xsdcheck_init() succeeded.
 */
int xsdcheck_doc(enum xsdcheck_mode mode, const uint8_t *buf, size_t len,
		 char *err, size_t errsz);

/*
 * For fuzz targets: abort() unless len bytes are schema-valid, printing
 * the first error and the document.  The schemas are loaded at the first
 * call; without them this aborts under CI=true and otherwise says once
 * that nothing is checked.
 */
void xsdcheck_or_abort(enum xsdcheck_mode mode, const uint8_t *buf, size_t len);

/* How many documents xsdcheck_doc() has validated. */
unsigned xsdcheck_count(void);

/* The directory schemas are read from. */
const char *xsdcheck_dir(void);

#endif
