/* wiremap: the LIS simulator's table from network evidence to location. */

/*
 * Kinds of evidence, in the order they are tried: the most specific first
 * (the Lync/Skype for Business LIS order, standards.md §11).
 */
enum wiremap_kind {
	WIREMAP_BSSID = 0,    /* Wi-Fi access point (RFC 7105 wifi/ap/bssid) */
	WIREMAP_CHASSIS_PORT, /* switch port (RFC 7105 lldp chassis + port) */
	WIREMAP_CHASSIS,      /* switch (RFC 7105 lldp chassis) */
	WIREMAP_SUBNET,	      /* device IP (RFC 6155 ip, else HTTP peer) */
	WIREMAP_MAC,	      /* device MAC (RFC 6155 mac) */
	WIREMAP_KIND_COUNT
};

enum {
	WIREMAP_FILE_MAX = 1024 * 1024,
	WIREMAP_COLUMNS_MAX = 64,
	WIREMAP_ELIN_MAX = 25, /* ELIN: 10..25 digits (standards.md §8.4) */
};

/* One line of the file: a key of one kind and the location it maps to. */
struct wiremap_entry {
	struct le le;
	enum wiremap_kind kind;
	unsigned line;
	char *key; /* as written, for logs */

	uint8_t mac[6];		/* BSSID, MAC */
	struct lldp_id chassis; /* CHASSIS, CHASSIS_PORT */
	struct lldp_id port;	/* CHASSIS_PORT */
	struct sa net;		/* SUBNET */
	unsigned prefix;	/* SUBNET */

	struct civic civic; /* may be empty when geodetic is set */
	bool geodetic;
	double lat, lon; /* WGS 84 degrees */
	bool has_alt;
	double alt; /* metres */
	bool has_radius;
	double radius; /* metres */
	char elin[WIREMAP_ELIN_MAX + 1];
};

struct wiremap;

/* Where and why a wiremap was refused. */
struct wiremap_err {
	unsigned line; /* 0 when not about one line */
	char msg[160];
};

/*
 * Parse a wiremap of len bytes (the format is in lis-sim/README.md).  On
 * success *wmp is a new wiremap the caller owns (mem_deref).  A malformed
 * line, a duplicate key or a buffer over WIREMAP_FILE_MAX returns EBADMSG
 * with *e saying where and why; nothing is kept.
 */
int wiremap_parse(struct wiremap **wmp, struct wiremap_err *e, const char *buf,
		  size_t len);

/* Read and parse a file; errors as wiremap_parse, plus errno values from
 * reading it (then e->line is 0). */
int wiremap_load(struct wiremap **wmp, struct wiremap_err *e, const char *path);

/*
 * The entry that locates a request, or NULL: kinds are tried in enum
 * order; within a kind the request's measurements are tried in document
 * order; subnets match the request's RFC 6155 ip identities, or peer when
 * it has none, the longest prefix winning.  The entry belongs to wm.
 */
const struct wiremap_entry *wiremap_match(const struct wiremap *wm,
					  const struct heldreq *req,
					  const struct sa *peer);

/* Number of entries. */
size_t wiremap_count(const struct wiremap *wm);

/* The kind's name as written in the file ("chassis+port"). */
const char *wiremap_kind_name(enum wiremap_kind kind);
