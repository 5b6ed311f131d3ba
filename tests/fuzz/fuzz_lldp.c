/* Fuzz target: LLDPDUs and Ethernet frames through lldp_decode(), and what
 * decodes re-encoded and decoded again. */

#include <re.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "fingerprint.h"
#include "wiretext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

/* Text from the frame is valid UTF-8 without control characters. */
static void check_text(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i, n = strlen(s);

	if (!wiretext_is_utf8(p, n))
		abort();
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f ||
		    (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		     p[i + 1] <= 0x9f))
			abort();
	}
}

/* What a successful decode promises. */
static void check_frame(const struct lldp_frame *f)
{
	size_t i;

	if (f->chassis.len < 1 || f->chassis.len > LLDP_ID_MAX ||
	    f->port.len < 1 || f->port.len > LLDP_ID_MAX)
		abort();
	check_string(f->chassis.text, sizeof(f->chassis.text));
	check_string(f->port.text, sizeof(f->port.text));
	check_string(f->sys_name, sizeof(f->sys_name));
	check_string(f->med.elin, sizeof(f->med.elin));
	if (f->mgmtc > LLDP_MGMT_MAX || f->med.policyc > LLDP_MED_POLICY_MAX)
		abort();
	for (i = 0; i < f->mgmtc; i++)
		check_string(f->mgmtv[i].text, sizeof(f->mgmtv[i].text));

	check_string(f->port_desc, sizeof(f->port_desc));
	check_string(f->sys_desc, sizeof(f->sys_desc));
	check_text(f->sys_name);
	check_text(f->port_desc);
	check_text(f->sys_desc);
	check_text(f->med.inventory.model);
	check_text(f->med.civic.lang);
	for (i = 0; i < CIVIC_FIELD_COUNT; i++) {
		const char *v = civic_get(&f->med.civic.civic, i);

		if (v && (!f->med.has_civic || strlen(v) > CIVIC_VALUE_MAX))
			abort();
		if (v)
			check_text(v);
	}
	if (f->dropped && !f->dropbuf[0])
		abort();

	if (f->med.has_coord && (!(fabs(f->med.coord.latitude) <= 90.0) ||
				 !(fabs(f->med.coord.longitude) <= 180.0)))
		abort();
	if (f->med.has_elin &&
	    (strlen(f->med.elin) < LLDP_MED_ELIN_MIN ||
	     strspn(f->med.elin, "0123456789") != strlen(f->med.elin)))
		abort();
}

/* Our encoder fed with decoded fields must produce a decodable frame. */
static void reencode(const struct lldp_frame *f)
{
	struct lldp_frame again;
	struct fingerprint_input in;
	char fp[FINGERPRINT_LEN + 1];
	struct lldp_tx tx;
	struct mbuf *mb = mbuf_alloc(256);

	if (!mb)
		return;

	memset(&tx, 0, sizeof(tx));
	memset(&again, 0, sizeof(again));
	memcpy(tx.mac, f->chassis.raw, f->chassis.len < 6 ? f->chassis.len : 6);
	if (strlen(f->port.text) <= LLDP_ID_MAX)
		tx.ifname = f->port.text;
	tx.ttl = f->ttl;
	/* text made UTF-8 may outgrow what a TLV holds: sent only if not */
	if (strlen(f->sys_name) <= LLDP_STR_MAX)
		tx.sys_name = f->sys_name;
	if (f->med.policyc)
		tx.policy = &f->med.policyv[0];
	if (strlen(f->med.inventory.sw_rev) <= LLDP_MED_INVENTORY_MAX)
		tx.sw_rev = f->med.inventory.sw_rev;
	if (strlen(f->med.inventory.model) <= LLDP_MED_INVENTORY_MAX)
		tx.model = f->med.inventory.model;

	/* clean text decodes to itself */
	if (lldp_encode(mb, &tx) ||
	    lldp_decode_ethernet(&again, mb->buf, mb->end, NULL) ||
	    strcmp(again.sys_name, tx.sys_name ? f->sys_name : "") ||
	    again.ttl != f->ttl)
		abort();
	lldp_frame_reset(&again);

	memset(&in, 0, sizeof(in));
	in.chassis = &f->chassis;
	in.port = &f->port;
	if (fingerprint_compute(fp, NULL, &in) == EINVAL)
		abort();

	mem_deref(mb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lldp_frame f;
	const char *why = NULL;

	memset(&f, 0, sizeof(f));

	if (lldp_decode(&f, data, size, &why) == 0) {
		check_frame(&f);
		reencode(&f);
	} else if (!why || !*why) {
		/* every refusal says why */
		abort();
	}

	/* the same octets as a whole Ethernet frame */
	(void)lldp_decode_ethernet(&f, data, size, NULL);

	lldp_frame_reset(&f);
	return 0;
}
