/* Fuzz target: the LIS simulator's wiremap (CSV) parser and matcher. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "heldreq.h"
#include "wiremap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A request carrying one of each kind of evidence, so matching runs over
 * whatever the input defined. */
static void request_fill(struct heldreq *req)
{
	static const uint8_t mac[6] = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x90};
	static const uint8_t chassis[6] = {0x02, 0, 0, 0, 0, 0x01};

	memset(req, 0, sizeof(*req));
	memcpy(req->bssidv[0], mac, sizeof(mac));
	req->bssidc = 1;
	memcpy(req->macv[0], mac, sizeof(mac));
	req->macc = 1;
	req->lldpv[0].chassis.type = 4;
	req->lldpv[0].chassis.len = sizeof(chassis);
	memcpy(req->lldpv[0].chassis.v, chassis, sizeof(chassis));
	req->lldpv[0].port.type = 5;
	req->lldpv[0].port.len = 1;
	req->lldpv[0].port.v[0] = 'x';
	req->lldpc = 1;
	(void)sa_set_str(&req->ipv[0], "10.1.2.3", 0);
	(void)sa_set_str(&req->ipv[1], "2001:db8::1", 0);
	req->ipc = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct wiremap_entry *ent;
	struct wiremap_err e;
	struct wiremap *wm = NULL;
	struct heldreq req;
	struct sa peer;
	int err;

	err = wiremap_parse(&wm, &e, (const char *)data, size);
	if (err == EBADMSG) {
		/* a refusal says why, within its buffer */
		if (!e.msg[0] || !memchr(e.msg, '\0', sizeof(e.msg)))
			abort();
		return 0;
	}
	if (err)
		return 0;

	request_fill(&req);
	(void)sa_set_str(&peer, "127.0.0.1", 8080);
	ent = wiremap_match(wm, &req, &peer);
	if (ent && (civic_is_empty(&ent->civic) && !ent->geodetic))
		abort();

	mem_deref(wm);
	return 0;
}
