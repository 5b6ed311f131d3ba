/* dialplan: emergency dial strings, masks, test numbers, outside line. */

#include <re.h>
#include <string.h>
#include <strings.h>
#include "policy.h"
#include "dialplan.h"

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return 0 == strncasecmp(s, prefix, strlen(prefix));
}

static bool numbers_has(const struct policy_numbers *nums, const char *s)
{
	size_t i;

	for (i = 0; i < nums->n; i++) {
		if (!strcmp(s, nums->v[i]))
			return true;
	}

	return false;
}

/* The number inside a sip:, sips: or tel: URI (the user part without its
 * parameters or password); the whole input if it is no such URI. */
static bool number_part(struct pl *num, const char *in)
{
	const char *p = NULL, *end;

	if (has_prefix_ci(in, "sip:"))
		p = in + 4;
	else if (has_prefix_ci(in, "sips:"))
		p = in + 5;

	if (p) {
		/* "sip:911" names a host, not a number */
		end = strchr(p, '@');
		if (!end)
			return false;
	} else if (has_prefix_ci(in, "tel:")) {
		p = in + 4;
		end = p + strlen(p);
	} else {
		pl_set_str(num, in);
		return true;
	}

	num->p = p;
	num->l = (size_t)(end - p);
	for (end = p; end < num->p + num->l; end++) {
		if (*end == ';' || *end == ':') {
			num->l = (size_t)(end - p);
			break;
		}
	}

	return true;
}

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

/* Keep the digits of num, dropping visual separators and one trailing '#';
 * false for anything else ('+', '*', letters) or more than the buffer. */
static bool digits_extract(char *out, size_t size, const struct pl *num)
{
	bool hash = false;
	size_t i, n = 0;

	for (i = 0; i < num->l; i++) {
		char c = num->p[i];

		if (is_separator(c))
			continue;
		/* '#' ends the number: only separators may follow */
		if (hash || !((c >= '0' && c <= '9') || c == '#'))
			return false;
		if (c == '#') {
			hash = true;
			continue;
		}
		if (n + 1 >= size)
			return false;
		out[n++] = c;
	}

	out[n] = '\0';
	return n > 0;
}

/* Emergency string, mask or test string: fill r and return true. */
static bool match(const struct policy *p, const char *digits,
		  struct dial_result *r)
{
	size_t i;

	if (numbers_has(&p->dial_strings, digits)) {
		r->cls = DIAL_EMERGENCY;
		str_ncpy(r->number, digits, sizeof(r->number));
		return true;
	}

	for (i = 0; i < p->dial_mask_count; i++) {
		if (!strcmp(digits, p->dial_masks[i].from)) {
			r->cls = DIAL_EMERGENCY;
			r->masked = true;
			str_ncpy(r->number, p->dial_masks[i].to,
				 sizeof(r->number));
			return true;
		}
	}

	if (numbers_has(&p->test_dial_strings, digits)) {
		r->cls = DIAL_TEST;
		str_ncpy(r->number, digits, sizeof(r->number));
		return true;
	}

	return false;
}

/* RFC 5031: urn:service:sos and urn:service:sos.<sub-service>. */
static bool is_sos_urn(const char *s)
{
	static const char sos[] = "urn:service:sos";

	return has_prefix_ci(s, sos) &&
	       (s[sizeof(sos) - 1] == '\0' || s[sizeof(sos) - 1] == '.');
}

int dialplan_classify(const struct policy *p, const char *dialled,
		      struct dial_result *r)
{
	const char *prefix;
	size_t plen;
	struct pl num;

	if (!p || !dialled || !r)
		return EINVAL;

	memset(r, 0, sizeof(*r));

	if (is_sos_urn(dialled)) {
		r->cls = DIAL_EMERGENCY;
		if (p->dial_strings.n)
			str_ncpy(r->number, p->dial_strings.v[0],
				 sizeof(r->number));
		return 0;
	}

	if (!number_part(&num, dialled) ||
	    !digits_extract(r->dialled, sizeof(r->dialled), &num)) {
		r->dialled[0] = '\0';
		return 0;
	}

	/* Kari's Law: the bare dial string, no prefix needed */
	if (match(p, r->dialled, r))
		return 0;

	prefix = p->outside_line_prefix;
	plen = strlen(prefix);
	if (plen && strlen(r->dialled) > plen &&
	    !strncmp(r->dialled, prefix, plen) &&
	    match(p, r->dialled + plen, r))
		r->prefix_stripped = true;

	return 0;
}

const char *dial_class_name(enum dial_class cls)
{
	switch (cls) {
	case DIAL_EMERGENCY:
		return "emergency";
	case DIAL_TEST:
		return "test";
	default:
		return "ordinary";
	}
}
