/* LpPlacesDialog: saved places with Use, Edit, Rename and Delete. */

#include <string.h>
#include "places_dialog.h"
#include "address_dialog.h"
#include "ctlmsg.h"
#include "i18n.h"
#include "locwords.h"

#define PLACE_NAME   "locphone-place-name"
#define PLACE_RECORD "locphone-place"

struct _LpPlacesDialog {
	GtkDialog parent_instance;
	LpEngine *engine;
	GtkWidget *places_list;
	GtkWidget *status_label;
};

G_DEFINE_TYPE(LpPlacesDialog, lp_places_dialog, GTK_TYPE_DIALOG)

static void list_request(LpPlacesDialog *self);

static void on_action_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpPlacesDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	const char *reason = ctlmsg_str(result, "reason");
	const char *error = ctlmsg_str(reply, "error");

	if (!self->engine) /* closed meanwhile */
		return;
	gtk_label_set_text(
		GTK_LABEL(self->status_label),
		result ? (reason ? reason : "")
		       : (error ? error : _("the engine is not running")));
	list_request(self);
}

static void place_request(GtkWidget *button, const char *cmd)
{
	LpPlacesDialog *self =
		LP_PLACES_DIALOG(gtk_widget_get_toplevel(button));
	const char *name = g_object_get_data(G_OBJECT(button), PLACE_NAME);

	lp_engine_request(self->engine, cmd,
			  g_variant_new_parsed("{'name': <%s>}", name),
			  on_action_reply, g_object_ref(self));
}

static void on_use_clicked(GtkWidget *button)
{
	place_request(button, "location.use");
}

static void on_delete_response(GtkDialog *ask, gint response,
			       LpPlacesDialog *self)
{
	const char *name = g_object_get_data(G_OBJECT(ask), PLACE_NAME);

	if (response == GTK_RESPONSE_ACCEPT && self->engine)
		lp_engine_request(self->engine, "location.delete",
				  g_variant_new_parsed("{'name': <%s>}", name),
				  on_action_reply, g_object_ref(self));
	gtk_widget_destroy(GTK_WIDGET(ask));
}

/* Deleting cannot be undone: the person says so first. */
static void on_delete_clicked(GtkWidget *button)
{
	LpPlacesDialog *self =
		LP_PLACES_DIALOG(gtk_widget_get_toplevel(button));
	const char *name = g_object_get_data(G_OBJECT(button), PLACE_NAME);
	g_autofree gchar *question = g_strdup_printf(_("Delete “%s”?"), name);
	GtkWidget *ask = gtk_message_dialog_new(
		GTK_WINDOW(self),
		GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
		GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", question);

	gtk_message_dialog_format_secondary_text(
		GTK_MESSAGE_DIALOG(ask), "%s",
		_("Its address is forgotten on every network it was saved "
		  "for."));
	gtk_dialog_add_buttons(GTK_DIALOG(ask), _("_Cancel"),
			       GTK_RESPONSE_CANCEL, _("_Delete"),
			       GTK_RESPONSE_ACCEPT, NULL);
	gtk_dialog_set_default_response(GTK_DIALOG(ask), GTK_RESPONSE_CANCEL);
	atk_object_set_name(gtk_widget_get_accessible(ask), question);
	g_object_set_data_full(G_OBJECT(ask), PLACE_NAME, g_strdup(name),
			       g_free);
	g_signal_connect_object(ask, "response", G_CALLBACK(on_delete_response),
				self, 0);
	gtk_widget_show(ask);
}

static void on_edit_destroy(GtkWidget *dialog, LpPlacesDialog *self)
{
	(void)dialog;
	if (self->engine)
		list_request(self);
	g_object_unref(self);
}

/* The address form, filled with the place; OK saves it (under a new name
 * when it was changed there). */
static void on_edit_clicked(GtkWidget *button)
{
	LpPlacesDialog *self =
		LP_PLACES_DIALOG(gtk_widget_get_toplevel(button));
	GVariant *place = g_object_get_data(G_OBJECT(button), PLACE_RECORD);
	GtkWidget *form = lp_address_dialog_new_place(GTK_WINDOW(self),
						      self->engine, place);

	g_signal_connect(form, "destroy", G_CALLBACK(on_edit_destroy),
			 g_object_ref(self));
	gtk_widget_show(form);
}

/* A rename is the place set here, saved under the new name and deleted
 * under the old (PROTOCOL.md has no rename): each step waits for the
 * engine's yes. */
typedef struct {
	LpPlacesDialog *self;
	gchar *from, *to;
} Rename;

static void rename_free(Rename *r)
{
	g_object_unref(r->self);
	g_free(r->from);
	g_free(r->to);
	g_free(r);
}

static gboolean rename_failed(Rename *r, GVariant *reply, GVariant *result)
{
	const char *error = ctlmsg_str(reply, "error");
	g_autofree gchar *text = NULL;

	if (result)
		return FALSE;
	text = g_strdup_printf(_("“%s” was not renamed: %s"), r->from,
			       reply ? (error ? error : _("refused"))
				     : _("the engine is not running"));
	if (r->self->engine) {
		gtk_label_set_text(GTK_LABEL(r->self->status_label), text);
		list_request(r->self);
	}
	rename_free(r);

	return TRUE;
}

static void on_rename_delete_reply(GVariant *reply, gpointer data)
{
	Rename *r = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autofree gchar *text = NULL;

	if (rename_failed(r, reply, result))
		return;
	text = g_strdup_printf(_("“%s” is now called “%s”."), r->from, r->to);
	if (r->self->engine) {
		gtk_label_set_text(GTK_LABEL(r->self->status_label), text);
		list_request(r->self);
	}
	rename_free(r);
}

static void on_rename_save_reply(GVariant *reply, gpointer data)
{
	Rename *r = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);

	if (rename_failed(r, reply, result) || !r->self->engine)
		return;
	lp_engine_request(r->self->engine, "location.delete",
			  g_variant_new_parsed("{'name': <%s>}", r->from),
			  on_rename_delete_reply, r);
}

static void on_rename_set_reply(GVariant *reply, gpointer data)
{
	Rename *r = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);

	if (rename_failed(r, reply, result) || !r->self->engine)
		return;
	lp_engine_request(r->self->engine, "location.save",
			  g_variant_new_parsed("{'name': <%s>}", r->to),
			  on_rename_save_reply, r);
}

/* location.set's arguments for a saved place: its civic and coord. */
static GVariant *place_args(GVariant *place)
{
	g_autoptr(GVariant) civic = ctlmsg_obj(place, "civic");
	g_autoptr(GVariant) coord = ctlmsg_obj(place, "coord");
	GVariantDict dict;
	GVariant *lat, *lon;

	g_variant_dict_init(&dict, civic);
	lat = coord ? g_variant_lookup_value(coord, "lat", NULL) : NULL;
	lon = coord ? g_variant_lookup_value(coord, "lon", NULL) : NULL;
	if (lat && lon) {
		g_variant_dict_insert_value(&dict, "lat", lat);
		g_variant_dict_insert_value(&dict, "lon", lon);
	}
	if (lat)
		g_variant_unref(lat);
	if (lon)
		g_variant_unref(lon);

	return g_variant_dict_end(&dict);
}

/* Does the list hold a place of this name? */
static gboolean place_exists(LpPlacesDialog *self, const char *name)
{
	g_autoptr(GList) rows =
		gtk_container_get_children(GTK_CONTAINER(self->places_list));
	GList *l;

	for (l = rows; l; l = l->next) {
		GVariant *p = g_object_get_data(l->data, PLACE_RECORD);

		if (p && !g_strcmp0(ctlmsg_str(p, "name"), name))
			return TRUE;
	}

	return FALSE;
}

static void on_rename_response(GtkDialog *ask, gint response,
			       LpPlacesDialog *self)
{
	GVariant *place = g_object_get_data(G_OBJECT(ask), PLACE_RECORD);
	GtkWidget *entry = g_object_get_data(G_OBJECT(ask), "entry");
	GtkWidget *error = g_object_get_data(G_OBJECT(ask), "error");
	const char *name = ctlmsg_str(place, "name");
	g_autofree gchar *to = NULL;
	const char *msg = NULL;
	Rename *r;

	if (response != GTK_RESPONSE_OK || !self->engine) {
		gtk_widget_destroy(GTK_WIDGET(ask));
		return;
	}
	to = g_strstrip(g_strdup(gtk_entry_get_text(GTK_ENTRY(entry))));
	if (!*to)
		msg = _("Enter a name.");
	else if (strcmp(to, name) && place_exists(self, to))
		msg = _("A place of that name exists already.");
	if (msg) {
		/* said at the field, which a screen reader reads out */
		gtk_label_set_text(GTK_LABEL(error), msg);
		atk_object_set_description(gtk_widget_get_accessible(entry),
					   msg);
		gtk_widget_grab_focus(entry);
		return;
	}
	if (strcmp(to, name)) {
		r = g_new0(Rename, 1);
		r->self = g_object_ref(self);
		r->from = g_strdup(name);
		r->to = g_steal_pointer(&to);
		lp_engine_request(self->engine, "location.set",
				  place_args(place), on_rename_set_reply, r);
	}
	gtk_widget_destroy(GTK_WIDGET(ask));
}

static void on_rename_clicked(GtkWidget *button)
{
	LpPlacesDialog *self =
		LP_PLACES_DIALOG(gtk_widget_get_toplevel(button));
	GVariant *place = g_object_get_data(G_OBJECT(button), PLACE_RECORD);
	const char *name = ctlmsg_str(place, "name");
	g_autofree gchar *title = g_strdup_printf(_("Rename “%s”"), name);
	GtkWidget *ask, *box, *label, *entry, *error;

	ask = gtk_dialog_new_with_buttons(
		title, GTK_WINDOW(self),
		GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, _("_Cancel"),
		GTK_RESPONSE_CANCEL, _("_Rename"), GTK_RESPONSE_OK, NULL);
	gtk_dialog_set_default_response(GTK_DIALOG(ask), GTK_RESPONSE_OK);
	box = gtk_dialog_get_content_area(GTK_DIALOG(ask));
	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	gtk_box_set_spacing(GTK_BOX(box), 6);
	label = gtk_label_new_with_mnemonic(_("_New name"));
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	entry = gtk_entry_new();
	gtk_entry_set_max_length(GTK_ENTRY(entry), 64);
	gtk_entry_set_text(GTK_ENTRY(entry), name);
	gtk_entry_set_activates_default(GTK_ENTRY(entry), TRUE);
	gtk_label_set_mnemonic_widget(GTK_LABEL(label), entry);
	atk_object_set_name(gtk_widget_get_accessible(entry), _("New name"));
	error = gtk_label_new(NULL);
	gtk_label_set_xalign(GTK_LABEL(error), 0);
	gtk_style_context_add_class(gtk_widget_get_style_context(error),
				    "field-error");
	gtk_container_add(GTK_CONTAINER(box), label);
	gtk_container_add(GTK_CONTAINER(box), entry);
	gtk_container_add(GTK_CONTAINER(box), error);
	gtk_widget_show_all(box);
	g_object_set_data_full(G_OBJECT(ask), PLACE_RECORD,
			       g_variant_ref(place),
			       (GDestroyNotify)g_variant_unref);
	g_object_set_data(G_OBJECT(ask), "entry", entry);
	g_object_set_data(G_OBJECT(ask), "error", error);
	g_signal_connect_object(ask, "response", G_CALLBACK(on_rename_response),
				self, 0);
	gtk_widget_show(ask);
}

static GtkWidget *place_button(const char *label, GVariant *place,
			       GCallback clicked)
{
	GtkWidget *b = gtk_button_new_with_mnemonic(label);

	g_object_set_data_full(G_OBJECT(b), PLACE_NAME,
			       g_strdup(ctlmsg_str(place, "name")), g_free);
	g_object_set_data_full(G_OBJECT(b), PLACE_RECORD, g_variant_ref(place),
			       (GDestroyNotify)g_variant_unref);
	g_signal_connect(b, "clicked", clicked, NULL);

	return b;
}

/* One row: "Home — 1 Main St, ... (here)", Use, Edit, Rename, Delete. */
static void place_add(LpPlacesDialog *self, GVariant *place)
{
	const char *name = ctlmsg_str(place, "name");
	g_autofree gchar *words = locwords_record(place);
	g_autofree gchar *text = NULL;
	GtkWidget *row, *box, *label;

	if (!name)
		return;
	/* TRANSLATORS: a saved place's name, then its address */
	text = g_strdup_printf(ctlmsg_bool(place, "here") ? _("%s — %s (here)")
							  : _("%s — %s"),
			       name, words ? words : "");
	row = gtk_list_box_row_new();
	atk_object_set_name(gtk_widget_get_accessible(row), name);
	box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	label = gtk_label_new(text);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_widget_set_hexpand(label, TRUE);
	gtk_container_add(GTK_CONTAINER(box), label);
	gtk_container_add(
		GTK_CONTAINER(box),
		place_button(_("_Use"), place, G_CALLBACK(on_use_clicked)));
	gtk_container_add(
		GTK_CONTAINER(box),
		place_button(_("_Edit"), place, G_CALLBACK(on_edit_clicked)));
	gtk_container_add(GTK_CONTAINER(box),
			  place_button(_("_Rename"), place,
				       G_CALLBACK(on_rename_clicked)));
	gtk_container_add(GTK_CONTAINER(box),
			  place_button(_("_Delete"), place,
				       G_CALLBACK(on_delete_clicked)));
	gtk_container_add(GTK_CONTAINER(row), box);
	g_object_set_data_full(G_OBJECT(row), PLACE_RECORD,
			       g_variant_ref(place),
			       (GDestroyNotify)g_variant_unref);
	gtk_widget_show_all(row);
	gtk_container_add(GTK_CONTAINER(self->places_list), row);
}

static void on_list_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpPlacesDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) places = NULL;
	g_autoptr(GList) rows = NULL;
	GVariantIter iter;
	GVariant *v;
	GList *l;

	if (!self->engine || !result)
		return;
	rows = gtk_container_get_children(GTK_CONTAINER(self->places_list));
	for (l = rows; l; l = l->next)
		gtk_widget_destroy(l->data);
	places = g_variant_lookup_value(result, "locations",
					G_VARIANT_TYPE("av"));
	if (!places)
		return;
	g_variant_iter_init(&iter, places);
	while (g_variant_iter_loop(&iter, "v", &v)) {
		if (g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT))
			place_add(self, v);
	}
}

static void list_request(LpPlacesDialog *self)
{
	lp_engine_request(self->engine, "location.list", NULL, on_list_reply,
			  g_object_ref(self));
}

static void on_close_response(LpPlacesDialog *self)
{
	gtk_widget_destroy(GTK_WIDGET(self));
}

static void lp_places_dialog_dispose(GObject *object)
{
	LpPlacesDialog *self = LP_PLACES_DIALOG(object);

	g_clear_object(&self->engine);

	G_OBJECT_CLASS(lp_places_dialog_parent_class)->dispose(object);
}

static void lp_places_dialog_class_init(LpPlacesDialogClass *klass)
{
	GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = lp_places_dialog_dispose;
	gtk_widget_class_set_template_from_resource(
		wc, "/org/locphone/ui/places-dialog.ui");
	gtk_widget_class_bind_template_child(wc, LpPlacesDialog, places_list);
	gtk_widget_class_bind_template_child(wc, LpPlacesDialog, status_label);
	gtk_widget_class_bind_template_callback(wc, on_close_response);
}

static void lp_places_dialog_init(LpPlacesDialog *self)
{
	GtkWidget *none = gtk_label_new(_("No saved places"));

	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_widget_show(none);
	gtk_list_box_set_placeholder(GTK_LIST_BOX(self->places_list), none);
}

GtkWidget *lp_places_dialog_new(GtkWindow *parent, LpEngine *engine)
{
	LpPlacesDialog *self;

	g_return_val_if_fail(LP_IS_ENGINE(engine), NULL);

	self = g_object_new(LP_TYPE_PLACES_DIALOG, "transient-for", parent,
			    NULL);
	self->engine = g_object_ref(engine);
	list_request(self);

	return GTK_WIDGET(self);
}
