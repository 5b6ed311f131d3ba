/* ctlproto: line framing and JSON requests, replies and events. */

#include <re.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "ctlproto.h"

int ctl_framer_feed(struct mbuf *rx, const uint8_t *data, size_t len,
		    size_t maxline, ctl_line_h *lineh, void *arg)
{
	size_t start = 0, i;
	int err;

	if (!rx || (!data && len) || !lineh)
		return EINVAL;

	/* callers feed what one read returned, so rx stays under maxline plus
	 * one read: a 10 MB line is refused long before it is held */
	rx->pos = rx->end;
	err = mbuf_write_mem(rx, data, len);
	if (err)
		return err;

	for (i = 0; i < rx->end; i++) {
		size_t n;

		if (rx->buf[i] != '\n')
			continue;

		n = i - start;
		if (n && rx->buf[start + n - 1] == '\r')
			--n;
		if (n > maxline)
			return EOVERFLOW;

		err = lineh((const char *)rx->buf + start, n, arg);
		if (err)
			return err;
		start = i + 1;
	}

	if (rx->end - start > maxline)
		return EOVERFLOW;

	/* keep the unterminated tail at the front */
	if (start) {
		memmove(rx->buf, rx->buf + start, rx->end - start);
		rx->end -= start;
	}
	rx->pos = 0;

	return 0;
}

void ctl_request_reset(struct ctl_request *req)
{
	if (!req)
		return;

	req->msg = mem_deref(req->msg);
	req->empty = mem_deref(req->empty);
	req->args = NULL;
	req->cmd = NULL;
	req->id = -1;
}

int ctl_request_decode(struct ctl_request *req, const char *line, size_t len,
		       int64_t *idp, const char **errmsg)
{
	const struct odict_entry *e;
	struct odict *msg = NULL;
	const char *why = NULL;
	int64_t id = -1;
	int err;

	if (!req || !line || !errmsg)
		return EINVAL;

	memset(req, 0, sizeof(*req));
	req->id = -1;

	if (len > CTLPROTO_MAX_LINE) {
		why = "line too long";
		err = EOVERFLOW;
		goto out;
	}

	err = json_decode_odict(&msg, 16, line, len, CTLPROTO_MAX_DEPTH);
	if (err == ENOMEM) {
		/* not the client's fault: it must not be told its line is bad */
		why = "out of memory";
		goto out;
	}
	if (err) {
		why = "malformed JSON";
		err = EBADMSG;
		goto out;
	}

	e = odict_lookup(msg, "id");
	if (!e || e->type != ODICT_INT || e->u.integer < 0) {
		why = "\"id\" must be a non-negative integer";
		err = EPROTO;
		goto out;
	}
	id = e->u.integer;

	e = odict_lookup(msg, "cmd");
	if (!e || e->type != ODICT_STRING || !str_isset(e->u.str)) {
		why = "\"cmd\" must be a non-empty string";
		err = EPROTO;
		goto out;
	}
	req->cmd = e->u.str;

	e = odict_lookup(msg, "args");
	if (e && e->type != ODICT_OBJECT) {
		why = "\"args\" must be an object";
		err = EPROTO;
		goto out;
	}
	if (e) {
		req->args = e->u.odict;
	} else {
		err = odict_alloc(&req->empty, 1);
		if (err)
			goto out;
		req->args = req->empty;
	}

	req->id = id;
	req->msg = msg;
	msg = NULL;

out:
	mem_deref(msg);
	if (err) {
		req->empty = mem_deref(req->empty);
		req->cmd = NULL;
		req->args = NULL;
		*errmsg = why ? why : "out of memory";
	}
	if (idp)
		*idp = id;
	return err;
}

static int encode_line(struct mbuf *mb, const struct odict *od)
{
	return mbuf_printf(mb, "%H\n", json_out_odict, od);
}

int ctl_reply_encode(struct mbuf *mb, int64_t id, const struct odict *result,
		     const char *error)
{
	struct odict *od = NULL;
	int err;

	if (!mb)
		return EINVAL;

	err = odict_alloc(&od, 8);
	if (err)
		return err;

	/* an id that could not be read is answered as null */
	if (id >= 0)
		err = odict_entry_add(od, "id", ODICT_INT, id);
	else
		err = odict_entry_add(od, "id", ODICT_NULL);
	if (err)
		goto out;
	err = odict_entry_add(od, "ok", ODICT_BOOL, error == NULL);
	if (err)
		goto out;
	if (error)
		err = odict_entry_add(od, "error", ODICT_STRING, error);
	else if (result)
		err = odict_entry_add(od, "result", ODICT_OBJECT, result);
	if (err)
		goto out;

	err = encode_line(mb, od);

out:
	mem_deref(od);
	return err;
}

int ctl_event_encode(struct mbuf *mb, const char *name,
		     const struct odict *fields)
{
	struct odict *od = NULL;
	struct le *le;
	int err;

	if (!mb || !name)
		return EINVAL;

	err = odict_alloc(&od, 8);
	if (err)
		return err;

	err = odict_entry_add(od, "event", ODICT_STRING, name);
	if (err)
		goto out;

	for (le = fields ? fields->lst.head : NULL; le; le = le->next) {
		const struct odict_entry *e = le->data;

		switch (e->type) {
		case ODICT_OBJECT:
		case ODICT_ARRAY:
			err = odict_entry_add(od, e->key, e->type, e->u.odict);
			break;
		case ODICT_STRING:
			err = odict_entry_add(od, e->key, e->type, e->u.str);
			break;
		case ODICT_INT:
			err = odict_entry_add(od, e->key, e->type,
					      e->u.integer);
			break;
		case ODICT_DOUBLE:
			err = odict_entry_add(od, e->key, e->type, e->u.dbl);
			break;
		case ODICT_BOOL:
			err = odict_entry_add(od, e->key, e->type,
					      (int)e->u.boolean);
			break;
		case ODICT_NULL:
			err = odict_entry_add(od, e->key, e->type);
			break;
		}
		if (err)
			goto out;
	}

	err = encode_line(mb, od);

out:
	mem_deref(od);
	return err;
}

const char *ctl_arg_str(const struct odict *args, const char *key)
{
	const struct odict_entry *e = odict_get_type(args, ODICT_STRING, key);

	return e ? e->u.str : NULL;
}

/* The JSON writer. */

static int value_out(struct re_printf *pf, const struct odict_entry *e);

static int container_out(struct re_printf *pf, const struct odict *od,
			 bool array)
{
	struct le *le;
	int err;

	err = re_hprintf(pf, array ? "[" : "{");
	for (le = od ? od->lst.head : NULL; le && !err; le = le->next) {
		const struct odict_entry *e = le->data;

		if (le != od->lst.head)
			err = re_hprintf(pf, ",");
		if (!err && !array)
			err = re_hprintf(pf, "\"%H\":", utf8_encode, e->key);
		if (!err)
			err = value_out(pf, e);
	}

	return err ? err : re_hprintf(pf, array ? "]" : "}");
}

static int value_out(struct re_printf *pf, const struct odict_entry *e)
{
	char num[LOCATION_NUM_LEN];

	switch (e->type) {

	case ODICT_OBJECT:
		return container_out(pf, e->u.odict, false);

	case ODICT_ARRAY:
		return container_out(pf, e->u.odict, true);

	case ODICT_STRING:
		return re_hprintf(pf, "\"%H\"", utf8_encode, e->u.str);

	case ODICT_INT:
		return re_hprintf(pf, "%lld", (long long)e->u.integer);

	case ODICT_DOUBLE:
		/* JSON has no NaN or infinity */
		if (location_num_format(num, sizeof(num), e->u.dbl))
			return re_hprintf(pf, "null");
		return re_hprintf(pf, "%s%s", num,
				  strchr(num, '.') ? "" : ".0");

	case ODICT_BOOL:
		return re_hprintf(pf, "%s", e->u.boolean ? "true" : "false");

	case ODICT_NULL:
	default:
		return re_hprintf(pf, "null");
	}
}

int json_out_odict(struct re_printf *pf, const struct odict *od)
{
	if (!pf)
		return EINVAL;

	return container_out(pf, od, false);
}
