/* LpWindow: locphone's main window, a view of the engine's state. */
#pragma once

#include <gtk/gtk.h>
#include "engine.h"

G_BEGIN_DECLS

#define LP_TYPE_WINDOW (lp_window_get_type())
G_DECLARE_FINAL_TYPE(LpWindow, lp_window, LP, WINDOW, GtkApplicationWindow)

/* A new main window of app showing engine (the window holds a reference). */
LpWindow *lp_window_new(GtkApplication *app, LpEngine *engine);

G_END_DECLS
