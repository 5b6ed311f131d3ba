/* Fuzz target: a location.set request line into the person's location. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "ctlproto.h"
#include "civic.h"
#include "civic_validate.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "location.h"
#include "held.h"
#include "locsource.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What locsource_manual_decode promises whatever the client sent. */
static void check_outcome(int err, const struct location *loc, const char *why)
{
	struct civic_problems probs;

	if (err == 0) {
		if (loc->source != LOCATION_SOURCE_MANUAL || loc->validated ||
		    !loc->method || strcmp(loc->method, "Manual") ||
		    civic_validate(&loc->civic, &probs) ||
		    geo_validate(&loc->geo))
			abort();
		return;
	}

	/* refused: with words for the client, and nothing half-filled */
	if ((err == EINVAL && !why[0]) || (err != EINVAL && err != ENOMEM) ||
	    location_has_value(loc))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request req;
	struct location loc;
	const char *errmsg = NULL;
	char why[1024];
	int64_t id;
	int err;

	if (size > CTLPROTO_MAX_LINE)
		return 0;
	if (ctl_request_decode(&req, (const char *)data, size, &id, &errmsg))
		return 0;

	memset(&loc, 0, sizeof(loc));
	err = locsource_manual_decode(&loc, req.args, 1000, why, sizeof(why));
	check_outcome(err, &loc, why);

	location_reset(&loc);
	ctl_request_reset(&req);
	return 0;
}
