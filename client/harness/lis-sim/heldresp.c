/* heldresp: the LIS simulator's HELD answers and PIDF-LO documents. */

#include <re.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "civic.h"
#include "simtext.h"
#include "heldreq.h"
#include "wiremap.h"
#include "heldresp.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* How long a recipient may keep the location (24 h, as Asterisk does). */
enum { RETENTION_SECONDS = 24 * 3600 };

int heldresp_types(unsigned *typesp, const struct heldreq *req,
		   const struct wiremap_entry *ent)
{
	unsigned have = HELDREQ_LT_URI, want;

	if (!typesp || !req || !ent)
		return EINVAL;

	if (!civic_is_empty(&ent->civic))
		have |= HELDREQ_LT_CIVIC;
	if (ent->geodetic)
		have |= HELDREQ_LT_GEODETIC;

	if (!req->exact || (req->loctypes & HELDREQ_LT_ANY)) {
		*typesp = have;
		return 0;
	}

	want = req->loctypes &
	       (HELDREQ_LT_CIVIC | HELDREQ_LT_GEODETIC | HELDREQ_LT_URI);
	if (want & ~have)
		return ENOENT;

	*typesp = want;
	return 0;
}

/* RFC 5139 elements in the order of its schema's sequence. */
static int civic_xml_print(struct re_printf *pf, const struct civic *c)
{
	size_t i;
	int err;

	err = re_hprintf(pf, "<ca:civicAddress xml:lang=\"en\">\n");
	for (i = 0; i < ARRAY_SIZE(civic_schema_order) && !err; i++) {
		const char *v = civic_get(c, civic_schema_order[i]);
		const char *name = civic_field_name(civic_schema_order[i]);

		if (v)
			err = re_hprintf(pf, "<ca:%s>%H</ca:%s>\n", name,
					 sim_xml_print, v, name);
	}
	if (!err)
		err = re_hprintf(pf, "</ca:civicAddress>\n");

	return err;
}

/* RFC 5491 shapes: a Point, or a Circle with a radius; with an altitude
 * the 3D forms (Point in EPSG::4979, Sphere). */
static int geodetic_xml_print(struct re_printf *pf,
			      const struct wiremap_entry *ent)
{
	const char *crs = ent->has_alt ? "urn:ogc:def:crs:EPSG::4979"
				       : "urn:ogc:def:crs:EPSG::4326";
	const char *shape = ent->has_alt ? "Sphere" : "Circle";
	char pos[96], radius[32];

	/* gml:pos is latitude first (EPSG axis order) */
	if (ent->has_alt)
		(void)snprintf(pos, sizeof(pos), "%.9g %.9g %.9g", ent->lat,
			       ent->lon, ent->alt);
	else
		(void)snprintf(pos, sizeof(pos), "%.9g %.9g", ent->lat,
			       ent->lon);

	if (!ent->has_radius)
		return re_hprintf(pf,
				  "<gml:Point srsName=\"%s\">"
				  "<gml:pos>%s</gml:pos></gml:Point>\n",
				  crs, pos);

	(void)snprintf(radius, sizeof(radius), "%.9g", ent->radius);
	return re_hprintf(pf,
			  "<gs:%s srsName=\"%s\"><gml:pos>%s</gml:pos>"
			  "<gs:radius uom=\"urn:ogc:def:uom:EPSG::9001\">%s"
			  "</gs:radius></gs:%s>\n",
			  shape, crs, pos, radius, shape);
}

static int provider_xml_print(struct re_printf *pf,
			      const struct heldresp_pidf *p)
{
	int err;

	/* RFC 4119: provided-by holds elements from other namespaces */
	err = re_hprintf(pf,
			 "<gp:provided-by><sim:provider xmlns:sim=\"%s\">"
			 "<sim:name>%H</sim:name>",
			 HELDRESP_SIM_NS, sim_xml_print, p->provider);
	if (!err && p->ent->elin[0])
		err = re_hprintf(pf, "<sim:elin>%s</sim:elin>", p->ent->elin);
	if (!err)
		err = re_hprintf(pf, "</sim:provider></gp:provided-by>\n");

	return err;
}

static int geopriv_xml_print(struct re_printf *pf,
			     const struct heldresp_pidf *p)
{
	const time_t retention =
		p->now + (p->retention_s ? p->retention_s : RETENTION_SECONDS);
	const struct wiremap_entry *ent = p->ent;
	int err;

	err = re_hprintf(pf, "<gp:geopriv>\n<gp:location-info>\n");

	/* RFC 5491 compound location: one source, one method; the
	 * coarser (geodetic) chunk first, the civic detail after it */
	if (!err && ent->geodetic && (p->loctypes & HELDREQ_LT_GEODETIC))
		err = geodetic_xml_print(pf, ent);
	if (!err && !civic_is_empty(&ent->civic) &&
	    (p->loctypes & HELDREQ_LT_CIVIC))
		err = civic_xml_print(pf, &ent->civic);

	if (!err)
		err = re_hprintf(
			pf,
			"</gp:location-info>\n"
			"<gp:usage-rules>\n"
			"<gbp:retransmission-allowed>%s"
			"</gbp:retransmission-allowed>\n"
			"<gbp:retention-expiry>%H</gbp:retention-expiry>\n"
			"</gp:usage-rules>\n"
			"<gp:method>%s</gp:method>\n",
			p->no_retransmission ? "false" : "true",
			sim_datetime_print, &retention,
			ent->kind == WIREMAP_BSSID ? "802.11" : "Wiremap");
	if (!err)
		err = provider_xml_print(pf, p);
	if (!err)
		err = re_hprintf(pf, "</gp:geopriv>\n");

	return err;
}

static int pidf_xml_print(struct re_printf *pf, const struct heldresp_pidf *p)
{
	int err;

	err = re_hprintf(
		pf,
		"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"\n"
		" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\"\n"
		" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\"\n"
		" xmlns:gbp=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
		"basicPolicy\"\n"
		" xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:"
		"civicAddr\"\n"
		" xmlns:gml=\"http://www.opengis.net/gml\"\n"
		" xmlns:gs=\"http://www.opengis.net/pidflo/1.0\"\n"
		" entity=\"%H\">\n"
		"<dm:device id=\"device\">\n",
		sim_xml_print, p->entity);
	if (!err)
		err = geopriv_xml_print(pf, p);
	if (!err)
		err = re_hprintf(pf,
				 "<dm:deviceID>%H</dm:deviceID>\n"
				 "<dm:timestamp>%H</dm:timestamp>\n"
				 "</dm:device>\n"
				 "</presence>\n",
				 sim_xml_print, p->device_id,
				 sim_datetime_print, &p->now);

	return err;
}

int heldresp_pidf_encode(struct mbuf *mb, const struct heldresp_pidf *p)
{
	if (!mb || !p || !p->ent || !p->entity || !p->device_id || !p->provider)
		return EINVAL;

	return mbuf_printf(mb, "%H", pidf_xml_print, p);
}

int heldresp_location_encode(struct mbuf *mb, const char *uri, time_t expires,
			     const char *pidf)
{
	int err;

	if (!mb || (!uri && !pidf))
		return EINVAL;

	err = mbuf_printf(mb, XML_DECL "<locationResponse xmlns=\"%s\">\n",
			  HELD_NS);
	if (!err && uri)
		err = mbuf_printf(mb,
				  "<locationUriSet expires=\"%H\">\n"
				  "<locationURI>%H</locationURI>\n"
				  "</locationUriSet>\n",
				  sim_datetime_print, &expires, sim_xml_print,
				  uri);
	if (!err && pidf)
		err = mbuf_write_str(mb, pidf);
	if (!err)
		err = mbuf_write_str(mb, "</locationResponse>\n");

	return err;
}

int heldresp_error_encode(struct mbuf *mb, const char *code,
			  const char *message)
{
	if (!mb || !code || !message)
		return EINVAL;

	return mbuf_printf(mb,
			   XML_DECL "<error xmlns=\"%s\" code=\"%H\">\n"
				    "<message xml:lang=\"en\">%H</message>\n"
				    "</error>\n",
			   HELD_NS, sim_xml_print, code, sim_xml_print,
			   message);
}
