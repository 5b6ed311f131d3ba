/*
 * locsource: what discovery found, turned into HELD requests and location
 * records, and the choice between sources (design.md §6).  Pure code.
 * Include civic.h, lldp.h, wifi.h, netstate.h, location.h, held.h first.
 */

/* HELD request parts built from a snapshot; points into this struct. */
struct locsource_request {
	struct held_request req;
	struct held_lldp lldp;
	struct held_wifi_ap ap;
};

/*
 * Fill r for the device described by snap: the address and MAC of the
 * interface the gateway is reached through (RFC 6155), the AOR, the LLDP
 * chassis/port of the switch on that interface (nb, may be NULL) and the
 * associated Wi-Fi AP (RFC 7105).  A VPN snapshot yields EPERM: a tunnel
 * says nothing about where the person is.  ENOENT without an interface.
 */
int locsource_request(struct locsource_request *r, const struct netsnap *snap,
		      const struct lldp_frame *nb, const char *aor,
		      enum held_response_time rt);

/*
 * The LLDP-MED location the switch sent, as a record: civic and/or a point
 * (3D when the altitude is in metres), ELIN, method "LLDP-MED", provided by
 * the switch's name or chassis.  ENOENT if the frame carries no location.
 */
int locsource_from_lldp(struct location *loc, const struct lldp_frame *f,
			time_t now);

/* The outcome of asking the LIS for this network. */
enum locsource_lis {
	LOCSOURCE_LIS_NONE = 0, /* not configured, or not asked yet */
	LOCSOURCE_LIS_PENDING,	/* a query is running */
	LOCSOURCE_LIS_FOUND,	/* a location came back */
	LOCSOURCE_LIS_UNKNOWN,	/* locationUnknown or no location in it */
	LOCSOURCE_LIS_NOT_HERE, /* notLocatable: not asked again here */
	LOCSOURCE_LIS_FAILED,	/* unreachable, refused, malformed */
};

/*
 * Choose (design.md §6): the LIS answer, else the switch's LLDP-MED
 * location, else nothing; on VPN nothing automatic at all.  Copies the
 * winner into out and writes why into reason (people read it).
 */
int locsource_choose(struct location *out, char *reason, size_t sz, bool vpn,
		     enum locsource_lis lis, const char *lis_detail,
		     const struct location *lis_loc,
		     const struct location *lldp_loc);
