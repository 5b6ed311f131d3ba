#!/usr/bin/python3
"""The harness's SBC (client/harness/sbc: Debian's kamailio) between the
real engine and the PSAP simulator, once per fault: what the PSAP got
(its checks and their reasons) and what the SBC's record says arrived
and was removed.  Also: an unknown fault is refused, SIGTERM leaves no
kamailio behind."""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lphelp import (SOURCE, Engine, Workdir, check, free_port,  # noqa: E402
                    need, run, scaled, stop_process, wait_for)
from psapsim import PsapSim, kill_left  # noqa: E402
from test_psap_sim import EXPECT, FIXTURE, RECORD, call_911  # noqa: E402

SBC = os.path.join(SOURCE, "client", "harness", "sbc", "locphone-sbc.py")


class Sbc:
    def __init__(self, wd, psap, name, fault):
        self.port = free_port(socket.SOCK_STREAM)
        self.record = os.path.join(wd, f"sbc-{name}.jsonl")
        self.ready = os.path.join(wd, f"sbc-{name}.ready")
        self.out = open(os.path.join(wd, f"sbc-{name}.log"), "w")
        self.workdir = os.path.join(wd, f"sbc-{name}")
        self.proc = subprocess.Popen(
            ["python3", SBC, "--listen", f"127.0.0.1:{self.port}",
             "--forward", f"127.0.0.1:{psap.port}", "--fault", fault,
             "--record", self.record, "--ready-file", self.ready,
             "--workdir", self.workdir],
            stdout=self.out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        # SIGKILL too leaves no kamailio: it dies with the wrapper
        atexit.register(kill_left, self.proc)
        wait_for(lambda: os.path.exists(self.ready)
                 or self.proc.poll() is not None, 30,
                 "the SBC's ready file")
        check(self.proc.poll() is None, f"the SBC exited: {self.log()}")

    def log(self):
        if not self.out.closed:
            self.out.flush()
        return open(self.out.name, errors="replace").read()

    def records(self):
        try:
            with open(self.record) as f:
                return [json.loads(line) for line in f]
        except FileNotFoundError:
            return []

    def kamailio_pids(self):
        pids = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if b"kamailio" in cmd and self.workdir.encode() in cmd:
                pids.append(int(pid))
        return pids

    def stop(self):
        check(self.kamailio_pids(), "kamailio runs under the SBC")
        stop_process(self.proc, scaled(15))
        self.out.close()
        check(self.proc.returncode == 0,
              f"the SBC exit status {self.proc.returncode}; its log ends: "
              f"{self.log()[-1500:]}")
        wait_for(lambda: not self.kamailio_pids(), 10,
                 "kamailio to exit with the SBC")


# fault: (what the SBC removed, the PSAP's failing checks, location
# received, Content-Type received starts with)
FAULTS = {
    "pass": ([], {}, True, "multipart/mixed"),
    "strip-pidf": (["pidf"], {"multipart": "no application/pidf+xml",
                              "content-id": "no PIDF-LO",
                              "geolocation": "names no body part",
                              "schema": "no PIDF-LO",
                              "expected-location": "none came"},
                   False, "multipart/mixed"),
    "strip-geolocation": (["geolocation", "geolocation-routing"],
                          {"geolocation": "no Geolocation header",
                           "geolocation-routing": "no Geolocation-Routing"},
                          True, "multipart/mixed"),
    "sdp-only": (["pidf", "multipart"],
                 {"multipart": "application/sdp, not multipart",
                  "content-id": "no PIDF-LO",
                  "geolocation": "names no body part",
                  "schema": "no PIDF-LO",
                  "expected-location": "none came"},
                 False, "application/sdp"),
}


def test_faults():
    need("kamailio")
    with Workdir() as wd:
        psap = PsapSim(wd, expect=EXPECT)
        try:
            # every fault over UDP, two over TCP (the SBC forwards on
            # the transport the INVITE came on)
            runs = [(f, "udp") for f in FAULTS] + \
                [("pass", "tcp"), ("strip-geolocation", "tcp")]
            for n, (fault, transport) in enumerate(runs, 1):
                removed, failing, received, ctype = FAULTS[fault]
                sbc = Sbc(wd, psap, f"{fault}-{transport}", fault)
                tp = ";transport=tcp" if transport == "tcp" else ""
                eng = Engine(os.path.join(wd, f"{fault}-{transport}"),
                             f"<sip:alice@127.0.0.1:{sbc.port}{tp}>"
                             ";regint=0\n",
                             conf=f"extra_module {FIXTURE}\n")
                try:
                    started = call_911(eng)
                finally:
                    eng.stop()
                    sbc_recs = sbc.records()
                    sbc.stop()
                rec = psap.wait_records(n)[n - 1]
                check(rec["call_id"] == started["call"],
                      f"{fault}: the PSAP's INVITE is the call's")
                check(rec["transport"] == transport,
                      f"{fault}: forwarded over {rec['transport']}")
                check(rec["location_received"] == received,
                      f"{fault}: location_received {rec}")
                check(rec["content_type"].startswith(ctype),
                      f"{fault}: Content-Type {rec['content_type']}")
                got = {c["check"]: c["why"] for c in rec["checks"]
                       if not c["ok"]}
                check(set(got) == set(failing),
                      f"{fault}: failing checks {got}, want {failing}")
                for name, words in failing.items():
                    check(words in got[name],
                          f"{fault}: {name}: {got[name]!r} says {words!r}")
                check(rec["ok"] == (not failing), f"{fault}: ok")
                if received:
                    check(rec["pidf"] == started["pidf"],
                          f"{fault}: the PIDF-LO as sent")
                    check(rec["location"]["civic"] == RECORD["civic"],
                          f"{fault}: civic {rec['location']}")
                check(len(sbc_recs) == 1, f"{fault}: SBC records {sbc_recs}")
                s = sbc_recs[0]
                check(s["call_id"] == started["call"] and
                      s["fault"] == fault, f"{fault}: SBC record {s}")
                check(s["arrived"]["location"] and
                      s["arrived"]["geolocation"] and
                      s["arrived"]["content_type"].startswith(
                          "multipart/mixed"),
                      f"{fault}: the location arrived at the SBC: {s}")
                check(s["removed"] == removed,
                      f"{fault}: removed {s['removed']}, want {removed}")
        finally:
            psap.stop()


def test_refused():
    need("kamailio")
    r = subprocess.run(["python3", SBC, "--listen", "127.0.0.1:5999",
                        "--forward", "127.0.0.1:5998", "--fault", "eat"],
                       capture_output=True, text=True, timeout=scaled(30))
    check(r.returncode == 2 and "invalid choice" in r.stderr,
          f"an unknown fault: {r.returncode} {r.stderr}")
    r = subprocess.run(["python3", SBC, "--listen", "localhost",
                        "--forward", "127.0.0.1:5998", "--fault", "pass"],
                       capture_output=True, text=True, timeout=scaled(30))
    check(r.returncode == 2 and "IPV4:PORT" in r.stderr,
          f"a bad address: {r.returncode} {r.stderr}")


def parent_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return int(stat[stat.rfind(")") + 2:].split()[1])


def test_hung_child_killed():
    """A kamailio child that does not stop (frozen with SIGSTOP) does not
    hold the SBC: it exits 0 within its grace, says what it killed, and no
    kamailio is left."""
    need("kamailio")
    with Workdir() as wd:
        psap = PsapSim(wd, expect=EXPECT)
        try:
            sbc = Sbc(wd, psap, "hung", "pass")
            pids = sbc.kamailio_pids()
            # kamailio's own children, not its main process (ours)
            children = [p for p in pids if parent_of(p) != sbc.proc.pid]
            check(children, f"kamailio has children: {pids}")
            os.kill(children[-1], signal.SIGSTOP)
            sbc.stop()
            check("kamailio did not stop within" in sbc.log() and
                  str(children[-1]) in sbc.log(),
                  f"the SBC says what it killed: {sbc.log()[-1500:]}")
        finally:
            psap.stop()


if __name__ == "__main__":
    sys.exit(run([test_faults, test_refused, test_hung_child_killed]))
