/* Translations: _() and N_() of the "locphone" catalogue (ui/po), and
 * country names from iso-codes. */
#pragma once

#include <glib/gi18n.h>

/* iso-codes' catalogue of country names (ISO 3166-1). */
#define LP_ISO_3166_DOMAIN "iso_3166-1"

/*
 * Binds the catalogues: ours from $LOCPHONE_LOCALEDIR when it is set (the
 * tests' build tree), else from the install localedir; iso-codes' from
 * where iso-codes installs them.  Before any string is translated.
 */
void lp_i18n_init(void);
