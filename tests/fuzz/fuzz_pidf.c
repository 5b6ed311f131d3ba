/* Fuzz target: PIDF-LO parsing, and that what we accept goes back out. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "ctlproto.h"
#include "xsdcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Through JSON (saved state) and back: the same record, usage aside. */
static void check_json(const struct location *loc)
{
	struct odict *od = NULL, *back = NULL;
	struct location again;
	char *text = NULL;

	memset(&again, 0, sizeof(again));
	if (odict_alloc(&od, 16) || location_json_encode(od, loc) ||
	    re_sdprintf(&text, "%H", json_out_odict, od) ||
	    json_decode_odict(&back, 16, text, strlen(text), 8) ||
	    location_json_decode(&again, back, NULL))
		abort();

	again.usage = loc->usage;
	if (!location_equal(loc, &again))
		abort();

	location_reset(&again);
	mem_deref(back);
	mem_deref(text);
	mem_deref(od);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pidf_params p = {
		.entity = "sip:fuzz@example.com",
		.device_id = "mac:001122334455",
	};
	struct location loc, again;
	struct mbuf *mb;

	memset(&loc, 0, sizeof(loc));
	memset(&again, 0, sizeof(again));

	if (pidf_parse(&loc, data, size, NULL))
		return 0;

	/* a location we accepted must be sendable in an INVITE, and read
	 * back as the same record */
	p.timestamp = loc.obtained_at;
	p.retention_expiry = loc.usage.retention_expiry;
	p.retransmission_allowed = loc.usage.retransmission_allowed;

	mb = mbuf_alloc(4096);
	if (!mb || pidf_build(mb, &loc, &p))
		abort();
	xsdcheck_or_abort(XSDCHECK_PIDF, mb->buf, mb->end);
	if (pidf_parse(&again, mb->buf, mb->end, NULL))
		abort();

	/* provided-by goes out as the LIS's elements only: its text comes
	 * back as theirs (or not at all) */
	if ((loc.provided_by_xml != NULL) != (again.provided_by_xml != NULL))
		abort();
	if (location_set_provided_by(&loc, again.provided_by))
		abort();
	/* what we send always says retransmission-allowed */
	if (!again.usage.retransmission_given)
		abort();
	loc.usage.retransmission_given = true;
	if (!location_equal(&loc, &again))
		abort();

	check_json(&loc);

	location_reset(&again);
	location_reset(&loc);
	mem_deref(mb);
	return 0;
}
