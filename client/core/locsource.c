/* locsource: discovery results to HELD requests and location records. */

#include <re.h>
#include <math.h>
#include <string.h>
#include "civic.h"
#include "civic_validate.h"
#include "lldp.h"
#include "wifi.h"
#include "netstate.h"
#include "evidence.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "rfc3339.h"

/* Room for the words naming a manual location in a reason. */
#define MANUAL_WORDS_MAX 128

int locsource_request(struct locsource_request *r, const struct evidence *ev,
		      const char *aor, enum held_response_time rt)
{
	if (!r || !ev)
		return EINVAL;

	memset(r, 0, sizeof(*r));
	if (ev->vpn)
		return EPERM;
	if (!ev->ifindex)
		return ENOENT;

	r->req.response_time = rt;
	r->req.uri = aor;

	if (ev->has_mac) {
		r->req.has_mac = true;
		memcpy(r->req.mac, ev->mac, 6);
	}

	if (ev->has_addr) {
		sa_init(&r->req.ip, ev->family);
		if (ev->family == AF_INET)
			memcpy(&r->req.ip.u.in.sin_addr, ev->addr, 4);
		else
			memcpy(&r->req.ip.u.in6.sin6_addr, ev->addr, 16);
	}

	if (ev->lldp && ev->lldp->chassis.len && ev->lldp->port.len) {
		const struct lldp_frame *nb = ev->lldp;

		r->lldp.chassis_type = nb->chassis.subtype;
		r->lldp.chassis_len = nb->chassis.len;
		memcpy(r->lldp.chassis, nb->chassis.raw, nb->chassis.len);
		r->lldp.port_type = nb->port.subtype;
		r->lldp.port_len = nb->port.len;
		memcpy(r->lldp.port, nb->port.raw, nb->port.len);
		r->req.lldp = &r->lldp;
	}

	if (ev->has_bss) {
		const struct wifi_bss *b = &ev->bss;

		memcpy(r->ap.bssid, b->bssid, 6);
		r->ap.channel = b->channel;
		r->ap.serving = true;
		r->ap.has_signal = b->has_signal;
		r->ap.signal_dbm = b->signal_mbm / 100;
		/* the SSID only when its text is its octets unchanged */
		if (b->has_ssid && b->ssid_exact &&
		    strlen(b->ssid) <= sizeof(r->ap.ssid)) {
			r->ap.ssid_len = strlen(b->ssid);
			memcpy(r->ap.ssid, b->ssid, r->ap.ssid_len);
		}
		r->req.apv = &r->ap;
		r->req.apc = 1;
	}

	return 0;
}

/*
 * LLDP-MED sends degrees in steps of 2^-25 and metres in steps of 2^-8
 * (RFC 6225): the 47.6423 typed into the switch arrives as 47.64229998.
 * The shortest decimal within one step of what arrived is what the
 * switch was given (one step: whether the switch rounded or truncated),
 * so that is what the record keeps.
 */
static double fixed_point_decimal(double v, double step)
{
	double scale = 1.0;
	int d;

	for (d = 0; d <= 9; d++, scale *= 10.0) {
		const double r = round(v * scale) / scale;

		if (fabs(r - v) <= step)
			return r;
	}

	return v;
}

int locsource_from_lldp(struct location *loc, const struct lldp_frame *f,
			time_t now)
{
	int err = 0;

	if (!loc || !f)
		return EINVAL;
	if (!f->med.has_civic && !f->med.has_coord && !f->med.has_elin)
		return ENOENT;

	location_reset(loc);
	loc->source = LOCATION_SOURCE_LLDP_MED;
	loc->obtained_at = now;
	loc->expires = now + f->ttl;
	/* the switch is configured by people; nobody vouches for it here */
	loc->validated = false;

	if (f->med.has_civic)
		err = civic_copy(&loc->civic, &f->med.civic.civic);

	if (!err && f->med.has_coord) {
		const struct lldp_med_coord *c = &f->med.coord;

		loc->geo.shape = GEO_POINT;
		loc->geo.pos.lat =
			fixed_point_decimal(c->latitude, ldexp(1.0, -25));
		loc->geo.pos.lon =
			fixed_point_decimal(c->longitude, ldexp(1.0, -25));
		if (c->alt_type == LLDP_MED_ALT_METRES) {
			loc->geo.crs = GEO_CRS_3D;
			loc->geo.pos.alt = fixed_point_decimal(c->altitude,
							       ldexp(1.0, -8));
		} else {
			loc->geo.crs = GEO_CRS_2D;
		}
		err = geo_validate(&loc->geo);
		if (err)
			memset(&loc->geo, 0, sizeof(loc->geo));
		err = 0; /* a bad point must not cost the civic address */
	}

	if (!err && f->med.has_elin)
		err = location_set_elin(loc, f->med.elin);
	if (!err)
		err = location_set_method(loc, "LLDP-MED");
	if (!err)
		err = location_set_provided_by(
			loc, f->sys_name[0] ? f->sys_name : f->chassis.text);

	if (err)
		location_reset(loc);
	return err;
}

/* "; your saved location "Home" is used", or the unsaved form. */
static int manual_words(char *buf, size_t sz, const char *name)
{
	if (name && name[0])
		return re_snprintf(
			buf, sz, "; your saved location \"%s\" is used", name);

	return re_snprintf(buf, sz, "; the location you entered is used");
}

enum locsource_keep locsource_lis_keep(const struct location *last,
				       const char *last_fp, const char *fp,
				       time_t now)
{
	if (!location_has_value(last) || !str_isset(fp) || !last_fp ||
	    strcmp(last_fp, fp))
		return LOCSOURCE_KEEP_NONE;

	if (!last->expires || last->expires > now)
		return LOCSOURCE_KEEP_VALID;

	return LOCSOURCE_KEEP_EXPIRED;
}

/* The earlier LIS answer's worth, when this ask failed. */
static enum locsource_keep kept(const struct locsource_inputs *in)
{
	if (in->vpn || in->lis != LOCSOURCE_LIS_FAILED)
		return LOCSOURCE_KEEP_NONE;

	return locsource_lis_keep(in->lis_loc, in->lis_fp, in->fp, in->now);
}

int locsource_choose(struct location *out, char *reason, size_t sz,
		     const struct locsource_inputs *in)
{
	static const char *const lis_words[] = {
		[LOCSOURCE_LIS_NONE] = "no LIS configured",
		[LOCSOURCE_LIS_PENDING] = "the LIS has not answered yet",
		[LOCSOURCE_LIS_FOUND] = "the LIS located this device",
		[LOCSOURCE_LIS_UNKNOWN] = "the LIS does not know this network",
		[LOCSOURCE_LIS_NOT_HERE] =
			"the LIS does not serve this network",
		[LOCSOURCE_LIS_FAILED] = "the LIS could not be reached",
	};
	const char *why, *detail;
	char manual[MANUAL_WORDS_MAX];
	enum locsource_keep keep;
	bool has_manual;

	if (!out || !reason || !in ||
	    (unsigned)in->lis >= ARRAY_SIZE(lis_words))
		return EINVAL;

	why = lis_words[in->lis];
	detail = in->lis_detail && in->lis_detail[0] ? in->lis_detail : NULL;
	has_manual = location_has_value(in->manual_loc);
	manual[0] = '\0';
	if (has_manual)
		manual_words(manual, sizeof(manual), in->manual_name);
	keep = kept(in);

	location_reset(out);

	/* design.md §1: a VPN address says nothing about where one is */
	if (in->vpn) {
		re_snprintf(reason, sz,
			    "on VPN: the network cannot say where you are%s",
			    manual);
		return has_manual ? location_copy(out, in->manual_loc) : 0;
	}

	if (in->lis == LOCSOURCE_LIS_FOUND && location_has_value(in->lis_loc)) {
		re_snprintf(reason, sz, "%s%s%s%s", why, detail ? " (" : "",
			    detail ? detail : "", detail ? ")" : "");
		return location_copy(out, in->lis_loc);
	}

	/* a failure is no news about where the device is (item 3) */
	if (keep == LOCSOURCE_KEEP_VALID) {
		if (in->lis_loc->expires)
			re_snprintf(reason, sz,
				    "the LIS could not confirm its answer%s%s%s"
				    "; it stays in force until %H",
				    detail ? " (" : "", detail ? detail : "",
				    detail ? ")" : "", rfc3339_print,
				    &in->lis_loc->expires);
		else
			re_snprintf(reason, sz,
				    "the LIS could not confirm its answer%s%s%s"
				    "; it stays in force",
				    detail ? " (" : "", detail ? detail : "",
				    detail ? ")" : "");
		return location_copy(out, in->lis_loc);
	}

	if (location_has_value(in->lldp_loc)) {
		re_snprintf(reason, sz,
			    "%s%s%s%s; the switch's LLDP-MED "
			    "location is used",
			    why, detail ? " (" : "", detail ? detail : "",
			    detail ? ")" : "");
		return location_copy(out, in->lldp_loc);
	}

	if (!has_manual && keep == LOCSOURCE_KEEP_EXPIRED) {
		re_snprintf(reason, sz,
			    "%s%s%s%s, and the switch sent no location; the "
			    "LIS's last answer for this network expired at %H "
			    "and is used as a last resort",
			    why, detail ? " (" : "", detail ? detail : "",
			    detail ? ")" : "", rfc3339_print,
			    &in->lis_loc->expires);
		return location_copy(out, in->lis_loc);
	}

	re_snprintf(reason, sz, "%s%s%s%s, and the switch sent no location%s",
		    why, detail ? " (" : "", detail ? detail : "",
		    detail ? ")" : "", manual);
	return has_manual ? location_copy(out, in->manual_loc) : 0;
}

bool locsource_ask(const struct locsource_inputs *in,
		   const struct location *chosen)
{
	if (!in || !in->attached || location_has_value(chosen))
		return false;

	/* on VPN the LIS is never asked, so nothing is awaited */
	return in->vpn || in->lis != LOCSOURCE_LIS_PENDING;
}

enum locsource_keep locsource_stale(const struct locsource_inputs *in,
				    const struct location *chosen)
{
	if (!in || !chosen || chosen->source != LOCATION_SOURCE_LIS ||
	    !location_has_value(chosen))
		return LOCSOURCE_KEEP_NONE;

	return kept(in);
}

int locsource_manual(struct location *loc, const struct civic *civic,
		     const struct geo_pos *pos, time_t now)
{
	int err;

	if (!loc || !civic || civic_is_empty(civic))
		return EINVAL;

	location_reset(loc);
	loc->source = LOCATION_SOURCE_MANUAL;
	loc->obtained_at = now;
	/* typed in: nobody vouches for it; the dispatcher confirms by voice */
	loc->validated = false;

	err = civic_copy(&loc->civic, civic);
	if (!err && pos) {
		loc->geo.shape = GEO_POINT;
		loc->geo.crs = GEO_CRS_2D;
		loc->geo.pos.lat = pos->lat;
		loc->geo.pos.lon = pos->lon;
		err = geo_validate(&loc->geo);
	}
	if (!err)
		err = location_set_method(loc, "Manual");

	if (err)
		location_reset(loc);
	return err;
}

/* One member of location.set's arguments into c or pos; why if bad. */
static int entry_decode(struct civic *c, struct geo_pos *pos, unsigned *have,
			const struct odict_entry *e, char *why, size_t sz)
{
	const bool lat = !str_cmp(e->key, "lat");
	const char *bad = NULL;
	int f, err = 0;

	if (lat || !str_cmp(e->key, "lon")) {
		double v = 0;

		if (e->type == ODICT_DOUBLE)
			v = e->u.dbl;
		else if (e->type == ODICT_INT)
			v = (double)e->u.integer;
		else
			bad = "must be a number of degrees";
		if (lat)
			pos->lat = v;
		else
			pos->lon = v;
		*have |= lat ? 1u : 2u;
	} else if ((f = civic_field_by_name(e->key)) < 0) {
		bad = "not an RFC 5139 civic element";
	} else if (e->type != ODICT_STRING) {
		bad = "must be text";
	} else if (civic_get(c, f)) {
		bad = "given twice";
	} else {
		err = civic_set_str(c, f, e->u.str);
		if (err == EINVAL)
			bad = "too long, or holds control characters";
	}

	if (bad) {
		re_snprintf(why, sz, "%s: %s", e->key, bad);
		return EINVAL;
	}

	return err;
}

/* Every problem civic_validate found, one per field, "; " between. */
static void problems_print(char *why, size_t sz,
			   const struct civic_problems *probs)
{
	size_t i, off = 0;

	why[0] = '\0';
	for (i = 0; i < probs->n && off < sz; i++) {
		int n = re_snprintf(why + off, sz - off, "%s%s", i ? "; " : "",
				    probs->v[i].text);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

int locsource_manual_decode(struct location *loc, const struct odict *args,
			    time_t now, char *why, size_t sz)
{
	struct civic_problems probs;
	struct civic c;
	struct geo_pos pos;
	struct location next;
	char dummy[8];
	unsigned have = 0;
	struct le *le;
	int err = 0;

	if (!loc || !args)
		return EINVAL;
	if (!why || !sz) {
		why = dummy;
		sz = sizeof(dummy);
	}

	why[0] = '\0';
	memset(&c, 0, sizeof(c));
	memset(&pos, 0, sizeof(pos));
	memset(&next, 0, sizeof(next));
	memset(&probs, 0, sizeof(probs));

	for (le = args->lst.head; le && !err; le = le->next)
		err = entry_decode(&c, &pos, &have, le->data, why, sz);
	if (err)
		goto out;

	if (have == 1 || have == 2) {
		re_snprintf(why, sz, "lat, lon: give both or neither");
		err = EINVAL;
		goto out;
	}

	err = civic_normalise(&c);
	if (!err && civic_validate(&c, &probs)) {
		problems_print(why, sz, &probs);
		err = EINVAL;
	}
	if (!err) {
		err = locsource_manual(&next, &c, have ? &pos : NULL, now);
		if (err == EINVAL)
			re_snprintf(why, sz, "lat, lon: not a WGS 84 point");
	}
	if (!err)
		location_move(loc, &next);

out:
	location_reset(&next);
	civic_reset(&c);
	return err;
}
