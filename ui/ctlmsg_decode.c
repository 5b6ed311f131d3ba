/* ctlmsg_decode: a JSON line from the engine to a GVariant (RFC 8259).
 *
 * Three steps.  The line passes json_syntax_check (client/core, the
 * project's one strict RFC 8259 check, which also sets the limits of
 * ctlmsg_json.h; json_syntax.h says why Debian 12's json-glib needs it);
 * json-glib builds the tree; the tree becomes GVariants.  Numbers are
 * converted here from their text, which the check hands over in document
 * order: json-glib 1.6 wraps an integer past 64 bits. */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "json_syntax.h"
#include "ctlmsg.h"
#include "ctlmsg_json.h"

G_DEFINE_QUARK(ctlmsg - error - quark, ctlmsg_error)

/* Sets the error: the message, then " at byte " and the offset. */
static void G_GNUC_PRINTF(4, 5)
	fail(GError **error, gsize at, CtlmsgError code, const char *fmt, ...)
{
	g_autofree gchar *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, CTLMSG_ERROR, code, "%s at byte %" G_GSIZE_FORMAT,
		    what, at);
}

/* The numbers of the line in document order, as GVariants (x or d). */
struct numbers {
	GPtrArray *v;
	guint next;
};

/* json_syntax's number hook: the number's GVariant onto the list, or why
 * it is refused. */
static const char *number_take(void *arg, const char *p, size_t n)
{
	struct numbers *nums = arg;
	/* json_syntax_check passes at most 32 characters */
	gchar text[40];
	gint64 x;
	gdouble d;

	if (n >= sizeof(text))
		return "a number too long";
	memcpy(text, p, n);
	text[n] = '\0';
	if (!strpbrk(text, ".eE")) {
		errno = 0;
		x = g_ascii_strtoll(text, NULL, 10);
		if (errno == 0) {
			g_ptr_array_add(
				nums->v,
				g_variant_ref_sink(g_variant_new_int64(x)));
			return NULL;
		}
	}
	/* locale-independent; an integer past gint64 becomes a double */
	d = g_ascii_strtod(text, NULL);
	if (!isfinite(d))
		return "a number out of range";
	/* below the smallest normal double: a signed zero, as an underflow
	 * past every double already is.  GVariant's text parser refuses a
	 * subnormal ("number too big for any type"), so a value printed with
	 * g_variant_print could not be read back; no figure of the protocol
	 * (coordinates, metres, counts) lives down there. */
	if (fpclassify(d) == FP_SUBNORMAL)
		d = copysign(0.0, d);
	g_ptr_array_add(nums->v, g_variant_ref_sink(g_variant_new_double(d)));
	return NULL;
}

/* Duplicate member names: json-glib keeps the last one silently, but
 * tells each member as it adds it.  RFC 8259 section 4 leaves duplicates
 * to the receiver: one message would mean two things, so refuse it. */
struct members {
	GHashTable *count; /* JsonObject * -> members told */
	gchar *twice;	   /* the first name seen twice */
	guint at;	   /* json-glib's byte position after it */
};

static void member_told(JsonParser *parser, JsonObject *object,
			const gchar *name, gpointer data)
{
	struct members *m = data;
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(m->count, object)) + 1;

	g_hash_table_insert(m->count, object, GUINT_TO_POINTER(n));
	if (n > json_object_get_size(object) && !m->twice) {
		m->twice = g_strdup(name);
		m->at = json_parser_get_current_pos(parser);
	}
}

/* node as a new GVariant reference in *out (NULL for JSON null); FALSE
 * with the error set. */
static gboolean node_variant(JsonNode *node, struct numbers *nums,
			     GVariant **out, GError **error);

static gboolean object_variant(JsonObject *object, struct numbers *nums,
			       GVariant **out, GError **error)
{
	GVariantBuilder b;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	json_object_iter_init_ordered(&iter, object);
	while (json_object_iter_next_ordered(&iter, &name, &member)) {
		GVariant *v;

		if (!node_variant(member, nums, &v, error)) {
			g_variant_builder_clear(&b);
			return FALSE;
		}
		/* ctlmsg.h: a null member is left out */
		if (v) {
			g_variant_builder_add(&b, "{sv}", name, v);
			g_variant_unref(v);
		}
	}
	*out = g_variant_ref_sink(g_variant_builder_end(&b));
	return TRUE;
}

static gboolean array_variant(JsonArray *array, struct numbers *nums,
			      GVariant **out, GError **error)
{
	GVariantBuilder b;
	guint i, n = json_array_get_length(array);

	g_variant_builder_init(&b, G_VARIANT_TYPE("av"));
	for (i = 0; i < n; i++) {
		GVariant *v;

		if (!node_variant(json_array_get_element(array, i), nums, &v,
				  error)) {
			g_variant_builder_clear(&b);
			return FALSE;
		}
		/* ctlmsg.h: a null element is an empty maybe, keeping the
		 * places of the others */
		if (!v)
			v = g_variant_ref_sink(g_variant_new_maybe(
				G_VARIANT_TYPE_VARIANT, NULL));
		g_variant_builder_add(&b, "v", v);
		g_variant_unref(v);
	}
	*out = g_variant_ref_sink(g_variant_builder_end(&b));
	return TRUE;
}

static gboolean value_variant(JsonNode *node, struct numbers *nums,
			      GVariant **out, GError **error)
{
	GType type = json_node_get_value_type(node);
	const gchar *s;

	if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE) {
		if (nums->next >= nums->v->len) {
			fail(error, 0, CTLMSG_ERROR_SYNTAX,
			     "more numbers than the syntax check saw");
			return FALSE;
		}
		*out = g_variant_ref(g_ptr_array_index(nums->v, nums->next++));
		return TRUE;
	}
	if (type == G_TYPE_BOOLEAN) {
		*out = g_variant_ref_sink(
			g_variant_new_boolean(json_node_get_boolean(node)));
		return TRUE;
	}
	s = type == G_TYPE_STRING ? json_node_get_string(node) : NULL;
	/* the check refused what decodes to no UTF-8; GVariant would turn a
	 * string that is not into a critical, so look once more */
	if (!s || !g_utf8_validate(s, -1, NULL)) {
		fail(error, 0, CTLMSG_ERROR_ENCODING,
		     "a value json-glib decoded to no UTF-8 string");
		return FALSE;
	}
	*out = g_variant_ref_sink(g_variant_new_string(s));
	return TRUE;
}

static gboolean node_variant(JsonNode *node, struct numbers *nums,
			     GVariant **out, GError **error)
{
	*out = NULL;
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return object_variant(json_node_get_object(node), nums, out,
				      error);
	case JSON_NODE_ARRAY:
		return array_variant(json_node_get_array(node), nums, out,
				     error);
	case JSON_NODE_VALUE:
		return value_variant(node, nums, out, error);
	case JSON_NODE_NULL:
		return TRUE;
	}
	fail(error, 0, CTLMSG_ERROR_SYNTAX,
	     "a json-glib node of no known type");
	return FALSE;
}

static CtlmsgError syntax_code(enum json_syntax_kind kind)
{
	switch (kind) {
	case JSON_SYNTAX_TEXT:
		return CTLMSG_ERROR_ENCODING;
	case JSON_SYNTAX_LIMIT:
		return CTLMSG_ERROR_LIMIT;
	case JSON_SYNTAX_NUMBER:
		return CTLMSG_ERROR_RANGE;
	case JSON_SYNTAX_GRAMMAR:
		break;
	}
	return CTLMSG_ERROR_SYNTAX;
}

/* The checked line through json-glib: the root object, or NULL with the
 * error set. */
static JsonNode *tree_parse(const char *line, gsize len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) jerr = NULL;
	struct members m = {g_hash_table_new(g_direct_hash, g_direct_equal),
			    NULL, 0};
	JsonNode *root = NULL;

	g_signal_connect(parser, "object-member", G_CALLBACK(member_told), &m);
	if (!json_parser_load_from_data(parser, line, (gssize)len, &jerr))
		fail(error, 0, CTLMSG_ERROR_SYNTAX, "json-glib: %s",
		     jerr->message);
	else if (m.twice)
		fail(error, m.at, CTLMSG_ERROR_DUPLICATE_KEY,
		     "member \"%.64s\" twice", m.twice);
	else
		root = json_parser_steal_root(parser);
	g_hash_table_destroy(m.count);
	g_free(m.twice);
	return root;
}

GVariant *ctlmsg_decode(const char *line, gsize len, GError **error)
{
	struct numbers nums = {NULL, 0};
	struct json_syntax js = {
		.maxdepth = CTLMSG_MAX_DEPTH,
		.maxvalues = CTLMSG_MAX_VALUES,
		.number = number_take,
		.arg = &nums,
	};
	const gchar *end = NULL;
	JsonNode *root;
	GVariant *v = NULL;
	gsize ws;

	g_return_val_if_fail(line != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (len > CTLMSG_MAX_LINE) {
		fail(error, CTLMSG_MAX_LINE, CTLMSG_ERROR_TOO_LONG,
		     "a line of %" G_GSIZE_FORMAT " bytes", len);
		return NULL;
	}
	/* RFC 8259 section 8.1: UTF-8; GLib's check also refuses NUL,
	 * surrogates and overlong forms, so strings need no second look */
	if (!g_utf8_validate(line, (gssize)len, &end)) {
		fail(error, (gsize)(end - line), CTLMSG_ERROR_ENCODING,
		     *end ? "invalid UTF-8" : "a NUL byte");
		return NULL;
	}
	/* RFC 8259 section 2 whitespace; the line need not end in NUL */
	for (ws = 0; ws < len && strchr(" \t\n\r", line[ws]); ws++)
		;
	if (ws >= len || line[ws] != '{') {
		fail(error, ws, CTLMSG_ERROR_NOT_OBJECT, "not a JSON object");
		return NULL;
	}
	nums.v =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	if (json_syntax_check(line, len, &js)) {
		fail(error, js.off, syntax_code(js.kind), "%s", js.why);
		goto out;
	}
	root = tree_parse(line, len, error);
	if (!root)
		goto out;
	if (node_variant(root, &nums, &v, error) && nums.next != nums.v->len) {
		fail(error, 0, CTLMSG_ERROR_SYNTAX,
		     "fewer numbers than the syntax check saw");
		g_clear_pointer(&v, g_variant_unref);
	}
	json_node_unref(root);
out:
	g_ptr_array_unref(nums.v);
	return v;
}
