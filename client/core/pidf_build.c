/* pidf_build: a PIDF-LO document from a location record. */

#include <re.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "rfc3339.h"
#include "xmlutil.h"
#include "gml.h"
#include "uritext.h"

#define ID_SEED_MAX 64


/* Which parts of the record one geopriv carries. */
struct parts {
	bool civic;
	bool geo;
};

static bool seed_valid(const char *s)
{
	size_t i, len = strlen(s);

	if (!len || len > ID_SEED_MAX)
		return false;

	for (i = 0; i < len; i++) {
		const char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_'))
			return false;
	}

	return true;
}

/* A URI with a scheme (uritext): the same check as the SIP side's. */
static bool uri_valid(const char *s)
{
	return s && uritext_absolute_uri_valid(s, strlen(s));
}

/* xs:ID values start with a letter: "d1", or "d<seed>-1" with a seed. */
static void make_id(char *buf, size_t size, const char *prefix,
		    const char *seed, unsigned idx)
{
	if (seed)
		re_snprintf(buf, size, "%s%s-%u", prefix, seed, idx);
	else
		re_snprintf(buf, size, "%s%u", prefix, idx);
}

static void write_time(struct xmlw *x, const char *name, time_t t)
{
	char buf[RFC3339_LEN];

	if (rfc3339_format(buf, sizeof(buf), t)) {
		xmlw_fail(x, EINVAL);
		return;
	}

	xmlw_elem(x, name, buf);
}

static void write_civic(struct xmlw *x, const struct civic *c)
{
	size_t i;

	xmlw_start(x, "ca:civicAddress");
	for (i = 0; i < ARRAY_SIZE(civic_schema_order); i++) {
		const char *v = civic_get(c, civic_schema_order[i]);
		char name[16], cc[3];

		if (!v)
			continue;
		/* RFC 5139: country is ISO 3166 alpha-2, [A-Z]{2}; a switch's
		 * "us" goes out as "US", a malformed one is left out rather
		 * than sent invalid */
		if (civic_schema_order[i] == CIVIC_COUNTRY) {
			if (!civic_country_wire(cc, v))
				continue;
			v = cc;
		}
		re_snprintf(name, sizeof(name), "ca:%s",
			    civic_field_name(civic_schema_order[i]));
		xmlw_elem(x, name, v);
	}
	xmlw_end(x);
}

/* RFC 4119 geopriv: location-info, usage-rules, method, provided-by
 * (standards.md §5.2). */
static void write_geopriv(struct xmlw *x, const struct location *loc,
			  struct parts parts, const struct pidf_params *p)
{
	xmlw_start(x, "gp:geopriv");

	/* RFC 5491 rule 1: one location per geopriv */
	xmlw_start(x, "gp:location-info");
	if (parts.civic)
		write_civic(x, &loc->civic);
	if (parts.geo) {
		gml_write(x, &loc->geo);
		gml_write_confidence(x, &loc->geo);
	}
	xmlw_end(x);

	/* RFC 4119's schema types it xs:boolean; the "yes"/"no" of its
	 * prose and examples (errata 1535, 1771) fails validation */
	xmlw_start(x, "gp:usage-rules");
	xmlw_elem(x, "gbp:retransmission-allowed",
		  p->retransmission_allowed ? "true" : "false");
	if (p->retention_expiry)
		write_time(x, "gbp:retention-expiry", p->retention_expiry);
	xmlw_end(x);

	if (loc->method)
		xmlw_elem(x, "gp:method", loc->method);

	/* RFC 4119: provided-by holds elements of another namespace, so
	 * only the LIS's elements as received go here; a provider known
	 * only as text (a switch's name, a LIS URL) is left out */
	if (loc->provided_by_xml) {
		xmlw_start(x, "gp:provided-by");
		xmlw_raw(x, loc->provided_by_xml);
		xmlw_end(x);
	}

	xmlw_end(x);
}

/* RFC 4119's form: tuple/status/gp:geopriv, then the tuple's
 * timestamp. */
static void write_tuple(struct xmlw *x, const struct location *loc,
			struct parts parts, const struct pidf_params *p,
			time_t ts, unsigned idx)
{
	char id[ID_SEED_MAX + 16];

	make_id(id, sizeof(id), "t", p->id_seed, idx);

	xmlw_start(x, "tuple");
	xmlw_attr(x, "id", id);
	xmlw_start(x, "status");
	write_geopriv(x, loc, parts, p);
	xmlw_end(x);
	if (ts)
		write_time(x, "timestamp", ts);
	xmlw_end(x);
}

/* RFC 5491: measured location goes in dm:device, then dm:deviceID and
 * dm:timestamp (RFC 4479 order).  RFC 4479's schema requires the
 * deviceID: without one the location goes in a tuple instead. */
static void write_device(struct xmlw *x, const struct location *loc,
			 struct parts parts, const struct pidf_params *p,
			 time_t ts, unsigned idx)
{
	char id[ID_SEED_MAX + 16];

	if (!p->device_id) {
		write_tuple(x, loc, parts, p, ts, idx);
		return;
	}

	make_id(id, sizeof(id), "d", p->id_seed, idx);

	xmlw_start(x, "dm:device");
	xmlw_attr(x, "id", id);
	write_geopriv(x, loc, parts, p);
	xmlw_elem(x, "dm:deviceID", p->device_id);
	if (ts)
		write_time(x, "dm:timestamp", ts);
	xmlw_end(x);
}

/* [MS-SIPRE] Appendix D: ConferenceUri and ConferenceMode are required
 * in the extension, the policy tag travels in its own namespace. */
static void write_ms_extension(struct xmlw *x, const struct pidf_params *p)
{
	if (!p->conference_uri && !p->location_policy_tag)
		return;

	xmlw_start(x, "ms:msftE911PidfExtn");
	xmlw_elem(x, "ms:ConferenceUri",
		  p->conference_uri ? p->conference_uri : "");
	xmlw_elem(x, "ms:ConferenceMode",
		  p->conference_mode == PIDF_CONFERENCE_TWOWAY ? "twoway"
							       : "oneway");
	if (p->location_policy_tag) {
		xmlw_start(x, "LocationPolicyTagID");
		xmlw_attr(x, "xmlns", PIDF_NS_MS_TAG);
		xmlw_text(x, p->location_policy_tag);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/* [MS-SIPRE] 2.2.23: tuple/status/gp:geopriv, the extension element
 * following status [U: sibling of status, as the text reads], then the
 * tuple's timestamp. */
static void write_ms_tuple(struct xmlw *x, const struct location *loc,
			   struct parts parts, const struct pidf_params *p,
			   time_t ts)
{
	char id[ID_SEED_MAX + 16];

	make_id(id, sizeof(id), "t", p->id_seed, 1);

	xmlw_start(x, "tuple");
	xmlw_attr(x, "id", id);
	xmlw_start(x, "status");
	write_geopriv(x, loc, parts, p);
	xmlw_end(x);
	write_ms_extension(x, p);
	if (ts)
		write_time(x, "timestamp", ts);
	xmlw_end(x);
}

/* Declare only the namespaces the document uses. */
static void write_root(struct xmlw *x, const struct location *loc,
		       struct parts parts, const struct pidf_params *p)
{
	const bool ms = p->profile == PIDF_PROFILE_MICROSOFT;

	xmlw_start(x, "presence");
	xmlw_attr(x, "xmlns", PIDF_NS_PIDF);
	if (!ms && p->device_id)
		xmlw_attr(x, "xmlns:dm", PIDF_NS_DM);
	xmlw_attr(x, "xmlns:gp", PIDF_NS_GP);
	xmlw_attr(x, "xmlns:gbp", PIDF_NS_GBP);
	if (parts.civic)
		xmlw_attr(x, "xmlns:ca", PIDF_NS_CA);
	if (parts.geo) {
		xmlw_attr(x, "xmlns:gml", PIDF_NS_GML);
		if (loc->geo.shape != GEO_POINT &&
		    loc->geo.shape != GEO_POLYGON)
			xmlw_attr(x, "xmlns:gs", PIDF_NS_GS);
		if (loc->geo.confidence)
			xmlw_attr(x, "xmlns:con", PIDF_NS_CON);
	}
	if (ms && (p->conference_uri || p->location_policy_tag))
		xmlw_attr(x, "xmlns:ms", PIDF_NS_MS_E911);
	xmlw_attr(x, "entity", p->entity);
}

static int check_params(const struct pidf_params *p)
{
	if (!uri_valid(p->entity))
		return EINVAL;
	if (p->id_seed && !seed_valid(p->id_seed))
		return EINVAL;
	if (p->device_id && !uri_valid(p->device_id))
		return EINVAL;
	if (p->profile != PIDF_PROFILE_RFC5491 &&
	    p->profile != PIDF_PROFILE_MICROSOFT)
		return EINVAL;
	if (p->conference_uri && !uri_valid(p->conference_uri))
		return EINVAL;

	return 0;
}

int pidf_build(struct mbuf *mb, const struct location *loc,
	       const struct pidf_params *p)
{
	const bool has_civic = loc && !civic_is_empty(&loc->civic);
	const bool has_geo = loc && loc->geo.shape != GEO_NONE;
	struct parts all = {has_civic, has_geo};
	struct xmlw x;
	time_t ts;
	int err;

	if (!mb || !loc || !p)
		return EINVAL;

	err = check_params(p);
	if (err)
		return err;
	if (!has_civic && !has_geo)
		return ENOENT;
	if (has_geo && geo_validate(&loc->geo))
		return EINVAL;

	ts = p->timestamp ? p->timestamp : loc->obtained_at;

	/* [MS-SIPRE] 2.2.23: the Lync form carries a civic address */
	if (p->profile == PIDF_PROFILE_MICROSOFT && has_civic)
		all.geo = false;

	err = xmlw_begin(&x);
	if (err)
		return err;

	write_root(&x, loc, all, p);

	if (p->profile == PIDF_PROFILE_MICROSOFT) {
		write_ms_tuple(&x, loc, all, p, ts);
	} else {
		/* RFC 5491 rule 2: civic and geodetic descriptions of the
		 * same place go in separate elements, civic first */
		unsigned idx = 0;

		if (has_civic)
			write_device(&x, loc, (struct parts){true, false}, p,
				     ts, ++idx);
		if (has_geo)
			write_device(&x, loc, (struct parts){false, true}, p,
				     ts, ++idx);
	}

	xmlw_end(&x);
	return xmlw_finish(&x, mb);
}
