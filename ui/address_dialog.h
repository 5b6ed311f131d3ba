/* LpAddressDialog: the person enters a civic address (location.set). */
#pragma once

#include <gtk/gtk.h>
#include "engine.h"

G_BEGIN_DECLS

#define LP_TYPE_ADDRESS_DIALOG (lp_address_dialog_get_type())
G_DECLARE_FINAL_TYPE(LpAddressDialog, lp_address_dialog, LP, ADDRESS_DIALOG,
		     GtkDialog)

/*
 * A new dialog over parent that sends what is typed to engine as
 * location.set, then, when a name is given, location.save; it closes
 * itself once the engine took the address and shows the engine's words
 * when it did not.  reason (may be NULL) says why the person is asked.
 */
GtkWidget *lp_address_dialog_new(GtkWindow *parent, LpEngine *engine,
				 const char *reason);

G_END_DECLS
