/* json_syntax: RFC 8259 syntax check with positions and limits. */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "json_syntax.h"

#define NUMBER_MAX 32

struct reader {
	const char *p;
	size_t len;
	size_t pos;
	const char *why;
	enum json_syntax_kind kind;
	const char *(*number)(void *arg, const char *p, size_t n);
	void *arg;
};

static int fail_kind(struct reader *r, enum json_syntax_kind kind,
		     const char *why)
{
	r->why = why;
	r->kind = kind;
	return EBADMSG;
}

static int fail(struct reader *r, const char *why)
{
	return fail_kind(r, JSON_SYNTAX_GRAMMAR, why);
}

static bool at_end(const struct reader *r)
{
	return r->pos >= r->len;
}

static void skip_blanks(struct reader *r)
{
	/* RFC 8259 §2: space, tab, line feed, carriage return */
	while (!at_end(r) && r->p[r->pos] && strchr(" \t\n\r", r->p[r->pos]))
		++r->pos;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code unit of four hex digits at at, or -1. */
static long hex4(const struct reader *r, size_t at)
{
	long u = 0;
	size_t i;

	if (r->len - at < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		int d = hex_value(r->p[at + i]);

		if (d < 0)
			return -1;
		u = u << 4 | d;
	}
	return u;
}

/* RFC 8259 §7-8.2: a high surrogate escape must be followed by a low one
 * (r->pos at the 'u' of the high one); no UTF-8 text holds a lone half. */
static bool pair_follows(const struct reader *r)
{
	long low;

	if (r->len - r->pos < 7 || r->p[r->pos + 5] != '\\' ||
	    r->p[r->pos + 6] != 'u')
		return false;
	low = hex4(r, r->pos + 7);
	return low >= 0xdc00 && low <= 0xdfff;
}

/* RFC 8259 §7, at the opening quote. */
static int read_string(struct reader *r)
{
	static const char truncated[] = "truncated: input ends inside a string";
	size_t i;
	long u;

	for (++r->pos; !at_end(r); ++r->pos) {
		unsigned char c = (unsigned char)r->p[r->pos];

		if (c == '"') {
			++r->pos;
			return 0;
		}
		if (c < 0x20)
			return fail(r, "control character in a string");
		if (c != '\\')
			continue;

		if (r->pos + 1 >= r->len)
			return fail(r, truncated);
		c = (unsigned char)r->p[++r->pos];
		if (c != 'u') {
			if (!c || !strchr("\"\\/bfnrt", c))
				return fail(r, "unknown escape in a string");
			continue;
		}

		if (r->len - r->pos <= 4)
			return fail(r, truncated);
		for (i = 1; i <= 4; i++) {
			if (hex_value(r->p[r->pos + i]) < 0)
				return fail(r, "bad \\u escape in a string");
		}
		u = hex4(r, r->pos + 1);
		if (!u)
			return fail_kind(r, JSON_SYNTAX_TEXT,
					 "\\u0000 in a string");
		if (u >= 0xdc00 && u <= 0xdfff)
			return fail_kind(r, JSON_SYNTAX_TEXT,
					 "lone low surrogate in a string");
		if (u >= 0xd800 && u <= 0xdbff) {
			if (!pair_follows(r))
				return fail_kind(r, JSON_SYNTAX_TEXT,
						 "lone high surrogate in a "
						 "string");
			/* the low half is checked: step over it */
			r->pos += 6;
		}
		r->pos += 4;
	}

	return fail(r, truncated);
}

static bool is_digit_at(const struct reader *r)
{
	return !at_end(r) && r->p[r->pos] >= '0' && r->p[r->pos] <= '9';
}

/* One or more digits. */
static int read_digits(struct reader *r)
{
	if (at_end(r))
		return fail(r, "truncated: input ends inside a number");
	if (!is_digit_at(r))
		return fail(r, "expected a digit");

	while (is_digit_at(r))
		++r->pos;

	return 0;
}

/* RFC 8259 §6. */
static int read_number(struct reader *r)
{
	size_t start = r->pos;
	int err;

	if (r->p[r->pos] == '-')
		++r->pos;

	if (is_digit_at(r) && r->p[r->pos] == '0')
		++r->pos;
	else if ((err = read_digits(r)))
		return err;

	if (!at_end(r) && r->p[r->pos] == '.') {
		++r->pos;
		if ((err = read_digits(r)))
			return err;
	}

	if (!at_end(r) && (r->p[r->pos] == 'e' || r->p[r->pos] == 'E')) {
		++r->pos;
		if (!at_end(r) && (r->p[r->pos] == '+' || r->p[r->pos] == '-'))
			++r->pos;
		if ((err = read_digits(r)))
			return err;
	}

	if (r->pos - start > NUMBER_MAX) {
		r->pos = start;
		return fail_kind(r, JSON_SYNTAX_LIMIT,
				 "number longer than 32 characters");
	}
	if (r->number) {
		const char *why =
			r->number(r->arg, r->p + start, r->pos - start);

		if (why) {
			r->pos = start;
			return fail_kind(r, JSON_SYNTAX_NUMBER, why);
		}
	}

	return 0;
}

static int read_literal(struct reader *r)
{
	static const char *const literals[] = {"true", "false", "null"};
	size_t i, left = r->len - r->pos;

	for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
		size_t n = strlen(literals[i]);

		if (left >= n && !memcmp(r->p + r->pos, literals[i], n)) {
			r->pos += n;
			return 0;
		}
		if (left < n && !memcmp(r->p + r->pos, literals[i], left)) {
			r->pos = r->len;
			return fail(r,
				    "truncated: input ends inside a literal");
		}
	}

	return fail(r, "expected a value");
}

static int read_scalar(struct reader *r)
{
	char c = r->p[r->pos];

	if (c == '"')
		return read_string(r);
	if (c == '-' || (c >= '0' && c <= '9'))
		return read_number(r);
	if (c == 't' || c == 'f' || c == 'n')
		return read_literal(r);

	return fail(r, "expected a value");
}

enum state {
	ST_VALUE, /* a value belongs here */
	ST_KEY,	  /* an object member's name belongs here */
	ST_COLON, /* the ':' after a name */
	ST_NEXT,  /* ',' or the closing bracket */
};

struct walk {
	struct reader r;
	char stack[JSON_SYNTAX_MAX_DEPTH]; /* '{' or '[' */
	unsigned depth;
	unsigned maxdepth;
	size_t values;
	size_t maxvalues;
	enum state st;
	bool first; /* just after an opening bracket: it may close */
};

static int step_value(struct walk *w, char c)
{
	int err;

	if (w->first && c == ']') {
		--w->depth;
		++w->r.pos;
		w->st = ST_NEXT;
		return 0;
	}
	w->first = false;

	if (++w->values > w->maxvalues)
		return fail_kind(&w->r, JSON_SYNTAX_LIMIT,
				 "more values than allowed");

	if (c == '{' || c == '[') {
		if (w->depth >= w->maxdepth)
			return fail_kind(&w->r, JSON_SYNTAX_LIMIT,
					 "nested too deep");
		w->stack[w->depth++] = c;
		++w->r.pos;
		w->st = c == '{' ? ST_KEY : ST_VALUE;
		w->first = true;
		return 0;
	}

	err = read_scalar(&w->r);
	w->st = ST_NEXT;
	return err;
}

static int step(struct walk *w, char c)
{
	char top = w->depth ? w->stack[w->depth - 1] : 0;
	int err;

	switch (w->st) {

	case ST_VALUE:
		return step_value(w, c);

	case ST_KEY:
		if (w->first && c == '}') {
			--w->depth;
			++w->r.pos;
			w->st = ST_NEXT;
			w->first = false;
			return 0;
		}
		w->first = false;
		if (c != '"')
			return fail(&w->r, "expected a member name");
		err = read_string(&w->r);
		w->st = ST_COLON;
		return err;

	case ST_COLON:
		if (c != ':')
			return fail(&w->r, "expected ':'");
		++w->r.pos;
		w->st = ST_VALUE;
		return 0;

	case ST_NEXT:
		if (!top)
			return fail(&w->r, "trailing data after the JSON text");
		if (c == ',') {
			++w->r.pos;
			w->st = top == '{' ? ST_KEY : ST_VALUE;
			return 0;
		}
		if ((c == '}' && top == '{') || (c == ']' && top == '[')) {
			--w->depth;
			++w->r.pos;
			return 0;
		}
		return fail(&w->r, top == '{' ? "expected ',' or '}'"
					      : "expected ',' or ']'");
	}

	return fail(&w->r, "internal state");
}

int json_syntax_check(const char *buf, size_t len, struct json_syntax *js)
{
	struct walk w;
	int err = 0;

	if ((!buf && len) || !js)
		return EINVAL;

	memset(&w, 0, sizeof(w));
	w.r.p = buf;
	w.r.len = len;
	w.r.number = js->number;
	w.r.arg = js->arg;
	w.maxdepth = js->maxdepth < JSON_SYNTAX_MAX_DEPTH
			     ? js->maxdepth
			     : JSON_SYNTAX_MAX_DEPTH;
	w.maxvalues = js->maxvalues;
	w.st = ST_VALUE;

	skip_blanks(&w.r);
	if (at_end(&w.r)) {
		err = fail(&w.r, "empty input");
		goto out;
	}
	if (buf[w.r.pos] != '{' && buf[w.r.pos] != '[') {
		err = fail(&w.r, "the top level is not an object or array");
		goto out;
	}

	for (;;) {
		skip_blanks(&w.r);
		if (at_end(&w.r))
			break;
		err = step(&w, buf[w.r.pos]);
		if (err)
			goto out;
	}

	if (w.depth)
		err = fail(&w.r, w.stack[w.depth - 1] == '{'
					 ? "truncated: an object is not closed"
					 : "truncated: an array is not closed");

out:
	if (err) {
		js->off = w.r.pos;
		js->why = w.r.why;
		js->kind = w.r.kind;
	}
	return err;
}
