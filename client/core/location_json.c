/* location_json: the location record as JSON (control protocol, state). */

#include <re.h>
#include <math.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "rfc3339.h"

static const uint64_t pow10_u64[] = {
	1ull,
	10ull,
	100ull,
	1000ull,
	10000ull,
	100000ull,
	1000000ull,
	10000000ull,
	100000000ull,
	1000000000ull,
	10000000000ull,
	100000000000ull,
	1000000000000ull,
	10000000000000ull,
	100000000000000ull,
	1000000000000000ull,
	10000000000000000ull,
	100000000000000000ull,
};

#define NUM_SIG_DIGITS	 15
#define NUM_MAX_DECIMALS 17

int location_num_format(char *buf, size_t size, double v)
{
	const double a = fabs(v);
	char frac[NUM_MAX_DECIMALS + 1];
	uint64_t mag, ip, fp;
	int e = 0, d, i;

	if (!buf || !isfinite(v) || a > 1e15)
		return EINVAL;

	/* e: the decimal exponent of the leading digit */
	if (a >= 1.0) {
		while (e < 15 && a >= (double)pow10_u64[e + 1])
			e++;
	} else if (a > 0.0) {
		while (e > -NUM_MAX_DECIMALS && a * (double)pow10_u64[-e] < 1.0)
			e--;
	}

	d = NUM_SIG_DIGITS - 1 - e;
	if (d < 0)
		d = 0;
	if (d > NUM_MAX_DECIMALS)
		d = NUM_MAX_DECIMALS;

	/* a decimal of <= 15 digits, as its nearest double, scaled: the
	 * product is within 0.25 of the integer, so rounding finds it */
	mag = (uint64_t)llround(a * (double)pow10_u64[d]);
	ip = mag / pow10_u64[d];
	fp = mag % pow10_u64[d];

	for (i = d - 1; i >= 0; i--) {
		frac[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	frac[d] = '\0';
	for (i = d - 1; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';

	if (re_snprintf(buf, size, "%s%llu%s%s", v < 0 && mag ? "-" : "",
			(unsigned long long)ip, frac[0] ? "." : "", frac) < 0)
		return EINVAL;

	return 0;
}

int location_json_number_add(struct odict *od, const char *key, double v)
{
	return odict_entry_add(od, key, ODICT_DOUBLE, v);
}


static int add_string_or_null(struct odict *od, const char *key, const char *s)
{
	if (!s)
		return odict_entry_add(od, key, ODICT_NULL);

	return odict_entry_add(od, key, ODICT_STRING, s);
}

static int add_time(struct odict *od, const char *key, time_t t)
{
	char buf[RFC3339_LEN];
	int err;

	if (!t)
		return odict_entry_add(od, key, ODICT_NULL);

	err = rfc3339_format(buf, sizeof(buf), t);
	if (err)
		return err;

	return odict_entry_add(od, key, ODICT_STRING, buf);
}

/* Add a new container under key; it stays owned by od. */
static int add_container(struct odict **childp, struct odict *od,
			 const char *key, enum odict_type type)
{
	struct odict *child = NULL;
	int err;

	err = odict_alloc(&child, 8);
	if (err)
		return err;

	err = odict_entry_add(od, key, type, child);
	if (!err)
		*childp = child;

	/* odict_entry_add() took its own reference */
	mem_deref(child);
	return err;
}

static int encode_civic(struct odict *od, const struct civic *c)
{
	struct odict *obj;
	int f, err;

	if (civic_is_empty(c))
		return odict_entry_add(od, "civic", ODICT_NULL);

	err = add_container(&obj, od, "civic", ODICT_OBJECT);
	for (f = 0; f < CIVIC_FIELD_COUNT && !err; f++) {
		const char *v = civic_get(c, f);

		if (v)
			err = odict_entry_add(obj, civic_field_name(f),
					      ODICT_STRING, v);
	}

	return err;
}

static int encode_pos(struct odict *od, const struct geo_pos *p, bool three_d)
{
	int err;

	err = location_json_number_add(od, "lat", p->lat);
	if (!err)
		err = location_json_number_add(od, "lon", p->lon);
	if (!err && three_d)
		err = location_json_number_add(od, "alt", p->alt);

	return err;
}

static int encode_points(struct odict *od, const struct geo *g, bool three_d)
{
	struct odict *arr, *pt;
	size_t i;
	int err;

	err = add_container(&arr, od, "points", ODICT_ARRAY);
	for (i = 0; i < g->pointc && !err; i++) {
		char key[16];

		re_snprintf(key, sizeof(key), "%zu", i);
		err = add_container(&pt, arr, key, ODICT_ARRAY);
		if (!err)
			err = location_json_number_add(pt, "0",
						       g->pointv[i].lat);
		if (!err)
			err = location_json_number_add(pt, "1",
						       g->pointv[i].lon);
		if (!err && three_d)
			err = location_json_number_add(pt, "2",
						       g->pointv[i].alt);
	}

	return err;
}

/* The members each shape uses, in the order they are written. */
static int encode_shape_values(struct odict *obj, const struct geo *g)
{
	const bool three_d = g->crs == GEO_CRS_3D;
	int err = 0;

	switch (g->shape) {

	case GEO_POLYGON:
		return encode_points(obj, g, three_d);

	case GEO_PRISM:
		err = encode_points(obj, g, three_d);
		return err ? err
			   : location_json_number_add(obj, "height", g->height);

	default:
		break;
	}

	err = encode_pos(obj, &g->pos, three_d);
	if (err)
		return err;

	switch (g->shape) {

	case GEO_CIRCLE:
	case GEO_SPHERE:
		return location_json_number_add(obj, "radius", g->radius);

	case GEO_ELLIPSE:
	case GEO_ELLIPSOID:
		err = location_json_number_add(obj, "semi_major",
					       g->semi_major);
		if (!err)
			err = location_json_number_add(obj, "semi_minor",
						       g->semi_minor);
		if (!err && g->shape == GEO_ELLIPSOID)
			err = location_json_number_add(obj, "vertical",
						       g->vertical);
		if (!err)
			err = location_json_number_add(obj, "orientation",
						       g->orientation);
		return err;

	case GEO_ARCBAND:
		err = location_json_number_add(obj, "inner_radius",
					       g->inner_radius);
		if (!err)
			err = location_json_number_add(obj, "outer_radius",
						       g->outer_radius);
		if (!err)
			err = location_json_number_add(obj, "start_angle",
						       g->start_angle);
		if (!err)
			err = location_json_number_add(obj, "opening_angle",
						       g->opening_angle);
		return err;

	default:
		return 0;
	}
}

static int encode_geo(struct odict *od, const struct geo *g)
{
	struct odict *obj;
	int err;

	if (g->shape == GEO_NONE)
		return odict_entry_add(od, "geo", ODICT_NULL);

	err = geo_validate(g);
	if (err)
		return err;

	err = add_container(&obj, od, "geo", ODICT_OBJECT);
	if (!err)
		err = odict_entry_add(obj, "shape", ODICT_STRING,
				      geo_shape_name(g->shape));
	if (!err)
		err = odict_entry_add(obj, "crs", ODICT_INT, (int64_t)g->crs);
	if (!err)
		err = encode_shape_values(obj, g);
	if (!err && g->confidence) {
		err = odict_entry_add(obj, "confidence", ODICT_INT,
				      (int64_t)g->confidence);
		if (!err)
			err = odict_entry_add(obj, "pdf", ODICT_STRING,
					      geo_pdf_name(g->pdf));
	}

	return err;
}

static int encode_uris(struct odict *od, const struct location *loc)
{
	struct odict *arr, *obj;
	size_t i;
	int err;

	err = add_container(&arr, od, "uris", ODICT_ARRAY);
	for (i = 0; i < loc->uric && i < LOCATION_URI_MAX && !err; i++) {
		char key[16];

		re_snprintf(key, sizeof(key), "%zu", i);
		err = add_container(&obj, arr, key, ODICT_OBJECT);
		if (!err)
			err = odict_entry_add(obj, "uri", ODICT_STRING,
					      loc->uriv[i].uri);
		if (!err)
			err = add_time(obj, "expires", loc->uriv[i].expires);
	}

	return err;
}

int location_json_encode(struct odict *od, const struct location *loc)
{
	const char *source;
	int err;

	if (!od || !loc)
		return EINVAL;

	source = location_source_name(loc->source);
	if (!source)
		return EINVAL;

	err = odict_entry_add(od, "source", ODICT_STRING, source);
	if (err)
		return err;
	err = encode_civic(od, &loc->civic);
	if (err)
		return err;
	err = encode_geo(od, &loc->geo);
	if (err)
		return err;
	err = add_string_or_null(od, "method", loc->method);
	if (err)
		return err;
	err = add_string_or_null(od, "provided_by", loc->provided_by);
	if (err)
		return err;
	err = add_string_or_null(od, "provided_by_xml", loc->provided_by_xml);
	if (err)
		return err;
	err = add_time(od, "obtained_at", loc->obtained_at);
	if (err)
		return err;
	err = add_time(od, "expires", loc->expires);
	if (err)
		return err;
	err = odict_entry_add(od, "validated", ODICT_BOOL, loc->validated);
	if (err)
		return err;
	err = encode_uris(od, loc);
	if (err)
		return err;

	return add_string_or_null(od, "elin", loc->elin);
}

/* Decoding.  Each reader returns 0 or EINVAL/ENOMEM; absent and null
 * entries leave the record's default. */

static bool is_absent(const struct odict_entry *e)
{
	return !e || e->type == ODICT_NULL;
}

static int read_number(double *vp, const struct odict *od, const char *key)
{
	const struct odict_entry *e = odict_lookup(od, key);

	if (!e)
		return EINVAL;
	if (e->type == ODICT_DOUBLE)
		*vp = e->u.dbl;
	else if (e->type == ODICT_INT)
		*vp = (double)e->u.integer;
	else
		return EINVAL;

	return isfinite(*vp) ? 0 : EINVAL;
}

static int read_time(time_t *tp, const struct odict *od, const char *key)
{
	const struct odict_entry *e = odict_lookup(od, key);

	if (is_absent(e)) {
		*tp = 0;
		return 0;
	}
	if (e->type != ODICT_STRING)
		return EINVAL;

	return rfc3339_parse(tp, e->u.str, strlen(e->u.str));
}

/* An optional string, checked by its setter. */
static int read_string(struct location *loc, const struct odict *od,
		       const char *key,
		       int (*set)(struct location *, const char *))
{
	const struct odict_entry *e = odict_lookup(od, key);

	if (is_absent(e))
		return 0;
	if (e->type != ODICT_STRING)
		return EINVAL;

	return set(loc, e->u.str);
}

static int decode_civic(struct civic *c, const struct odict *od)
{
	const struct odict_entry *e = odict_lookup(od, "civic");
	struct le *le;
	int err = 0;

	if (is_absent(e))
		return 0;
	if (e->type != ODICT_OBJECT)
		return EINVAL;

	LIST_FOREACH(&e->u.odict->lst, le)
	{
		const struct odict_entry *f = le->data;
		int field = civic_field_by_name(f->key);

		if (field < 0)
			continue;
		if (f->type != ODICT_STRING)
			return EINVAL;
		err = civic_set_str(c, field, f->u.str);
		if (err)
			return err;
	}

	return 0;
}

static int decode_points(struct geo *g, const struct odict *obj)
{
	const struct odict_entry *e = odict_lookup(obj, "points");
	const size_t dim = g->crs == GEO_CRS_3D ? 3 : 2;
	struct le *le;

	if (!e || e->type != ODICT_ARRAY)
		return EINVAL;

	g->pointc = 0;
	LIST_FOREACH(&e->u.odict->lst, le)
	{
		const struct odict_entry *pt = le->data;
		struct geo_pos *p;
		int err;

		if (g->pointc >= GEO_POLYGON_MAX || pt->type != ODICT_ARRAY ||
		    odict_count(pt->u.odict, false) != dim)
			return EINVAL;

		p = &g->pointv[g->pointc++];
		err = read_number(&p->lat, pt->u.odict, "0");
		if (!err)
			err = read_number(&p->lon, pt->u.odict, "1");
		if (!err && dim == 3)
			err = read_number(&p->alt, pt->u.odict, "2");
		if (err)
			return err;
	}

	return 0;
}

#define SHAPE_BIT(s) (1u << (s))

static int decode_shape_values(struct geo *g, const struct odict *obj)
{
	const unsigned ellipses =
		SHAPE_BIT(GEO_ELLIPSE) | SHAPE_BIT(GEO_ELLIPSOID);
	const struct {
		const char *key;
		double *dst;
		unsigned shapes; /* the shapes that need this member */
	} nums[] = {
		{"radius", &g->radius,
		 SHAPE_BIT(GEO_CIRCLE) | SHAPE_BIT(GEO_SPHERE)},
		{"semi_major", &g->semi_major, ellipses},
		{"semi_minor", &g->semi_minor, ellipses},
		{"vertical", &g->vertical, SHAPE_BIT(GEO_ELLIPSOID)},
		{"orientation", &g->orientation, ellipses},
		{"inner_radius", &g->inner_radius, SHAPE_BIT(GEO_ARCBAND)},
		{"outer_radius", &g->outer_radius, SHAPE_BIT(GEO_ARCBAND)},
		{"start_angle", &g->start_angle, SHAPE_BIT(GEO_ARCBAND)},
		{"opening_angle", &g->opening_angle, SHAPE_BIT(GEO_ARCBAND)},
		{"height", &g->height, SHAPE_BIT(GEO_PRISM)},
	};
	size_t i;
	int err;

	if (g->shape == GEO_POLYGON || g->shape == GEO_PRISM) {
		err = decode_points(g, obj);
	} else {
		err = read_number(&g->pos.lat, obj, "lat");
		if (!err)
			err = read_number(&g->pos.lon, obj, "lon");
		if (!err && g->crs == GEO_CRS_3D)
			err = read_number(&g->pos.alt, obj, "alt");
	}

	for (i = 0; i < ARRAY_SIZE(nums) && !err; i++) {
		if (nums[i].shapes & SHAPE_BIT(g->shape))
			err = read_number(nums[i].dst, obj, nums[i].key);
	}

	return err;
}

static int decode_confidence(struct geo *g, const struct odict *obj)
{
	const struct odict_entry *e = odict_lookup(obj, "confidence");
	const char *name;
	int pdf = GEO_PDF_UNKNOWN;

	if (is_absent(e))
		return 0;
	if (e->type != ODICT_INT || e->u.integer < 1 || e->u.integer > 99)
		return EINVAL;

	name = odict_string(obj, "pdf");
	if (name)
		pdf = geo_pdf_by_name(name);
	if (pdf < 0)
		return EINVAL;

	g->confidence = (unsigned)e->u.integer;
	g->pdf = (enum geo_pdf)pdf;
	return 0;
}

static int decode_geo(struct geo *g, const struct odict *od)
{
	const struct odict_entry *e = odict_lookup(od, "geo");
	const struct odict_entry *crs;
	const struct odict *obj;
	int shape, err;

	if (is_absent(e))
		return 0;
	if (e->type != ODICT_OBJECT)
		return EINVAL;
	obj = e->u.odict;

	shape = geo_shape_by_name(odict_string(obj, "shape"));
	crs = odict_get_type(obj, ODICT_INT, "crs");
	if (shape < 0 || !crs ||
	    (crs->u.integer != GEO_CRS_2D && crs->u.integer != GEO_CRS_3D))
		return EINVAL;

	memset(g, 0, sizeof(*g));
	g->shape = shape;
	g->crs = (enum geo_crs)crs->u.integer;

	err = decode_shape_values(g, obj);
	if (!err)
		err = decode_confidence(g, obj);
	if (!err)
		err = geo_validate(g);

	return err;
}

static int decode_uris(struct location *loc, const struct odict *od)
{
	const struct odict_entry *e = odict_lookup(od, "uris");
	struct le *le;

	if (is_absent(e))
		return 0;
	if (e->type != ODICT_ARRAY)
		return EINVAL;

	LIST_FOREACH(&e->u.odict->lst, le)
	{
		const struct odict_entry *u = le->data;
		const char *uri;
		time_t expires;
		int err;

		if (u->type != ODICT_OBJECT)
			return EINVAL;
		uri = odict_string(u->u.odict, "uri");
		if (!uri)
			return EINVAL;
		err = read_time(&expires, u->u.odict, "expires");
		if (!err)
			err = location_add_uri(loc, uri, expires);
		if (err)
			return err;
	}

	return 0;
}

static int decode_fields(struct location *loc, const struct odict *od,
			 const char **what)
{
	const struct odict_entry *e;
	int s, err;

	*what = "source";
	s = location_source_by_name(odict_string(od, "source"));
	if (s < 0)
		return EINVAL;
	loc->source = s;

	*what = "civic";
	err = decode_civic(&loc->civic, od);
	if (err)
		return err;
	*what = "geo";
	err = decode_geo(&loc->geo, od);
	if (err)
		return err;
	*what = "method";
	err = read_string(loc, od, "method", location_set_method);
	if (err)
		return err;
	*what = "provided_by";
	err = read_string(loc, od, "provided_by", location_set_provided_by);
	if (err)
		return err;
	*what = "provided_by_xml";
	err = read_string(loc, od, "provided_by_xml",
			  location_set_provided_by_xml);
	if (err)
		return err;
	*what = "elin";
	err = read_string(loc, od, "elin", location_set_elin);
	if (err)
		return err;
	*what = "obtained_at";
	err = read_time(&loc->obtained_at, od, "obtained_at");
	if (err)
		return err;
	*what = "expires";
	err = read_time(&loc->expires, od, "expires");
	if (err)
		return err;

	*what = "validated";
	e = odict_lookup(od, "validated");
	if (!is_absent(e)) {
		if (e->type != ODICT_BOOL)
			return EINVAL;
		loc->validated = e->u.boolean;
	}

	*what = "uris";
	return decode_uris(loc, od);
}

int location_json_decode(struct location *loc, const struct odict *od,
			 const char **errmsg)
{
	static const struct {
		const char *key;
		const char *msg;
	} msgs[] = {
		{"source", "bad or missing \"source\""},
		{"civic", "bad \"civic\""},
		{"geo", "bad \"geo\""},
		{"method", "bad \"method\""},
		{"provided_by", "bad \"provided_by\""},
		{"provided_by_xml", "bad \"provided_by_xml\""},
		{"elin", "bad \"elin\""},
		{"obtained_at", "bad \"obtained_at\""},
		{"expires", "bad \"expires\""},
		{"validated", "bad \"validated\""},
		{"uris", "bad \"uris\""},
	};
	struct location tmp;
	const char *what = NULL;
	size_t i;
	int err;

	if (!loc || !od)
		return EINVAL;

	memset(&tmp, 0, sizeof(tmp));
	err = decode_fields(&tmp, od, &what);
	if (err) {
		for (i = 0; errmsg && i < ARRAY_SIZE(msgs); i++) {
			if (what && 0 == strcmp(what, msgs[i].key))
				*errmsg = msgs[i].msg;
		}
		location_reset(&tmp);
		return err == ENOMEM ? ENOMEM : EINVAL;
	}

	location_move(loc, &tmp);
	return 0;
}
