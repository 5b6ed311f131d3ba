/* locphone: the desktop UI, a separate process beside the engine. */

#include <locale.h>
#include <gtk/gtk.h>
#include "engine.h"
#include "i18n.h"
#include "locphone-config.h"
#include "locphone-resources.h"
#include "window.h"

static gchar *socket_path;
static LpEngine *engine;

/* PROTOCOL.md: $XDG_RUNTIME_DIR/locphone/ctl.sock by default. */
static gchar *default_socket_path(void)
{
	return g_build_filename(g_get_user_runtime_dir(), "locphone",
				"ctl.sock", NULL);
}

static void style_load(void)
{
	g_autoptr(GtkCssProvider) css = gtk_css_provider_new();

	gtk_css_provider_load_from_resource(css, "/org/locphone/ui/style.css");
	gtk_style_context_add_provider_for_screen(
		gdk_screen_get_default(), GTK_STYLE_PROVIDER(css),
		GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void on_activate(GtkApplication *app)
{
	GList *windows = gtk_application_get_windows(app);

	if (windows) {
		gtk_window_present(windows->data);
		return;
	}
	style_load();
	if (!engine)
		engine = lp_engine_new(socket_path);
	gtk_window_present(GTK_WINDOW(lp_window_new(app, engine)));
}

int main(int argc, char *argv[])
{
	static const GOptionEntry options[] = {
		{"socket", 0, 0, G_OPTION_ARG_FILENAME, &socket_path,
		 N_("The engine's control socket"), N_("PATH")},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GtkApplication) app = NULL;
	g_autoptr(GError) error = NULL;
	int status;

	/* the locale comes with gtk_init; the catalogues before it, for
	 * --help */
	setlocale(LC_ALL, "");
	lp_i18n_init();
	if (!gtk_init_with_args(&argc, &argv, NULL, options, GETTEXT_PACKAGE,
				&error)) {
		g_printerr("locphone: %s\n", error->message);
		return 64;
	}
	if (!socket_path)
		socket_path = default_socket_path();
	locphone_ui_register_resource();

	/* not unique: each instance shows the engine on its own --socket */
	app = gtk_application_new("org.locphone.Locphone",
				  G_APPLICATION_NON_UNIQUE);
	g_signal_connect(app, "activate", G_CALLBACK(on_activate), NULL);
	status = g_application_run(G_APPLICATION(app), argc, argv);
	g_clear_object(&engine);
	g_free(socket_path);

	return status;
}
