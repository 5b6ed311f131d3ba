/* policy_value: checks for single policy values (private to policy*.c). */

#ifndef LOCPHONE_POLICY_VALUE_H
#define LOCPHONE_POLICY_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include <re.h>

enum policy_uri_kind {
	POLICY_URI_ROUTE, /* sip:/sips: with user, tel:, urn:service:sos[.x] */
	POLICY_URI_PROXY, /* sip:/sips:, user optional (a next hop) */
	POLICY_URI_AOR	  /* sip:/sips: with user (an address of record) */
};

/* The word sets of the word-valued settings, for printing. */
enum policy_word_set {
	POLICY_WORDS_YES_NO,
	POLICY_WORDS_LOCATION,
	POLICY_WORDS_PROFILE,
	POLICY_WORDS_ELIN,
	POLICY_WORDS_CONFERENCE,
};

/* The word for a value of a set ("yes", "disclaimer"), "?" if none. */
const char *policy_word(enum policy_word_set set, int value);

/* NULL if s is acceptable as kind, else why not, in words that follow the
 * value in a message ("is not a sip:, sips:, tel: or urn:service:sos URI"). */
const char *policy_uri_problem(const char *s, enum policy_uri_kind kind);

/* True for a tel: or urn: route, which names no host to send to. */
bool policy_route_needs_proxy(const char *route);

/* 1 to max decimal digits and nothing else. */
bool policy_digits_valid(const struct pl *s, size_t max);

/* Split "FROM:TO" or "FROM>TO" (blanks around either part allowed);
 * EINVAL if there is no separator. */
int policy_mask_split(const struct pl *item, struct pl *from, struct pl *to);

/* A decimal number without sign or blanks that fits in unsigned;
 * EINVAL otherwise. */
int policy_uint_parse(unsigned *v, const char *s);

/*
 * A duration: a whole number of hours ("4"), or with a unit, "4h", "30m",
 * "90s".  *secs is set on success; EINVAL for anything else (an empty
 * string, blanks, another unit, more than UINT_MAX seconds).
 */
int policy_duration_parse(unsigned *secs, const char *s);

/* Remove blanks (space, tab) at both ends. */
void policy_pl_trim(struct pl *pl);

/* Optimal string alignment distance (a swap of neighbours counts one),
 * or limit if it is limit or more. */
unsigned policy_edit_distance(const char *a, const char *b, unsigned limit);

#endif
