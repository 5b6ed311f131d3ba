/* locrules: the locator's decisions, without its I/O (locrules.h). */

#include <re.h>
#include <errno.h>
#include <string.h>
#include "ctlproto.h"
#include "locrules.h"

enum locsource_lis locrules_answer(struct held_response *resp, int err,
				   uint16_t status, const uint8_t *body,
				   size_t len, const char *url,
				   const char *errtext, char *detail, size_t sz)
{
	const char *why = NULL;

	if (!detail || !sz)
		return LOCSOURCE_LIS_FAILED;
	detail[0] = '\0';

	if (!resp || err || !body) {
		str_ncpy(detail, errtext ? errtext : "no answer", sz);
		return LOCSOURCE_LIS_FAILED;
	}

	if (held_response_decode(resp, body, len, &why)) {
		re_snprintf(detail, sz,
			    "%s answered HTTP %u with a bad HELD body: %s",
			    url ? url : "the LIS", status, why ? why : "");
		return LOCSOURCE_LIS_FAILED;
	}

	switch (resp->error) {
	case HELD_OK:
		if (location_has_value(&resp->loc))
			return LOCSOURCE_LIS_FOUND;
		str_ncpy(detail, "no location in its answer", sz);
		return LOCSOURCE_LIS_UNKNOWN;
	case HELD_ERROR_NOT_LOCATABLE:
		str_ncpy(detail, resp->message, sz);
		return LOCSOURCE_LIS_NOT_HERE;
	case HELD_ERROR_LOCATION_UNKNOWN:
		str_ncpy(detail, resp->message, sz);
		return LOCSOURCE_LIS_UNKNOWN;
	default:
		re_snprintf(detail, sz, "HELD error %s%s%s",
			    held_error_name(resp->error),
			    resp->message[0] ? ": " : "", resp->message);
		return LOCSOURCE_LIS_FAILED;
	}
}

uint32_t locrules_retry(uint32_t *retry_s, uint32_t refresh_s, bool failed)
{
	uint32_t delay;

	if (!retry_s)
		return 0;
	if (!failed) {
		*retry_s = 0;
		return 0;
	}

	if (!*retry_s)
		*retry_s = LOCRULES_RETRY_FIRST_S;
	delay = MIN(*retry_s, refresh_s);
	*retry_s = (uint32_t)MIN((uint64_t)*retry_s * 2, refresh_s);

	return delay;
}

time_t locrules_expires(const struct location *loc, time_t now,
			uint32_t refresh_s)
{
	time_t expires = now + (time_t)refresh_s;
	size_t i;

	for (i = 0; loc && i < loc->uric; i++) {
		if (loc->uriv[i].expires && loc->uriv[i].expires < expires)
			expires = loc->uriv[i].expires;
	}

	return expires;
}

bool locrules_may_ask(bool primary_not_here, bool has_secondary,
		      bool secondary_not_here)
{
	return !primary_not_here || (has_secondary && !secondary_not_here);
}

enum locsource_lis locrules_while_asking(enum locsource_lis lis, bool kept)
{
	if (lis == LOCSOURCE_LIS_FOUND || (lis == LOCSOURCE_LIS_FAILED && kept))
		return lis;

	return LOCSOURCE_LIS_PENDING;
}

enum locrules_net locrules_network(const struct locrules_net_in *in)
{
	if (!in)
		return LOCRULES_NET_ASK_AFRESH;
	if (!in->vpn && in->already_asked)
		return LOCRULES_NET_SAME;
	if (in->vpn)
		return LOCRULES_NET_VPN;
	if (in->cached && !in->failed_kept)
		return LOCRULES_NET_CACHE;

	return in->same_network ? LOCRULES_NET_ASK : LOCRULES_NET_ASK_AFRESH;
}

bool locrules_remembered(const struct location *remembered,
			 const char *remembered_fp, const char *fp,
			 bool use_expired, time_t now)
{
	if (!str_isset(fp) || str_cmp(fp, remembered_fp) ||
	    !location_has_value(remembered))
		return false;

	return use_expired || !remembered->expires || remembered->expires > now;
}

int locrules_state_encode(struct mbuf *mb, const char *fp,
			  const struct location *loc)
{
	struct odict *od = NULL, *lj = NULL;
	int err;

	if (!mb || !fp || !loc)
		return EINVAL;

	err = odict_alloc(&od, 4);
	if (!err)
		err = odict_alloc(&lj, 16);
	if (!err)
		err = location_json_encode(lj, loc);
	if (!err)
		err = odict_entry_add(od, "fingerprint", ODICT_STRING, fp);
	if (!err)
		err = odict_entry_add(od, "location", ODICT_OBJECT, lj);
	if (!err)
		err = mbuf_printf(mb, "%H\n", json_out_odict, od);

	mem_deref(lj);
	mem_deref(od);
	return err;
}

int locrules_state_decode(struct location *loc, char *fp, const char *buf,
			  size_t len)
{
	struct odict *od = NULL;
	const struct odict_entry *e;
	const char *f;
	int err;

	if (!loc || !fp)
		return EINVAL;
	location_reset(loc);
	if (!buf || !len || len > LOCRULES_STATE_MAX)
		return EBADMSG;

	err = json_decode_odict(&od, 8, buf, len, 8);
	if (err)
		return err == ENOMEM ? ENOMEM : EBADMSG;

	f = odict_string(od, "fingerprint");
	e = odict_get_type(od, ODICT_OBJECT, "location");
	if (!f || strlen(f) >= LOCRULES_FP_SIZE || !e)
		err = EBADMSG;
	else
		err = location_json_decode(loc, e->u.odict, NULL);
	if (err == EINVAL)
		err = EBADMSG;
	if (!err)
		str_ncpy(fp, f, LOCRULES_FP_SIZE);

	mem_deref(od);
	return err;
}
