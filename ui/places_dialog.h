/* LpPlacesDialog: the person's saved places (location.list). */
#pragma once

#include <gtk/gtk.h>
#include "engine.h"

G_BEGIN_DECLS

#define LP_TYPE_PLACES_DIALOG (lp_places_dialog_get_type())
G_DECLARE_FINAL_TYPE(LpPlacesDialog, lp_places_dialog, LP, PLACES_DIALOG,
		     GtkDialog)

/* A new dialog over parent listing engine's saved places, each with Use
 * (location.use) and Delete (location.delete); it asks for the list
 * again after each. */
GtkWidget *lp_places_dialog_new(GtkWindow *parent, LpEngine *engine);

G_END_DECLS
