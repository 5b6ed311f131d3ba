/* bus: command and event registry shared by locphone's baresip modules. */

#include <re.h>
#include <string.h>
#include "bus.h"

struct bus_cmd {
	struct le le;
	const char *name;
	bus_cmd_h *h;
	void *arg;
};

struct bus_listener {
	struct le le;
	bus_event_h *h;
	void *arg;
};

static struct list commands;
static struct list listeners;

static void le_destructor(void *arg)
{
	struct le *le = arg; /* le is the first member of both types */

	list_unlink(le);
}

static struct bus_cmd *cmd_find(const char *name)
{
	struct le *le;

	for (le = commands.head; le; le = le->next) {
		struct bus_cmd *c = le->data;

		if (0 == str_cmp(c->name, name))
			return c;
	}

	return NULL;
}

int bus_command_register(const char *name, bus_cmd_h *h, void *arg)
{
	struct bus_cmd *c;

	if (!str_isset(name) || !h)
		return EINVAL;
	if (cmd_find(name))
		return EALREADY;

	c = mem_zalloc(sizeof(*c), le_destructor);
	if (!c)
		return ENOMEM;

	c->name = name;
	c->h = h;
	c->arg = arg;
	list_append(&commands, &c->le, c);

	return 0;
}

void bus_command_unregister(const char *name)
{
	mem_deref(cmd_find(name));
}

int bus_command_call(const char *name, const struct odict *args,
		     struct odict *result, const char **errmsg)
{
	struct bus_cmd *c = cmd_find(name);

	if (!c)
		return ENOENT;

	return c->h(args, result, errmsg, c->arg);
}

int bus_event_listen(bus_event_h *h, void *arg)
{
	struct bus_listener *l;

	if (!h)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), le_destructor);
	if (!l)
		return ENOMEM;

	l->h = h;
	l->arg = arg;
	list_append(&listeners, &l->le, l);

	return 0;
}

void bus_event_unlisten(bus_event_h *h)
{
	struct le *le = listeners.head;

	while (le) {
		struct bus_listener *l = le->data;

		le = le->next;
		if (l->h == h)
			mem_deref(l);
	}
}

void bus_event_emit(const char *name, const struct odict *fields)
{
	struct le *le = listeners.head;

	while (le) {
		struct bus_listener *l = le->data;

		le = le->next;
		l->h(name, fields, l->arg);
	}
}
