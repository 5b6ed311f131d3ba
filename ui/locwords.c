/* locwords: civic addresses and coordinates as one line of words. */

#include "locwords.h"
#include "ctlmsg.h"
#include "i18n.h"

/* Words before or after an element, in the order a postal address reads
 * (RFC 5139 element names; RFC 4776 section 3.4 for their meaning). */
static const struct {
	const char *key;
	const char *before; /* separator before the value, if not first */
	const char *format; /* the value in words ("Floor %s"), or "" */
} civic_parts[] = {
	{"HNO", ", ", ""},
	{"HNS", "", ""},
	{"PRD", " ", ""},
	{"RD", " ", ""},
	{"STS", " ", ""},
	{"POD", " ", ""},
	{"LOC", ", ", ""},
	{"BLD", ", ", ""},
	{"FLR", ", ", N_("Floor %s")},
	{"ROOM", ", ", N_("Room %s")},
	{"A6", ", ", ""},
	{"A5", ", ", ""},
	{"A4", ", ", ""},
	{"A3", ", ", ""},
	{"A2", ", ", ""},
	{"A1", ", ", ""},
	{"PC", " ", ""},
	{"country", ", ", ""},
};

gchar *locwords_civic(GVariant *civic)
{
	GString *out;
	gsize i;

	g_return_val_if_fail(civic != NULL, NULL);

	out = g_string_new(NULL);
	for (i = 0; i < G_N_ELEMENTS(civic_parts); i++) {
		const char *v = ctlmsg_str(civic, civic_parts[i].key);

		if (!v || !*v)
			continue;
		if (out->len)
			g_string_append(out, civic_parts[i].before);
		if (*civic_parts[i].format)
			g_string_append_printf(out, _(civic_parts[i].format),
					       v);
		else
			g_string_append(out, v);
	}
	if (!out->len) {
		g_string_free(out, TRUE);
		return NULL;
	}

	return g_string_free(out, FALSE);
}

/* JSON has one number type: 47 arrives as an integer, 47.5 as a double. */
static gboolean degrees_lookup(GVariant *geo, const char *key, gdouble *out)
{
	gint64 i;

	if (g_variant_lookup(geo, key, "d", out))
		return TRUE;
	if (!g_variant_lookup(geo, key, "x", &i))
		return FALSE;
	*out = (gdouble)i;

	return TRUE;
}

gchar *locwords_record(GVariant *record)
{
	g_autoptr(GVariant) civic = NULL;
	g_autoptr(GVariant) geo = NULL;
	gdouble lat, lon;
	gchar *words = NULL;

	g_return_val_if_fail(record != NULL, NULL);

	civic = ctlmsg_obj(record, "civic");
	if (civic)
		words = locwords_civic(civic);
	if (words)
		return words;

	geo = ctlmsg_obj(record, "geo");
	if (geo && degrees_lookup(geo, "lat", &lat) &&
	    degrees_lookup(geo, "lon", &lon))
		return g_strdup_printf("%.6f, %.6f", lat, lon);

	return NULL;
}
