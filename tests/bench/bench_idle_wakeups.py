#!/usr/bin/python3
"""Wake-ups of an idle engine: network discovery should add none, since it
waits on rtnetlink and LLDP sockets and arms timers only for pending work.
Three processes run at the same time for WINDOW_S, each in its own network
namespace with one veth up and nothing behind it that speaks LLDP:

- the engine with lldp_tx no,
- plain baresip with the same stock modules and none of ours (its config
  made from the engine's, as bench_rss.py does),
- for information, the engine with lldp_tx yes, which sends one LLDPDU
  every 30 s per wired port (802.1AB's own transmit timer).

strace, attached once each has settled, records their sleeping calls
(epoll_wait, poll, select, nanosleep and relatives); every call that
returns is one wake-up.  A raw socket on the far end of each veth counts
the LLDP frames the process sends meanwhile.  Prints one JSON line;
nothing is asserted about the figures."""

import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (Engine, Failure, Topology, Workdir, check,  # noqa: E402
                    need, need_root, plain_baresip_conf, wait_for)

WINDOW_S = 60  # long enough to hold any 30 s or 60 s timer at least once
BARESIP = os.environ.get("LOCPHONE_BARESIP", "/usr/bin/baresip")
SLEEPS = ("epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll",
          "select", "pselect6", "nanosleep", "clock_nanosleep")
FAST_START = 4  # frames at 1 s after link-up, then every 30 s

# Counts LLDP frames arriving on p0; one line per frame, flushed at once.
LLDP_COUNTER = (
    "import socket, sys, time\n"
    "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, "
    "socket.htons(0x88cc))\n"
    "s.bind(('p0', 0))\n"
    "print('ready', flush=True)\n"
    "while True:\n"
    "    s.recv(2048)\n"
    "    print(time.monotonic(), flush=True)\n")

# A strace line: pid, time, then "name(" for a call, "<... name resumed>"
# for the end of one that another thread's line interrupted.
CALL = re.compile(r"^\d+\s+[\d:.]+\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()")


class Host:
    """A namespace with one veth up, and an LLDP frame counter at the far
    end of the veth."""

    def __init__(self, topo, name, wd):
        self.ns = topo.ns(name)
        far = topo.ns(name + "-far")
        topo.veth(self.ns, "eth0", far, "p0")
        # IPv6 DAD finishes before anything is measured
        for ns, dev in ((self.ns, "eth0"), (far, "p0")):
            wait_for(lambda: subprocess.run(
                ["ip", "-n", ns, "-6", "addr", "show", "dev", dev,
                 "tentative"], capture_output=True, text=True).stdout == "",
                10, f"IPv6 DAD on {dev}")
        self.frames_log = open(os.path.join(wd, f"{name}-frames"), "w+")
        self.counter = subprocess.Popen(
            ["ip", "netns", "exec", far, sys.executable, "-c",
             LLDP_COUNTER], stdout=self.frames_log,
            stderr=subprocess.STDOUT)
        wait_for(lambda: self.frames() is not None, 10,
                 f"the frame counter in {far}")

    def frames(self):
        """Times of the LLDP frames seen so far; None before it is ready."""
        self.frames_log.seek(0)
        lines = self.frames_log.read().split("\n")
        if lines[0] != "ready":
            check(self.counter.poll() is None,
                  "frame counter exited: " + "\n".join(lines))
            return None
        return [float(t) for t in lines[1:] if t]

    def close(self):
        stop(self.counter)
        self.frames_log.close()


def stop(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def plain_baresip(wd, host, engine_rt):
    """baresip alone, with the engine's config minus our modules."""
    conf = os.path.join(wd, "plain")
    plain_baresip_conf(engine_rt, conf)
    log = open(os.path.join(wd, "plain.log"), "w")
    proc = subprocess.Popen(["ip", "netns", "exec", host.ns, BARESIP, "-f",
                             conf], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    log.close()
    wait_for(lambda: "baresip is ready" in open(log.name).read() or
             proc.poll() is not None, 15, "plain baresip to start")
    check(proc.poll() is None, "plain baresip exited: "
          + open(log.name).read()[-2000:])
    return proc


def engine_settled(eng):
    """The engine has its first snapshot, with eth0 up."""
    ctl = eng.ctl(subscribe=False)
    try:
        def eth0_up():
            r = ctl.request("netinfo")["result"]
            return any(i.get("name") == "eth0" and i.get("up")
                       for i in r.get("interfaces", []))
        wait_for(eth0_up, 15, "eth0 in the engine's netinfo")
    finally:
        ctl.close()


def strace_start(wd, name, pid):
    with open(f"/proc/{pid}/comm") as f:
        check(f.read().strip() == "baresip", f"{name}: {pid} is baresip")
    out = os.path.join(wd, f"{name}.strace")
    proc = subprocess.Popen(["strace", "-f", "-tt", "-o", out,
                             "-e", "trace=" + ",".join(SLEEPS),
                             "-p", str(pid)],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # strace writes nothing until a call: wait for it to be attached
    wait_for(lambda: tracer_of(pid) == proc.pid or proc.poll() is not None,
             10, f"strace to attach to {name}")
    check(proc.poll() is None, f"strace on {name} exited")
    return proc, out


def tracer_of(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("TracerPid:"):
                return int(line.split()[1])
    return 0


def wakeups(path):
    """Returned sleeping calls per name, from a strace -f -tt log.  The
    call in progress at the end (detached) has not returned."""
    counts = {}
    with open(path) as f:
        for line in f:
            m = CALL.match(line)
            if not m or "<unfinished ...>" in line or " = " not in line:
                continue
            name = m.group(1) or m.group(2)
            counts[name] = counts.get(name, 0) + 1
    return counts


def measure(wd, topo):
    hosts = {name: Host(topo, name, wd) for name in ("nodisc", "plain",
                                                     "tx")}
    procs = []
    try:
        passive = Engine(os.path.join(wd, "engine-no"), "",
                         netns=hosts["nodisc"].ns, conf="lldp_tx no\n")
        procs.append(passive)
        tx = Engine(os.path.join(wd, "engine-yes"), "",
                    netns=hosts["tx"].ns, conf="lldp_tx yes\n")
        procs.append(tx)
        plain = plain_baresip(wd, hosts["plain"], passive.rt)
        procs.append(plain)
        engine_settled(passive)
        engine_settled(tx)
        # the window starts after the fast start, in the 30 s rhythm
        wait_for(lambda: len(hosts["tx"].frames()) >= FAST_START, 15,
                 "the engine's LLDP-MED fast start")

        pids = {"nodisc": passive.proc.pid, "plain": plain.pid,
                "tx": tx.proc.pid}
        traces = {n: strace_start(wd, n, pid) for n, pid in pids.items()}
        sent_before = {n: len(h.frames()) for n, h in hosts.items()}
        t0 = time.monotonic()
        deadline = t0 + WINDOW_S
        while time.monotonic() < deadline:
            # the window is the measurement: nothing to wait for but time
            time.sleep(deadline - time.monotonic())
        for proc, _ in traces.values():
            stop(proc, signal.SIGINT)
        window = time.monotonic() - t0
        sent = {n: len(h.frames()) - sent_before[n]
                for n, h in hosts.items()}
        counts = {n: wakeups(out) for n, (_, out) in traces.items()}
        for n, pid in pids.items():
            check(tracer_of(pid) == 0, f"strace detached from {n}")
    finally:
        for p in procs:
            if isinstance(p, Engine):
                p.stop()
            else:
                stop(p)
        for h in hosts.values():
            h.close()
    return window, counts, sent


def main():
    need_root()
    need("strace", BARESIP)
    topo = Topology()
    try:
        with Workdir() as wd:
            window, counts, sent = measure(wd, topo)
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        topo.close()

    def per_min(name):
        return round(sum(counts[name].values()) * 60 / window, 2)

    result = {
        "bench": "idle-wakeups",
        "window_s": round(window, 1),
        "locphone_per_min": per_min("nodisc"),
        "baresip_per_min": per_min("plain"),
        "discovery_per_min": round(per_min("nodisc") - per_min("plain"),
                                   2),
        "locphone_calls": counts["nodisc"],
        "baresip_calls": counts["plain"],
        "lldp_frames_sent": sent["nodisc"] + sent["plain"],
        "goal": "discovery adds 0 wake-ups per minute",
        "lldp_tx_informational": {
            "locphone_per_min": per_min("tx"),
            "delta_per_min": round(per_min("tx") - per_min("plain"), 2),
            "lldp_frames_sent": sent["tx"],
            "expected": "one frame every 30 s per wired port",
        },
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
