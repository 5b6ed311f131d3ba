/* ctlmsg_decode: a JSON line from the engine to a GVariant (RFC 8259). */

#include <string.h>
#include "ctlmsg.h"
#include "ctlmsg_json.h"

static gboolean value_parse(struct ctlmsg_json *p, GVariant **out);

/* Entering an object or array at p->pos: one level deeper. */
static gboolean level_enter(struct ctlmsg_json *p)
{
	if (p->depth >= CTLMSG_MAX_DEPTH)
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_LIMIT,
					"nested deeper than %u",
					CTLMSG_MAX_DEPTH);
	p->depth++;
	p->pos++;
	ctlmsg_json_skip_ws(p);
	return TRUE;
}

/* After a member or element: TRUE with *done set at the closing bracket,
 * TRUE at a ',' (then the next value must follow), FALSE otherwise. */
static gboolean next_or_close(struct ctlmsg_json *p, char close, gboolean *done)
{
	ctlmsg_json_skip_ws(p);
	if (p->pos < p->len && p->buf[p->pos] == close) {
		p->pos++;
		*done = TRUE;
		return TRUE;
	}
	if (p->pos >= p->len || p->buf[p->pos] != ',')
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					"expected ',' or '%c'", close);
	p->pos++;
	ctlmsg_json_skip_ws(p);
	/* RFC 8259 section 4 and 5: no trailing comma */
	if (p->pos < p->len && p->buf[p->pos] == close)
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					"a trailing comma");
	return TRUE;
}

/* One member at p->pos into b; names already seen are in keys. */
static gboolean member_parse(struct ctlmsg_json *p, GVariantBuilder *b,
			     GHashTable *keys)
{
	gsize at = p->pos;
	gchar *key;
	GVariant *v;

	if (p->pos >= p->len || p->buf[p->pos] != '"')
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					"expected a member name");
	key = ctlmsg_json_string(p);
	if (!key)
		return FALSE;
	/* RFC 8259 section 4 leaves duplicate names to the receiver: one
	 * message would mean two things, so refuse it */
	if (!g_hash_table_add(keys, key))
		return ctlmsg_json_fail(p, at, CTLMSG_ERROR_DUPLICATE_KEY,
					"member \"%.64s\" twice", key);
	ctlmsg_json_skip_ws(p);
	if (p->pos >= p->len || p->buf[p->pos] != ':')
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					"expected ':'");
	p->pos++;
	ctlmsg_json_skip_ws(p);
	if (!value_parse(p, &v))
		return FALSE;
	/* ctlmsg.h: a null member is left out */
	if (v)
		g_variant_builder_add(b, "{sv}", key, v);
	return TRUE;
}

/* The object at p->pos as a new floating a{sv}; NULL with the error set. */
static GVariant *object_parse(struct ctlmsg_json *p)
{
	g_autoptr(GHashTable) keys = NULL;
	GVariantBuilder b;
	gboolean done = FALSE;

	if (!level_enter(p))
		return NULL;
	keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (p->pos < p->len && p->buf[p->pos] == '}') {
		p->pos++;
		done = TRUE;
	}
	while (!done) {
		if (!member_parse(p, &b, keys) ||
		    !next_or_close(p, '}', &done)) {
			g_variant_builder_clear(&b);
			return NULL;
		}
	}
	p->depth--;
	return g_variant_builder_end(&b);
}

/* The array at p->pos as a new floating av; NULL with the error set. */
static GVariant *array_parse(struct ctlmsg_json *p)
{
	GVariantBuilder b;
	gboolean done = FALSE;

	if (!level_enter(p))
		return NULL;
	g_variant_builder_init(&b, G_VARIANT_TYPE("av"));
	if (p->pos < p->len && p->buf[p->pos] == ']') {
		p->pos++;
		done = TRUE;
	}
	while (!done) {
		GVariant *v;

		if (!value_parse(p, &v)) {
			g_variant_builder_clear(&b);
			return NULL;
		}
		/* ctlmsg.h: a null element is an empty maybe, keeping the
		 * places of the others */
		if (!v)
			v = g_variant_new_maybe(G_VARIANT_TYPE_VARIANT, NULL);
		g_variant_builder_add(&b, "v", v);
		if (!next_or_close(p, ']', &done)) {
			g_variant_builder_clear(&b);
			return NULL;
		}
	}
	p->depth--;
	return g_variant_builder_end(&b);
}

/* true, false or null at p->pos: TRUE with *out set (NULL for null). */
static gboolean literal_parse(struct ctlmsg_json *p, GVariant **out)
{
	static const char *const words[] = {"true", "false", "null"};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(words); i++) {
		gsize n = strlen(words[i]);

		if (p->len - p->pos >= n &&
		    !memcmp(p->buf + p->pos, words[i], n)) {
			p->pos += n;
			*out = i < 2 ? g_variant_new_boolean(i == 0) : NULL;
			return TRUE;
		}
	}
	return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
				"expected a value");
}

/* The value at p->pos: TRUE with *out a new floating GVariant, or NULL for
 * JSON null; FALSE with the error set. */
static gboolean value_parse(struct ctlmsg_json *p, GVariant **out)
{
	gchar *s;
	char c;

	if (++p->values > CTLMSG_MAX_VALUES)
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_LIMIT,
					"more than %u values",
					CTLMSG_MAX_VALUES);
	if (p->pos >= p->len)
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					"expected a value");
	c = p->buf[p->pos];
	if (c == '{')
		*out = object_parse(p);
	else if (c == '[')
		*out = array_parse(p);
	else if (c == '"') {
		s = ctlmsg_json_string(p);
		*out = s ? g_variant_new_take_string(s) : NULL;
	} else if (c == '-' || g_ascii_isdigit(c))
		*out = ctlmsg_json_number(p);
	else
		return literal_parse(p, out);
	return *out != NULL;
}

GVariant *ctlmsg_decode(const char *line, gsize len, GError **error)
{
	/* the top-level object is the first value */
	struct ctlmsg_json p = {line, len, 0, 0, 1, error};
	const gchar *end = NULL;
	GVariant *v;

	g_return_val_if_fail(line != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (len > CTLMSG_MAX_LINE) {
		ctlmsg_json_fail(&p, CTLMSG_MAX_LINE, CTLMSG_ERROR_TOO_LONG,
				 "a line of %" G_GSIZE_FORMAT " bytes", len);
		return NULL;
	}
	/* RFC 8259 section 8.1: UTF-8; GLib's check also refuses NUL,
	 * surrogates and overlong forms, so strings need no second look */
	if (!g_utf8_validate(line, (gssize)len, &end)) {
		ctlmsg_json_fail(&p, (gsize)(end - line), CTLMSG_ERROR_ENCODING,
				 *end ? "invalid UTF-8" : "a NUL byte");
		return NULL;
	}
	ctlmsg_json_skip_ws(&p);
	if (p.pos >= len || line[p.pos] != '{') {
		ctlmsg_json_fail(&p, p.pos, CTLMSG_ERROR_NOT_OBJECT,
				 "not a JSON object");
		return NULL;
	}
	v = object_parse(&p);
	if (!v)
		return NULL;
	v = g_variant_ref_sink(v);
	ctlmsg_json_skip_ws(&p);
	if (p.pos < len) {
		ctlmsg_json_fail(&p, p.pos, CTLMSG_ERROR_SYNTAX,
				 "data after the object");
		g_variant_unref(v);
		return NULL;
	}
	return v;
}
