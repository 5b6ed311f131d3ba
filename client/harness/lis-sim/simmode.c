/* simmode: how the LIS simulator behaves, switchable at run time. */

#include <re.h>
#include <string.h>
#include "simmode.h"

static const char *const names[SIMMODE_KIND_COUNT] = {
	[SIMMODE_NORMAL] = "normal",
	[SIMMODE_SLOW] = "slow",
	[SIMMODE_HTTP500] = "http500",
	[SIMMODE_REFUSE] = "refuse",
	[SIMMODE_LOCATION_UNKNOWN] = "locationUnknown",
	[SIMMODE_NOT_LOCATABLE] = "notLocatable",
	[SIMMODE_GARBAGE] = "garbage",
	[SIMMODE_TRUNCATED] = "truncated",
	[SIMMODE_HTTP503] = "http503",
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int simmode_decode(struct simmode *mode, const struct pl *pl)
{
	struct pl name, ms = PL_INIT;
	uint64_t delay = 0;
	size_t i;
	int k;

	if (!mode || !pl || !pl->p)
		return EINVAL;

	name = *pl;
	while (name.l && is_blank(name.p[0]))
		pl_advance(&name, 1);
	while (name.l && is_blank(name.p[name.l - 1]))
		--name.l;

	for (i = 0; i < name.l; i++) {
		if (name.p[i] == ':') {
			ms.p = name.p + i + 1;
			ms.l = name.l - i - 1;
			name.l = i;
			break;
		}
	}

	for (k = 0; k < SIMMODE_KIND_COUNT; k++) {
		if (0 == pl_strcmp(&name, names[k]))
			break;
	}
	if (k == SIMMODE_KIND_COUNT)
		return EINVAL;

	/* only slow takes an argument, and it needs one */
	if ((k == SIMMODE_SLOW) != (ms.p != NULL))
		return EINVAL;

	if (k == SIMMODE_SLOW) {
		if (!ms.l || ms.l > 7)
			return EINVAL;
		for (i = 0; i < ms.l; i++) {
			if (ms.p[i] < '0' || ms.p[i] > '9')
				return EINVAL;
			delay = delay * 10 + (uint64_t)(ms.p[i] - '0');
		}
		if (delay > SIMMODE_DELAY_MAX)
			return EINVAL;
	}

	mode->kind = (enum simmode_kind)k;
	mode->delay_ms = (uint32_t)delay;
	return 0;
}

int simmode_print(struct re_printf *pf, const struct simmode *mode)
{
	if (!mode || (unsigned)mode->kind >= SIMMODE_KIND_COUNT)
		return 0;

	if (mode->kind == SIMMODE_SLOW)
		return re_hprintf(pf, "slow:%u", mode->delay_ms);

	return re_hprintf(pf, "%s", names[mode->kind]);
}
