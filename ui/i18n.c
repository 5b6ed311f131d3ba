/* i18n: the UI's catalogues bound before anything is translated. */

#include <locale.h>
#include "i18n.h"
#include "locphone-config.h"

void lp_i18n_init(void)
{
	const char *dir = g_getenv("LOCPHONE_LOCALEDIR");

	bindtextdomain(GETTEXT_PACKAGE, dir && *dir ? dir : LOCPHONE_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	bindtextdomain(LP_ISO_3166_DOMAIN, LOCPHONE_ISO_CODES_LOCALEDIR);
	bind_textdomain_codeset(LP_ISO_3166_DOMAIN, "UTF-8");
}
