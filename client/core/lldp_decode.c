/* lldp_decode: IEEE 802.1AB LLDPDU decoder (base TLVs and framing). */

#include <re.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_priv.h"
#include "wiretext.h"

static const uint8_t lldp_multicast[6] = LLDP_MULTICAST_INIT;

/* TIA-1057 organisation: 00-12-BB (§8.3). */
static const uint8_t oui_tia[3] = {0x00, 0x12, 0xbb};

/* Value lengths per 802.1AB (§8.2).  The string and management address
 * limits come from the standard's tables, not from a stored copy [U]. */
static const struct {
	const char *name;
	unsigned min;
	unsigned max;
} tlv_info[] = {
	[LLDP_TLV_END] = {"End", 0, 0},
	[LLDP_TLV_CHASSIS_ID] = {"Chassis ID", 2, 1 + LLDP_ID_MAX},
	[LLDP_TLV_PORT_ID] = {"Port ID", 2, 1 + LLDP_ID_MAX},
	[LLDP_TLV_TTL] = {"TTL", 2, 2},
	[LLDP_TLV_PORT_DESC] = {"Port Description", 0, LLDP_STR_MAX},
	[LLDP_TLV_SYS_NAME] = {"System Name", 0, LLDP_STR_MAX},
	[LLDP_TLV_SYS_DESC] = {"System Description", 0, LLDP_STR_MAX},
	[LLDP_TLV_SYS_CAPS] = {"System Capabilities", 4, 4},
	[LLDP_TLV_MGMT_ADDR] = {"Management Address", 9, 167},
};

/* Organizationally Specific: OUI + subtype + up to 507 octets. */
#define ORG_MIN 4
#define ORG_MAX 511

/* Management Address: OID of at most 128 octets [U]. */
#define MGMT_OID_MAX 128

const char *lldp_tlv_name(unsigned type)
{
	if (type == LLDP_TLV_ORG)
		return "Organizationally Specific";
	if (type < ARRAY_SIZE(tlv_info))
		return tlv_info[type].name;
	return "reserved";
}

int lldp_fail(struct lldp_frame *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(f->errbuf, sizeof(f->errbuf), fmt, ap);
	va_end(ap);

	return EBADMSG;
}

void lldp_text_copy(char *dst, size_t size, const uint8_t *src, size_t len)
{
	(void)wiretext_utf8(dst, size, src, len);
}

/* Lower-case colon hex ("00:1b:2c"), cut short if size is too small. */
static void hex_text(char *dst, size_t size, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 <= size; i++) {
		if (i)
			dst[o++] = ':';
		dst[o++] = digits[p[i] >> 4];
		dst[o++] = digits[p[i] & 0x0f];
	}

	dst[o] = '\0';
}

static bool printable_ascii(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	}

	return n > 0;
}

/* IANA family octet + address as IPv4/IPv6 text; false if it is neither. */
static bool netaddr_text(char *dst, size_t size, const uint8_t *p, size_t n)
{
	if (n == 5 && p[0] == LLDP_FAMILY_IPV4)
		return inet_ntop(AF_INET, p + 1, dst, (socklen_t)size) != NULL;
	if (n == 17 && p[0] == LLDP_FAMILY_IPV6)
		return inet_ntop(AF_INET6, p + 1, dst, (socklen_t)size) != NULL;

	return false;
}

static bool netaddr_bad(bool netaddr, const uint8_t *p, size_t n)
{
	if (!netaddr)
		return false;

	return (p[0] == LLDP_FAMILY_IPV4 && n != 5) ||
	       (p[0] == LLDP_FAMILY_IPV6 && n != 17);
}

void lldp_id_text(struct lldp_id *id, bool chassis)
{
	const bool mac = chassis ? id->subtype == LLDP_CHASSIS_MAC
				 : id->subtype == LLDP_PORT_MAC;
	const bool net = chassis ? id->subtype == LLDP_CHASSIS_NETADDR
				 : id->subtype == LLDP_PORT_NETADDR;

	if (net && netaddr_text(id->text, sizeof(id->text), id->raw, id->len))
		return;

	if (!mac && !net && printable_ascii(id->raw, id->len)) {
		memcpy(id->text, id->raw, id->len);
		id->text[id->len] = '\0';
		return;
	}

	hex_text(id->text, sizeof(id->text), id->raw, id->len);
}

static int decode_id(struct lldp_frame *f, unsigned type, struct lldp_cur *val)
{
	const bool chassis = type == LLDP_TLV_CHASSIS_ID;
	struct lldp_id *id = chassis ? &f->chassis : &f->port;

	/* the length check left a subtype and 1..255 octets */
	if (!lldp_cur_u8(val, &id->subtype))
		return lldp_fail(f, "TLV %u (%s) truncated", type,
				 lldp_tlv_name(type));

	/* §8.3: 0 and 8..255 are reserved (lldpd refuses them too) */
	if (id->subtype < 1 || id->subtype > 7)
		return lldp_fail(f, "TLV %u (%s) subtype %u is reserved", type,
				 lldp_tlv_name(type), id->subtype);

	id->len = val->left;
	if (!lldp_cur_mem(val, id->raw, id->len))
		return lldp_fail(f, "TLV %u (%s) truncated", type,
				 lldp_tlv_name(type));

	/* a network address whose length is not its family's is no
	 * address, and which station it names is in doubt (tshark refuses
	 * it too); other families are kept as octets */
	if (netaddr_bad(chassis ? id->subtype == LLDP_CHASSIS_NETADDR
				: id->subtype == LLDP_PORT_NETADDR,
			id->raw, id->len))
		return lldp_fail(f,
				 "TLV %u (%s) network address of family %u "
				 "has %zu octets",
				 type, lldp_tlv_name(type), id->raw[0],
				 id->len - 1);

	lldp_id_text(id, chassis);
	return 0;
}

/* IPv4/IPv6 text for those families, colon hex for any other. */
static void mgmt_text(struct lldp_mgmt_addr *m)
{
	uint8_t fa[1 + LLDP_MGMT_ADDR_MAX];

	fa[0] = m->family;
	memcpy(fa + 1, m->addr, m->len);
	if (!netaddr_text(m->text, sizeof(m->text), fa, m->len + 1))
		hex_text(m->text, sizeof(m->text), m->addr, m->len);
}

static int decode_mgmt(struct lldp_frame *f, unsigned tlvlen,
		       struct lldp_cur *val)
{
	struct lldp_mgmt_addr m;
	uint8_t slen = 0, oidlen;
	unsigned need;

	memset(&m, 0, sizeof(m));

	/* address string length counts the family octet (§8.2) */
	if (!lldp_cur_u8(val, &slen) || slen < 2 ||
	    slen > 1 + LLDP_MGMT_ADDR_MAX)
		return lldp_fail(f,
				 "TLV 8 (Management Address) address string "
				 "length %u, expected 2..%u",
				 slen, 1 + LLDP_MGMT_ADDR_MAX);

	need = 1u + slen + 1u + 4u + 1u;
	if (tlvlen < need)
		return lldp_fail(f,
				 "TLV 8 (Management Address) length %u, "
				 "its fields need at least %u",
				 tlvlen, need);

	m.len = slen - 1u;
	if (!lldp_cur_u8(val, &m.family) || !lldp_cur_mem(val, m.addr, m.len) ||
	    !lldp_cur_u8(val, &m.if_subtype) ||
	    !lldp_cur_u32(val, &m.if_number) || !lldp_cur_u8(val, &oidlen))
		return lldp_fail(f, "TLV 8 (Management Address) truncated");

	if (oidlen > MGMT_OID_MAX || need + oidlen != tlvlen)
		return lldp_fail(f,
				 "TLV 8 (Management Address) length %u, "
				 "but its fields take %u",
				 tlvlen, need + oidlen);

	mgmt_text(&m);

	if (f->mgmtc >= LLDP_MGMT_MAX) {
		++f->skipped;
		return 0;
	}

	f->mgmtv[f->mgmtc++] = m;
	return 0;
}

static int decode_org(struct lldp_frame *f, unsigned tlvlen,
		      struct lldp_cur *val)
{
	uint8_t oui[3], subtype;

	if (!lldp_cur_mem(val, oui, sizeof(oui)) || !lldp_cur_u8(val, &subtype))
		return lldp_fail(f, "TLV 127 (%s) truncated",
				 lldp_tlv_name(LLDP_TLV_ORG));

	if (memcmp(oui, oui_tia, sizeof(oui))) {
		++f->skipped;
		return 0;
	}

	return lldp_med_decode(f, subtype, tlvlen, val);
}

/* Optional single TLVs: 802.1AB says an LLDPDU should carry at most one
 * of each; a repeat is ignored rather than refused [U: receive rule]. */
static char *single_string(struct lldp_frame *f, unsigned type)
{
	switch (type) {

	case LLDP_TLV_PORT_DESC:
		return f->port_desc;
	case LLDP_TLV_SYS_NAME:
		return f->sys_name;
	default:
		return f->sys_desc;
	}
}

static int decode_value(struct lldp_frame *f, unsigned type, unsigned tlvlen,
			struct lldp_cur *val, uint32_t *seen)
{
	const bool repeat = type < 32 && (*seen & (1u << type));
	uint16_t ttl;

	if (type < 32)
		*seen |= 1u << type;

	switch (type) {

	case LLDP_TLV_CHASSIS_ID:
	case LLDP_TLV_PORT_ID:
		return decode_id(f, type, val);

	case LLDP_TLV_TTL:
		if (!lldp_cur_u16(val, &ttl))
			return lldp_fail(f, "TLV 3 (TTL) truncated");
		f->ttl = ttl;
		return 0;

	case LLDP_TLV_PORT_DESC:
	case LLDP_TLV_SYS_NAME:
	case LLDP_TLV_SYS_DESC:
		if (repeat) {
			++f->skipped;
			return 0;
		}
		lldp_text_copy(single_string(f, type), LLDP_TEXT_SIZE, val->p,
			       val->left);
		return 0;

	case LLDP_TLV_SYS_CAPS:
		if (repeat) {
			++f->skipped;
			return 0;
		}
		if (!lldp_cur_u16(val, &f->caps) ||
		    !lldp_cur_u16(val, &f->caps_enabled))
			return lldp_fail(f, "TLV 7 (%s) truncated",
					 lldp_tlv_name(type));
		f->has_caps = true;
		return 0;

	case LLDP_TLV_MGMT_ADDR:
		return decode_mgmt(f, tlvlen, val);

	case LLDP_TLV_ORG:
		return decode_org(f, tlvlen, val);

	default:
		/* 9..126 are reserved: skip, as 802.1AB receivers do */
		++f->skipped;
		return 0;
	}
}

static int check_length(struct lldp_frame *f, unsigned type, unsigned len)
{
	unsigned min, max;

	if (type == LLDP_TLV_ORG) {
		min = ORG_MIN;
		max = ORG_MAX;
	} else if (type < ARRAY_SIZE(tlv_info)) {
		min = tlv_info[type].min;
		max = tlv_info[type].max;
	} else {
		return 0;
	}

	if (len >= min && len <= max)
		return 0;

	if (min == max)
		return lldp_fail(f, "TLV %u (%s) length %u, expected %u", type,
				 lldp_tlv_name(type), len, min);

	return lldp_fail(f, "TLV %u (%s) length %u, expected %u..%u", type,
			 lldp_tlv_name(type), len, min, max);
}

/* §8.1: Chassis ID, Port ID and TTL come first, in that order, once. */
static int check_order(struct lldp_frame *f, unsigned type, unsigned index)
{
	static const char *const nth[] = {"first", "second", "third"};

	if (index < 3 && type != index + 1)
		return lldp_fail(f, "expected TLV %u (%s) %s, got TLV %u (%s)",
				 index + 1, lldp_tlv_name(index + 1),
				 nth[index], type, lldp_tlv_name(type));

	if (index >= 3 && type >= LLDP_TLV_CHASSIS_ID && type <= LLDP_TLV_TTL)
		return lldp_fail(f, "duplicate TLV %u (%s)", type,
				 lldp_tlv_name(type));

	return 0;
}

/* Clear everything except errbuf. */
static void frame_clear(struct lldp_frame *f)
{
	char errbuf[sizeof(f->errbuf)];

	memcpy(errbuf, f->errbuf, sizeof(errbuf));
	lldp_med_reset(f);
	memset(f, 0, sizeof(*f));
	memcpy(f->errbuf, errbuf, sizeof(errbuf));
}

void lldp_frame_reset(struct lldp_frame *f)
{
	if (!f)
		return;

	frame_clear(f);
	f->errbuf[0] = '\0';
}

/* Chassis ID, Port ID and TTL: a frame without them sound is refused. */
static bool mandatory(unsigned type)
{
	return type >= LLDP_TLV_CHASSIS_ID && type <= LLDP_TLV_TTL;
}

/*
 * An optional TLV was malformed (its reason in errbuf): it alone is lost.
 * Its length was sound, so where the next TLV starts is not in doubt.
 */
static void drop_tlv(struct lldp_frame *f)
{
	if (!f->dropped)
		memcpy(f->dropbuf, f->errbuf, sizeof(f->dropbuf));
	++f->dropped;
	f->errbuf[0] = '\0';
}

static int decode_tlvs(struct lldp_frame *f, const uint8_t *buf, size_t len)
{
	struct lldp_cur cur;
	uint32_t seen = 0;
	unsigned index;
	int err;

	lldp_cur_init(&cur, buf, len);

	for (index = 0;; index++) {
		const size_t offset = len - cur.left;
		struct lldp_cur val;
		uint16_t hdr;
		unsigned type, tlvlen;

		if (!cur.left && index < 3)
			return lldp_fail(f, "LLDPDU ends before TLV %u (%s)",
					 index + 1, lldp_tlv_name(index + 1));
		/* the last TLV ended where the LLDPDU ends: nothing is in
		 * doubt without an End TLV (tshark reads such frames too;
		 * whether 802.1AB-2016 made End optional is [U]) */
		if (!cur.left)
			return 0;

		/* §8.1: 7-bit type, 9-bit length */
		if (!lldp_cur_u16(&cur, &hdr))
			return lldp_fail(f,
					 "truncated TLV header at offset %zu "
					 "(%zu octet left)",
					 offset, cur.left);
		type = hdr >> 9;
		tlvlen = hdr & 0x1ffu;

		if (!lldp_cur_sub(&cur, &val, tlvlen))
			return lldp_fail(f,
					 "TLV %u (%s) at offset %zu: length %u "
					 "exceeds the %zu octets left",
					 type, lldp_tlv_name(type), offset,
					 tlvlen, cur.left);

		err = check_order(f, type, index);
		if (err)
			return err;

		/* End closes the LLDPDU whatever its length claims: what it
		 * covers is padding, as what follows it is */
		if (type == LLDP_TLV_END)
			return 0;

		err = check_length(f, type, tlvlen);
		if (!err)
			err = decode_value(f, type, tlvlen, &val, &seen);
		if (err == EBADMSG && !mandatory(type)) {
			drop_tlv(f);
			continue;
		}
		if (err)
			return err;
	}
}

int lldp_decode(struct lldp_frame *f, const uint8_t *buf, size_t len,
		const char **errmsg)
{
	int err;

	if (!f || (!buf && len))
		return EINVAL;

	lldp_frame_reset(f);

	if (len > LLDP_PDU_MAX) {
		(void)lldp_fail(f, "LLDPDU of %zu octets exceeds %u", len,
				LLDP_PDU_MAX);
		err = EMSGSIZE;
		goto out;
	}

	err = decode_tlvs(f, buf, len);

out:
	if (err) {
		frame_clear(f);
		if (errmsg)
			*errmsg = f->errbuf;
	}

	return err;
}

int lldp_decode_ethernet(struct lldp_frame *f, const uint8_t *buf, size_t len,
			 const char **errmsg)
{
	char mac[3 * 6 + 1];
	size_t hdrlen = LLDP_ETH_HDR_LEN;
	uint16_t ethertype;
	int err;

	if (!f || (!buf && len))
		return EINVAL;

	lldp_frame_reset(f);

	if (len < LLDP_ETH_HDR_LEN) {
		(void)lldp_fail(f,
				"frame of %zu octets is shorter than an "
				"Ethernet header",
				len);
		err = ENOMSG;
		goto out;
	}

	/* only the nearest-bridge address: the one LLDP-MED uses (§8.1) */
	if (memcmp(buf, lldp_multicast, sizeof(lldp_multicast))) {
		hex_text(mac, sizeof(mac), buf, 6);
		(void)lldp_fail(f, "destination %s is not 01:80:c2:00:00:0e",
				mac);
		err = ENOMSG;
		goto out;
	}

	ethertype = (uint16_t)((unsigned)buf[12] << 8 | buf[13]);
	/* one 802.1Q (or 802.1ad) tag: a Cisco 2960 sends its LLDPDUs in
	 * priority-tagged frames, which a capture shows with the tag */
	if ((ethertype == 0x8100 || ethertype == 0x88a8) &&
	    len >= LLDP_ETH_HDR_LEN + 4) {
		hdrlen += 4;
		ethertype = (uint16_t)((unsigned)buf[16] << 8 | buf[17]);
	}
	if (ethertype != LLDP_ETHERTYPE) {
		(void)lldp_fail(f, "EtherType 0x%04x is not LLDP (0x88cc)",
				ethertype);
		err = ENOMSG;
		goto out;
	}

	err = lldp_decode(f, buf + hdrlen, len - hdrlen, errmsg);
	if (err)
		return err;

	memcpy(f->src, buf + 6, sizeof(f->src));
	f->has_src = true;

out:
	if (err && errmsg)
		*errmsg = f->errbuf;

	return err;
}
