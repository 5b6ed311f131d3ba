/* LpWindow: engine state, account, dialling, do not disturb, emergency. */

#include <string.h>

#include "window_priv.h"
#include "ctlmsg.h"
#include "i18n.h"
#include "locwords.h"

G_DEFINE_TYPE(LpWindow, lp_window, GTK_TYPE_APPLICATION_WINDOW)

/* Requests that carry the window as user data hold a reference to it. */
static gpointer window_ref(LpWindow *self)
{
	return g_object_ref(self);
}

/* While a call is up, typed digits and the keypad go to it as tones and
 * Call places nothing: a second call is never started by accident. */
static void controls_update(LpWindow *self)
{
	gboolean in_call = lp_window_active_call(self) != NULL;

	gtk_widget_set_sensitive(self->call_button, !in_call);
	gtk_entry_set_placeholder_text(GTK_ENTRY(self->number_entry),
				       in_call ? _("Keys go to the call")
					       : _("Number or SIP address"));
}

/* An account's registration state (PROTOCOL.md status) in the person's
 * language; a state this UI does not know is shown as the engine said. */
static const char *registration_words(const char *state)
{
	static const struct {
		const char *state;
		const char *words;
	} words[] = {
		{"registered", N_("registered")},
		{"registering", N_("registering")},
		{"failed", N_("failed")},
		{"unregistering", N_("unregistering")},
		{"unregistered", N_("unregistered")},
		{"disabled", N_("disabled")},
	};
	gsize i;

	for (i = 0; state && i < G_N_ELEMENTS(words); i++) {
		if (!strcmp(state, words[i].state))
			return _(words[i].words);
	}

	return state ? state : "";
}

static void account_show(LpWindow *self, GVariant *account)
{
	const char *aor = ctlmsg_str(account, "aor");
	const char *reg = ctlmsg_str(account, "registration");

	gtk_label_set_text(GTK_LABEL(self->account_label), aor ? aor : "");
	gtk_label_set_text(GTK_LABEL(self->registration_label),
			   registration_words(reg));
}

static void on_status(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) accounts = NULL;
	gboolean dnd;

	if (!result)
		return;
	accounts = g_variant_lookup_value(result, "accounts",
					  G_VARIANT_TYPE("av"));
	if (accounts && g_variant_n_children(accounts) > 0) {
		g_autoptr(GVariant) first =
			g_variant_get_child_value(accounts, 0);
		g_autoptr(GVariant) account = g_variant_get_variant(first);

		if (g_variant_is_of_type(account, G_VARIANT_TYPE_VARDICT))
			account_show(self, account);
	}
	if (g_variant_lookup(result, "dnd", "b", &dnd)) {
		self->dnd_update = TRUE;
		gtk_toggle_button_set_active(
			GTK_TOGGLE_BUTTON(self->dnd_toggle), dnd);
		self->dnd_update = FALSE;
	}
}

static void on_calls(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) calls = NULL;

	if (result)
		calls = g_variant_lookup_value(result, "calls",
					       G_VARIANT_TYPE("av"));
	if (calls)
		lp_window_calls_replace(self, calls);
	controls_update(self);
}

static void on_location(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);

	if (result)
		lp_window_location_show(self, result);
}

static void on_netinfo(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);

	if (result)
		lp_window_network_show(self, result);
}

/* e911.policy's warnings (PROTOCOL.md): what the engine said at start
 * about the paths 911 has, e.g. no route that avoids the registrar; one
 * line each, shown until the engine goes or says none. */
static void on_e911_policy(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) warnings = NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	gsize i, n;

	if (result)
		warnings = g_variant_lookup_value(result, "warnings",
						  G_VARIANT_TYPE("av"));
	n = warnings ? g_variant_n_children(warnings) : 0;
	for (i = 0; i < n; i++) {
		g_autoptr(GVariant) v = g_variant_get_child_value(warnings, i);
		g_autoptr(GVariant) w = g_variant_get_variant(v);

		if (!g_variant_is_of_type(w, G_VARIANT_TYPE_STRING))
			continue;
		if (text->len)
			g_string_append_c(text, '\n');
		/* TRANSLATORS: %s is the engine's sentence about the
		 * emergency routes, in English */
		g_string_append_printf(text, _("911 warning: %s"),
				       g_variant_get_string(w, NULL));
	}
	if (!text->len) {
		gtk_widget_hide(self->e911_warning);
		return;
	}
	gtk_label_set_text(GTK_LABEL(self->e911_warning), text->str);
	gtk_widget_show(self->e911_warning);
}

static void e911_policy_ask(LpWindow *self)
{
	lp_engine_request(self->engine, "e911.policy", NULL, on_e911_policy,
			  window_ref(self));
}

static void on_engine_connected(LpWindow *self)
{
	gtk_label_set_text(GTK_LABEL(self->engine_label), _("Engine running"));
	lp_engine_request(self->engine, "subscribe", NULL, NULL, NULL);
	lp_engine_request(self->engine, "status", NULL, on_status,
			  window_ref(self));
	lp_engine_request(self->engine, "calls", NULL, on_calls,
			  window_ref(self));
	lp_engine_request(self->engine, "location", NULL, on_location,
			  window_ref(self));
	lp_engine_request(self->engine, "netinfo", NULL, on_netinfo,
			  window_ref(self));
	e911_policy_ask(self);
}

static void on_engine_disconnected(LpWindow *self)
{
	gtk_widget_hide(self->e911_warning);
	gtk_label_set_text(GTK_LABEL(self->engine_label),
			   _("Engine not running"));
	gtk_label_set_text(GTK_LABEL(self->account_label), "");
	gtk_label_set_text(GTK_LABEL(self->registration_label), "");
	lp_window_emergency_hide(self);
	lp_window_calls_clear(self);
	lp_window_location_clear(self);
	controls_update(self);
}

static void registration_event(LpWindow *self, GVariant *msg)
{
	const char *account = ctlmsg_str(msg, "account");
	const char *state = ctlmsg_str(msg, "state");
	const char *shown = gtk_label_get_text(GTK_LABEL(self->account_label));

	if (!state || !account)
		return;
	/* the first account is shown; before "status" answers, this one */
	if (*shown && g_strcmp0(shown, account))
		return;
	gtk_label_set_text(GTK_LABEL(self->account_label), account);
	gtk_label_set_text(GTK_LABEL(self->registration_label),
			   registration_words(state));
}

/* What the banner says of an emergency call object's "emergency"
 * (PROTOCOL.md), in the caller's words: what the dispatcher was given. */
static gchar *emergency_text(GVariant *em)
{
	const char *number = ctlmsg_str(em, "number");
	const char *sent = ctlmsg_str(em, "location_sent");
	const char *summary = ctlmsg_str(em, "location_summary");
	g_autofree gchar *kind = NULL;

	if (!number)
		number = ctlmsg_str(em, "dialled");
	kind = g_strcmp0(ctlmsg_str(em, "class"), "test")
		       ? g_strdup_printf(_("Emergency call to %s"),
					 number ? number : "?")
		       : g_strdup_printf(
				 _("Test call to %s (not an emergency)"),
				 number ? number : "?");

	if (g_strcmp0(sent, "none") && summary && *summary)
		/* TRANSLATORS: the kind of call, then the address sent */
		return g_strdup_printf(_("%s — The dispatcher received: %s"),
				       kind, summary);
	if (!g_strcmp0(sent, "by-reference"))
		return g_strdup_printf(_("%s — The dispatcher received your "
					 "location from the network"),
				       kind);

	return g_strdup_printf(_("%s — No location was sent: tell the "
				 "dispatcher where you are"),
			       kind);
}

/* The banner: what the call carried, then any audio trouble. */
static void banner_render(LpWindow *self)
{
	g_autofree gchar *text =
		self->banner_audio
			? g_strdup_printf("%s\n%s", self->banner_main,
					  self->banner_audio)
			: g_strdup(self->banner_main);

	if (g_strcmp0(gtk_label_get_text(GTK_LABEL(self->emergency_banner)),
		      text))
		gtk_label_set_text(GTK_LABEL(self->emergency_banner), text);
	gtk_widget_show(self->emergency_banner);
}

void lp_window_emergency_show(LpWindow *self, GVariant *em)
{
	g_autofree gchar *text = NULL;

	g_return_if_fail(LP_IS_WINDOW(self));
	g_return_if_fail(em != NULL);

	text = emergency_text(em);
	g_free(self->banner_main);
	self->banner_main = g_steal_pointer(&text);
	banner_render(self);
}

/* emergency.audio: what cannot be heard goes on the banner's second line,
 * under what the call carried; it goes when all works again. */
static void emergency_audio(LpWindow *self, GVariant *msg)
{
	gboolean mic = ctlmsg_bool(msg, "microphone");
	gboolean spk = ctlmsg_bool(msg, "speaker");
	const char *text = NULL;

	/* said from the flags, in the person's language (the engine's
	 * "text" is English) */
	if (!mic && !spk)
		text = _("the dispatcher cannot hear you and you cannot hear "
			 "the dispatcher: no microphone, no speaker");
	else if (!mic)
		text = _("the dispatcher cannot hear you: no microphone");
	else if (!spk)
		text = _("you cannot hear the dispatcher: no speaker");
	g_clear_pointer(&self->banner_audio, g_free);
	if (text)
		self->banner_audio = g_strdup(text);
	if (self->banner_main)
		banner_render(self);
}

static void on_notifier_appeared(GDBusConnection *bus, const gchar *name,
				 const gchar *owner, gpointer data)
{
	LpWindow *self = data;
	(void)bus;
	(void)name;
	(void)owner;

	self->can_notify = TRUE;
}

static void on_notifier_vanished(GDBusConnection *bus, const gchar *name,
				 gpointer data)
{
	LpWindow *self = data;
	(void)bus;
	(void)name;

	self->can_notify = FALSE;
}

/* While the window is not in front, a desktop notification and the
 * window raised: an incoming call, or the location prompt. */
void lp_window_attention(LpWindow *self, const char *id, const char *title,
			 const char *body)
{
	GApplication *app;
	g_autoptr(GNotification) n = NULL;

	g_return_if_fail(LP_IS_WINDOW(self));

	app = G_APPLICATION(gtk_window_get_application(GTK_WINDOW(self)));
	if (gtk_window_is_active(GTK_WINDOW(self)) || !app)
		return;
	gtk_window_present(GTK_WINDOW(self));
	/* GLib only warns when nothing on the bus shows notifications */
	if (!self->can_notify)
		return;
	n = g_notification_new(title);
	if (body)
		g_notification_set_body(n, body);
	g_notification_set_priority(n, G_NOTIFICATION_PRIORITY_HIGH);
	g_application_send_notification(app, id, n);
}

void lp_window_attention_end(LpWindow *self, const char *id)
{
	GtkApplication *app;

	g_return_if_fail(LP_IS_WINDOW(self));

	app = gtk_window_get_application(GTK_WINDOW(self));
	if (app && self->can_notify)
		g_application_withdraw_notification(G_APPLICATION(app), id);
}

void lp_window_emergency_hide(LpWindow *self)
{
	g_return_if_fail(LP_IS_WINDOW(self));

	gtk_widget_hide(self->emergency_banner);
	g_clear_pointer(&self->banner_main, g_free);
	g_clear_pointer(&self->banner_audio, g_free);
}

static void on_engine_event(LpWindow *self, const char *name, GVariant *msg)
{
	if (!g_strcmp0(name, "registration")) {
		registration_event(self, msg);
	} else if (!g_strcmp0(name, "emergency.audio")) {
		emergency_audio(self, msg);
	} else if (!g_strcmp0(name, "emergency.ended")) {
		/* shown from the call objects, which say what was sent */
		lp_window_emergency_hide(self);
	} else if (g_str_has_prefix(name, "call.") ||
		   !g_strcmp0(name, "emergency.callback")) {
		lp_window_call_event(self, name, msg);
		controls_update(self);
	} else if (g_str_has_prefix(name, "location.")) {
		lp_window_location_event(self, name, msg);
		/* the LIS may have failed or recovered: netinfo's lis says */
		if (!g_strcmp0(name, "location.changed"))
			lp_engine_request(self->engine, "netinfo", NULL,
					  on_netinfo, window_ref(self));
	} else if (!g_strcmp0(name, "network.changed")) {
		lp_window_network_show(self, msg);
	} else if (!g_strcmp0(name, "policy.changed")) {
		/* another network site: netinfo names it; its routes may
		 * change what 911 has */
		lp_engine_request(self->engine, "netinfo", NULL, on_netinfo,
				  window_ref(self));
		e911_policy_ask(self);
	}
}

static void on_dial_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	const char *error = ctlmsg_str(reply, "error");

	if (!reply)
		error = _("the engine is not running");
	gtk_label_set_text(GTK_LABEL(self->dial_error_label),
			   error ? error : "");
	if (ctlmsg_bool(reply, "ok"))
		gtk_entry_set_text(GTK_ENTRY(self->number_entry), "");
}

static void on_dtmf_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	const char *error = ctlmsg_str(reply, "error");

	gtk_label_set_text(GTK_LABEL(self->dial_error_label),
			   error ? error : "");
}

/* Keys of the keypad or the keyboard during a call: PROTOCOL.md dtmf. */
static void tones_send(LpWindow *self, const char *call, const char *keys)
{
	lp_engine_request(self->engine, "dtmf",
			  g_variant_new_parsed("{'call': <%s>, 'digits': <%s>}",
					       call, keys),
			  on_dtmf_reply, window_ref(self));
}

static gboolean is_tone_key(char c)
{
	return g_ascii_isdigit(c) || c == '*' || c == '#' ||
	       (c >= 'A' && c <= 'D') || (c >= 'a' && c <= 'd');
}

/* Text typed into the number entry while a call is up becomes tones. */
static void on_number_insert(GtkEditable *editable, const gchar *text,
			     gint length, gint *position, gpointer data)
{
	LpWindow *self = data;
	const char *call = lp_window_active_call(self);
	g_autoptr(GString) keys = NULL;
	gint i;
	(void)position;

	if (!call)
		return;
	g_signal_stop_emission_by_name(editable, "insert-text");
	keys = g_string_new(NULL);
	for (i = 0; i < length && text[i]; i++) {
		if (is_tone_key(text[i]))
			g_string_append_c(keys, text[i]);
	}
	if (keys->len)
		tones_send(self, call, keys->str);
}

static void on_key_clicked(GtkButton *button)
{
	LpWindow *self = LP_WINDOW(gtk_widget_get_toplevel(GTK_WIDGET(button)));
	const char *key = gtk_button_get_label(button);
	const char *call = lp_window_active_call(self);
	gint end;

	if (call) {
		tones_send(self, call, key);
		return;
	}
	end = gtk_entry_get_text_length(GTK_ENTRY(self->number_entry));
	gtk_editable_insert_text(GTK_EDITABLE(self->number_entry), key, -1,
				 &end);
	gtk_editable_set_position(GTK_EDITABLE(self->number_entry), end);
}

/* PROTOCOL.md dial: digits as "number", anything else as a "uri". */
static void dial(LpWindow *self)
{
	const char *text = gtk_entry_get_text(GTK_ENTRY(self->number_entry));
	g_autofree gchar *target = g_strstrip(g_strdup(text));
	GVariantDict args;

	if (!*target || lp_window_active_call(self))
		return;
	g_variant_dict_init(&args, NULL);
	g_variant_dict_insert(&args, strchr(target, ':') ? "uri" : "number",
			      "s", target);
	lp_engine_request(self->engine, "dial", g_variant_dict_end(&args),
			  on_dial_reply, window_ref(self));
}

static void on_number_activate(LpWindow *self)
{
	dial(self);
}

static void on_call_clicked(LpWindow *self)
{
	dial(self);
}

static void on_dnd_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	gboolean on;

	if (!result || !g_variant_lookup(result, "dnd", "b", &on))
		return;
	self->dnd_update = TRUE;
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->dnd_toggle), on);
	self->dnd_update = FALSE;
}

static void on_dnd_toggled(LpWindow *self)
{
	gboolean on = gtk_toggle_button_get_active(
		GTK_TOGGLE_BUTTON(self->dnd_toggle));

	if (self->dnd_update)
		return;
	lp_engine_request(self->engine, "dnd",
			  g_variant_new_parsed("{'on': <%b>}", on),
			  on_dnd_reply, window_ref(self));
}

static void on_set_address_clicked(LpWindow *self)
{
	lp_window_open_address_dialog(self);
}

static void on_saved_places_clicked(LpWindow *self)
{
	lp_window_open_places_dialog(self);
}

static void on_refresh_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpWindow) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	const char *error = ctlmsg_str(reply, "error");

	if (result)
		lp_window_location_show(self, result);
	gtk_label_set_text(GTK_LABEL(self->location_reason_label),
			   error ? error
				 : gtk_label_get_text(GTK_LABEL(
					   self->location_reason_label)));
}

/* Update: ask the LIS again now (PROTOCOL.md location.refresh). */
static void on_update_clicked(LpWindow *self)
{
	lp_engine_request(self->engine, "location.refresh", NULL,
			  on_refresh_reply, window_ref(self));
}

/* Stable names for the tests and for assistive technology scripts: the
 * accessible names are the labels' own text. */
static void accessible_ids_set(LpWindow *self)
{
	const struct {
		GtkWidget *w;
		const char *id;
	} ids[] = {
		{self->emergency_banner, "emergency-banner"},
		{self->engine_label, "engine-status"},
		{self->e911_warning, "e911-warning"},
		{self->account_label, "account"},
		{self->registration_label, "registration"},
		{self->number_entry, "number"},
		{self->dial_error_label, "call-error"},
		{self->location_label, "location"},
		{self->location_source_label, "location-source"},
		{self->location_updated_label, "location-updated"},
		{self->location_reason_label, "location-reason"},
		{self->network_label, "network-details"},
	};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(ids); i++)
		atk_object_set_accessible_id(
			gtk_widget_get_accessible(ids[i].w), ids[i].id);
}

/* The view as tall as the content, so the window grows with a banner or
 * a call, but at most as tall as the monitor's work area: beyond, the
 * content scrolls (large text, 200 % on a small screen). */
static gboolean view_fit(gpointer data)
{
	LpWindow *self = data;
	GdkDisplay *display = gtk_widget_get_display(GTK_WIDGET(self));
	GdkWindow *win = gtk_widget_get_window(GTK_WIDGET(self));
	GdkMonitor *monitor =
		win ? gdk_display_get_monitor_at_window(display, win)
		    : gdk_display_get_primary_monitor(display);
	GdkRectangle area = {0, 0, G_MAXINT / 2, G_MAXINT / 2};
	gint width = gtk_widget_get_allocated_width(self->scroller);
	gint min, nat, want;

	self->fit_idle = 0;
	if (!monitor && gdk_display_get_n_monitors(display) > 0)
		monitor = gdk_display_get_monitor(display, 0);
	if (monitor)
		gdk_monitor_get_workarea(monitor, &area);
	if (width <= 1)
		gtk_widget_get_preferred_width(self->content, NULL, &width);
	gtk_widget_get_preferred_height_for_width(self->content, width, &min,
						  &nat);
	want = MIN(nat, area.height);
	if (want != gtk_scrolled_window_get_min_content_height(
			    GTK_SCROLLED_WINDOW(self->scroller))) {
		/* the window grows with it (its minimum) */
		gtk_scrolled_window_set_min_content_height(
			GTK_SCROLLED_WINDOW(self->scroller), want);
	}

	return G_SOURCE_REMOVE;
}

static void on_content_allocate(GtkWidget *content, GdkRectangle *alloc,
				LpWindow *self)
{
	(void)content;
	(void)alloc;
	/* not within the allocation itself: after it, once */
	if (!self->fit_idle)
		self->fit_idle = g_idle_add(view_fit, self);
}

static void lp_window_dispose(GObject *object)
{
	LpWindow *self = LP_WINDOW(object);

	g_clear_handle_id(&self->fit_idle, g_source_remove);

	if (self->engine)
		g_signal_handlers_disconnect_by_data(self->engine, self);
	g_clear_object(&self->engine);
	g_clear_pointer(&self->location, g_variant_unref);
	g_clear_pointer(&self->banner_main, g_free);
	g_clear_pointer(&self->banner_audio, g_free);
	g_clear_pointer(&self->calls, g_hash_table_destroy);
	g_clear_pointer(&self->callbacks, g_hash_table_destroy);
	g_clear_pointer(&self->held, g_hash_table_destroy);
	g_clear_handle_id(&self->tick, g_source_remove);
	g_clear_handle_id(&self->notify_watch, g_bus_unwatch_name);

	G_OBJECT_CLASS(lp_window_parent_class)->dispose(object);
}

static void lp_window_class_init(LpWindowClass *klass)
{
	GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = lp_window_dispose;

	gtk_widget_class_set_template_from_resource(
		wc, "/org/locphone/ui/window.ui");
	gtk_widget_class_bind_template_child(wc, LpWindow, scroller);
	gtk_widget_class_bind_template_child(wc, LpWindow, content);
	gtk_widget_class_bind_template_child(wc, LpWindow, emergency_banner);
	gtk_widget_class_bind_template_child(wc, LpWindow, engine_label);
	gtk_widget_class_bind_template_child(wc, LpWindow, e911_warning);
	gtk_widget_class_bind_template_child(wc, LpWindow, account_label);
	gtk_widget_class_bind_template_child(wc, LpWindow, registration_label);
	gtk_widget_class_bind_template_child(wc, LpWindow, number_entry);
	gtk_widget_class_bind_template_child(wc, LpWindow, call_button);
	gtk_widget_class_bind_template_child(wc, LpWindow, dnd_toggle);
	gtk_widget_class_bind_template_child(wc, LpWindow, dial_error_label);
	gtk_widget_class_bind_template_child(wc, LpWindow, calls_list);
	gtk_widget_class_bind_template_child(wc, LpWindow, location_label);
	gtk_widget_class_bind_template_child(wc, LpWindow,
					     location_source_label);
	gtk_widget_class_bind_template_child(wc, LpWindow,
					     location_reason_label);
	gtk_widget_class_bind_template_child(wc, LpWindow,
					     location_updated_label);
	gtk_widget_class_bind_template_child(wc, LpWindow, network_label);
	gtk_widget_class_bind_template_callback(wc, on_update_clicked);
	gtk_widget_class_bind_template_callback(wc, on_number_activate);
	gtk_widget_class_bind_template_callback(wc, on_call_clicked);
	gtk_widget_class_bind_template_callback(wc, on_key_clicked);
	gtk_widget_class_bind_template_callback(wc, on_dnd_toggled);
	gtk_widget_class_bind_template_callback(wc, on_set_address_clicked);
	gtk_widget_class_bind_template_callback(wc, on_saved_places_clicked);
}

static void lp_window_init(LpWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	/* a notification: screen readers speak it as it appears, by its
	 * name, which is its text (WCAG 2.5.3) */
	atk_object_set_role(gtk_widget_get_accessible(self->emergency_banner),
			    ATK_ROLE_NOTIFICATION);
	accessible_ids_set(self);
	lp_window_calls_init(self);
	lp_window_location_clear(self);
	/* typed digits go to the number from the start */
	gtk_widget_grab_focus(self->number_entry);
	g_signal_connect(self->number_entry, "insert-text",
			 G_CALLBACK(on_number_insert), self);
	self->tick = g_timeout_add_seconds(1, lp_window_calls_tick, self);
	g_signal_connect(self->content, "size-allocate",
			 G_CALLBACK(on_content_allocate), self);
	view_fit(self);
	/* GLib's freedesktop backend: a notification server must be there */
	self->notify_watch = g_bus_watch_name(
		G_BUS_TYPE_SESSION, "org.freedesktop.Notifications",
		G_BUS_NAME_WATCHER_FLAGS_NONE, on_notifier_appeared,
		on_notifier_vanished, self, NULL);
}

LpWindow *lp_window_new(GtkApplication *app, LpEngine *engine)
{
	LpWindow *self;

	g_return_val_if_fail(GTK_IS_APPLICATION(app), NULL);
	g_return_val_if_fail(LP_IS_ENGINE(engine), NULL);

	self = g_object_new(LP_TYPE_WINDOW, "application", app, NULL);
	self->engine = g_object_ref(engine);
	g_signal_connect_swapped(engine, "connected",
				 G_CALLBACK(on_engine_connected), self);
	g_signal_connect_swapped(engine, "disconnected",
				 G_CALLBACK(on_engine_disconnected), self);
	g_signal_connect_swapped(engine, "event", G_CALLBACK(on_engine_event),
				 self);
	if (lp_engine_is_connected(engine))
		on_engine_connected(self);

	return self;
}
