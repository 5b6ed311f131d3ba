/* simcsv: one line of comma-separated values, split in place. */

#include <re.h>
#include "simcsv.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A quoted field starting after its opening quote: unescape it in place;
 * *pp ends after the closing quote. */
static int quoted_field(char **endp, char **pp, const char **why)
{
	char *p = *pp, *end = p;

	for (;;) {
		if (!*p) {
			*why = "unterminated quote";
			return EBADMSG;
		}
		if (*p == '"' && p[1] != '"')
			break;
		if (*p == '"')
			++p;
		*end++ = *p++;
	}

	++p;
	while (is_blank(*p))
		++p;
	if (*p && *p != ',') {
		*why = "text after a closing quote";
		return EBADMSG;
	}

	*endp = end;
	*pp = p;
	return 0;
}

int simcsv_split(char **fieldv, size_t *fieldc, size_t max, char *line,
		 const char **why)
{
	char *p = line;
	size_t n = 0;

	if (!fieldv || !fieldc || !line || !why)
		return EINVAL;

	for (;;) {
		char *start, *end, next;

		if (n >= max) {
			*why = "too many fields";
			return EBADMSG;
		}

		while (is_blank(*p))
			++p;

		if (*p == '"') {
			start = ++p;
			if (quoted_field(&end, &p, why))
				return EBADMSG;
		} else {
			start = p;
			while (*p && *p != ',')
				++p;
			end = p;
			while (end > start && is_blank(end[-1]))
				--end;
		}

		/* end <= p: terminating the field keeps the separator */
		next = *p;
		*end = '\0';
		fieldv[n++] = start;
		if (!next)
			break;
		++p;
	}

	*fieldc = n;
	return 0;
}
