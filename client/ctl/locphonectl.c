/* locphonectl: command-line client of the locphone engine. */

#include <re.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctlproto.h"
#include "ctlclient.h"
#include "locphonectl.h"
#include "locphone-config.h"

#define REQUEST_TIMEOUT_MS 10000
#define RESTART_WAIT_MS	   10000

void usage(FILE *f)
{
	fprintf(f,
		_("usage: locphonectl [--socket PATH] [--json] COMMAND [ARGS]\n"
		  "commands:\n"
		  "  status                 version, accounts, registration\n"
		  "  dial NUMBER|URI        place a call\n"
		  "  hangup [CALL-ID]       end a call (default: the current "
		  "one)\n"
		  "  answer [CALL-ID]       answer a ringing call\n"
		  "  calls                  list calls\n"
		  "  dtmf DIGITS [CALL-ID]  send tones (0-9 * # A-D) on a "
		  "call\n"
		  "  mute|unmute [CALL-ID]  stop or restart sending your "
		  "voice\n"
		  "  audio                  audio sources and players, and "
		  "the ones in use\n"
		  "  audio source|player MODULE[,DEVICE] [CALL-ID]\n"
		  "                         use this device on the call and "
		  "for later calls\n"
		  "  dnd on|off             do not disturb (PSAP callbacks "
		  "still "
		  "ring)\n"
		  "  netinfo                what the device is attached to\n"
		  "  location [refresh]     where the device is, and why\n"
		  "  emergency preview [NUMBER]\n"
		  "                         the emergency INVITE's headers and "
		  "PIDF-LO as they\n"
		  "                         would be sent now (nothing is "
		  "sent)\n"
		  "  emergency policy [--refresh]\n"
		  "                         the effective location policy and "
		  "its diagnostics;\n"
		  "                         --refresh: fetch the served policy "
		  "(policy_url) now\n"
		  "  testcall [NUMBER] [--timeout S] [--psap-record FILE]\n"
		  "                         a test call (default the policy's "
		  "test number) on\n"
		  "                         the emergency route: what was "
		  "sent, "
		  "the outcome, and\n"
		  "                         with the PSAP simulator's record "
		  "what it received\n"
		  "  location set --FIELD VALUE ...\n"
		  "                         enter where you are (RFC 5139 "
		  "names:\n"
		  "                         --HNO 1 --RD Main --STS St --A3 "
		  "City\n"
		  "                         --A1 State --country US --FLR 3; "
		  "--lat --lon)\n"
		  "  location save|use|delete NAME\n"
		  "                         keep it under a name for this "
		  "network; use or\n"
		  "                         delete a saved one\n"
		  "  location list|forget-all|dismiss|acknowledge-disclaimer\n"
		  "                         saved locations; forget them all; "
		  "answer the\n"
		  "                         prompt without a location; "
		  "acknowledge the disclaimer\n"
		  "  events                 print the engine's events until it "
		  "stops\n"
		  "  request CMD [JSON]     send any command with JSON args\n"
		  "exit status: 0 ok, 1 the engine said no, 2 no engine, "
		  "64 usage\n"));
}

const char *str_or(const struct odict *od, const char *key, const char *dflt)
{
	const char *s = odict_string(od, key);

	return s ? s : dflt;
}

static void print_call(const struct odict *call)
{
	const struct odict_entry *em =
		odict_get_type(call, ODICT_OBJECT, "emergency");
	bool muted = false;

	(void)odict_get_boolean(call, &muted, "muted");
	printf("%-11s %-8s %s  (%s)%s\n", str_or(call, "state", "?"),
	       str_or(call, "direction", "?"), str_or(call, "peer", "?"),
	       str_or(call, "id", "?"), muted ? _(" muted") : "");
	if (!em)
		return;
	printf(_("  %s call to %s, location %s%s%s\n"),
	       !str_cmp(odict_string(em->u.odict, "class"), "test")
		       ? _("test emergency")
		       : _("emergency"),
	       str_or(em->u.odict, "number", "?"),
	       str_or(em->u.odict, "location_sent", "?"),
	       odict_string(em->u.odict, "location_summary") ? ": " : "",
	       str_or(em->u.odict, "location_summary", ""));
}

static void print_status(const struct odict *res)
{
	const struct odict_entry *acc = odict_lookup(res, "accounts");
	uint64_t calls = 0;
	struct le *le;

	printf(_("locphone engine %s\n"), str_or(res, "version", "?"));

	if (acc && acc->type == ODICT_ARRAY) {
		for (le = acc->u.odict->lst.head; le; le = le->next) {
			const struct odict_entry *e = le->data;
			const char *reason;

			if (e->type != ODICT_OBJECT)
				continue;
			reason = odict_string(e->u.odict, "reason");
			printf(_("account %s: %s%s%s\n"),
			       str_or(e->u.odict, "aor", "?"),
			       str_or(e->u.odict, "registration", "?"),
			       reason ? " - " : "", reason ? reason : "");
		}
		if (!acc->u.odict->lst.head &&
		    !str_cmp(odict_string(res, "state"), "stopping"))
			printf(_("engine stopping: its accounts are closed\n"));
		else if (!acc->u.odict->lst.head)
			printf(_("no accounts configured\n"));
	}

	(void)odict_get_number(res, &calls, "calls");
	printf(_("calls: %llu\n"), (unsigned long long)calls);
}

void print_civic(const struct odict *civic)
{
	struct le *le;

	for (le = civic ? civic->lst.head : NULL; le; le = le->next) {
		const struct odict_entry *e = le->data;

		if (e->type == ODICT_STRING)
			printf(" %s=%s", e->key, e->u.str);
	}
}

/* One line per LLDP neighbour and what its location TLV said. */
static void print_lldp(const struct odict *res)
{
	const struct odict_entry *lldp = odict_lookup(res, "lldp");
	struct le *le;

	for (le = lldp && lldp->type == ODICT_OBJECT ? lldp->u.odict->lst.head
						     : NULL;
	     le; le = le->next) {
		const struct odict_entry *n = le->data;
		const struct odict_entry *c, *p, *med, *loc;

		if (n->type != ODICT_OBJECT)
			continue;
		c = odict_get_type(n->u.odict, ODICT_OBJECT, "chassis_id");
		p = odict_get_type(n->u.odict, ODICT_OBJECT, "port_id");
		printf(_("switch     on %s: %s port %s (%s)\n"), n->key,
		       c ? str_or(c->u.odict, "value", "?") : "?",
		       p ? str_or(p->u.odict, "value", "?") : "?",
		       str_or(n->u.odict, "system_name", _("no name")));

		med = odict_get_type(n->u.odict, ODICT_OBJECT, "med");
		loc = med ? odict_get_type(med->u.odict, ODICT_OBJECT,
					   "location")
			  : NULL;
		if (loc && odict_lookup(loc->u.odict, "civic")) {
			const struct odict_entry *civic =
				odict_lookup(loc->u.odict, "civic");

			printf(_("           LLDP-MED civic:"));
			print_civic(civic->u.odict);
			printf("\n");
		}
		if (loc && odict_lookup(loc->u.odict, "coordinates"))
			re_printf(_("           LLDP-MED coordinates: %H\n"),
				  json_out_odict,
				  odict_lookup(loc->u.odict, "coordinates")
					  ->u.odict);
		if (loc && odict_string(loc->u.odict, "elin"))
			printf(_("           LLDP-MED ELIN: %s\n"),
			       odict_string(loc->u.odict, "elin"));
	}
}

/* What one LIS server gets: fmt takes the HTTP authentication (any,
 * basic, digest: the engine's words) and the client certificate. */
static void print_lis_auth(const struct odict *lis, const char *key,
			   const char *fmt)
{
	const struct odict_entry *a = odict_get_type(lis, ODICT_OBJECT, key);

	if (!a)
		return;
	printf(fmt, str_or(a->u.odict, "http_auth", _("none")),
	       str_or(a->u.odict, "client_cert", _("none")));
}

/* How the LIS is asked, and what went wrong (the engine's words). */
static void print_lis(const struct odict *res)
{
	const struct odict_entry *lis =
		odict_get_type(res, ODICT_OBJECT, "lis");
	const char *sec, *cred, *auth, *last;

	if (!lis)
		return;
	sec = odict_string(lis->u.odict, "url_secondary");
	cred = odict_string(lis->u.odict, "credentials");
	auth = odict_string(lis->u.odict, "auth_error");
	last = odict_string(lis->u.odict, "last_error");
	/* TRANSLATORS: the LIS URL (or "-"), then ", " and the secondary
	 * one, or nothing */
	printf(_("lis        %s%s%s\n"), str_or(lis->u.odict, "url", "-"),
	       sec ? ", " : "", sec ? sec : "");
	if (cred)
		printf(_("lis creds  %s\n"), cred);
	print_lis_auth(lis->u.odict, "primary_auth",
		       _("lis primary   HTTP authentication %s, client "
			 "certificate %s\n"));
	if (sec)
		print_lis_auth(lis->u.odict, "secondary_auth",
			       _("lis secondary HTTP authentication %s, "
				 "client certificate %s\n"));
	if (auth)
		printf(_("lis auth   not used: %s\n"), auth);
	if (last)
		printf(_("lis error  %s\n"), last);
}

static void print_netinfo(const struct odict *res)
{
	const struct odict_entry *ifs = odict_lookup(res, "interfaces");
	const struct odict_entry *gw = odict_lookup(res, "gateway");
	const struct odict_entry *site;
	bool vpn = false;
	struct le *le;

	for (le = ifs && ifs->type == ODICT_ARRAY ? ifs->u.odict->lst.head
						  : NULL;
	     le; le = le->next) {
		const struct odict_entry *e = le->data;
		const struct odict_entry *addrs;
		struct le *ale;

		if (e->type != ODICT_OBJECT)
			continue;
		printf("%-10s %-8s %s", str_or(e->u.odict, "name", "?"),
		       str_or(e->u.odict, "type", "?"),
		       str_or(e->u.odict, "mac", "-"));
		addrs = odict_lookup(e->u.odict, "addresses");
		for (ale = addrs && addrs->type == ODICT_ARRAY
				   ? addrs->u.odict->lst.head
				   : NULL;
		     ale; ale = ale->next) {
			const struct odict_entry *a = ale->data;
			uint64_t prefix = 0;

			if (a->type != ODICT_OBJECT)
				continue;
			(void)odict_get_number(a->u.odict, &prefix, "prefix");
			printf(" %s/%llu", str_or(a->u.odict, "address", "?"),
			       (unsigned long long)prefix);
		}
		printf("\n");
	}

	site = odict_lookup(res, "site");
	if (site && site->type == ODICT_OBJECT)
		printf(_("site       %s (%s)\n"),
		       str_or(site->u.odict, "name", _("none")),
		       str_or(site->u.odict, "reason", "?"));
	if (gw && gw->type == ODICT_OBJECT)
		printf(_("gateway    %s via %s, MAC %s\n"),
		       str_or(gw->u.odict, "ip", "?"),
		       str_or(gw->u.odict, "interface", "?"),
		       str_or(gw->u.odict, "mac", _("unknown")));
	else
		printf(_("gateway    none\n"));

	printf(_("subnet     %s\n"), str_or(res, "subnet", _("none")));
	print_lldp(res);
	printf(_("network    %s\n"), str_or(res, "fingerprint", _("unknown")));
	(void)odict_get_boolean(res, &vpn, "vpn");
	printf(_("vpn        %s\n"),
	       vpn ? _("yes (not used as location evidence)") : _("no"));
	print_lis(res);
}

static void print_location(const struct odict *res)
{
	const struct odict_entry *prompt = odict_lookup(res, "prompt");
	const struct odict_entry *civic = odict_lookup(res, "civic");
	const struct odict_entry *geo = odict_lookup(res, "geo");
	bool validated = false, stale = false;

	printf(_("source     %s\n"), str_or(res, "source", "?"));
	if (civic && civic->type == ODICT_OBJECT && civic->u.odict->lst.head) {
		printf(_("civic     "));
		print_civic(civic->u.odict);
		printf("\n");
	}
	if (geo && geo->type == ODICT_OBJECT) {
		printf(_("geo       "));
		re_printf(" %H\n", json_out_odict, geo->u.odict);
	}
	printf(_("method     %s\n"), str_or(res, "method", "-"));
	printf(_("provided   %s\n"), str_or(res, "provided_by", "-"));
	printf(_("obtained   %s\n"), str_or(res, "obtained_at", "-"));
	printf(_("expires    %s\n"), str_or(res, "expires", "-"));
	(void)odict_get_boolean(res, &validated, "validated");
	printf(_("validated  %s\n"), validated ? _("yes") : _("no"));
	(void)odict_get_boolean(res, &stale, "stale");
	if (stale)
		printf(_("confirmed  no: the LIS could not confirm it (%s)\n"),
		       str_or(res, "confirm_error", _("no reason given")));
	printf(_("reason     %s\n"), str_or(res, "reason", "-"));
	if (prompt && prompt->type == ODICT_OBJECT)
		printf(_("prompt     %s (location_required %s)\n"),
		       str_or(prompt->u.odict, "state", "?"),
		       str_or(prompt->u.odict, "required", "?"));
}

/* Header lines as sent (CRLF) printed as lines. */
/* "module,device" of a {module, device} object. */
static void print_device(const char *label, const struct odict *res,
			 const char *key)
{
	const struct odict_entry *e = odict_get_type(res, ODICT_OBJECT, key);
	const char *dev;

	if (!e)
		return;
	dev = str_or(e->u.odict, "device", "");
	printf("%s %s%s%s\n", label, str_or(e->u.odict, "module", "?"),
	       dev[0] ? "," : "", dev);
}

static void print_modules(const char *label, const struct odict *res,
			  const char *key)
{
	const struct odict_entry *e = odict_get_type(res, ODICT_ARRAY, key);
	struct le *le;

	if (!e)
		return;
	printf("%s\n", label);
	for (le = e->u.odict->lst.head; le; le = le->next) {
		const struct odict_entry *m = le->data;
		const struct odict_entry *devs;
		struct le *d;

		if (m->type != ODICT_OBJECT)
			continue;
		printf("  %s", str_or(m->u.odict, "module", "?"));
		devs = odict_get_type(m->u.odict, ODICT_ARRAY, "devices");
		for (d = devs ? devs->u.odict->lst.head : NULL; d;
		     d = d->next) {
			const struct odict_entry *n = d->data;

			if (n->type == ODICT_STRING)
				printf(" %s", n->u.str);
		}
		printf("\n");
	}
}

static void print_audio(const struct odict *res)
{
	print_modules(_("audio sources:"), res, "sources");
	print_modules(_("audio players:"), res, "players");
	print_device(_("source for calls:"), res, "source");
	print_device(_("player for calls:"), res, "player");
}

static void print_lines(const char *s)
{
	for (; s && *s; s++) {
		if (*s != '\r')
			putchar(*s);
	}
}

void print_invite(const struct odict *res)
{
	const char *hop = odict_string(res, "next_hop");
	const char *pidf = odict_string(res, "pidf");
	const char *sec = odict_string(res, "secondary_request_uri");
	bool hook = false;

	(void)odict_get_boolean(res, &hook, "body_hook");
	printf(_("# %s call from %s, %s route (%s), location %s\n"),
	       str_or(res, "class", "?"), str_or(res, "account", "?"),
	       str_or(res, "route", "?"), str_or(res, "route_kind", "?"),
	       str_or(res, "location", "?"));
	if (hop)
		printf(_("# next hop %s\n"), hop);
	if (sec)
		printf(_("# secondary route %s\n"), sec);
	if (!hook)
		printf(_("# WARNING: the INVITE body hook is not active: "
			 "no "
			 "PIDF-LO by value\n"));
	printf("INVITE %s SIP/2.0\n", str_or(res, "request_uri", "?"));
	printf("To: <%s>\n", str_or(res, "to", "?"));
	print_lines(odict_string(res, "headers"));
	if (!pidf) {
		printf("Content-Type: application/sdp\n\n(SDP)\n");
		return;
	}
	printf("Content-Type: multipart/mixed;boundary=...\n\n"
	       "--...\nContent-Type: "
	       "application/sdp\n\n(SDP)\n--...\n");
	print_lines(odict_string(res, "part_headers"));
	printf("\n%s--...--\n", pidf);
}

/* The served policy's line: where it is from and its last error. */
static void print_served(const struct odict *res)
{
	const struct odict_entry *sv = odict_lookup(res, "served");

	if (!sv || sv->type != ODICT_OBJECT)
		return;
	/* TRANSLATORS: the URL, where the copy in force came from
	 * ("server", "last-good", ...: the engine's word), when */
	printf(_("# served policy %s: %s, obtained %s\n"),
	       str_or(sv->u.odict, "url", "?"),
	       str_or(sv->u.odict, "source", "?"),
	       str_or(sv->u.odict, "obtained_at", _("never")));
	if (odict_string(sv->u.odict, "error"))
		printf(_("warning: served policy: %s\n"),
		       odict_string(sv->u.odict, "error"));
}

static void print_policy(const struct odict *res)
{
	const struct odict_entry *pol = odict_lookup(res, "policy");
	const struct odict_entry *diags = odict_lookup(res, "diagnostics");
	struct le *le;

	const struct odict_entry *site = odict_lookup(res, "site");
	const struct odict_entry *src = odict_lookup(res, "sources");

	printf(_("# user file %s, administrator's file %s\n"),
	       str_or(res, "user_file", "?"), str_or(res, "admin_file", "?"));
	if (site && site->type == ODICT_OBJECT)
		printf(_("# site %s: %s\n"),
		       str_or(site->u.odict, "name", _("(none)")),
		       str_or(site->u.odict, "reason", "?"));
	print_served(res);
	if (pol && pol->type == ODICT_OBJECT)
		re_printf("%H\n", json_out_odict, pol->u.odict);
	for (le = src && src->type == ODICT_OBJECT ? src->u.odict->lst.head
						   : NULL;
	     le; le = le->next) {
		const struct odict_entry *e = le->data;

		if (e->type == ODICT_STRING)
			printf(_("# %s from %s\n"), e->key, e->u.str);
	}
	for (le = diags && diags->type == ODICT_ARRAY ? diags->u.odict->lst.head
						      : NULL;
	     le; le = le->next) {
		const struct odict_entry *e = le->data;

		if (e->type == ODICT_STRING)
			printf(_("warning: %s\n"), e->u.str);
	}
}

static void print_result(const char *cmd, const struct odict *res)
{
	const struct odict_entry *e;

	if (0 == str_cmp(cmd, "location") ||
	    0 == str_cmp(cmd, "location.refresh")) {
		print_location(res);
		return;
	}

	if (0 == str_cmp(cmd, "e911.preview")) {
		print_invite(res);
		return;
	}

	if (0 == str_cmp(cmd, "e911.policy")) {
		print_policy(res);
		return;
	}

	if (0 == str_cmp(cmd, "e911.policy.refresh")) {
		printf(_("fetching the served policy; policy.changed "
			 "follows\n"));
		print_served(res);
		return;
	}

	if (0 == str_cmp(cmd, "status")) {
		print_status(res);
		return;
	}

	if (0 == str_cmp(cmd, "audio") || 0 == str_cmp(cmd, "audio.set")) {
		print_audio(res);
		e = odict_get_type(res, ODICT_OBJECT, "call");
		if (e)
			print_call(e->u.odict);
		return;
	}

	if (location_print_result(cmd, res))
		return;

	if (0 == str_cmp(cmd, "netinfo")) {
		print_netinfo(res);
		return;
	}

	if (0 == str_cmp(cmd, "calls")) {
		struct le *le;

		e = odict_lookup(res, "calls");
		if (!e || e->type != ODICT_ARRAY || !e->u.odict->lst.head) {
			printf(_("no calls\n"));
			return;
		}
		for (le = e->u.odict->lst.head; le; le = le->next) {
			const struct odict_entry *c = le->data;

			if (c->type == ODICT_OBJECT)
				print_call(c->u.odict);
		}
		return;
	}

	if (0 == str_cmp(cmd, "dtmf") &&
	    0 == str_cmp(str_or(res, "method", ""), "info"))
		printf(_("sending %s by SIP INFO on:\n"),
		       str_or(res, "digits", "?"));
	else if (0 == str_cmp(cmd, "dtmf"))
		printf(_("sending %s as telephone-events on:\n"),
		       str_or(res, "digits", "?"));

	e = odict_lookup(res, "call");
	if (e && e->type == ODICT_OBJECT) {
		print_call(e->u.odict);
		return;
	}

	/* anything else: the JSON itself is the clearest form */
	re_printf("%H\n", json_out_odict, res);
}

static int print_reply(const char *cmd, const struct odict *reply,
		       const struct opts *o)
{
	bool ok = false;
	const struct odict_entry *res;

	(void)odict_get_boolean(reply, &ok, "ok");

	if (o->json)
		re_printf("%H\n", json_out_odict, reply);

	if (!ok) {
		fprintf(stderr, _("locphonectl: %s: %s\n"), cmd,
			str_or(reply, "error", _("refused")));
		return EXIT_REFUSED;
	}

	res = odict_lookup(reply, "result");
	if (!o->json && res && res->type == ODICT_OBJECT)
		print_result(cmd, res->u.odict);

	return EXIT_OK;
}

static int connect_engine(struct ctlclient **clp, const struct opts *o)
{
	int err = ctlclient_connect(clp, o->socket);

	if (err) {
		fprintf(stderr,
			_("locphonectl: cannot reach the engine at %s: "
			  "%s\n"),
			o->socket, strerror(err));
		return EXIT_UNREACHABLE;
	}

	return EXIT_OK;
}

/* A dial refused by a stopping engine: its replacement is moments away. */
static bool refused_stopping(const char *cmd, const struct odict *reply)
{
	bool ok = true;

	(void)odict_get_boolean(reply, &ok, "ok");
	return !ok && 0 == str_cmp(cmd, "dial") &&
	       0 == strncmp(str_or(reply, "error", ""), "stopping:", 9);
}

/* Dial again on the engine that replaces a stopping one (ctrl's stop
 * bound plus the new engine's start: RESTART_WAIT_MS is generous). */
static int redial(const struct opts *o, const char *cmd,
		  const struct odict *args, struct odict **replyp)
{
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
	unsigned waited = 0;

	fprintf(stderr, _("locphonectl: the engine is stopping; dialling on "
			  "the one that replaces it\n"));
	while (waited < RESTART_WAIT_MS) {
		struct ctlclient *cl = NULL;

		(void)nanosleep(&pause, NULL);
		waited += 100;
		if (ctlclient_connect(&cl, o->socket))
			continue;
		*replyp = mem_deref(*replyp);
		if (!ctlclient_request(cl, cmd, args, REQUEST_TIMEOUT_MS,
				       replyp) &&
		    !refused_stopping(cmd, *replyp)) {
			mem_deref(cl);
			return 0;
		}
		mem_deref(cl);
	}

	return ETIMEDOUT;
}

int run_request(const struct opts *o, const char *cmd, const struct odict *args)
{
	struct ctlclient *cl = NULL;
	struct odict *reply = NULL;
	int err, rc;

	rc = connect_engine(&cl, o);
	if (rc)
		return rc;

	err = ctlclient_request(cl, cmd, args, REQUEST_TIMEOUT_MS, &reply);
	if (!err && refused_stopping(cmd, reply)) {
		cl = mem_deref(cl);
		if (redial(o, cmd, args, &reply)) {
			/* the stopping engine's own refusal would say to dial
			 * on its replacement: that is what did not come */
			fprintf(stderr,
				_("locphonectl: %s: the engine stopped and no "
				  "engine replaced it within %u s; start "
				  "locphoned and dial again\n"),
				cmd, RESTART_WAIT_MS / 1000);
			mem_deref(reply);
			return EXIT_UNREACHABLE;
		}
	}
	if (err) {
		fprintf(stderr,
			_("locphonectl: %s: no answer from the engine: "
			  "%s\n"),
			cmd, strerror(err));
		rc = EXIT_UNREACHABLE;
	} else {
		rc = print_reply(cmd, reply, o);
	}

	mem_deref(reply);
	mem_deref(cl);
	return rc;
}

static void print_event(const char *line, const struct odict *ev)
{
	const struct odict_entry *call = odict_lookup(ev, "call");
	char ts[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);

	if (call && call->type == ODICT_OBJECT) {
		const char *reason = odict_string(ev, "reason");

		printf("%s %-18s %s (%s)%s%s\n", ts, str_or(ev, "event", "?"),
		       str_or(call->u.odict, "peer", "?"),
		       str_or(call->u.odict, "id", "?"), reason ? ": " : "",
		       reason ? reason : "");
	} else {
		printf("%s %s\n", ts, line);
	}
	fflush(stdout);
}

static int run_events(const struct opts *o)
{
	struct ctlclient *cl = NULL;
	struct odict *reply = NULL;
	int err, rc;

	rc = connect_engine(&cl, o);
	if (rc)
		return rc;

	err = ctlclient_request(cl, "subscribe", NULL, REQUEST_TIMEOUT_MS,
				&reply);
	mem_deref(reply);
	if (err) {
		fprintf(stderr, _("locphonectl: subscribe: %s\n"),
			strerror(err));
		mem_deref(cl);
		return EXIT_UNREACHABLE;
	}

	/* on stderr, so that stdout holds events only */
	fprintf(stderr, _("locphonectl: listening for events from %s\n"),
		o->socket);

	for (;;) {
		struct odict *ev = NULL;
		char *line = NULL;

		err = ctlclient_event(cl, -1, &line, &ev);
		if (err)
			break;
		if (o->json) {
			printf("%s\n", line);
			fflush(stdout);
		} else {
			print_event(line, ev);
		}
		mem_deref(line);
		mem_deref(ev);
	}

	fprintf(stderr, _("locphonectl: the engine closed the connection\n"));
	mem_deref(cl);
	return EXIT_UNREACHABLE;
}

/* One string argument, e.g. {"number":"911"}. */
static int args_one(struct odict **odp, const char *key, const char *val)
{
	int err = odict_alloc(odp, 4);

	if (!err && val)
		err = odict_entry_add(*odp, key, ODICT_STRING, val);

	return err;
}

/* audio.set's args: {KIND: {module, device}, call} from "MODULE[,DEVICE]". */
static int args_audio(struct odict **argsp, const char *kind, const char *spec,
		      const char *call)
{
	struct odict *dev = NULL;
	const char *comma = strchr(spec, ',');
	char mod[64];
	int err;

	str_ncpy(mod, spec,
		 comma ? min((size_t)(comma - spec) + 1, sizeof(mod))
		       : sizeof(mod));

	err = args_one(argsp, "call", call);
	if (!err)
		err = odict_alloc(&dev, 2);
	if (!err)
		err = odict_entry_add(dev, "module", ODICT_STRING, mod);
	if (!err)
		err = odict_entry_add(dev, "device", ODICT_STRING,
				      comma ? comma + 1 : "");
	if (!err)
		err = odict_entry_add(*argsp, kind, ODICT_OBJECT, dev);
	mem_deref(dev);
	return err;
}

int args_number(struct odict **odp, const char *number)
{
	bool uri = strchr(number, ':') || strchr(number, '@');

	return args_one(odp, uri ? "uri" : "number", number);
}

static int command(const struct opts *o, int argc, char *argv[])
{
	const char *cmd = argv[0];
	struct odict *args = NULL;
	int rc, err = 0;

	if (0 == str_cmp(cmd, "events") && argc == 1)
		return run_events(o);

	if ((0 == str_cmp(cmd, "status") || 0 == str_cmp(cmd, "calls") ||
	     0 == str_cmp(cmd, "netinfo")) &&
	    argc == 1) {
		err = odict_alloc(&args, 1);
	} else if (0 == str_cmp(cmd, "dnd") && argc == 2 &&
		   (!str_cmp(argv[1], "on") || !str_cmp(argv[1], "off"))) {
		err = odict_alloc(&args, 1);
		if (!err)
			err = odict_entry_add(args, "on", ODICT_BOOL,
					      !str_cmp(argv[1], "on"));
	} else if (0 == str_cmp(cmd, "location") && argc >= 2 &&
		   str_cmp(argv[1], "refresh")) {
		return location_command(o, argc - 1, argv + 1);
	} else if (0 == str_cmp(cmd, "location") && argc <= 2) {
		if (argc == 2 && str_cmp(argv[1], "refresh")) {
			usage(stderr);
			return EXIT_USAGE;
		}
		if (argc == 2)
			cmd = "location.refresh";
		err = odict_alloc(&args, 1);
	} else if (0 == str_cmp(cmd, "dial") && argc == 2) {
		err = args_number(&args, argv[1]);
	} else if (0 == str_cmp(cmd, "testcall")) {
		return testcall_command(o, argc, argv);
	} else if ((0 == str_cmp(cmd, "hangup") ||
		    0 == str_cmp(cmd, "answer") || 0 == str_cmp(cmd, "mute") ||
		    0 == str_cmp(cmd, "unmute")) &&
		   argc <= 2) {
		err = args_one(&args, "call", argc == 2 ? argv[1] : NULL);
	} else if (0 == str_cmp(cmd, "audio") && argc == 1) {
		err = odict_alloc(&args, 1);
	} else if (0 == str_cmp(cmd, "audio") && (argc == 3 || argc == 4) &&
		   (0 == str_cmp(argv[1], "source") ||
		    0 == str_cmp(argv[1], "player"))) {
		err = args_audio(&args, argv[1], argv[2],
				 argc == 4 ? argv[3] : NULL);
		cmd = "audio.set";
	} else if (0 == str_cmp(cmd, "dtmf") && (argc == 2 || argc == 3)) {
		err = args_one(&args, "call", argc == 3 ? argv[2] : NULL);
		if (!err)
			err = odict_entry_add(args, "digits", ODICT_STRING,
					      argv[1]);
	} else if (0 == str_cmp(cmd, "emergency") && argc >= 2 &&
		   0 == str_cmp(argv[1], "preview") && argc <= 3) {
		err = args_one(&args, "number", argc == 3 ? argv[2] : NULL);
		cmd = "e911.preview";
	} else if (0 == str_cmp(cmd, "emergency") && argc == 2 &&
		   0 == str_cmp(argv[1], "policy")) {
		err = odict_alloc(&args, 1);
		cmd = "e911.policy";
	} else if (0 == str_cmp(cmd, "emergency") && argc == 3 &&
		   0 == str_cmp(argv[1], "policy") &&
		   0 == str_cmp(argv[2], "--refresh")) {
		err = odict_alloc(&args, 1);
		cmd = "e911.policy.refresh";
	} else if (0 == str_cmp(cmd, "request") && (argc == 2 || argc == 3)) {
		if (argc == 3 &&
		    json_decode_odict(&args, 16, argv[2], strlen(argv[2]), 8)) {
			fprintf(stderr, _("locphonectl: request: the arguments "
					  "are not a JSON object\n"));
			return EXIT_USAGE;
		}
		cmd = argv[1];
	} else {
		usage(stderr);
		return EXIT_USAGE;
	}

	if (err) {
		fprintf(stderr, "locphonectl: %s\n", strerror(err));
		return EXIT_USAGE;
	}

	rc = run_request(o, cmd, args);
	mem_deref(args);
	return rc;
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{"socket", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct opts o;
	int c;

	memset(&o, 0, sizeof(o));
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* messages in the person's language; numbers stay as JSON writes
	 * them (LC_NUMERIC is not taken from the environment) */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	bindtextdomain(GETTEXT_PACKAGE,
		       getenv("LOCPHONE_LOCALEDIR") &&
				       *getenv("LOCPHONE_LOCALEDIR")
			       ? getenv("LOCPHONE_LOCALEDIR")
			       : LOCPHONE_LOCALEDIR);
	textdomain(GETTEXT_PACKAGE);

	/* options end at the command ("+"), as with git */
	while ((c = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (c) {
		case 's':
			if (strlen(optarg) >= sizeof(o.socket)) {
				fprintf(stderr,
					_("locphonectl: socket path too "
					  "long\n"));
				return EXIT_USAGE;
			}
			str_ncpy(o.socket, optarg, sizeof(o.socket));
			break;
		case 'j':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	/* --json may also follow the command: "status --json" */
	for (c = optind; c < argc; c++) {
		if (0 == str_cmp(argv[c], "--json")) {
			o.json = true;
			memmove(&argv[c], &argv[c + 1],
				(size_t)(argc - c - 1) * sizeof(*argv));
			--argc;
			--c;
		}
	}

	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	if (!o.socket[0] &&
	    ctlclient_default_path(o.socket, sizeof(o.socket))) {
		fprintf(stderr, _("locphonectl: no XDG_RUNTIME_DIR; give "
				  "--socket\n"));
		return EXIT_UNREACHABLE;
	}

	return command(&o, argc - optind, argv + optind);
}
