/* lldp_med: TIA-1057 LLDP-MED TLVs (OUI 00-12-BB) inside an LLDPDU. */

#include <re.h>
#include <math.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_priv.h"
#include "wiretext.h"

/* Whole TLV lengths, OUI and subtype included (§8.4). */
static const struct {
	const char *name;
	unsigned min;
	unsigned max;
} med_info[] = {
	[LLDP_MED_CAPS] = {"Capabilities", 7, 7},
	[LLDP_MED_POLICY] = {"Network Policy", 8, 8},
	[LLDP_MED_LOCATION] = {"Location Identification", 5, 511},
	[LLDP_MED_POWER] = {"Extended Power-via-MDI", 7, 7},
	[LLDP_MED_HW_REV] = {"Hardware Revision", 4, 4 + 32},
	[LLDP_MED_FW_REV] = {"Firmware Revision", 4, 4 + 32},
	[LLDP_MED_SW_REV] = {"Software Revision", 4, 4 + 32},
	[LLDP_MED_SERIAL] = {"Serial Number", 4, 4 + 32},
	[LLDP_MED_MANUFACTURER] = {"Manufacturer Name", 4, 4 + 32},
	[LLDP_MED_MODEL] = {"Model Name", 4, 4 + 32},
	[LLDP_MED_ASSET] = {"Asset ID", 4, 4 + 32},
};

static const char *const app_names[] = {
	[LLDP_MED_APP_VOICE] = "Voice",
	[LLDP_MED_APP_VOICE_SIGNALING] = "Voice Signaling",
	[LLDP_MED_APP_GUEST_VOICE] = "Guest Voice",
	[LLDP_MED_APP_GUEST_VOICE_SIGNALING] = "Guest Voice Signaling",
	[LLDP_MED_APP_SOFTPHONE_VOICE] = "Softphone Voice",
	[LLDP_MED_APP_VIDEO_CONFERENCING] = "Video Conferencing",
	[LLDP_MED_APP_STREAMING_VIDEO] = "Streaming Video",
	[LLDP_MED_APP_VIDEO_SIGNALING] = "Video Signaling",
};

/* Coordinate LCI: exactly 16 octets (§8.4, TIA-1057). */
#define COORD_LCI_LEN 16u
/* RFC 4776 CAtypes the LCI carries beside the address elements (§8.6). */
#define CATYPE_LANGUAGE 0
#define CATYPE_SCRIPT	128

const char *lldp_med_tlv_name(unsigned subtype)
{
	if (subtype < ARRAY_SIZE(med_info) && med_info[subtype].name)
		return med_info[subtype].name;
	return "reserved";
}

const char *lldp_med_app_name(unsigned app)
{
	if (app < ARRAY_SIZE(app_names) && app_names[app])
		return app_names[app];
	return "reserved";
}

void lldp_med_reset(struct lldp_frame *f)
{
	civic_reset(&f->med.civic.civic);
}

static int decode_caps(struct lldp_frame *f, struct lldp_cur *val)
{
	uint16_t caps;
	uint8_t type;

	if (!lldp_cur_u16(val, &caps) || !lldp_cur_u8(val, &type))
		return lldp_fail(f, "LLDP-MED Capabilities truncated");

	if (f->med.has_caps) {
		++f->skipped;
		return 0;
	}

	f->med.caps = caps;
	f->med.device_type = type;
	f->med.has_caps = true;
	return 0;
}

/* §8.4: app type, then U(1) T(1) X(1) VLAN(12) L2 priority(3) DSCP(6). */
static int decode_policy(struct lldp_frame *f, struct lldp_cur *val)
{
	struct lldp_med_policy *p;
	uint8_t app, b[3];
	uint32_t v;
	size_t i;

	if (!lldp_cur_u8(val, &app) || !lldp_cur_mem(val, b, sizeof(b)))
		return lldp_fail(f, "LLDP-MED Network Policy truncated");

	/* unknown application types are skipped, as lldpd does; a repeated
	 * one keeps the first [U: TIA-1057 allows one per type] */
	for (i = 0; i < f->med.policyc; i++) {
		if (f->med.policyv[i].app == app)
			break;
	}
	if (app < LLDP_MED_APP_VOICE || app > LLDP_MED_APP_VIDEO_SIGNALING ||
	    i < f->med.policyc || f->med.policyc >= LLDP_MED_POLICY_MAX) {
		++f->skipped;
		return 0;
	}

	/* kept in application order, whatever order the switch used, so
	 * that lldpd's reading of the same frame (by type) is the same list */
	for (i = f->med.policyc; i > 0 && f->med.policyv[i - 1].app > app; i--)
		f->med.policyv[i] = f->med.policyv[i - 1];
	++f->med.policyc;

	v = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	p = &f->med.policyv[i];
	memset(p, 0, sizeof(*p));
	p->app = app;
	p->unknown = (v >> 23) & 1u;
	p->tagged = (v >> 22) & 1u;
	p->vlan = (uint16_t)((v >> 9) & 0x0fffu);
	p->priority = (uint8_t)((v >> 6) & 0x07u);
	p->dscp = (uint8_t)(v & 0x3fu);
	return 0;
}

/* Bits start..start+count-1 of b, bit 0 being the MSB of b[0] (§8.7). */
static uint64_t bit_field(const uint8_t *b, unsigned start, unsigned count)
{
	uint64_t v = 0;
	unsigned i;

	for (i = start; i < start + count; i++)
		v = v << 1 | ((b[i / 8] >> (7 - i % 8)) & 1u);

	return v;
}

/* A two's complement field of the given width as a signed number. */
static int64_t sign_extend(uint64_t v, unsigned width)
{
	const uint64_t sign = (uint64_t)1 << (width - 1);

	if (v & sign)
		return (int64_t)v - (int64_t)(sign << 1);

	return (int64_t)v;
}

/*
 * RFC 3825 / RFC 6225 layout (§8.7): LaRes(6) Latitude(34, 9.25 fixed
 * point) LoRes(6) Longitude(34) AT(4) AltRes(6) Altitude(30, 22.8) and a
 * datum octet.  TIA-1057 follows RFC 3825, whose datum is the whole last
 * octet (lldpd reads it so too); RFC 6225's Ver/Res split of that octet
 * belongs to DHCP option 144 [U for LLDP-MED].
 */
static int decode_coord(struct lldp_frame *f, struct lldp_cur *lci)
{
	struct lldp_med_coord coord, *c = &coord;
	uint8_t b[COORD_LCI_LEN];

	memset(c, 0, sizeof(*c));

	if (lci->left != COORD_LCI_LEN)
		return lldp_fail(f, "coordinate LCI length %zu, expected %u",
				 lci->left, COORD_LCI_LEN);
	if (f->med.has_coord)
		return lldp_fail(f, "duplicate coordinate LCI");
	if (!lldp_cur_mem(lci, b, sizeof(b)))
		return lldp_fail(f, "coordinate LCI truncated");

	c->lat_res = (uint8_t)bit_field(b, 0, 6);
	c->latitude = ldexp((double)sign_extend(bit_field(b, 6, 34), 34), -25);
	c->lon_res = (uint8_t)bit_field(b, 40, 6);
	c->longitude =
		ldexp((double)sign_extend(bit_field(b, 46, 34), 34), -25);
	c->alt_type = (enum lldp_med_altitude)bit_field(b, 80, 4);
	c->alt_res = (uint8_t)bit_field(b, 84, 6);
	c->altitude = ldexp((double)sign_extend(bit_field(b, 90, 30), 30), -8);
	c->datum = (enum lldp_med_datum)b[15];

	if (fabs(c->latitude) > 90.0)
		return lldp_fail(f, "coordinate latitude %.6f out of range",
				 c->latitude);
	if (fabs(c->longitude) > 180.0)
		return lldp_fail(f, "coordinate longitude %.6f out of range",
				 c->longitude);
	if (c->alt_type > LLDP_MED_ALT_FLOORS)
		return lldp_fail(f, "coordinate altitude type %u unknown",
				 (unsigned)c->alt_type);
	if (c->datum < LLDP_MED_DATUM_WGS84 ||
	    c->datum > LLDP_MED_DATUM_NAD83_MLLW)
		return lldp_fail(f,
				 "coordinate datum %u unknown, expected 1..3",
				 (unsigned)c->datum);

	if (c->alt_type == LLDP_MED_ALT_NONE)
		c->altitude = 0.0;

	/* only a whole, valid LCI replaces nothing-yet */
	f->med.coord = coord;
	f->med.has_coord = true;
	return 0;
}

/* One RFC 4776 CA element into c; the first of a repeated CAtype wins. */
static int civic_element(struct lldp_frame *f, struct lldp_med_civic *c,
			 uint8_t catype, struct lldp_cur *v)
{
	char value[CIVIC_VALUE_MAX + 1];
	char *aside = NULL;
	size_t n;
	int field, err;

	if (catype == CATYPE_LANGUAGE)
		aside = c->lang;
	else if (catype == CATYPE_SCRIPT)
		aside = c->script;

	if (aside) {
		if (!aside[0])
			lldp_text_copy(aside, sizeof(c->lang), v->p, v->left);
		return 0;
	}

	field = civic_field_by_catype(catype);
	if (field < 0) {
		++c->unknown;
		return 0;
	}

	if (civic_get(&c->civic, field))
		return 0;

	/* RFC 4776 says UTF-8; switches send ISO-8859-1 too, and NULs: what
	 * reaches JSON and the PIDF-LO is valid UTF-8 either way, cut at a
	 * character boundary to what a civic value may hold */
	n = wiretext_utf8(value, sizeof(value), v->p, v->left);
	if (!n)
		return 0;

	err = civic_set(&c->civic, field, value, n);
	if (err)
		(void)lldp_fail(f, "out of memory");

	return err;
}

/* Zero octets after an LCI: the padding some switches add (Cisco SG200
 * fills its Location TLV to a fixed size). */
static bool all_zero(const struct lldp_cur *c)
{
	size_t i;

	for (i = 0; i < c->left; i++) {
		if (c->p[i])
			return false;
	}

	return true;
}

static bool ascii_letter(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* The CA elements of an LCI of lcilen octets, What and country read. */
static int civic_elements(struct lldp_frame *f, struct lldp_med_civic *c,
			  struct lldp_cur *lci, uint8_t lcilen)
{
	int err;

	/* offsets in messages count from What, as the LCI length does */
	while (lci->left) {
		const size_t offset = lcilen - lci->left;
		uint8_t catype, calen;
		struct lldp_cur v;

		if (!lldp_cur_u8(lci, &catype) || !lldp_cur_u8(lci, &calen))
			return lldp_fail(f,
					 "civic CA element at LCI offset %zu "
					 "truncated",
					 offset);
		if (!lldp_cur_sub(lci, &v, calen))
			return lldp_fail(f,
					 "civic CAtype %u length %u exceeds "
					 "the %zu octets left",
					 catype, calen, lci->left);

		err = civic_element(f, c, catype, &v);
		if (err)
			return err;
	}

	return 0;
}

/*
 * §8.6: LCI length, What, country code, then CA elements.  Decoded aside
 * and kept only whole: a bad LCI leaves no half address behind.
 */
static int decode_civic(struct lldp_frame *f, struct lldp_cur *loc)
{
	struct lldp_med_civic *c;
	struct lldp_cur lci;
	uint8_t lcilen, cc[2];
	int err;

	if (f->med.has_civic)
		return lldp_fail(f, "duplicate civic address LCI");
	if (!lldp_cur_u8(loc, &lcilen))
		return lldp_fail(f, "civic LCI has no length octet");
	if (lcilen > loc->left)
		return lldp_fail(f,
				 "civic LCI length %u, but %zu octets follow",
				 lcilen, loc->left);
	if (lcilen < 3)
		return lldp_fail(f, "civic LCI length %u, expected at least 3",
				 lcilen);
	(void)lldp_cur_sub(loc, &lci, lcilen);
	if (!all_zero(loc))
		return lldp_fail(f,
				 "civic LCI length %u, but %zu octets follow",
				 lcilen, lcilen + loc->left);

	c = mem_zalloc(sizeof(*c), NULL);
	if (!c) {
		(void)lldp_fail(f, "out of memory");
		return ENOMEM;
	}

	if (!lldp_cur_u8(&lci, &c->what) ||
	    !lldp_cur_mem(&lci, cc, sizeof(cc))) {
		err = lldp_fail(f, "civic LCI truncated");
		goto out;
	}
	if (!ascii_letter(cc[0]) || !ascii_letter(cc[1])) {
		err = lldp_fail(f, "civic country code is not two letters");
		goto out;
	}

	/* two letters pass civic_set's checks: only ENOMEM is left */
	err = civic_set(&c->civic, CIVIC_COUNTRY, (const char *)cc, 2);
	if (err) {
		(void)lldp_fail(f, "out of memory");
		goto out;
	}

	err = civic_elements(f, c, &lci, lcilen);
	if (err)
		goto out;

	f->med.civic = *c; /* the civic address moves into f */
	memset(&c->civic, 0, sizeof(c->civic));
	f->med.has_civic = true;

out:
	civic_reset(&c->civic);
	mem_deref(c);
	return err;
}

static int decode_elin(struct lldp_frame *f, struct lldp_cur *lci)
{
	size_t i;

	if (lci->left < LLDP_MED_ELIN_MIN || lci->left > LLDP_MED_ELIN_MAX)
		return lldp_fail(f, "ELIN length %zu, expected %u..%u",
				 lci->left, LLDP_MED_ELIN_MIN,
				 LLDP_MED_ELIN_MAX);
	if (f->med.has_elin)
		return lldp_fail(f, "duplicate ELIN");

	for (i = 0; i < lci->left; i++) {
		if (lci->p[i] < '0' || lci->p[i] > '9')
			return lldp_fail(f,
					 "ELIN octet %zu (0x%02x) is not a "
					 "digit",
					 i, lci->p[i]);
	}

	memcpy(f->med.elin, lci->p, lci->left);
	f->med.elin[lci->left] = '\0';
	f->med.has_elin = true;
	return 0;
}

/* §8.4: a format octet, then the location ID; one TLV per format. */
static int decode_location(struct lldp_frame *f, struct lldp_cur *val)
{
	uint8_t format;

	if (!lldp_cur_u8(val, &format))
		return lldp_fail(f, "LLDP-MED Location Identification "
				    "truncated");

	switch (format) {

	case LLDP_MED_LOC_COORD:
		return decode_coord(f, val);
	case LLDP_MED_LOC_CIVIC:
		return decode_civic(f, val);
	case LLDP_MED_LOC_ELIN:
		return decode_elin(f, val);
	default:
		/* 0 and 4..255 are reserved */
		++f->skipped;
		return 0;
	}
}

static char *inventory_field(struct lldp_med_inventory *inv, uint8_t subtype)
{
	switch (subtype) {

	case LLDP_MED_HW_REV:
		return inv->hw_rev;
	case LLDP_MED_FW_REV:
		return inv->fw_rev;
	case LLDP_MED_SW_REV:
		return inv->sw_rev;
	case LLDP_MED_SERIAL:
		return inv->serial;
	case LLDP_MED_MANUFACTURER:
		return inv->manufacturer;
	case LLDP_MED_MODEL:
		return inv->model;
	default:
		return inv->asset;
	}
}

/* §8.4 inventory: 0..32 octets of text each; a repeat keeps the first. */
static int decode_inventory(struct lldp_frame *f, uint8_t subtype,
			    struct lldp_cur *val)
{
	char *field = inventory_field(&f->med.inventory, subtype);

	if (field[0]) {
		++f->skipped;
		return 0;
	}

	lldp_text_copy(field, sizeof(f->med.inventory.hw_rev), val->p,
		       val->left);
	return 0;
}

int lldp_med_decode(struct lldp_frame *f, uint8_t subtype, unsigned tlvlen,
		    struct lldp_cur *val)
{
	if (subtype < 1 || subtype >= ARRAY_SIZE(med_info)) {
		++f->skipped;
		return 0;
	}

	if (tlvlen < med_info[subtype].min || tlvlen > med_info[subtype].max) {
		if (med_info[subtype].min == med_info[subtype].max)
			return lldp_fail(f,
					 "LLDP-MED TLV %u (%s) length %u, "
					 "expected %u",
					 subtype, med_info[subtype].name,
					 tlvlen, med_info[subtype].min);
		return lldp_fail(f,
				 "LLDP-MED TLV %u (%s) length %u, "
				 "expected %u..%u",
				 subtype, med_info[subtype].name, tlvlen,
				 med_info[subtype].min, med_info[subtype].max);
	}

	switch (subtype) {

	case LLDP_MED_CAPS:
		return decode_caps(f, val);
	case LLDP_MED_POLICY:
		return decode_policy(f, val);
	case LLDP_MED_LOCATION:
		return decode_location(f, val);
	case LLDP_MED_POWER:
		++f->skipped;
		return 0;
	default:
		return decode_inventory(f, subtype, val);
	}
}
