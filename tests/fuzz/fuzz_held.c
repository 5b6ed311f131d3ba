/* Fuzz target: HELD response decoding. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "pidf.h"
#include "xsdcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* both profiles, with and without a device ID */
	const struct pidf_params p = {
		.profile = size % 2 ? PIDF_PROFILE_MICROSOFT
				    : PIDF_PROFILE_RFC5491,
		.entity = "sip:fuzz@example.com",
		.device_id = size % 4 < 2 ? "mac:001122334455" : NULL,
		.conference_uri = size % 3 ? NULL : "sip:desk@example.com",
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
	if (location_has_value(&resp.loc)) {
		if (pidf_build(mb, &resp.loc, &p))
			abort();
		xsdcheck_or_abort(XSDCHECK_PIDF, mb->buf, mb->end);
	}
	if (location_json_encode(od, &resp.loc))
		abort();

	mem_deref(od);
	mem_deref(mb);
	held_response_reset(&resp);
	return 0;
}
