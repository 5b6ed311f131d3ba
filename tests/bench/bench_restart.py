#!/usr/bin/python3
"""SIGTERM to a new engine placing 911 (issue 11 item 5): the old engine
is stopped while a new one is started at once on the same runtime dir,
which dials 911 as soon as it answers; the time runs from the SIGTERM to
the INVITE in the PSAP's sipp trace (its receive time, to the
microsecond).  Rounds alternate between a registrar that answers and one
that is black-holed (test_restart.py's link to a MAC nobody has), in one
run.  Needs root (namespaces).  Prints one JSON line; the goal (the
black-holed case within 2 s more than the answering one) is reported,
not asserted."""

import json
import os
import signal
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (Engine, Sipp, Topology, Workdir,  # noqa: E402
                    check, need, need_root, wait_for)
from bench_e911 import received_invites  # noqa: E402
from test_restart import PSAP, REGISTRAR, black_holed_net, conf  # noqa

ROUNDS = 4  # of each kind
REGISTRAR_UP = "127.0.0.3"


def main():
    need_root()
    need("sipp")
    topo = Topology()
    figures = {"up": [], "black-holed": []}
    try:
        phone = black_holed_net(topo)
        with Workdir() as wd:
            psap = Sipp(wd, "pbx.xml", "psap", netns=phone, addr=PSAP)
            reg = Sipp(wd, "registrar.xml", "registrar", netns=phone,
                       addr=REGISTRAR_UP)
            accounts = {
                "up": f"<sip:alice@{REGISTRAR_UP}>;regint=600\n",
                "black-holed": f"<sip:alice@{REGISTRAR}>;regint=600\n"}
            kinds = ["up", "black-holed"] * ROUNDS
            rt = None
            eng = None
            try:
                for i, kind in enumerate(kinds + [None]):
                    d = os.path.join(wd, f"e{i}")
                    os.makedirs(d)
                    # the engine to be stopped registers as this round says
                    acc = accounts[kind] if kind else accounts["up"]
                    old, t0 = eng, None
                    if old:
                        t0 = time.time()
                        old.proc.send_signal(signal.SIGTERM)
                    eng = Engine(d, acc, conf=conf(wd, psap), netns=phone,
                                 runtime_dir=rt)
                    rt = eng.rt
                    if old:
                        r = eng.ctl(subscribe=False).request(
                            "dial", {"number": "911"})
                        check(r["ok"], f"dial 911: {r}")
                        old.proc.wait(30)
                        old.stop()
                        cid = r["result"]["call"]["id"]
                        deadline = time.monotonic() + 10
                        while time.monotonic() < deadline:
                            wire, _ = received_invites(psap.log)
                            if cid in wire:
                                break
                            time.sleep(0.05)
                        check(cid in wire, "the INVITE reached the PSAP")
                        figures[prev].append(wire[cid] - t0)
                        eng.ctl(subscribe=False).request("hangup")
                    prev = kind
                    if kind == "up":
                        # stopped registered: it has something to undo
                        ctl = eng.ctl(subscribe=False)
                        wait_for(lambda: ctl.request("status")["result"]
                                 ["accounts"][0]["registration"] ==
                                 "registered", 10, "the registration")
                        ctl.close()
            finally:
                if eng:
                    eng.stop()
                psap.stop()
                reg.stop()
    finally:
        topo.close()

    out = {"bench": "sigterm-to-911-invite", "rounds": ROUNDS, "unit": "s"}
    for kind, v in figures.items():
        out[kind] = {"median": round(statistics.median(v), 3),
                     "max": round(max(v), 3),
                     "all": [round(x, 3) for x in v]}
    out["black_holed_minus_up"] = round(
        out["black-holed"]["median"] - out["up"]["median"], 3)
    out["goal_within_2s"] = out["black-holed"]["max"] <= 2.0
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
