/* lldp_encode: the LLDP-MED frame the phone sends about itself. */

#include <re.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"

static const uint8_t oui_tia[3] = {0x00, 0x12, 0xbb};

static int put_u16(struct mbuf *mb, unsigned v)
{
	const uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	return mbuf_write_mem(mb, b, sizeof(b));
}

/* §8.1: 7-bit type and 9-bit length in one big-endian word. */
static int put_hdr(struct mbuf *mb, unsigned type, size_t len)
{
	return put_u16(mb, type << 9 | (unsigned)len);
}

/* A TLV whose value is a subtype octet followed by len octets. */
static int put_subtyped(struct mbuf *mb, unsigned type, uint8_t subtype,
			const void *val, size_t len)
{
	int err;

	err = put_hdr(mb, type, 1 + len);
	if (err)
		return err;
	err = mbuf_write_u8(mb, subtype);
	if (err)
		return err;

	return mbuf_write_mem(mb, val, len);
}

/* An LLDP-MED TLV: OUI 00-12-BB, subtype, value (§8.4). */
static int put_med(struct mbuf *mb, uint8_t subtype, const void *val,
		   size_t len)
{
	int err;

	err = put_hdr(mb, LLDP_TLV_ORG, sizeof(oui_tia) + 1 + len);
	if (err)
		return err;
	err = mbuf_write_mem(mb, oui_tia, sizeof(oui_tia));
	if (err)
		return err;
	err = mbuf_write_u8(mb, subtype);
	if (err)
		return err;

	return mbuf_write_mem(mb, val, len);
}

static int put_string(struct mbuf *mb, unsigned type, const char *s)
{
	int err;

	err = put_hdr(mb, type, strlen(s));
	if (err)
		return err;

	return mbuf_write_str(mb, s);
}

static bool policy_valid(const struct lldp_med_policy *p)
{
	return p->app >= LLDP_MED_APP_VOICE &&
	       p->app <= LLDP_MED_APP_VIDEO_SIGNALING && p->vlan <= 0x0fff &&
	       p->priority <= 7 && p->dscp <= 63;
}

static bool tx_valid(const struct lldp_tx *tx)
{
	if (tx->ifname && strlen(tx->ifname) > LLDP_ID_MAX)
		return false;
	if (tx->sys_name && strlen(tx->sys_name) > LLDP_STR_MAX)
		return false;
	if (tx->policy && !policy_valid(tx->policy))
		return false;

	return str_len(tx->sw_rev) <= LLDP_MED_INVENTORY_MAX &&
	       str_len(tx->manufacturer) <= LLDP_MED_INVENTORY_MAX &&
	       str_len(tx->model) <= LLDP_MED_INVENTORY_MAX;
}

/* §8.4: app type, then U T X(reserved) VLAN(12) priority(3) DSCP(6). */
static int put_policy(struct mbuf *mb, const struct lldp_med_policy *p)
{
	static const struct lldp_med_policy ask = {
		.app = LLDP_MED_APP_VOICE,
		.unknown = true,
	};
	uint8_t b[4];
	uint32_t v;

	if (!p)
		p = &ask;

	v = (uint32_t)p->unknown << 23 | (uint32_t)p->tagged << 22 |
	    (uint32_t)p->vlan << 9 | (uint32_t)p->priority << 6 | p->dscp;
	b[0] = p->app;
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;

	return put_med(mb, LLDP_MED_POLICY, b, sizeof(b));
}

static int put_inventory(struct mbuf *mb, uint8_t subtype, const char *s)
{
	if (!str_isset(s))
		return 0;

	return put_med(mb, subtype, s, strlen(s));
}

static int put_ethernet(struct mbuf *mb, const uint8_t src[6])
{
	static const uint8_t dst[6] = LLDP_MULTICAST_INIT;
	int err;

	err = mbuf_write_mem(mb, dst, sizeof(dst));
	if (err)
		return err;
	err = mbuf_write_mem(mb, src, 6);
	if (err)
		return err;

	return put_u16(mb, LLDP_ETHERTYPE);
}

/* The fixed head: Chassis ID (MAC), Port ID, TTL (§8.1 order). */
static int put_mandatory(struct mbuf *mb, const struct lldp_tx *tx)
{
	int err;

	err = put_subtyped(mb, LLDP_TLV_CHASSIS_ID, LLDP_CHASSIS_MAC, tx->mac,
			   sizeof(tx->mac));
	if (err)
		return err;

	if (str_isset(tx->ifname))
		err = put_subtyped(mb, LLDP_TLV_PORT_ID, LLDP_PORT_IFNAME,
				   tx->ifname, strlen(tx->ifname));
	else
		err = put_subtyped(mb, LLDP_TLV_PORT_ID, LLDP_PORT_MAC, tx->mac,
				   sizeof(tx->mac));
	if (err)
		return err;

	err = put_hdr(mb, LLDP_TLV_TTL, 2);
	if (err)
		return err;

	return put_u16(mb, tx->ttl);
}

/*
 * §8.5: a switch sends LLDP-MED (and the location) only after it has seen
 * an LLDP-MED Capabilities TLV; device type 3 is Endpoint Class III.
 * Location identification is announced because we want to receive it.
 */
static int put_med_caps(struct mbuf *mb, bool inventory)
{
	unsigned caps =
		LLDP_MED_CAP_CAPS | LLDP_MED_CAP_POLICY | LLDP_MED_CAP_LOCATION;
	uint8_t b[3];

	if (inventory)
		caps |= LLDP_MED_CAP_INVENTORY;

	b[0] = (uint8_t)(caps >> 8);
	b[1] = (uint8_t)caps;
	b[2] = LLDP_MED_CLASS_III;

	return put_med(mb, LLDP_MED_CAPS, b, sizeof(b));
}

int lldp_encode(struct mbuf *mb, const struct lldp_tx *tx)
{
	const bool inventory = str_isset(tx ? tx->sw_rev : NULL) ||
			       str_isset(tx ? tx->manufacturer : NULL) ||
			       str_isset(tx ? tx->model : NULL);
	size_t pos, end;
	int err;

	if (!mb || !tx || !tx_valid(tx))
		return EINVAL;

	pos = mb->pos;
	end = mb->end;

	err = put_ethernet(mb, tx->mac);
	if (err)
		goto out;
	err = put_mandatory(mb, tx);
	if (err)
		goto out;

	if (str_isset(tx->sys_name)) {
		err = put_string(mb, LLDP_TLV_SYS_NAME, tx->sys_name);
		if (err)
			goto out;
	}

	/* System Capabilities: a telephone, and that is switched on */
	err = put_hdr(mb, LLDP_TLV_SYS_CAPS, 4);
	if (err)
		goto out;
	err = put_u16(mb, LLDP_CAP_TELEPHONE);
	if (err)
		goto out;
	err = put_u16(mb, LLDP_CAP_TELEPHONE);
	if (err)
		goto out;

	err = put_med_caps(mb, inventory);
	if (err)
		goto out;
	err = put_policy(mb, tx->policy);
	if (err)
		goto out;

	err = put_inventory(mb, LLDP_MED_SW_REV, tx->sw_rev);
	if (err)
		goto out;
	err = put_inventory(mb, LLDP_MED_MANUFACTURER, tx->manufacturer);
	if (err)
		goto out;
	err = put_inventory(mb, LLDP_MED_MODEL, tx->model);
	if (err)
		goto out;

	err = put_hdr(mb, LLDP_TLV_END, 0);

out:
	if (err) {
		mb->pos = pos;
		mb->end = end;
	}

	return err;
}
