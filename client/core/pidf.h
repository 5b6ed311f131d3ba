/* pidf: PIDF-LO documents (RFC 4119, RFC 5491, RFC 5139, GeoShape). */

#ifndef LOCPHONE_PIDF_H
#define LOCPHONE_PIDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <re.h>

#include "location.h"

/* Namespaces and the prefixes we write (standards.md §5.1). */
#define PIDF_NS_PIDF "urn:ietf:params:xml:ns:pidf"	      /* default */
#define PIDF_NS_DM   "urn:ietf:params:xml:ns:pidf:data-model" /* dm */
#define PIDF_NS_GP   "urn:ietf:params:xml:ns:pidf:geopriv10"  /* gp */
#define PIDF_NS_GBP  "urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy"
#define PIDF_NS_CA   "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"
#define PIDF_NS_GML  "http://www.opengis.net/gml"	   /* gml */
#define PIDF_NS_GS   "http://www.opengis.net/pidflo/1.0"   /* gs */
#define PIDF_NS_CON  "urn:ietf:params:xml:ns:geopriv:conf" /* con */
/* [MS-SIPRE] Appendix D: the Lync E911 extension and its policy tag. */
#define PIDF_NS_MS_E911 "urn:schema:Rtc.LIS.msftE911PidfExtn.2008" /* ms */
#define PIDF_NS_MS_TAG	"urn:schema:Rtc.Lis.LocationPolicyTagID.2008"

#define PIDF_SRS_2D "urn:ogc:def:crs:EPSG::4326"
#define PIDF_SRS_3D "urn:ogc:def:crs:EPSG::4979"

/* Largest PIDF-LO pidf_parse() reads; larger ones are refused unread. */
#define PIDF_MAX_SIZE (256u * 1024u)

enum pidf_profile {
	/* RFC 5491: the location in dm:device elements */
	PIDF_PROFILE_RFC5491 = 0,
	/* [MS-SIPRE] 2.2.23: the location in a tuple's status, followed by
	 * an ms:msftE911PidfExtn element (standards.md §11) */
	PIDF_PROFILE_MICROSOFT,
};

enum pidf_conference_mode {
	PIDF_CONFERENCE_ONEWAY = 0,
	PIDF_CONFERENCE_TWOWAY,
};

/* What a PIDF-LO needs besides the location.  Strings may be NULL unless
 * said otherwise; times are UTC, 0 meaning "leave out". */
struct pidf_params {
	enum pidf_profile profile;
	const char *entity;	 /* presence entity, the caller's AOR; needed */
	const char *device_id;	 /* dm:deviceID, e.g. "mac:001122334455" */
	const char *id_seed;	 /* letters, digits, '.', '-', '_': makes the
				  element ids unique per call */
	time_t timestamp;	 /* dm:timestamp; 0: loc->obtained_at */
	time_t retention_expiry; /* gbp:retention-expiry */
	bool retransmission_allowed; /* gbp:retransmission-allowed, written
					"true"/"false"; true for emergency
					calls */

	/* PIDF_PROFILE_MICROSOFT only; the extension element is written
	 * when conference_uri or location_policy_tag is set */
	const char *conference_uri;
	enum pidf_conference_mode conference_mode;
	const char *location_policy_tag;
};

/*
 * Append a PIDF-LO document for loc to mb.  The same input gives the same
 * bytes.  RFC 5491 profile: one dm:device per location (the civic address
 * first, then the geodetic shape; a tuple each when there is no
 * device_id, which dm:device requires), each with its own gp:geopriv holding
 * gp:location-info, gp:usage-rules, gp:method and gp:provided-by (the
 * record's provided_by_xml, left out without it), then dm:deviceID and dm:timestamp.  Microsoft profile: one tuple
 * with the civic address (or, lacking one, the shape) in
 * status/gp:geopriv, then the ms:msftE911PidfExtn element and timestamp.
 * Returns 0; ENOENT if loc holds neither civic nor geodetic location;
 * EINVAL for a missing entity, a bad id seed, a shape geo_validate()
 * refuses, or text that is not valid UTF-8; ENOMEM.  On error nothing is
 * appended to mb.
 */
int pidf_build(struct mbuf *mb, const struct location *loc,
	       const struct pidf_params *p);

/*
 * Read the location out of a PIDF-LO.  Following RFC 5491 the first
 * dm:device carrying a location wins, else the first tuple, else the
 * first dm:person; whichever of civic/geodetic that element lacks is
 * taken from later elements of the same kind (alternative descriptions
 * of the same place, RFC 5491 rule 2).  Fills civic, geo (every RFC 5491
 * shape, confidence), method, provided_by (its text) and provided_by_xml
 * (its elements, when they can go out valid), obtained_at (the
 * element's timestamp) and usage; source, validated, expires, elin and
 * uris stay empty for the caller to set.
 *
 * Untrusted input: documents over PIDF_MAX_SIZE are refused before
 * parsing (EMSGSIZE); DOCTYPE and entity declarations, excessive nesting
 * and malformed XML give EBADMSG; a root other than pidf:presence gives
 * EPROTO; a document without any location ENOENT.  On success *loc is
 * reset and filled; on failure it is untouched and *errmsg (if given)
 * is a static string saying why.
 */
int pidf_parse(struct location *loc, const uint8_t *buf, size_t len,
	       const char **errmsg);

#endif
