#!/usr/bin/python3
"""The real lldpd as the access switch, in its own namespace, on a veth
facing the engine's: netinfo reports the switch's chassis and port and the
exact LLDP-MED location lldpd was given (civic, then coordinates, then
ELIN); lldpd sees the engine as an LLDP-MED Class III endpoint; the link
going down and up drops the neighbour and brings it back.  Without
CAP_NET_RAW the same comes through the engine's own lldpd, and only then is
liblldpctl loaded."""

import json
import sys

from lphelp import (Engine, Switch, Topology, Workdir, check, need,
                    need_root, run, sh, wait_for)
import psapcheck


def stranger(ns, ifname):
    """A plain LLDPDU from another chassis (02:00:00:00:99:01, port
    "pc"), sent on ifname in ns with a raw socket."""
    frame = (bytes.fromhex("0180c200000e" "020000009901" "88cc")
             + bytes.fromhex("0207" "04" "020000009901")   # chassis MAC
             + bytes.fromhex("0203" "07") + b"pc"          # port "pc"
             + bytes.fromhex("0602" "0078")                # TTL 120
             + bytes.fromhex("0000"))                      # End
    sh("/usr/bin/python3", "-c",
       "import socket, sys; s = socket.socket(socket.AF_PACKET, "
       "socket.SOCK_RAW); s.bind((sys.argv[1], 0)); "
       "s.send(bytes.fromhex(sys.argv[2]))", ifname, frame.hex(), ns=ns)


def maps_lldpctl(eng):
    """Whether the engine has liblldpctl mapped (lldpctl_lazy.c loads it
    only when the lldpd backend starts).  "ip netns exec" and setpriv exec,
    so the Popen pid is the engine's."""
    with open(f"/proc/{eng.proc.pid}/maps") as f:
        return "liblldpctl.so" in f.read()


def neighbour(ctl, port="eth0"):
    return ctl.request("netinfo")["result"]["lldp"].get(port)


def test_switch_locations_and_link_changes():
    topo = Topology()
    try:
        phone = topo.ns("phone")
        switch = topo.ns("switch")
        topo.veth(phone, "eth0", switch, "sw0")
        sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=phone)
        sw_mac = json.loads(sh("ip", "-j", "link", "show", "sw0",
                               ns=switch))[0]["address"]
        with Workdir() as wd:
            sw = Switch(wd, switch, "sw0")
            # an account that never registers: enough for the preview
            eng = Engine(wd, "<sip:alice@10.77.0.1>;regint=0\n",
                         netns=phone)
            try:
                ctl = eng.ctl()

                sw.configure("address", "country", "US",
                             "country-subdivision", "WA", "city", "Redmond",
                             "street", "Microsoft", "street-suffix", "Way",
                             "number", "1", "floor", "3")

                def has(kind):
                    def probe():
                        n = neighbour(ctl)
                        loc = ((n or {}).get("med") or {}).get("location")
                        return n if loc and kind in loc else None
                    return probe

                n = wait_for(has("civic"), 15, "civic location from lldpd")
                check(n["chassis_id"] == {"subtype": 4, "value": sw_mac},
                      f"chassis: {n['chassis_id']} (switch {sw_mac})")
                check(n["port_id"]["value"] in (sw_mac, "sw0"),
                      f"port: {n['port_id']}")
                civic = n["med"]["location"]["civic"]
                # lldpd's "street" is CAtype 6, which RFC 5139 names A6
                check(civic == {"country": "US", "A1": "WA",
                                "A3": "Redmond", "A6": "Microsoft",
                                "STS": "Way", "HNO": "1", "FLR": "3"},
                      f"civic as configured: {civic}")
                check(not maps_lldpctl(eng),
                      "raw sockets: liblldpctl is never loaded")

                sw.configure("coordinate", "latitude", "47.6423N",
                             "longitude", "122.1391W", "altitude", "40", "m",
                             "datum", "WGS84")
                n = wait_for(has("coordinates"), 15, "coordinates")
                c = n["med"]["location"]["coordinates"]
                check(abs(c["latitude"] - 47.6423) < 1e-4 and
                      abs(c["longitude"] + 122.1391) < 1e-4 and
                      abs(c["altitude"] - 40) < 0.01 and
                      c["altitude_type"] == "metres" and
                      c["datum"] == "WGS84", f"coordinates: {c}")

                # civic and geodetic from LLDP-MED: a valid PIDF-LO, the
                # coordinates with the digits the switch was given
                def loc_geo():
                    loc = ctl.request("location")["result"]
                    return loc if loc.get("geo") else None
                geo = wait_for(loc_geo, 15, "the switch's coordinates "
                               "in the location")["geo"]
                check(geo["shape"] == "Point" and geo["crs"] == 4979 and
                      geo["lat"] == 47.6423 and geo["lon"] == -122.1391,
                      f"location keeps the switch's digits: {geo}")
                psapcheck.check_preview(
                    eng, "<ca:FLR>3</ca:FLR>",
                    "<gml:pos>47.6423 -122.1391 40</gml:pos>")

                sw.configure("elin", "2065551212")
                n = wait_for(has("elin"), 15, "ELIN")
                check(n["med"]["location"]["elin"] == "2065551212",
                      f"elin: {n['med']['location']}")

                # the switch sees us as an LLDP-MED Class III endpoint
                out = wait_for(lambda: (sw.cli("show", "neighbors",
                                               "details") or "")
                               if "Class III" in (sw.cli(
                                   "show", "neighbors", "details") or "")
                               else None, 15, "lldpd to list the engine")
                check("Communication Device Endpoint" in out,
                      f"lldpd neighbours: {out[-1500:]}")

                # link down: the neighbour goes, with one event
                ctl.events.clear()
                sh("ip", "link", "set", "eth0", "down", ns=phone)
                ev = ctl.wait_event("network.changed",
                                    pred=lambda e: "eth0" not in e["lldp"])
                check(neighbour(ctl) is None, "neighbour dropped")

                # a real unplug: the switch notices the carrier loss and
                # forgets us, so our fast start is a new MED neighbour to it
                wait_for(lambda: "ChassisID" not in (sw.cli(
                    "show", "neighbors") or "ChassisID"), 10,
                    "lldpd to drop the engine after the carrier loss")
                sh("ip", "link", "set", "eth0", "up", ns=phone)
                ev = ctl.wait_event("network.changed",
                                    pred=lambda e: "eth0" in e["lldp"],
                                    timeout=15)
                check(ev["lldp"]["eth0"]["chassis_id"]["value"] == sw_mac,
                      "neighbour back after link-up")
                check(ev["fingerprint"], "a wired network has a fingerprint")

                # another LLDP speaker on the segment (a PC behind the
                # phone, say) must not take the switch's place
                ctl.events.clear()
                stranger(switch, "sw0")
                # the stranger arrived (an event of the link coming back
                # may come first, before the switch is heard again)
                ctl.wait_event("network.changed", timeout=15,
                               pred=lambda e: "eth0" in e["lldp"])
                n = neighbour(ctl)
                check(n, "a neighbour on eth0 after the stranger's frame")
                check(n["chassis_id"]["value"] == sw_mac,
                      f"the switch stays the neighbour: {n['chassis_id']}")

                # stopping sends a shutdown LLDPDU: the switch forgets us
                # at once instead of after our 120 s TTL
                eng.stop()
                wait_for(lambda: "Communication Device" not in (sw.cli(
                    "show", "neighbors", "details") or "Communication"),
                    10, "lldpd to drop the engine after its shutdown LLDPDU")
            finally:
                eng.stop()
                sw.stop()
    finally:
        topo.close()


def test_via_lldpd_backend():
    """Without CAP_NET_RAW the engine reads lldpd running beside it."""
    topo = Topology()
    try:
        phone = topo.ns("phone")
        switch = topo.ns("switch")
        topo.veth(phone, "eth0", switch, "sw0")
        sw_mac = json.loads(sh("ip", "-j", "link", "show", "sw0",
                               ns=switch))[0]["address"]
        with Workdir() as wd:
            sw = Switch(wd, switch, "sw0")
            local = Switch(wd, phone, "eth0", med_class="3", name="local")
            eng = Engine(wd, "", netns=phone,
                         conf=f"lldpd_socket {local.sock}\n",
                         wrap=("setpriv", "--bounding-set=-net_raw",
                               "--inh-caps=-net_raw", "--"))
            try:
                ctl = eng.ctl()
                sw.configure("address", "country", "DE", "city", "Berlin",
                             "number", "7")
                sw.configure("elin", "3055550100")

                def civic():
                    n = neighbour(ctl)
                    loc = ((n or {}).get("med") or {}).get("location", {})
                    return n if "civic" in loc and "elin" in loc else None

                n = wait_for(civic, 20, "civic and ELIN via lldpd")
                check(n["chassis_id"]["value"] == sw_mac,
                      f"chassis via lldpd: {n['chassis_id']}")
                check(n["med"]["location"]["civic"] ==
                      {"country": "DE", "A3": "Berlin", "HNO": "7"},
                      f"civic via lldpd: {n['med']['location']}")
                check(n["med"]["location"]["elin"] == "3055550100",
                      "ELIN via lldpd")
                check("reading LLDP from lldpd" in eng.log_text(),
                      "the engine says where LLDP comes from")
                check(maps_lldpctl(eng), "the backend loaded liblldpctl")
            finally:
                eng.stop()
                local.stop()
                sw.stop()
    finally:
        topo.close()


if __name__ == "__main__":
    need_root()
    need("lldpd", "lldpcli", "setpriv")
    sys.exit(run([test_switch_locations_and_link_changes,
                  test_via_lldpd_backend]))
