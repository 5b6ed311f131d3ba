/* LpAddressDialog: the person enters a civic address (location.set). */
#pragma once

#include <gtk/gtk.h>
#include "engine.h"

G_BEGIN_DECLS

#define LP_TYPE_ADDRESS_DIALOG (lp_address_dialog_get_type())
G_DECLARE_FINAL_TYPE(LpAddressDialog, lp_address_dialog, LP, ADDRESS_DIALOG,
		     GtkDialog)

/*
 * A new dialog over parent, filled with the engine's address in use (its
 * country's form; without one, the locale's country), that sends what is
 * typed to engine as location.set, then, when a name is given,
 * location.save; it closes itself once the engine took the address and
 * shows each of the engine's problems at its field when it did not.
 * reason (may be NULL) says why the person is asked.
 */
GtkWidget *lp_address_dialog_new(GtkWindow *parent, LpEngine *engine,
				 const char *reason);

/*
 * The same dialog for editing a saved place (a location.list entry):
 * filled with its address and its name; OK sets and saves it, and, when
 * the name was changed, deletes the place under its old name.
 */
GtkWidget *lp_address_dialog_new_place(GtkWindow *parent, LpEngine *engine,
				       GVariant *place);

G_END_DECLS
