/* lldp_json: a decoded LLDPDU as JSON (netinfo's "lldp" members). */

#ifndef LOCPHONE_LLDP_JSON_H
#define LOCPHONE_LLDP_JSON_H

#include <re.h>

#include "lldp.h"

/*
 * Add chassis_id {subtype, value}, port_id {subtype, value}, system_name,
 * port_description, ttl and, when the switch speaks LLDP-MED, med:
 * {capabilities, device_type, policies, location: {civic (RFC 5139 names
 * as keys), coordinates {latitude, longitude, altitude, altitude_type,
 * datum}, elin}} with each location member present only if it was sent.
 * Degrees are decimal, south and west negative.
 */
int lldp_frame_json_encode(struct odict *od, const struct lldp_frame *f);

#endif
