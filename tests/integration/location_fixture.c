/* location_fixture: test module standing in for the location module. */

#include <re.h>
#include <string.h>
#include "baresip-abi.h"
#include "bus.h"
#include "bus_topics.h"
#include "location.h"

/*
 * Control command "test.location": its args are a location record as
 * location_json_encode() writes it (source, civic, geo, method, ...),
 * which comes over the control socket.  The fixture publishes it as the
 * location module does, with reason "test": the record on the bus's
 * location topic (read here with location_json_decode, the control socket
 * being where JSON belongs) and the args as the "location.changed" event
 * for clients, so that tests choose the location the e911 module sees
 * without a LIS.  Tests may send broken records on purpose: one that does
 * not decode is said in the log and not published on the topic, so that
 * the e911 module keeps its previous one.
 *
 * The location module also runs, and says what it found (usually nothing,
 * ~200 ms after start, when discovery settles).  The test's record stands:
 * in test builds (-Dtest_hooks) the fixture pins it on the topic
 * (bus_testhook_topic_pin), so the module's findings never reach the
 * e911 module, not even for the moment a dial could fall into; for
 * clients, and without the hook, after each change of the module's the
 * fixture sends its own again, once
 * the module's has reached everyone.
 */
static struct {
	struct odict *ev; /* the test's last record, NULL: none */
	struct location loc;
	struct bus_location bl; /* the topic's data: loc, "test" */
	bool have_loc;		/* ev decoded into loc */
	struct tmr tmr;
} fx;

static void publish(void)
{
	fx.bl.loc = &fx.loc;
	fx.bl.reason = "test";
	if (fx.have_loc) {
#ifdef LOCPHONE_TEST_HOOKS
		bus_testhook_topic_pin(BUS_TOPIC_LOCATION, &fx.bl);
#endif
		bus_topic_publish(BUS_TOPIC_LOCATION, &fx.bl);
	}
	if (fx.ev)
		bus_event_emit("location.changed", fx.ev);
}

static void resend(void *arg)
{
	(void)arg;

	publish();
}

static void topic_handler(const char *topic, const void *data, void *arg)
{
	const struct bus_location *bl = data;
	(void)arg;

	if (fx.ev && !str_cmp(topic, BUS_TOPIC_LOCATION) &&
	    str_cmp(bl->reason, "test"))
		tmr_start(&fx.tmr, 0, resend, NULL);
}
/* One entry into another dict; objects and arrays are shared. */
static int entry_copy(struct odict *od, const struct odict_entry *e)
{
	switch (e->type) {
	case ODICT_OBJECT:
	case ODICT_ARRAY:
		return odict_entry_add(od, e->key, e->type, e->u.odict);
	case ODICT_STRING:
		return odict_entry_add(od, e->key, e->type, e->u.str);
	case ODICT_INT:
		return odict_entry_add(od, e->key, e->type, e->u.integer);
	case ODICT_DOUBLE:
		return odict_entry_add(od, e->key, e->type, e->u.dbl);
	case ODICT_BOOL:
		return odict_entry_add(od, e->key, e->type, e->u.boolean);
	default:
		return odict_entry_add(od, e->key, ODICT_NULL);
	}
}

static int cmd_location(const struct odict *args, struct odict *result,
			const char **errmsg, void *arg)
{
	struct odict *ev = NULL;
	struct le *le;
	int err;
	(void)errmsg;
	(void)arg;

	err = odict_alloc(&ev, 16);
	if (err)
		return err;

	LIST_FOREACH(&args->lst, le)
	{
		const struct odict_entry *e = le->data;

		err = entry_copy(ev, e);
		if (err)
			goto out;
	}

	err = odict_entry_add(ev, "reason", ODICT_STRING, "test");
	if (!err) {
		const char *why = NULL;
		int derr;

		mem_deref(fx.ev);
		fx.ev = mem_ref(ev);
		location_reset(&fx.loc);
		derr = location_json_decode(&fx.loc, args, &why);
		fx.have_loc = !derr;
		if (derr)
			warning("location_fixture: record refused (%s): %m\n",
				why ? why : "?", derr);
		publish();
	}
	if (!err)
		err = odict_entry_add(result, "emitted", ODICT_BOOL, true);

out:
	mem_deref(ev);
	return err;
}

static int print_handler(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}

/*
 * Control command "test.console": {"command": "dial 911"} runs a baresip
 * long command as its console would ("/dial 911"; the menu module must be
 * loaded), so tests can place calls on a path that is not ours.
 */
static int cmd_console(const struct odict *args, struct odict *result,
		       const char **errmsg, void *arg)
{
	const char *command = odict_string(args, "command");
	struct re_printf pf = {print_handler, NULL};
	struct mbuf *mb;
	char *out = NULL;
	int err;
	(void)arg;

	if (!command) {
		*errmsg = "\"command\" is needed";
		return EINVAL;
	}

	mb = mbuf_alloc(256);
	if (!mb)
		return ENOMEM;
	pf.arg = mb;

	err = cmd_process_long(baresip_commands(), command, strlen(command),
			       &pf, NULL);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, &out, mb->end);
	}
	if (!err)
		err = odict_entry_add(result, "output", ODICT_STRING, out);

	mem_deref(out);
	mem_deref(mb);
	return err;
}

static void event_handler(const char *name, const struct odict *fields,
			  void *arg)
{
	(void)arg;

	/* the module's own event, for clients: the test's follows it */
	if (fx.ev && !str_cmp(name, "location.changed") &&
	    str_cmp(odict_string(fields, "reason"), "test"))
		tmr_start(&fx.tmr, 0, resend, NULL);
}

static int module_init(void)
{
	int err = bus_command_register("test.location", cmd_location, NULL);

	if (!err)
		err = bus_command_register("test.console", cmd_console, NULL);
	if (!err)
		err = bus_topic_listen(topic_handler, NULL);
	if (!err)
		err = bus_event_listen(event_handler, NULL);
	return err;
}

static int module_close(void)
{
#ifdef LOCPHONE_TEST_HOOKS
	bus_testhook_topic_pin(BUS_TOPIC_LOCATION, NULL);
#endif
	bus_event_unlisten(event_handler);
	bus_topic_unlisten(topic_handler);
	tmr_cancel(&fx.tmr);
	fx.ev = mem_deref(fx.ev);
	location_reset(&fx.loc);
	fx.have_loc = false;
	bus_command_unregister("test.location");
	bus_command_unregister("test.console");
	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"location_fixture",
	"application",
	module_init,
	module_close,
};
