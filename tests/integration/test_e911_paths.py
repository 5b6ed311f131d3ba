#!/usr/bin/python3
"""The paths a 911 call can take (issue 11 items 2 and 6), in network
namespaces with a packet capture on the phone's interface: an INVITE over
1300 bytes goes over TCP and no IP fragment leaves the phone; a route
pinned to UDP is said at start and gets the location by reference; with
no emergency route and a dead registrar, the ICMP port unreachable fails
the call at once, and the engine warned at start that 911 had no path."""

import os
import signal
import subprocess
import sys
import time

from lphelp import (BUILD, SCENARIOS, Engine, Sipp, Topology, Workdir, check,
                    need, need_root, run, sh, wait_for)
import psapcheck
from test_e911 import RECORD, set_location

FIXTURE = os.path.join(BUILD, "tests", "integration", "location_fixture.so")
PHONE_IP, FAR_IP = "10.79.0.2", "10.79.0.1"
FRAGMENTS = "ip.flags.mf == 1 || ip.frag_offset > 0"
# the sanitizer build runs baresip with ASan preloaded: slower, not wrong
SLOW = 3.0 if os.environ.get("LOCPHONE_PRELOAD") else 1.0


class Net:
    """The phone's namespace and the far side's, one veth between."""

    def __enter__(self):
        self.topo = Topology()
        try:
            self.phone = self.topo.ns("phone")
            self.far = self.topo.ns("far")
            self.topo.veth(self.phone, "eth0", self.far, "eth0")
            sh("ip", "addr", "add", f"{PHONE_IP}/24", "dev", "eth0",
               ns=self.phone)
            sh("ip", "addr", "add", f"{FAR_IP}/24", "dev", "eth0",
               ns=self.far)
            sh("ip", "route", "add", "default", "via", FAR_IP, ns=self.phone)
        except Exception:
            self.topo.close()
            raise
        return self

    def __exit__(self, *exc):
        self.topo.close()


class Capture:
    """dumpcap on iface inside ns, written to a file that tshark reads
    after stop()."""

    def __init__(self, wd, ns, iface="eth0"):
        self.file = os.path.join(wd, f"{iface}.pcapng")
        self.err = open(os.path.join(wd, "dumpcap.err"), "w+")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "dumpcap", "-q", "-i", iface,
             "-w", self.file], stdout=subprocess.DEVNULL, stderr=self.err,
            stdin=subprocess.DEVNULL)
        wait_for(lambda: "Capturing on" in self.text() or
                 self.proc.poll() is not None, 30, "dumpcap to capture")
        check(self.proc.poll() is None, "dumpcap exited: " + self.text())

    def text(self):
        self.err.flush()
        with open(self.err.name, errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()

    def wait_frame(self, display_filter, what):
        """Wait until the file holds a frame matching display_filter: the
        kernel hands captured packets over in blocks, so the last ones of
        a call only reach the file a moment later."""
        def seen():
            if not os.path.exists(self.file):
                return False
            res = subprocess.run(["tshark", "-n", "-r", self.file, "-Y",
                                  display_filter], capture_output=True,
                                 text=True, timeout=60)
            return bool(res.stdout.strip())
        wait_for(seen, 20 * SLOW, what + " in the capture")

    def fields(self, display_filter, *fields):
        """One list of field values per matching frame."""
        cmd = ["tshark", "-n", "-r", self.file, "-Y", display_filter,
               "-T", "fields"]
        for f in fields:
            cmd += ["-e", f]
        res = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=60)
        check(res.returncode == 0 and os.path.exists(self.file),
              f"tshark -r: {res.stderr}")
        return [ln.split("\t") for ln in res.stdout.splitlines()
                if ln.strip()]


def tcp_pbx(wd):
    """pbx.xml whose Contact names TCP, so that the ACK and BYE follow the
    INVITE's transport (sipp's [local_port] Contact alone means UDP)."""
    with open(os.path.join(SCENARIOS, "pbx.xml")) as f:
        text = f.read()
    contact = "Contact: <sip:pbx@[local_ip]:[local_port]>"
    check(contact in text, "pbx.xml's Contact")
    path = os.path.join(wd, "pbx-tcp.xml")
    with open(path, "w") as f:
        f.write(text.replace(contact, contact[:-1] + ";transport=tcp>"))
    return path


def phone_engine(wd, net, account, admin=None):
    lines = [f"extra_module {FIXTURE}\n"]
    if admin is not None:
        path = os.path.join(wd, "policy.conf")
        with open(path, "w") as f:
            f.write(admin)
        lines.append(f"policy_file {path}\n")
    return Engine(wd, account, conf="".join(lines), netns=net.phone)


def warnings_of(ctl):
    r = ctl.request("e911.policy")
    check(r["ok"], f"e911.policy: {r}")
    return r["result"]["warnings"]


def call_and_capture(wd, net, psap, account, admin=None):
    """Dial 911 with the location set, see it established, hang up.
    Returns (emergency.started, the warnings, the capture, engine log)."""
    eng = phone_engine(wd, net, account, admin)
    cap = None
    try:
        ctl = eng.ctl()
        warns = warnings_of(ctl)
        set_location(ctl, RECORD)
        cap = Capture(wd, net.phone)
        check(ctl.request("dial", {"number": "911"})["ok"], "dial")
        started = ctl.wait_event("emergency.started")
        ctl.wait_event("call.established", timeout=10)
        check(ctl.request("hangup")["ok"], "hangup")
        ctl.wait_event("emergency.ended")
        cap.wait_frame('sip.CSeq.method == "BYE" && sip.Status-Code == 200',
                       "the 200 to the BYE")
    finally:
        if cap:
            cap.stop()
        eng.stop()
        psap.stop()
    with open(eng.log.name, errors="replace") as f:
        return started, warns, cap, f.read()


def test_large_invite_over_tcp():
    """The default configuration (no emergency route, an account with no
    transport named): the 2.9 kB INVITE reaches the PSAP over TCP, with
    its PIDF-LO, and no IP fragment is on the phone's wire."""
    with Workdir() as wd, Net() as net:
        psap = Sipp(wd, tcp_pbx(wd), "psap", netns=net.far, addr=FAR_IP,
                    tcp=True)
        started, warns, cap, log = call_and_capture(
            wd, net, psap, f"<sip:alice@{FAR_IP}>;regint=0\n")
        invites = psap.requests("INVITE")
        check(len(invites) == 1, f"{len(invites)} INVITEs at the PSAP")
        size = len(invites[0].encode("utf-8", "surrogateescape"))
        print(f"# the INVITE: {size} bytes")
        check(size > 2000, f"the INVITE is {size} bytes: not the large one")
        msg = psapcheck.Message(invites[0])
        check(msg.get("via").startswith("SIP/2.0/TCP"),
              f"Via {msg.get('via')}")
        psapcheck.check_by_value(invites[0], RECORD)
        check(started["location"] == "by-value", f"started {started}")
        frags = cap.fields(FRAGMENTS, "frame.number")
        check(not frags, f"{len(frags)} IP fragments on the phone's eth0")
        tcp = cap.fields(f"tcp.dstport == 5060 && ip.dst == {FAR_IP}",
                         "frame.number")
        check(tcp, "the capture saw no TCP to the PSAP")
        check(any("emergency_route: not set" in w for w in warns),
              f"warnings {warns}")
        check("emergency_route: not set" in log, "the warning is logged")


def test_udp_pinned_by_reference():
    """A route pinned to UDP: said at start in e911.policy's warnings; the
    INVITE goes by reference, within 1300 bytes, unfragmented."""
    with Workdir() as wd, Net() as net:
        psap = Sipp(wd, "pbx.xml", "psap", netns=net.far, addr=FAR_IP)
        route = f"sip:911@{FAR_IP}:5060;transport=udp"
        started, warns, cap, log = call_and_capture(
            wd, net, psap, f"<sip:alice@{FAR_IP}>;regint=0\n",
            admin=f"emergency_route {route}\n")
        check(any(w.startswith("emergency_route: ") and "pins UDP" in w
                  for w in warns), f"warnings {warns}")
        check(started["location"] == "by-reference", f"started {started}")
        invites = psap.requests("INVITE")
        check(len(invites) == 1, f"{len(invites)} INVITEs at the PSAP")
        size = len(invites[0].encode("utf-8", "surrogateescape"))
        print(f"# the INVITE by reference over UDP: {size} bytes")
        check(size <= 1300, f"the INVITE is {size} bytes")
        msg = psapcheck.Message(invites[0])
        check(msg.get("via").startswith("SIP/2.0/UDP"),
              f"Via {msg.get('via')}")
        check(psapcheck.geolocation_values(msg) ==
              [RECORD["uris"][0]["uri"]], "Geolocation by reference")
        frags = cap.fields(FRAGMENTS, "frame.number")
        check(not frags, f"{len(frags)} IP fragments on the phone's eth0")


def test_dead_registrar_fails_at_once():
    """No emergency route and nothing listening at the registrar's
    address: the engine warned at start that 911 had no other path, and
    the error that comes back ends the 911 call as failed within a second
    (not after timer B's 32 s).  Without a location the INVITE fits UDP
    and the error is an ICMP port unreachable; with the PIDF-LO it goes
    over TCP and the error is the RST."""
    for record, error in ((None, "icmp.type == 3"),
                          (RECORD, "tcp.flags.reset == 1")):
        what = "with location" if record else "without location"
        with Workdir() as wd, Net() as net:
            eng = phone_engine(wd, net, f"<sip:alice@{FAR_IP}>;regint=0\n")
            cap = None
            try:
                ctl = eng.ctl()
                warns = warnings_of(ctl)
                if record:
                    set_location(ctl, record)
                cap = Capture(wd, net.phone)
                t_dial = time.time()
                check(ctl.request("dial", {"number": "911"})["ok"], "dial")
                ended = ctl.wait_event("emergency.ended", timeout=40)
                t_ended = time.time()
                cap.wait_frame(error, f"{what}: the error")
            finally:
                if cap:
                    cap.stop()
                eng.stop()
            check(any("emergency_route: not set" in w for w in warns),
                  f"warnings {warns}")
            check(ended["outcome"] == "failed", f"{what}: ended {ended}")
            t_error = float(cap.fields(error, "frame.time_epoch")[0][0])
            after = t_ended - t_error
            print(f"# {what}: dial -> failed {t_ended - t_dial:.3f} s, "
                  f"error on the wire -> failed event {after:.3f} s")
            check(after < 1.0 * SLOW,
                  f"{what}: failed {after:.3f} s after the error "
                  f"(bound {1.0 * SLOW:.1f} s)")
            reason = ended["reason"].lower()
            check("unreachable" in reason or "refused" in reason,
                  f"{what}: reason {ended['reason']}")

if __name__ == "__main__":
    need("sipp", "tshark", "dumpcap")
    need_root()
    sys.exit(run([test_large_invite_over_tcp, test_udp_pinned_by_reference,
                  test_dead_registrar_fails_at_once]))
