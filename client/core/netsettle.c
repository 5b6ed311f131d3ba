/* netsettle: the debounce of network events and what it announces. */

#include <re.h>
#include <string.h>
#include "evidence.h"
#include "netstate.h"
#include "netsettle.h"

void netsettle_init(struct netsettle *s, uint64_t quiet_ms)
{
	if (!s)
		return;

	memset(s, 0, sizeof(*s));
	s->quiet_ms = quiet_ms;
}

uint64_t netsettle_event(struct netsettle *s, uint64_t now)
{
	if (!s)
		return 0;

	s->pending = true;
	s->due = now + s->quiet_ms;
	return s->quiet_ms;
}

uint64_t netsettle_lldp(struct netsettle *s, uint64_t now)
{
	if (!s)
		return 0;

	++s->lldp_gen;
	return netsettle_event(s, now);
}

void netsettle_dumping(struct netsettle *s, bool on)
{
	if (s)
		s->dumping = on;
}

bool netsettle_due(struct netsettle *s, uint64_t now, uint64_t *wait)
{
	if (wait)
		*wait = 0;
	if (!s || !s->pending || s->dumping)
		return false;

	if (now < s->due) {
		if (wait)
			*wait = s->due - now;
		return false;
	}

	s->pending = false;
	return true;
}

bool netsettle_probe(struct netsettle *s, const struct netsnap *snap,
		     bool enabled)
{
	if (!s || !snap || !enabled || s->probed || !snap->gateway.present ||
	    snap->gateway.has_mac)
		return false;

	s->probed = true;
	return true;
}

bool netsettle_offer(struct netsettle *s, const struct netsnap *snap,
		     const struct evidence *ev)
{
	static const struct evidence none;

	if (!s || !snap)
		return false;
	if (!ev)
		ev = &none;

	if (s->have && netsnap_equal(snap, &s->snap) &&
	    evidence_equal(ev, &s->ev) && s->lldp_gen == s->lldp_seen)
		return false;
	s->lldp_seen = s->lldp_gen;

	/* another gateway (or none): its MAC may be asked for again; the
	 * first snapshot's was asked for just before it was offered */
	if (s->have && (snap->gateway.present != s->snap.gateway.present ||
			memcmp(snap->gateway.ip, s->snap.gateway.ip, 16)))
		s->probed = false;

	s->snap = *snap;
	s->ev = *ev;
	s->ev.lldp = NULL; /* the neighbour table's; it may go */
	s->have = true;
	return true;
}
