/*
 * lisdisc_dns: RFC 5986 LIS discovery over DNS in baresip's loop: the
 * access network's domain (the DNS search domain from resolv.conf, or one
 * given), its NAPTR records, the LIS URI (lisdisc_select).
 */

#ifndef LOCPHONE_LISDISC_DNS_H
#define LOCPHONE_LISDISC_DNS_H

#include <stdbool.h>

struct lisdisc_query;

/* err 0 with the URI, or ENOENT/ETIMEDOUT/...; domain is what was asked. */
typedef void(lisdisc_h)(int err, const char *uri, const char *domain,
			void *arg);

/*
 * Look the LIS up.  domain NULL: the search domain of /etc/resolv.conf.
 * The handler runs once, later, unless the query is freed first.
 */
int lisdisc_lookup(struct lisdisc_query **qp, const char *domain,
		   bool allow_http, lisdisc_h *h, void *arg);

#endif
