/* LpPlacesDialog: saved places with Use and Delete. */

#include "places_dialog.h"
#include "ctlmsg.h"
#include "locwords.h"

#define PLACE_NAME "locphone-place-name"

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
	gtk_label_set_text(GTK_LABEL(self->status_label),
			   result ? (reason ? reason : "")
				  : (error ? error
					   : "the engine is not "
					     "running"));
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

static void on_delete_clicked(GtkWidget *button)
{
	place_request(button, "location.delete");
}

static GtkWidget *place_button(const char *label, const char *name,
			       GCallback clicked)
{
	GtkWidget *b = gtk_button_new_with_label(label);

	atk_object_set_name(gtk_widget_get_accessible(b), label);
	g_object_set_data_full(G_OBJECT(b), PLACE_NAME, g_strdup(name), g_free);
	g_signal_connect(b, "clicked", clicked, NULL);

	return b;
}

/* One row: "Home — 1 Main St, ... (here)", Use, Delete. */
static void place_add(LpPlacesDialog *self, GVariant *place)
{
	const char *name = ctlmsg_str(place, "name");
	g_autofree gchar *words = locwords_record(place);
	g_autofree gchar *text = NULL;
	GtkWidget *row, *box, *label;

	if (!name)
		return;
	text = g_strdup_printf("%s — %s%s", name, words ? words : "",
			       ctlmsg_bool(place, "here") ? " (here)" : "");
	row = gtk_list_box_row_new();
	atk_object_set_name(gtk_widget_get_accessible(row), name);
	box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	label = gtk_label_new(text);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_widget_set_hexpand(label, TRUE);
	gtk_container_add(GTK_CONTAINER(box), label);
	gtk_container_add(
		GTK_CONTAINER(box),
		place_button("Use", name, G_CALLBACK(on_use_clicked)));
	gtk_container_add(
		GTK_CONTAINER(box),
		place_button("Delete", name, G_CALLBACK(on_delete_clicked)));
	gtk_container_add(GTK_CONTAINER(row), box);
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
	GtkWidget *none = gtk_label_new("No saved places");

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
