/* held: HELD messages (RFC 5985) with device identity (RFC 6155) and
 * measurements (RFC 7105). */

#ifndef LOCPHONE_HELD_H
#define LOCPHONE_HELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#include "location.h"

#define HELD_NS		"urn:ietf:params:xml:ns:geopriv:held"
#define HELD_NS_ID	"urn:ietf:params:xml:ns:geopriv:held:id"
#define HELD_NS_LM	"urn:ietf:params:xml:ns:geopriv:lm"
#define HELD_NS_LLDP	"urn:ietf:params:xml:ns:geopriv:lm:lldp"
#define HELD_NS_WIFI	"urn:ietf:params:xml:ns:geopriv:lm:wifi"
#define HELD_MEDIA_TYPE "application/held+xml"

/* Largest HELD response held_response_decode() reads (a PIDF-LO plus a
 * URI set); larger ones are refused unread. */
#define HELD_MAX_SIZE (256u * 1024u)

/* RFC 5985 responseTime (standards.md §1.2). */
enum held_response_time {
	HELD_RESPONSE_TIME_NONE = 0,	       /* attribute left out */
	HELD_RESPONSE_TIME_EMERGENCY_ROUTING,  /* "emergencyRouting" */
	HELD_RESPONSE_TIME_EMERGENCY_DISPATCH, /* "emergencyDispatch" */
	HELD_RESPONSE_TIME_MS,		       /* response_ms milliseconds */
};

/* RFC 7105 LLDP measurement (standards.md §3.2): chassis and port IDs,
 * written as hexBinary with their IEEE 802.1AB subtypes (1..7). */
#define HELD_LLDP_ID_MAX 255
struct held_lldp {
	uint8_t chassis_type;
	uint8_t chassis[HELD_LLDP_ID_MAX];
	size_t chassis_len; /* 1..255 */
	uint8_t port_type;
	uint8_t port[HELD_LLDP_ID_MAX];
	size_t port_len; /* 1..255 */
};

/* One RFC 7105 wifi/ap measurement. */
struct held_wifi_ap {
	uint8_t bssid[6];
	uint8_t ssid[32]; /* raw octets; left out unless valid UTF-8 text */
	size_t ssid_len;
	unsigned channel; /* 0: left out */
	bool serving;	  /* the associated AP */
	bool has_signal;
	int signal_dbm; /* what this device receives from the AP */
};

#define HELD_WIFI_AP_MAX 16

/*
 * A locationRequest.  locationType is always "civic geodetic locationURI"
 * with exact="false" (emergency use must not narrow it, standards.md
 * §1.2).  Identity (RFC 6155) and measurements (RFC 7105) are optional.
 */
struct held_request {
	enum held_response_time response_time;
	uint32_t response_ms; /* HELD_RESPONSE_TIME_MS only */

	/* RFC 6155 device identity; each may be unset */
	struct sa ip; /* sa_isset(&ip, SA_ADDR) */
	bool has_mac;
	uint8_t mac[6];
	const char *uri; /* sip:, sips: or tel: AOR */

	/* RFC 7105 measurements */
	const struct held_lldp *lldp; /* NULL: none */
	const struct held_wifi_ap *apv;
	size_t apc;
};

/* RFC 5985 (+ RFC 6155) error codes (standards.md §1.4). */
enum held_error {
	HELD_OK = 0, /* a locationResponse, no error */
	HELD_ERROR_REQUEST,
	HELD_ERROR_XML,
	HELD_ERROR_GENERAL_LIS,
	HELD_ERROR_LOCATION_UNKNOWN,
	HELD_ERROR_UNSUPPORTED_MESSAGE,
	HELD_ERROR_TIMEOUT,
	HELD_ERROR_CANNOT_PROVIDE_LI_TYPE,
	HELD_ERROR_NOT_LOCATABLE,
	HELD_ERROR_BAD_IDENTIFIER,
	HELD_ERROR_OTHER, /* a code we do not know; see code_text */
	HELD_ERROR_COUNT
};

#define HELD_MESSAGE_MAX 256

/*
 * A decoded HELD response: either a location (error HELD_OK) or a HELD
 * error.  loc holds the by-value location from the embedded PIDF-LO (if
 * any) and the location URIs, each with the URI set's expiry; its source
 * is LOCATION_SOURCE_LIS.  Release with held_response_reset().
 */
struct held_response {
	enum held_error error;
	char code_text[64];		/* the code attribute as received */
	char message[HELD_MESSAGE_MAX]; /* error message text, or "" */
	struct location loc;
};

/* RFC 5985 name of an error code ("locationUnknown", ...); "" for
 * HELD_OK, NULL if out of range or HELD_ERROR_OTHER. */
const char *held_error_name(enum held_error e);

/*
 * Append a locationRequest for req to mb.  The same input gives the same
 * bytes.  Returns 0; EINVAL for a bad request (LLDP IDs of 0 or more than
 * 255 octets or subtypes outside 1..7, more than HELD_WIFI_AP_MAX APs, a
 * malformed URI); ENOMEM.  On error nothing is appended.
 */
int held_request_encode(struct mbuf *mb, const struct held_request *req);

/*
 * Decode a HELD response body.  Returns 0 when buf is a HELD document:
 * a locationResponse (resp->error HELD_OK, resp->loc filled) or an error
 * (resp->error the code, resp->message its text); the caller decides
 * what a HELD error means, even inside a 200 OK.  Otherwise: EMSGSIZE
 * for bodies over HELD_MAX_SIZE (refused before parsing); EBADMSG for
 * malformed or hostile XML (DOCTYPE, entities, deep nesting) or a broken
 * response; EPROTO for a document that is not HELD (wrong namespace or
 * root); ENOMEM.  On success *resp is reset and filled; on failure it is
 * untouched and *errmsg (if given) is a static string saying why.
 */
int held_response_decode(struct held_response *resp, const uint8_t *buf,
			 size_t len, const char **errmsg);

/* Free what resp holds and zero it. */
void held_response_reset(struct held_response *resp);

#endif
