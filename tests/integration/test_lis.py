#!/usr/bin/python3
"""Location from the LIS, end to end in our own namespaces: lldpd is the
switch, two LIS simulators on HTTPS (a test CA) stand behind it.  The
engine's HELD request carries its IP, MAC and the switch's chassis/port;
the wiremap's address for that port comes back; another switch port gives
another address; the primary down, the secondary answers; both down, that
answer stays, unconfirmed; a wrong certificate is refused and reported, and
with no answer before it the switch's LLDP-MED location is used;
notLocatable stops the queries on that network."""

import datetime
import json
import os
import shutil
import subprocess
import sys

from lphelp import (Engine, LisSim, Topology, Workdir, check, make_test_ca,
                    need, need_root, run, scaled, sh, wait_for)
from test_lldp_switch import Switch
import psapcheck

LIS_IP = "10.77.0.1"


def site(wd, sw_mac):
    """Two switch ports, each its own address; and the subnet."""
    path = os.path.join(wd, "site.csv")
    with open(path, "w") as f:
        f.write("kind,key,country,A1,A3,RD,STS,HNO,FLR,ROOM\n"
                f"chassis+port,4:{sw_mac}/3:{sw_mac},US,WA,Redmond,"
                "Microsoft,Way,1,3,3105\n"
                f"chassis+port,4:{sw_mac}/7:Gi1/0/8,US,WA,Redmond,"
                "Microsoft,Way,1,4,4207\n"
                "subnet,10.77.0.0/24,US,WA,Redmond,Microsoft,Way,1,,\n")
    return path


class Site:
    def __init__(self, wd, conf=""):
        self.topo = Topology()
        self.phone = self.topo.ns("phone")
        self.switch = self.topo.ns("switch")
        self.topo.veth(self.phone, "eth0", self.switch, "sw0")
        sh("ip", "addr", "add", f"{LIS_IP}/24", "dev", "sw0",
           ns=self.switch)
        sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=self.phone)
        sh("ip", "route", "add", "default", "via", LIS_IP, ns=self.phone)
        self.sw_mac = json.loads(sh("ip", "-j", "link", "show", "sw0",
                                    ns=self.switch))[0]["address"]
        self.ph_mac = json.loads(sh("ip", "-j", "link", "show", "eth0",
                                    ns=self.phone))[0]["address"]
        self.ca, cert = make_test_ca(wd, ip=LIS_IP)
        wiremap = site(wd, self.sw_mac)
        self.lldpd = Switch(wd, self.switch, "sw0")
        self.lldpd.configure("address", "country", "US",
                             "country-subdivision", "WA", "city", "Redmond",
                             "number", "1", "additional", "from the switch")
        self.lis1 = LisSim(wd, wiremap, "lis1", cert=cert,
                           netns=self.switch, addr=LIS_IP)
        self.lis2 = LisSim(wd, wiremap, "lis2", cert=cert,
                           netns=self.switch, addr=LIS_IP)
        self.eng = None
        self.conf = (f"lis_url {self.lis1.tls_url}\n"
                     f"lis_url_secondary {self.lis2.tls_url}\n"
                     f"lis_ca_file {self.ca}\n"
                     "lis_timeout_ms 1500\n" + conf)

    def start(self, wd, conf=None):
        # an account that never registers: enough for the preview
        self.eng = Engine(wd, "<sip:alice@10.77.0.1>;regint=0\n",
                          netns=self.phone,
                          conf=self.conf if conf is None else conf)
        return self.eng.ctl()

    def close(self):
        try:
            if self.eng:
                self.eng.stop()
        finally:
            self.lis1.stop()
            self.lis2.stop()
            self.lldpd.stop()
            self.topo.close()


def located(ctl, source, pred=lambda loc: True, timeout=15):
    def probe():
        loc = ctl.request("location")["result"]
        return loc if loc["source"] == source and pred(loc) else None
    return wait_for(probe, timeout, f"a location from {source}")


def test_lis_answers_and_fails_over():
    with Workdir() as wd:
        s = Site(wd)
        try:
            ctl = s.start(wd)
            loc = located(ctl, "lis", lambda l: l["civic"].get("FLR") == "3")
            check(loc["civic"]["ROOM"] == "3105" and loc["validated"] and
                  loc["method"] == "Wiremap", f"the port's address: {loc}")

            # what the engine told the LIS
            req = s.lis1.log_entries(held_only=True)[-1]["request"]
            check(req["device"]["ip"] == ["10.77.0.2"] and
                  req["device"]["mac"] == [s.ph_mac],
                  f"device identity: {req['device']}")
            check(req["lldp"] == [{
                "chassis": {"type": 4, "hex": s.sw_mac.replace(":", "")},
                "port": {"type": 3, "hex": s.sw_mac.replace(":", "")}}],
                f"LLDP measurements: {req['lldp']}")
            check(req["responseTime"] == "emergencyDispatch",
                  "background queries ask for dispatch precision")
            rc, out, err = s.eng.cli("location")
            check(rc == 0 and "3105" in out, f"locphonectl location: {out}")
            # civic from the LIS: valid, with the LIS's own provided-by
            psapcheck.check_preview(s.eng, "<ca:ROOM>3105</ca:ROOM>",
                                    'xmlns:sim="urn:x-locphone:lis-sim"')

            # another switch port: the other address, after one debounce
            ctl.events.clear()
            s.lldpd.cli("configure", "lldp", "portidsubtype", "local",
                        "Gi1/0/8")
            s.lldpd.cli("update")
            ev = ctl.wait_event("location.changed", timeout=15,
                                pred=lambda e: e["civic"].get("FLR") == "4")
            check(ev["civic"]["ROOM"] == "4207", f"moved: {ev}")

            # the primary refuses connections: the secondary answers
            s.lis1.set_mode("refuse")
            before = len(s.lis2.log_entries(held_only=True))
            check(ctl.request("location.refresh")["ok"], "refresh")
            wait_for(lambda: len(s.lis2.log_entries(held_only=True)) > before, 15,
                     "the secondary LIS to be asked")
            loc = located(ctl, "lis", lambda l: l["civic"].get("FLR") == "4")

            # both down: the answer stays until it expires, over the
            # switch's LLDP-MED location (issue 11; test_lis_outage.py)
            s.lis2.set_mode("http500")
            check(ctl.request("location.refresh")["ok"], "refresh")
            kept = located(ctl, "lis", lambda l: l["stale"])
            check(kept["civic"] == loc["civic"] and
                  kept["obtained_at"] == loc["obtained_at"] and
                  "could not confirm" in kept["reason"],
                  f"kept, unconfirmed: {kept}")
        finally:
            s.close()


def test_evidence_from_one_interface():
    """Issue 16 item 3: the default route moves to a second port (eth1,
    no switch heard on it) while eth0 still hears the switch: the LIS is
    told eth1's address and MAC and no switch port at all, never eth1's
    address with eth0's port; back on eth0, its port again."""
    with Workdir() as wd:
        s = Site(wd)
        try:
            home = s.topo.ns("home")
            s.topo.veth(s.phone, "eth1", home, "gw1")
            sh("ip", "addr", "add", "10.88.0.1/24", "dev", "gw1", ns=home)
            sh("ip", "addr", "add", "10.88.0.2/24", "dev", "eth1",
               ns=s.phone)
            eth1_mac = json.loads(sh("ip", "-j", "link", "show", "eth1",
                                     ns=s.phone))[0]["address"]
            ctl = s.start(wd)
            located(ctl, "lis", lambda l: l["civic"].get("FLR") == "3")
            req = s.lis1.log_entries(held_only=True)[-1]["request"]
            check(req["device"]["ip"] == ["10.77.0.2"] and req["lldp"],
                  f"eth0's address and port: {req}")

            def asked_with(ip):
                for e in reversed(s.lis1.log_entries(held_only=True)):
                    if e["request"]["device"]["ip"] == [ip]:
                        return e["request"]
                return None

            ctl.events.clear()
            # del and add: netstate does not follow NLM_F_REPLACE (yet)
            sh("ip", "route", "del", "default", ns=s.phone)
            sh("ip", "route", "add", "default", "via", "10.88.0.1",
               "dev", "eth1", ns=s.phone)
            ev = ctl.wait_event(
                "network.changed", timeout=15,
                pred=lambda e: (e.get("evidence") or {}).get("interface")
                == "eth1")
            check(ev["evidence"]["mac"] == eth1_mac
                  and ev["evidence"]["address"] == "10.88.0.2"
                  and not ev["evidence"]["lldp"]
                  and ev["lldp"].get("eth0"),
                  f"eth1 chosen while eth0 hears the switch: {ev}")
            req = wait_for(lambda: asked_with("10.88.0.2"), 15,
                           "the LIS asked with eth1's address")
            check(req["device"]["mac"] == [eth1_mac] and not req["lldp"],
                  f"eth1's address with eth1's MAC and no port: {req}")

            # back: the answer for eth0's request is cached, so ask again
            ctl.events.clear()
            sh("ip", "route", "del", "default", ns=s.phone)
            sh("ip", "route", "add", "default", "via", LIS_IP,
               "dev", "eth0", ns=s.phone)
            ctl.wait_event(
                "network.changed", timeout=15,
                pred=lambda e: (e.get("evidence") or {}).get("interface")
                == "eth0")
            before = len(s.lis1.log_entries(held_only=True))
            check(ctl.request("location.refresh")["ok"], "refresh")
            req = wait_for(
                lambda: next((e["request"] for e in
                              s.lis1.log_entries(held_only=True)[before:]
                              if e["request"]["device"]["ip"]
                              == ["10.77.0.2"]), None), 15,
                "the LIS asked with eth0's address again")
            check(req["device"]["mac"] == [s.ph_mac] and req["lldp"] == [{
                "chassis": {"type": 4, "hex": s.sw_mac.replace(":", "")},
                "port": {"type": 3, "hex": s.sw_mac.replace(":", "")}}],
                f"back on eth0: its MAC and port: {req}")
        finally:
            s.close()


def test_wrong_certificate_refused():
    with Workdir() as wd:
        s = Site(wd)
        try:
            other_ca, _ = make_test_ca(wd, ip=LIS_IP, prefix="other-")
            ctl = s.start(wd, conf=f"lis_url {s.lis1.tls_url}\n"
                                   f"lis_ca_file {other_ca}\n")
            loc = located(ctl, "lldp-med",
                          lambda l: "could not be reached" in l["reason"])
            check("certificate" in loc["reason"].lower(),
                  f"the refusal is reported: {loc['reason']}")
            # civic from LLDP-MED: valid, no provided-by (only a name)
            pidf = psapcheck.check_preview(
                s.eng, "<ca:LOC>from the switch</ca:LOC>",
                "<gp:method>LLDP-MED</gp:method>")
            check("provided-by" not in pidf, "no provided-by text")
            check(all(e["answer"] != "locationResponse"
                      for e in s.lis1.log_entries(held_only=True)),
                  "no answer was taken from the untrusted LIS")
        finally:
            s.close()


def test_not_locatable_stops_queries():
    with Workdir() as wd:
        s = Site(wd)
        try:
            s.lis1.set_mode("notLocatable")
            ctl = s.start(wd, conf=f"lis_url {s.lis1.tls_url}\n"
                                   f"lis_ca_file {s.ca}\n")
            loc = located(ctl, "lldp-med",
                          lambda l: "does not serve" in l["reason"])
            asked = len(s.lis1.log_entries(held_only=True))
            check(asked == 1, f"one query, then silence: {asked}")
            r = ctl.request("location.refresh")
            check(not r["ok"], f"refresh refused on this network: {r}")
            check(len(s.lis1.log_entries(held_only=True)) == asked, "not asked again")
        finally:
            s.close()


def test_refresh_interval_from_policy():
    """The administrator's refresh_interval (policy) sets how often the LIS
    is asked again on an unchanged network."""
    with Workdir() as wd:
        s = Site(wd)
        try:
            admin = os.path.join(wd, "policy.conf")
            with open(admin, "w") as f:
                f.write("refresh_interval 10s\n")
            ctl = s.start(wd, conf=s.conf + f"policy_file {admin}\n")
            located(ctl, "lis")

            # after the first queries (start, LLDP arriving), the next one
            # comes refresh_interval after the last: a 10 s gap
            def refreshed():
                times = [datetime.datetime.fromisoformat(
                    e["time"].replace("Z", "+00:00")).timestamp()
                    for e in s.lis1.log_entries(held_only=True)]
                gaps = [b - a for a, b in zip(times, times[1:])]
                return [g for g in gaps if g > 5]
            gaps = wait_for(refreshed, 25, "a query after 10 s of quiet")
            # the timer never fires early; late by 2 s at most, scaled
            late = scaled(2)
            check(all(9 <= g <= 10 + late for g in gaps),
                  f"asked again after {gaps} s, want 10 (at most "
                  f"{late:g} s late)")
            pol = ctl.request("e911.policy")
            check(pol["ok"] and
                  pol["result"]["policy"]["refresh_interval_s"] == 10,
                  f"the policy says 10 s: {pol}")
        finally:
            s.close()


def test_discovery():
    """No lis_url: RFC 5986 U-NAPTR on the DNS search domain finds it."""
    with Workdir() as wd:
        s = Site(wd)
        etc = os.path.join("/etc/netns", s.phone)
        dns = None
        try:
            # "ip netns exec" gives the phone this resolv.conf
            os.makedirs(etc)
            with open(os.path.join(etc, "resolv.conf"), "w") as f:
                f.write(f"search corp.test\nnameserver {LIS_IP}\n")
            ready = os.path.join(wd, "dns.ready")
            dns = subprocess.Popen(
                ["ip", "netns", "exec", s.switch, "/usr/bin/python3",
                 os.path.join(os.path.dirname(__file__), "naptr_server.py"),
                 LIS_IP, "53", "corp.test", s.lis1.tls_url, ready])
            wait_for(lambda: os.path.exists(ready), 10, "the DNS server")
            ctl = s.start(wd, conf=f"lis_discovery yes\n"
                                   f"lis_ca_file {s.ca}\n")
            loc = located(ctl, "lis")
            check(loc["civic"]["FLR"] == "3", f"via discovery: {loc}")
            check(f"LIS for corp.test is {s.lis1.tls_url}"
                  in s.eng.log_text(), "the engine says what it found")
        finally:
            if dns:
                dns.kill()
                dns.wait()
            shutil.rmtree(etc, ignore_errors=True)
            s.close()


if __name__ == "__main__":
    need_root()
    need("lldpd", "lldpcli", "openssl")
    sys.exit(run([test_lis_answers_and_fails_over,
                  test_evidence_from_one_interface,
                  test_wrong_certificate_refused,
                  test_not_locatable_stops_queries,
                  test_refresh_interval_from_policy,
                  test_discovery]))
