/* LpEngine: asynchronous connection, line reading and requests. */

#include "engine.h"
#include <gio/gunixsocketaddress.h>
#include "ctlmsg.h"

/* How long to wait before trying again while the engine is away. */
#define RECONNECT_MS 1000

struct _LpEngine {
	GObject parent_instance;
	gchar *path;
	GSocketClient *client;
	GSocketConnection *conn;
	GDataInputStream *in;
	GCancellable *cancel; /* of the current connection's operations */
	GQueue out;	      /* GBytes waiting to be written */
	gboolean writing;
	GHashTable *pending; /* id -> struct pending */
	gint64 next_id;
	guint retry_id;
};

struct pending {
	LpReplyFunc func;
	gpointer user_data;
};

enum { SIG_CONNECTED, SIG_DISCONNECTED, SIG_EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE(LpEngine, lp_engine, G_TYPE_OBJECT)

static void connect_start(LpEngine *self);
static void read_next(LpEngine *self);
static void write_next(LpEngine *self);

static gboolean on_retry(gpointer data)
{
	LpEngine *self = data;

	self->retry_id = 0;
	connect_start(self);

	return G_SOURCE_REMOVE;
}

static void pending_fail(gpointer key, gpointer value, gpointer data)
{
	struct pending *p = value;
	(void)key;
	(void)data;

	if (p->func)
		p->func(NULL, p->user_data);
}

/* Drop the connection, fail what waits for a reply, retry later. */
static void connection_lost(LpEngine *self)
{
	gboolean was_connected = self->conn != NULL;

	g_cancellable_cancel(self->cancel);
	g_clear_object(&self->cancel);
	g_clear_object(&self->in);
	if (self->conn)
		g_io_stream_close(G_IO_STREAM(self->conn), NULL, NULL);
	g_clear_object(&self->conn);
	g_queue_clear_full(&self->out, (GDestroyNotify)g_bytes_unref);
	self->writing = FALSE;
	g_hash_table_foreach(self->pending, pending_fail, NULL);
	g_hash_table_remove_all(self->pending);

	if (!self->retry_id)
		self->retry_id = g_timeout_add(RECONNECT_MS, on_retry, self);
	if (was_connected)
		g_signal_emit(self, signals[SIG_DISCONNECTED], 0);
}

static void reply_dispatch(LpEngine *self, GVariant *msg)
{
	struct pending *p;
	gint64 id;

	if (!g_variant_lookup(msg, "id", "x", &id)) {
		g_message("engine: ignored a line: a reply without an id");
		return;
	}
	p = g_hash_table_lookup(self->pending, &id);
	if (!p) {
		g_message("engine: ignored a line: a reply to unknown "
			  "request %" G_GINT64_FORMAT,
			  id);
		return;
	}
	if (p->func)
		p->func(msg, p->user_data);
	g_hash_table_remove(self->pending, &id);
}

static void line_dispatch(LpEngine *self, const char *line, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) msg = ctlmsg_decode(line, len, &error);
	const char *event;

	if (!msg) {
		g_message("engine: ignored a line: %s", error->message);
		return;
	}
	event = ctlmsg_str(msg, "event");
	if (event)
		g_signal_emit(self, signals[SIG_EVENT], 0, event, msg);
	else
		reply_dispatch(self, msg);
}

static void on_line(GObject *source, GAsyncResult *res, gpointer data)
{
	LpEngine *self = data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line = NULL;
	gsize len = 0;

	line = g_data_input_stream_read_line_finish_utf8(
		G_DATA_INPUT_STREAM(source), res, &len, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (error && error->domain == G_CONVERT_ERROR) {
		g_message("engine: ignored a line: %s", error->message);
		read_next(self);
		return;
	}
	if (!line) {
		if (error)
			g_message("engine: %s", error->message);
		connection_lost(self);
		return;
	}

	g_object_ref(self);
	line_dispatch(self, line, len);
	if (self->in == G_DATA_INPUT_STREAM(source))
		read_next(self);
	g_object_unref(self);
}

static void read_next(LpEngine *self)
{
	g_data_input_stream_read_line_async(self->in, G_PRIORITY_DEFAULT,
					    self->cancel, on_line, self);
}

static void on_written(GObject *source, GAsyncResult *res, gpointer data)
{
	LpEngine *self = data;
	g_autoptr(GError) error = NULL;

	if (!g_output_stream_write_bytes_finish(G_OUTPUT_STREAM(source), res,
						&error)) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			connection_lost(self);
		return;
	}
	g_bytes_unref(g_queue_pop_head(&self->out));
	self->writing = FALSE;
	write_next(self);
}

/* One line at a time: a GOutputStream takes one pending write. */
static void write_next(LpEngine *self)
{
	GOutputStream *os;
	GBytes *b = g_queue_peek_head(&self->out);

	if (self->writing || !b || !self->conn)
		return;
	self->writing = TRUE;
	os = g_io_stream_get_output_stream(G_IO_STREAM(self->conn));
	g_output_stream_write_bytes_async(os, b, G_PRIORITY_DEFAULT,
					  self->cancel, on_written, self);
}

static void on_connected(GObject *source, GAsyncResult *res, gpointer data)
{
	LpEngine *self = data;
	g_autoptr(GError) error = NULL;
	GSocketConnection *conn;
	GInputStream *is;

	conn = g_socket_client_connect_finish(G_SOCKET_CLIENT(source), res,
					      &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (!conn) {
		connection_lost(self);
		return;
	}

	self->conn = conn;
	is = g_io_stream_get_input_stream(G_IO_STREAM(conn));
	self->in = g_data_input_stream_new(is);
	g_data_input_stream_set_newline_type(self->in,
					     G_DATA_STREAM_NEWLINE_TYPE_ANY);
	read_next(self);
	g_signal_emit(self, signals[SIG_CONNECTED], 0);
}

static void connect_start(LpEngine *self)
{
	g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(self->path);

	self->cancel = g_cancellable_new();
	g_socket_client_connect_async(self->client, G_SOCKET_CONNECTABLE(addr),
				      self->cancel, on_connected, self);
}

void lp_engine_request(LpEngine *self, const char *cmd, GVariant *args,
		       LpReplyFunc func, gpointer user_data)
{
	g_autoptr(GVariant) owned = args ? g_variant_ref_sink(args) : NULL;
	struct pending *p;
	gchar *line;
	gint64 *key;

	g_return_if_fail(LP_IS_ENGINE(self));
	g_return_if_fail(cmd != NULL);

	if (!self->conn) {
		if (func)
			func(NULL, user_data);
		return;
	}

	key = g_new(gint64, 1);
	*key = self->next_id++;
	p = g_new(struct pending, 1);
	p->func = func;
	p->user_data = user_data;
	g_hash_table_insert(self->pending, key, p);

	line = ctlmsg_request_encode(*key, cmd, owned);
	g_queue_push_tail(&self->out, g_bytes_new_take(line, strlen(line)));
	write_next(self);
}

GVariant *lp_reply_result(GVariant *reply)
{
	if (!reply || !ctlmsg_bool(reply, "ok"))
		return NULL;

	return ctlmsg_obj(reply, "result");
}

gboolean lp_engine_is_connected(LpEngine *self)
{
	g_return_val_if_fail(LP_IS_ENGINE(self), FALSE);

	return self->conn != NULL;
}

static void lp_engine_dispose(GObject *object)
{
	LpEngine *self = LP_ENGINE(object);

	g_clear_handle_id(&self->retry_id, g_source_remove);
	g_cancellable_cancel(self->cancel);
	g_clear_object(&self->cancel);
	g_clear_object(&self->in);
	g_clear_object(&self->conn);
	g_clear_object(&self->client);
	g_queue_clear_full(&self->out, (GDestroyNotify)g_bytes_unref);
	g_clear_pointer(&self->pending, g_hash_table_destroy);

	G_OBJECT_CLASS(lp_engine_parent_class)->dispose(object);
}

static void lp_engine_finalize(GObject *object)
{
	LpEngine *self = LP_ENGINE(object);

	g_free(self->path);

	G_OBJECT_CLASS(lp_engine_parent_class)->finalize(object);
}

static void lp_engine_class_init(LpEngineClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = lp_engine_dispose;
	object_class->finalize = lp_engine_finalize;

	signals[SIG_CONNECTED] = g_signal_new(
		"connected", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIG_DISCONNECTED] = g_signal_new(
		"disconnected", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIG_EVENT] = g_signal_new(
		"event", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
		NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_VARIANT);
}

static void lp_engine_init(LpEngine *self)
{
	self->client = g_socket_client_new();
	g_queue_init(&self->out);
	self->pending = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					      g_free, g_free);
	self->next_id = 1;
}

LpEngine *lp_engine_new(const char *path)
{
	LpEngine *self;

	g_return_val_if_fail(path != NULL, NULL);

	self = g_object_new(LP_TYPE_ENGINE, NULL);
	self->path = g_strdup(path);
	connect_start(self);

	return self;
}
