/* LpAddressDialog: an address as the person's country writes it, to
 * location.set and location.save. */

#include <locale.h>
#include <string.h>
#include "address_dialog.h"
#include "addrformat.h"
#include "ctlmsg.h"
#include "i18n.h"

/* One field of the form as laid out. */
typedef struct {
	const AddrField *field; /* NULL: an element outside the country's
				 * form, kept from the address in use */
	gchar *element;
	const char *label;
	GtkWidget *caption;
	GtkWidget *entry; /* the GtkEntry typed into (a combo's own entry) */
	GtkWidget *error;
} Row;

struct _LpAddressDialog {
	GtkDialog parent_instance;
	LpEngine *engine;
	GtkWidget *reason_label;
	GtkWidget *country_grid;
	GtkWidget *country_label;
	GtkWidget *fields_grid;
	GtkWidget *name_label;
	GtkWidget *name_entry;
	GtkWidget *error_label;
	GtkWidget *country_entry;
	GtkWidget *country_error;
	GtkSizeGroup *captions;
	const AddrLayout *layout;
	GPtrArray *rows;
	GVariant *prefill;     /* the civic the form was filled with */
	gchar *street_prefill; /* its street on one line */
	gboolean have_coord;   /* the prefill's place came with these */
	gdouble lat, lon;
	gchar *place; /* the saved place edited, or NULL */
};

G_DEFINE_TYPE(LpAddressDialog, lp_address_dialog, GTK_TYPE_DIALOG)

/* JSON has one number type: 47 arrives as an integer, 47.5 as a double. */
static gboolean degrees_lookup(GVariant *dict, const char *key, gdouble *out)
{
	gint64 i;

	if (g_variant_lookup(dict, key, "d", out))
		return TRUE;
	if (!g_variant_lookup(dict, key, "x", &i))
		return FALSE;
	*out = (gdouble)i;

	return TRUE;
}

static gboolean coord_lookup(LpAddressDialog *self, GVariant *dict)
{
	return dict && degrees_lookup(dict, "lat", &self->lat) &&
	       degrees_lookup(dict, "lon", &self->lon);
}

static void row_free(gpointer data)
{
	Row *row = data;

	g_free(row->element);
	g_free(row);
}

/* The error under a field: in words, and the field's accessible
 * description (with a described-by relation to it), so a screen reader
 * says it when the field gets the focus. */
static void field_error_set(GtkWidget *entry, GtkWidget *error,
			    const char *text)
{
	AtkObject *acc = gtk_widget_get_accessible(entry);
	AtkObject *err_acc = gtk_widget_get_accessible(error);

	gtk_label_set_text(GTK_LABEL(error), text ? text : "");
	gtk_widget_set_visible(error, text != NULL);
	atk_object_set_description(acc, text ? text : "");
	if (text) {
		atk_object_add_relationship(acc, ATK_RELATION_DESCRIBED_BY,
					    err_acc);
		atk_object_add_relationship(err_acc,
					    ATK_RELATION_DESCRIPTION_FOR, acc);
	} else {
		atk_object_remove_relationship(acc, ATK_RELATION_DESCRIBED_BY,
					       err_acc);
		atk_object_remove_relationship(
			err_acc, ATK_RELATION_DESCRIPTION_FOR, acc);
	}
}

static void on_field_changed(GtkEntry *entry, GtkWidget *error)
{
	if (gtk_widget_get_visible(error))
		field_error_set(GTK_WIDGET(entry), error, NULL);
}

static GtkWidget *error_label_new(void)
{
	GtkWidget *l = gtk_label_new(NULL);

	gtk_label_set_xalign(GTK_LABEL(l), 0);
	gtk_label_set_line_wrap(GTK_LABEL(l), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(l), 40);
	gtk_style_context_add_class(gtk_widget_get_style_context(l),
				    "field-error");
	gtk_widget_set_no_show_all(l, TRUE);

	return l;
}

/* The list's button is reached with Alt+Down in the entry: Tab goes
 * from field to field. */
static void combo_button_unfocus(GtkWidget *child, gpointer data)
{
	(void)data;
	if (GTK_IS_TOGGLE_BUTTON(child))
		gtk_widget_set_can_focus(child, FALSE);
	else if (GTK_IS_CONTAINER(child) && !GTK_IS_ENTRY(child))
		gtk_container_forall(GTK_CONTAINER(child), combo_button_unfocus,
				     NULL);
}

/* A name starting with what was typed, or the code typed whole: "de"
 * offers Germany beside Denmark, so inline completion leaves it alone. */
static gboolean choice_match(GtkEntryCompletion *completion, const gchar *key,
			     GtkTreeIter *iter, gpointer data)
{
	GtkTreeModel *model = gtk_entry_completion_get_model(completion);
	g_autofree gchar *name = NULL, *value = NULL;
	g_autofree gchar *n_name = NULL, *n_value = NULL;
	g_autofree gchar *f_name = NULL, *f_value = NULL;

	(void)data;
	gtk_tree_model_get(model, iter, 0, &name, 1, &value, -1);
	if (!name || !value)
		return FALSE;
	n_name = g_utf8_normalize(name, -1, G_NORMALIZE_ALL);
	n_value = g_utf8_normalize(value, -1, G_NORMALIZE_ALL);
	if (!n_name || !n_value)
		return FALSE;
	f_name = g_utf8_casefold(n_name, -1);
	f_value = g_utf8_casefold(n_value, -1);

	return g_str_has_prefix(f_name, key) || !strcmp(f_value, key);
}

/* A list to pick from that also takes typing: a combo box with an entry
 * that completes what is typed (column 0 the name, 1 what is stored). */
static GtkWidget *choice_combo_new(const AddrChoice *choices, gsize n,
				   GtkWidget **entry)
{
	g_autoptr(GtkListStore) store =
		gtk_list_store_new(2, G_TYPE_STRING, G_TYPE_STRING);
	g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new();
	GtkWidget *combo;
	gsize i;

	for (i = 0; i < n; i++)
		gtk_list_store_insert_with_values(store, NULL, -1, 0,
						  choices[i].name, 1,
						  choices[i].value, -1);
	combo = gtk_combo_box_new_with_model_and_entry(GTK_TREE_MODEL(store));
	gtk_combo_box_set_entry_text_column(GTK_COMBO_BOX(combo), 0);
	gtk_combo_box_set_id_column(GTK_COMBO_BOX(combo), 1);
	gtk_widget_set_hexpand(combo, TRUE);
	*entry = gtk_bin_get_child(GTK_BIN(combo));
	gtk_entry_set_activates_default(GTK_ENTRY(*entry), TRUE);

	gtk_entry_completion_set_model(completion, GTK_TREE_MODEL(store));
	gtk_entry_completion_set_text_column(completion, 0);
	gtk_entry_completion_set_match_func(completion, choice_match, NULL,
					    NULL);
	gtk_entry_completion_set_inline_completion(completion, TRUE);
	gtk_entry_completion_set_popup_completion(completion, FALSE);
	gtk_entry_set_completion(GTK_ENTRY(*entry), completion);
	gtk_container_forall(GTK_CONTAINER(combo), combo_button_unfocus, NULL);

	return combo;
}

/* The form's widgets for one field at grid row 2*i (its error below). */
static Row *row_add(LpAddressDialog *self, const AddrField *field,
		    const char *element, const char *label, gint i)
{
	Row *row = g_new0(Row, 1);
	GtkWidget *widget;
	gint max = addrformat_element_max(element);

	row->field = field;
	row->element = g_strdup(element);
	if (field)
		label = _(label);
	row->label = label;
	row->caption = gtk_label_new(label);
	gtk_label_set_xalign(GTK_LABEL(row->caption), 0);
	gtk_size_group_add_widget(self->captions, row->caption);
	if (field && field->choices) {
		widget = choice_combo_new(field->choices, field->n_choices,
					  &row->entry);
	} else {
		widget = row->entry = gtk_entry_new();
		gtk_widget_set_hexpand(widget, TRUE);
		gtk_entry_set_activates_default(GTK_ENTRY(widget), TRUE);
	}
	if (max && !(field && !strcmp(element, "RD")))
		gtk_entry_set_max_length(GTK_ENTRY(row->entry), max);
	gtk_label_set_mnemonic_widget(GTK_LABEL(row->caption), row->entry);
	atk_object_set_name(gtk_widget_get_accessible(row->entry), label);
	row->error = error_label_new();
	g_signal_connect(row->entry, "changed", G_CALLBACK(on_field_changed),
			 row->error);

	gtk_grid_attach(GTK_GRID(self->fields_grid), row->caption, 0, 2 * i, 1,
			1);
	gtk_grid_attach(GTK_GRID(self->fields_grid), widget, 1, 2 * i, 1, 1);
	gtk_grid_attach(GTK_GRID(self->fields_grid), row->error, 1, 2 * i + 1,
			1, 1);
	gtk_widget_show(row->caption);
	gtk_widget_show(widget);
	g_ptr_array_add(self->rows, row);

	return row;
}

/* What the form holds now, element -> text as typed. */
static GHashTable *values_collect(LpAddressDialog *self)
{
	GHashTable *values =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint i;

	for (i = 0; i < self->rows->len; i++) {
		Row *row = g_ptr_array_index(self->rows, i);
		const char *text = gtk_entry_get_text(GTK_ENTRY(row->entry));

		if (*text)
			g_hash_table_insert(values, g_strdup(row->element),
					    g_strdup(text));
	}

	return values;
}

static gboolean in_layout(const AddrLayout *layout, const char *element)
{
	gsize i;

	/* the street field holds the street's direction and suffix too */
	if (!strcmp(element, "PRD") || !strcmp(element, "STS") ||
	    !strcmp(element, "POD") || !strcmp(element, "country"))
		return TRUE;
	for (i = 0; i < layout->n_fields; i++) {
		if (!strcmp(element, layout->fields[i].element))
			return TRUE;
	}

	return FALSE;
}

static gint str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lay the form out for layout, keeping what values hold: a field of the
 * old form the new one lacks stays as a field of its own below. */
static void layout_set(LpAddressDialog *self, const AddrLayout *layout,
		       GHashTable *values)
{
	g_autoptr(GList) old = NULL;
	g_autoptr(GPtrArray) extra = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;
	GList *l;
	gsize i;
	gint n = 0;

	old = gtk_container_get_children(GTK_CONTAINER(self->fields_grid));
	for (l = old; l; l = l->next)
		gtk_widget_destroy(l->data);
	g_ptr_array_set_size(self->rows, 0);
	self->layout = layout;

	for (i = 0; i < layout->n_fields; i++) {
		const AddrField *f = &layout->fields[i];

		row_add(self, f, f->element, f->label, n++);
	}
	g_hash_table_iter_init(&it, values);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		if (!in_layout(layout, key) && addrformat_element_label(key))
			g_ptr_array_add(extra, key);
	}
	g_ptr_array_sort(extra, str_cmp);
	for (i = 0; i < extra->len; i++) {
		const char *e = g_ptr_array_index(extra, i);

		row_add(self, NULL, e, addrformat_element_label(e), n++);
	}
	for (i = 0; i < self->rows->len; i++) {
		Row *row = g_ptr_array_index(self->rows, i);
		const char *v = g_hash_table_lookup(values, row->element);
		const char *name;

		if (!v)
			continue;
		name = row->field && row->field->choices
			       ? addrformat_choice_name(row->field, v)
			       : NULL;
		gtk_entry_set_text(GTK_ENTRY(row->entry), name ? name : v);
	}
}

static void on_country_changed(GtkEntry *entry, LpAddressDialog *self)
{
	const char *code = addrformat_country_code(gtk_entry_get_text(entry));
	const AddrLayout *layout;

	on_field_changed(entry, self->country_error);
	/* while the name is half typed, the form stays as it is */
	if (!code)
		return;
	layout = addrformat_layout(code);
	if (layout != self->layout) {
		g_autoptr(GHashTable) values = values_collect(self);

		layout_set(self, layout, values);
	}
}

/* "de" or "DE" typed: the country's name is shown. */
static gboolean on_country_focus_out(GtkWidget *entry, GdkEvent *event,
				     LpAddressDialog *self)
{
	const char *text = gtk_entry_get_text(GTK_ENTRY(entry));
	const char *name =
		addrformat_country_name(addrformat_country_code(text));

	(void)event;
	(void)self;
	if (name && strcmp(name, text))
		gtk_entry_set_text(GTK_ENTRY(entry), name);

	return GDK_EVENT_PROPAGATE;
}

static void first_field_focus(LpAddressDialog *self)
{
	Row *row;

	if (!*gtk_entry_get_text(GTK_ENTRY(self->country_entry)) ||
	    !self->rows->len) {
		gtk_widget_grab_focus(self->country_entry);
		return;
	}
	row = g_ptr_array_index(self->rows, 0);
	gtk_widget_grab_focus(row->entry);
}

/* Fill the form with a civic address (a{sv}), or only the country when
 * civic is NULL: from the locale, else none (the generic form). */
static void prefill(LpAddressDialog *self, GVariant *civic)
{
	g_autoptr(GHashTable) values =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *country = ctlmsg_str(civic, "country");
	GVariantIter it;
	const char *key;
	GVariant *v;

	if (civic) {
		g_variant_iter_init(&it, civic);
		while (g_variant_iter_loop(&it, "{&sv}", &key, &v)) {
			if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
				g_hash_table_insert(
					values, g_strdup(key),
					g_variant_dup_string(v, NULL));
		}
		g_free(self->street_prefill);
		self->street_prefill = addrformat_street_join(civic);
		if (*self->street_prefill)
			g_hash_table_insert(values, g_strdup("RD"),
					    g_strdup(self->street_prefill));
		g_clear_pointer(&self->prefill, g_variant_unref);
		self->prefill = g_variant_ref(civic);
	}
	if (!addrformat_country_name(country)) {
#ifdef LC_ADDRESS
		country =
			addrformat_locale_country(setlocale(LC_ADDRESS, NULL));
#else
		country = NULL;
#endif
		if (!country)
			country = addrformat_locale_country(
				setlocale(LC_MESSAGES, NULL));
	}
	/* laid out before the country is set, so setting it changes
	 * nothing more */
	layout_set(self, addrformat_layout(country), values);
	gtk_entry_set_text(GTK_ENTRY(self->country_entry),
			   country ? addrformat_country_name(country) : "");
	first_field_focus(self);
}

static void on_location_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpAddressDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autoptr(GVariant) civic = ctlmsg_obj(result, "civic");
	g_autoptr(GVariant) geo = ctlmsg_obj(result, "geo");
	const char *source = ctlmsg_str(result, "source");

	if (!self->engine) /* closed meanwhile */
		return;
	/* coordinates the person entered go with their address; a LIS's
	 * or a switch's do not describe what the person types */
	if (!g_strcmp0(source, "manual"))
		self->have_coord = coord_lookup(self, geo);
	prefill(self, civic && g_variant_n_children(civic) ? civic : NULL);
	gtk_widget_set_sensitive(GTK_WIDGET(self), TRUE);
	first_field_focus(self);
}

static void general_error(LpAddressDialog *self, const char *text)
{
	gtk_label_set_text(GTK_LABEL(self->error_label), text ? text : "");
	gtk_widget_set_visible(self->error_label, text && *text);
}

static Row *row_for(LpAddressDialog *self, const char *element)
{
	guint i;

	if (!strcmp(element, "PRD") || !strcmp(element, "STS") ||
	    !strcmp(element, "POD"))
		element = "RD";
	for (i = 0; i < self->rows->len; i++) {
		Row *row = g_ptr_array_index(self->rows, i);

		if (!strcmp(row->element, element))
			return row;
	}

	return NULL;
}

/* The engine's refusal, each problem at its field in words; the focus
 * goes to the first field with a problem. */
static void problems_show(LpAddressDialog *self, const char *error)
{
	g_autoptr(GArray) probs = addrformat_problems(error);
	g_autoptr(GString) general = g_string_new(NULL);
	GtkWidget *first = NULL;
	guint first_i = G_MAXUINT, i, j;

	for (i = 0; i < probs->len; i++) {
		const AddrProblem *p = &g_array_index(probs, AddrProblem, i);
		Row *row = p->element ? row_for(self, p->element) : NULL;
		g_autofree gchar *words = NULL;

		if (p->element && !strcmp(p->element, "country")) {
			words = addrformat_problem_words(p, _("Country"));
			field_error_set(self->country_entry,
					self->country_error, words);
			first = self->country_entry;
			first_i = 0;
			continue;
		}
		if (!row) {
			words = addrformat_problem_words(
				p, p->element ? addrformat_element_label(
							p->element)
					      : NULL);
			if (general->len)
				g_string_append_c(general, '\n');
			g_string_append(general, words);
			continue;
		}
		words = addrformat_problem_words(p, row->label);
		field_error_set(row->entry, row->error, words);
		for (j = 0; j < self->rows->len; j++) {
			if (g_ptr_array_index(self->rows, j) == row &&
			    j + 1 < first_i) {
				first_i = j + 1;
				first = row->entry;
			}
		}
	}
	general_error(self, general->str);
	if (first)
		gtk_widget_grab_focus(first);
}

static void errors_clear(LpAddressDialog *self)
{
	guint i;

	general_error(self, NULL);
	field_error_set(self->country_entry, self->country_error, NULL);
	for (i = 0; i < self->rows->len; i++) {
		Row *row = g_ptr_array_index(self->rows, i);

		field_error_set(row->entry, row->error, NULL);
	}
}

static void refused(LpAddressDialog *self, GVariant *reply)
{
	const char *error = ctlmsg_str(reply, "error");

	gtk_widget_set_sensitive(GTK_WIDGET(self), TRUE);
	if (!reply)
		general_error(self, _("The phone's engine is not running: "
				      "nothing was changed."));
	else if (!error)
		general_error(self, _("The phone refused the address."));
	else
		problems_show(self, error);
}

static void on_delete_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpAddressDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);

	if (!self->engine) /* closed meanwhile */
		return;
	if (!result) {
		refused(self, reply);
		return;
	}
	gtk_widget_destroy(GTK_WIDGET(self));
}

static void on_save_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpAddressDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	const char *name = ctlmsg_str(result, "name");

	if (!self->engine) /* closed meanwhile */
		return;
	if (!result) {
		refused(self, reply);
		return;
	}
	/* renamed while edited: saved under the new name, the old goes */
	if (self->place && name && strcmp(name, self->place)) {
		lp_engine_request(
			self->engine, "location.delete",
			g_variant_new_parsed("{'name': <%s>}", self->place),
			on_delete_reply, g_object_ref(self));
		return;
	}
	gtk_widget_destroy(GTK_WIDGET(self));
}

static void on_set_reply(GVariant *reply, gpointer data)
{
	g_autoptr(LpAddressDialog) self = data;
	g_autoptr(GVariant) result = lp_reply_result(reply);
	g_autofree gchar *name = NULL;

	if (!self->engine) /* closed meanwhile */
		return;
	if (!result) {
		refused(self, reply);
		return;
	}
	name = g_strstrip(
		g_strdup(gtk_entry_get_text(GTK_ENTRY(self->name_entry))));
	if (!*name) {
		gtk_widget_destroy(GTK_WIDGET(self));
		return;
	}
	lp_engine_request(self->engine, "location.save",
			  g_variant_new_parsed("{'name': <%s>}", name),
			  on_save_reply, g_object_ref(self));
}

/* Does the civic of args (a{sv}) say what the prefill said? */
static gboolean same_as_prefill(LpAddressDialog *self, GVariant *args)
{
	GVariantIter it;
	const char *key;
	GVariant *v;
	gsize n = 0;

	if (!self->prefill)
		return FALSE;
	g_variant_iter_init(&it, self->prefill);
	while (g_variant_iter_loop(&it, "{&sv}", &key, &v)) {
		g_autoptr(GVariant) mine =
			g_variant_lookup_value(args, key, NULL);

		if (!g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
			continue;
		if (!mine || !g_variant_equal(mine, v))
			return FALSE;
		n++;
	}

	return n == g_variant_n_children(args);
}

/*
 * The form as location.set's arguments, or NULL when a field holds what
 * only a pick from its list can (the errors are then shown).  Empty
 * fields are left out: the engine names what is missing.
 */
static GVariant *civic_args(LpAddressDialog *self)
{
	g_autoptr(GVariant) args = NULL;
	const char *code = addrformat_country_code(
		gtk_entry_get_text(GTK_ENTRY(self->country_entry)));
	GVariantDict dict;
	GtkWidget *first = NULL;
	guint i;

	g_variant_dict_init(&dict, NULL);
	if (code) {
		g_variant_dict_insert(&dict, "country", "s", code);
	} else {
		field_error_set(self->country_entry, self->country_error,
				_("Choose a country from the list."));
		first = self->country_entry;
	}
	for (i = 0; i < self->rows->len; i++) {
		Row *row = g_ptr_array_index(self->rows, i);
		g_autofree gchar *v = g_strstrip(
			g_strdup(gtk_entry_get_text(GTK_ENTRY(row->entry))));
		const char *picked;

		if (!*v)
			continue;
		if (row->field && !strcmp(row->element, "RD")) {
			if (self->street_prefill &&
			    !strcmp(v, self->street_prefill)) {
				static const char *const parts[] = {
					"PRD", "RD", "STS", "POD"};
				gsize k;

				/* unchanged: as it came, parts and all */
				for (k = 0; k < G_N_ELEMENTS(parts); k++) {
					const char *p = ctlmsg_str(
						self->prefill, parts[k]);

					if (p && *p)
						g_variant_dict_insert(&dict,
								      parts[k],
								      "s", p);
				}
			} else {
				addrformat_street_split(self->layout, v, &dict);
			}
			continue;
		}
		if (row->field && row->field->choices) {
			picked = addrformat_choice_value(row->field, v);
			if (!picked) {
				/* TRANSLATORS: %s is the field's label */
				g_autofree gchar *msg = g_strdup_printf(
					_("%s: choose one from the list."),
					row->label);

				field_error_set(row->entry, row->error, msg);
				if (!first)
					first = row->entry;
				continue;
			}
			g_variant_dict_insert(&dict, row->element, "s", picked);
			continue;
		}
		g_variant_dict_insert(&dict, row->element, "s", v);
	}
	args = g_variant_ref_sink(g_variant_dict_end(&dict));
	if (first) {
		gtk_widget_grab_focus(first);
		return NULL;
	}
	/* a place's coordinates stay only with the address they came with */
	if (self->have_coord && same_as_prefill(self, args)) {
		g_variant_dict_init(&dict, args);
		g_variant_dict_insert(&dict, "lat", "d", self->lat);
		g_variant_dict_insert(&dict, "lon", "d", self->lon);
		g_variant_unref(args);
		args = g_variant_ref_sink(g_variant_dict_end(&dict));
	}

	return g_steal_pointer(&args);
}

static void on_response(LpAddressDialog *self, gint response)
{
	GVariant *args;

	if (response != GTK_RESPONSE_OK) {
		gtk_widget_destroy(GTK_WIDGET(self));
		return;
	}
	errors_clear(self);
	args = civic_args(self);
	if (!args)
		return;
	gtk_widget_set_sensitive(GTK_WIDGET(self), FALSE);
	lp_engine_request(self->engine, "location.set", args, on_set_reply,
			  g_object_ref(self));
	g_variant_unref(args);
}

static void lp_address_dialog_dispose(GObject *object)
{
	LpAddressDialog *self = LP_ADDRESS_DIALOG(object);

	g_clear_object(&self->engine);
	g_clear_object(&self->captions);
	g_clear_pointer(&self->rows, g_ptr_array_unref);
	g_clear_pointer(&self->prefill, g_variant_unref);
	g_clear_pointer(&self->street_prefill, g_free);
	g_clear_pointer(&self->place, g_free);

	G_OBJECT_CLASS(lp_address_dialog_parent_class)->dispose(object);
}

static void lp_address_dialog_class_init(LpAddressDialogClass *klass)
{
	GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = lp_address_dialog_dispose;
	gtk_widget_class_set_template_from_resource(
		wc, "/org/locphone/ui/address-dialog.ui");
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, reason_label);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, country_grid);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog,
					     country_label);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, fields_grid);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, name_label);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, name_entry);
	gtk_widget_class_bind_template_child(wc, LpAddressDialog, error_label);
	gtk_widget_class_bind_template_callback(wc, on_response);
}

static void lp_address_dialog_init(LpAddressDialog *self)
{
	const AddrChoice *countries;
	GtkWidget *combo;
	gsize n;

	gtk_widget_init_template(GTK_WIDGET(self));
	self->rows = g_ptr_array_new_with_free_func(row_free);
	self->captions = gtk_size_group_new(GTK_SIZE_GROUP_HORIZONTAL);
	gtk_size_group_add_widget(self->captions, self->country_label);
	gtk_size_group_add_widget(self->captions, self->name_label);

	countries = addrformat_countries(&n);
	combo = choice_combo_new(countries, n, &self->country_entry);
	gtk_label_set_mnemonic_widget(GTK_LABEL(self->country_label),
				      self->country_entry);
	atk_object_set_name(gtk_widget_get_accessible(self->country_entry),
			    _("Country"));
	self->country_error = error_label_new();
	gtk_grid_attach(GTK_GRID(self->country_grid), combo, 1, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(self->country_grid), self->country_error, 1, 1,
			1, 1);
	gtk_widget_show(combo);
	g_signal_connect(self->country_entry, "changed",
			 G_CALLBACK(on_country_changed), self);
	g_signal_connect(self->country_entry, "focus-out-event",
			 G_CALLBACK(on_country_focus_out), self);
	gtk_widget_set_no_show_all(self->error_label, TRUE);
}

static LpAddressDialog *dialog_new(GtkWindow *parent, LpEngine *engine)
{
	LpAddressDialog *self = g_object_new(LP_TYPE_ADDRESS_DIALOG,
					     "transient-for", parent, NULL);

	self->engine = g_object_ref(engine);

	return self;
}

GtkWidget *lp_address_dialog_new(GtkWindow *parent, LpEngine *engine,
				 const char *reason)
{
	LpAddressDialog *self;

	g_return_val_if_fail(LP_IS_ENGINE(engine), NULL);

	self = dialog_new(parent, engine);
	if (reason)
		gtk_label_set_text(GTK_LABEL(self->reason_label), reason);
	/* the address in use fills the form; until the engine says what it
	 * is, nothing is typed that it would overwrite */
	prefill(self, NULL);
	gtk_widget_set_sensitive(GTK_WIDGET(self), FALSE);
	lp_engine_request(engine, "location", NULL, on_location_reply,
			  g_object_ref(self));

	return GTK_WIDGET(self);
}

GtkWidget *lp_address_dialog_new_place(GtkWindow *parent, LpEngine *engine,
				       GVariant *place)
{
	g_autoptr(GVariant) civic = NULL;
	g_autoptr(GVariant) coord = NULL;
	g_autofree gchar *text = NULL;
	LpAddressDialog *self;
	const char *name;

	g_return_val_if_fail(LP_IS_ENGINE(engine), NULL);
	g_return_val_if_fail(place != NULL, NULL);

	self = dialog_new(parent, engine);
	name = ctlmsg_str(place, "name");
	self->place = g_strdup(name);
	civic = ctlmsg_obj(place, "civic");
	coord = ctlmsg_obj(place, "coord");
	self->have_coord = coord_lookup(self, coord);
	gtk_window_set_title(GTK_WINDOW(self), _("Edit place"));
	text = g_strdup_printf(_("The address saved as “%s”. It is used here "
				 "once you press OK."),
			       name ? name : "");
	gtk_label_set_text(GTK_LABEL(self->reason_label), text);
	gtk_entry_set_text(GTK_ENTRY(self->name_entry), name ? name : "");
	prefill(self, civic && g_variant_n_children(civic) ? civic : NULL);

	return GTK_WIDGET(self);
}
