/* sipbody_probe: test module arming the INVITE body hook for one call. */

#include <re.h>
#include <dlfcn.h>
#include <string.h>
#include "baresip-abi.h"
#include "bus.h"
#include "sipbody.h"

/*
 * Control command "test.sipbody": {"part": TEXT, "ctype": TYPE, "cid": ID}
 * arms the hook for the next outgoing INVITE, the way the e911 module will:
 * from UA_EVENT_CALL_LOCAL_SDP "offer", through functions looked up at run
 * time.  The result says whether libsipbody is active in this process.
 */
static struct {
	char *part;
	char *part_hdrs;
	char *hdrs;
	unsigned handle;
	const struct call *call;
} probe;

static void pending_clear(void)
{
	probe.part = mem_deref(probe.part);
	probe.part_hdrs = mem_deref(probe.part_hdrs);
	probe.hdrs = mem_deref(probe.hdrs);
}

static bool hook_active(void)
{
	sipbody_active_h *active =
		(sipbody_active_h *)dlsym(RTLD_DEFAULT, SIPBODY_SYM_ACTIVE);

	return active && active();
}

static int cmd_arm(const struct odict *args, struct odict *result,
		   const char **errmsg, void *arg)
{
	const char *part = odict_string(args, "part");
	const char *ctype = odict_string(args, "ctype");
	const char *cid = odict_string(args, "cid");
	int err;
	(void)arg;

	if (!part || !ctype || !cid) {
		*errmsg = "part, ctype and cid are needed";
		return EINVAL;
	}

	pending_clear();
	err = str_dup(&probe.part, part);
	if (!err)
		err = re_sdprintf(&probe.part_hdrs,
				  "Content-Type: %s\r\n"
				  "Content-ID: <%s>\r\n"
				  "Content-Disposition: by-reference;"
				  "handling=optional\r\n",
				  ctype, cid);
	if (!err)
		err = re_sdprintf(&probe.hdrs, "X-Probe: <cid:%s>\r\n", cid);
	if (err)
		return err;

	return odict_entry_add(result, "active", ODICT_BOOL, hook_active());
}

static void ua_event_handler(struct ua *ua, enum ua_event ev, struct call *call,
			     const char *prm, void *arg)
{
	sipbody_arm_request_h *arm;
	struct sipbody_request rq = {0};
	sipbody_release_h *release;
	(void)ua;
	(void)arg;

	if (ev == UA_EVENT_CALL_CLOSED && call == probe.call) {
		release = (sipbody_release_h *)dlsym(RTLD_DEFAULT,
						     SIPBODY_SYM_RELEASE);
		if (release)
			release(probe.handle);
		probe.call = NULL;
		probe.handle = 0;
		return;
	}

	if (ev != UA_EVENT_CALL_LOCAL_SDP || str_cmp(prm, "offer") ||
	    !call_is_outgoing(call) || !probe.part)
		return;

	arm = (sipbody_arm_request_h *)dlsym(RTLD_DEFAULT,
					     SIPBODY_SYM_ARM_REQUEST);
	if (!arm) {
		warning("sipbody_probe: libsipbody is not loaded\n");
		return;
	}

	rq.match_uri = call_peeruri(call);
	rq.hdrs = probe.hdrs;
	rq.part_hdrs = probe.part_hdrs;
	rq.part = (const uint8_t *)probe.part;
	rq.part_len = strlen(probe.part);
	probe.handle = arm(&rq);
	probe.call = call;
	info("sipbody_probe: armed for %s (handle %u)\n", call_peeruri(call),
	     probe.handle);
	pending_clear();
}

static int module_init(void)
{
	int err = bus_command_register("test.sipbody", cmd_arm, NULL);

	return err ? err : uag_event_register(ua_event_handler, NULL);
}

static int module_close(void)
{
	uag_event_unregister(ua_event_handler);
	bus_command_unregister("test.sipbody");
	pending_clear();
	return 0;
}

EXPORT_SYM const struct mod_export exports = {
	"sipbody_probe",
	"application",
	module_init,
	module_close,
};
