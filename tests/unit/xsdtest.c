/* xsdtest: cmocka glue for client/harness/xsdcheck. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xsdcheck.h"
#include "xsdtest.h"

void xsdtest_require(void)
{
	const char *why = NULL, *ci = getenv("CI");
	int err = xsdcheck_init(&why);

	if (!err)
		return;

	fprintf(stderr, "schemas in %s: %s\n", xsdcheck_dir(), why ? why : "?");
	if (err == ENOENT && !(ci && !strcmp(ci, "true"))) {
		fprintf(stderr, "SKIP: no schemas to validate against "
				"(CI=true makes this a failure)\n");
		exit(77);
	}
	exit(1);
}

void xsdtest_valid(enum xsdcheck_mode mode, const uint8_t *buf, size_t len,
		   const char *what)
{
	char err[512];

	if (!xsdcheck_doc(mode, buf, len, err, sizeof(err)))
		return;

	print_error("%s is not schema-valid: %s\n--- the document:\n%.*s\n",
		    what, err, (int)len, (const char *)buf);
	fail();
}
