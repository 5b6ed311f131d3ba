#!/usr/bin/python3
"""A 911 call that gets through whatever the far end answers (issue 11
item 1): a refusal of the multipart INVITE (500, 488, 400) is retried on
the same route by reference, then without location, then on the next
route; Debian's own plain baresip as the callee takes the call."""

import os
import shutil
import subprocess
import sys
import time

from lphelp import (Sipp, Workdir, check, free_port, need, run,
                    scenario_variant, stop_process, udp_bound, wait_for)
import psapcheck
from test_e911 import RECORD, engine, failover_engine, set_location

BARESIP = os.environ.get("LOCPHONE_BARESIP", "/usr/bin/baresip")
STATUSES = ("500 Call Error", "488 Not Acceptable Here", "400 Bad Request")


def scenario_with(wd, name, old, new):
    """Scenario name with the answer old replaced by new, in wd."""
    return scenario_variant(wd, name, (old, new))


def check_sent(invites, sent, what):
    """Each INVITE carried the location as sent[i] says."""
    check(len(invites) == len(sent),
          f"{what}: {len(invites)} INVITEs, want {len(sent)}")
    for inv, how in zip(invites, sent):
        if how == "by-value":
            psapcheck.check_by_value(inv, RECORD)
            continue
        msg = psapcheck.Message(inv)
        geo = psapcheck.geolocation_values(msg)
        want = [RECORD["uris"][0]["uri"]] if how == "by-reference" else []
        check(geo == want, f"{what} {how}: Geolocation {geo}")
        check(not (msg.get("content-type") or "").startswith("multipart"),
              f"{what} {how}: no body part")
        check(msg.get("priority") == "emergency",
              f"{what} {how}: still an emergency call")


def failovers(ctl, n):
    return [ctl.wait_event("emergency.failover") for _ in range(n)]


def test_any_refusal_falls_back():
    """500, 488 and 400 to the multipart body: again by reference, and
    the call is established; the same answers to any location: by
    reference, then without.  Each step is named in emergency.failover."""
    for status in STATUSES:
        code = status.split()[0]
        for scenario, old, sent in (
                ("refuse_by_value.xml", "415 Unsupported Media Type",
                 ["by-value", "by-reference"]),
                ("refuse_location.xml", "424 Bad Location Information",
                 ["by-value", "by-reference", "none"])):
            what = f"{status} from {scenario}"
            with Workdir() as wd:
                psap = Sipp(wd, scenario_with(wd, scenario, old, status),
                            "psap")
                eng = engine(wd, psap)
                try:
                    ctl = eng.ctl()
                    set_location(ctl, RECORD)
                    check(ctl.request("dial", {"number": "911"})["ok"],
                          "dial")
                    evs = failovers(ctl, len(sent) - 1)
                    ctl.wait_event("call.established", timeout=10)
                    check(ctl.request("hangup")["ok"], "hangup")
                    ended = ctl.wait_event("emergency.ended")
                finally:
                    eng.stop()
                    psap.stop()
                steps = [e["step"] for e in evs]
                want = ["by-reference", "no-location"][:len(sent) - 1]
                check(steps == want, f"{what}: steps {steps}, want {want}")
                for e, how in zip(evs, sent[1:]):
                    check(e["location"] == how and code in e["reason"] and
                          e["route"] == "primary", f"{what}: {e}")
                check(ended["outcome"] == "ended" and
                      ended["attempts"] == len(sent), f"{what}: {ended}")
                check_sent(psap.requests("INVITE"), sent, what)


def test_refusals_then_secondary():
    """A primary that answers 500 to everything: by value, by reference,
    none, all within the failover bound; then the secondary, which starts
    again by value and takes the call."""
    with Workdir() as wd:
        primary = Sipp(wd, scenario_with(wd, "refuse.xml",
                                         "503 Service Unavailable",
                                         "500 Server Internal Error"),
                       "primary")
        secondary = Sipp(wd, "pbx.xml", "secondary")
        eng = failover_engine(wd, primary.port, secondary)
        try:
            ctl = eng.ctl()
            set_location(ctl, RECORD)
            t0 = time.monotonic()
            check(ctl.request("dial", {"number": "911"})["ok"], "dial")
            evs = failovers(ctl, 3)
            took = time.monotonic() - t0
            ctl.wait_event("call.established",
                           pred=lambda e: e["call"]["id"] == evs[-1]["call"])
            check(ctl.request("hangup")["ok"], "hangup")
            ended = ctl.wait_event("emergency.ended")
        finally:
            eng.stop()
            primary.stop()
            secondary.stop()
        got = [(e["route"], e["location"], e["step"]) for e in evs]
        check(got == [("primary", "by-reference", "by-reference"),
                      ("primary", "none", "no-location"),
                      ("secondary", "by-value", "next-route")],
              f"steps {got}")
        # the failover bound is 1 s: the refusals did not stretch it
        check(took < 1.0, f"the secondary after {took:.3f} s")
        check("location none: 500" in evs[-1]["reason"],
              f"reason {evs[-1]['reason']}")
        check(ended["outcome"] == "ended" and ended["attempts"] == 4,
              f"ended {ended}")
        check_sent(primary.requests("INVITE"),
                   ["by-value", "by-reference", "none"], "primary")
        check_sent(secondary.requests("INVITE"), ["by-value"], "secondary")


def plain_callee(wd):
    """Debian's /usr/bin/baresip, nothing of ours, answering every call
    to sip:911@127.0.0.1:<port> itself.  Returns (process, port)."""
    port = free_port()
    conf = os.path.join(wd, "callee")
    os.makedirs(conf)
    with open(os.path.join(conf, "config"), "w") as f:
        f.write(f"sip_listen\t127.0.0.1:{port}\n"
                "module_path\t/usr/lib/baresip/modules\n"
                "audio_player\taubridge,nil\naudio_source\taubridge,nil\n"
                "audio_alert\taubridge,nil\n"
                "module\tg711.so\nmodule\taubridge.so\n"
                "module_tmp\taccount.so\nmodule_app\tmenu.so\n")
    with open(os.path.join(conf, "accounts"), "w") as f:
        f.write("<sip:911@127.0.0.1>;regint=0;answermode=auto\n")
    log = os.path.join(wd, "callee.log")
    with open(log, "w") as out:
        proc = subprocess.Popen([BARESIP, "-f", conf], stdout=out,
                                stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    wait_for(lambda: udp_bound(port) or proc.poll() is not None, 15,
             "the plain baresip to listen")
    check(proc.poll() is None, "plain baresip exited: " + open(log).read())
    return proc, port


def test_plain_baresip_callee():
    """Debian's baresip refuses the multipart INVITE (500 Call Error):
    the 911 call goes again by reference and is established."""
    need(BARESIP)
    with Workdir() as wd:
        proc, port = plain_callee(wd)
        psap = Sipp(wd, "pbx.xml", "unused")  # the engine's account
        admin = f"emergency_route sip:911@127.0.0.1:{port}\n"
        eng = engine(wd, psap, admin=admin)
        try:
            ctl = eng.ctl()
            set_location(ctl, RECORD)
            check(ctl.request("dial", {"number": "911"})["ok"], "dial")
            ev = ctl.wait_event("emergency.failover")
            check(ev["step"] == "by-reference" and "500" in ev["reason"] and
                  ev["location"] == "by-reference", f"failover {ev}")
            ctl.wait_event("call.established", timeout=10)
            check(ctl.request("hangup")["ok"], "hangup")
            ended = ctl.wait_event("emergency.ended")
            check(ended["outcome"] == "ended" and ended["attempts"] == 2,
                  f"ended {ended}")
        finally:
            eng.stop()
            psap.stop()
            stop_process(proc, 10)

if __name__ == "__main__":
    need("sipp")
    sys.exit(run([test_any_refusal_falls_back, test_refusals_then_secondary,
                  test_plain_baresip_callee]))
