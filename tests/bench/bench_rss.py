#!/usr/bin/python3
"""Resident memory of the engine (baresip + locphone's modules + the
libsipbody preload) against plain baresip with the same stock modules,
started alternately in the same run.  Prints one JSON line; the goal
(at most +3 MB) is reported, not asserted."""

import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (Engine, Workdir, plain_baresip_conf,  # noqa: E402
                    wait_for)

ROUNDS = 5
BARESIP = os.environ.get("LOCPHONE_BARESIP", "/usr/bin/baresip")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def engine_rss(wd):
    eng = Engine(wd, "<sip:alice@127.0.0.1:9>;regint=0\n")
    try:
        eng.ctl().request("status")
        return rss_kib(eng.proc.pid), eng.rt
    finally:
        eng.stop()


def plain_rss(wd, engine_rt):
    """baresip alone, with the engine's config minus our modules."""
    conf = os.path.join(wd, "plain")
    plain_baresip_conf(engine_rt, conf, "<sip:alice@127.0.0.1:9>;regint=0\n")
    log = open(os.path.join(wd, "plain.log"), "w")
    proc = subprocess.Popen([BARESIP, "-f", conf], stdout=log,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        wait_for(lambda: "baresip is ready" in
                 open(log.name).read(), 15, "plain baresip to start")
        return rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def main():
    ours, plain = [], []
    for _ in range(ROUNDS):
        with Workdir() as wd:
            rss, rt = engine_rss(os.path.join(wd, "e"))
            ours.append(rss)
            plain.append(plain_rss(wd, rt))
    mo, mp = statistics.median(ours), statistics.median(plain)
    print(json.dumps({
        "bench": "engine-rss",
        "rounds": ROUNDS,
        "locphone_rss_kib": mo,
        "baresip_rss_kib": mp,
        "delta_mib": round((mo - mp) / 1024, 2),
        "ratio": round(mo / mp, 3),
        "goal": "delta <= 3 MiB",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
