/*
 * bus: how locphone's baresip modules talk to each other inside the engine.
 * Modules are loaded RTLD_LOCAL, so each links this one shared library and
 * finds the others' commands and events here.  Runs on baresip's thread only.
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

#endif
