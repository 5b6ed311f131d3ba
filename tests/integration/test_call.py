#!/usr/bin/python3
"""The engine registers with a sipp registrar, places a call with
locphonectl, sees it established and hangs it up; status, calls and the
event stream report each state."""

import json
import subprocess
import sys

from lphelp import (Engine, Sipp, Workdir, check, need, run, wait_for,
                    LOCPHONECTL, Failure)


def test_register_dial_hangup():
    with Workdir() as wd:
        pbx = Sipp(wd, "pbx.xml", "pbx")
        eng = None
        events = None
        try:
            eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>"
                             ";regint=600\n")
            ctl = eng.ctl()

            # registration: subscribed first, so either status already
            # says registered or the event is still to come
            st = ctl.request("status")
            if st["result"]["accounts"][0]["registration"] != "registered":
                ctl.wait_event("registration",
                               pred=lambda e: e["state"] == "registered")
                st = ctl.request("status")
            check(st["ok"], f"status: {st}")
            acc = st["result"]["accounts"]
            check(len(acc) == 1 and acc[0]["registration"] == "registered",
                  f"accounts in status: {acc}")
            rc, out, err = eng.cli("status")
            check(rc == 0 and "registered" in out and
                  f"alice@127.0.0.1:{pbx.port}" in out,
                  f"locphonectl status: {rc} {out} {err}")

            # the event stream as a person would read it
            events = subprocess.Popen(
                [LOCPHONECTL, "--socket", eng.socket, "--json", "events"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = events.stderr.readline()
            check("listening for events" in line,
                  f"locphonectl events subscribed: {line!r}")

            rc, out, err = eng.cli("dial", "5551234")
            check(rc == 0, f"dial exit {rc}: {err}")
            check("5551234" in out, f"dial output: {out}")

            ev = ctl.wait_event("call.established")
            call = ev["call"]
            check(call["direction"] == "outgoing" and
                  call["peer"].startswith("sip:5551234@"), f"call: {call}")

            rc, out, err = eng.cli("--json", "calls")
            calls = json.loads(out)["result"]["calls"]
            check(rc == 0 and len(calls) == 1 and
                  calls[0]["state"] == "established" and
                  calls[0]["id"] == call["id"], f"calls: {out}")

            rc, out, err = eng.cli("hangup")
            check(rc == 0, f"hangup exit {rc}: {err}")
            closed = ctl.wait_event("call.closed")
            check(closed["call"]["id"] == call["id"], "the same call closed")

            rc, out, err = eng.cli("--json", "calls")
            check(json.loads(out)["result"]["calls"] == [],
                  f"no calls left: {out}")

            # hangup with no call: the engine says no (exit 1)
            rc, out, err = eng.cli("hangup")
            check(rc == 1 and "no call" in err, f"hangup again: {rc} {err}")

            # the CLI's stream saw each state, in order
            seen = []

            def read_until_closed():
                line = events.stdout.readline()
                check(line, "locphonectl events ended early")
                seen.append(json.loads(line)["event"])
                return seen[-1] == "call.closed"

            wait_for(read_until_closed, 10, "call.closed from the CLI")
            want = ["call.outgoing", "call.ringing", "call.established",
                    "call.closed"]
            check([e for e in seen if e in want] == want,
                  f"event order from locphonectl events: {seen}")

            # sipp writes its message trace out when it stops
            pbx.stop()
            eng.stop()
            check(len(pbx.requests("REGISTER")) >= 1, "sipp saw REGISTER")
            invites = pbx.requests("INVITE")
            check(len(invites) == 1 and
                  invites[0].startswith("INVITE sip:5551234@127.0.0.1"),
                  f"sipp saw {len(invites)} INVITEs")
            check("Content-Type: application/sdp" in invites[0],
                  "an ordinary INVITE carries plain SDP")
            check(len(pbx.requests("BYE")) == 1, "sipp saw the BYE")
        finally:
            if events:
                events.kill()
                events.wait()
            if eng:
                eng.stop()
            pbx.stop()


def test_unreachable_engine():
    with Workdir() as wd:
        res = subprocess.run([LOCPHONECTL, "--socket", wd + "/none.sock",
                              "status"], capture_output=True, text=True)
        check(res.returncode == 2 and "cannot reach" in res.stderr,
              f"exit {res.returncode}: {res.stderr}")


if __name__ == "__main__":
    need("sipp")
    sys.exit(run([test_register_dial_hangup, test_unreachable_engine]))
