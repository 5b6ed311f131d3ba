/* fingerprint: a stable, opaque name for the network the device is on. */

#include <re.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "fingerprint.h"

/* Names the scheme: changing the rules or the encoding means a new key,
 * so old and new fingerprints can never be confused. */
static const char hmac_key[] = "locphone network fingerprint v1";

/* Room for the longest input: two LLDP IDs with subtype and length. */
#define MSG_MAX (1 + 2 * (2 + LLDP_ID_MAX))

/* The octets the hash covers, each field prefixed so none can run into
 * the next. */
struct msg {
	uint8_t buf[MSG_MAX];
	size_t len;
};

static void msg_put(struct msg *m, const void *p, size_t n)
{
	/* MSG_MAX fits the largest input, so this cannot overflow */
	if (n > sizeof(m->buf) - m->len)
		return;
	memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void msg_u8(struct msg *m, uint8_t v)
{
	msg_put(m, &v, 1);
}

/* Family, prefix length, then the address with its host bits cleared. */
static void msg_subnet(struct msg *m, const struct sa *sa, unsigned prefix)
{
	uint8_t a[16];
	size_t n, i;

	if (sa_af(sa) == AF_INET) {
		const uint32_t v = sa_in(sa);

		a[0] = (uint8_t)(v >> 24);
		a[1] = (uint8_t)(v >> 16);
		a[2] = (uint8_t)(v >> 8);
		a[3] = (uint8_t)v;
		n = 4;
	} else {
		sa_in6(sa, a);
		n = 16;
	}

	for (i = 0; i < n; i++) {
		const unsigned bits =
			prefix > 8 * i ? prefix - 8 * (unsigned)i : 0;

		if (bits < 8)
			a[i] &= (uint8_t)(0xff00u >> bits);
	}

	msg_u8(m, (uint8_t)n);
	msg_u8(m, (uint8_t)prefix);
	msg_put(m, a, n);
}

static void msg_id(struct msg *m, const struct lldp_id *id)
{
	msg_u8(m, id->subtype);
	msg_u8(m, (uint8_t)id->len);
	msg_put(m, id->raw, id->len);
}

static bool input_valid(const struct fingerprint_input *in)
{
	if (sa_isset(&in->subnet4, SA_ADDR) &&
	    (sa_af(&in->subnet4) != AF_INET || in->prefix4 > 32))
		return false;
	if (sa_isset(&in->subnet6, SA_ADDR) &&
	    (sa_af(&in->subnet6) != AF_INET6 || in->prefix6 > 128))
		return false;
	if (in->chassis && in->chassis->len > LLDP_ID_MAX)
		return false;
	if (in->port && in->port->len > LLDP_ID_MAX)
		return false;

	return true;
}

/* Build the message by the rules in fingerprint.h. */
static int select_inputs(struct msg *m, enum fingerprint_basis *basis,
			 const struct fingerprint_input *in)
{
	if (in->link == FINGERPRINT_LINK_TUNNEL)
		return EPERM;

	if (in->link == FINGERPRINT_LINK_WIFI && in->has_bssid) {
		*basis = FINGERPRINT_BASIS_BSSID;
		msg_u8(m, (uint8_t)*basis);
		msg_put(m, in->bssid, sizeof(in->bssid));
		return 0;
	}

	if (in->has_gw_mac) {
		*basis = FINGERPRINT_BASIS_GATEWAY;
		msg_u8(m, (uint8_t)*basis);
		msg_put(m, in->gw_mac, sizeof(in->gw_mac));
		if (sa_isset(&in->subnet4, SA_ADDR))
			msg_subnet(m, &in->subnet4, in->prefix4);
		else if (sa_isset(&in->subnet6, SA_ADDR))
			msg_subnet(m, &in->subnet6, in->prefix6);
		return 0;
	}

	if (in->chassis && in->chassis->len && in->port && in->port->len) {
		*basis = FINGERPRINT_BASIS_LLDP;
		msg_u8(m, (uint8_t)*basis);
		msg_id(m, in->chassis);
		msg_id(m, in->port);
		return 0;
	}

	return ENOENT;
}

int fingerprint_compute(char out[FINGERPRINT_LEN + 1],
			enum fingerprint_basis *basisp,
			const struct fingerprint_input *in)
{
	static const char digits[] = "0123456789abcdef";
	enum fingerprint_basis basis;
	struct hmac *hmac = NULL;
	uint8_t md[32];
	struct msg m;
	size_t i;
	int err;

	if (!out || !in || !input_valid(in))
		return EINVAL;

	m.len = 0;
	err = select_inputs(&m, &basis, in);
	if (err)
		goto out;

	/* libre says EPROTO for whatever OpenSSL refused; with our fixed
	 * key and SHA-256 that is only ever memory (the OOM test) */
	err = hmac_create(&hmac, HMAC_HASH_SHA256, (const uint8_t *)hmac_key,
			  sizeof(hmac_key) - 1);
	if (!err)
		err = hmac_digest(hmac, md, sizeof(md), m.buf, m.len);
	if (err) {
		err = ENOMEM;
		goto out;
	}

	for (i = 0; i < FINGERPRINT_LEN / 2; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0x0f];
	}
	out[FINGERPRINT_LEN] = '\0';

	if (basisp)
		*basisp = basis;

out:
	mem_deref(hmac);
	return err;
}
