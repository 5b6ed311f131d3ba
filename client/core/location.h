/* location: the location record every part of locphone passes around. */

#ifndef LOCPHONE_LOCATION_H
#define LOCPHONE_LOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <re.h>

#include "civic.h"

/*
 * Geodetic shapes of RFC 5491 / GeoShape (standards.md §5.4).  Point and
 * Polygon are 2D (EPSG::4326) or 3D (EPSG::4979); Circle, Ellipse and
 * ArcBand are 2D only; Sphere, Ellipsoid and Prism are 3D only.
 */
enum geo_shape {
	GEO_NONE = 0,
	GEO_POINT,
	GEO_CIRCLE,
	GEO_ELLIPSE,
	GEO_ARCBAND,
	GEO_POLYGON,
	GEO_SPHERE,
	GEO_ELLIPSOID,
	GEO_PRISM,
	GEO_SHAPE_COUNT
};

/* Coordinate reference systems: the EPSG codes of the srsName URNs. */
enum geo_crs {
	GEO_CRS_2D = 4326, /* urn:ogc:def:crs:EPSG::4326: lat, lon */
	GEO_CRS_3D = 4979, /* urn:ogc:def:crs:EPSG::4979: lat, lon, alt */
};

/* RFC 7459 confidence probability density function. */
enum geo_pdf {
	GEO_PDF_UNKNOWN = 0,
	GEO_PDF_NORMAL,
	GEO_PDF_RECTANGULAR,
};

/* Most vertices a Polygon or Prism base may have (without the closing
 * repeat of the first vertex). */
#define GEO_POLYGON_MAX 32

/* Longest length (m) or height we accept: a little over Earth's
 * circumference, so that garbage is refused before it is printed. */
#define GEO_LENGTH_MAX 5.0e7

struct geo_pos {
	double lat; /* degrees north; south is negative */
	double lon; /* degrees east; west is negative */
	double alt; /* metres above the WGS 84 ellipsoid; 3D only */
};

/*
 * One shape.  Which members count depends on the shape:
 *   Point                 pos
 *   Circle, Sphere        pos, radius
 *   Ellipse               pos, semi_major, semi_minor, orientation
 *   Ellipsoid             pos, semi_major, semi_minor, vertical, orientation
 *   ArcBand               pos, inner_radius, outer_radius, start_angle,
 *                         opening_angle
 *   Polygon               pointv[pointc]
 *   Prism                 pointv[pointc] (the base), height
 * Lengths are metres; angles are degrees clockwise from true north.
 */
struct geo {
	enum geo_shape shape;
	enum geo_crs crs;
	struct geo_pos pos;
	double radius;
	double semi_major, semi_minor, vertical, orientation;
	double inner_radius, outer_radius, start_angle, opening_angle;
	double height;
	struct geo_pos pointv[GEO_POLYGON_MAX];
	size_t pointc;
	unsigned confidence; /* RFC 7459 percent, 1..99; 0: not given */
	enum geo_pdf pdf;
};

/* Where a location came from; design.md §6 ranks them. */
enum location_source {
	LOCATION_SOURCE_NONE = 0,
	LOCATION_SOURCE_LIS,
	LOCATION_SOURCE_LLDP_MED,
	LOCATION_SOURCE_DHCP,
	LOCATION_SOURCE_MANUAL,
	LOCATION_SOURCE_COUNT
};

#define LOCATION_URI_MAX	  4   /* location URIs kept from a LIS */
#define LOCATION_URI_LEN_MAX	  512 /* longest URI we keep */
#define LOCATION_METHOD_LEN_MAX	  32  /* IANA method tokens are short */
#define LOCATION_PROVIDER_LEN_MAX 256 /* provided_by text */
/* provided_by_xml: the LIS's gp:provided-by content; more is dropped */
#define LOCATION_PROVIDER_XML_MAX 2048
#define LOCATION_ELIN_LEN_MAX	  25 /* TIA-1057 ELIN: 10..25 digits [U] */

/* A location URI (RFC 5985 locationURI) and when it stops being valid. */
struct location_uri {
	char *uri;
	time_t expires; /* 0: not known */
};

/* The usage rules a parsed PIDF-LO carried (standards.md §5.2). */
struct location_usage {
	bool retransmission_allowed;
	time_t retention_expiry; /* 0: not given */
};

/*
 * The location record.  Strings are NUL-terminated and owned by the
 * record (NULL when unset); release them with location_reset().  Times
 * are UTC seconds since the epoch, 0 when unknown.  A zeroed struct is an
 * empty record.
 */
struct location {
	enum location_source source;
	struct civic civic;
	struct geo geo;	   /* geo.shape GEO_NONE: no geodetic location */
	char *method;	   /* IANA method token: "Wiremap", "LLDP-MED", ... */
	char *provided_by; /* who determined it (a LIS host, a switch) */
	/* the elements of the gp:provided-by received from the LIS, each
	 * declaring its namespaces (RFC 4119: elements from another
	 * namespace); written back into the PIDF-LO as they came */
	char *provided_by_xml;
	time_t obtained_at;
	time_t expires;
	bool validated; /* the provider vouches for it (not typed in) */
	char *elin;	/* LLDP-MED emergency location identification number */
	struct location_uri uriv[LOCATION_URI_MAX];
	size_t uric;
	struct location_usage usage; /* filled by pidf_parse() only */
};

/* Name of a source: "none", "lis", "lldp-med", "dhcp", "manual";
 * NULL if out of range. */
const char *location_source_name(enum location_source s);

/* Source for a name as above (case-sensitive); -1 if unknown. */
int location_source_by_name(const char *name);

/* GML element name of a shape ("Point", "Circle", ...); NULL for GEO_NONE
 * or out of range. */
const char *geo_shape_name(enum geo_shape s);

/* Shape for a GML element name as above; -1 if unknown. */
int geo_shape_by_name(const char *name);

/* RFC 7459 name of a pdf ("unknown", "normal", "rectangular"); NULL if
 * out of range. */
const char *geo_pdf_name(enum geo_pdf pdf);

/* pdf for a name as above; -1 if unknown. */
int geo_pdf_by_name(const char *name);

/*
 * Check a shape: coordinates in range, lengths finite and within
 * GEO_LENGTH_MAX, the dimension the shape allows, 3..GEO_POLYGON_MAX
 * vertices for Polygon and Prism, confidence 0..99.  GEO_NONE is valid.
 * Returns 0 or EINVAL.
 */
int geo_validate(const struct geo *g);

/* True if both shapes are the same, numbers within 1e-6 (the precision
 * of location_json_encode()). */
bool geo_equal(const struct geo *a, const struct geo *b);

/* True if the record holds a civic or a geodetic location (URIs alone
 * do not count). */
bool location_has_value(const struct location *loc);

/* Free every string and leave loc as a zeroed, empty record. */
void location_reset(struct location *loc);

/* Deep copy; dst is reset first and left empty on failure.  Returns 0,
 * ENOMEM or EINVAL. */
int location_copy(struct location *dst, const struct location *src);

/* Move src's contents into dst (after resetting dst); src ends empty. */
void location_move(struct location *dst, struct location *src);

/* True if both records hold the same data (geo as geo_equal()). */
bool location_equal(const struct location *a, const struct location *b);

/*
 * Setters: each copies its string and replaces the old one; NULL or ""
 * clears it.  EINVAL when the value is too long or malformed: the method
 * must be a token of letters, digits, '.', '-' and '_'; the ELIN digits
 * only; provided_by any UTF-8 text without control characters.
 */
int location_set_method(struct location *loc, const char *method);
int location_set_provided_by(struct location *loc, const char *text);
int location_set_elin(struct location *loc, const char *elin);

/*
 * Set provided_by_xml to a copy of xml (NULL or "" clears it): one or
 * more elements, each in a namespace other than RFC 4119's geopriv10
 * (the schema's ##other), declaring every prefix it uses, at most
 * LOCATION_PROVIDER_XML_MAX bytes, without DOCTYPE, processing
 * instructions or text outside the elements.  EINVAL otherwise: what is
 * kept can go into a PIDF-LO unchecked.  ENOMEM (the old value kept) if
 * the check or the copy runs out of memory.
 */
int location_set_provided_by_xml(struct location *loc, const char *xml);

/* Append a copy of a location URI (no whitespace or control characters,
 * at most LOCATION_URI_LEN_MAX).  EOVERFLOW once LOCATION_URI_MAX are
 * held, EINVAL for a malformed URI. */
int location_add_uri(struct location *loc, const char *uri, time_t expires);

/* True if s (len bytes) is valid UTF-8 without C0 controls other than
 * tab, CR and LF, and without DEL: text safe to put into XML or JSON. */
bool location_text_valid(const char *s, size_t len);

/*
 * Add the record to od as the keys source, civic, geo, method,
 * provided_by, provided_by_xml, obtained_at, expires, validated, uris and elin.  Unset
 * values are JSON null; civic is an object keyed by RFC 5139 element
 * names; geo an object with shape, crs (4326/4979), lat, lon, alt, radius,
 * ... and points ([[lat, lon(, alt)], ...]) in degrees and metres, south
 * and west negative, six decimals; times are RFC 3339 UTC strings; uris
 * an array of {"uri", "expires"}.  The usage rules are not included.
 * Returns 0, ENOMEM or EINVAL (a shape geo_validate() refuses); on error
 * od may already hold some of the keys.
 */
int location_json_encode(struct odict *od, const struct location *loc);

/* Longest text location_num_format() writes, with its NUL. */
#define LOCATION_NUM_LEN 40

/*
 * Write v in plain decimal ("47.640068", "-122.129858", "15") with the
 * digits it was given: rounded to 15 significant digits (at most 17
 * decimals), trailing zeros dropped.  A number read from text of up to
 * 15 significant digits comes out as that text (up to trailing zeros),
 * independent of the C locale.  EINVAL for values that are not finite or
 * beyond +-1e15.
 */
int location_num_format(char *buf, size_t size, double v);

/* Add v as a JSON number (ODICT_DOUBLE).  Print such dictionaries with
 * json_out_odict() (ctlproto.h), which writes location_num_format()'s digits; libre's
 * json_encode_odict() cuts every double to six decimals. */
int location_json_number_add(struct odict *od, const char *key, double v);


/*
 * Read a record written by location_json_encode() (saved state).  Every
 * value is checked as the setters and geo_validate() do; unknown keys are
 * ignored.  On success *loc is reset and filled; on failure it is left
 * alone, *errmsg (if given) names the offending key and EINVAL or ENOMEM
 * is returned.
 */
int location_json_decode(struct location *loc, const struct odict *od,
			 const char **errmsg);

#endif
