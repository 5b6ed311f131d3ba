/* rfc3339: UTC timestamps as RFC 3339 / xs:dateTime text. */

#ifndef LOCPHONE_RFC3339_H
#define LOCPHONE_RFC3339_H

#include <stddef.h>
#include <time.h>

#include <re.h>

/* "YYYY-MM-DDThh:mm:ssZ" and its NUL. */
#define RFC3339_LEN 21

/*
 * Write t as "YYYY-MM-DDThh:mm:ssZ" (always UTC, RFC 3339 §5.6) into buf,
 * which holds at least RFC3339_LEN bytes.  Returns 0, or EINVAL when buf is
 * too small or t falls outside the years 0001..9999.
 */
int rfc3339_format(char *buf, size_t size, time_t t);

/* re_printf handler for "%H": prints *t as rfc3339_format() does. */
int rfc3339_print(struct re_printf *pf, const time_t *t);

/*
 * Parse len bytes of an RFC 3339 date-time into seconds since the epoch.
 * Accepts 'T'/'t' and 'Z'/'z', fractional seconds (dropped) and numeric
 * offsets (applied).  A value without a zone, which xs:dateTime allows, is
 * taken as UTC.  Returns 0 and sets *tp, or EINVAL.
 */
int rfc3339_parse(time_t *tp, const char *s, size_t len);

#endif
