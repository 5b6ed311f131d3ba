/* Fuzz target: lines from the engine through the UI's JSON decoder. */

#include <stdint.h>
#include <string.h>
#include <glib.h>
#include "ctlmsg.h"
#include "ctlmsg_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a decoded line must be: a normal-form a{sv} that g_variant_print
 * renders and g_variant_parse reads back to an equal value. */
static void decoded_check(GVariant *v)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GVariant) back = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT));
	g_assert_true(g_variant_is_normal_form(v));
	g_assert_false(g_variant_is_floating(v));
	text = g_variant_print(v, TRUE);
	back = g_variant_parse(NULL, text, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_variant_equal(v, back));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	GVariant *v;

	/* as under G_DEBUG=fatal-warnings: a critical (say, a string that
	 * is not UTF-8 given to GVariant) is a crash */
	g_log_set_always_fatal(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

	v = ctlmsg_decode((const char *)data, size, &error);
	if (!v) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == CTLMSG_ERROR);
		g_assert_nonnull(strstr(error->message, " at byte "));
		return 0;
	}
	g_assert_null(error);
	decoded_check(v);
	g_variant_unref(v);
	return 0;
}
