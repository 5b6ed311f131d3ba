/* ctlmsg_json: RFC 8259 strings and numbers for ctlmsg_decode, GLib only. */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "ctlmsg_json.h"

G_DEFINE_QUARK(ctlmsg - error - quark, ctlmsg_error)

gboolean ctlmsg_json_fail(struct ctlmsg_json *p, gsize at, CtlmsgError code,
			  const char *fmt, ...)
{
	g_autofree gchar *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(p->error, CTLMSG_ERROR, code, "%s at byte %" G_GSIZE_FORMAT,
		    what, at);
	return FALSE;
}

void ctlmsg_json_skip_ws(struct ctlmsg_json *p)
{
	/* RFC 8259 section 2: ws = space, tab, LF, CR (not \f or \v) */
	while (p->pos < p->len &&
	       (p->buf[p->pos] == ' ' || p->buf[p->pos] == '\t' ||
		p->buf[p->pos] == '\n' || p->buf[p->pos] == '\r'))
		p->pos++;
}

/* The four hex digits of a \u escape at p->pos; FALSE with the error set. */
static gboolean hex4(struct ctlmsg_json *p, gunichar *out)
{
	gunichar u = 0;
	gsize i;

	for (i = 0; i < 4; i++) {
		gint d = p->pos + i < p->len
				 ? g_ascii_xdigit_value(p->buf[p->pos + i])
				 : -1;

		if (d < 0)
			return ctlmsg_json_fail(
				p, p->pos + i, CTLMSG_ERROR_SYNTAX,
				"expected 4 hex digits after \\u");
		u = u << 4 | (gunichar)d;
	}
	p->pos += 4;
	*out = u;
	return TRUE;
}

/* A \u escape (p->pos after the u), with the low half of a surrogate pair
 * when the first is a high half (RFC 8259 section 7); FALSE with the error
 * set. */
static gboolean unicode_escape(struct ctlmsg_json *p, GString *out)
{
	gsize at = p->pos - 2;
	gunichar u, low;

	if (!hex4(p, &u))
		return FALSE;
	if (u >= 0xdc00 && u <= 0xdfff)
		return ctlmsg_json_fail(p, at, CTLMSG_ERROR_ENCODING,
					"lone low surrogate \\u%04X", u);
	if (u >= 0xd800 && u <= 0xdbff) {
		if (p->pos + 2 > p->len || p->buf[p->pos] != '\\' ||
		    p->buf[p->pos + 1] != 'u')
			return ctlmsg_json_fail(p, at, CTLMSG_ERROR_ENCODING,
						"lone high surrogate \\u%04X",
						u);
		p->pos += 2;
		if (!hex4(p, &low))
			return FALSE;
		if (low < 0xdc00 || low > 0xdfff)
			return ctlmsg_json_fail(p, at, CTLMSG_ERROR_ENCODING,
						"lone high surrogate \\u%04X",
						u);
		u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
	}
	/* a GVariant string ends at NUL: it cannot carry one */
	if (u == 0)
		return ctlmsg_json_fail(p, at, CTLMSG_ERROR_ENCODING,
					"\\u0000 in a string");
	g_string_append_unichar(out, u);
	return TRUE;
}

/* The escape at p->pos (the backslash); FALSE with the error set. */
static gboolean escape(struct ctlmsg_json *p, GString *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	char c;

	if (p->pos + 1 >= p->len)
		return ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					"unterminated string");
	c = p->buf[p->pos + 1];
	p->pos += 2;
	if (c == 'u')
		return unicode_escape(p, out);
	hit = c ? strchr(from, c) : NULL;
	if (!hit)
		return ctlmsg_json_fail(p, p->pos - 2, CTLMSG_ERROR_SYNTAX,
					"invalid escape \\%c", c);
	g_string_append_c(out, to[hit - from]);
	return TRUE;
}

gchar *ctlmsg_json_string(struct ctlmsg_json *p)
{
	g_autoptr(GString) out = g_string_new(NULL);
	gsize start = p->pos;

	g_assert(p->pos < p->len && p->buf[p->pos] == '"');
	p->pos++;
	for (;;) {
		gsize run = p->pos;
		guchar c;

		/* plain bytes: the line is valid UTF-8 already */
		while (run < p->len && p->buf[run] != '"' &&
		       p->buf[run] != '\\' && (guchar)p->buf[run] >= 0x20)
			run++;
		g_string_append_len(out, p->buf + p->pos, run - p->pos);
		p->pos = run;
		if (p->pos >= p->len) {
			ctlmsg_json_fail(p, start, CTLMSG_ERROR_SYNTAX,
					 "unterminated string");
			return NULL;
		}
		c = (guchar)p->buf[p->pos];
		if (c == '"')
			break;
		if (c < 0x20) {
			/* RFC 8259 section 7: U+0000..U+001F must be escaped */
			ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					 "control character 0x%02X in a string",
					 c);
			return NULL;
		}
		if (!escape(p, out))
			return NULL;
	}
	p->pos++;
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gsize digits_skip(struct ctlmsg_json *p)
{
	gsize start = p->pos;

	while (p->pos < p->len && g_ascii_isdigit(p->buf[p->pos]))
		p->pos++;
	return p->pos - start;
}

GVariant *ctlmsg_json_number(struct ctlmsg_json *p)
{
	g_autofree gchar *text = NULL;
	gsize start = p->pos;
	gboolean integer = TRUE;
	gint64 n;
	gdouble d;

	/* RFC 8259 section 6: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
	 * so no '+', no leading zeros, no NaN or Infinity */
	if (p->pos < p->len && p->buf[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->buf[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && g_ascii_isdigit(p->buf[p->pos])) {
			ctlmsg_json_fail(p, start, CTLMSG_ERROR_SYNTAX,
					 "a number with a leading zero");
			return NULL;
		}
	} else if (!digits_skip(p)) {
		ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
				 "expected a digit");
		return NULL;
	}
	if (p->pos < p->len && p->buf[p->pos] == '.') {
		integer = FALSE;
		p->pos++;
		if (!digits_skip(p)) {
			ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					 "expected a digit after '.'");
			return NULL;
		}
	}
	if (p->pos < p->len &&
	    (p->buf[p->pos] == 'e' || p->buf[p->pos] == 'E')) {
		integer = FALSE;
		p->pos++;
		if (p->pos < p->len &&
		    (p->buf[p->pos] == '+' || p->buf[p->pos] == '-'))
			p->pos++;
		if (!digits_skip(p)) {
			ctlmsg_json_fail(p, p->pos, CTLMSG_ERROR_SYNTAX,
					 "expected a digit in the exponent");
			return NULL;
		}
	}

	text = g_strndup(p->buf + start, p->pos - start);
	if (integer) {
		errno = 0;
		n = g_ascii_strtoll(text, NULL, 10);
		if (errno == 0)
			return g_variant_new_int64(n);
	}
	/* locale-independent; an integer past gint64 becomes a double */
	d = g_ascii_strtod(text, NULL);
	if (!isfinite(d)) {
		ctlmsg_json_fail(p, start, CTLMSG_ERROR_RANGE,
				 "a number out of range");
		return NULL;
	}
	/* below the smallest normal double: a signed zero, as an underflow
	 * past every double already is.  GVariant's text parser refuses a
	 * subnormal ("number too big for any type"), so a value printed with
	 * g_variant_print could not be read back; no figure of the protocol
	 * (coordinates, metres, counts) lives down there. */
	if (fpclassify(d) == FP_SUBNORMAL)
		d = copysign(0.0, d);
	return g_variant_new_double(d);
}
