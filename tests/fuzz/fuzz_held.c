/* Fuzz target: HELD response decoding. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "pidf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pidf_params p = {
		.entity = "sip:fuzz@example.com",
		.retransmission_allowed = true,
	};
	struct held_response resp;
	struct odict *od = NULL;
	struct mbuf *mb;
	const char *name;

	memset(&resp, 0, sizeof(resp));
	if (held_response_decode(&resp, data, size, NULL))
		return 0;

	if (resp.loc.uric > LOCATION_URI_MAX ||
	    strlen(resp.message) >= HELD_MESSAGE_MAX)
		abort();

	/* a known code is reported under its own name */
	name = held_error_name(resp.error);
	if (resp.error != HELD_OK && name && strcmp(name, resp.code_text))
		abort();

	/* a LIS answer we accepted goes into an INVITE and out as JSON */
	mb = mbuf_alloc(4096);
	if (!mb || odict_alloc(&od, 16))
		abort();
	if (location_has_value(&resp.loc) && pidf_build(mb, &resp.loc, &p))
		abort();
	if (location_json_encode(od, &resp.loc))
		abort();

	mem_deref(od);
	mem_deref(mb);
	held_response_reset(&resp);
	return 0;
}
