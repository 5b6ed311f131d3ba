"""Shared pieces of the integration tests: the real engine (locphoned with
/usr/bin/baresip), sipp peers, the LIS simulator, a control-socket client,
and waiting for events with deadlines instead of sleeps."""

import os
import select
import shutil
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "client", "harness"))
# The process and namespace helpers are the harness's (client/harness).
from locphone_harness.procs import (  # noqa: E402,F401
    BUILD, LIS_SIM, LOCPHONECTL, LOCPHONED, SCENARIOS, SOURCE, TIME_FACTOR,
    Ctl, Engine, Failure, LisSim, Sipp, Switch, Topology, check, free_port,
    make_test_ca, scaled, sh, stop_process, tcp_listening, udp_bound,
    wait_for)

SKIP = 77


def skip_missing(missing):
    """Nothing to do if missing is empty; else skip (exit 77) on a
    developer machine and fail under CI=true, where the test command
    (packaging/install-deps) installs everything."""
    if not missing:
        return
    msg = "missing " + ", ".join(missing)
    if os.environ.get("CI") == "true":
        print(f"FAIL: {msg} in CI (packaging/install-deps installs it)")
        sys.exit(1)
    print(f"SKIP: {msg}")
    sys.exit(SKIP)


def need(*programs):
    """Skip (exit 77) when a program is missing, except in CI."""
    skip_missing([p for p in programs if not shutil.which(p)])


def need_root():
    """Skip without root on a developer desktop; CI runs as root."""
    if os.geteuid() == 0:
        return
    if os.environ.get("CI") == "true":
        print("FAIL: this test needs root and CI=true")
        sys.exit(1)
    print("SKIP: needs root (network namespaces)")
    sys.exit(SKIP)


def planted_sleep():
    """A slow-down planted through the environment (LOCPHONE_PLANT_SLEEP_MS)
    inside what a timing test measures: proves the test fails with its
    figure instead of running into meson's time-out."""
    ms = int(os.environ.get("LOCPHONE_PLANT_SLEEP_MS", "0") or 0)
    if ms > 0:
        time.sleep(ms / 1000)  # the planted slow-down itself


class Stopwatch:
    """Measures one operation whose speed a test checks (with the planted
    slow-down, if any, inside)."""

    def __init__(self):
        self.t0 = time.monotonic()
        planted_sleep()

    def took(self):
        return time.monotonic() - self.t0

    def check_within(self, limit, what, at_least=0.0):
        """Fail unless at_least <= took < scaled(limit), saying the figure.
        at_least is a floor set by a timer, never scaled."""
        took = self.took()
        bound = scaled(limit)
        floor = f"at least {at_least:g} s and " if at_least else ""
        check(at_least <= took < bound,
              f"{what}: took {took:.3f} s, want {floor}under {bound:.3f} s "
              f"({limit:g} s x time factor {TIME_FACTOR:g}; "
              "LOCPHONE_TIME_FACTOR for a slow machine)")
        return took


# locphone's own baresip modules (client/engine/launcher.c own_modules)
OWN_MODULES = ("ctrl.so", "location.so", "e911.so")


def plain_baresip_conf(engine_rt, dest, accounts=""):
    """A config dir dest for baresip alone: the engine's generated config
    (engine_rt is its runtime dir) without locphone's modules and
    settings, and an accounts file holding accounts.  The baseline of the
    benchmarks."""
    os.makedirs(dest)
    with open(os.path.join(engine_rt, "baresip", "config")) as f:
        lines = [ln for ln in f
                 if not ln.startswith("locphone_") and not
                 (ln.startswith("module_app") and
                  ln.split()[-1] in OWN_MODULES)]
    with open(os.path.join(dest, "config"), "w") as f:
        f.writelines(lines)
    with open(os.path.join(dest, "accounts"), "w") as f:
        f.write(accounts)


# RFC 4733 §3.2: the event codes of the DTMF digits
DTMF_EVENT = {**{str(d): d for d in range(10)}, "*": 10, "#": 11,
         "A": 12, "B": 13, "C": 14, "D": 15}
TELEPHONE_EVENT_PT = 101  # as scenarios/pbx_dtmf.xml's answer maps it


class RtpSink:
    """The far end's audio port: reads the RTP the phone sends."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.payload_types = set()

    def events(self, want, timeout):
        """The digits of the telephone-events received, in order, each
        once (RFC 4733 §2.5.1: the packets of one event share its RTP
        timestamp; the end packets are sent three times), until want of
        them have ended or timeout passes."""
        ended, seen = [], set()
        deadline = time.monotonic() + timeout
        while len(ended) < want:
            left = deadline - time.monotonic()
            check(left > 0, f"{want} telephone-events within {timeout}s: "
                  f"ended {ended}, payload types {self.payload_types}")
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                continue
            pkt = self.sock.recv(2048)
            check(len(pkt) >= 12 and pkt[0] >> 6 == 2,
                  f"an RTP packet: {pkt[:16].hex()}")
            pt = pkt[1] & 0x7f
            self.payload_types.add(pt)
            if pt != TELEPHONE_EVENT_PT:
                continue
            ts = struct.unpack("!I", pkt[4:8])[0]
            check(len(pkt) >= 16, f"a telephone-event payload: {pkt.hex()}")
            event, flags, duration = struct.unpack("!BBH", pkt[12:16])
            if flags & 0x80 and ts not in seen:
                seen.add(ts)
                check(duration > 0, f"event {event} has a duration")
                ended.append(event)
        return ended

    def close(self):
        self.sock.close()



class Workdir:
    """A temp dir that is kept (and named) when the test fails."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="locphone-it-")
        return self.path

    def __exit__(self, typ, value, tb):
        if typ is None:
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            print(f"kept {self.path} for inspection")
            for name in ("engine.log",):
                p = os.path.join(self.path, name)
                if os.path.exists(p):
                    print(f"--- {name} (tail)")
                    print(open(p, errors="replace").read()[-3000:])
        return False


def run(tests):
    """Run test functions in order; print a summary line."""
    failed = 0
    for t in tests:
        try:
            t()
            print(f"ok - {t.__name__}")
        except Failure as e:
            failed += 1
            print(f"FAIL - {t.__name__}: {e}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


def scenario_variant(wd, name, *changes):
    """A copy in wd of scenario name with each (old, new) of changes
    replaced (sipp checks a response code before it would substitute a
    -key value, so a scenario answering otherwise is a copy); each old
    must be there.  Returns its path."""
    with open(os.path.join(SCENARIOS, name)) as f:
        text = f.read()
    for old, new in changes:
        check(old in text, f"{name} has {old!r}")
        text = text.replace(old, new)
    stem = "-".join(new.split()[0] for _, new in changes if new.split())
    path = os.path.join(wd, f"{stem or 'copy'}-{name}")
    n = 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(wd, f"{stem or 'copy'}{n}-{name}")
    with open(path, "w") as f:
        f.write(text)
    return path


def site_switch(topo, nets):
    """A phone namespace whose eth0 goes to a switch namespace's sw0, and
    on sw0 the gateway 10.N.0.1/24 of each subnet N in nets (the network
    sites' tests and bench).  Returns (phone, switch)."""
    phone = topo.ns("phone")
    switch = topo.ns("switch")
    topo.veth(phone, "eth0", switch, "sw0")
    for net in nets:
        sh("ip", "addr", "add", f"10.{net}.0.1/24", "dev", "sw0", ns=switch)
    return phone, switch


def exit_with(main):
    """A test or bench program's last words: exit with main()'s status; a
    Failure that escapes it is printed as FAIL and exits 1."""
    try:
        sys.exit(main())
    except Failure as e:
        print(f"FAIL: {e}")
        sys.exit(1)


def office_lis(wd, netns, addr, subnet, room, extra=()):
    """An office's LIS: a test CA, the wiremap site.csv putting subnet at
    1 Microsoft Way, Redmond, WA, US, floor 3, the given room, and the LIS
    simulator serving it over HTTPS at addr in netns with a certificate
    of that CA (extra: more simulator options).  Returns (CA file,
    LisSim)."""
    ca, cert = make_test_ca(wd, ip=addr)
    wiremap = os.path.join(wd, "site.csv")
    with open(wiremap, "w") as f:
        f.write("kind,key,country,A1,A3,RD,STS,HNO,FLR,ROOM\n"
                f"subnet,{subnet},US,WA,Redmond,Microsoft,Way,1,3,{room}\n")
    return ca, LisSim(wd, wiremap, "lis", cert=cert, netns=netns, addr=addr,
                      extra=extra)
