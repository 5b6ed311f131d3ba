#!/usr/bin/python3
"""A LIS that fails after a good answer leaves that answer in force until it
expires (issue 11 item 3).  The phone's office network has a LIS simulator
on HTTPS; after it answered, it fails on demand (503, a time-out, a body
that is not HELD, a half answer) and the engine is asked to refresh: the
location keeps its address and its own timestamp, says the LIS could not
confirm it, and a 911 call (sipp as the PSAP) carries it by value with
that timestamp.  After a restart with the LIS failing (503, then a
certificate from the wrong CA) the remembered answer is used the same way,
and the LIS is asked again by itself soon after a failure.
An answer that expired is kept only as a last resort on the same network;
another network (a hotel, no LIS) never inherits it."""

import json
import os
import sys

from lphelp import (Engine, Sipp, Topology, Workdir, check, make_test_ca,
                    need, need_root, office_lis, run, sh, wait_for)
import psapcheck

LIS_IP = "10.77.0.1"
HOTEL_GW = "10.88.0.1"
ROOM = "3105"


class Office:
    """phone: eth0 to the office (gateway and LIS), eth1 to a hotel (no
    LIS; down at first); a PSAP (sipp) on the phone's loopback."""

    def __init__(self, wd):
        self.wd = wd
        self.topo = Topology()
        self.phone = self.topo.ns("phone")
        self.office = self.topo.ns("office")
        self.hotel = self.topo.ns("hotel")
        self.topo.veth(self.phone, "eth0", self.office, "sw0")
        self.topo.veth(self.phone, "eth1", self.hotel, "sw1")
        sh("ip", "addr", "add", f"{LIS_IP}/24", "dev", "sw0", ns=self.office)
        sh("ip", "addr", "add", f"{HOTEL_GW}/24", "dev", "sw1",
           ns=self.hotel)
        sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=self.phone)
        sh("ip", "addr", "add", "10.88.0.2/24", "dev", "eth1", ns=self.phone)
        sh("ip", "link", "set", "eth1", "down", ns=self.phone)
        sh("ip", "route", "add", "default", "via", LIS_IP, ns=self.phone)
        self.ca, self.lis = office_lis(wd, self.office, LIS_IP,
                                       "10.77.0.0/24", ROOM)
        self.psap = Sipp(wd, "pbx.xml", "psap", netns=self.phone,
                         addr="127.0.0.1")
        self.eng = None

    def start(self, conf="", ca=None, admin=None):
        lines = (f"lis_url {self.lis.tls_url}\n"
                 f"lis_ca_file {ca or self.ca}\n"
                 "lis_timeout_ms 1500\n")
        if admin is not None:
            path = os.path.join(self.wd, "policy.conf")
            with open(path, "w") as f:
                f.write(admin)
            lines += f"policy_file {path}\n"
        self.eng = Engine(self.wd,
                          f"<sip:alice@127.0.0.1:{self.psap.port}>"
                          ";regint=0\n", netns=self.phone,
                          conf=lines + conf)
        return self.eng.ctl()

    def stop_engine(self):
        self.eng.stop()
        self.eng = None

    def go(self, up, down, gw):
        sh("ip", "link", "set", down, "down", ns=self.phone)
        sh("ip", "link", "set", up, "up", ns=self.phone)
        sh("ip", "route", "replace", "default", "via", gw, ns=self.phone)

    def close(self):
        try:
            if self.eng:
                self.eng.stop()
        finally:
            self.psap.stop()
            self.lis.stop()
            self.topo.close()


def location(ctl, pred, what, timeout=20):
    def probe():
        loc = ctl.request("location")["result"]
        return loc if pred(loc) else None
    return wait_for(probe, timeout, what)


def good(loc):
    return (loc["source"] == "lis" and not loc["stale"] and
            loc["confirm_error"] is None and
            (loc["civic"] or {}).get("ROOM") == ROOM)


def check_kept(loc, first, what):
    """loc is first, as it was, marked unconfirmed."""
    check(loc["source"] == "lis" and loc["civic"] == first["civic"] and
          loc["obtained_at"] == first["obtained_at"] and
          loc["expires"] == first["expires"] and loc["validated"],
          f"{what}: the LIS's answer stays as it was: {loc} / {first}")
    check(loc["stale"] and loc["confirm_error"] and
          "could not confirm" in loc["reason"] and
          f"until {first['expires']}" in loc["reason"],
          f"{what}: said to be unconfirmed: {loc}")


def call_911(s, ctl, first):
    """A 911 call now: the PSAP gets first by value, its own timestamp."""
    byes = len(s.psap.requests("BYE"))
    r = ctl.request("dial", {"number": "911"})
    check(r["ok"], f"dial 911: {r}")
    ev = ctl.wait_event("emergency.started", timeout=15)
    check(ev["location"] == "by-value" and ev["location_source"] == "lis",
          f"the kept location goes out by value: {ev['location']} "
          f"{ev['location_source']}")
    ctl.wait_event("call.established", timeout=15)
    check(ctl.request("hangup")["ok"], "hangup")
    ctl.wait_event("call.closed", timeout=15)
    # the INVITE is whole once a later message (the BYE) is in the trace
    wait_for(lambda: len(s.psap.requests("BYE")) > byes, 15,
             "the BYE at the PSAP")
    invite = s.psap.requests("INVITE")[-1]
    psapcheck.check_by_value(invite, first)
    check(f"<dm:timestamp>{first['obtained_at']}</dm:timestamp>" in invite,
          "the PIDF-LO has the answer's own time "
          f"{first['obtained_at']}")


# mode of the simulator -> words its failure is reported with
FAILURES = [("http503", "503"), ("slow:30000", "LIS"),
            ("garbage", "bad HELD body"), ("truncated", "LIS")]


def test_failures_keep_the_answer():
    with Workdir() as wd:
        s = Office(wd)
        try:
            ctl = s.start()
            first = location(ctl, good, "a good LIS answer")
            seen = set()
            for mode, words in FAILURES:
                s.lis.set_mode(mode)
                asked = len(s.lis.log_entries(held_only=True))
                check(ctl.request("location.refresh")["ok"], "refresh")
                loc = location(
                    ctl, lambda l: l["stale"] and
                    l["confirm_error"] not in seen and
                    len(s.lis.log_entries(held_only=True)) > asked,
                    f"the LIS's {mode} failure to be reported", timeout=30)
                check(words in loc["confirm_error"],
                      f"{mode}: the failure is named: "
                      f"{loc['confirm_error']}")
                check_kept(loc, first, mode)
                seen.add(loc["confirm_error"])
                print(f"  {mode}: {loc['reason']}")

            # a change on the same network asks again: still kept
            s.lis.set_mode("http503")
            asked = len(s.lis.log_entries(held_only=True))
            sh("ip", "addr", "add", "10.77.0.3/24", "dev", "eth0",
               ns=s.phone)
            loc = location(
                ctl, lambda l: "503" in (l["confirm_error"] or "") and
                len(s.lis.log_entries(held_only=True)) > asked,
                "the LIS asked again after the network change", timeout=30)
            check_kept(loc, first, "a change on the same network")

            rc, out, err = s.eng.cli("location")
            check(rc == 0 and ROOM in out and
                  "confirmed  no: the LIS could not confirm it" in out,
                  f"locphonectl location says so: {out}{err}")
            call_911(s, ctl, first)

            # the LIS back: confirmed again, unmarked
            s.lis.set_mode("normal")
            check(ctl.request("location.refresh")["ok"], "refresh")
            loc = location(ctl, good, "the answer confirmed again")
            check("could not confirm" not in loc["reason"], loc["reason"])
        finally:
            s.close()


def test_restart_keeps_the_answer():
    with Workdir() as wd:
        s = Office(wd)
        try:
            ctl = s.start()
            first = location(ctl, good, "a good LIS answer")
            # remembered for this network once it is identified (the
            # gateway's MAC may come after the answer)
            fp = wait_for(lambda: ctl.request("netinfo")["result"]
                          ["fingerprint"], 15, "an identified network")
            state = os.path.join(wd, "state", "last-location.json")

            def remembered():
                with open(state) as f:
                    doc = json.load(f)
                return doc if doc["fingerprint"] == fp else None
            doc = wait_for(remembered, 15, "the answer remembered for it")
            check(doc["location"]["obtained_at"] == first["obtained_at"],
                  f"the answer is remembered: {doc}")
            s.stop_engine()

            # the LIS down while the engine restarts
            s.lis.set_mode("http503")
            asked = len(s.lis.log_entries(held_only=True))
            ctl = s.start()
            loc = location(ctl, lambda l: l["stale"] and len(
                s.lis.log_entries(held_only=True)) > asked,
                "the first refresh after the restart to fail")
            check_kept(loc, first, "restart, 503")
            call_911(s, ctl, first)

            # the LIS back: asked again by itself soon (15 s, then
            # doubling), not only at the next refresh_interval (4 h)
            s.lis.set_mode("normal")
            loc = location(ctl, good, "the LIS to be asked again",
                           timeout=90)
            check(loc["obtained_at"] > first["obtained_at"],
                  f"a new answer: {loc}")
            first = loc
            s.stop_engine()

            # a LIS whose certificate is not from the CA we were given
            s.lis.set_mode("normal")
            other_ca, _ = make_test_ca(wd, ip=LIS_IP, prefix="other-")
            ctl = s.start(ca=other_ca)
            loc = location(ctl, lambda l: l["stale"],
                           "the certificate failure")
            check_kept(loc, first, "restart, wrong certificate")
            check("certificate" in loc["confirm_error"].lower(),
                  f"the certificate is named: {loc['confirm_error']}")
        finally:
            s.close()


def test_expired_only_as_last_resort_here():
    with Workdir() as wd:
        s = Office(wd)
        try:
            # the answer expires when the next refresh is due: 10 s
            ctl = s.start(admin="refresh_interval 10s\n")
            first = location(ctl, good, "a good LIS answer")
            s.lis.set_mode("http503")
            loc = location(ctl, lambda l: "last resort" in l["reason"],
                           "the refresh to fail after the expiry",
                           timeout=40)
            check(loc["source"] == "lis" and loc["stale"] and
                  loc["civic"] == first["civic"] and
                  loc["obtained_at"] == first["obtained_at"] and
                  f"expired at {first['expires']}" in loc["reason"],
                  f"expired, kept as the last resort: {loc}")

            # another network: nothing inherited
            s.go("eth1", "eth0", HOTEL_GW)
            loc = location(ctl, lambda l: l["source"] == "none" and
                           "could not be reached" in l["reason"],
                           "the hotel's own outcome", timeout=30)
            check(not loc["stale"] and loc["civic"] is None,
                  f"the hotel has no office address: {loc}")

            # back at the office, the LIS still down: the last resort
            s.go("eth0", "eth1", LIS_IP)
            loc = location(ctl, lambda l: "last resort" in l["reason"],
                           "the office's last answer again", timeout=30)
            check(loc["civic"] == first["civic"] and
                  loc["obtained_at"] == first["obtained_at"],
                  f"the same answer: {loc}")
        finally:
            s.close()


if __name__ == "__main__":
    need_root()
    need("openssl", "sipp")
    sys.exit(run([test_failures_keep_the_answer,
                  test_restart_keeps_the_answer,
                  test_expired_only_as_last_resort_here]))
