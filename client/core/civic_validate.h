/* civic_validate: can this civic address be dispatched to? */

#ifndef LOCPHONE_CIVIC_VALIDATE_H
#define LOCPHONE_CIVIC_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "civic.h"

#define CIVIC_PROBLEM_TEXT_MAX 160

/* One problem with one field, for the form that shows it next to it. */
struct civic_problem {
	enum civic_field field;
	char text[CIVIC_PROBLEM_TEXT_MAX]; /* "HNO: house number is required" */
};

/* At most one problem per field, in field order. */
struct civic_problems {
	struct civic_problem v[CIVIC_FIELD_COUNT];
	size_t n;
};

/*
 * Trim spaces around every field (a field left empty is cleared) and
 * upper-case the country; nothing else is ever rewritten, because the
 * person's words go to the dispatcher as typed.  Returns 0 or ENOMEM (c
 * unchanged).
 */
int civic_normalise(struct civic *c);

/*
 * Check that c is dispatchable: an assigned ISO 3166-1 alpha-2 country;
 * house number (HNO), street (RD), city (A3) and state or province (A1), or
 * a LOC description in place of HNO and RD where there is no street
 * address; every field valid UTF-8 and within its length cap.  Fills probs
 * (if given) and returns 0 when there is no problem, EINVAL when there is,
 * or EINVAL for a NULL c.  Call civic_normalise first.
 */
int civic_validate(const struct civic *c, struct civic_problems *probs);

/* True if cc is an assigned ISO 3166-1 alpha-2 code (upper case). */
bool civic_country_assigned(const char *cc);

/* The alpha-2 code someone probably meant by s: the alpha-3 code ("USA"),
 * a lower-case code, or an exceptionally reserved one ("UK" for GB);
 * NULL if there is no likely one. */
const char *civic_country_suggest(const char *s);

/* Longest value accepted for a field, in characters. */
size_t civic_field_max(enum civic_field f);

#endif
