/* xsdtest: cmocka glue for client/harness/xsdcheck.  Include xsdcheck.h. */

#ifndef LOCPHONE_XSDTEST_H
#define LOCPHONE_XSDTEST_H

/*
 * Load the schemas or leave: without them the test fails when CI=true and
 * is skipped (exit 77, saying why) otherwise.
 */
void xsdtest_require(void);

/* Assert that len bytes are schema-valid for mode; on the first error
 * print what (the error and the document) and fail. */
void xsdtest_valid(enum xsdcheck_mode mode, const uint8_t *buf, size_t len,
		   const char *what);

#endif
