/* heldreq: decodes HELD locationRequests (RFC 5985) for the LIS simulator. */

/* XML namespaces of the request and its extensions. */
#define HELD_NS	     "urn:ietf:params:xml:ns:geopriv:held"
#define HELD_ID_NS   "urn:ietf:params:xml:ns:geopriv:held:id" /* RFC 6155 */
#define HELD_LM_NS   "urn:ietf:params:xml:ns:geopriv:lm"      /* RFC 7105 */
#define HELD_LLDP_NS "urn:ietf:params:xml:ns:geopriv:lm:lldp"
#define HELD_WIFI_NS "urn:ietf:params:xml:ns:geopriv:lm:wifi"

enum {
	HELDREQ_SIZE_MAX = 65536, /* request body cap, checked before parsing */
	HELDREQ_DEPTH_MAX = 16,	  /* element nesting; requests need 5 */
	HELDREQ_ELEMENTS_MAX = 1024,
	HELDREQ_IDS_MAX = 8,  /* of each RFC 6155 identifier kind */
	HELDREQ_LLDP_MAX = 8, /* lldp measurements */
	HELDREQ_AP_MAX = 32,  /* wifi ap entries */
	HELDREQ_URI_MAX = 256,
	HELDREQ_LLDP_ID_MAX = 255, /* RFC 7105: 1..255 octets */
};

/* locationType tokens (RFC 5985).  "any" leaves the choice to the LIS. */
enum heldreq_loctype {
	HELDREQ_LT_CIVIC = 1 << 0,
	HELDREQ_LT_GEODETIC = 1 << 1,
	HELDREQ_LT_URI = 1 << 2,
	HELDREQ_LT_ANY = 1 << 3,
};

/* The responseTime attribute (RFC 5985): absent, one of the two emergency
 * tokens, or a number of milliseconds. */
enum heldreq_rtime {
	HELDREQ_RT_NONE = 0,
	HELDREQ_RT_ROUTING,
	HELDREQ_RT_DISPATCH,
	HELDREQ_RT_MS,
};

/* An LLDP chassis or port ID (IEEE 802.1AB): subtype and raw octets. */
struct lldp_id {
	uint8_t type; /* subtype, 1..7 */
	uint8_t len;  /* 1..255 octets */
	uint8_t v[HELDREQ_LLDP_ID_MAX];
};

/* One RFC 7105 lldp measurement. */
struct heldreq_lldp {
	struct lldp_id chassis;
	struct lldp_id port;
};

/* What a request says, in document order. */
struct heldreq {
	enum heldreq_rtime rtime;
	uint32_t rtime_ms;
	unsigned loctypes; /* enum heldreq_loctype bits */
	bool exact;

	/* RFC 6155 device identity */
	struct sa ipv[HELDREQ_IDS_MAX];
	size_t ipc;
	uint8_t macv[HELDREQ_IDS_MAX][6];
	size_t macc;
	char *uriv[HELDREQ_IDS_MAX]; /* owned */
	size_t uric;

	/* RFC 7105 measurements */
	struct heldreq_lldp lldpv[HELDREQ_LLDP_MAX];
	size_t lldpc;
	uint8_t bssidv[HELDREQ_AP_MAX][6];
	size_t bssidc;
};

/* Why a request was refused: a HELD error code (RFC 5985, RFC 6155) and a
 * message for the error element. */
struct heldreq_fault {
	const char *code;
	char message[160];
};

/*
 * Decode a locationRequest of len bytes.  On success *reqp is a new
 * struct heldreq the caller owns (mem_deref).  A request that must be
 * answered with a HELD error returns EBADMSG and fills *fault with the code
 * (requestError, xmlError, unsupportedMessage, badIdentifier) and a message.
 * Bodies over HELDREQ_SIZE_MAX, documents with a DTD, entity references or
 * nesting deeper than HELDREQ_DEPTH_MAX are refused; the parser never loads
 * anything from the network or the file system.
 */
int heldreq_decode(struct heldreq **reqp, struct heldreq_fault *fault,
		   const uint8_t *buf, size_t len);

/*
 * Make libxml2 refuse every external entity and DTD it might be asked to
 * load (defence in depth: heldreq_decode never asks).  Call once at
 * start-up, after xmlInitParser().
 */
void heldreq_init(void);

/* "any civic geodetic locationURI" for a set of enum heldreq_loctype
 * bits, the tokens that are set in that order. */
int heldreq_loctypes_print(struct re_printf *pf, const unsigned *loctypes);
