#!/usr/bin/python3
"""locphone-harness at scale, against plain baresip in the same run:
scenarios per minute with the shipped site; one site of N phones (one
switch port each, all placing 911 at once): the time to the last report
line and the resident memory per phone (each phone's processes in its
namespace, at their peak during the run), against N plain baresip
processes (the engine's stock modules, no locphone) started together.
N from LOCPHONE_BENCH_PHONES (default 10).  Prints one JSON line."""

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from lphelp import (BUILD, Engine, Workdir, need_root,  # noqa: E402
                    plain_baresip_conf, wait_for)

HARNESS = os.path.join(BUILD, "client", "harness", "locphone_harness",
                       "locphone-harness")
BARESIP = os.environ.get("LOCPHONE_BARESIP", "/usr/bin/baresip")
N = int(os.environ.get("LOCPHONE_BENCH_PHONES", "10"))

SITE = """version: 1
site: bench {n} phones
subnets:
  - name: office
    cidr: 10.78.0.0/22
switches:
  - name: sw1
    subnet: office
    ports:
      - name: p1
        civic: {{country: US, A1: WA, A3: Redmond, FLR: "3"}}
        lis_civic: {{country: US, A1: WA, A3: Redmond, FLR: "3", ROOM: "3105"}}
lis:
  simulator: true
call_path:
  psap: {{}}
phones:
  - name: crowd
    port: sw1/p1
    count: {n}
scenarios:
  - name: all-at-once
    phone: crowd
    expect:
      civic: {{ROOM: "3105"}}
"""


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def phone_rss(harness_pid):
    """Total RSS of the processes in the run's phone namespaces."""
    out = subprocess.run(["ip", "netns", "list"], capture_output=True,
                         text=True).stdout
    total, phones = 0, 0
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        if not re.fullmatch(rf"lph-{harness_pid}-crowd\d+", name):
            continue
        pids = subprocess.run(["ip", "netns", "pids", name],
                              capture_output=True, text=True).stdout.split()
        phones += 1
        total += sum(rss_kib(p) for p in pids)
    return total, phones


def run_harness(args, sample=False):
    t0 = time.monotonic()
    p = subprocess.Popen([HARNESS, *args], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True,
                         stdin=subprocess.DEVNULL)
    peak = {"kib": 0, "phones": 0}
    done = threading.Event()

    def sampler():
        while not done.is_set():
            kib, phones = phone_rss(p.pid)
            if phones == N and kib > peak["kib"]:
                peak.update(kib=kib, phones=phones)
            done.wait(0.2)
    th = threading.Thread(target=sampler)
    if sample:
        th.start()
    out, _ = p.communicate(timeout=900)
    elapsed = time.monotonic() - t0
    done.set()
    if sample:
        th.join()
    return p.returncode, out, elapsed, peak


def plain_many(wd, n):
    """n plain baresip processes started together: their RSS each, the
    time until all are ready."""
    eng = Engine(os.path.join(wd, "e"), "<sip:alice@127.0.0.1:9>;regint=0\n")
    try:
        eng.ctl().request("status")
    finally:
        eng.stop()
    procs, logs = [], []
    t0 = time.monotonic()
    for i in range(n):
        conf = os.path.join(wd, f"plain{i}")
        plain_baresip_conf(eng.rt, conf, "<sip:alice@127.0.0.1:9>;regint=0\n")
        path = os.path.join(conf, "config")
        text = re.sub(r"(?m)^sip_listen.*$",
                      f"sip_listen 127.0.0.1:{26000 + 4 * i}", open(path).read())
        open(path, "w").write(text)
        log = open(os.path.join(wd, f"plain{i}.log"), "w")
        logs.append(log)
        procs.append(subprocess.Popen([BARESIP, "-f", conf], stdout=log,
                                      stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL))
    try:
        for log in logs:
            wait_for(lambda: "baresip is ready" in open(log.name).read(), 60,
                     "plain baresip to start")
        ready = time.monotonic() - t0
        return [rss_kib(p.pid) for p in procs], ready
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        for log in logs:
            log.close()


def main():
    need_root()
    rc, out, elapsed, _ = run_harness([])
    passed = re.search(r"^(\d+) passed, (\d+) failed", out, re.M)
    check_ok = rc == 0 and passed
    n_scen = int(passed.group(1)) + int(passed.group(2)) if passed else 0
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "bench.yaml")
        open(site, "w").write(SITE.format(n=N))
        rc2, out2, elapsed2, peak = run_harness([site], sample=True)
    with Workdir() as wd:
        plain, plain_ready = plain_many(wd, N)
    per_phone = peak["kib"] / N if peak["phones"] else None
    plain_each = sum(plain) / len(plain)
    print(json.dumps({
        "bench": "harness",
        "shipped_site_ok": bool(check_ok),
        "shipped_scenarios": n_scen,
        "shipped_seconds": round(elapsed, 1),
        "scenarios_per_minute": round(n_scen / elapsed * 60, 1)
        if elapsed else None,
        "phones": N,
        "site_ok": rc2 == 0,
        "site_seconds_to_last_line": round(elapsed2, 1),
        "rss_per_phone_kib": round(per_phone) if per_phone else None,
        "plain_baresip_rss_kib": round(plain_each),
        "plain_baresip_all_ready_seconds": round(plain_ready, 2),
        "rss_ratio": round(per_phone / plain_each, 2) if per_phone else None,
    }))
    if not check_ok or rc2 != 0:
        print(out[-3000:] + out2[-3000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
