/* Fuzz target: the LIS simulator's HELD locationRequest decoder. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include "heldreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lldp_id_check(const struct lldp_id *id)
{
	if (id->type < 1 || id->type > 7 || id->len < 1)
		abort();
}

/* What a decoded request promises its users. */
static void request_check(const struct heldreq *req)
{
	size_t i;

	if (req->ipc > HELDREQ_IDS_MAX || req->macc > HELDREQ_IDS_MAX ||
	    req->uric > HELDREQ_IDS_MAX || req->lldpc > HELDREQ_LLDP_MAX ||
	    req->bssidc > HELDREQ_AP_MAX)
		abort();
	if (!req->loctypes || req->loctypes & ~0xfu)
		abort();

	for (i = 0; i < req->uric; i++) {
		if (!req->uriv[i] || !strchr(req->uriv[i], ':') ||
		    strlen(req->uriv[i]) >= HELDREQ_URI_MAX)
			abort();
	}
	for (i = 0; i < req->lldpc; i++) {
		lldp_id_check(&req->lldpv[i].chassis);
		lldp_id_check(&req->lldpv[i].port);
	}
	for (i = 0; i < req->ipc; i++) {
		if (!sa_isset(&req->ipv[i], SA_ADDR))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct heldreq_fault fault;
	struct heldreq *req = NULL;
	int err;

	if (!ready) {
		xmlInitParser();
		heldreq_init();
		ready = true;
	}

	err = heldreq_decode(&req, &fault, data, size);
	if (err == EBADMSG) {
		/* every refusal names a HELD error code and says why */
		if (!fault.code || !fault.message[0] ||
		    !memchr(fault.message, '\0', sizeof(fault.message)))
			abort();
		return 0;
	}
	if (err)
		return 0;

	request_check(req);
	mem_deref(req);
	return 0;
}
