/* wiremap: the LIS simulator's table from network evidence to location. */

#include <re.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "simcsv.h"
#include "simtext.h"
#include "heldreq.h"
#include "wiremap.h"

struct wiremap {
	struct list entries;
};

/* Columns other than the RFC 5139 elements; those are COL_CIVIC + field. */
enum column {
	COL_KIND,
	COL_KEY,
	COL_LAT,
	COL_LON,
	COL_ALT,
	COL_RADIUS,
	COL_ELIN,
	COL_CIVIC,
};

static const char *const column_names[] = {
	[COL_KIND] = "kind", [COL_KEY] = "key",	      [COL_LAT] = "lat",
	[COL_LON] = "lon",   [COL_RADIUS] = "radius", [COL_ALT] = "alt",
	[COL_ELIN] = "elin",
};

static const char *const kind_names[WIREMAP_KIND_COUNT] = {
	[WIREMAP_BSSID] = "bssid",     [WIREMAP_CHASSIS_PORT] = "chassis+port",
	[WIREMAP_CHASSIS] = "chassis", [WIREMAP_SUBNET] = "subnet",
	[WIREMAP_MAC] = "mac",
};

struct header {
	int colv[WIREMAP_COLUMNS_MAX];
	size_t colc;
};

static void wiremap_destructor(void *arg)
{
	struct wiremap *wm = arg;

	list_flush(&wm->entries);
}

static void entry_destructor(void *arg)
{
	struct wiremap_entry *ent = arg;

	list_unlink(&ent->le);
	civic_reset(&ent->civic);
	mem_deref(ent->key);
}

static int fail(struct wiremap_err *e, unsigned line, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	va_start(ap, fmt);
	(void)re_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);

	return EBADMSG;
}

const char *wiremap_kind_name(enum wiremap_kind kind)
{
	return (unsigned)kind < WIREMAP_KIND_COUNT ? kind_names[kind] : "?";
}


static int header_parse(struct header *h, char **fieldv, size_t fieldc,
			unsigned line, struct wiremap_err *e)
{
	bool seen[COL_CIVIC + CIVIC_FIELD_COUNT] = {false};
	size_t i;
	int c;

	for (i = 0; i < fieldc; i++) {
		for (c = 0; c < COL_CIVIC; c++) {
			if (0 == strcmp(fieldv[i], column_names[c]))
				break;
		}
		if (c == COL_CIVIC) {
			int f = civic_field_by_name(fieldv[i]);

			if (f < 0)
				return fail(e, line, "unknown column \"%s\"",
					    fieldv[i]);
			c = COL_CIVIC + f;
		}
		if (seen[c])
			return fail(e, line, "column \"%s\" appears twice",
				    fieldv[i]);
		seen[c] = true;
		h->colv[i] = c;
	}

	if (!seen[COL_KIND] || !seen[COL_KEY])
		return fail(e, line, "the header needs columns kind and key");

	h->colc = fieldc;
	return 0;
}

static bool is_mac_subtype(bool port, uint8_t type)
{
	/* IEEE 802.1AB: chassis subtype 4 and port subtype 3 are MACs */
	return port ? type == 3 : type == 4;
}

static bool is_netaddr_subtype(bool port, uint8_t type)
{
	/* chassis subtype 5 and port subtype 4: IANA AFI octet + address */
	return port ? type == 4 : type == 5;
}

/*
 * An LLDP ID written SUBTYPE:VALUE.  VALUE is 0x and hex digits (any
 * subtype); a MAC for the MAC subtypes; an IP address for the network
 * address subtypes; otherwise the octets of the text itself.
 */
static int lldp_key_parse(struct lldp_id *id, const char *s, bool port)
{
	const char *v = strchr(s, ':');
	size_t len, octets;
	struct sa sa;

	if (!v || v - s != 1 || s[0] < '1' || s[0] > '7')
		return EINVAL;

	id->type = (uint8_t)(s[0] - '0');
	++v;
	len = strlen(v);

	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		if (sim_hex_decode(id->v, sizeof(id->v), &octets, v + 2,
				   len - 2) ||
		    !octets)
			return EINVAL;
		id->len = (uint8_t)octets;
	} else if (is_mac_subtype(port, id->type)) {
		if (sim_mac_decode(id->v, v, len))
			return EINVAL;
		id->len = SIM_MAC_LEN;
	} else if (is_netaddr_subtype(port, id->type)) {
		if (sa_set_str(&sa, v, 0))
			return EINVAL;
		if (sa_af(&sa) == AF_INET) {
			uint32_t a = sa_in(&sa);

			id->v[0] = 1; /* IANA address family: IPv4 */
			id->v[1] = (uint8_t)(a >> 24);
			id->v[2] = (uint8_t)(a >> 16);
			id->v[3] = (uint8_t)(a >> 8);
			id->v[4] = (uint8_t)a;
			id->len = 5;
		} else {
			id->v[0] = 2; /* IPv6 */
			sa_in6(&sa, &id->v[1]);
			id->len = 17;
		}
	} else {
		if (!len || len > sizeof(id->v))
			return EINVAL;
		memcpy(id->v, v, len);
		id->len = (uint8_t)len;
	}

	return 0;
}

/* The address bytes (network order) of an IPv4 or IPv6 address. */
static size_t addr_bytes(uint8_t b[16], const struct sa *sa)
{
	if (sa_af(sa) == AF_INET) {
		uint32_t a = sa_in(sa);

		b[0] = (uint8_t)(a >> 24);
		b[1] = (uint8_t)(a >> 16);
		b[2] = (uint8_t)(a >> 8);
		b[3] = (uint8_t)a;
		return 4;
	}

	sa_in6(sa, b);
	return 16;
}

/* An IPv4-mapped IPv6 address (a peer on a dual-stack socket) as IPv4. */
static void addr_normalize(struct sa *out, const struct sa *in)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
					   0, 0, 0, 0, 0xff, 0xff};
	uint8_t b[16];

	*out = *in;
	if (sa_af(in) != AF_INET6)
		return;

	sa_in6(in, b);
	if (memcmp(b, mapped, sizeof(mapped)))
		return;

	sa_init(out, AF_INET);
	sa_set_in(out,
		  (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
			  (uint32_t)b[14] << 8 | b[15],
		  0);
}

/* True if the first prefix bits of a and net agree (same family). */
static bool prefix_match(const struct sa *net, unsigned prefix,
			 const struct sa *a)
{
	uint8_t x[16], y[16];
	unsigned full = prefix / 8, rest = prefix % 8;

	if (sa_af(net) != sa_af(a))
		return false;

	(void)addr_bytes(x, net);
	(void)addr_bytes(y, a);

	if (memcmp(x, y, full))
		return false;

	return !rest || !((x[full] ^ y[full]) & (0xff << (8 - rest)) & 0xff);
}

/* CIDR: an address, a slash, a prefix length; host bits must be zero. */
static int subnet_parse(struct wiremap_entry *ent, const char *s)
{
	const char *slash = strrchr(s, '/');
	char addr[64];
	uint8_t b[16];
	size_t n, i;
	unsigned prefix = 0;

	if (!slash || (size_t)(slash - s) >= sizeof(addr) || !slash[1] ||
	    strlen(slash + 1) > 3)
		return EINVAL;

	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (sa_set_str(&ent->net, addr, 0))
		return EINVAL;

	for (i = 1; slash[i]; i++) {
		if (slash[i] < '0' || slash[i] > '9')
			return EINVAL;
		prefix = prefix * 10 + (unsigned)(slash[i] - '0');
	}

	n = addr_bytes(b, &ent->net);
	if (prefix > n * 8)
		return EINVAL;

	/* a set host bit is a typing error, not a wider match */
	for (i = prefix; i < n * 8; i++) {
		if (b[i / 8] & (0x80 >> (i % 8)))
			return EINVAL;
	}

	ent->prefix = prefix;
	return 0;
}

static int key_parse(struct wiremap_entry *ent, const char *key)
{
	char chassis[2 * HELDREQ_LLDP_ID_MAX + 8];
	const char *slash;

	switch (ent->kind) {

	case WIREMAP_BSSID:
	case WIREMAP_MAC:
		return sim_mac_decode(ent->mac, key, strlen(key));

	case WIREMAP_CHASSIS:
		return lldp_key_parse(&ent->chassis, key, false);

	case WIREMAP_CHASSIS_PORT:
		/* chassis IDs written here have no '/'; port names may */
		slash = strchr(key, '/');
		if (!slash || (size_t)(slash - key) >= sizeof(chassis))
			return EINVAL;
		memcpy(chassis, key, (size_t)(slash - key));
		chassis[slash - key] = '\0';
		if (lldp_key_parse(&ent->chassis, chassis, false))
			return EINVAL;
		return lldp_key_parse(&ent->port, slash + 1, true);

	case WIREMAP_SUBNET:
		return subnet_parse(ent, key);

	default:
		return EINVAL;
	}
}

static bool lldp_id_equal(const struct lldp_id *a, const struct lldp_id *b)
{
	return a->type == b->type && a->len == b->len &&
	       0 == memcmp(a->v, b->v, a->len);
}

static bool key_equal(const struct wiremap_entry *a,
		      const struct wiremap_entry *b)
{
	if (a->kind != b->kind)
		return false;

	switch (a->kind) {

	case WIREMAP_BSSID:
	case WIREMAP_MAC:
		return 0 == memcmp(a->mac, b->mac, sizeof(a->mac));

	case WIREMAP_CHASSIS_PORT:
		return lldp_id_equal(&a->chassis, &b->chassis) &&
		       lldp_id_equal(&a->port, &b->port);

	case WIREMAP_CHASSIS:
		return lldp_id_equal(&a->chassis, &b->chassis);

	case WIREMAP_SUBNET:
		return a->prefix == b->prefix &&
		       sa_cmp(&a->net, &b->net, SA_ADDR);

	default:
		return false;
	}
}

static int number_parse(double *d, const char *s)
{
	char *end;

	errno = 0;
	*d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*d))
		return EINVAL;

	return 0;
}

static int kind_parse(enum wiremap_kind *kind, const char *s)
{
	int k;

	for (k = 0; k < WIREMAP_KIND_COUNT; k++) {
		if (0 == strcmp(s, kind_names[k])) {
			*kind = (enum wiremap_kind)k;
			return 0;
		}
	}

	return EINVAL;
}

static int civic_cell(struct wiremap_entry *ent, enum civic_field f, char *v,
		      unsigned line, struct wiremap_err *e)
{
	/* ISO 3166-1 alpha-2, written upper case in PIDF-LO */
	if (f == CIVIC_COUNTRY) {
		if (strlen(v) != 2 || !isalpha((unsigned char)v[0]) ||
		    !isalpha((unsigned char)v[1]))
			return fail(e, line, "country is not two letters");
		v[0] = (char)toupper((unsigned char)v[0]);
		v[1] = (char)toupper((unsigned char)v[1]);
	}

	if (civic_set_str(&ent->civic, f, v))
		return fail(e, line, "bad %s value", civic_field_name(f));

	return 0;
}

static int elin_cell(struct wiremap_entry *ent, const char *v, unsigned line,
		     struct wiremap_err *e)
{
	size_t i, len = strlen(v);

	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			break;
	}
	if (i < len || len < 10 || len > WIREMAP_ELIN_MAX)
		return fail(e, line, "elin is not 10..25 digits");

	memcpy(ent->elin, v, len + 1);
	return 0;
}

/* One cell of a row; empty cells leave the entry as it is. */
static int cell_parse(struct wiremap_entry *ent, int col, char *v,
		      const char **key, unsigned line, struct wiremap_err *e)
{
	if (!sim_utf8_valid(v))
		return fail(e, line, "not UTF-8");

	if (col == COL_KEY) {
		*key = v;
		return 0;
	}
	if (!*v)
		return 0;

	switch (col) {

	case COL_KIND:
		if (kind_parse(&ent->kind, v))
			return fail(e, line, "unknown kind \"%s\"", v);
		return 0;

	case COL_LAT:
	case COL_LON:
	case COL_ALT:
	case COL_RADIUS:
		return 0; /* read by geodetic_parse */

	case COL_ELIN:
		return elin_cell(ent, v, line, e);

	default:
		return civic_cell(ent, (enum civic_field)(col - COL_CIVIC), v,
				  line, e);
	}
}

/* lat, lon, alt, radius: numbers, lat and lon both or neither, alt and
 * radius only with them. */
static int geodetic_parse(struct wiremap_entry *ent, const struct header *h,
			  char **fieldv, unsigned line, struct wiremap_err *e)
{
	const char *lat = "", *lon = "", *alt = "", *radius = "";
	size_t i;

	for (i = 0; i < h->colc; i++) {
		if (h->colv[i] == COL_LAT)
			lat = fieldv[i];
		else if (h->colv[i] == COL_LON)
			lon = fieldv[i];
		else if (h->colv[i] == COL_ALT)
			alt = fieldv[i];
		else if (h->colv[i] == COL_RADIUS)
			radius = fieldv[i];
	}

	if (!*lat && !*lon) {
		if (*alt || *radius)
			return fail(e, line, "alt or radius without lat, lon");
		return 0;
	}

	if (number_parse(&ent->lat, lat) || fabs(ent->lat) > 90.0)
		return fail(e, line, "lat is not a number in -90..90");
	if (number_parse(&ent->lon, lon) || fabs(ent->lon) > 180.0)
		return fail(e, line, "lon is not a number in -180..180");
	if (*alt && number_parse(&ent->alt, alt))
		return fail(e, line, "alt is not a number");
	if (*radius &&
	    (number_parse(&ent->radius, radius) || !(ent->radius > 0.0)))
		return fail(e, line, "radius is not a positive number");

	ent->geodetic = true;
	ent->has_alt = *alt != '\0';
	ent->has_radius = *radius != '\0';
	return 0;
}

static int row_parse(struct wiremap *wm, const struct header *h, char **fieldv,
		     size_t fieldc, unsigned line, struct wiremap_err *e)
{
	struct wiremap_entry *ent;
	const char *key = NULL;
	struct le *le;
	size_t i;
	int err = 0;

	if (fieldc != h->colc)
		return fail(e, line, "%zu fields, the header has %zu", fieldc,
			    h->colc);

	ent = mem_zalloc(sizeof(*ent), entry_destructor);
	if (!ent)
		return ENOMEM;

	ent->kind = WIREMAP_KIND_COUNT;
	ent->line = line;

	for (i = 0; i < fieldc && !err; i++)
		err = cell_parse(ent, h->colv[i], fieldv[i], &key, line, e);
	if (!err)
		err = geodetic_parse(ent, h, fieldv, line, e);
	if (err)
		goto out;

	if (ent->kind == WIREMAP_KIND_COUNT) {
		err = fail(e, line, "no kind");
		goto out;
	}
	if (!key || key_parse(ent, key)) {
		err = fail(e, line, "bad %s key \"%s\"",
			   wiremap_kind_name(ent->kind), key ? key : "");
		goto out;
	}
	if (civic_is_empty(&ent->civic) && !ent->geodetic) {
		err = fail(e, line,
			   "no location: no civic element, no lat/lon");
		goto out;
	}

	for (le = wm->entries.head; le; le = le->next) {
		const struct wiremap_entry *other = le->data;

		if (key_equal(ent, other)) {
			err = fail(e, line, "duplicate key, first on line %u",
				   other->line);
			goto out;
		}
	}

	err = str_dup(&ent->key, key);
	if (err)
		goto out;

	list_append(&wm->entries, &ent->le, ent);

out:
	if (err)
		mem_deref(ent);
	return err;
}

/* One line, NUL-terminated and writable: skip blanks and comments, the
 * first other line is the header. */
static int line_parse(struct wiremap *wm, struct header *h, char *s,
		      unsigned line, struct wiremap_err *e)
{
	char *fieldv[WIREMAP_COLUMNS_MAX];
	size_t fieldc = 0, n = strlen(s);
	const char *p = s, *why;

	if (n && s[n - 1] == '\r')
		s[n - 1] = '\0';
	while (*p == ' ' || *p == '\t')
		++p;
	if (!*p || *p == '#')
		return 0;

	if (simcsv_split(fieldv, &fieldc, ARRAY_SIZE(fieldv), s, &why))
		return fail(e, line, "%s", why);

	if (!h->colc)
		return header_parse(h, fieldv, fieldc, line, e);

	return row_parse(wm, h, fieldv, fieldc, line, e);
}

int wiremap_parse(struct wiremap **wmp, struct wiremap_err *e, const char *buf,
		  size_t len)
{
	struct wiremap *wm;
	struct header h;
	char *copy = NULL, *s, *nl;
	unsigned line = 1;
	int err = 0;

	if (!wmp || !e || (!buf && len))
		return EINVAL;

	e->line = 0;
	e->msg[0] = '\0';

	if (len > WIREMAP_FILE_MAX)
		return fail(e, 0, "over %u bytes", WIREMAP_FILE_MAX);
	if (len && memchr(buf, '\0', len))
		return fail(e, 0, "holds a NUL byte");

	wm = mem_zalloc(sizeof(*wm), wiremap_destructor);
	if (!wm)
		return ENOMEM;

	copy = mem_alloc(len + 1, NULL);
	if (!copy) {
		err = ENOMEM;
		goto out;
	}
	if (len)
		memcpy(copy, buf, len);
	copy[len] = '\0';

	memset(&h, 0, sizeof(h));
	for (s = copy; s && !err; s = nl ? nl + 1 : NULL, ++line) {
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		err = line_parse(wm, &h, s, line, e);
	}

	if (!err && !h.colc)
		err = fail(e, 0, "no header line");

out:
	mem_deref(copy);
	if (err)
		mem_deref(wm);
	else
		*wmp = wm;

	return err;
}

int wiremap_load(struct wiremap **wmp, struct wiremap_err *e, const char *path)
{
	char *buf = NULL;
	size_t len;
	FILE *f;
	int err = 0;

	if (!wmp || !e || !path)
		return EINVAL;

	e->line = 0;
	e->msg[0] = '\0';

	f = fopen(path, "rb");
	if (!f)
		return errno;

	/* one byte more than allowed, to tell "too big" from "just fits" */
	buf = mem_alloc(WIREMAP_FILE_MAX + 1, NULL);
	if (!buf) {
		err = ENOMEM;
		goto out;
	}

	len = fread(buf, 1, WIREMAP_FILE_MAX + 1, f);
	if (ferror(f)) {
		err = EIO;
		goto out;
	}

	err = wiremap_parse(wmp, e, buf, len);

out:
	mem_deref(buf);
	fclose(f);
	return err;
}

size_t wiremap_count(const struct wiremap *wm)
{
	return wm ? list_count(&wm->entries) : 0;
}

static const struct wiremap_entry *find_lldp(const struct wiremap *wm,
					     enum wiremap_kind kind,
					     const struct heldreq_lldp *m)
{
	struct le *le;

	for (le = wm->entries.head; le; le = le->next) {
		const struct wiremap_entry *ent = le->data;

		if (ent->kind != kind ||
		    !lldp_id_equal(&ent->chassis, &m->chassis))
			continue;
		if (kind == WIREMAP_CHASSIS ||
		    lldp_id_equal(&ent->port, &m->port))
			return ent;
	}

	return NULL;
}

static const struct wiremap_entry *
find_mac(const struct wiremap *wm, enum wiremap_kind kind, const uint8_t *mac)
{
	struct le *le;

	for (le = wm->entries.head; le; le = le->next) {
		const struct wiremap_entry *ent = le->data;

		if (ent->kind == kind && !memcmp(ent->mac, mac, SIM_MAC_LEN))
			return ent;
	}

	return NULL;
}

static const struct wiremap_entry *find_subnet(const struct wiremap *wm,
					       const struct sa *addr)
{
	const struct wiremap_entry *best = NULL;
	struct le *le;
	struct sa a;

	addr_normalize(&a, addr);

	for (le = wm->entries.head; le; le = le->next) {
		const struct wiremap_entry *ent = le->data;

		if (ent->kind != WIREMAP_SUBNET ||
		    !prefix_match(&ent->net, ent->prefix, &a))
			continue;
		if (!best || ent->prefix > best->prefix)
			best = ent;
	}

	return best;
}

static const struct wiremap_entry *match_kind(const struct wiremap *wm,
					      enum wiremap_kind kind,
					      const struct heldreq *req,
					      const struct sa *peer)
{
	const struct wiremap_entry *ent = NULL;
	size_t i;

	switch (kind) {

	case WIREMAP_BSSID:
		for (i = 0; i < req->bssidc && !ent; i++)
			ent = find_mac(wm, kind, req->bssidv[i]);
		break;

	case WIREMAP_CHASSIS_PORT:
	case WIREMAP_CHASSIS:
		for (i = 0; i < req->lldpc && !ent; i++)
			ent = find_lldp(wm, kind, &req->lldpv[i]);
		break;

	case WIREMAP_SUBNET:
		for (i = 0; i < req->ipc && !ent; i++)
			ent = find_subnet(wm, &req->ipv[i]);
		if (!req->ipc && peer && sa_isset(peer, SA_ADDR))
			ent = find_subnet(wm, peer);
		break;

	case WIREMAP_MAC:
		for (i = 0; i < req->macc && !ent; i++)
			ent = find_mac(wm, kind, req->macv[i]);
		break;

	default:
		break;
	}

	return ent;
}

const struct wiremap_entry *wiremap_match(const struct wiremap *wm,
					  const struct heldreq *req,
					  const struct sa *peer)
{
	const struct wiremap_entry *ent = NULL;
	int kind;

	if (!wm || !req)
		return NULL;

	for (kind = 0; kind < WIREMAP_KIND_COUNT && !ent; kind++)
		ent = match_kind(wm, (enum wiremap_kind)kind, req, peer);

	return ent;
}
