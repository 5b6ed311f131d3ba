/* siptransport: which transport a SIP request may take (RFC 3261 §18.1.1). */

#ifndef LOCPHONE_SIPTRANSPORT_H
#define LOCPHONE_SIPTRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * RFC 3261 §18.1.1: a request larger than 1300 bytes (when the path MTU
 * is unknown) MUST go over a congestion-controlled transport such as
 * TCP.  An emergency INVITE with its PIDF-LO is 2.5-3.5 kB: over UDP it
 * leaves as IP fragments, which firewalls and SBCs drop.
 */
#define SIPTRANSPORT_UDP_MAX 1300

/*
 * What libre adds to an INVITE besides its URIs, the caller's headers and
 * the body: request line, Via, Max-Forwards, Call-ID, CSeq, the From tag,
 * Contact, Content-Type and Content-Length (about 350 bytes as sent by
 * baresip 1.0.0; rounded up so that a borderline request goes by TCP).
 */
#define SIPTRANSPORT_INVITE_OVERHEAD 450

/* What a URI's ;transport= parameter says. */
enum siptransport_named {
	SIPTRANSPORT_UNNAMED = 0, /* none: libre picks (UDP for an IP) */
	SIPTRANSPORT_UDP,	  /* transport=udp: pinned to UDP */
	SIPTRANSPORT_OTHER,	  /* tcp, tls, ws, ..., or a sips: URI */
	SIPTRANSPORT_INVALID,	  /* not a SIP URI */
};

/* The transport uri (a sip:/sips: URI, <> allowed) names, if any. */
enum siptransport_named siptransport_of(const char *uri);

/* True if uri's host is a loopback address (any of 127.0.0.0/8, or ::1):
 * there the path MTU is known (65536 on Linux), so no size needs TCP. */
bool siptransport_loopback(const char *uri);

/* True if a request of size bytes must not go over UDP. */
bool siptransport_stream_needed(size_t size);

/* The size on the wire of an INVITE with these variable parts. */
size_t siptransport_invite_estimate(size_t body_len, size_t hdrs_len,
				    size_t uris_len);

/*
 * uri (a sip: URI naming no transport and carrying no ?headers) with
 * ;transport=tcp added: the same host and port, over TCP.  EINVAL for any
 * other uri or NULL arguments, EOVERFLOW if it does not fit in buf.
 */
int siptransport_tcp_uri(char *buf, size_t size, const char *uri);

#endif
