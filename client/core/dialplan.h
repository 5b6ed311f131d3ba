/* dialplan: tell emergency, test and ordinary calls apart. */

#ifndef LOCPHONE_DIALPLAN_H
#define LOCPHONE_DIALPLAN_H

#include <stdbool.h>

#include "policy.h"

/*
 * Recognition does not depend on e911_enabled.  That setting switches the
 * location features (LIS queries, prompts, notifications), not the phone's
 * duty to treat 911 as an emergency call: Kari's Law (47 U.S.C. 623) requires
 * a multi-line telephone system to let 911 be dialled directly, without a
 * prefix, and RFC 6881 (BCP 181) has the device recognise its emergency dial
 * strings.  A 911 call taken for an ordinary one would leave on the ordinary
 * route, unmarked, and a configuration mistake must not be able to do that.
 */

/* Longest digit string examined; anything longer is an ordinary call. */
#define DIAL_DIGITS_MAX 32

enum dial_class {
	DIAL_ORDINARY = 0,
	DIAL_EMERGENCY,
	DIAL_TEST /* a test dial string such as 933 */
};

struct dial_result {
	enum dial_class cls;
	/* emergency or test: the dial string to call (after a mask),
	 * e.g. "911" for 9911; "" for an ordinary call (dial it as typed) */
	char number[POLICY_DIAL_MAX + 1];
	/* the digits as dialled, visual separators removed ("9911" for
	 * "9-911"): shown to the far end and the person; "" if the input was
	 * not a digit string */
	char dialled[DIAL_DIGITS_MAX + 1];
	bool prefix_stripped; /* the outside-line prefix was removed */
	bool masked;	      /* a dial mask translated the number */
};

/*
 * Classify what the person dialled: digits with visual separators
 * (" -.()"), an optional final '#' (the dial key on many phones), or a
 * sip:/sips:/tel: URI whose user part (number) is that; urn:service:sos
 * and its sub-services are emergency calls to the first dial string.
 * The outside-line prefix is removed only when what remains is an emergency
 * string, a mask or a test string; 911 itself needs no prefix.  A '+'
 * makes a global number, never an emergency one.  Returns 0 and fills *r,
 * or EINVAL for NULL arguments.
 */
int dialplan_classify(const struct policy *p, const char *dialled,
		      struct dial_result *r);

/* "emergency", "test" or "ordinary". */
const char *dial_class_name(enum dial_class cls);

#endif
