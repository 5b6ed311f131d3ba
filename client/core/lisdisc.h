/*
 * lisdisc: LIS discovery (RFC 5986): the U-NAPTR records (RFC 4848) of the
 * access network's domain name the LIS URI.  Pure: the DNS lookup is the
 * caller's.
 */

#ifndef LOCPHONE_LISDISC_H
#define LOCPHONE_LISDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The application service tag and protocol of a LIS (RFC 5986). */
#define LISDISC_SERVICE "LIS:HELD"

/* One NAPTR record as the resolver returned it. */
struct lisdisc_naptr {
	uint16_t order;
	uint16_t pref;
	const char *flags;
	const char *services;
	const char *regexp;
};

/*
 * The LIS URI: of the records whose services are LIS:HELD and whose flag
 * is "U" (terminal, a URI), by order then preference, the first whose
 * regexp "!^.*$!URI!" yields an https URI (an http one only when
 * allow_http).  ENOENT if none qualifies; the URI goes into uri.
 */
int lisdisc_select(char *uri, size_t sz, const struct lisdisc_naptr *v,
		   size_t n, bool allow_http);

#endif
