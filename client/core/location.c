/* location: the location record every part of locphone passes around. */

#include <re.h>
#include <math.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "uritext.h"
#include "xmlutil.h"

/* Numbers closer than this are the same (location_json_encode() keeps
 * six decimals). */
#define GEO_EPSILON 1e-6

static const char *const source_names[LOCATION_SOURCE_COUNT] = {
	[LOCATION_SOURCE_NONE] = "none",
	[LOCATION_SOURCE_LIS] = "lis",
	[LOCATION_SOURCE_LLDP_MED] = "lldp-med",
	[LOCATION_SOURCE_DHCP] = "dhcp",
	[LOCATION_SOURCE_MANUAL] = "manual",
};

/* GML and GeoShape element names (standards.md §5.4). */
static const char *const shape_names[GEO_SHAPE_COUNT] = {
	[GEO_NONE] = NULL,	   [GEO_POINT] = "Point",
	[GEO_CIRCLE] = "Circle",   [GEO_ELLIPSE] = "Ellipse",
	[GEO_ARCBAND] = "ArcBand", [GEO_POLYGON] = "Polygon",
	[GEO_SPHERE] = "Sphere",   [GEO_ELLIPSOID] = "Ellipsoid",
	[GEO_PRISM] = "Prism",
};

static const char *const pdf_names[] = {
	[GEO_PDF_UNKNOWN] = "unknown",
	[GEO_PDF_NORMAL] = "normal",
	[GEO_PDF_RECTANGULAR] = "rectangular",
};

const char *location_source_name(enum location_source s)
{
	return (unsigned)s < LOCATION_SOURCE_COUNT ? source_names[s] : NULL;
}

int location_source_by_name(const char *name)
{
	int s;

	for (s = 0; name && s < LOCATION_SOURCE_COUNT; s++) {
		if (0 == strcmp(source_names[s], name))
			return s;
	}

	return -1;
}

const char *geo_shape_name(enum geo_shape s)
{
	return (unsigned)s < GEO_SHAPE_COUNT ? shape_names[s] : NULL;
}

int geo_shape_by_name(const char *name)
{
	int s;

	for (s = 1; name && s < GEO_SHAPE_COUNT; s++) {
		if (0 == strcmp(shape_names[s], name))
			return s;
	}

	return -1;
}

const char *geo_pdf_name(enum geo_pdf pdf)
{
	return (unsigned)pdf < ARRAY_SIZE(pdf_names) ? pdf_names[pdf] : NULL;
}

int geo_pdf_by_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(pdf_names); i++) {
		if (0 == strcmp(pdf_names[i], name))
			return (int)i;
	}

	return -1;
}

static bool pos_valid(const struct geo_pos *p, bool three_d)
{
	if (!isfinite(p->lat) || p->lat < -90.0 || p->lat > 90.0)
		return false;
	if (!isfinite(p->lon) || p->lon < -180.0 || p->lon > 180.0)
		return false;
	if (three_d && (!isfinite(p->alt) || fabs(p->alt) > GEO_LENGTH_MAX))
		return false;

	return true;
}

static bool length_valid(double v)
{
	return isfinite(v) && v >= 0.0 && v <= GEO_LENGTH_MAX;
}

static bool angle_valid(double v)
{
	return isfinite(v) && fabs(v) <= 360.0;
}

/* RFC 5491 / GeoShape: which shapes exist in which dimension
 * (standards.md §5.4). */
static bool crs_allowed(enum geo_shape s, enum geo_crs crs)
{
	switch (s) {

	case GEO_POINT:
	case GEO_POLYGON:
		return crs == GEO_CRS_2D || crs == GEO_CRS_3D;

	case GEO_CIRCLE:
	case GEO_ELLIPSE:
	case GEO_ARCBAND:
		return crs == GEO_CRS_2D;

	case GEO_SPHERE:
	case GEO_ELLIPSOID:
	case GEO_PRISM:
		return crs == GEO_CRS_3D;

	default:
		return false;
	}
}

static bool shape_values_valid(const struct geo *g, bool three_d)
{
	size_t i;

	switch (g->shape) {

	case GEO_POINT:
		return pos_valid(&g->pos, three_d);

	case GEO_CIRCLE:
	case GEO_SPHERE:
		return pos_valid(&g->pos, three_d) && length_valid(g->radius);

	case GEO_ELLIPSOID:
		if (!length_valid(g->vertical))
			return false;
		/* fall through */
	case GEO_ELLIPSE:
		return pos_valid(&g->pos, three_d) &&
		       length_valid(g->semi_major) &&
		       length_valid(g->semi_minor) &&
		       angle_valid(g->orientation);

	case GEO_ARCBAND:
		return pos_valid(&g->pos, three_d) &&
		       length_valid(g->inner_radius) &&
		       length_valid(g->outer_radius) &&
		       g->inner_radius <= g->outer_radius &&
		       angle_valid(g->start_angle) &&
		       angle_valid(g->opening_angle);

	case GEO_PRISM:
		if (!length_valid(g->height))
			return false;
		/* fall through */
	case GEO_POLYGON:
		if (g->pointc < 3 || g->pointc > GEO_POLYGON_MAX)
			return false;
		for (i = 0; i < g->pointc; i++) {
			if (!pos_valid(&g->pointv[i], three_d))
				return false;
		}
		return true;

	default:
		return false;
	}
}

int geo_validate(const struct geo *g)
{
	if (!g)
		return EINVAL;
	if (g->shape == GEO_NONE)
		return 0;
	if ((unsigned)g->shape >= GEO_SHAPE_COUNT)
		return EINVAL;
	if (!crs_allowed(g->shape, g->crs))
		return EINVAL;
	if (g->confidence > 99 || !geo_pdf_name(g->pdf))
		return EINVAL;

	return shape_values_valid(g, g->crs == GEO_CRS_3D) ? 0 : EINVAL;
}

static bool num_equal(double a, double b)
{
	return fabs(a - b) < GEO_EPSILON;
}

static bool pos_equal(const struct geo_pos *a, const struct geo_pos *b,
		      bool three_d)
{
	return num_equal(a->lat, b->lat) && num_equal(a->lon, b->lon) &&
	       (!three_d || num_equal(a->alt, b->alt));
}

/* Compares only the members that count for the shape (see location.h). */
bool geo_equal(const struct geo *a, const struct geo *b)
{
	bool three_d;
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->shape != b->shape)
		return false;
	if (a->shape == GEO_NONE)
		return true;
	if (a->crs != b->crs || a->confidence != b->confidence ||
	    a->pdf != b->pdf)
		return false;

	three_d = a->crs == GEO_CRS_3D;

	switch (a->shape) {

	case GEO_POLYGON:
	case GEO_PRISM:
		if (a->pointc != b->pointc)
			return false;
		for (i = 0; i < a->pointc && i < GEO_POLYGON_MAX; i++) {
			if (!pos_equal(&a->pointv[i], &b->pointv[i], three_d))
				return false;
		}
		return a->shape == GEO_POLYGON ||
		       num_equal(a->height, b->height);

	default:
		break;
	}

	return pos_equal(&a->pos, &b->pos, three_d) &&
	       num_equal(a->radius, b->radius) &&
	       num_equal(a->semi_major, b->semi_major) &&
	       num_equal(a->semi_minor, b->semi_minor) &&
	       num_equal(a->vertical, b->vertical) &&
	       num_equal(a->orientation, b->orientation) &&
	       num_equal(a->inner_radius, b->inner_radius) &&
	       num_equal(a->outer_radius, b->outer_radius) &&
	       num_equal(a->start_angle, b->start_angle) &&
	       num_equal(a->opening_angle, b->opening_angle);
}

bool location_has_value(const struct location *loc)
{
	return loc &&
	       (!civic_is_empty(&loc->civic) || loc->geo.shape != GEO_NONE);
}

void location_reset(struct location *loc)
{
	size_t i;

	if (!loc)
		return;

	civic_reset(&loc->civic);
	mem_deref(loc->method);
	mem_deref(loc->provided_by);
	mem_deref(loc->provided_by_xml);
	mem_deref(loc->elin);
	for (i = 0; i < loc->uric && i < LOCATION_URI_MAX; i++)
		mem_deref(loc->uriv[i].uri);

	memset(loc, 0, sizeof(*loc));
}

void location_move(struct location *dst, struct location *src)
{
	if (!dst || !src || dst == src)
		return;

	location_reset(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

bool location_text_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const uint8_t c = (uint8_t)s[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
			    c == 0x7f)
				return false;
			++i;
			continue;
		}

		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}

		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			const uint8_t cc = (uint8_t)s[i + k];

			if ((cc & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (cc & 0x3f);
		}

		/* no overlong forms, surrogates, or non-characters XML 1.0
		 * §2.2 excludes */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp == 0xfffe || cp == 0xffff)
			return false;

		i += n + 1;
	}

	return true;
}

static int set_text(char **dst, const char *val, size_t max,
		    bool (*valid)(const char *, size_t))
{
	size_t len = val ? strlen(val) : 0;
	char *copy;
	int err;

	if (!len) {
		*dst = mem_deref(*dst);
		return 0;
	}

	if (len > max || !valid(val, len))
		return EINVAL;

	err = str_dup(&copy, val);
	if (err)
		return err;

	mem_deref(*dst);
	*dst = copy;
	return 0;
}

static bool token_valid(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		const char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_'))
			return false;
	}

	return true;
}

static bool digits_valid(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}

	return true;
}

/* Text without controls at all: no tab or newline either. */
static bool line_valid(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((uint8_t)s[i] < 0x20)
			return false;
	}

	return location_text_valid(s, len);
}

/* A URI with a scheme that a header line can carry (uritext). */
static bool uri_valid(const char *s, size_t len)
{
	return uritext_absolute_uri_valid(s, len);
}

int location_set_method(struct location *loc, const char *method)
{
	if (!loc)
		return EINVAL;

	return set_text(&loc->method, method, LOCATION_METHOD_LEN_MAX,
			token_valid);
}

int location_set_provided_by(struct location *loc, const char *text)
{
	if (!loc)
		return EINVAL;

	return set_text(&loc->provided_by, text, LOCATION_PROVIDER_LEN_MAX,
			line_valid);
}

static bool any_text(const char *s, size_t len)
{
	(void)s;
	(void)len;
	return true;
}

int location_set_provided_by_xml(struct location *loc, const char *xml)
{
	size_t len = xml ? strlen(xml) : 0;
	int err;

	if (!loc)
		return EINVAL;
	if (len > LOCATION_PROVIDER_XML_MAX)
		return EINVAL;

	/* the check parses: it can run out of memory, which says nothing
	 * about the markup */
	if (len) {
		err = xmlutil_foreign_check(xml, len);
		if (err)
			return err == ENOMEM ? ENOMEM : EINVAL;
	}

	return set_text(&loc->provided_by_xml, xml, LOCATION_PROVIDER_XML_MAX,
			any_text);
}

int location_set_elin(struct location *loc, const char *elin)
{
	if (!loc)
		return EINVAL;

	return set_text(&loc->elin, elin, LOCATION_ELIN_LEN_MAX, digits_valid);
}

int location_add_uri(struct location *loc, const char *uri, time_t expires)
{
	char *copy = NULL;
	int err;

	if (!loc || !uri)
		return EINVAL;
	if (loc->uric >= LOCATION_URI_MAX)
		return EOVERFLOW;

	err = set_text(&copy, uri, LOCATION_URI_LEN_MAX, uri_valid);
	if (err)
		return err;
	if (!copy)
		return EINVAL;

	loc->uriv[loc->uric].uri = copy;
	loc->uriv[loc->uric].expires = expires;
	loc->uric++;
	return 0;
}

int location_copy(struct location *dst, const struct location *src)
{
	struct location tmp;
	size_t i;
	int err;

	if (!dst || !src || dst == src)
		return EINVAL;

	memset(&tmp, 0, sizeof(tmp));
	tmp.source = src->source;
	tmp.geo = src->geo;
	tmp.obtained_at = src->obtained_at;
	tmp.expires = src->expires;
	tmp.validated = src->validated;
	tmp.usage = src->usage;

	err = civic_copy(&tmp.civic, &src->civic);
	if (err)
		goto out;
	err = location_set_method(&tmp, src->method);
	if (err)
		goto out;
	err = location_set_provided_by(&tmp, src->provided_by);
	if (err)
		goto out;
	err = location_set_provided_by_xml(&tmp, src->provided_by_xml);
	if (err)
		goto out;
	err = location_set_elin(&tmp, src->elin);
	if (err)
		goto out;
	for (i = 0; i < src->uric && i < LOCATION_URI_MAX; i++) {
		err = location_add_uri(&tmp, src->uriv[i].uri,
				       src->uriv[i].expires);
		if (err)
			goto out;
	}

out:
	if (err) {
		location_reset(&tmp);
		location_reset(dst);
	} else {
		location_move(dst, &tmp);
	}

	return err;
}

static bool str_same(const char *a, const char *b)
{
	return 0 == str_cmp(a ? a : "", b ? b : "");
}

bool location_equal(const struct location *a, const struct location *b)
{
	size_t i;

	if (!a || !b)
		return a == b;

	if (a->source != b->source || a->obtained_at != b->obtained_at ||
	    a->expires != b->expires || a->validated != b->validated ||
	    a->uric != b->uric ||
	    a->usage.retransmission_allowed !=
		    b->usage.retransmission_allowed ||
	    a->usage.retention_expiry != b->usage.retention_expiry)
		return false;

	if (!civic_equal(&a->civic, &b->civic) || !geo_equal(&a->geo, &b->geo))
		return false;

	if (!str_same(a->method, b->method) ||
	    !str_same(a->provided_by, b->provided_by) ||
	    !str_same(a->provided_by_xml, b->provided_by_xml) ||
	    !str_same(a->elin, b->elin))
		return false;

	for (i = 0; i < a->uric && i < LOCATION_URI_MAX; i++) {
		if (!str_same(a->uriv[i].uri, b->uriv[i].uri) ||
		    a->uriv[i].expires != b->uriv[i].expires)
			return false;
	}

	return true;
}
