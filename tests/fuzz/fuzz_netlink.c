/* Fuzz target: rtnetlink datagrams into netstate, then a snapshot. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "wifi.h"
#include "netstate.h"
#include "wiretext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct netstate ns;
	static struct netsnap snap;
	const char *why = NULL;
	struct odict *od = NULL;

	memset(&ns, 0, sizeof(ns));
	(void)netstate_feed(&ns, data, size, NULL, &why);
	netstate_snapshot(&ns, &snap);
	/* interface names are shown: valid UTF-8 whatever the kernel said */
	for (size_t i = 0; i < snap.ifc; i++) {
		if (!wiretext_is_utf8((const uint8_t *)snap.ifs[i].name,
				      strlen(snap.ifs[i].name)))
			abort();
	}

	if (!odict_alloc(&od, 8))
		(void)netsnap_json_encode(od, &snap);
	mem_deref(od);

	return 0;
}
