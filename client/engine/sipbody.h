/*
 * sipbody: the INVITE body hook.  libsipbody.so, preloaded into baresip by
 * locphoned, wraps libre's sipsess_connect and sipsess_modify.  A module arms
 * it for the next INVITE (from the UA_EVENT_CALL_LOCAL_SDP "offer" event,
 * which baresip raises just before sipsess_connect); that INVITE and its
 * re-INVITEs then carry extra headers and a multipart/mixed body with the
 * SDP first and the module's part second.  Other INVITEs pass untouched.
 *
 * Modules must not link libsipbody.so: they look the functions up at run
 * time (sipbody_lookup), which also tells them whether the hook is active.
 */

/* Name the functions are exported under; look them up with dlsym. */
#define SIPBODY_SYM_ARM	    "sipbody_arm"
#define SIPBODY_SYM_RELEASE "sipbody_release"
#define SIPBODY_SYM_ACTIVE  "sipbody_active"

/* Largest part accepted (a PIDF-LO is a few kB). */
#define SIPBODY_MAX_PART (64u * 1024u)
#define SIPBODY_MAX_HDRS (4u * 1024u)

/*
 * Arm the hook for the next sipsess_connect on this thread, which must go to
 * to_uri (NULL: whatever it is; a mismatch disarms).  hdrs are
 * complete header lines (each ending CRLF) added to the INVITE, may be empty;
 * part_hdrs are the body part's header lines (Content-Type, Content-ID, ...);
 * part is copied.  Returns a handle > 0 to release when the call ends, or 0
 * if the hook cannot be armed.
 */
typedef unsigned(sipbody_arm_h)(const char *to_uri, const char *hdrs,
				const char *part_hdrs, const uint8_t *part,
				size_t part_len);

/* Forget a handle: its session's later re-INVITEs go out unchanged. */
typedef void(sipbody_release_h)(unsigned handle);

/* True when the wrapper found libre's functions and can do its work. */
typedef bool(sipbody_active_h)(void);

unsigned sipbody_arm(const char *to_uri, const char *hdrs,
		     const char *part_hdrs, const uint8_t *part,
		     size_t part_len);
void sipbody_release(unsigned handle);
bool sipbody_active(void);
