/* pidf_parse: the location out of a PIDF-LO document. */

#include <re.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "pidf_int.h"
#include "rfc3339.h"
#include "xmlutil.h"
#include "gml.h"

/* RFC 4119's civic namespace, which RFC 5139 replaced; same names. */
#define PIDF_NS_CA_4119 "urn:ietf:params:xml:ns:pidf:geopriv10:civicLoc"

enum holder {
	HOLDER_DEVICE,
	HOLDER_TUPLE,
	HOLDER_PERSON,
};

enum {
	CARRIES_CIVIC = 1,
	CARRIES_GEO = 2,
};

static int fail(const char **errmsg, int err, const char *msg)
{
	if (errmsg)
		*errmsg = msg;
	return err;
}

static bool is_holder(const xmlNode *n, enum holder h)
{
	switch (h) {

	case HOLDER_DEVICE:
		return xmlutil_is(n, PIDF_NS_DM, "device");

	case HOLDER_TUPLE:
		return xmlutil_is(n, PIDF_NS_PIDF, "tuple");

	case HOLDER_PERSON:
		return xmlutil_is(n, PIDF_NS_DM, "person");
	}

	return false;
}

/* RFC 4119 puts geopriv in a tuple's status; RFC 5491 directly in
 * dm:device and dm:person. */
static const xmlNode *geopriv_of(const xmlNode *el, enum holder h)
{
	const xmlNode *parent = el;

	if (h == HOLDER_TUPLE)
		parent = xmlutil_child(el, PIDF_NS_PIDF, "status");

	return xmlutil_child(parent, PIDF_NS_GP, "geopriv");
}

static const xmlNode *find_civic(const xmlNode *li)
{
	const xmlNode *n = xmlutil_child(li, PIDF_NS_CA, "civicAddress");

	return n ? n : xmlutil_child(li, PIDF_NS_CA_4119, "civicAddress");
}

/* The first shape in location-info, or inside RFC 4119's gml:location
 * wrapper. */
static const xmlNode *find_shape(const xmlNode *li)
{
	const xmlNode *n, *wrap;

	for (n = li->children; n; n = n->next) {
		if (gml_is_shape(n))
			return n;
	}

	wrap = xmlutil_child(li, PIDF_NS_GML, "location");
	for (n = wrap ? wrap->children : NULL; n; n = n->next) {
		if (gml_is_shape(n))
			return n;
	}

	return NULL;
}

/* What element el's location-info carries (CARRIES_* bits). */
static unsigned carried(const xmlNode **lip, const xmlNode *el, enum holder h)
{
	const xmlNode *li;
	unsigned c = 0;

	li = xmlutil_child(geopriv_of(el, h), PIDF_NS_GP, "location-info");
	if (!li)
		return 0;

	if (find_civic(li))
		c |= CARRIES_CIVIC;
	if (find_shape(li))
		c |= CARRIES_GEO;

	*lip = li;
	return c;
}

/* RFC 5139 elements by name; extensions and repeats are skipped. */
static int read_civic(struct civic *c, const xmlNode *ca, const char **errmsg)
{
	const char *ns = (const char *)ca->ns->href;
	const xmlNode *n;
	int err;

	for (n = xmlutil_child(ca, ns, NULL); n;
	     n = xmlutil_next(n, ns, NULL)) {
		char buf[CIVIC_VALUE_MAX + 1];
		int f = civic_field_by_name((const char *)n->name);

		if (f < 0 || civic_get(c, f))
			continue;

		err = xmlutil_text(buf, sizeof(buf), n);
		if (err == EOVERFLOW)
			return fail(errmsg, EBADMSG, "civic value too long");
		if (err)
			return fail(errmsg, err, "out of memory");

		/* a country that is not two letters is left out (the rest
		 * of the address is still worth sending); "us" is "US" */
		if (f == CIVIC_COUNTRY) {
			char cc[3];

			if (!civic_country_wire(cc, buf))
				continue;
			err = civic_set_str(c, f, cc);
		} else {
			err = civic_set_str(c, f, buf);
		}
		if (err)
			return fail(errmsg, err == ENOMEM ? ENOMEM : EBADMSG,
				    "bad civic value");
	}

	return 0;
}

static int read_location_info(struct location *loc, const xmlNode *li,
			      unsigned want, const char **errmsg)
{
	const xmlNode *ca, *shape, *con;
	struct geo g;
	int err;

	ca = find_civic(li);
	if ((want & CARRIES_CIVIC) && ca) {
		err = read_civic(&loc->civic, ca, errmsg);
		if (err)
			return err;
	}

	shape = find_shape(li);
	if (!(want & CARRIES_GEO) || !shape)
		return 0;

	memset(&g, 0, sizeof(g));
	con = xmlutil_child(li, PIDF_NS_CON, "confidence");
	if (con) {
		err = gml_read_confidence(&g, con, errmsg);
		if (err)
			return err;
	}

	err = gml_read(&g, shape, errmsg);
	if (err)
		return err;

	loc->geo = g;
	return 0;
}

/* 0, EBADMSG, or ENOMEM */
static int read_time(time_t *tp, const xmlNode *n)
{
	char buf[64];
	int err;

	err = xmlutil_text(buf, sizeof(buf), n);
	if (err)
		return err == ENOMEM ? ENOMEM : EBADMSG;

	return rfc3339_parse(tp, buf, strlen(buf)) ? EBADMSG : 0;
}

/* RFC 4119 put the usage rules in the geopriv10 namespace; RFC 5491 and
 * later documents use basicPolicy.  Either is read. */
static int read_usage(struct location_usage *u, const xmlNode *gp,
		      const char **errmsg)
{
	const xmlNode *ur = xmlutil_child(gp, PIDF_NS_GP, "usage-rules");
	const xmlNode *n;
	int err;

	for (n = ur ? ur->children : NULL; n; n = n->next) {
		const char *name = (const char *)n->name;
		char buf[16];

		if (!xmlutil_in_ns(n, PIDF_NS_GBP) &&
		    !xmlutil_in_ns(n, PIDF_NS_GP))
			continue;

		if (0 == strcmp(name, "retransmission-allowed")) {
			/* the schema's xs:boolean, and the "yes"/"no" of
			 * RFC 4119's prose that LISes send */
			err = xmlutil_text(buf, sizeof(buf), n);
			if (err == ENOMEM)
				return fail(errmsg, ENOMEM, "out of memory");
			if (err)
				buf[0] = '\0';
			if (!strcmp(buf, "yes") || !strcmp(buf, "true") ||
			    !strcmp(buf, "1"))
				u->retransmission_allowed = true;
			else if (!strcmp(buf, "no") || !strcmp(buf, "false") ||
				 !strcmp(buf, "0"))
				u->retransmission_allowed = false;
			else
				return fail(errmsg, EBADMSG,
					    "bad retransmission-allowed");
		} else if (0 == strcmp(name, "retention-expiry")) {
			err = read_time(&u->retention_expiry, n);
			if (err)
				return fail(errmsg, err,
					    err == ENOMEM
						    ? "out of memory"
						    : "bad retention-expiry");
		}
	}

	return 0;
}

/*
 * The elements of gp:provided-by as received, to go back out in the
 * PIDF-LO we send (RFC 4119: elements from another namespace).  Whatever
 * could not go out valid (text only, elements in no namespace, too big,
 * an undeclared prefix) is dropped here: the text stays in provided_by.
 * Only ENOMEM is an error.
 */
static int read_provider_xml(struct location *loc, const xmlNode *pb)
{
	char *xml = NULL;
	int err;

	err = xmlutil_foreign_dump(&xml, pb, PIDF_NS_GP,
				   LOCATION_PROVIDER_XML_MAX);
	if (err)
		return err == ENOMEM ? ENOMEM : 0;

	err = location_set_provided_by_xml(loc, xml);
	mem_deref(xml);
	return err == ENOMEM ? ENOMEM : 0;
}

static int read_provenance(struct location *loc, const xmlNode *gp,
			   const char **errmsg)
{
	char buf[LOCATION_PROVIDER_LEN_MAX + 1];
	const xmlNode *n;
	int err;

	n = xmlutil_child(gp, PIDF_NS_GP, "method");
	if (n) {
		err = xmlutil_text(buf, sizeof(buf), n);
		if (!err)
			err = location_set_method(loc, buf);
		if (err)
			return fail(errmsg, err == ENOMEM ? ENOMEM : EBADMSG,
				    "bad gp:method");
	}

	/* who located it never costs the location: text too long is cut
	 * (at a character), anything unusable dropped */
	n = xmlutil_child(gp, PIDF_NS_GP, "provided-by");
	if (n) {
		err = xmlutil_text(buf, sizeof(buf), n);
		if (!err || err == EOVERFLOW)
			err = location_set_provided_by(loc, buf);
		if (err == ENOMEM)
			return fail(errmsg, ENOMEM, "out of memory");

		err = read_provider_xml(loc, n);
		if (err)
			return fail(errmsg, err, "out of memory");
	}

	return read_usage(&loc->usage, gp, errmsg);
}

/* dm:timestamp in device and person, pidf:timestamp in a tuple. */
static int read_timestamp(struct location *loc, const xmlNode *el,
			  enum holder h, const char **errmsg)
{
	const xmlNode *n;
	int err;

	n = xmlutil_child(el, h == HOLDER_TUPLE ? PIDF_NS_PIDF : PIDF_NS_DM,
			  "timestamp");
	err = n ? read_time(&loc->obtained_at, n) : 0;
	if (err)
		return fail(errmsg, err,
			    err == ENOMEM ? "out of memory" : "bad timestamp");

	return 0;
}

/* RFC 5491 (standards.md §5.3 rule 4): the first dm:device with a
 * location, else the first
 * tuple, else the first dm:person. */
static const xmlNode *find_primary(enum holder *hp, const xmlNode **lip,
				   const xmlNode *presence)
{
	static const enum holder order[] = {HOLDER_DEVICE, HOLDER_TUPLE,
					    HOLDER_PERSON};
	const xmlNode *n;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		for (n = presence->children; n; n = n->next) {
			if (is_holder(n, order[i]) &&
			    carried(lip, n, order[i])) {
				*hp = order[i];
				return n;
			}
		}
	}

	return NULL;
}

/* RFC 5491 rule 2: later elements of the same kind describe the same
 * place; take from them only what the primary lacks. */
static int fill_alternatives(struct location *loc, const xmlNode *primary,
			     enum holder h, const char **errmsg)
{
	const xmlNode *n, *li;
	unsigned missing = 0;
	int err;

	if (civic_is_empty(&loc->civic))
		missing |= CARRIES_CIVIC;
	if (loc->geo.shape == GEO_NONE)
		missing |= CARRIES_GEO;

	for (n = primary->next; n && missing; n = n->next) {
		unsigned c;

		if (!is_holder(n, h))
			continue;
		c = carried(&li, n, h) & missing;
		if (!c)
			continue;

		err = read_location_info(loc, li, c, errmsg);
		if (err)
			return err;
		missing &= ~c;
	}

	return 0;
}

int pidf_parse_presence(struct location *loc, const xmlNode *presence,
			const char **errmsg)
{
	const xmlNode *primary, *li = NULL;
	enum holder h = HOLDER_DEVICE;
	int err;

	if (!loc || !presence)
		return EINVAL;

	location_reset(loc);

	if (!xmlutil_is(presence, PIDF_NS_PIDF, "presence"))
		return fail(errmsg, EPROTO, "not a PIDF document");

	primary = find_primary(&h, &li, presence);
	if (!primary)
		return fail(errmsg, ENOENT, "no location in the PIDF-LO");

	err = read_location_info(loc, li, CARRIES_CIVIC | CARRIES_GEO, errmsg);
	if (!err)
		err = read_provenance(loc, geopriv_of(primary, h), errmsg);
	if (!err)
		err = read_timestamp(loc, primary, h, errmsg);
	if (!err)
		err = fill_alternatives(loc, primary, h, errmsg);

	if (!err && !location_has_value(loc))
		err = fail(errmsg, ENOENT, "no location in the PIDF-LO");

	if (err)
		location_reset(loc);

	return err;
}

int pidf_parse(struct location *loc, const uint8_t *buf, size_t len,
	       const char **errmsg)
{
	struct location tmp;
	xmlDoc *doc = NULL;
	int err;

	if (!loc || (!buf && len))
		return EINVAL;

	err = xmlutil_parse(&doc, buf, len, PIDF_MAX_SIZE, errmsg);
	if (err)
		return err;

	memset(&tmp, 0, sizeof(tmp));
	err = pidf_parse_presence(&tmp, xmlDocGetRootElement(doc), errmsg);
	xmlFreeDoc(doc);
	if (err)
		return err;

	location_move(loc, &tmp);
	return 0;
}
