/* locphonectl testcall: a test call on the emergency route, what it sent,
 * and (given the PSAP simulator's record) what the far end received. */

#include <re.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctlproto.h"
#include "ctlclient.h"
#include "locphonectl.h"

#define TESTCALL_TIMEOUT_S     30u
#define TESTCALL_TIMEOUT_MAX_S 3600u
/* After hanging up (or the answer), how long the call's end may take. */
#define TESTCALL_END_MS 10000
/* The PSAP simulator writes its record line before it answers; a little
 * grace for a slow disk. */
#define TESTCALL_RECORD_WAIT_MS 3000
/* Largest PSAP record read (it grows by a few KiB per INVITE). */
#define TESTCALL_RECORD_MAX (64u * 1024u * 1024u)
#define TESTCALL_REQ_MS	    10000

struct testcall {
	const char *number;
	unsigned timeout_s;
	const char *record_path;
	char numbuf[40];
	char call_id[256];	/* the Call-ID of the emergency call */
	struct odict *sent;	/* the last emergency.started/failover event */
	struct odict *received; /* the PSAP record line for call_id */
	struct odict *ended;	/* emergency.ended */
	struct odict *mismatch; /* array of strings (English: --json) */
	struct odict *mismatch_text; /* the same in the person's language */
	unsigned nmismatch;
	unsigned attempts;
	bool answered;
	bool timed_out;
	bool matched;
	int64_t started_ms;
	int64_t seconds_ms;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void testcall_reset(struct testcall *t)
{
	t->sent = mem_deref(t->sent);
	t->received = mem_deref(t->received);
	t->ended = mem_deref(t->ended);
	t->mismatch = mem_deref(t->mismatch);
	t->mismatch_text = mem_deref(t->mismatch_text);
}

static int request(struct ctlclient *cl, const char *cmd,
		   const struct odict *args, struct odict **resultp)
{
	struct odict *reply = NULL;
	const struct odict_entry *res;
	bool ok = false;
	int err;

	err = ctlclient_request(cl, cmd, args, TESTCALL_REQ_MS, &reply);
	if (err) {
		fprintf(stderr,
			_("locphonectl: %s: no answer from the engine: %s\n"),
			cmd, strerror(err));
		return EXIT_UNREACHABLE;
	}
	(void)odict_get_boolean(reply, &ok, "ok");
	if (!ok) {
		fprintf(stderr, _("locphonectl: %s: %s\n"), cmd,
			str_or(reply, "error", _("refused")));
		mem_deref(reply);
		return EXIT_REFUSED;
	}
	res = odict_get_type(reply, ODICT_OBJECT, "result");
	if (resultp)
		*resultp = res ? mem_ref(res->u.odict) : NULL;
	mem_deref(reply);
	return EXIT_OK;
}

/* The policy's first test number (test_dial_strings). */
static int default_number(struct ctlclient *cl, struct testcall *t)
{
	struct odict *res = NULL;
	const struct odict_entry *pol, *nums, *first = NULL;
	int rc;

	rc = request(cl, "e911.policy", NULL, &res);
	if (rc)
		return rc;
	pol = odict_get_type(res, ODICT_OBJECT, "policy");
	nums = pol ? odict_get_type(pol->u.odict, ODICT_ARRAY,
				    "test_dial_strings")
		   : NULL;
	if (nums && nums->u.odict->lst.head)
		first = nums->u.odict->lst.head->data;
	if (!first || first->type != ODICT_STRING ||
	    strlen(first->u.str) >= sizeof(t->numbuf)) {
		fprintf(stderr, _("locphonectl: testcall: the policy has no "
				  "test number (test_dial_strings): give "
				  "NUMBER\n"));
		mem_deref(res);
		return EXIT_REFUSED;
	}
	str_ncpy(t->numbuf, first->u.str, sizeof(t->numbuf));
	t->number = t->numbuf;
	mem_deref(res);
	return EXIT_OK;
}

static const char *event_call_id(const struct odict *ev)
{
	const struct odict_entry *c = odict_lookup(ev, "call");

	if (!c)
		return NULL;
	if (c->type == ODICT_STRING)
		return c->u.str;
	if (c->type == ODICT_OBJECT)
		return odict_string(c->u.odict, "id");
	return NULL;
}

static int hangup(struct ctlclient *cl, const struct testcall *t)
{
	struct odict *args = NULL;
	int rc;

	if (odict_alloc(&args, 2) ||
	    odict_entry_add(args, "call", ODICT_STRING, t->call_id)) {
		mem_deref(args);
		return EXIT_USAGE;
	}
	rc = request(cl, "hangup", args, NULL);
	mem_deref(args);
	return rc;
}

/* Follow the call's events to emergency.ended: hang up once answered or
 * at the deadline. */
static int follow(struct ctlclient *cl, struct testcall *t)
{
	const int64_t answer_by = t->started_ms + (int64_t)t->timeout_s * 1000;
	int64_t end_by = answer_by + TESTCALL_END_MS;
	bool hung_up = false;

	for (;;) {
		struct odict *ev = NULL;
		char *line = NULL;
		const char *name, *cid;
		int64_t now = mono_ms();
		int64_t until = hung_up ? end_by : answer_by;
		int err;

		if (now >= until) {
			if (hung_up) {
				fprintf(stderr, _("locphonectl: testcall: the "
						  "call did not end\n"));
				return EXIT_REFUSED;
			}
			t->timed_out = true;
			hung_up = true;
			end_by = now + TESTCALL_END_MS;
			(void)hangup(cl, t);
			continue;
		}
		err = ctlclient_event(cl, (int)(until - now), &line, &ev);
		if (err == ETIMEDOUT)
			continue;
		if (err) {
			fprintf(stderr,
				_("locphonectl: testcall: the engine went "
				  "away: %s\n"),
				strerror(err));
			return EXIT_UNREACHABLE;
		}
		name = str_or(ev, "event", "");
		cid = event_call_id(ev);
		if (!cid || str_cmp(cid, t->call_id)) {
			mem_deref(line);
			mem_deref(ev);
			continue;
		}
		if (!str_cmp(name, "emergency.started") ||
		    !str_cmp(name, "emergency.failover")) {
			++t->attempts;
			mem_deref(t->sent);
			t->sent = mem_ref(ev);
		} else if (!str_cmp(name, "call.established") && !hung_up) {
			t->answered = true;
			t->seconds_ms = mono_ms() - t->started_ms;
			hung_up = true;
			end_by = mono_ms() + TESTCALL_END_MS;
			(void)hangup(cl, t);
		} else if (!str_cmp(name, "emergency.ended")) {
			t->ended = mem_ref(ev);
			mem_deref(line);
			mem_deref(ev);
			return EXIT_OK;
		}
		mem_deref(line);
		mem_deref(ev);
	}
}

/* One difference, fmt marked with N_(): in English for --json, in the
 * person's language for the human output. */
static int mismatch(struct testcall *t, const char *fmt, ...)
{
	char key[16], text[512], local[512];
	va_list ap, aq;
	int err;

	va_start(ap, fmt);
	va_copy(aq, ap);
	(void)re_vsnprintf(text, sizeof(text), fmt, ap);
	(void)re_vsnprintf(local, sizeof(local), gettext(fmt), aq);
	va_end(aq);
	va_end(ap);
	re_snprintf(key, sizeof(key), "%u", t->nmismatch++);
	err = odict_entry_add(t->mismatch, key, ODICT_STRING, text);
	if (!err)
		err = odict_entry_add(t->mismatch_text, key, ODICT_STRING,
				      local);
	return err;
}

/* The last line of the PSAP record about call_id, or NULL. */
static int record_find(struct testcall *t, struct odict **recp)
{
	FILE *f = fopen(t->record_path, "rb");
	struct mbuf *mb;
	uint8_t chunk[8192];
	size_t n, start = 0;
	int err = 0;

	*recp = NULL;
	if (!f)
		return errno;
	mb = mbuf_alloc(65536);
	if (!mb) {
		fclose(f);
		return ENOMEM;
	}
	while (!err && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (mb->end + n > TESTCALL_RECORD_MAX)
			err = EFBIG;
		else
			err = mbuf_write_mem(mb, chunk, n);
	}
	fclose(f);

	for (size_t i = 0; !err && i < mb->end; i++) {
		struct odict *od = NULL;

		if (mb->buf[i] != '\n')
			continue;
		if (i > start &&
		    !json_decode_odict(&od, 32, (const char *)mb->buf + start,
				       i - start, 16) &&
		    !str_cmp(odict_string(od, "call_id"), t->call_id)) {
			mem_deref(*recp);
			*recp = od;
			od = NULL;
		}
		mem_deref(od);
		start = i + 1;
	}
	mem_deref(mb);
	if (err)
		*recp = mem_deref(*recp);
	return err;
}

static bool array_has(const struct odict_entry *arr, const char *v)
{
	struct le *le;

	if (!arr || arr->type != ODICT_ARRAY)
		return false;
	for (le = arr->u.odict->lst.head; le; le = le->next) {
		const struct odict_entry *e = le->data;

		if (e->type == ODICT_STRING && !str_cmp(e->u.str, v))
			return true;
	}
	return false;
}

/* Each header line sent ("Name: value\r\n") is among those received. */
static int headers_compare(struct testcall *t, const char *sent,
			   const struct odict *recvd)
{
	const char *p = sent;
	int err = 0;

	while (!err && p && *p) {
		const char *eol = strstr(p, "\r\n");
		const char *colon;
		char name[64], value[1024];
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t nlen;

		colon = memchr(p, ':', len);
		if (colon && (nlen = (size_t)(colon - p)) < sizeof(name)) {
			const char *v = colon + 1;
			size_t vlen;

			for (size_t i = 0; i < nlen; i++)
				name[i] = (char)tolower((unsigned char)p[i]);
			name[nlen] = '\0';
			while (v < p + len && (*v == ' ' || *v == '\t'))
				++v;
			vlen = (size_t)(p + len - v);
			if (vlen >= sizeof(value))
				vlen = sizeof(value) - 1;
			memcpy(value, v, vlen);
			value[vlen] = '\0';
			if (!recvd ||
			    !array_has(odict_lookup(recvd, name), value))
				err = mismatch(t,
					       N_("header %.*s was sent but "
						  "not received"),
					       (int)len, p);
		}
		p = eol ? eol + 2 : NULL;
	}
	return err;
}

/* The PIDF-LO part's Content-ID as sent is the one of a part received. */
static int content_id_compare(struct testcall *t)
{
	const char *ph = odict_string(t->sent, "part_headers");
	const struct odict_entry *parts =
		odict_get_type(t->received, ODICT_ARRAY, "parts");
	const char *p = ph ? strstr(ph, "Content-ID:") : NULL;
	char cid[256];
	size_t len;
	struct le *le;

	if (!p)
		return 0;
	p += strlen("Content-ID:");
	while (*p == ' ')
		++p;
	len = strcspn(p, "\r\n");
	if (len >= sizeof(cid))
		len = sizeof(cid) - 1;
	memcpy(cid, p, len);
	cid[len] = '\0';
	for (le = parts ? parts->u.odict->lst.head : NULL; le; le = le->next) {
		const struct odict_entry *e = le->data;

		if (e->type == ODICT_OBJECT &&
		    !str_cmp(odict_string(e->u.odict, "content_id"), cid))
			return 0;
	}
	return mismatch(t,
			N_("the PIDF-LO part Content-ID %s was sent, no part "
			   "with it received"),
			cid);
}

/* What the PSAP received against what was sent. */
static int compare(struct testcall *t)
{
	const struct odict_entry *h;
	const char *sent_pidf, *got_pidf;
	int64_t deadline = mono_ms() + TESTCALL_RECORD_WAIT_MS;
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
	int err;

	err = odict_alloc(&t->mismatch, 8);
	if (!err)
		err = odict_alloc(&t->mismatch_text, 8);
	if (err)
		return err;
	for (;;) {
		err = record_find(t, &t->received);
		if (t->received || mono_ms() >= deadline ||
		    (err && err != ENOENT))
			break;
		(void)nanosleep(&pause, NULL);
	}
	if (!t->received) {
		t->matched = false;
		if (err)
			return mismatch(t,
					N_("the PSAP record %s cannot be read: "
					   "%s"),
					t->record_path, strerror(err));
		return mismatch(t,
				N_("the PSAP received no INVITE with Call-ID "
				   "%s (record %s)"),
				t->call_id, t->record_path);
	}

	if (str_cmp(odict_string(t->received, "request_uri"),
		    odict_string(t->sent, "request_uri")))
		err = mismatch(t, N_("Request-URI %s was sent, %s received"),
			       str_or(t->sent, "request_uri", "?"),
			       str_or(t->received, "request_uri", "?"));
	h = odict_get_type(t->received, ODICT_OBJECT, "headers");
	if (!err)
		err = headers_compare(t, str_or(t->sent, "headers", ""),
				      h ? h->u.odict : NULL);
	sent_pidf = odict_string(t->sent, "pidf");
	got_pidf = odict_string(t->received, "pidf");
	if (!err && sent_pidf && !got_pidf)
		err = mismatch(t,
			       N_("a PIDF-LO of %zu bytes was sent, none "
				  "received"),
			       strlen(sent_pidf));
	else if (!err && !sent_pidf && got_pidf)
		err = mismatch(t, N_("no PIDF-LO was sent, one was received"));
	else if (!err && sent_pidf && str_cmp(sent_pidf, got_pidf))
		err = mismatch(t, N_("the PIDF-LO received differs from the "
				     "one sent"));
	if (!err && sent_pidf && got_pidf)
		err = content_id_compare(t);
	t->matched = !err && t->nmismatch == 0;
	return err;
}

static const char *outcome(const struct testcall *t)
{
	if (t->answered)
		return "answered";
	if (t->timed_out)
		return "no answer";
	return str_or(t->ended, "outcome", "failed");
}

static void print_checks(const struct odict *rec)
{
	const struct odict_entry *checks =
		odict_get_type(rec, ODICT_ARRAY, "checks");
	const struct odict_entry *loc =
		odict_get_type(rec, ODICT_OBJECT, "location");
	struct le *le;

	if (loc) {
		const struct odict_entry *civic =
			odict_get_type(loc->u.odict, ODICT_OBJECT, "civic");

		if (civic) {
			printf(_("  civic address read:"));
			print_civic(civic->u.odict);
			printf("\n");
		}
	}
	if (!checks)
		return;
	printf(_("  the PSAP's checks:\n"));
	for (le = checks->u.odict->lst.head; le; le = le->next) {
		const struct odict_entry *c = le->data;
		bool ok = false;

		if (c->type != ODICT_OBJECT)
			continue;
		(void)odict_get_boolean(c->u.odict, &ok, "ok");
		/* TRANSLATORS: ok or FAIL, then the PSAP's check and why (the
		 * PSAP's words) */
		printf("    %-4s %-20s %s\n", ok ? _("ok") : _("FAIL"),
		       str_or(c->u.odict, "check", "?"),
		       str_or(c->u.odict, "why", ""));
	}
}

static void print_human(const struct testcall *t)
{
	const char *reason = odict_string(t->ended, "reason");
	const char *oc = odict_string(t->ended, "outcome");

	printf(_("# test call to %s\n"), t->number);
	if (t->sent) {
		printf(ngettext("# sent (%u INVITE; the last one):\n",
				"# sent (%u INVITEs; the last one):\n",
				t->attempts),
		       t->attempts);
		print_invite(t->sent);
	}
	if (t->answered)
		printf(_("outcome: answered after %.1f s, hung up\n"),
		       (double)t->seconds_ms / 1000.0);
	else if (t->timed_out)
		printf(_("outcome: no answer within %u s, hung up\n"),
		       t->timeout_s);
	else /* the outcome and reason are the engine's words */
		printf(_("outcome: %s%s%s\n"), oc ? oc : _("failed"),
		       reason ? ": " : "", reason ? reason : "");

	if (!t->record_path)
		return;
	printf(_("received by the PSAP (%s):\n"), t->record_path);
	if (t->received) {
		bool loc = false;

		(void)odict_get_boolean(t->received, &loc, "location_received");
		printf(loc ? _("  INVITE %s over %s from %s, location "
			       "received\n")
			   : _("  INVITE %s over %s from %s, location NOT "
			       "received\n"),
		       str_or(t->received, "request_uri", "?"),
		       str_or(t->received, "transport", "?"),
		       str_or(t->received, "source", "?"));
		print_checks(t->received);
	}
	if (t->mismatch_text) {
		struct le *le;

		for (le = t->mismatch_text->lst.head; le; le = le->next) {
			const struct odict_entry *e = le->data;

			printf(_("  MISMATCH: %s\n"), e->u.str);
		}
	}
	printf(t->matched ? _("sent and received match\n")
			  : _("sent and received DIFFER\n"));
}

static int print_json(const struct testcall *t)
{
	struct odict *o = NULL;
	int err;

	err = odict_alloc(&o, 16);
	if (!err)
		err = odict_entry_add(o, "number", ODICT_STRING, t->number);
	if (!err)
		err = odict_entry_add(o, "outcome", ODICT_STRING, outcome(t));
	if (!err)
		err = odict_entry_add(o, "answered", ODICT_BOOL, t->answered);
	if (!err && odict_string(t->ended, "reason"))
		err = odict_entry_add(o, "reason", ODICT_STRING,
				      odict_string(t->ended, "reason"));
	if (!err)
		err = odict_entry_add(o, "attempts", ODICT_INT,
				      (int64_t)t->attempts);
	if (!err)
		err = t->sent ? odict_entry_add(o, "sent", ODICT_OBJECT,
						t->sent)
			      : odict_entry_add(o, "sent", ODICT_NULL);
	if (!err && t->record_path) {
		err = t->received ? odict_entry_add(o, "received", ODICT_OBJECT,
						    t->received)
				  : odict_entry_add(o, "received", ODICT_NULL);
		if (!err)
			err = odict_entry_add(o, "match", ODICT_BOOL,
					      t->matched);
		if (!err)
			err = odict_entry_add(o, "mismatches", ODICT_ARRAY,
					      t->mismatch);
	}
	if (!err && re_printf("%H\n", json_out_odict, o) < 0)
		err = EIO;
	mem_deref(o);
	return err;
}

static int testcall_run(const struct opts *o, struct testcall *t)
{
	struct ctlclient *cl = NULL;
	struct odict *args = NULL, *res = NULL;
	bool handled = false;
	int rc;

	if (ctlclient_connect(&cl, o->socket)) {
		fprintf(stderr,
			_("locphonectl: cannot reach the engine at %s\n"),
			o->socket);
		return EXIT_UNREACHABLE;
	}
	rc = request(cl, "subscribe", NULL, NULL);
	if (!rc && !t->number)
		rc = default_number(cl, t);
	if (rc)
		goto out;

	if (args_number(&args, t->number)) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* e911.dial, not dial: an ordinary number is refused unplaced */
	t->started_ms = mono_ms();
	rc = request(cl, "e911.dial", args, &res);
	if (rc)
		goto out;
	(void)odict_get_boolean(res, &handled, "handled");
	if (!handled) {
		fprintf(stderr,
			_("locphonectl: testcall: %s is not an emergency or "
			  "test number of the policy (or e911_enabled is "
			  "no): nothing was dialled\n"),
			t->number);
		rc = EXIT_REFUSED;
		goto out;
	}
	str_ncpy(t->call_id, str_or(res, "call_id", ""), sizeof(t->call_id));
	if (!t->call_id[0]) {
		fprintf(stderr, _("locphonectl: testcall: the engine gave no "
				  "Call-ID for the call\n"));
		rc = EXIT_REFUSED;
		goto out;
	}

	rc = follow(cl, t);
	if (rc)
		goto out;
	if (!t->sent) {
		fprintf(stderr, _("locphonectl: testcall: the engine "
				  "reported no INVITE for the call\n"));
		rc = EXIT_REFUSED;
		goto out;
	}
	if (t->record_path && compare(t)) {
		rc = EXIT_USAGE;
		goto out;
	}

	if (o->json) {
		if (print_json(t))
			rc = EXIT_UNREACHABLE;
	} else {
		print_human(t);
	}
	if (!rc)
		rc = t->answered && (!t->record_path || t->matched)
			     ? EXIT_OK
			     : EXIT_REFUSED;

out:
	mem_deref(res);
	mem_deref(args);
	mem_deref(cl);
	return rc;
}

int testcall_command(const struct opts *o, int argc, char *argv[])
{
	struct testcall t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.timeout_s = TESTCALL_TIMEOUT_S;

	for (int i = 1; i < argc; i++) {
		if (!str_cmp(argv[i], "--timeout") && i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[++i], &end, 10);

			if (*end || !v || v > TESTCALL_TIMEOUT_MAX_S) {
				fprintf(stderr,
					_("locphonectl: testcall: "
					  "--timeout takes 1 to %u "
					  "seconds\n"),
					TESTCALL_TIMEOUT_MAX_S);
				return EXIT_USAGE;
			}
			t.timeout_s = (unsigned)v;
		} else if (!str_cmp(argv[i], "--psap-record") && i + 1 < argc) {
			t.record_path = argv[++i];
		} else if (argv[i][0] != '-' && !t.number) {
			t.number = argv[i];
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	rc = testcall_run(o, &t);
	testcall_reset(&t);
	return rc;
}
