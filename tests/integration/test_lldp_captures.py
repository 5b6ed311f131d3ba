#!/usr/bin/python3
"""Every frame in ../shared/lldp-captures sent into the real engine on a
veth, one engine for all, one frame after another: netinfo (locphonectl
netinfo --json) shows each real frame as tshark read it, malformed ones
leave the engine answering and nothing of them shown; ladvd-shutdown
(TTL 0) after ladvd-small makes that neighbour go.  The same frames then
reach an lldpd in the phone's namespace and the engine through
lldpd_socket: netinfo says the same, except where lldpd refuses a frame
(LLDPD_REFUSES).  And a switch announcing its civic address in ISO-8859-1
still gets a 911 call to the PSAP with that address, in UTF-8, in the
PIDF-LO."""

import json
import os
import sys

from lphelp import (SOURCE, Engine, Failure, Sipp, Topology, Workdir, check, need,
                    need_root, run, sh, wait_for)
import lldpexpect
import psapcheck

CAPTURES = os.path.join(SOURCE, "..", "shared", "lldp-captures")

# Frames the phone decodes that lldpd 1.0.16 (Debian 12) refuses by its
# own rules (src/daemon/protocols/lldp.c): the lldpd transport shows
# nothing for them.
LLDPD_REFUSES = {
    "ladvd-end-missing": "no End TLV: lldpd needs one",
    "ladvd-end-nonzero": "End TLV of length 1: lldpd needs length 0",
    "ladvd-a7-fuzzer-end-trail": "End TLV of length 2",
}

# What lldpd passes on differently, and the netinfo keys that differ:
# lldpd keeps strings as C strings, so a Port Description that starts
# with a NUL (the ladvd fuzzer frames) reaches the engine empty.
LLDPD_DIFFERS = {
    "ladvd-a6-fuzzer-end-short": ["port_description"],
    "ladvd-a8-fuzzer-cap-conflict": ["port_description"],
    "ladvd-a8-fuzzer-cap-host": ["port_description"],
}

# Frames the phone refuses on its raw socket that lldpd 1.0.16 accepts: the
# engine then shows lldpd's reading, decoded from lldpd's fields (what
# tshark reads of them).
LLDPD_ACCEPTS = {
    "tcpdump-infinite-loop-1": "an LLDPDU of 1741 octets: lldpd has no "
                               "1500-octet limit",
    "procurve-civic-dst-nontpmr": "sent to 01:80:c2:00:00:03: lldpd takes "
                                  "all three 802.1AB group addresses",
}

# A plain LLDPDU from a chassis none of the captures has (02:00:00:00:99:01,
# port "marker"): once it is shown, every frame sent before it was read.
MARKER_CHASSIS = bytes.fromhex("020000009901")


def lldpdu(chassis_tlv, port_tlv, ttl, rest=b""):
    return (chassis_tlv + port_tlv + bytes.fromhex("0602") +
            ttl.to_bytes(2, "big") + rest + bytes.fromhex("0000"))


def tlv(type_, value):
    return ((type_ << 9) | len(value)).to_bytes(2, "big") + value


def ether(src, pdu):
    return bytes.fromhex("0180c200000e") + src + bytes.fromhex("88cc") + pdu


def marker(ttl):
    return ether(MARKER_CHASSIS,
                 lldpdu(tlv(1, b"\x04" + MARKER_CHASSIS),
                        tlv(2, b"\x07marker"), ttl))


def shutdown_of(fr):
    """The 802.1AB shutdown LLDPDU (TTL 0) of a frame's MSAP."""
    t = fr["tshark"]
    return ether(bytes.fromhex(t["src"].replace(":", "")),
                 lldpdu(tlv(1, bytes([t["chassis"]["subtype"]]) +
                            bytes.fromhex(t["chassis"]["raw"])),
                        tlv(2, bytes([t["port"]["subtype"]]) +
                            bytes.fromhex(t["port"]["raw"])), 0))


class Wire:
    """A raw socket on the switch's end of the veth, kept open: one
    python process for all frames, fed hex lines on stdin."""

    def __init__(self, ns, ifname):
        import subprocess
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "/usr/bin/python3", "-c",
             "import socket, sys\n"
             "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
             f"s.bind(({ifname!r}, 0))\n"
             "for line in sys.stdin:\n"
             "    s.send(bytes.fromhex(line.strip()))\n"
             "    print('sent', flush=True)\n"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def send(self, frame):
        self.proc.stdin.write(frame.hex() + "\n")
        self.proc.stdin.flush()
        check(self.proc.stdout.readline().strip() == "sent",
              "the raw socket sent the frame")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(10)


def netinfo_json(eng):
    """locphonectl netinfo --json, which must be valid JSON (UTF-8)."""
    rc, out, err = eng.cli("netinfo", "--json")
    check(rc == 0, f"locphonectl netinfo: {rc} {err}")
    doc = json.loads(out)
    return doc.get("result", doc)


def shown(eng):
    return netinfo_json(eng)["lldp"].get("eth0")


def wait_shown(ctl, pred, what, timeout=20):
    """The network.changed event after which eth0's neighbour satisfies
    pred (None: no neighbour)."""
    try:
        return ctl.wait_event("network.changed", timeout=timeout,
                              pred=lambda e: pred(e["lldp"].get("eth0")))
    except Failure as e:
        raise Failure(f"waiting {timeout}s for {what}: {e}") from None


def has_chassis(value):
    return lambda n: n is not None and n["chassis_id"]["value"] == value


def compare(eng, fr, got, differs=()):
    want = lldpexpect.expected_netinfo(fr)
    for key in differs:
        want.pop(key, None)
    diffs = lldpexpect.differences(want, got)
    diffs += lldpexpect.check_utf8(got)
    return [f"{fr['name']}: {d}" for d in diffs]


def replay(eng, ctl, wire, frames, skip=(), accept=(), differs=None):
    """Send every frame; returns the differences found (empty: all as
    expected).  Real frames: shown as expected, then their shutdown
    LLDPDU takes them away.  Refused ones: the marker behind them is all
    that is shown."""
    problems = []
    by_name = {fr["name"]: fr for fr in frames}
    for fr in frames:
        v = "decode" if fr["name"] in accept else lldpexpect.verdict(fr)
        octets = lldpexpect.frame_octets(fr["path"])
        if v != "refuse" and fr["name"] not in skip:
            for pre in fr.get("pre", []):
                wire.send(lldpexpect.frame_octets(by_name[pre]["path"]))
            want = lldpexpect.expected_netinfo(fr)
            ctl.events.clear()
            wire.send(octets)
            if fr.get("expect") == "gone":
                # the shutdown LLDPDU of a neighbour that was there
                wait_shown(ctl, lambda n: n is None,
                           f"{fr['name']} to take its neighbour away")
                continue
            wait_shown(ctl, has_chassis(want["chassis_id"]["value"]),
                       f"{fr['name']} in netinfo")
            problems += compare(eng, fr, shown(eng),
                                (differs or {}).get(fr["name"], ()))
            ctl.events.clear()
            wire.send(shutdown_of(fr))
            wait_shown(ctl, lambda n: n is None,
                       f"{fr['name']}'s shutdown LLDPDU")
        else:
            ctl.events.clear()
            wire.send(octets)
            wire.send(marker(120))
            n = wait_shown(ctl, lambda n: n is not None,
                           f"the marker after {fr['name']}")["lldp"]["eth0"]
            if n["chassis_id"]["value"] != "02:00:00:00:99:01":
                problems.append(f"{fr['name']}: shown, though refused: "
                                f"{n}")
            check(ctl.request("status")["ok"],
                  f"the engine answers after {fr['name']}")
            ctl.events.clear()
            wire.send(marker(0))
            wait_shown(ctl, lambda n: n is None, "the marker to go")
    return problems


def listening(eng):
    """A frame sent before the engine's raw socket is open is lost."""
    wait_for(lambda: "lldp: listening on eth0" in eng.log_text(), 15,
             "the engine to listen on eth0")


def setup(topo):
    phone = topo.ns("phone")
    switch = topo.ns("switch")
    topo.veth(phone, "eth0", switch, "sw0")
    # baresip needs an address for its media sockets
    sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=phone)
    # the two oversized captures (1755 and 2130 octets) must reach the
    # engine to be refused there
    sh("ip", "link", "set", "eth0", "mtu", "2200", ns=phone)
    sh("ip", "link", "set", "sw0", "mtu", "2200", ns=switch)
    return phone, switch


def test_raw_sockets():
    frames = lldpexpect.load(CAPTURES)
    topo = Topology()
    try:
        phone, switch = setup(topo)
        with Workdir() as wd:
            eng = Engine(wd, "", netns=phone, conf="lldp_tx no\n")
            wire = Wire(switch, "sw0")
            try:
                ctl = eng.ctl()
                listening(eng)
                problems = replay(eng, ctl, wire, frames)
                check(not problems, "\n  " + "\n  ".join(problems))
                log = eng.log_text()
                check("civic LCI length 2" in log,
                      "the engine says which TLV it dropped")
            finally:
                wire.close()
                eng.stop()
    finally:
        topo.close()


class Lldpd:
    """lldpd on the phone's eth0, its socket for the engine."""

    def __init__(self, wd, ns):
        import subprocess
        sockdir = os.path.join(wd, "lldpd")
        os.makedirs(sockdir)
        os.chmod(wd, 0o755)
        os.chmod(sockdir, 0o755)
        self.ns = ns
        self.sock = os.path.join(sockdir, "lldpd.sock")
        self.log = open(os.path.join(wd, "lldpd.log"), "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "lldpd", "-d", "-M", "3", "-u",
             self.sock, "-I", "eth0"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.cli_ok() or self.proc.poll() is not None,
                 10, "lldpd to answer")
        check(self.proc.poll() is None, "lldpd exited")

    def cli_ok(self):
        import subprocess
        return subprocess.run(
            ["ip", "netns", "exec", self.ns, "lldpcli", "-u", self.sock,
             "show", "configuration"], capture_output=True).returncode == 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()


def test_through_lldpd():
    """The engine without CAP_NET_RAW, reading lldpd: the same netinfo."""
    frames = lldpexpect.load(CAPTURES)
    topo = Topology()
    try:
        phone, switch = setup(topo)
        with Workdir() as wd:
            lldpd = Lldpd(wd, phone)
            eng = Engine(wd, "", netns=phone,
                         conf=f"lldpd_socket {lldpd.sock}\n",
                         wrap=("setpriv", "--bounding-set=-net_raw",
                               "--inh-caps=-net_raw", "--"))
            wire = Wire(switch, "sw0")
            try:
                ctl = eng.ctl()
                wait_for(lambda: "reading LLDP from lldpd" in eng.log_text(),
                         15, "the engine to read lldpd")
                problems = replay(eng, ctl, wire, frames,
                                  skip=LLDPD_REFUSES, accept=LLDPD_ACCEPTS,
                                  differs=LLDPD_DIFFERS)
                check(not problems, "\n  " + "\n  ".join(problems))
            finally:
                wire.close()
                eng.stop()
                lldpd.stop()
    finally:
        topo.close()


def test_latin1_civic_to_psap():
    """procurve-civic-latin1: the switch's civic address in ISO-8859-1
    ("M\\xfcnchen", "Bahnhofstra\\xdfe"); no LIS, so the LLDP-MED location
    is the phone's, and the 911 INVITE carries it, in valid UTF-8."""
    frames = {fr["name"]: fr for fr in lldpexpect.load(CAPTURES)}
    octets = lldpexpect.frame_octets(frames["procurve-civic-latin1"]["path"])
    topo = Topology()
    try:
        phone, switch = setup(topo)
        with Workdir() as wd:
            psap = Sipp(wd, "pbx.xml", "psap", netns=phone)
            eng = Engine(wd, f"<sip:alice@127.0.0.1:{psap.port}>;regint=0\n",
                         netns=phone, conf="lldp_tx no\n")
            wire = Wire(switch, "sw0")
            try:
                ctl = eng.ctl()
                listening(eng)
                wire.send(octets)
                ev = ctl.wait_event(
                    "location.changed", timeout=20,
                    pred=lambda e: ((e.get("civic") or {}).get("A3")
                                    == "M\u00fcnchen"))
                check(ev["civic"]["A6"] == "Bahnhofstra\u00dfe",
                      f"the location record: {ev['civic']}")
                check(netinfo_json(eng)["lldp"]["eth0"]["med"]["location"]
                      ["civic"]["A3"] == "M\u00fcnchen", "netinfo")
                rc, out, err = eng.cli("emergency", "preview")
                check(rc == 0 and "M\u00fcnchen" in out,
                      f"emergency preview: {rc} {err} {out[-500:]}")

                check(ctl.request("dial", {"number": "911"})["ok"], "dial")
                ctl.wait_event("call.established", timeout=20)
                started = ctl.wait_event("emergency.started")
                check(started["location"] == "by-value",
                      f"location by value: {started['location']}")
                check(ctl.request("hangup")["ok"], "hangup")
                ctl.wait_event("call.closed")
            finally:
                wire.close()
                eng.stop()
                psap.stop()
            invites = psap.requests("INVITE")
            check(len(invites) == 1, f"{len(invites)} INVITEs")
            # the trace as octets: the PIDF-LO is UTF-8, and says München
            raw = open(psap.log, "rb").read()
            check(b"M\xc3\xbcnchen" in raw and b"M\xfcnchen" not in raw,
                  "the INVITE carries the city in UTF-8")
            raw.decode("utf-8")
            msg = psapcheck.Message(invites[0])
            parts = psapcheck.split_multipart(msg.get("content-type"),
                                              msg.body)
            pidf = [c for h, c in parts
                    if "pidf" in h.get("content-type", "")]
            check(len(pidf) == 1, "one PIDF-LO part")
            for value in ("M\u00fcnchen", "Bahnhofstra\u00dfe",
                          "<ca:country>DE</ca:country>"):
                check(value in pidf[0], f"the PIDF-LO has {value}")
    finally:
        topo.close()


if __name__ == "__main__":
    need_root()
    need("lldpd", "lldpcli", "setpriv", "sipp")
    if not os.path.exists(os.path.join(CAPTURES, "frames.json")):
        print(f"no captures at {CAPTURES}")
        sys.exit(1 if os.environ.get("CI") == "true" else 77)
    sys.exit(run([test_raw_sockets, test_through_lldpd,
                  test_latin1_civic_to_psap]))
