/* bus: command and event registry shared by locphone's baresip modules. */

#include <re.h>
#include <string.h>
#include "bus.h"

/* Any handler type, stored as one and called as what it was. */
typedef void(bus_fn)(void);

/* A command or a topic's owner: one per name. */
struct named {
	struct le le;
	const char *name;
	bus_fn *fn;
	void *arg;
};

/* An event or topic listener: any number, called in listening order. */
struct listener {
	struct le le;
	bus_fn *fn;
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

static struct named *named_find(const struct list *lst, const char *name)
{
	struct le *le;

	for (le = lst->head; le; le = le->next) {
		struct named *n = le->data;

		if (0 == str_cmp(n->name, name))
			return n;
	}

	return NULL;
}

static int named_add(struct list *lst, const char *name, bus_fn *fn, void *arg)
{
	struct named *n;

	if (!str_isset(name) || !fn)
		return EINVAL;
	if (named_find(lst, name))
		return EALREADY;

	n = mem_zalloc(sizeof(*n), le_destructor);
	if (!n)
		return ENOMEM;

	n->name = name;
	n->fn = fn;
	n->arg = arg;
	list_append(lst, &n->le, n);

	return 0;
}

static int listener_add(struct list *lst, bus_fn *fn, void *arg)
{
	struct listener *l;

	if (!fn)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), le_destructor);
	if (!l)
		return ENOMEM;

	l->fn = fn;
	l->arg = arg;
	list_append(lst, &l->le, l);

	return 0;
}

static void listener_remove(struct list *lst, bus_fn *fn)
{
	struct le *le = lst->head;

	while (le) {
		struct listener *l = le->data;

		le = le->next;
		if (l->fn == fn)
			mem_deref(l);
	}
}

int bus_command_register(const char *name, bus_cmd_h *h, void *arg)
{
	return named_add(&commands, name, (bus_fn *)h, arg);
}

void bus_command_unregister(const char *name)
{
	mem_deref(named_find(&commands, name));
}

int bus_command_call(const char *name, const struct odict *args,
		     struct odict *result, const char **errmsg)
{
	const struct named *c = named_find(&commands, name);

	if (!c)
		return ENOENT;

	return ((bus_cmd_h *)c->fn)(args, result, errmsg, c->arg);
}

int bus_event_listen(bus_event_h *h, void *arg)
{
	return listener_add(&listeners, (bus_fn *)h, arg);
}

void bus_event_unlisten(bus_event_h *h)
{
	listener_remove(&listeners, (bus_fn *)h);
}

void bus_event_emit(const char *name, const struct odict *fields)
{
	struct le *le = listeners.head;

	while (le) {
		struct listener *l = le->data;

		le = le->next;
		((bus_event_h *)l->fn)(name, fields, l->arg);
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

static bool pinned(const char *topic)
{
	return pin.topic && !str_cmp(topic, pin.topic);
}
#endif

int bus_topic_provide(const char *topic, bus_topic_get_h *get, void *arg)
{
	return named_add(&providers, topic, (bus_fn *)get, arg);
}

void bus_topic_unprovide(const char *topic)
{
	mem_deref(named_find(&providers, topic));
}

const void *bus_topic_get(const char *topic)
{
	const struct named *p = named_find(&providers, topic);

#ifdef LOCPHONE_TEST_HOOKS
	if (pinned(topic))
		return pin.data;
#endif
	return p ? ((bus_topic_get_h *)p->fn)(p->arg) : NULL;
}

int bus_topic_listen(bus_topic_h *h, void *arg)
{
	return listener_add(&topic_listeners, (bus_fn *)h, arg);
}

void bus_topic_unlisten(bus_topic_h *h)
{
	listener_remove(&topic_listeners, (bus_fn *)h);
}

void bus_topic_publish(const char *topic, const void *data)
{
	struct le *le = topic_listeners.head;

#ifdef LOCPHONE_TEST_HOOKS
	/* only the pinned data is published while a pin holds */
	if (pinned(topic) && data != pin.data)
		return;
#endif
	while (le) {
		struct listener *l = le->data;

		le = le->next;
		((bus_topic_h *)l->fn)(topic, data, l->arg);
	}
}
