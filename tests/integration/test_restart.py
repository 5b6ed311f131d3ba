#!/usr/bin/python3
"""911 never waits for a restart (issue 11 item 5).  The registrar is
black-holed: it sits on a link whose next hop is a MAC address no host
has, so the REGISTER and un-REGISTER vanish without an answer or an ICMP
error.  The phone still places 911 unregistered; on SIGTERM it says
"stopping", exits within the bound, and a new engine started at that
moment on the same runtime dir places 911 at once; a locphonectl dial
refused with "stopping" goes out on the new engine."""

import os
import signal
import subprocess
import time

from lphelp import (LOCPHONECTL, Engine, Sipp, Topology, Workdir, check,
                    need, need_root, run, scaled, sh, wait_for)

REGISTRAR = "10.99.0.1"  # on-link, behind a MAC address nobody has
PSAP = "127.0.0.2"
# the engine's own bound is about 1.5 s; a sanitizer build tears down
# slower, and the machine may be busy: lphelp's time factor
EXIT_BOUND = scaled(2.0)


def black_holed_net(topo):
    """The phone's namespace: loopback for the PSAP, and eth0 towards an
    empty namespace; REGISTRAR's neighbour entry names a MAC that is
    nowhere, so frames to it are dropped by the receiving side's NIC
    filter, silently."""
    phone = topo.ns("phone")
    void = topo.ns("void")
    topo.veth(phone, "eth0", void, "eth0")
    sh("ip", "addr", "add", "10.99.0.2/24", "dev", "eth0", ns=phone)
    sh("ip", "neigh", "replace", REGISTRAR, "lladdr", "02:00:5e:99:99:99",
       "dev", "eth0", "nud", "permanent", ns=phone)
    return phone


def conf(wd, psap):
    path = os.path.join(wd, "policy.conf")
    with open(path, "w") as f:
        f.write(f"emergency_route sip:911@{PSAP}:{psap.port}\n")
    return f"policy_file {path}\n"


def status(ctl):
    r = ctl.request("status")
    check(r["ok"], f"status: {r}")
    return r["result"]


def invites(psap):
    return len(psap.requests("INVITE"))


def test_black_holed_registrar():
    topo = Topology()
    try:
        phone = black_holed_net(topo)
        with Workdir() as wd:
            psap = Sipp(wd, "pbx.xml", "psap", netns=phone, addr=PSAP)
            account = f"<sip:alice@{REGISTRAR}>;regint=600\n"
            d1 = os.path.join(wd, "first")
            d2 = os.path.join(wd, "second")
            os.makedirs(d1)
            os.makedirs(d2)
            eng = Engine(d1, account, conf=conf(wd, psap), netns=phone)
            eng2 = None
            try:
                ctl = eng.ctl()
                accounts = status(ctl)["accounts"]
                check(len(accounts) == 1 and
                      accounts[0]["registration"] != "registered",
                      f"the account is not registered: {accounts}")
                # unregistered: the account's identity is enough for 911
                r = ctl.request("dial", {"number": "911"})
                check(r["ok"], f"dial 911 unregistered: {r}")
                ctl.wait_event("call.established", timeout=20)
                check(invites(psap) == 1, "the PSAP got the INVITE")
                check(ctl.request("hangup")["ok"], "hangup")
                ctl.wait_event("call.closed", timeout=10)
                check(status(ctl)["state"] == "running", "state running")

                t0 = time.monotonic()
                eng.proc.send_signal(signal.SIGTERM)
                ev = ctl.wait_event("engine.stopping", timeout=5)
                check(ev["unregister_ms"] > 0, f"engine.stopping {ev}")
                st = status(ctl)
                check(st["state"] == "stopping" and not st["accounts"],
                      f"status while stopping: {st}")
                rc, out, _ = eng.cli("status")
                check("stopping" in out and "no accounts" not in out,
                      f"locphonectl status while stopping: {out!r}")
                r = ctl.request("dial", {"number": "911"})
                check(not r["ok"] and "stopping" in r["error"],
                      f"dial while stopping: {r}")

                # locphonectl's dial waits for the engine replacing it
                cli = subprocess.Popen(
                    [LOCPHONECTL, "--socket", eng.socket, "dial", "911"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    text=True)
                # the next engine, started now on the same runtime dir
                eng2 = Engine(d2, account, conf=conf(wd, psap),
                              netns=phone, runtime_dir=eng.rt)
                t_ready = time.monotonic() - t0
                eng.proc.wait(30)
                t_exit = time.monotonic() - t0
                check(t_exit <= EXIT_BOUND,
                      f"the engine took {t_exit:.2f}s to exit on SIGTERM "
                      f"(bound {EXIT_BOUND}s)")
                check(eng.proc.returncode == 0,
                      f"exit status {eng.proc.returncode}")
                ctl2 = eng2.ctl()
                wait_for(lambda: invites(psap) > 1, 15,
                         "the PSAP to receive the new engine's INVITE")
                t_invite = time.monotonic() - t0
                out, err = cli.communicate(timeout=20)
                check(cli.returncode == 0 and "replaces it" in err,
                      f"locphonectl dial 911 during the restart: "
                      f"{cli.returncode} {out!r} {err!r}")
                print(f"# SIGTERM -> old engine gone {t_exit:.2f}s, new "
                      f"engine ready {t_ready:.2f}s, its 911 INVITE at the "
                      f"PSAP {t_invite:.2f}s")
                # the redial may come before ctl2 subscribed: ask
                wait_for(lambda: [c for c in ctl2.request("calls")["result"]
                                  ["calls"] if c["state"] == "established"],
                         20, "the new engine's 911 call to be answered")
                check(ctl2.request("hangup")["ok"], "hangup")
                log = open(eng.log.name, errors="replace").read()
                check("closing them" in log,
                      "the old engine's log says it closed the open "
                      "transactions")
            finally:
                eng.stop()
                if eng2:
                    eng2.stop()
                psap.stop()
    finally:
        topo.close()


def test_no_replacement():
    """locphonectl dial 911 refused by a stopping engine that no engine
    replaces: after its wait it says so (not the stopping engine's "dial
    on the engine that replaces it") and exits 2, the unreachable
    status."""
    topo = Topology()
    try:
        phone = black_holed_net(topo)
        with Workdir() as wd:
            psap = Sipp(wd, "pbx.xml", "psap", netns=phone, addr=PSAP)
            eng = Engine(wd, f"<sip:alice@{REGISTRAR}>;regint=600\n",
                         conf=conf(wd, psap), netns=phone)
            try:
                ctl = eng.ctl()
                eng.proc.send_signal(signal.SIGTERM)
                ctl.wait_event("engine.stopping", timeout=5)
                t0 = time.monotonic()
                rc, out, err = eng.cli("dial", "911", timeout=60)
                took = time.monotonic() - t0
                eng.proc.wait(30)
            finally:
                eng.stop()
                psap.stop()
            print(f"# locphonectl gave up after {took:.1f}s: {err.strip()}")
            check(rc == 2, f"locphonectl exit status {rc}: {out!r} {err!r}")
            check("replaces it" in err and
                  "no engine replaced it within 10 s" in err and
                  "start locphoned and dial again" in err,
                  f"locphonectl says why: {err!r}")
            check(10 <= took < 10 + scaled(10),
                  f"locphonectl waited {took:.1f}s for a new engine")
            check(not psap.requests("INVITE"), "no INVITE was sent")
    finally:
        topo.close()


if __name__ == "__main__":
    need_root()
    need("sipp")
    raise SystemExit(run([test_black_holed_registrar, test_no_replacement]))
