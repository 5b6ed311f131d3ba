/* simmode: how the LIS simulator behaves, switchable at run time. */

enum simmode_kind {
	SIMMODE_NORMAL = 0,	  /* answer from the wiremap */
	SIMMODE_SLOW,		  /* the same, after delay_ms */
	SIMMODE_HTTP500,	  /* HTTP 500 to everything */
	SIMMODE_REFUSE,		  /* LIS listeners closed: connection refused */
	SIMMODE_LOCATION_UNKNOWN, /* HELD error locationUnknown */
	SIMMODE_NOT_LOCATABLE,	  /* HELD error notLocatable */
	SIMMODE_GARBAGE,	  /* 200 with a body that is not XML */
	SIMMODE_TRUNCATED, /* half the answer, then the connection closes */
	SIMMODE_HTTP503,   /* HTTP 503 to everything (an outage) */
	SIMMODE_KIND_COUNT
};

/* Longest delay slow:MS accepts (10 minutes). */
#define SIMMODE_DELAY_MAX 600000u

struct simmode {
	enum simmode_kind kind;
	uint32_t delay_ms; /* SIMMODE_SLOW only */
};

/* Decode "normal", "slow:250", "http500", "refuse", "locationUnknown",
 * "notLocatable", "garbage", "truncated" or "http503" (surrounding blanks allowed).
 * Returns 0 and sets *mode, or EINVAL. */
int simmode_decode(struct simmode *mode, const struct pl *pl);

/* The same text form, for "%H". */
int simmode_print(struct re_printf *pf, const struct simmode *mode);
