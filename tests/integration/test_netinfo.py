#!/usr/bin/python3
"""Discovery in our own network namespaces: the engine in a "phone"
namespace wired by a veth to a "switch" namespace reports its interface,
subnet, gateway and the gateway's MAC; a link going down and up gives one
network.changed per change; a tun (and wireguard, where the kernel has it)
carrying the default route makes vpn true and stays out of the evidence."""

import json
import sys

from lphelp import (Engine, Topology, Workdir, check, need_root, run, sh,
                    wait_for)


def gateway_of(e):
    return (e.get("gateway") or {}).get("ip")


def setup(topo):
    phone = topo.ns("phone")
    switch = topo.ns("switch")
    topo.veth(phone, "eth0", switch, "sw0")
    sh("ip", "addr", "add", "10.77.0.1/24", "dev", "sw0", ns=switch)
    sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=phone)
    sh("ip", "route", "add", "default", "via", "10.77.0.1", ns=phone)
    sw_mac = json.loads(sh("ip", "-j", "link", "show", "sw0",
                           ns=switch))[0]["address"]
    ph_mac = json.loads(sh("ip", "-j", "link", "show", "eth0",
                           ns=phone))[0]["address"]
    return phone, switch, sw_mac, ph_mac


def test_attachment_and_changes():
    topo = Topology()
    try:
        phone, switch, sw_mac, ph_mac = setup(topo)
        with Workdir() as wd:
            eng = Engine(wd, "", netns=phone)
            try:
                ctl = eng.ctl()

                def settled():
                    r = ctl.request("netinfo")["result"]
                    gw = r.get("gateway") or {}
                    return r if gw.get("mac") else None

                info = wait_for(settled, 10, "gateway MAC in netinfo")
                eth0 = [i for i in info["interfaces"]
                        if i["name"] == "eth0"]
                check(len(eth0) == 1, f"eth0 listed: {info['interfaces']}")
                eth0 = eth0[0]
                check(eth0["mac"] == ph_mac and eth0["type"] == "ethernet"
                      and not eth0["vpn"], f"eth0: {eth0}")
                check({"address": "10.77.0.2", "prefix": 24}
                      in eth0["addresses"], f"address: {eth0}")
                check(info["gateway"] == {"ip": "10.77.0.1", "mac": sw_mac,
                                          "interface": "eth0"},
                      f"gateway: {info['gateway']} (switch MAC {sw_mac})")
                check(info["subnet"] == "10.77.0.2/24" and not info["vpn"],
                      f"subnet/vpn: {info}")
                check(not any(i["name"] == "lo" for i in info["interfaces"]),
                      "loopback left out")
                # the one choice of evidence: the default route's port
                evd = info["evidence"]
                check(evd["interface"] == "eth0" and evd["mac"] == ph_mac
                      and evd["address"] == "10.77.0.2"
                      and not evd["vpn"] and evd["bssid"] is None
                      and "eth0 carries the default route" in evd["reason"],
                      f"evidence: {evd}")

                rc, out, err = eng.cli("netinfo")
                check(rc == 0 and f"gateway    10.77.0.1 via eth0, MAC "
                      f"{sw_mac}" in out, f"locphonectl netinfo: {out}")

                # link down: the route goes; exactly one event for it
                ctl.events.clear()
                sh("ip", "link", "set", "eth0", "down", ns=phone)
                ev = ctl.wait_event("network.changed")
                check(ev["gateway"] is None, f"down: {ev}")
                check(ev["evidence"] is None, f"nothing up: {ev}")

                sh("ip", "link", "set", "eth0", "up", ns=phone)
                sh("ip", "route", "add", "default", "via", "10.77.0.1",
                   ns=phone)
                ev = ctl.wait_event("network.changed")
                check(gateway_of(ev) == "10.77.0.1",
                      f"the next event is the link coming back: {ev}")
            finally:
                eng.stop()
    finally:
        topo.close()


def test_vpn_default_route():
    topo = Topology()
    try:
        phone, switch, sw_mac, _ = setup(topo)
        with Workdir() as wd:
            eng = Engine(wd, "", netns=phone)
            try:
                ctl = eng.ctl()
                wait_for(lambda: ctl.request("netinfo")["result"]
                         .get("gateway"), 10, "gateway")

                tunnels = [("tun0", ["ip", "tuntap", "add", "dev", "tun0",
                                     "mode", "tun"])]
                sh("ip", "link", "add", "wg0", "type", "wireguard",
                   ns=phone, check_rc=False)
                if "wg0" in sh("ip", "link", ns=phone):
                    tunnels.append(("wg0", None))
                for name, create in tunnels:
                    if create:
                        sh(*create, ns=phone)
                    sh("ip", "addr", "add", "172.16.9.2/24", "dev", name,
                       ns=phone)
                    sh("ip", "link", "set", name, "up", ns=phone)
                    sh("ip", "route", "replace", "default", "dev", name,
                       "metric", "5", ns=phone)

                    def vpn_seen():
                        r = ctl.request("netinfo")["result"]
                        return r if r["vpn"] else None

                    info = wait_for(vpn_seen, 10, f"vpn via {name}")
                    tun = [i for i in info["interfaces"]
                           if i["name"] == name][0]
                    check(tun["vpn"] and tun["type"] == "vpn",
                          f"{name}: {tun}")
                    check(info["subnet"] == "10.77.0.2/24",
                          f"the evidence stays physical: {info['subnet']}")
                    check(info["gateway"]["interface"] == "eth0",
                          f"physical gateway kept: {info['gateway']}")
                    evd = info["evidence"]
                    check(evd["interface"] == "eth0" and evd["vpn"]
                          and "under the VPN" in evd["reason"],
                          f"the tunnel is never the evidence: {evd}")
                    sh("ip", "link", "del", name, ns=phone)
                    wait_for(lambda: not ctl.request("netinfo")["result"]
                             ["vpn"], 10, f"{name} gone")
                print(f"  tunnels tried: {[t[0] for t in tunnels]}"
                      + ("" if len(tunnels) > 1 else
                         " (this kernel has no wireguard)"))
            finally:
                eng.stop()
    finally:
        topo.close()


if __name__ == "__main__":
    need_root()
    sys.exit(run([test_attachment_and_changes, test_vpn_default_route]))
