/* gml: geodetic shapes as GML / GeoShape elements (RFC 5491). */

#include <re.h>
#include <math.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "xmlutil.h"
#include "gml.h"

/* Units of measure in uom attributes (standards.md §5.4). */
#define UOM_METRE  "urn:ogc:def:uom:EPSG::9001"
#define UOM_RADIAN "urn:ogc:def:uom:EPSG::9101"
#define UOM_DEGREE "urn:ogc:def:uom:EPSG::9102"

/* Longest gml:pos or gml:posList text we read: GEO_POLYGON_MAX + 1
 * vertices of three numbers, generously spaced. */
#define POSLIST_LEN 4096

static const double pow10_exact[] = {
	1e0,  1e1,  1e2,  1e3,	1e4,  1e5,  1e6,  1e7,	1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int gml_num_format(char *buf, size_t size, double v)
{
	if (!buf || !isfinite(v) || fabs(v) > 1e9)
		return EINVAL;

	/* the digits the record was given (issue 11 item 8): a LIS's or a
	 * person's 47.640068 goes out as 47.640068 */
	return location_num_format(buf, size, v);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The significand's digits: at most 18 kept, the rest only scale. */
static bool read_significand(uint64_t *mantp, int *exp10p, const char **sp)
{
	const char *s = *sp;
	uint64_t mant = 0;
	int kept = 0, exp10 = 0;
	bool any = false;

	for (; is_digit(*s); s++) {
		any = true;
		if (kept < 18) {
			mant = mant * 10 + (uint64_t)(*s - '0');
			kept += mant != 0;
		} else {
			exp10++;
		}
	}

	if (*s == '.') {
		for (s++; is_digit(*s); s++) {
			any = true;
			if (kept < 18) {
				mant = mant * 10 + (uint64_t)(*s - '0');
				kept += mant != 0;
				exp10--;
			}
		}
	}

	*mantp = mant;
	*exp10p = exp10;
	*sp = s;
	return any;
}

int gml_num_parse(double *vp, const char **sp)
{
	const char *s;
	uint64_t mant;
	int exp10, e = 0;
	bool neg = false;
	double v;

	if (!vp || !sp || !*sp)
		return EINVAL;
	s = *sp;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';

	if (!read_significand(&mant, &exp10, &s))
		return EINVAL;

	if (*s == 'e' || *s == 'E') {
		bool eneg = false;

		s++;
		if (*s == '+' || *s == '-')
			eneg = *s++ == '-';
		if (!is_digit(*s))
			return EINVAL;
		for (; is_digit(*s); s++) {
			if (e < 10000)
				e = e * 10 + (*s - '0');
		}
		exp10 += eneg ? -e : e;
	}

	/* exact when both operands are: mant < 2^53, |exp10| <= 22 */
	v = (double)mant;
	if (exp10 >= 0 && exp10 <= 22) {
		v *= pow10_exact[exp10];
	} else if (exp10 < 0 && exp10 >= -22) {
		v /= pow10_exact[-exp10];
	} else {
		for (; exp10 > 0 && isfinite(v); exp10--)
			v *= 10.0;
		for (; exp10 < 0 && v != 0.0; exp10++)
			v /= 10.0;
	}

	if (!isfinite(v))
		return EINVAL;

	*vp = neg ? -v : v;
	*sp = s;
	return 0;
}

/* Writing. */

static void write_num(struct xmlw *x, double v)
{
	char buf[GML_NUM_LEN];

	if (gml_num_format(buf, sizeof(buf), v)) {
		xmlw_fail(x, EINVAL);
		return;
	}

	xmlw_text(x, buf);
}

/* gml:pos: latitude, longitude, then altitude for 3D (standards.md
 * §5.3). */
static void write_pos(struct xmlw *x, const struct geo_pos *p, bool three_d)
{
	char lat[GML_NUM_LEN], lon[GML_NUM_LEN], alt[GML_NUM_LEN];
	char text[3 * GML_NUM_LEN];

	if (gml_num_format(lat, sizeof(lat), p->lat) ||
	    gml_num_format(lon, sizeof(lon), p->lon) ||
	    gml_num_format(alt, sizeof(alt), p->alt)) {
		xmlw_fail(x, EINVAL);
		return;
	}

	if (three_d)
		re_snprintf(text, sizeof(text), "%s %s %s", lat, lon, alt);
	else
		re_snprintf(text, sizeof(text), "%s %s", lat, lon);

	xmlw_elem(x, "gml:pos", text);
}

static void write_measure(struct xmlw *x, const char *name, const char *uom,
			  double v)
{
	xmlw_start(x, name);
	xmlw_attr(x, "uom", uom);
	write_num(x, v);
	xmlw_end(x);
}

/* gml:Polygon with the ring closed by repeating the first vertex (GML
 * LinearRing); srs is NULL inside a Prism, which names it. */
static void write_polygon(struct xmlw *x, const struct geo *g, const char *srs)
{
	const bool three_d = g->crs == GEO_CRS_3D;
	size_t i;

	xmlw_start(x, "gml:Polygon");
	if (srs)
		xmlw_attr(x, "srsName", srs);
	xmlw_start(x, "gml:exterior");
	xmlw_start(x, "gml:LinearRing");
	for (i = 0; i < g->pointc; i++)
		write_pos(x, &g->pointv[i], three_d);
	write_pos(x, &g->pointv[0], three_d);
	xmlw_end(x);
	xmlw_end(x);
	xmlw_end(x);
}

static void write_shape_body(struct xmlw *x, const struct geo *g)
{
	switch (g->shape) {

	case GEO_CIRCLE:
	case GEO_SPHERE:
		write_measure(x, "gs:radius", UOM_METRE, g->radius);
		break;

	case GEO_ELLIPSE:
	case GEO_ELLIPSOID:
		write_measure(x, "gs:semiMajorAxis", UOM_METRE, g->semi_major);
		write_measure(x, "gs:semiMinorAxis", UOM_METRE, g->semi_minor);
		if (g->shape == GEO_ELLIPSOID)
			write_measure(x, "gs:verticalAxis", UOM_METRE,
				      g->vertical);
		write_measure(x, "gs:orientation", UOM_DEGREE, g->orientation);
		break;

	case GEO_ARCBAND:
		write_measure(x, "gs:innerRadius", UOM_METRE, g->inner_radius);
		write_measure(x, "gs:outerRadius", UOM_METRE, g->outer_radius);
		write_measure(x, "gs:startAngle", UOM_DEGREE, g->start_angle);
		write_measure(x, "gs:openingAngle", UOM_DEGREE,
			      g->opening_angle);
		break;

	default:
		break;
	}
}

void gml_write(struct xmlw *x, const struct geo *g)
{
	const char *srs;
	char name[32];

	if (x->err)
		return;
	if (!g || g->shape == GEO_NONE || geo_validate(g)) {
		xmlw_fail(x, EINVAL);
		return;
	}

	srs = g->crs == GEO_CRS_3D ? PIDF_SRS_3D : PIDF_SRS_2D;

	if (g->shape == GEO_POLYGON) {
		write_polygon(x, g, srs);
		return;
	}

	re_snprintf(name, sizeof(name), "%s:%s",
		    g->shape == GEO_POINT ? "gml" : "gs",
		    geo_shape_name(g->shape));

	xmlw_start(x, name);
	xmlw_attr(x, "srsName", srs);

	if (g->shape == GEO_PRISM) {
		xmlw_start(x, "gs:base");
		write_polygon(x, g, NULL);
		xmlw_end(x);
		write_measure(x, "gs:height", UOM_METRE, g->height);
	} else {
		write_pos(x, &g->pos, g->crs == GEO_CRS_3D);
		write_shape_body(x, g);
	}

	xmlw_end(x);
}

void gml_write_confidence(struct xmlw *x, const struct geo *g)
{
	char pct[8];

	if (!g || g->shape == GEO_NONE || !g->confidence)
		return;
	if (g->confidence > 99 || !geo_pdf_name(g->pdf)) {
		xmlw_fail(x, EINVAL);
		return;
	}

	re_snprintf(pct, sizeof(pct), "%u", g->confidence);
	xmlw_start(x, "con:confidence");
	xmlw_attr(x, "pdf", geo_pdf_name(g->pdf));
	xmlw_text(x, pct);
	xmlw_end(x);
}

/* Reading. */

static int fail(const char **errmsg, const char *msg)
{
	if (errmsg)
		*errmsg = msg;
	return EBADMSG;
}

/* err from reading the document: out of memory stays ENOMEM, anything
 * else is a fault of the document */
static int bad(int err)
{
	return err == ENOMEM ? ENOMEM : EBADMSG;
}

/* fail() with msg, but ENOMEM stays ENOMEM */
static int fail_err(const char **errmsg, int err, const char *msg)
{
	if (err == ENOMEM) {
		if (errmsg)
			*errmsg = "out of memory";
		return ENOMEM;
	}
	return fail(errmsg, msg);
}

/* Shape for element n; -1 if n is not a shape we know. */
static int shape_of(const xmlNode *n)
{
	int s;

	if (xmlutil_is(n, PIDF_NS_GML, "Point"))
		return GEO_POINT;
	if (xmlutil_is(n, PIDF_NS_GML, "Polygon"))
		return GEO_POLYGON;
	if (!xmlutil_in_ns(n, PIDF_NS_GS))
		return -1;

	s = geo_shape_by_name((const char *)n->name);
	return s == GEO_POINT || s == GEO_POLYGON ? -1 : s;
}

bool gml_is_shape(const xmlNode *n)
{
	return shape_of(n) >= 0;
}

/* srsName: "urn:ogc:def:crs:EPSG:" [version] ":" code. */
static int read_crs(enum geo_crs *crsp, const xmlNode *n)
{
	static const char prefix[] = "urn:ogc:def:crs:EPSG:";
	char srs[128];
	const char *code;
	int err;

	err = xmlutil_attr(srs, sizeof(srs), n, "srsName");
	if (err)
		return bad(err);
	if (strncmp(srs, prefix, sizeof(prefix) - 1))
		return EBADMSG;

	code = strrchr(srs, ':') + 1;
	if (code - srs < (ptrdiff_t)sizeof(prefix))
		return EBADMSG;

	if (0 == strcmp(code, "4326"))
		*crsp = GEO_CRS_2D;
	else if (0 == strcmp(code, "4979"))
		*crsp = GEO_CRS_3D;
	else
		return EBADMSG;

	return 0;
}

/* Whitespace-separated numbers (normalised text); EBADMSG if more than
 * max or junk. */
static int read_numbers(double *v, size_t max, size_t *np, const char *text)
{
	const char *s = text;
	size_t n = 0;

	while (*s) {
		if (n == max || gml_num_parse(&v[n], &s))
			return EBADMSG;
		n++;
		if (*s == ' ')
			s++;
		else if (*s)
			return EBADMSG;
	}

	*np = n;
	return 0;
}

static int read_pos(struct geo_pos *p, const xmlNode *n, bool three_d)
{
	char text[256];
	double v[3];
	size_t cnt;
	int err;

	if (!n)
		return EBADMSG;
	err = xmlutil_text(text, sizeof(text), n);
	if (err)
		return bad(err);
	if (read_numbers(v, 3, &cnt, text) || cnt != (three_d ? 3u : 2u))
		return EBADMSG;

	p->lat = v[0];
	p->lon = v[1];
	p->alt = three_d ? v[2] : 0.0;
	return 0;
}

/* A length in metres; no uom is taken as metres. */
static int read_length(double *vp, const xmlNode *parent, const char *name)
{
	const xmlNode *n = xmlutil_child(parent, PIDF_NS_GS, name);
	char text[GML_NUM_LEN * 2], uom[64];
	const char *s = text;
	int err;

	if (!n)
		return EBADMSG;
	err = xmlutil_text(text, sizeof(text), n);
	if (err)
		return bad(err);

	err = xmlutil_attr(uom, sizeof(uom), n, "uom");
	if (err == ENOMEM)
		return ENOMEM;
	if (err != ENOENT && (err || strcmp(uom, UOM_METRE)))
		return EBADMSG;

	if (gml_num_parse(vp, &s) || *s)
		return EBADMSG;

	return 0;
}

/* An angle in degrees, or radians converted; no uom is taken as degrees. */
static int read_angle(double *vp, const xmlNode *parent, const char *name)
{
	const xmlNode *n = xmlutil_child(parent, PIDF_NS_GS, name);
	char text[GML_NUM_LEN * 2], uom[64];
	const char *s = text;
	bool radians = false;
	int err;

	if (!n)
		return EBADMSG;
	err = xmlutil_text(text, sizeof(text), n);
	if (err)
		return bad(err);

	err = xmlutil_attr(uom, sizeof(uom), n, "uom");
	if (err == ENOMEM)
		return ENOMEM;
	if (!err && 0 == strcmp(uom, UOM_RADIAN))
		radians = true;
	else if (err != ENOENT && (err || strcmp(uom, UOM_DEGREE)))
		return EBADMSG;

	if (gml_num_parse(vp, &s) || *s)
		return EBADMSG;

	if (radians)
		*vp *= 180.0 / M_PI;
	return 0;
}

static bool same_pos(const struct geo_pos *a, const struct geo_pos *b)
{
	return a->lat == b->lat && a->lon == b->lon && a->alt == b->alt;
}

/* The vertices of a gml:Polygon's exterior ring, from gml:pos elements or
 * one gml:posList; the closing repeat of the first vertex is dropped. */
static int read_ring(struct geo *g, const xmlNode *polygon)
{
	const bool three_d = g->crs == GEO_CRS_3D;
	const size_t dim = three_d ? 3 : 2;
	const xmlNode *ring, *n;
	struct geo_pos pts[GEO_POLYGON_MAX + 1];
	size_t cnt = 0, i;
	int err;

	ring = xmlutil_child(xmlutil_child(polygon, PIDF_NS_GML, "exterior"),
			     PIDF_NS_GML, "LinearRing");
	if (!ring)
		return EBADMSG;

	n = xmlutil_child(ring, PIDF_NS_GML, "posList");
	if (n) {
		char text[POSLIST_LEN];
		double v[(GEO_POLYGON_MAX + 1) * 3];
		size_t nv;

		err = xmlutil_text(text, sizeof(text), n);
		if (err)
			return bad(err);
		if (read_numbers(v, ARRAY_SIZE(v), &nv, text) || nv % dim)
			return EBADMSG;
		for (i = 0; i < nv / dim; i++) {
			pts[i].lat = v[i * dim];
			pts[i].lon = v[i * dim + 1];
			pts[i].alt = three_d ? v[i * dim + 2] : 0.0;
		}
		cnt = nv / dim;
	} else {
		for (n = xmlutil_child(ring, PIDF_NS_GML, "pos"); n;
		     n = xmlutil_next(n, PIDF_NS_GML, "pos")) {
			if (cnt == ARRAY_SIZE(pts))
				return EBADMSG;
			err = read_pos(&pts[cnt], n, three_d);
			if (err)
				return err;
			cnt++;
		}
	}

	if (cnt > 1 && same_pos(&pts[0], &pts[cnt - 1]))
		cnt--;
	if (cnt < 3 || cnt > GEO_POLYGON_MAX)
		return EBADMSG;

	memcpy(g->pointv, pts, cnt * sizeof(pts[0]));
	g->pointc = cnt;
	return 0;
}

static int read_body(struct geo *g, const xmlNode *n)
{
	const bool three_d = g->crs == GEO_CRS_3D;
	int err;

	switch (g->shape) {

	case GEO_POLYGON:
		return read_ring(g, n);

	case GEO_PRISM:
		err = read_ring(
			g, xmlutil_child(xmlutil_child(n, PIDF_NS_GS, "base"),
					 PIDF_NS_GML, "Polygon"));
		return err ? err : read_length(&g->height, n, "height");

	default:
		break;
	}

	err = read_pos(&g->pos, xmlutil_child(n, PIDF_NS_GML, "pos"), three_d);
	if (err)
		return err;

	switch (g->shape) {

	case GEO_CIRCLE:
	case GEO_SPHERE:
		return read_length(&g->radius, n, "radius");

	case GEO_ELLIPSOID:
		err = read_length(&g->vertical, n, "verticalAxis");
		if (err)
			return err;
		/* fall through */
	case GEO_ELLIPSE:
		err = read_length(&g->semi_major, n, "semiMajorAxis");
		if (!err)
			err = read_length(&g->semi_minor, n, "semiMinorAxis");
		if (!err)
			err = read_angle(&g->orientation, n, "orientation");
		return err;

	case GEO_ARCBAND:
		err = read_length(&g->inner_radius, n, "innerRadius");
		if (!err)
			err = read_length(&g->outer_radius, n, "outerRadius");
		if (!err)
			err = read_angle(&g->start_angle, n, "startAngle");
		if (!err)
			err = read_angle(&g->opening_angle, n, "openingAngle");
		return err;

	default:
		return 0;
	}
}

int gml_read(struct geo *g, const xmlNode *n, const char **errmsg)
{
	struct geo tmp;
	int shape, err;

	if (!g || !n)
		return EINVAL;

	shape = shape_of(n);
	if (shape < 0)
		return fail(errmsg, "unknown GML shape");

	memset(&tmp, 0, sizeof(tmp));
	tmp.shape = shape;

	err = read_crs(&tmp.crs, n);
	if (err)
		return fail_err(errmsg, err,
				"shape without a supported srsName");

	err = read_body(&tmp, n);
	if (err)
		return fail_err(errmsg, err, "malformed GML shape");

	tmp.confidence = g->confidence;
	tmp.pdf = g->pdf;
	if (geo_validate(&tmp))
		return fail(errmsg, "GML shape out of range");

	*g = tmp;
	return 0;
}

int gml_read_confidence(struct geo *g, const xmlNode *n, const char **errmsg)
{
	char text[16], pdf[32];
	const char *s = text;
	double v;
	int err, p = GEO_PDF_UNKNOWN;

	if (!g || !n)
		return EINVAL;

	err = xmlutil_text(text, sizeof(text), n);
	if (err || gml_num_parse(&v, &s) || *s || v < 1.0 || v > 99.0 ||
	    v != floor(v))
		return fail_err(errmsg, err, "bad con:confidence");

	/* RFC 7459: pdf defaults to "unknown" */
	err = xmlutil_attr(pdf, sizeof(pdf), n, "pdf");
	if (err == ENOMEM)
		return fail_err(errmsg, err, "");
	if (!err)
		p = geo_pdf_by_name(pdf);
	if ((err && err != ENOENT) || p < 0)
		return fail(errmsg, "bad con:confidence pdf");

	g->confidence = (unsigned)v;
	g->pdf = (enum geo_pdf)p;
	return 0;
}
