/* ctlmsg_decode: a JSON line from the engine to a GVariant, with libre. */

#include <re.h>
#include <gio/gio.h>
#include "ctlmsg.h"
#include "json_syntax.h"

/* PROTOCOL.md: one message per line, up to 64 KiB from clients; events
 * (a PIDF-LO, an LLDP neighbour table) are larger, so allow more but not
 * without bound. */
#define CTLMSG_MAX_LINE	  (4u * 1024u * 1024u)
#define CTLMSG_MAX_DEPTH  16u
#define CTLMSG_MAX_VALUES 100000u

static GVariant *odict_to_variant(const struct odict *od, bool array);

static GVariant *entry_to_variant(const struct odict_entry *e)
{
	switch (e->type) {
	case ODICT_OBJECT:
		return odict_to_variant(e->u.odict, false);
	case ODICT_ARRAY:
		return odict_to_variant(e->u.odict, true);
	case ODICT_STRING:
		if (!g_utf8_validate(e->u.str, -1, NULL))
			return NULL;
		return g_variant_new_string(e->u.str);
	case ODICT_INT:
		return g_variant_new_int64(e->u.integer);
	case ODICT_DOUBLE:
		return g_variant_new_double(e->u.dbl);
	case ODICT_BOOL:
		return g_variant_new_boolean(e->u.boolean);
	default:
		return NULL;
	}
}

static GVariant *odict_to_variant(const struct odict *od, bool array)
{
	GVariantBuilder b;
	struct le *le;

	g_variant_builder_init(&b, array ? G_VARIANT_TYPE("av")
					 : G_VARIANT_TYPE_VARDICT);
	for (le = od->lst.head; le; le = le->next) {
		const struct odict_entry *e = le->data;
		GVariant *v = entry_to_variant(e);

		if (array && !v)
			v = g_variant_new_maybe(G_VARIANT_TYPE_VARIANT, NULL);
		if (array)
			g_variant_builder_add(&b, "v", v);
		else if (v)
			g_variant_builder_add(&b, "{sv}", e->key, v);
	}

	return g_variant_builder_end(&b);
}

GVariant *ctlmsg_decode(const char *line, gsize len, GError **error)
{
	struct odict *od = NULL;
	const char *why = NULL;
	gsize off = 0;
	GVariant *v;
	int err;

	g_return_val_if_fail(line != NULL, NULL);

	if (len > CTLMSG_MAX_LINE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
			    "line of %" G_GSIZE_FORMAT " bytes", len);
		return NULL;
	}

	/* libre's decoder is lenient (trailing data, broken literals) and
	 * takes arrays too: the strict check first, then an object only. */
	if (json_syntax_check(line, len, CTLMSG_MAX_DEPTH, CTLMSG_MAX_VALUES,
			      &off, &why)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "not JSON: %s at byte %" G_GSIZE_FORMAT, why, off);
		return NULL;
	}
	while (len && g_ascii_isspace(*line)) {
		line++;
		len--;
	}
	if (!len || *line != '{') {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "not a JSON object");
		return NULL;
	}

	err = json_decode_odict(&od, 32, line, len, CTLMSG_MAX_DEPTH);
	if (err) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "not JSON (%s)", g_strerror(err));
		return NULL;
	}

	v = g_variant_ref_sink(odict_to_variant(od, false));
	mem_deref(od);

	return v;
}
