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

struct bus_provider {
	struct le le;
	const char *topic;
	bus_topic_get_h *get;
	void *arg;
};

struct bus_topic_listener {
	struct le le;
	bus_topic_h *h;
	void *arg;
};

static struct list commands;
static struct list listeners;
static struct list providers;
static struct list topic_listeners;

static void le_destructor(void *arg)
{
	struct le *le = arg; /* le is the first member of every type */

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

#ifdef LOCPHONE_TEST_HOOKS
/* Test builds: the tests' location fixture stands in for a topic's owner
 * (bus.h, bus_testhook_topic_pin). */
static struct {
	const char *topic;
	const void *data;
} pin;

void bus_testhook_topic_pin(const char *topic, const void *data)
{
	pin.topic = data ? topic : NULL;
	pin.data = data;
}

static bool pinned_away(const char *topic, const void *data)
{
	return pin.topic && !str_cmp(topic, pin.topic) && data != pin.data;
}
#endif

static struct bus_provider *provider_find(const char *topic)
{
	struct le *le;

	for (le = providers.head; le; le = le->next) {
		struct bus_provider *p = le->data;

		if (0 == str_cmp(p->topic, topic))
			return p;
	}

	return NULL;
}

int bus_topic_provide(const char *topic, bus_topic_get_h *get, void *arg)
{
	struct bus_provider *p;

	if (!str_isset(topic) || !get)
		return EINVAL;
	if (provider_find(topic))
		return EALREADY;

	p = mem_zalloc(sizeof(*p), le_destructor);
	if (!p)
		return ENOMEM;

	p->topic = topic;
	p->get = get;
	p->arg = arg;
	list_append(&providers, &p->le, p);

	return 0;
}

void bus_topic_unprovide(const char *topic)
{
	mem_deref(provider_find(topic));
}

const void *bus_topic_get(const char *topic)
{
	const struct bus_provider *p = provider_find(topic);

#ifdef LOCPHONE_TEST_HOOKS
	if (pin.topic && !str_cmp(topic, pin.topic))
		return pin.data;
#endif
	return p ? p->get(p->arg) : NULL;
}

int bus_topic_listen(bus_topic_h *h, void *arg)
{
	struct bus_topic_listener *l;

	if (!h)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), le_destructor);
	if (!l)
		return ENOMEM;

	l->h = h;
	l->arg = arg;
	list_append(&topic_listeners, &l->le, l);

	return 0;
}

void bus_topic_unlisten(bus_topic_h *h)
{
	struct le *le = topic_listeners.head;

	while (le) {
		struct bus_topic_listener *l = le->data;

		le = le->next;
		if (l->h == h)
			mem_deref(l);
	}
}

void bus_topic_publish(const char *topic, const void *data)
{
	struct le *le = topic_listeners.head;

#ifdef LOCPHONE_TEST_HOOKS
	if (pinned_away(topic, data))
		return;
#endif
	while (le) {
		struct bus_topic_listener *l = le->data;

		le = le->next;
		l->h(topic, data, l->arg);
	}
}
