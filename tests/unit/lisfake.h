/*
 * lisfake: lis_client.h without HTTP, for testing the locator
 * (client/lis/locator.c) without sockets.  A query is kept until the test
 * answers it with lisfake_answer(), as the real client would once the LIS
 * had; suppression and the URLs behave as lis_client.h says.
 */

#ifndef LOCPHONE_LISFAKE_H
#define LOCPHONE_LISFAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "lis_client.h"

/* What the locator did with the fake since lisfake_reset(). */
struct lisfake_state {
	unsigned clients; /* lis_client_alloc calls */
	unsigned queries; /* queries sent */
	unsigned refused; /* queries refused (every server suppressed) */
	bool suppressed[2];
	bool pending;	      /* a query awaits its answer */
	char last_body[4096]; /* the last request's HELD body */
};

extern struct lisfake_state lisfake;

void lisfake_reset(void);

/*
 * Answer the pending query as the client would: err, server, HTTP status
 * and body (NULL: none), errtext ("" on success).  The query must exist.
 */
void lisfake_answer(int err, enum lis_server server, uint16_t status,
		    const char *body, const char *errtext);

#endif
