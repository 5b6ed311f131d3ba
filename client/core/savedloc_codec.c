/* savedloc_codec: the saved-locations file, JSON with a version field. */

#include <re.h>
#include <string.h>
#include "civic.h"
#include "json_syntax.h"
#include "savedloc.h"
#include "savedloc_priv.h"

/* Containers nested in a valid file: top, locations, location, civic. */
#define FILE_DEPTH 4u
/* Values in a valid file: per location a name, up to CIVIC_FIELD_COUNT
 * civic elements, two coordinates, SAVEDLOC_MAX_NETWORKS fingerprints and
 * four containers; a corrupt file cannot make the decoder build more. */
#define FILE_VALUES                                                            \
	(2u + 1u +                                                             \
	 SAVEDLOC_MAX_LOCATIONS *                                              \
		 (1u + CIVIC_FIELD_COUNT + 2u + SAVEDLOC_MAX_NETWORKS + 4u))

/* Print degrees kept to 1e-7 exactly, without libre's %f truncation and
 * whatever the process locale says a decimal point is. */
static int print_degrees(struct re_printf *pf, void *arg)
{
	const double v = *(const double *)arg;
	int64_t k = (int64_t)(v * 1e7 + (v < 0 ? -0.5 : 0.5));
	uint64_t a = k < 0 ? (uint64_t)0 - (uint64_t)k : (uint64_t)k;

	return re_hprintf(pf, "%s%llu.%07llu", k < 0 ? "-" : "",
			  (unsigned long long)(a / 10000000u),
			  (unsigned long long)(a % 10000000u));
}

static int encode_entry(struct mbuf *mb, const struct savedloc_entry *e)
{
	const char *sep = "";
	struct le *le;
	int f, err;

	err = mbuf_printf(mb, "{\"name\":\"%H\",\"civic\":{", utf8_encode,
			  e->name);

	for (f = 0; f < CIVIC_FIELD_COUNT && !err; f++) {
		if (!e->civic.v[f])
			continue;
		err = mbuf_printf(mb, "%s\"%s\":\"%H\"", sep,
				  civic_field_name(f), utf8_encode,
				  e->civic.v[f]);
		sep = ",";
	}
	if (err)
		return err;

	if (e->has_coord)
		err = mbuf_printf(mb, "},\"coord\":{\"lat\":%H,\"lon\":%H",
				  print_degrees, &e->coord.lat, print_degrees,
				  &e->coord.lon);
	if (!err)
		err = mbuf_printf(mb, "},\"networks\":[");

	sep = "";
	for (le = e->networks.head; le && !err; le = le->next) {
		const struct savedloc_network *n = le->data;

		err = mbuf_printf(mb, "%s\"%s\"", sep, n->fp);
		sep = ",";
	}

	if (!err)
		err = mbuf_printf(mb, "]}");

	return err;
}

int savedloc_encode(struct mbuf *mb, const struct savedloc *s)
{
	const struct list *entries = savedloc_list(s);
	size_t start, end0;
	struct le *le;
	int err;

	if (!mb || !s)
		return EINVAL;

	start = mb->pos;
	end0 = mb->end;
	err = mbuf_printf(mb, "{\"version\":%d,\n\"locations\":[",
			  SAVEDLOC_VERSION);

	for (le = entries->head; le && !err; le = le->next) {
		err = mbuf_printf(mb, "\n");
		if (!err)
			err = encode_entry(mb, le->data);
		if (!err && le->next)
			err = mbuf_printf(mb, ",");
		if (!err && mb->pos - start > SAVEDLOC_MAX_SIZE)
			err = EFBIG;
	}

	if (!err)
		err = mbuf_printf(mb, "\n]}\n");
	/* no half document: a failure (EFBIG, ENOMEM) appends nothing */
	if (err) {
		mb->pos = start;
		mb->end = end0;
	}

	return err;
}

static int bad(struct savedloc_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		re_vsnprintf(e->why, sizeof(e->why), fmt, ap);
		va_end(ap);
	}

	return EBADMSG;
}

/* Every key of o is one of names[] (at most 32), and only once. */
static int keys_check(const struct odict *o, const char *const *names, size_t n,
		      const char *where, struct savedloc_error *e)
{
	uint32_t seen = 0;
	struct le *le;
	size_t i;

	LIST_FOREACH(&o->lst, le)
	{
		const struct odict_entry *oe = le->data;

		for (i = 0; i < n; i++) {
			if (!strcmp(oe->key, names[i]))
				break;
		}
		if (i == n)
			return bad(e, "%s: unknown key \"%s\"", where, oe->key);
		if (seen & (1u << i))
			return bad(e, "%s: key \"%s\" appears twice", where,
				   oe->key);
		seen |= 1u << i;
	}

	return 0;
}

static const char *type_words(enum odict_type type)
{
	switch (type) {
	case ODICT_OBJECT:
		return "an object";
	case ODICT_ARRAY:
		return "an array";
	default:
		return "a string";
	}
}

/* The entry of that key, checked for type; NULL (with e->why) if absent
 * or of another type. */
static const struct odict_entry *member(const struct odict *o, const char *key,
					enum odict_type type, const char *where,
					struct savedloc_error *e)
{
	const struct odict_entry *oe = odict_lookup(o, key);

	if (!oe)
		bad(e, "%s: \"%s\" is missing", where, key);
	else if (oe->type != type)
		bad(e, "%s.%s: not %s", where, key, type_words(type));
	else
		return oe;

	return NULL;
}

static int decode_civic(struct civic *c, const struct odict *o,
			const char *where, struct savedloc_error *e)
{
	struct le *le;

	LIST_FOREACH(&o->lst, le)
	{
		const struct odict_entry *oe = le->data;
		int f = civic_field_by_name(oe->key);

		if (f < 0)
			return bad(e, "%s.civic: unknown element \"%s\"", where,
				   oe->key);
		if (c->v[f])
			return bad(e, "%s.civic: element %s appears twice",
				   where, oe->key);
		if (oe->type != ODICT_STRING || !oe->u.str[0])
			return bad(e, "%s.civic.%s: not a non-empty string",
				   where, oe->key);

		switch (civic_set_str(c, f, oe->u.str)) {
		case 0:
			break;
		case ENOMEM:
			return ENOMEM;
		default:
			return bad(e,
				   "%s.civic.%s: too long or holds control "
				   "characters",
				   where, oe->key);
		}
	}

	if (civic_is_empty(c))
		return bad(e, "%s.civic: no element", where);

	return 0;
}

static bool number_get(double *v, const struct odict *o, const char *key)
{
	const struct odict_entry *oe = odict_lookup(o, key);

	if (oe && oe->type == ODICT_INT)
		*v = (double)oe->u.integer;
	else if (oe && oe->type == ODICT_DOUBLE)
		*v = oe->u.dbl;
	else
		return false;

	return true;
}

static int decode_coord(struct savedloc_coord *coord, const struct odict *o,
			const char *where, struct savedloc_error *e)
{
	static const char *const keys[] = {"lat", "lon"};
	int err;

	err = keys_check(o, keys, ARRAY_SIZE(keys), where, e);
	if (err)
		return err;

	if (!number_get(&coord->lat, o, "lat") ||
	    !number_get(&coord->lon, o, "lon"))
		return bad(e, "%s.coord: lat and lon must both be numbers",
			   where);
	if (!savedloc_coord_valid(coord))
		return bad(e,
			   "%s.coord: out of range (lat -90..90, lon "
			   "-180..180)",
			   where);

	return 0;
}

/* Fingerprints of one location: valid, each once in the whole file. */
static int decode_networks(const char **fpv, size_t *fpc, const struct odict *o,
			   const struct savedloc *s, const char *where,
			   struct savedloc_error *e)
{
	struct le *le;
	size_t n = 0, i;

	if (odict_count(o, false) > SAVEDLOC_MAX_NETWORKS)
		return bad(e, "%s.networks: more than %u", where,
			   SAVEDLOC_MAX_NETWORKS);

	LIST_FOREACH(&o->lst, le)
	{
		const struct odict_entry *oe = le->data;
		const struct savedloc_entry *other;

		if (oe->type != ODICT_STRING ||
		    !savedloc_fingerprint_valid(oe->u.str))
			return bad(e,
				   "%s.networks[%zu]: not a fingerprint "
				   "(lower-case hex)",
				   where, n);

		other = savedloc_lookup(s, oe->u.str);
		if (other)
			return bad(e,
				   "%s.networks[%zu]: also listed for "
				   "\"%s\"",
				   where, n, other->name);
		for (i = 0; i < n; i++) {
			if (!strcmp(fpv[i], oe->u.str))
				return bad(e, "%s.networks[%zu]: listed twice",
					   where, n);
		}

		fpv[n++] = oe->u.str;
	}

	*fpc = n;
	return 0;
}

static int decode_location(struct savedloc *s, const struct odict_entry *oe,
			   size_t idx, struct savedloc_error *e)
{
	static const char *const keys[] = {"name", "civic", "coord",
					   "networks"};
	const char *fpv[SAVEDLOC_MAX_NETWORKS];
	const struct odict_entry *name, *civ, *coord, *nets;
	struct savedloc_coord c;
	struct civic civic;
	char where[32];
	size_t fpc = 0;
	int err;

	memset(&civic, 0, sizeof(civic));
	re_snprintf(where, sizeof(where), "locations[%zu]", idx);

	if (oe->type != ODICT_OBJECT)
		return bad(e, "%s: not an object", where);

	err = keys_check(oe->u.odict, keys, ARRAY_SIZE(keys), where, e);
	if (err)
		return err;

	name = member(oe->u.odict, "name", ODICT_STRING, where, e);
	if (!name)
		return EBADMSG;
	civ = member(oe->u.odict, "civic", ODICT_OBJECT, where, e);
	if (!civ)
		return EBADMSG;
	nets = member(oe->u.odict, "networks", ODICT_ARRAY, where, e);
	if (!nets)
		return EBADMSG;

	if (!savedloc_name_valid(name->u.str))
		return bad(e,
			   "%s.name: empty, longer than %u bytes or holds "
			   "control characters",
			   where, SAVEDLOC_NAME_MAX);
	if (savedloc_find(s, name->u.str))
		return bad(e, "%s.name: \"%s\" is used twice", where,
			   name->u.str);

	coord = odict_lookup(oe->u.odict, "coord");
	if (coord && coord->type != ODICT_OBJECT)
		return bad(e, "%s.coord: not an object", where);
	if (coord)
		err = decode_coord(&c, coord->u.odict, where, e);
	if (!err)
		err = decode_networks(fpv, &fpc, nets->u.odict, s, where, e);
	if (!err)
		err = decode_civic(&civic, civ->u.odict, where, e);
	if (!err)
		err = savedloc_put(s, name->u.str, &civic, coord ? &c : NULL,
				   fpv, fpc);

	civic_reset(&civic);
	return err;
}

/* "version" first, so that a newer file is told apart from a bad one. */
static int version_check(const struct odict *top, struct savedloc_error *e)
{
	const struct odict_entry *v = odict_lookup(top, "version");

	if (!v)
		return bad(e, "\"version\" is missing");
	if (v->type != ODICT_INT || v->u.integer < 1)
		return bad(e, "\"version\" is not a positive integer");

	if (v->u.integer > SAVEDLOC_VERSION) {
		if (e)
			re_snprintf(e->why, sizeof(e->why),
				    "version %lld is newer than this program "
				    "reads (%d)",
				    (long long)v->u.integer, SAVEDLOC_VERSION);
		return ENOTSUP;
	}

	return 0;
}

static int decode_top(struct savedloc *s, const struct odict *top,
		      struct savedloc_error *e)
{
	static const char *const keys[] = {"version", "locations"};
	const struct odict_entry *locs;
	struct le *le;
	size_t idx = 0;
	int err;

	err = version_check(top, e);
	if (err)
		return err;
	err = keys_check(top, keys, ARRAY_SIZE(keys), "file", e);
	if (err)
		return err;

	locs = member(top, "locations", ODICT_ARRAY, "file", e);
	if (!locs)
		return EBADMSG;
	if (odict_count(locs->u.odict, false) > SAVEDLOC_MAX_LOCATIONS)
		return bad(e, "locations: more than %u",
			   SAVEDLOC_MAX_LOCATIONS);

	LIST_FOREACH(&locs->u.odict->lst, le)
	{
		err = decode_location(s, le->data, idx++, e);
		if (err)
			return err;
	}

	return 0;
}

int savedloc_decode(struct savedloc **sp, const char *buf, size_t len,
		    struct savedloc_error *e)
{
	struct savedloc *s = NULL;
	struct odict *top = NULL;
	struct json_syntax js = {.maxdepth = FILE_DEPTH,
				 .maxvalues = FILE_VALUES};
	int err;

	if (!sp || (!buf && len))
		return EINVAL;
	if (e)
		e->why[0] = '\0';

	if (len > SAVEDLOC_MAX_SIZE) {
		if (e)
			re_snprintf(e->why, sizeof(e->why),
				    "%zu bytes; at most %u are accepted", len,
				    SAVEDLOC_MAX_SIZE);
		return EFBIG;
	}

	err = json_syntax_check(buf, len, &js);
	if (err)
		return bad(e, "byte %zu: %s", js.off, js.why);

	/* libre counts nesting below the top-level container */
	err = json_decode_odict(&top, 8, buf, len, FILE_DEPTH - 1);
	if (err == ENOMEM)
		goto out;
	if (err) {
		err = bad(e, "JSON the decoder refused (%m)", err);
		goto out;
	}

	err = savedloc_alloc(&s);
	if (err)
		goto out;

	err = decode_top(s, top, e);

out:
	mem_deref(top);
	if (err)
		mem_deref(s);
	else
		*sp = s;
	/* every error says what, running out of memory too */
	if (err == ENOMEM && e && !e->why[0])
		str_ncpy(e->why, "out of memory", sizeof(e->why));

	return err;
}
