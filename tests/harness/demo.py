#!/usr/bin/python3
"""The built-in demo: a sipp peer on loopback plays registrar and call
centre; the real engine registers, is given a location (typed in, through
the test fixture until the LIS client delivers real ones), dials 911
through locphonectl, and the demo prints the engine's events and the
INVITE the far end received, PIDF-LO included."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (BUILD, LOCPHONECTL, Engine, Failure, Sipp,  # noqa: E402
                    Workdir)

FIXTURE = os.path.join(BUILD, "tests", "integration", "location_fixture.so")

# A location as someone would type it in (source "manual").
LOCATION = {
    "source": "manual",
    "civic": {"country": "US", "A1": "WA", "A3": "Redmond", "RD": "163rd",
              "STS": "Ave", "HNO": "3910", "FLR": "2"},
    "geo": None, "method": "Manual", "provided_by": None,
    "obtained_at": "2024-05-01T12:00:00Z", "expires": None,
    "validated": False, "uris": [], "elin": None,
}


def say(text):
    print(text, flush=True)


def main():
    with Workdir() as wd:
        psap = Sipp(wd, "pbx.xml", "psap")
        say(f"call centre (sipp) listening on 127.0.0.1:{psap.port}")
        eng = Engine(wd, f"<sip:alice@127.0.0.1:{psap.port}>;regint=600\n",
                     conf=f"extra_module {FIXTURE}\n")
        say(f"engine (baresip {eng.proc.pid}) control socket {eng.socket}")
        try:
            ctl = eng.ctl()
            st = ctl.request("status")["result"]
            if st["accounts"][0]["registration"] != "registered":
                ctl.wait_event("registration",
                               pred=lambda e: e["state"] == "registered")
            out = subprocess.run([LOCPHONECTL, "--socket", eng.socket,
                                  "status"], capture_output=True, text=True)
            say("\n$ locphonectl status\n" + out.stdout.rstrip())

            ctl.request("test.location", LOCATION)
            out = subprocess.run([LOCPHONECTL, "--socket", eng.socket,
                                  "dial", "911"], capture_output=True,
                                 text=True)
            say("\n$ locphonectl dial 911\n" + out.stdout.rstrip())
            ev = ctl.wait_event("emergency.started")
            say(f"event: emergency.started to {ev['request_uri']}, "
                f"location {ev['location']}")
            ev = ctl.wait_event("call.established")
            say(f"event: call.established with {ev['call']['peer']}")

            out = subprocess.run([LOCPHONECTL, "--socket", eng.socket,
                                  "hangup"], capture_output=True, text=True)
            say("\n$ locphonectl hangup\n" + out.stdout.rstrip())
            ev = ctl.wait_event("call.closed")
            say(f"event: call.closed ({ev.get('reason', '')})")
        finally:
            psap.stop()
            eng.stop()

        invite = psap.requests("INVITE")[0]
        say("\nThe INVITE the call centre received:")
        for line in invite.split("\r\n"):
            say("  " + line)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"demo failed: {e}", file=sys.stderr)
        sys.exit(1)
