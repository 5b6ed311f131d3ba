/* LpWindow's location panel, and the location policy's prompts. */

#include "window_priv.h"
#include "address_dialog.h"
#include "ctlmsg.h"
#include "i18n.h"
#include "locwords.h"
#include "places_dialog.h"

static void prompt_close(LpWindow *self)
{
	if (self->prompt)
		gtk_widget_destroy(self->prompt);
}

static void on_prompt_destroy(GtkWidget *dialog, LpWindow *self)
{
	if (self->prompt == dialog)
		self->prompt = NULL;
}

/* One prompt or disclaimer at a time, from prompts.ui: only the dialog
 * asked for is built (the builder owns nothing once it is shown). */
static GtkWidget *prompt_open(LpWindow *self, const char *id)
{
	g_autoptr(GtkBuilder) b = gtk_builder_new();
	gchar *ids[] = {(gchar *)id, NULL};
	g_autoptr(GError) error = NULL;
	GtkWidget *dialog;

	if (!gtk_builder_add_objects_from_resource(
		    b, "/org/locphone/ui/prompts.ui", ids, &error))
		g_error("prompts.ui: %s", error->message);
	dialog = GTK_WIDGET(gtk_builder_get_object(b, id));

	prompt_close(self);
	gtk_window_set_transient_for(GTK_WINDOW(dialog), GTK_WINDOW(self));
	g_signal_connect(dialog, "destroy", G_CALLBACK(on_prompt_destroy),
			 self);
	self->prompt = dialog;

	return dialog;
}

static void on_prompt_response(GtkDialog *dialog, gint response, LpWindow *self)
{
	lp_window_attention_end(self, "location-prompt");
	const char *reason = g_object_get_data(G_OBJECT(dialog), "reason");
	g_autofree gchar *why = g_strdup(reason);

	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (response == GTK_RESPONSE_ACCEPT) {
		GtkWidget *address = lp_address_dialog_new(GTK_WINDOW(self),
							   self->engine, why);

		gtk_widget_show(address);
	} else {
		/* Dismiss, Escape and the close button alike: the engine
		 * must know, or it keeps asking a prompt nobody sees */
		lp_engine_request(self->engine, "location.dismiss", NULL, NULL,
				  NULL);
	}
}

/* location.prompt: nothing automatic was found; reason says why. */
static void prompt_show(LpWindow *self, const char *reason)
{
	GtkWidget *dialog = prompt_open(self, "prompt_dialog");

	/* the prompt's own explanation stays; the engine's reason follows */
	if (reason && *reason) {
		g_autofree gchar *explained = NULL;
		g_autofree gchar *text = NULL;

		g_object_get(dialog, "secondary-text", &explained, NULL);
		/* TRANSLATORS: the prompt's explanation, then the engine's
		 * reason */
		text = g_strdup_printf(_("%s\n\nWhy: %s"), explained, reason);
		g_object_set(dialog, "secondary-text", text, NULL);
		g_object_set_data_full(G_OBJECT(dialog), "reason",
				       g_strdup(reason), g_free);
	}
	g_signal_connect(dialog, "response", G_CALLBACK(on_prompt_response),
			 self);
	gtk_widget_show(dialog);
	lp_window_attention(self, "location-prompt", _("Where are you?"),
			    _("Emergency calls need your address: the phone "
			      "cannot tell where it is."));
}

static void on_disclaimer_response(GtkDialog *dialog, gint response,
				   LpWindow *self)
{
	(void)response;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	/* the disclaimer has one answer: closing it (Escape, the close
	 * button) is having read it, or the engine would show it again */
	lp_engine_request(self->engine, "location.acknowledge-disclaimer", NULL,
			  NULL, NULL);
}

/* location.disclaimer: what emergency calls will lack, to acknowledge. */
static void disclaimer_show(LpWindow *self, const char *text)
{
	GtkWidget *dialog = prompt_open(self, "disclaimer_dialog");

	if (text)
		g_object_set(dialog, "secondary-text", text, NULL);
	g_signal_connect(dialog, "response", G_CALLBACK(on_disclaimer_response),
			 self);
	gtk_widget_show(dialog);
}

/* The record's prompt (PROTOCOL.md "location"): asking, dismissed,
 * disclaimer or acknowledged; null when nothing is asked. */
static void prompt_follow(LpWindow *self, GVariant *record)
{
	g_autoptr(GVariant) prompt = ctlmsg_obj(record, "prompt");
	const char *state = ctlmsg_str(prompt, "state");

	if (!g_strcmp0(state, "asking")) {
		if (!self->prompt)
			prompt_show(self, ctlmsg_str(prompt, "reason"));
	} else if (!g_strcmp0(state, "disclaimer")) {
		if (!self->prompt)
			disclaimer_show(self,
					ctlmsg_str(prompt, "disclaimer_text"));
	} else {
		prompt_close(self);
	}
}

/* Where the location came from, for a person deciding how far to trust
 * it (PROTOCOL.md "location" source). */
static const char *source_words(GVariant *record)
{
	static const struct {
		const char *source;
		const char *words;
	} words[] = {
		{"lis", N_("From your network")},
		{"lldp-med", N_("From the switch your phone is plugged into")},
		{"dhcp", N_("From your network (DHCP)")},
		{"manual", N_("Entered by you — not verified by the network")},
	};
	const char *src = ctlmsg_str(record, "source");
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(words); i++) {
		if (!g_strcmp0(src, words[i].source))
			return _(words[i].words);
	}

	return _("Nothing found automatically");
}

/* "Updated at 14:05" (today) or "Updated on 2024-05-01 at 14:05", in the
 * local time zone; NULL without a time. */
static gchar *updated_words(GVariant *record)
{
	const char *at = ctlmsg_str(record, "obtained_at");
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();

	utc = at ? g_date_time_new_from_iso8601(at, NULL) : NULL;
	if (!utc)
		return NULL;
	local = g_date_time_to_local(utc);
	if (g_date_time_get_year(local) == g_date_time_get_year(now) &&
	    g_date_time_get_day_of_year(local) ==
		    g_date_time_get_day_of_year(now))
		/* TRANSLATORS: g_date_time_format(): %H:%M the time */
		return g_date_time_format(local, _("Updated at %H:%M"));

	/* TRANSLATORS: g_date_time_format(): %Y-%m-%d the day */
	return g_date_time_format(local, _("Updated on %Y-%m-%d at %H:%M"));
}

void lp_window_location_show(LpWindow *self, GVariant *record)
{
	g_autofree gchar *words = locwords_record(record);
	g_autofree gchar *updated = updated_words(record);
	const char *reason = ctlmsg_str(record, "reason");

	g_clear_pointer(&self->location, g_variant_unref);
	self->location = g_variant_ref(record);

	gtk_label_set_text(GTK_LABEL(self->location_label),
			   words ? words : _("Not known"));
	if (ctlmsg_bool(record, "stale")) {
		/* the LIS's earlier answer, kept while the LIS fails */
		g_autofree gchar *kept = g_strdup_printf(
			_("%s — the network could not confirm it just now"),
			source_words(record));

		gtk_label_set_text(GTK_LABEL(self->location_source_label),
				   kept);
	} else {
		gtk_label_set_text(GTK_LABEL(self->location_source_label),
				   source_words(record));
	}
	gtk_label_set_text(GTK_LABEL(self->location_updated_label),
			   updated ? updated : "");
	gtk_widget_set_visible(self->location_updated_label, updated != NULL);
	gtk_label_set_text(GTK_LABEL(self->location_reason_label),
			   reason ? reason : "");
	prompt_follow(self, record);
}

/* The first interface's switch, as "Switch sw1, port Gi1/0/7". */
static void switch_words(GString *out, GVariant *netinfo)
{
	g_autoptr(GVariant) lldp = ctlmsg_obj(netinfo, "lldp");
	g_autoptr(GVariant) first = NULL;
	g_autoptr(GVariant) chassis = NULL;
	g_autoptr(GVariant) port = NULL;
	const char *name, *port_text;
	GVariantIter iter;
	GVariant *v;

	if (!lldp)
		return;
	g_variant_iter_init(&iter, lldp);
	if (!g_variant_iter_next(&iter, "{&sv}", NULL, &v))
		return;
	first = v;
	if (!g_variant_is_of_type(first, G_VARIANT_TYPE_VARDICT))
		return;

	chassis = ctlmsg_obj(first, "chassis_id");
	port = ctlmsg_obj(first, "port_id");
	name = ctlmsg_str(first, "system_name");
	if (!name)
		name = ctlmsg_str(chassis, "value");
	port_text = ctlmsg_str(first, "port_description");
	if (!port_text)
		port_text = ctlmsg_str(port, "value");
	g_string_append_printf(out, _("Switch %s, port %s"), name ? name : "?",
			       port_text ? port_text : "?");
	g_string_append_c(out, '\n');
}

/* What went wrong with the LIS (netinfo's lis; not in network.changed):
 * the engine's own words, in a frame in the person's language. */
static void lis_words(GString *out, GVariant *netinfo)
{
	g_autoptr(GVariant) lis = ctlmsg_obj(netinfo, "lis");
	const char *auth_error = ctlmsg_str(lis, "auth_error");
	const char *last_error = ctlmsg_str(lis, "last_error");

	if (auth_error) {
		/* TRANSLATORS: why a LIS credentials file or client key was
		 * refused at start, in the engine's words */
		g_string_append_printf(out,
				       _("Location server credentials not "
					 "used: %s"),
				       auth_error);
		g_string_append_c(out, '\n');
	}
	if (last_error) {
		/* TRANSLATORS: the LIS's last failure, in the engine's
		 * words (e.g. "LIS https://... refused the credentials") */
		g_string_append_printf(out, _("Location server failing: %s"),
				       last_error);
		g_string_append_c(out, '\n');
	}
}

void lp_window_network_show(LpWindow *self, GVariant *netinfo)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GVariant) wifi = ctlmsg_obj(netinfo, "wifi");
	const char *subnet = ctlmsg_str(netinfo, "subnet");
	g_autoptr(GVariant) site_obj = ctlmsg_obj(netinfo, "site");
	const char *site = site_obj ? ctlmsg_str(site_obj, "name") : NULL;

	/* one fact a line, each ending in "\n" (the last one cut) */
	switch_words(out, netinfo);
	if (wifi) {
		const char *ssid = ctlmsg_str(wifi, "ssid");
		const char *bssid = ctlmsg_str(wifi, "bssid");

		g_string_append_printf(out, _("Wi-Fi %s, access point %s"),
				       ssid ? ssid : _("(hidden)"),
				       bssid ? bssid : "?");
		g_string_append_c(out, '\n');
	}
	if (subnet) {
		g_string_append_printf(out, _("Subnet %s"), subnet);
		g_string_append_c(out, '\n');
	}
	if (ctlmsg_bool(netinfo, "vpn")) {
		g_string_append(out, _("On VPN: the tunnel is not used to "
				       "find you"));
		g_string_append_c(out, '\n');
	}
	if (site) {
		g_string_append_printf(out, _("Network site %s"), site);
		g_string_append_c(out, '\n');
	}
	lis_words(out, netinfo);
	if (out->len)
		g_string_truncate(out, out->len - 1);
	gtk_label_set_text(GTK_LABEL(self->network_label),
			   out->len ? out->str : _("Nothing known yet"));
}

void lp_window_location_event(LpWindow *self, const char *name, GVariant *msg)
{
	if (!g_strcmp0(name, "location.changed"))
		lp_window_location_show(self, msg);
	else if (!g_strcmp0(name, "location.prompt"))
		prompt_show(self, ctlmsg_str(msg, "reason"));
	else if (!g_strcmp0(name, "location.disclaimer"))
		disclaimer_show(self, ctlmsg_str(msg, "disclaimer_text"));
}

void lp_window_location_clear(LpWindow *self)
{
	g_clear_pointer(&self->location, g_variant_unref);
	prompt_close(self);
	gtk_label_set_text(GTK_LABEL(self->location_label), _("Not known"));
	gtk_label_set_text(GTK_LABEL(self->location_source_label), "");
	gtk_label_set_text(GTK_LABEL(self->location_updated_label), "");
	gtk_label_set_text(GTK_LABEL(self->location_reason_label), "");
	gtk_label_set_text(GTK_LABEL(self->network_label),
			   _("Nothing known yet"));
}

void lp_window_open_address_dialog(LpWindow *self)
{
	gtk_widget_show(
		lp_address_dialog_new(GTK_WINDOW(self), self->engine, NULL));
}

void lp_window_open_places_dialog(LpWindow *self)
{
	gtk_widget_show(lp_places_dialog_new(GTK_WINDOW(self), self->engine));
}
