/* simlog: the LIS simulator's request log, one JSON object per line. */

struct simlog;

/* One exchange as it goes into the log; NULL members are left out (or
 * written as null where the README says so). */
struct simlog_rec {
	const char *listener; /* "http", "https", "control" */
	const struct sa *peer;
	const struct pl *method;
	const struct pl *path;
	const struct simmode *mode;
	const struct heldreq *req;	 /* what the request said */
	const struct wiremap_entry *ent; /* the rule that matched */
	const char *answer; /* "locationResponse", "error", "http500", ... */
	const char *code;   /* HELD error code */
	const char *loc_id; /* the location URI's id */
	uint16_t status;
	uint32_t delay_ms;
};

/* Open path for appending; *logp is owned by the caller (mem_deref
 * closes the file).  errno values when it cannot be opened. */
int simlog_open(struct simlog **logp, const char *path);

/* Append one line and flush it, so a test can read it as soon as the
 * answer has arrived. */
int simlog_write(struct simlog *log, const struct simlog_rec *rec);
