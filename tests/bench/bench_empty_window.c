/* The baseline of bench ui-start: an empty GtkApplication window, started
 * as the locphone UI is (GtkApplication, non-unique, one window shown on
 * activate), nothing else. */

#include <gtk/gtk.h>

static void on_activate(GtkApplication *app)
{
	GtkWidget *w = gtk_application_window_new(app);

	gtk_window_set_title(GTK_WINDOW(w), "empty");
	gtk_window_set_default_size(GTK_WINDOW(w), 520, 560);
	gtk_window_present(GTK_WINDOW(w));
}

int main(int argc, char *argv[])
{
	g_autoptr(GtkApplication) app = gtk_application_new(
		"org.locphone.BenchEmpty", G_APPLICATION_NON_UNIQUE);

	g_signal_connect(app, "activate", G_CALLBACK(on_activate), NULL);

	return g_application_run(G_APPLICATION(app), argc, argv);
}
