/*
 * lldpd_backend: LLDP neighbours read from a running lldpd (liblldpctl),
 * for engines that may not open raw sockets.  lldpd also sends the
 * LLDP-MED frames the switch needs.
 */

#ifndef LOCPHONE_LLDPD_BACKEND_H
#define LOCPHONE_LLDPD_BACKEND_H

#include <re.h>

#include "lldp.h"
#include "ndlog.h"

#define LLDPD_BACKEND_MAX 8

struct lldpd_backend;

typedef void(lldpd_backend_change_h)(void *arg);

/*
 * Start following lldpd at sock (NULL: lldpd's default socket).  changeh
 * runs on baresip's thread after each change lldpd reports.  lg (copied;
 * NULL: silent) is where it logs, from its worker thread too.
 */
int lldpd_backend_alloc(struct lldpd_backend **bp, const char *sock,
			lldpd_backend_change_h *changeh, void *arg,
			const struct ndlog *lg);

/* The neighbour lldpd has on an interface, or NULL. */
const struct lldp_frame *lldpd_backend_neighbour(const struct lldpd_backend *b,
						 unsigned ifindex);

/* {"<ifname>": {...}} for every neighbour, as lldpsock_json_encode. */
int lldpd_backend_json_encode(struct odict *od, const struct lldpd_backend *b);

#endif
