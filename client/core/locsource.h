/*
 * locsource: what discovery found, turned into HELD requests and location
 * records, and the choice between sources (design.md §6).  Pure code.
 */

#ifndef LOCPHONE_LOCSOURCE_H
#define LOCPHONE_LOCSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <re.h>

#include "evidence.h"
#include "held.h"
#include "lldp.h"
#include "location.h"
#include "netstate.h"

/* HELD request parts built from a snapshot; points into this struct. */
struct locsource_request {
	struct held_request req;
	struct held_lldp lldp;
	struct held_wifi_ap ap;
};

/*
 * Fill r for the device as the evidence describes it (evidence.h: one
 * interface's address and MAC, RFC 6155; its switch's LLDP chassis/port;
 * its associated Wi-Fi AP, RFC 7105) and the AOR (may be NULL).  VPN
 * evidence yields EPERM: a tunnel says nothing about where the person is.
 * ENOENT when no interface was chosen.
 */
int locsource_request(struct locsource_request *r, const struct evidence *ev,
		      const char *aor, enum held_response_time rt);

/*
 * The LLDP-MED location the switch sent, as a record: civic and/or a point
 * (3D when the altitude is in metres), ELIN, method "LLDP-MED", provided by
 * the switch's name or chassis.  ENOENT if the frame carries no location.
 */
int locsource_from_lldp(struct location *loc, const struct lldp_frame *f,
			time_t now);

/* The outcome of asking the LIS for this network. */
enum locsource_lis {
	LOCSOURCE_LIS_NONE = 0, /* not configured, or not asked yet */
	LOCSOURCE_LIS_PENDING,	/* a query is running */
	LOCSOURCE_LIS_FOUND,	/* a location came back */
	LOCSOURCE_LIS_UNKNOWN,	/* locationUnknown or no location in it */
	LOCSOURCE_LIS_NOT_HERE, /* notLocatable: not asked again here */
	LOCSOURCE_LIS_FAILED,	/* unreachable, refused, malformed */
};

/* What the last LIS answer is worth once asking the LIS again failed. */
enum locsource_keep {
	LOCSOURCE_KEEP_NONE = 0, /* dropped: none, or another network's */
	LOCSOURCE_KEEP_VALID,	 /* unexpired: stays in force, unconfirmed */
	LOCSOURCE_KEEP_EXPIRED,	 /* expired: a last resort, this network only */
};

/*
 * Issue 11 item 3: a failing LIS (an HTTP error, a time-out, a body that
 * is not HELD, a refused certificate) says nothing new about where the
 * device is, so the answer it gave before stays true until it expires.
 * last is that answer, last_fp the fingerprint of the network it was given
 * for, fp the network's now.  A different network (or one not identified,
 * fp NULL or "") never inherits it: KEEP_NONE.  An answer without an
 * expiry (0) counts as unexpired, as the cache does.
 */
enum locsource_keep locsource_lis_keep(const struct location *last,
				       const char *last_fp, const char *fp,
				       time_t now);

/* What the choice is made from; pointers may be NULL (nothing there). */
struct locsource_inputs {
	bool attached; /* on a network at all: a gateway or a VPN */
	bool vpn;      /* a tunnel carries the default route */
	enum locsource_lis lis;
	const char *lis_detail; /* the LIS's own words, or NULL */
	const struct location *lis_loc;
	const struct location *lldp_loc;
	/* what the person entered or saved for this network */
	const struct location *manual_loc;
	const char *manual_name; /* its saved name, or NULL if unsaved */
	/* with lis FAILED: lis_loc is an earlier answer, kept as
	 * locsource_lis_keep says for these */
	const char *lis_fp; /* the network lis_loc was given for */
	const char *fp;	    /* this network's fingerprint */
	time_t now;
};

/*
 * Choose (design.md §6): the LIS answer, else the switch's LLDP-MED
 * location, else the person's location for this network (entered, or
 * saved for its fingerprint), else nothing.  On VPN nothing automatic at
 * all, only the person's.  A validated automatic location always wins
 * over a manual one.  When the LIS failed, its earlier unexpired answer
 * for this network still counts as the LIS answer (unconfirmed), and an
 * expired one comes after everything else (locsource_lis_keep).  Copies
 * the winner into out and writes why into reason (people read it).
 * Returns 0, EINVAL or ENOMEM.
 */
int locsource_choose(struct location *out, char *reason, size_t sz,
		     const struct locsource_inputs *in);

/*
 * True if the person should be asked where they are: on a network,
 * nothing was chosen (chosen empty or NULL), and no LIS answer is still
 * awaited.  Whether a prompt is shown is the policy's business
 * (locprompt.h).
 */
bool locsource_ask(const struct locsource_inputs *in,
		   const struct location *chosen);

/*
 * How the chosen location stands with the LIS: KEEP_NONE when it is not
 * an earlier LIS answer kept through a failure, else KEEP_VALID or
 * KEEP_EXPIRED (it is then "stale": the LIS could not confirm it, and
 * in->lis_detail says why).
 */
enum locsource_keep locsource_stale(const struct locsource_inputs *in,
				    const struct location *chosen);

/*
 * A location the person typed in, as a record: civic (copied), an
 * optional WGS 84 point (pos, may be NULL: 2D), source manual, method
 * "Manual" (RFC 4119 method token), not validated, obtained now, no
 * expiry.  Returns 0, EINVAL (empty civic, bad point) or ENOMEM; loc is
 * left empty on error.
 */
int locsource_manual(struct location *loc, const struct civic *civic,
		     const struct geo_pos *pos, time_t now);

/*
 * What the person typed, as location.set sends it (client/ctl/PROTOCOL.md):
 * an object of RFC 5139 element names with string values and optional
 * "lat" and "lon" numbers (both or neither).  Trimmed and checked as
 * civic_normalise and civic_validate do, then made a record as by
 * locsource_manual.  Returns 0 with loc filled (reset first); EINVAL with
 * why (if given) naming every problem by its field, "country: 'XX' is not
 * an ISO 3166 alpha-2 code; A3: city is required", loc left alone; ENOMEM.
 */
int locsource_manual_decode(struct location *loc, const struct odict *args,
			    time_t now, char *why, size_t sz);

#endif
