/* heldresp: the LIS simulator's HELD answers and PIDF-LO documents. */

/* Namespace of the simulator's own gp:provided-by content (not
 * registered: a test tool's extension). */
#define HELDRESP_SIM_NS "urn:x-locphone:lis-sim"

/* What goes into one PIDF-LO and about whom. */
struct heldresp_pidf {
	const struct wiremap_entry *ent; /* the location */
	unsigned loctypes;		 /* HELDREQ_LT_CIVIC and/or _GEODETIC */
	const char *entity;		 /* presence entity, a pres: URI */
	const char *device_id;		 /* dm:deviceID URI */
	const char *provider;		 /* name in gp:provided-by */
	bool no_retransmission;		 /* retransmission-allowed false */
	unsigned retention_s;		 /* retention-expiry ahead; 0: a day */
	time_t now;
};

/*
 * Which location types to send for a request answered from ent: with
 * exact="false" (the default) every type ent has, plus the URI; with
 * exact="true" exactly the requested ones (RFC 5985).  Returns 0 and sets
 * *typesp (enum heldreq_loctype bits), or ENOENT when an exact request
 * asks for a type ent lacks (answer cannotProvideLiType).
 */
int heldresp_types(unsigned *typesp, const struct heldreq *req,
		   const struct wiremap_entry *ent);

/*
 * Append a PIDF-LO presence document (no XML declaration) to mb: one
 * dm:device (RFC 5491: measured location belongs there) holding geopriv
 * with the location, usage-rules, method ("802.11" for a BSSID match,
 * else "Wiremap"), provided-by, deviceID and timestamp.
 */
int heldresp_pidf_encode(struct mbuf *mb, const struct heldresp_pidf *p);

/* Append an XML declaration and a locationResponse to mb: a
 * locationUriSet with uri valid until expires when uri is set, then the
 * presence document pidf when it is set.  EINVAL if both are NULL. */
int heldresp_location_encode(struct mbuf *mb, const char *uri, time_t expires,
			     const char *pidf);

/* Append an XML declaration and a HELD error element (RFC 5985) with
 * attribute code and an English message to mb. */
int heldresp_error_encode(struct mbuf *mb, const char *code,
			  const char *message);
