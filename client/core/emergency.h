/* emergency: the shape of an emergency INVITE, decided without I/O. */

#ifndef LOCPHONE_EMERGENCY_H
#define LOCPHONE_EMERGENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <re.h>

#include "dialplan.h"
#include "emergency_attempt.h"
#include "location.h"
#include "policy.h"

/*
 * The e911 module asks these functions what to send and hands the answers
 * to baresip and to the INVITE body hook (client/engine/sipbody.h).  They
 * read the policy (design.md §5), the dial plan's verdict and the location
 * record and return text; nothing here sends or waits.
 */

#define EMERGENCY_URI_MAX (POLICY_URI_MAX + 64)

/* How an emergency call reaches the emergency services. */
enum emergency_route_kind {
	/* no route configured: the dial string through the account's own
	 * outbound path, as an ordinary call would go */
	EMERGENCY_ROUTE_ACCOUNT = 0,
	/* sip:/sips: request-URI: straight to its host, without the
	 * account's outbound proxy */
	EMERGENCY_ROUTE_DIRECT,
	/* tel: or urn:service: request-URI, through the route's proxy */
	EMERGENCY_ROUTE_PROXIED,
};

/* Where one attempt of an emergency call goes. */
struct emergency_target {
	enum emergency_route_kind kind;
	/* what baresip is asked to dial (its ua_connect only takes SIP
	 * URIs or bare numbers); reaches the right host even when the
	 * INVITE body hook is missing */
	char dial_uri[EMERGENCY_URI_MAX];
	/* the Request-URI and To the INVITE must carry; "" for the
	 * account route (as baresip completes the dial string) */
	char req_uri[EMERGENCY_URI_MAX];
	/* the one next hop (a Route header); "" for none: for a direct
	 * route the request goes to the request-URI's host, for the account
	 * route through the account's outbound proxy, if any */
	char next_hop[EMERGENCY_URI_MAX];
};

/*
 * Plan attempt `route` (0 primary, 1 secondary) of the call d classified
 * as emergency or test.  A test call goes where an emergency call would,
 * with the test number as the user part of a SIP or tel: route and
 * urn:service:test.<service> for a service URN (RFC 6881 §15 [U]).
 * Returns 0; ENOENT when the policy has no such route (the secondary of
 * an account route, or an unset secondary); EINVAL for an ordinary call,
 * a proxy that is not a SIP URI, a route or proxy with characters no URI
 * has (blanks, controls, <, >, "), or NULL arguments.  *t is written only
 * on success.
 */
int emergency_target_plan(struct emergency_target *t, const struct policy *p,
			  unsigned route, const struct dial_result *d);

/* What goes into the extra INVITE headers.  Strings may be NULL. */
struct emergency_header_params {
	enum policy_signalling_profile profile;
	enum emergency_conveyance conveyance;
	const char *cid;	 /* by value: the Content-ID, without <> */
	const char *loc_uri;	 /* by reference: the location URI */
	const char *caller_aor;	 /* microsoft: inserted-by */
	const char *pai_uri;	 /* P-Asserted-Identity (ELIN), or NULL */
	bool priority_emergency; /* RFC 3261 §20.26 Priority: emergency */
};

/*
 * Print the extra header lines of an emergency INVITE, each ending CRLF:
 * Geolocation (RFC 6442 §4.1: <cid:...> by value, <uri> by reference;
 * the microsoft profile adds ;inserted-by, standards.md §11) and
 * Geolocation-Routing: yes when there is a location, Priority, and
 * P-Asserted-Identity.  EINVAL for a value that would break a header
 * (CR, LF, '<' or '>' in it) or a conveyance without its value.
 */
int emergency_headers_print(struct re_printf *pf,
			    const struct emergency_header_params *p);

/* The PIDF-LO part's header lines (RFC 5621, standards.md §6.5):
 * Content-Type application/pidf+xml, Content-ID <cid>,
 * Content-Disposition by-reference;handling=optional.  EINVAL as above. */
int emergency_part_headers_print(struct re_printf *pf, const char *cid);

/*
 * The Content-ID for a call's PIDF-LO: "<seed>@<host of aor>" for
 * rfc6881 (RFC 2392 wants a globally unique addr-spec), the caller's AOR
 * itself for microsoft ([MS-SIPRE]: cid:<AOR>).  EINVAL for an AOR
 * without host, EOVERFLOW if it does not fit.
 */
int emergency_cid_make(char *buf, size_t size,
		       enum policy_signalling_profile profile, const char *seed,
		       const char *aor);

/* The ELIN as a caller identity: "sip:<elin>@<host of aor>;user=phone".
 * EINVAL as above. */
int emergency_elin_uri_make(char *buf, size_t size, const char *elin,
			    const char *aor);

/*
 * The To URI of an emergency INVITE with Request-URI req_uri (as sent:
 * the route's, or the account's completion of the number).  The
 * Request-URI marks and routes the call; the far end must also see what
 * the person dialled.  When the Request-URI's number is not the dial
 * string (a service URN, a mask such as 9911 -> 911, a route's own number
 * for 112) the To carries the digits as a dial string (RFC 4967 [U]) in
 * the caller's domain: "sip:9911@<host of aor>;user=dialstring".  Else,
 * for the microsoft profile (its INVITE repeats the Request-URI), and
 * for a URI the person dialled, the To is the Request-URI.  EINVAL for
 * NULL arguments, dialled digits other than 0-9 * #, an AOR without host;
 * EOVERFLOW if it does not fit.
 */
int emergency_to_uri_make(char *buf, size_t size, const char *req_uri,
			  const struct dial_result *d,
			  enum policy_signalling_profile profile,
			  const char *aor);

/*
 * The device identity for dm:deviceID from a netinfo object (the
 * `netinfo` command's result): "mac:" and the twelve lower-case hex
 * digits of the evidence's interface (the one the LIS is told of,
 * evidence.h), else of the interface carrying the default route, else of
 * the first interface that is up and has a non-zero MAC.  ENOENT if none
 * has one.
 */
int emergency_device_id(char *buf, size_t size, const struct odict *netinfo);

/* What the security desk is told (standards.md §12 NotificationUri). */
struct emergency_notice {
	const char *caller_name; /* display name, may be NULL */
	const char *caller_uri;	 /* the caller's AOR */
	const char *number;	 /* the digits dialled */
	time_t when;
	bool test;
	const struct location *loc; /* NULL or empty: no location */
};

/* Where, in words for people: the civic address on one line
 * ("1 Microsoft Way, Redmond, WA, US, floor 3"), then the coordinates
 * ("Circle at 47.640068, -122.129858, within 50 m"), either alone when only
 * one is known.  Prints nothing for a record without either. */
int emergency_place_print(struct re_printf *pf, const struct location *loc);

/*
 * The notification as plain text: who called which number when, and the
 * location in words (the civic address on one line, coordinates with the
 * uncertainty, the method and whether it was validated), or a sentence
 * saying none was available.
 */
int emergency_notice_print(struct re_printf *pf,
			   const struct emergency_notice *n);

#endif
