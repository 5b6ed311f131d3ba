/* e911_notify: the security desk, other calls on hold, PSAP callbacks. */

#include <re.h>
#include <string.h>
#include <time.h>
#include "baresip-abi.h"
#include "bus.h"
#include "policy.h"
#include "dialplan.h"
#include "civic.h"
#include "location.h"
#include "emergency.h"
#include "sipbody.h"
#include "e911.h"

static void desk_resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	(void)arg;

	if (err)
		warning("e911: security desk notification not delivered: "
			"%m\n",
			err);
	else if (msg && msg->scode >= 300)
		warning("e911: security desk %r answered %u %r\n",
			&msg->to.auri, msg->scode, &msg->reason);
	else if (msg && msg->scode >= 200)
		info("e911: security desk %r notified\n", &msg->to.auri);
}

/*
 * standards.md §12 NotificationUri: an instant message with the caller's
 * name, number, time and location to each desk.  Called once the INVITE
 * is out, so it never delays the emergency call.
 */
void e911_notify_desk(struct e911_call *ec)
{
	const struct e911 *m = ec->m;
	struct emergency_notice n;
	char *text = NULL;
	size_t i;
	int err;

	if (!m->policy.e911_enabled || !m->policy.notification_uri_count)
		return;

	memset(&n, 0, sizeof(n));
	n.caller_name = account_display_name(ua_account(ec->ua));
	n.caller_uri = ua_aor(ec->ua);
	n.number = ec->dial.dialled[0] ? ec->dial.dialled : ec->dial.number;
	n.when = time(NULL);
	n.test = ec->dial.cls == DIAL_TEST;
	n.loc = &m->loc;

	err = re_sdprintf(&text, "%H", emergency_notice_print, &n);
	if (err) {
		warning("e911: cannot write the desk notification: %m\n", err);
		return;
	}

	for (i = 0; i < m->policy.notification_uri_count; i++) {
		const char *uri = m->policy.notification_uris[i];

		err = message_send(ec->ua, uri, text, desk_resp_handler, NULL);
		if (err)
			warning("e911: MESSAGE to %s: %m\n", uri, err);
	}

	mem_deref(text);
}

/* Issue 5 item 7: other calls go on hold when an emergency call starts. */
void e911_hold_others(struct e911_call *ec)
{
	struct le *le;

	LIST_FOREACH(uag_list(), le)
	{
		struct le *cle;

		LIST_FOREACH(ua_calls(le->data), cle)
		{
			struct call *call = cle->data;

			if (call == ec->call || e911_call_find(ec->m, call) ||
			    call_state(call) != CALL_STATE_ESTABLISHED ||
			    call_is_onhold(call))
				continue;
			if (call_hold(call, true))
				warning("e911: could not hold the call with "
					"%s\n",
					call_peeruri(call));
		}
	}
}

/* RFC 6881 / issue 5 item 7: callback_window minutes after an emergency
 * call, incoming calls may be the PSAP calling back. */
bool e911_callback_window_open(const struct e911 *m)
{
	time_t now = time(NULL);

	/* during an emergency call, the PSAP may call on another line */
	if (!list_isempty(&m->calls))
		return true;
	if (!m->last_ended || !m->policy.callback_window)
		return false;

	return now >= m->last_ended &&
	       now - m->last_ended <= (time_t)m->policy.callback_window * 60;
}
