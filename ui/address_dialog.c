/* LpAddressDialog: civic fields to location.set and location.save. */

#include "address_dialog.h"
#include "ctlmsg.h"

struct _LpAddressDialog {
	GtkDialog parent_instance;
	LpEngine *engine;
	GtkWidget *entries[9];
	GtkWidget *name_entry;
	GtkWidget *reason_label;
	GtkWidget *error_label;
};

G_DEFINE_TYPE(LpAddressDialog, lp_address_dialog, GTK_TYPE_DIALOG)

/* The .ui's entries and the RFC 5139 element each one fills, the names
 * location.set takes (PROTOCOL.md; locphonectl_location.c). */
static const struct {
	const char *widget;
	const char *element;
} fields[] = {
	{"country_entry", "country"}, {"a1_entry", "A1"},
	{"a3_entry", "A3"},	      {"rd_entry", "RD"},
	{"sts_entry", "STS"},	      {"hno_entry", "HNO"},
	{"flr_entry", "FLR"},	      {"room_entry", "ROOM"},
	{"pc_entry", "PC"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(fields) ==
		G_N_ELEMENTS(((LpAddressDialog *)0)->entries));

static void error_show(LpAddressDialog *self, GVariant *reply)
{
	const char *error = ctlmsg_str(reply, "error");

	gtk_label_set_text(GTK_LABEL(self->error_label),
			   reply ? (error ? error : "refused")
				 : "the engine is not running");
	gtk_widget_set_sensitive(GTK_WIDGET(self), TRUE);
}

static void on_save_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpAddressDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);

	if (!self->engine) /* closed meanwhile */
		return;
	if (!result) {
		error_show(self, reply);
		return;
	}
	gtk_widget_destroy(GTK_WIDGET(self));
}

static void on_set_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpAddressDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	const char *name;

	if (!self->engine) /* closed meanwhile */
		return;
	name = gtk_entry_get_text(GTK_ENTRY(self->name_entry));
	if (!result) {
		error_show(self, reply);
		return;
	}
	if (!*name) {
		gtk_widget_destroy(GTK_WIDGET(self));
		return;
	}
	lp_engine_request(self->engine, "location.save",
			  g_variant_new_parsed("{'name': <%s>}", name),
			  on_save_reply, g_object_ref(self));
}

/* Empty fields are left out: the engine names what is missing. */
static GVariant *civic_args(LpAddressDialog *self)
{
	GVariantDict args;
	gsize i;

	g_variant_dict_init(&args, NULL);
	for (i = 0; i < G_N_ELEMENTS(fields); i++) {
		const char *v = gtk_entry_get_text(GTK_ENTRY(self->entries[i]));
		g_autofree gchar *trimmed = g_strstrip(g_strdup(v));

		if (*trimmed)
			g_variant_dict_insert(&args, fields[i].element, "s",
					      trimmed);
	}

	return g_variant_dict_end(&args);
}

static void on_response(LpAddressDialog *self, gint response)
{
	if (response != GTK_RESPONSE_OK) {
		gtk_widget_destroy(GTK_WIDGET(self));
		return;
	}
	gtk_label_set_text(GTK_LABEL(self->error_label), "");
	gtk_widget_set_sensitive(GTK_WIDGET(self), FALSE);
	lp_engine_request(self->engine, "location.set", civic_args(self),
			  on_set_reply, g_object_ref(self));
}

static void lp_address_dialog_dispose(GObject *object)
{
	LpAddressDialog *self = LP_ADDRESS_DIALOG(object);

	g_clear_object(&self->engine);

	G_OBJECT_CLASS(lp_address_dialog_parent_class)->dispose(object);
}

static void lp_address_dialog_class_init(LpAddressDialogClass *klass)
{
	GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);
	gsize i;

	G_OBJECT_CLASS(klass)->dispose = lp_address_dialog_dispose;
	gtk_widget_class_set_template_from_resource(
		wc, "/org/locphone/ui/address-dialog.ui");
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, name_entry);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, reason_label);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, error_label);
	gtk_widget_class_bind_template_callback(wc, on_response);
	for (i = 0; i < G_N_ELEMENTS(fields); i++)
		gtk_widget_class_bind_template_child_full(wc, fields[i].widget,
							  FALSE, 0);
}

static void lp_address_dialog_init(LpAddressDialog *self)
{
	gsize i;

	gtk_widget_init_template(GTK_WIDGET(self));
	for (i = 0; i < G_N_ELEMENTS(fields); i++)
		self->entries[i] = GTK_WIDGET(gtk_widget_get_template_child(
			GTK_WIDGET(self), LP_TYPE_ADDRESS_DIALOG,
			fields[i].widget));
}

GtkWidget *lp_address_dialog_new(GtkWindow *parent, LpEngine *engine,
				 const char *reason)
{
	LpAddressDialog *self;

	g_return_val_if_fail(LP_IS_ENGINE(engine), NULL);

	self = g_object_new(LP_TYPE_ADDRESS_DIALOG, "transient-for", parent,
			    NULL);
	self->engine = g_object_ref(engine);
	if (reason)
		gtk_label_set_text(GTK_LABEL(self->reason_label), reason);

	return GTK_WIDGET(self);
}
