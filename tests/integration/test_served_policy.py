#!/usr/bin/python3
"""A policy served from policy_url (issue 14 item 2): a stdlib HTTPS server
(a test CA) serves the document.  It is applied (its values are said to
come from the served policy, the administrator's file still wins where
both set a key), kept in the state directory (0600); a document with an
error is refused whole on `locphonectl emergency policy --refresh`, its
diagnostic named and the policy in force kept; with the server down at the
next start the last good copy is in force, the fetch error is said, and
the server is asked again by itself soon after.  A document that
arrives during an emergency call applies when the call has ended."""

import http.server
import os
import ssl
import stat
import sys
import threading

from lphelp import (BUILD, Engine, Sipp, Workdir, check, make_test_ca, need,
                    run, wait_for)

FIXTURE = os.path.join(BUILD, "tests", "integration", "location_fixture.so")
RECORD = {
    "source": "manual",
    "civic": {"country": "US", "A1": "WA", "A3": "Redmond", "RD": "Main",
              "STS": "St", "HNO": "1"},
    "geo": None, "method": "Manual", "provided_by": None,
    "obtained_at": "2024-05-01T08:30:00Z", "expires": None,
    "validated": True, "uris": [], "elin": None,
}

GOOD = ("# served to every phone\n"
        "test_dial_strings 933\n"
        "refresh_interval 30m\n"
        "[site lab]\n"
        "match_subnet 198.51.100.0/24\n"
        "notification_uris sip:desk@198.51.100.1\n")
BAD = ("test_dial_strings 944\n"
       "refresh_interval soon\n")


class PolicyServer:
    """HTTPS on 127.0.0.1 serving self.doc at any path."""

    def __init__(self, wd, port=0, certs=None):
        """port, certs: an earlier server's, to stand in for it."""
        self.doc = GOOD
        self.gets = 0
        ca, bundle = certs or make_test_ca(wd)
        self.ca, self.certs = ca, (ca, bundle)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.gets += 1
                body = outer.doc.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(bundle)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket,
                                            server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_port}/phones.conf"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        if self.thread:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(10)
            self.thread = None


def policy(ctl):
    r = ctl.request("e911.policy")
    check(r["ok"], f"e911.policy: {r}")
    return r["result"]


def served_is(ctl, pred, what):
    def probe():
        p = policy(ctl)
        return p if p.get("served") and pred(p) else None
    return wait_for(probe, 20, what)


def test_served_policy():
    with Workdir() as wd:
        srv = PolicyServer(wd)
        admin = os.path.join(wd, "policy.conf")
        with open(admin, "w") as f:
            f.write(f"policy_url {srv.url}\n"
                    f"policy_ca_file {srv.ca}\n"
                    "policy_refresh 1h\n"
                    "refresh_interval 2h\n")
        conf = f"policy_file {admin}\n"
        eng = None
        try:
            eng = Engine(wd, "<sip:alice@127.0.0.1:5060>;regint=0\n",
                         conf=conf)
            ctl = eng.ctl()
            p = served_is(ctl, lambda p: p["served"]["source"] == "server",
                          "the served policy from the server")
            check(p["sources"]["test_dial_strings"] == "served policy" and
                  "933" in p["policy"]["test_dial_strings"],
                  f"the served value applies: {p['policy']} {p['sources']}")
            # the administrator's own file wins over the served document
            check(p["sources"]["refresh_interval"] == "administrator file"
                  and p["policy"]["refresh_interval_s"] == 7200,
                  f"the administrator's file wins: {p['sources']}")
            check(not p["diagnostics"],
                  f"policy_url and its keys are no misspelt setting: "
                  f"{p['diagnostics']}")
            # the location module reads no policy file: it took the one
            # the e911 module gave as the engine started
            loc = ctl.request("location")["result"]
            check(loc["refresh_interval_s"] == 7200,
                  f"the location module applies e911's policy: {loc}")
            check("gave no policy" not in eng.log_text(),
                  "the location module had the e911 module's policy")
            check(p["site"]["sites"] == 1 and p["served"]["error"] is None
                  and p["served"]["url"] == srv.url, f"{p['served']}")
            copy = p["served"]["copy"]
            st = os.stat(copy)
            check(stat.S_IMODE(st.st_mode) == 0o600,
                  f"the copy is 0600: {oct(st.st_mode)}")
            check(GOOD in open(copy).read(), "the copy is the document")
            rc, out, err = eng.cli("emergency", "policy")
            check(rc == 0 and f"# served policy {srv.url}: server" in out,
                  f"locphonectl emergency policy: {out} {err}")

            # an error anywhere: refused whole, the old one stays
            srv.doc = BAD
            gets = srv.gets
            rc, out, err = eng.cli("emergency", "policy", "--refresh")
            check(rc == 0, f"--refresh: {rc} {out} {err}")
            p = served_is(ctl, lambda p: p["served"]["error"],
                          "the refusal of the bad document")
            check(srv.gets > gets, "fetched again")
            e = p["served"]["error"]
            check("refused whole" in e and f"{srv.url}:2:" in e and
                  "refresh_interval" in e, f"the diagnostic: {e}")
            check("933" in p["policy"]["test_dial_strings"] and
                  "944" not in p["policy"]["test_dial_strings"] and
                  p["served"]["source"] == "server",
                  f"the good one stays: {p['policy']}")
            check(GOOD in open(copy).read(), "the copy stays the good one")
            rc, out, err = eng.cli("emergency", "policy")
            check("warning: served policy: refused whole" in out,
                  f"said by locphonectl: {out}")
            eng.stop()
            eng = None

            # the server down at start: the last good copy is in force
            srv.stop()
            eng = Engine(wd, "<sip:alice@127.0.0.1:5060>;regint=0\n",
                         conf=conf)
            ctl = eng.ctl()
            p = served_is(ctl, lambda p: p["served"]["error"],
                          "the failed fetch")
            check(p["served"]["source"] == "last good copy" and
                  p["sources"]["test_dial_strings"] == "served policy" and
                  "933" in p["policy"]["test_dial_strings"],
                  f"the copy applies: {p['served']} {p['sources']}")
            check(srv.url in p["served"]["error"] and
                  "connection failed" in p["served"]["error"],
                  f"the error: {p['served']['error']}")
            check("the last good copy" in eng.log_text(),
                  "the engine says which policy is in force")

            # the server back: asked again by itself well before
            # policy_refresh (1 h): 30 s after the failure
            srv = PolicyServer(wd, port=srv.httpd.server_port,
                               certs=srv.certs)
            srv.doc = GOOD.replace("933", "988")
            p = wait_for(lambda: (lambda p: p if p["served"]["source"] ==
                                  "server" else None)(policy(ctl)), 45,
                         "the server asked again after the failure")
            check("988" in p["policy"]["test_dial_strings"] and
                  p["served"]["error"] is None, f"{p['served']}")
        finally:
            if eng:
                eng.stop()
            srv.stop()


def test_new_document_waits_for_the_call():
    """A served document fetched during an emergency call applies when the
    call has ended, never under it."""
    with Workdir() as wd:
        srv = PolicyServer(wd)
        pbx = Sipp(wd, "pbx.xml", "pbx")
        admin = os.path.join(wd, "policy.conf")
        with open(admin, "w") as f:
            f.write(f"policy_url {srv.url}\n"
                    f"policy_ca_file {srv.ca}\n")
        eng = None
        try:
            eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>;regint=0\n",
                         conf=f"extra_module {FIXTURE}\n"
                         f"policy_file {admin}\n")
            ctl = eng.ctl()
            served_is(ctl, lambda p: p["served"]["source"] == "server",
                      "the first document")
            check(ctl.request("test.location", RECORD)["ok"], "location")
            r = ctl.request("dial", {"number": "911"})
            check(r["ok"] and r["result"].get("emergency"), f"911: {r}")
            ctl.wait_event("call.established")

            srv.doc = GOOD.replace("933", "977")
            gets = srv.gets
            check(eng.cli("emergency", "policy", "--refresh")[0] == 0,
                  "--refresh")
            wait_for(lambda: "waits for the emergency call to end"
                     in eng.log_text(), 15, "the new document to wait")
            check(srv.gets > gets, "fetched during the call")
            p = policy(ctl)
            check("977" not in p["policy"]["test_dial_strings"] and
                  "933" in p["policy"]["test_dial_strings"],
                  f"the call's policy stays: {p['policy']}")

            check(ctl.request("hangup")["ok"], "hangup")
            ctl.wait_event("emergency.ended")
            ev = ctl.wait_event("policy.changed", pred=lambda e: "977" in
                                e["policy"]["test_dial_strings"])
            check(ev["served"]["source"] == "server", f"{ev['served']}")
        finally:
            if eng:
                eng.stop()
            pbx.stop()
            srv.stop()


if __name__ == "__main__":
    need("openssl", "sipp")
    sys.exit(run([test_served_policy, test_new_document_waits_for_the_call]))
