/* Fuzz target: control-socket bytes through framing and request decoding. */

#include <re.h>
#include "ctlproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_line(const char *line, size_t len, void *arg)
{
	struct ctl_request req;
	const char *why = NULL;
	int64_t id;
	struct mbuf *out = arg;

	if (ctl_request_decode(&req, line, len, &id, &why)) {
		(void)ctl_reply_encode(out, id, NULL, why);
		return 0;
	}

	(void)ctl_arg_str(req.args, "number");
	(void)ctl_reply_encode(out, req.id, req.args, NULL);
	ctl_request_reset(&req);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbuf *rx = mbuf_alloc(256);
	struct mbuf *out = mbuf_alloc(256);

	if (rx && out)
		(void)ctl_framer_feed(rx, data, size, 4096, on_line, out);

	mem_deref(rx);
	mem_deref(out);
	return 0;
}
