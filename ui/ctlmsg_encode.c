/* ctlmsg_encode: requests to the engine as JSON lines, and lookups. */

#include <glib.h>
#include "ctlmsg.h"

/* RFC 8259 section 7: quote, backslash and control characters escaped. */
static void json_string_append(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (; *s; s++) {
		guchar c = (guchar)*s;

		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c < 0x20)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (gchar)c);
	}
	g_string_append_c(out, '"');
}

static void json_value_append(GString *out, GVariant *v)
{
	if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
		json_string_append(out, g_variant_get_string(v, NULL));
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN))
		g_string_append(out,
				g_variant_get_boolean(v) ? "true" : "false");
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_INT64))
		g_string_append_printf(out, "%" G_GINT64_FORMAT,
				       g_variant_get_int64(v));
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_DOUBLE)) {
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

		g_string_append(out, g_ascii_dtostr(buf, sizeof(buf),
						    g_variant_get_double(v)));
	} else
		g_string_append(out, "null");
}

gchar *ctlmsg_request_encode(gint64 id, const char *cmd, GVariant *args)
{
	GString *out;

	g_return_val_if_fail(cmd != NULL, NULL);
	g_return_val_if_fail(
		!args || g_variant_is_of_type(args, G_VARIANT_TYPE_VARDICT),
		NULL);

	out = g_string_new(NULL);
	g_string_append_printf(out,
			       "{\"id\":%" G_GINT64_FORMAT ",\"cmd\":", id);
	json_string_append(out, cmd);
	if (args) {
		GVariantIter iter;
		const char *key;
		GVariant *v;
		gboolean first = TRUE;

		g_string_append(out, ",\"args\":{");
		g_variant_iter_init(&iter, args);
		while (g_variant_iter_loop(&iter, "{&sv}", &key, &v)) {
			if (!first)
				g_string_append_c(out, ',');
			first = FALSE;
			json_string_append(out, key);
			g_string_append_c(out, ':');
			json_value_append(out, v);
		}
		g_string_append_c(out, '}');
	}
	g_string_append(out, "}\n");

	return g_string_free(out, FALSE);
}

const char *ctlmsg_str(GVariant *dict, const char *key)
{
	const char *s = NULL;

	if (!dict || !g_variant_lookup(dict, key, "&s", &s))
		return NULL;

	return s;
}

GVariant *ctlmsg_obj(GVariant *dict, const char *key)
{
	if (!dict)
		return NULL;

	return g_variant_lookup_value(dict, key, G_VARIANT_TYPE_VARDICT);
}

gboolean ctlmsg_bool(GVariant *dict, const char *key)
{
	gboolean b = FALSE;

	if (!dict || !g_variant_lookup(dict, key, "b", &b))
		return FALSE;

	return b;
}
