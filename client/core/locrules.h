/*
 * locrules: the locator's decisions (client/lis/locator.c), without its
 * I/O: what a LIS's answer means, when it is asked again after a
 * failure, what a network change does with the answer in hand and the
 * cache, whether the LIS may be asked from here (notLocatable), when an
 * answer expires, and the last good location kept across restarts.  The
 * choice between the sources is locsource_choose's.  Pure: no clock, no
 * sockets, no timers; the locator executes what these say.
 */

#ifndef LOCPHONE_LOCRULES_H
#define LOCPHONE_LOCRULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <re.h>

#include "held.h"
#include "location.h"
#include "locsource.h"

/* After a failed ask the LIS is asked again this soon, then twice as late
 * each time up to refresh_interval. */
#define LOCRULES_RETRY_FIRST_S 15u

/* The largest last-good-location file read, bytes. */
#define LOCRULES_STATE_MAX (64u * 1024u)

/* Bytes of a network fingerprint kept with the last good location. */
#define LOCRULES_FP_SIZE 17

/*
 * What one answer of the LIS means (lis_resp_h's err, status and body;
 * url the server that answered, for the words).  Returns the LIS's state
 * for this network: FOUND (resp->loc holds the location, as decoded),
 * UNKNOWN (locationUnknown, or a locationResponse without a location),
 * NOT_HERE (notLocatable: do not ask it again from this network) or
 * FAILED (no answer, a body that is not HELD, any other HELD error).
 * detail gets the words for the reason ("" when there are none).  resp
 * is the caller's, zeroed; held_response_reset it.
 */
enum locsource_lis locrules_answer(struct held_response *resp, int err,
				   uint16_t status, const uint8_t *body,
				   size_t len, const char *url,
				   const char *errtext, char *detail,
				   size_t sz);

/*
 * The next ask after an outcome: a failure (failed) is retried after the
 * returned delay in seconds, *retry_s doubling up to refresh_s for the
 * next one (first LOCRULES_RETRY_FIRST_S); anything else resets *retry_s
 * to 0 and returns 0 (the ordinary refresh_interval applies).
 */
uint32_t locrules_retry(uint32_t *retry_s, uint32_t refresh_s, bool failed);

/* When a LIS answer received at now stops counting: refresh_s later, or
 * sooner if one of its location URIs expires sooner. */
time_t locrules_expires(const struct location *loc, time_t now,
			uint32_t refresh_s);

/* notLocatable from both servers (or from the primary when there is no
 * secondary): the LIS is not asked again from this network. */
bool locrules_may_ask(bool primary_not_here, bool has_secondary,
		      bool secondary_not_here);

/* The LIS's state while it is asked: an answer in hand, or one kept
 * through a failure (kept: locsource_lis_keep is not NONE), stands
 * meanwhile; otherwise the answer is awaited (PENDING). */
enum locsource_lis locrules_while_asking(enum locsource_lis lis, bool kept);

/* What a change of network does. */
enum locrules_net {
	LOCRULES_NET_SAME,	 /* the same request went out: it stands */
	LOCRULES_NET_CACHE,	 /* an unexpired answer for this evidence */
	LOCRULES_NET_VPN,	 /* on VPN: the LIS is not asked */
	LOCRULES_NET_ASK,	 /* ask; the answer in hand stands meanwhile */
	LOCRULES_NET_ASK_AFRESH, /* another network: ask, from nothing */
};

struct locrules_net_in {
	bool vpn;
	/* the request now is the one already sent, and it was not failed
	 * (nor is there no LIS state at all) */
	bool already_asked;
	bool cached; /* the cache holds an unexpired answer for it */
	/* the LIS failed on this network and its answer is kept: ask the
	 * LIS, not the cache, so it stays said to be unconfirmed */
	bool failed_kept;
	/* the answer in hand was given for this (identified) network */
	bool same_network;
};

enum locrules_net locrules_network(const struct locrules_net_in *in);

/*
 * The last run's answer (remembered, for remembered_fp) used for this
 * network (fp): while the LIS is asked (use_expired false) only when it
 * has not expired at now; when the LIS failed with nothing of this run
 * (use_expired true), expired or not (a last resort).  Never for another
 * network, or one not identified.
 */
bool locrules_remembered(const struct location *remembered,
			 const char *remembered_fp, const char *fp,
			 bool use_expired, time_t now);

/* The last good location and its network's fingerprint as the state
 * file's one JSON line.  Returns 0, EINVAL or ENOMEM. */
int locrules_state_encode(struct mbuf *mb, const char *fp,
			  const struct location *loc);

/*
 * Read a state file's contents (len bytes of buf).  Returns 0 with loc
 * (reset first) and fp (LOCRULES_FP_SIZE bytes) filled; EBADMSG for
 * anything else (empty, over LOCRULES_STATE_MAX, not JSON, no or too long
 * a fingerprint, no or a bad location), loc left empty; ENOMEM.
 */
int locrules_state_decode(struct location *loc, char *fp, const char *buf,
			  size_t len);

#endif
