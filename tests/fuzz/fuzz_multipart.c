/* Fuzz target: multipart bodies and Content-Type boundaries. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	size_t n = MULTIPART_MAX_PARTS, i;
	struct pl ctype, boundary;
	const uint8_t *nl;

	/* first line: a Content-Type value; the rest: the body */
	nl = memchr(data, '\n', size);
	if (!nl)
		return 0;

	ctype.p = (const char *)data;
	ctype.l = (size_t)(nl - data);
	if (multipart_boundary_get(&boundary, &ctype))
		return 0;

	if (multipart_parse(parts, &n, &boundary, nl + 1,
			    size - (size_t)(nl + 1 - data)))
		return 0;

	for (i = 0; i < n; i++) {
		/* every part must lie inside the input */
		if (parts[i].body.l && (parts[i].body.p < (const char *)data ||
					parts[i].body.p + parts[i].body.l >
						(const char *)data + size))
			abort();
	}

	return 0;
}
