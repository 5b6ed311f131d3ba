/* LpWindow's parts, shared by window.c, window_calls.c, window_location.c. */
#pragma once

#include "window.h"

struct _LpWindow {
	GtkApplicationWindow parent_instance;

	LpEngine *engine;
	GVariant *location;    /* the last location record, or NULL */
	GHashTable *calls;     /* Call-ID -> GtkBuilder of its row */
	GHashTable *callbacks; /* Call-IDs marked possible PSAP callbacks */
	GHashTable *held;      /* incoming Call-IDs not shown yet (dnd) */
	GtkWidget *prompt;     /* the open prompt or disclaimer, or NULL */
	gboolean dnd_update;   /* setting the toggle from the engine's state */
	guint tick;	       /* the calls' timers */
	guint notify_watch;    /* a notification server on the bus */
	gboolean can_notify;

	GtkWidget *scroller; /* the content, scrolled on a small screen */
	GtkWidget *content;
	guint fit_idle; /* the view to be fitted to the content */
	GtkWidget *emergency_banner;
	gchar *banner_main;  /* what the emergency call carried, or NULL */
	gchar *banner_audio; /* what cannot be heard, or NULL */
	GtkWidget *engine_label;
	GtkWidget *e911_warning; /* e911.policy warnings: 911 paths */
	GtkWidget *account_label;
	GtkWidget *registration_label;
	GtkWidget *number_entry;
	GtkWidget *call_button;
	GtkWidget *dnd_toggle;
	GtkWidget *dial_error_label;
	GtkWidget *calls_list;
	GtkWidget *location_label;
	GtkWidget *location_source_label;
	GtkWidget *location_reason_label;
	GtkWidget *location_updated_label;
	GtkWidget *network_label;
};

/* window.c: the emergency banner for a call object's "emergency". */
void lp_window_emergency_show(LpWindow *self, GVariant *em);
void lp_window_emergency_hide(LpWindow *self);
/* A notification (id) and the window raised, when it is not in front. */
void lp_window_attention(LpWindow *self, const char *id, const char *title,
			 const char *body);
void lp_window_attention_end(LpWindow *self, const char *id);

/* window_calls.c: the calls list follows call.* events and "calls". */
void lp_window_calls_init(LpWindow *self);
void lp_window_calls_replace(LpWindow *self, GVariant *calls);
void lp_window_call_event(LpWindow *self, const char *name, GVariant *msg);
void lp_window_calls_clear(LpWindow *self);
/* The Call-ID of an established call (where keys go), or NULL. */
const char *lp_window_active_call(LpWindow *self);
/* Once a second: the calls' timers. */
gboolean lp_window_calls_tick(gpointer data);

/* window_location.c: the location panel, the prompt and the disclaimer. */
void lp_window_location_show(LpWindow *self, GVariant *record);
void lp_window_location_event(LpWindow *self, const char *name, GVariant *msg);
void lp_window_location_clear(LpWindow *self);
void lp_window_network_show(LpWindow *self, GVariant *netinfo);
void lp_window_open_address_dialog(LpWindow *self);
void lp_window_open_places_dialog(LpWindow *self);
