#!/usr/bin/python3
"""locphonectl testcall against the PSAP simulator: the policy's test
number by default, what was sent equal to what was received (human and
--json), 911 too; exit 1 when the far end refuses (603), when an SBC
strips the PIDF-LO (the mismatch named), and for a number that is not an
emergency or test number."""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lphelp import Engine, Sipp, Stopwatch, Workdir, check, run  # noqa: E402
from psapsim import PsapSim  # noqa: E402
from test_psap_sim import EXPECT, FIXTURE, RECORD  # noqa: E402

CONF = f"extra_module {FIXTURE}\ntest_dial_strings 933\n"


def engine(wd, port):
    eng = Engine(wd, f"<sip:alice@127.0.0.1:{port}>;regint=0\n", conf=CONF)
    ctl = eng.ctl()
    r = ctl.request("test.location", RECORD)
    check(r["ok"], f"test.location: {r}")
    ctl.close()
    return eng


def test_matches():
    with Workdir() as wd:
        psap = PsapSim(wd, expect=EXPECT)
        eng = engine(wd, psap.port)
        try:
            rc, out, err = eng.cli("testcall", "--psap-record", psap.record,
                                   timeout=60)
            print(out)
            check(rc == 0, f"testcall: exit {rc}: {out} {err}")
            rec = psap.records()[-1]
            check(rec["request_uri"].startswith("sip:933@"),
                  f"the policy's test number was called: {rec}")
            check(f"INVITE {rec['request_uri']} SIP/2.0" in out,
                  f"the Request-URI printed: {out}")
            check(rec["pidf"].strip().splitlines()[1] in out,
                  "the PIDF-LO printed")
            check("outcome: answered" in out and
                  "sent and received match" in out and
                  "MISMATCH" not in out, f"outcome and match: {out}")
            check("ok   priority" in out and "test call to 933" in out,
                  f"the PSAP's checks printed: {out}")

            rc, out, err = eng.cli("--json", "testcall", "911",
                                   "--psap-record", psap.record, timeout=60)
            check(rc == 0, f"testcall 911: exit {rc}: {out} {err}")
            j = json.loads(out)
            check(j["number"] == "911" and j["answered"] and
                  j["outcome"] == "answered" and j["match"] is True and
                  j["mismatches"] == [], f"--json: {out[:600]}")
            check(j["sent"]["pidf"] == j["received"]["pidf"] ==
                  psap.records()[-1]["pidf"], "sent == received PIDF-LO")
            check(j["received"]["call_id"] == j["sent"]["call"],
                  "the record of this call")
            check(j["received"]["ok"], f"the PSAP's checks: "
                  f"{j['received']['checks']}")

            # without a record: the outcome alone
            rc, out, err = eng.cli("testcall", timeout=60)
            check(rc == 0 and "received by the PSAP" not in out,
                  f"no record: {rc} {out}")

            # not an emergency number: refused, nothing on the route
            n = len(psap.records())
            rc, out, err = eng.cli("testcall", "5551234", timeout=60)
            check(rc == 1 and "not an emergency or test number" in err,
                  f"5551234: {rc} {err}")
            check(len(psap.records()) == n, "no call was placed")
            rc, out, err = eng.cli("testcall", "--timeout", "0")
            check(rc == 64, f"--timeout 0: {rc} {err}")
        finally:
            eng.stop()
            psap.stop()


def test_refused():
    with Workdir() as wd:
        psap = PsapSim(wd, answer=603)
        eng = engine(wd, psap.port)
        try:
            rc, out, err = eng.cli("--json", "testcall", "--psap-record",
                                   psap.record, timeout=60)
            check(rc == 1, f"603: exit {rc}: {out} {err}")
            j = json.loads(out)
            check(not j["answered"] and j["outcome"] == "declined",
                  f"declined: {j['outcome']} {j.get('reason')}")
            check(j["match"] is True, "what it received is what was sent")
            rc, out, err = eng.cli("testcall", timeout=60)
            check(rc == 1 and "outcome: declined" in out, f"{rc} {out}")
        finally:
            eng.stop()
            psap.stop()


def test_no_answer():
    """A route that never answers (sipp, silent): hung up at --timeout,
    exit 1."""
    with Workdir() as wd:
        silent = Sipp(wd, "silent.xml", "silent")
        eng = Engine(wd, f"<sip:alice@127.0.0.1:{silent.port}>;regint=0\n",
                     conf=CONF + "failover_timeout_ms 32000\n")
        try:
            ctl = eng.ctl()
            check(ctl.request("test.location", RECORD)["ok"], "location")
            ctl.close()
            watch = Stopwatch()
            rc, out, err = eng.cli("testcall", "--timeout", "2", timeout=60)
            check(rc == 1 and "outcome: no answer within 2 s" in out,
                  f"no answer: {rc} {out} {err}")
            watch.check_within(15, "testcall hangs up at its --timeout",
                               at_least=2.0)
        finally:
            eng.stop()
            silent.stop()


def test_stripped_by_sbc():
    if not shutil.which("kamailio"):
        check(os.environ.get("CI") != "true",
              "kamailio is missing in CI (packaging/install-deps)")
        print("SKIP part: no kamailio")
        return
    from test_sbc import Sbc
    with Workdir() as wd:
        psap = PsapSim(wd, expect=EXPECT)
        sbc = Sbc(wd, psap, "strip-pidf", "strip-pidf")
        eng = engine(wd, sbc.port)
        try:
            rc, out, err = eng.cli("testcall", "--psap-record", psap.record,
                                   timeout=60)
            check(rc == 1, f"stripped: exit {rc}: {out} {err}")
            check("outcome: answered" in out and
                  "MISMATCH: a PIDF-LO of" in out and
                  "none received" in out and
                  "sent and received DIFFER" in out and
                  "location NOT received" in out, f"the mismatch: {out}")
        finally:
            eng.stop()
            sbc.stop()
            psap.stop()


if __name__ == "__main__":
    sys.exit(run([test_matches, test_refused, test_no_answer,
                  test_stripped_by_sbc]))
