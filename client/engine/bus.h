/*
 * bus: how locphone's baresip modules talk to each other inside the engine.
 * Modules are loaded RTLD_LOCAL, so each links this one shared library and
 * finds the others' commands and events here.  Runs on baresip's thread only.
 *
 * Two channels.  Commands and events carry odicts: they are what the control
 * socket speaks (the ctrl module passes them to and from clients).  Topics
 * carry typed data between modules (the structs of bus_topics.h): nothing
 * inside one process goes through JSON (issue 16 item 2).
 */

#ifndef LOCPHONE_BUS_H
#define LOCPHONE_BUS_H

#include <re.h>

/*
 * A control command.  args is never NULL; fill result (an object) and return
 * 0, or return an errno value and set *errmsg to words for the client.
 */
typedef int(bus_cmd_h)(const struct odict *args, struct odict *result,
		       const char **errmsg, void *arg);

/* An event: name such as "network.changed", fields merged into the JSON. */
typedef void(bus_event_h)(const char *name, const struct odict *fields,
			  void *arg);

/* EALREADY if the name is taken.  name must outlive the registration. */
int bus_command_register(const char *name, bus_cmd_h *h, void *arg);
void bus_command_unregister(const char *name);

/* ENOENT if no module offers the command; otherwise what the handler said. */
int bus_command_call(const char *name, const struct odict *args,
		     struct odict *result, const char **errmsg);

int bus_event_listen(bus_event_h *h, void *arg);
void bus_event_unlisten(bus_event_h *h);
void bus_event_emit(const char *name, const struct odict *fields);

/*
 * Topics: typed data one module owns and others read.  The owner provides
 * a getter (the data as it is now, NULL: none yet) and publishes each
 * change; a listener gets the same pointer, valid during the call only
 * (copy what is kept).  name and the struct behind data are the topic's
 * contract (bus_topics.h).  EALREADY if the topic already has an owner.
 */
typedef const void *(bus_topic_get_h)(void *arg);
typedef void(bus_topic_h)(const char *topic, const void *data, void *arg);

int bus_topic_provide(const char *topic, bus_topic_get_h *get, void *arg);
void bus_topic_unprovide(const char *topic);

/* The owner's data now; NULL without an owner or data. */
const void *bus_topic_get(const char *topic);

int bus_topic_listen(bus_topic_h *h, void *arg);
void bus_topic_unlisten(bus_topic_h *h);
/* Every listener, in the order they listened; data is not copied. */
void bus_topic_publish(const char *topic, const void *data);

#ifdef LOCPHONE_TEST_HOOKS
/*
 * Test builds only (-Dtest_hooks): data (which must outlive the pin) is
 * the topic's data for everyone, whoever owns it: bus_topic_get gives it
 * and only it is published; data NULL lets the owner speak again.  The
 * tests' location fixture pins the record a test chose, so that the
 * location module's own findings never reach the e911 module in between.
 */
void bus_testhook_topic_pin(const char *topic, const void *data);
#endif

#endif
