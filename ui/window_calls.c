/* LpWindow's calls list: one row per call, with its in-call controls. */

#include <string.h>

#include "window_priv.h"
#include "ctlmsg.h"
#include "i18n.h"

#define ROW_CALL_ID   "locphone-call-id"
#define ROW_STATE     "locphone-state"
#define ROW_SINCE     "locphone-since" /* monotonic µs it was established */
#define ROW_EMERGENCY "locphone-emergency" /* on an emergency call's Hang up */

static GtkWidget *row_widget(GtkBuilder *row, const char *id)
{
	return GTK_WIDGET(gtk_builder_get_object(row, id));
}

static void on_call_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	const char *error = ctlmsg_str(reply, "error");

	if (error)
		gtk_label_set_text(GTK_LABEL(self->dial_error_label), error);
}

/* Answer and Hang up name their call, not the engine's default one. */
static void call_request(GtkWidget *button, const char *cmd)
{
	LpWindow *self = LP_WINDOW(gtk_widget_get_toplevel(button));
	const char *id = g_object_get_data(G_OBJECT(button), ROW_CALL_ID);

	lp_engine_request(self->engine, cmd,
			  g_variant_new_parsed("{'call': <%s>}", id),
			  on_call_reply, g_object_ref(self));
}

static void on_answer_clicked(GtkWidget *button)
{
	call_request(button, "answer");
}

static void row_fill(LpWindow *self, GtkBuilder *row, GVariant *call);

/* The reply to mute/hold carries the call as it is now: the toggles show
 * what the engine did, not what was asked (an emergency call is never
 * held). */
static void on_toggle_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) call = result ? ctlmsg_obj(result, "call") : NULL;
	const char *error = ctlmsg_str(reply, "error");
	const char *id;
	GtkBuilder *row;

	gtk_label_set_text(GTK_LABEL(self->dial_error_label),
			   error ? error : "");
	id = call ? ctlmsg_str(call, "id") : NULL;
	row = id ? g_hash_table_lookup(self->calls, id) : NULL;
	if (row)
		row_fill(self, row, call);
}

static void toggle_request(GtkToggleButton *button, const char *on,
			   const char *off)
{
	LpWindow *self = LP_WINDOW(gtk_widget_get_toplevel(GTK_WIDGET(button)));
	const char *id = g_object_get_data(G_OBJECT(button), ROW_CALL_ID);

	lp_engine_request(self->engine,
			  gtk_toggle_button_get_active(button) ? on : off,
			  g_variant_new_parsed("{'call': <%s>}", id),
			  on_toggle_reply, g_object_ref(self));
}

static void on_mute_toggled(GtkToggleButton *button)
{
	toggle_request(button, "mute", "unmute");
}

static void on_hold_toggled(GtkToggleButton *button)
{
	toggle_request(button, "hold", "resume");
}

/* Shows the engine's state on a toggle without asking the engine. */
static void toggle_show(GtkWidget *button, gboolean active, GCallback h)
{
	g_signal_handlers_block_by_func(button, h, NULL);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(button), active);
	g_signal_handlers_unblock_by_func(button, h, NULL);
}

static void on_end_emergency_response(GtkDialog *dialog, gint response,
				      GtkWidget *button)
{
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (response == GTK_RESPONSE_ACCEPT)
		call_request(button, "hangup");
	g_object_unref(button);
}

/* An emergency call is ended only when the person says so twice: a
 * dispatcher may still need them on the line. */
static void on_hangup_clicked(GtkWidget *button)
{
	GtkWidget *dialog;

	if (!g_object_get_data(G_OBJECT(button), ROW_EMERGENCY)) {
		call_request(button, "hangup");
		return;
	}

	dialog = gtk_message_dialog_new(
		GTK_WINDOW(gtk_widget_get_toplevel(button)),
		GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
		GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE, "%s",
		_("End the emergency call?"));
	gtk_message_dialog_format_secondary_text(
		GTK_MESSAGE_DIALOG(dialog), "%s",
		_("The dispatcher may still need you on the line. If you hang "
		  "up by mistake, they may call you back."));
	gtk_dialog_add_buttons(GTK_DIALOG(dialog), _("_Stay on the line"),
			       GTK_RESPONSE_REJECT, _("_End the call"),
			       GTK_RESPONSE_ACCEPT, NULL);
	gtk_dialog_set_default_response(GTK_DIALOG(dialog),
					GTK_RESPONSE_REJECT);
	atk_object_set_name(gtk_widget_get_accessible(dialog),
			    _("End the emergency call?"));
	g_signal_connect(dialog, "response",
			 G_CALLBACK(on_end_emergency_response),
			 g_object_ref(button));
	gtk_widget_show(dialog);
}

static GtkBuilder *row_new(LpWindow *self, const char *id)
{
	static const struct {
		const char *widget;
		const char *id;
	} ids[] = {
		{"peer_label", "peer"},
		{"state_label", "call-state"},
		{"timer_label", "call-duration"},
		{"callback_label", "psap-callback"},
	};
	GtkBuilder *row =
		gtk_builder_new_from_resource("/org/locphone/ui/call-row.ui");
	static const char *const buttons[] = {"answer_button", "hangup_button",
					      "mute_button", "hold_button"};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(buttons); i++)
		g_object_set_data_full(G_OBJECT(row_widget(row, buttons[i])),
				       ROW_CALL_ID, g_strdup(id), g_free);
	for (i = 0; i < G_N_ELEMENTS(ids); i++)
		atk_object_set_accessible_id(
			gtk_widget_get_accessible(
				row_widget(row, ids[i].widget)),
			ids[i].id);
	g_signal_connect(row_widget(row, "answer_button"), "clicked",
			 G_CALLBACK(on_answer_clicked), NULL);
	g_signal_connect(row_widget(row, "hangup_button"), "clicked",
			 G_CALLBACK(on_hangup_clicked), NULL);
	g_signal_connect(row_widget(row, "mute_button"), "toggled",
			 G_CALLBACK(on_mute_toggled), NULL);
	g_signal_connect(row_widget(row, "hold_button"), "toggled",
			 G_CALLBACK(on_hold_toggled), NULL);
	gtk_container_add(GTK_CONTAINER(self->calls_list),
			  row_widget(row, "row"));
	g_hash_table_insert(self->calls, g_strdup(id), row);

	return row;
}

/* The call's state in words: "Calling", "Incoming call", "Connected, on
 * hold" (PROTOCOL.md call states). */
static gchar *state_text(GVariant *call)
{
	static const struct {
		const char *state;
		const char *out; /* an outgoing call in that state */
		const char *in;	 /* an incoming one */
	} words[] = {
		{"incoming", N_("Incoming call"), N_("Incoming call")},
		{"outgoing", N_("Calling"), N_("Answering")},
		{"ringing", N_("Ringing at the other end"),
		 N_("Incoming call")},
		{"early", N_("Ringing at the other end"), N_("Answering")},
		{"established", N_("Connected"), N_("Connected")},
		{"terminated", N_("Ended"), N_("Ended")},
	};
	gboolean out = !g_strcmp0(ctlmsg_str(call, "direction"), "outgoing");
	const char *state = ctlmsg_str(call, "state");
	const char *text = N_("Starting");
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(words); i++) {
		if (!g_strcmp0(state, words[i].state))
			text = out ? words[i].out : words[i].in;
	}

	if (ctlmsg_bool(call, "on_hold"))
		/* TRANSLATORS: a call's state, e.g. "Connected, on hold" */
		return g_strdup_printf(_("%s, on hold"), _(text));

	return g_strdup(_(text));
}

/* Who the call is with: the display name, else the number or address of
 * a SIP or tel URI without its scheme, port and parameters. */
static gchar *peer_text(GVariant *call)
{
	const char *name = ctlmsg_str(call, "peer_name");
	const char *peer = ctlmsg_str(call, "peer");
	g_autofree gchar *rest = NULL;
	gchar *at, *cut;

	if (name && *name)
		return g_strdup(name);
	if (!peer)
		return g_strdup(_("Unknown caller"));
	if (g_str_has_prefix(peer, "sip:") || g_str_has_prefix(peer, "tel:"))
		peer += 4;
	else if (g_str_has_prefix(peer, "sips:"))
		peer += 5;
	rest = g_strdup(peer);
	cut = strpbrk(rest, ";?>");
	if (cut)
		*cut = '\0';
	at = strchr(rest, '@');
	if (at) {
		/* a number at the PBX reads as the number */
		gboolean digits = at > rest;
		const char *p;

		for (p = rest; p < at; p++)
			digits = digits && (g_ascii_isdigit(*p) || *p == '+' ||
					    *p == '*' || *p == '#');
		if (digits)
			*at = '\0';
		else if ((cut = strchr(at, ':')))
			*cut = '\0';
	}

	return g_strdup(rest);
}

static gboolean ringing_in(GVariant *call)
{
	return !g_strcmp0(ctlmsg_str(call, "direction"), "incoming") &&
	       !g_strcmp0(ctlmsg_str(call, "state"), "incoming");
}

/* "4:05": minutes and seconds since the call was answered. */
static void timer_show(GtkBuilder *row)
{
	const gint64 *since = g_object_get_data(G_OBJECT(row), ROW_SINCE);
	g_autofree gchar *text = NULL;
	gint64 s;

	if (!since)
		return;
	s = (g_get_monotonic_time() - *since) / G_USEC_PER_SEC;
	text = g_strdup_printf("%" G_GINT64_FORMAT ":%02d", s / 60,
			       (int)(s % 60));
	gtk_label_set_text(GTK_LABEL(row_widget(row, "timer_label")), text);
}

/* What a call in its state can do: Answer or Decline while it rings in;
 * Mute, Hold and the timer once it is established (no Hold for an
 * emergency call, which the engine never holds). */
static void row_controls(GtkBuilder *row, GVariant *call, gboolean emergency)
{
	const char *state = ctlmsg_str(call, "state");
	gboolean up = !g_strcmp0(state, "established");
	gboolean ringing = ringing_in(call);
	GtkWidget *hangup = row_widget(row, "hangup_button");
	const char *end = ringing ? _("_Decline") : _("_Hang up");
	gint64 duration;

	g_object_set_data_full(G_OBJECT(row), ROW_STATE, g_strdup(state),
			       g_free);
	g_object_set_data(G_OBJECT(hangup), ROW_EMERGENCY,
			  GINT_TO_POINTER(emergency));
	gtk_button_set_label(GTK_BUTTON(hangup), end);
	gtk_button_set_use_underline(GTK_BUTTON(hangup), TRUE);
	gtk_widget_set_visible(row_widget(row, "mute_button"), up);
	gtk_widget_set_visible(row_widget(row, "hold_button"),
			       up && !emergency);
	toggle_show(row_widget(row, "mute_button"), ctlmsg_bool(call, "muted"),
		    G_CALLBACK(on_mute_toggled));
	toggle_show(row_widget(row, "hold_button"),
		    ctlmsg_bool(call, "on_hold"), G_CALLBACK(on_hold_toggled));

	if (up && !g_object_get_data(G_OBJECT(row), ROW_SINCE)) {
		gint64 *since = g_new(gint64, 1);

		if (!g_variant_lookup(call, "duration", "x", &duration))
			duration = 0;
		*since = g_get_monotonic_time() - duration * G_USEC_PER_SEC;
		g_object_set_data_full(G_OBJECT(row), ROW_SINCE, since, g_free);
	}
	gtk_widget_set_visible(row_widget(row, "timer_label"), up);
	timer_show(row);
}

gboolean lp_window_calls_tick(gpointer data)
{
	LpWindow *self = data;
	GHashTableIter iter;
	gpointer row;

	g_hash_table_iter_init(&iter, self->calls);
	while (g_hash_table_iter_next(&iter, NULL, &row))
		timer_show(row);

	return G_SOURCE_CONTINUE;
}

const char *lp_window_active_call(LpWindow *self)
{
	GHashTableIter iter;
	gpointer id, row;

	g_return_val_if_fail(LP_IS_WINDOW(self), NULL);

	g_hash_table_iter_init(&iter, self->calls);
	while (g_hash_table_iter_next(&iter, &id, &row)) {
		if (!g_strcmp0(g_object_get_data(G_OBJECT(row), ROW_STATE),
			       "established"))
			return id;
	}

	return NULL;
}

/* A call object (PROTOCOL.md) into its row. */
static void row_fill(LpWindow *self, GtkBuilder *row, GVariant *call)
{
	const char *id = ctlmsg_str(call, "id");
	const char *peer = ctlmsg_str(call, "peer");
	g_autoptr(GVariant) em = ctlmsg_obj(call, "emergency");
	g_autofree gchar *state = state_text(call);
	g_autofree gchar *row_name = NULL;
	g_autofree gchar *who = NULL;

	/* an emergency call reads as one, apart from any other call */
	if (em) {
		const char *number = ctlmsg_str(em, "number");

		who = g_strdup_printf(g_strcmp0(ctlmsg_str(em, "class"), "test")
					      ? _("Emergency call to %s")
					      : _("Test call to %s"),
				      number ? number : "?");
		lp_window_emergency_show(self, em);
	} else {
		who = peer_text(call);
	}
	gtk_style_context_add_class(
		gtk_widget_get_style_context(row_widget(row, "row")),
		em ? "emergency-call" : "ordinary-call");
	row_name = g_strdup_printf(_("Call with %s"), peer ? peer : "?");
	atk_object_set_name(gtk_widget_get_accessible(row_widget(row, "row")),
			    row_name);
	gtk_label_set_text(GTK_LABEL(row_widget(row, "peer_label")), who);
	row_controls(row, call, em != NULL);
	gtk_label_set_text(GTK_LABEL(row_widget(row, "state_label")), state);
	gtk_widget_set_visible(row_widget(row, "answer_button"),
			       ringing_in(call));
	gtk_widget_set_visible(row_widget(row, "callback_label"),
			       g_hash_table_contains(self->callbacks, id));
}

static void call_show(LpWindow *self, GVariant *call, gboolean confirmed);


/* The "calls" reply after a held call's call.incoming: the engine had
 * decided by then (events of that moment come before the reply), so a
 * held call it still lists rings through; one it turned away is gone. */
static void on_held_calls(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) calls = NULL;
	GVariantIter iter;
	GVariant *v;

	if (!self->held || !result)
		return;
	calls = g_variant_lookup_value(result, "calls", G_VARIANT_TYPE("av"));
	if (!calls)
		return;
	g_variant_iter_init(&iter, calls);
	while (g_variant_iter_loop(&iter, "v", &v)) {
		const char *id = ctlmsg_str(v, "id");

		if (g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT) && id &&
		    g_hash_table_remove(self->held, id))
			call_show(self, v, TRUE);
	}
}

/* Under do not disturb the engine turns an incoming call away just after
 * its call.incoming, unless it may be the PSAP calling back (PROTOCOL.md
 * dnd): such a call is held back until the engine still lists it, so
 * that a call turned away is never shown ringing, nor offered to answer.
 * confirmed: the call comes from a "calls" reply, not an event. */
static void call_show(LpWindow *self, GVariant *call, gboolean confirmed)
{
	const char *id = ctlmsg_str(call, "id");
	GtkBuilder *row;

	if (!id || g_hash_table_contains(self->held, id))
		return;
	row = g_hash_table_lookup(self->calls, id);
	if (!row && !confirmed && ringing_in(call) &&
	    gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->dnd_toggle))) {
		g_hash_table_add(self->held, g_strdup(id));
		lp_engine_request(self->engine, "calls", NULL, on_held_calls,
				  g_object_ref(self));
		return;
	}
	if (!row) {
		row = row_new(self, id);
		if (ringing_in(call)) {
			g_autofree gchar *nid = g_strdup_printf("call-%s", id);
			g_autofree gchar *who = peer_text(call);

			lp_window_attention(self, nid, _("Incoming call"), who);
		}
	}
	row_fill(self, row, call);
	if (!ringing_in(call)) {
		g_autofree gchar *nid = g_strdup_printf("call-%s", id);

		lp_window_attention_end(self, nid);
	}
}

static void call_remove(LpWindow *self, const char *id)
{
	GtkBuilder *row = g_hash_table_lookup(self->calls, id);
	g_autofree gchar *nid = g_strdup_printf("call-%s", id);

	lp_window_attention_end(self, nid);
	g_hash_table_remove(self->held, id);
	g_hash_table_remove(self->callbacks, id);
	if (!row)
		return;
	gtk_widget_destroy(row_widget(row, "row"));
	g_hash_table_remove(self->calls, id);
}

/* emergency.callback: the incoming call may be the PSAP calling back.  The
 * e911 module says so before call.incoming makes the row: the mark is
 * kept for the call until it closes. */
static void callback_mark(LpWindow *self, GVariant *msg)
{
	const char *id = ctlmsg_str(msg, "call");
	GtkBuilder *row;

	if (!id || !*id)
		return;
	g_hash_table_add(self->callbacks, g_strdup(id));
	row = g_hash_table_lookup(self->calls, id);
	if (row)
		gtk_widget_show(row_widget(row, "callback_label"));
}

void lp_window_call_event(LpWindow *self, const char *name, GVariant *msg)
{
	g_autoptr(GVariant) call = ctlmsg_obj(msg, "call");
	const char *id = ctlmsg_str(call, "id");

	if (!g_strcmp0(name, "emergency.callback")) {
		callback_mark(self, msg);
		return;
	}
	if (!call || !id)
		return;
	if (!g_strcmp0(name, "call.closed") ||
	    !g_strcmp0(name, "call.rejected"))
		call_remove(self, id);
	else
		call_show(self, call, FALSE);
}

void lp_window_calls_clear(LpWindow *self)
{
	GHashTableIter iter;
	gpointer row;

	g_hash_table_iter_init(&iter, self->calls);
	while (g_hash_table_iter_next(&iter, NULL, &row)) {
		gtk_widget_destroy(row_widget(row, "row"));
		g_hash_table_iter_remove(&iter);
	}
	g_hash_table_remove_all(self->held);
	g_hash_table_remove_all(self->callbacks);
}

void lp_window_calls_replace(LpWindow *self, GVariant *calls)
{
	gboolean emergency = FALSE;
	GVariantIter iter;
	GVariant *v;

	lp_window_calls_clear(self);
	g_variant_iter_init(&iter, calls);
	while (g_variant_iter_loop(&iter, "v", &v)) {
		g_autoptr(GVariant) em = NULL;

		if (!g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT))
			continue;
		em = ctlmsg_obj(v, "emergency");
		emergency = emergency || em;
		call_show(self, v, TRUE);
	}
	/* the engine lists no emergency call: none is going on */
	if (!emergency)
		lp_window_emergency_hide(self);
}

void lp_window_calls_init(LpWindow *self)
{
	GtkWidget *none = gtk_label_new(_("No calls"));

	self->calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    g_object_unref);
	self->callbacks =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->held =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gtk_widget_show(none);
	gtk_list_box_set_placeholder(GTK_LIST_BOX(self->calls_list), none);
}
