/* lldp_json: a decoded LLDPDU in the JSON form of the netinfo command. */

#include <re.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "location.h"
#include "lldp_json.h"

static int id_encode(struct odict *od, const char *key,
		     const struct lldp_id *id)
{
	struct odict *o = NULL;
	int err;

	err = odict_alloc(&o, 2);
	if (!err)
		err = odict_entry_add(o, "subtype", ODICT_INT,
				      (int64_t)id->subtype);
	if (!err)
		err = odict_entry_add(o, "value", ODICT_STRING, id->text);
	if (!err)
		err = odict_entry_add(od, key, ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}

static int civic_encode(struct odict *loc, const struct civic *c)
{
	struct odict *o = NULL;
	int f, err;

	err = odict_alloc(&o, 16);
	for (f = 0; !err && f < CIVIC_FIELD_COUNT; f++) {
		const char *v = civic_get(c, f);

		if (v)
			err = odict_entry_add(o, civic_field_name(f),
					      ODICT_STRING, v);
	}
	if (!err)
		err = odict_entry_add(loc, "civic", ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}

static const char *datum_name(enum lldp_med_datum d)
{
	switch (d) {
	case LLDP_MED_DATUM_WGS84:
		return "WGS84";
	case LLDP_MED_DATUM_NAD83_NAVD88:
		return "NAD83/NAVD88";
	case LLDP_MED_DATUM_NAD83_MLLW:
		return "NAD83/MLLW";
	default:
		return "unknown";
	}
}

static const char *altitude_name(enum lldp_med_altitude a)
{
	switch (a) {
	case LLDP_MED_ALT_METRES:
		return "metres";
	case LLDP_MED_ALT_FLOORS:
		return "floors";
	default:
		return "none";
	}
}

static int coord_encode(struct odict *loc, const struct lldp_med_coord *c)
{
	struct odict *o = NULL;
	int err;

	err = odict_alloc(&o, 8);
	if (!err)
		err = location_json_number_add(o, "latitude", c->latitude);
	if (!err)
		err = location_json_number_add(o, "longitude", c->longitude);
	if (!err && c->alt_type != LLDP_MED_ALT_NONE)
		err = location_json_number_add(o, "altitude", c->altitude);
	if (!err)
		err = odict_entry_add(o, "altitude_type", ODICT_STRING,
				      altitude_name(c->alt_type));
	if (!err)
		err = odict_entry_add(o, "datum", ODICT_STRING,
				      datum_name(c->datum));
	if (!err)
		err = odict_entry_add(loc, "coordinates", ODICT_OBJECT, o);

	mem_deref(o);
	return err;
}

static int policies_encode(struct odict *med, const struct lldp_frame *f)
{
	struct odict *arr = NULL;
	size_t i;
	int err;

	err = odict_alloc(&arr, 4);
	for (i = 0; !err && i < f->med.policyc; i++) {
		const struct lldp_med_policy *p = &f->med.policyv[i];
		struct odict *o = NULL;
		char key[8];

		err = odict_alloc(&o, 8);
		if (!err)
			err = odict_entry_add(o, "application", ODICT_STRING,
					      lldp_med_app_name(p->app));
		if (!err)
			err = odict_entry_add(o, "unknown", ODICT_BOOL,
					      p->unknown);
		if (!err)
			err = odict_entry_add(o, "tagged", ODICT_BOOL,
					      p->tagged);
		if (!err)
			err = odict_entry_add(o, "vlan", ODICT_INT,
					      (int64_t)p->vlan);
		if (!err)
			err = odict_entry_add(o, "priority", ODICT_INT,
					      (int64_t)p->priority);
		if (!err)
			err = odict_entry_add(o, "dscp", ODICT_INT,
					      (int64_t)p->dscp);
		(void)re_snprintf(key, sizeof(key), "%zu", i);
		if (!err)
			err = odict_entry_add(arr, key, ODICT_OBJECT, o);
		mem_deref(o);
	}
	if (!err)
		err = odict_entry_add(med, "policies", ODICT_ARRAY, arr);

	mem_deref(arr);
	return err;
}

static int med_encode(struct odict *od, const struct lldp_frame *f)
{
	struct odict *med = NULL, *loc = NULL;
	int err;

	err = odict_alloc(&med, 8);
	if (!err)
		err = odict_alloc(&loc, 4);
	if (err)
		goto out;

	err = odict_entry_add(med, "capabilities", ODICT_INT,
			      (int64_t)f->med.caps);
	if (!err)
		err = odict_entry_add(med, "device_type", ODICT_INT,
				      (int64_t)f->med.device_type);
	if (!err)
		err = policies_encode(med, f);
	if (!err && f->med.has_civic)
		err = civic_encode(loc, &f->med.civic.civic);
	if (!err && f->med.has_coord)
		err = coord_encode(loc, &f->med.coord);
	if (!err && f->med.has_elin)
		err = odict_entry_add(loc, "elin", ODICT_STRING, f->med.elin);
	if (!err)
		err = odict_entry_add(med, "location", ODICT_OBJECT, loc);
	if (!err)
		err = odict_entry_add(od, "med", ODICT_OBJECT, med);

out:
	mem_deref(loc);
	mem_deref(med);
	return err;
}

int lldp_frame_json_encode(struct odict *od, const struct lldp_frame *f)
{
	int err;

	if (!od || !f)
		return EINVAL;

	err = id_encode(od, "chassis_id", &f->chassis);
	if (!err)
		err = id_encode(od, "port_id", &f->port);
	if (!err && f->sys_name[0])
		err = odict_entry_add(od, "system_name", ODICT_STRING,
				      f->sys_name);
	if (!err && f->port_desc[0])
		err = odict_entry_add(od, "port_description", ODICT_STRING,
				      f->port_desc);
	if (!err)
		err = odict_entry_add(od, "ttl", ODICT_INT, (int64_t)f->ttl);
	if (!err && f->med.has_caps)
		err = med_encode(od, f);

	return err;
}
