/*
 * bus_topics: the typed data locphone's modules share on the bus (bus.h
 * topics).  Inside the engine a module hands another its structs, not
 * JSON: the odicts of location.changed and network.changed are made only
 * for the control socket (client/ctl/PROTOCOL.md), by the module that owns
 * the data, and nothing reads them back (issue 16 item 2).
 */

#ifndef LOCPHONE_BUS_TOPICS_H
#define LOCPHONE_BUS_TOPICS_H

#include <stdbool.h>
#include <stddef.h>

#include "emergency.h"
#include "lldp.h"
#include "location.h"
#include "netstate.h"
#include "policy.h"
#include "policy_site.h"

/*
 * "location" (owner: the location module; the test fixture publishes its
 * records on it too): the record in use, with everything the PIDF-LO it
 * came in said, its usage rules included, and why it changed.  Published
 * with every location.changed; the getter gives the record now.
 */
#define BUS_TOPIC_LOCATION "location"

struct bus_location {
	const struct location *loc; /* never NULL; may be an empty record */
	const char *reason; /* "lis", "manual", "test", ...; never NULL */
};

/*
 * "network" (owner: the location module): the attachment, once per
 * settled change, with network.changed.  The site facts and the device
 * identity are derived once, here, for every reader.
 */
#define BUS_TOPIC_NETWORK "network"

struct bus_network {
	const struct netsnap *snap; /* never NULL */
	struct device_identity id;  /* id.device_id "" if unknown */
	struct policy_site_facts facts;
};

/*
 * "policy": the e911 module's policy in force (the network site's and a
 * served policy's values included).  That module alone reads the policy
 * files and says what is wrong with them; it publishes this at start and
 * with each policy.changed, which comes only once an emergency call has
 * ended.  The location module takes refresh_interval, location_required,
 * disclaimer_text, e911_enabled and remember_locations from it.
 */
#define BUS_TOPIC_POLICY "policy"

struct bus_policy {
	const struct policy *policy; /* never NULL */
};

#endif
