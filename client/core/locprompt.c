/* locprompt: the prompt, dismissal and disclaimer per network. */

#include <re.h>
#include <string.h>
#include "policy.h"
#include "locprompt.h"

void locprompt_init(struct locprompt *p, enum policy_location_required mode)
{
	if (!p)
		return;

	memset(p, 0, sizeof(*p));
	p->mode = mode;
}

/* A different known network starts afresh; an unknown one changes
 * nothing, and the first known one after it adopts the state. */
static void network_follow(struct locprompt *p, const char *network)
{
	char kept[sizeof(p->network)];

	if (!network || !network[0])
		return;

	/* compared as it would be kept */
	str_ncpy(kept, network, sizeof(kept));
	if (p->network[0] && strcmp(p->network, kept))
		p->state = LOCPROMPT_IDLE;

	str_ncpy(p->network, kept, sizeof(p->network));
}

enum locprompt_action locprompt_update(struct locprompt *p, const char *network,
				       bool missing)
{
	if (!p)
		return LOCPROMPT_ACT_NONE;

	network_follow(p, network);

	if (!missing) {
		/* answered: an entered, picked or automatic location */
		if (p->state == LOCPROMPT_ASKING)
			p->state = LOCPROMPT_IDLE;
		return LOCPROMPT_ACT_NONE;
	}

	/* standards.md §12: LocationRequired "no" never prompts */
	if (p->mode == POLICY_LOCATION_NO || p->state != LOCPROMPT_IDLE)
		return LOCPROMPT_ACT_NONE;

	p->state = LOCPROMPT_ASKING;
	return LOCPROMPT_ACT_PROMPT;
}

int locprompt_dismiss(struct locprompt *p, enum locprompt_action *actp)
{
	if (!p || !actp)
		return EINVAL;
	if (p->state != LOCPROMPT_ASKING)
		return ENOENT;

	if (p->mode == POLICY_LOCATION_DISCLAIMER) {
		p->state = LOCPROMPT_DISCLAIMER;
		*actp = LOCPROMPT_ACT_DISCLAIMER;
	} else {
		p->state = LOCPROMPT_DISMISSED;
		*actp = LOCPROMPT_ACT_NONE;
	}

	return 0;
}

int locprompt_acknowledge(struct locprompt *p)
{
	if (!p)
		return EINVAL;
	if (p->state != LOCPROMPT_DISCLAIMER)
		return ENOENT;

	p->state = LOCPROMPT_ACKNOWLEDGED;
	return 0;
}

const char *locprompt_state_name(enum locprompt_state s)
{
	static const char *const names[] = {
		[LOCPROMPT_IDLE] = "idle",
		[LOCPROMPT_ASKING] = "asking",
		[LOCPROMPT_DISMISSED] = "dismissed",
		[LOCPROMPT_DISCLAIMER] = "disclaimer",
		[LOCPROMPT_ACKNOWLEDGED] = "acknowledged",
	};

	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}
