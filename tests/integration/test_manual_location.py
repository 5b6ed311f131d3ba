#!/usr/bin/python3
"""Manual locations end to end in our own namespaces (issue 6).  The phone
has two physical networks, "home" (with a LIS that answers locationUnknown)
and "hotel" (no LIS reachable), and a VPN through a tun device.  On VPN the
person is asked; what they enter and save is remembered for the physical
network under the tunnel and used there again without asking, also without
the VPN; another network asks again; a dismissal holds until the network
changes; each location_required mode raises exactly its events; the saved
address never reaches the LIS or the log."""

import json
import os
import stat
import sys

from lphelp import (Engine, LisSim, Sipp, Topology, Workdir, check,
                    make_test_ca, need, need_root, run, sh, wait_for)
import psapcheck

HOME_GW = "10.77.0.1"
HOTEL_GW = "10.88.0.1"
ADDRESS = ["--HNO", "1", "--RD", "Microsoft", "--STS", "Way", "--A3",
           "Redmond", "--A1", "WA", "--country", "us", "--FLR", "3"]


class Places:
    """phone: eth0 to home, eth1 to hotel (down at first), tun0 on demand."""

    def __init__(self, wd, lis=True):
        self.topo = Topology()
        self.phone = self.topo.ns("phone")
        self.home = self.topo.ns("home")
        self.hotel = self.topo.ns("hotel")
        self.topo.veth(self.phone, "eth0", self.home, "sw0")
        self.topo.veth(self.phone, "eth1", self.hotel, "sw1")
        sh("ip", "addr", "add", f"{HOME_GW}/24", "dev", "sw0", ns=self.home)
        sh("ip", "addr", "add", f"{HOTEL_GW}/24", "dev", "sw1",
           ns=self.hotel)
        sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=self.phone)
        sh("ip", "addr", "add", "10.88.0.2/24", "dev", "eth1", ns=self.phone)
        sh("ip", "link", "set", "eth1", "down", ns=self.phone)
        sh("ip", "route", "add", "default", "via", HOME_GW, ns=self.phone)
        self.lis = None
        self.conf = ""
        if lis:
            ca, cert = make_test_ca(wd, ip=HOME_GW)
            wiremap = os.path.join(wd, "site.csv")
            with open(wiremap, "w") as f:
                f.write("kind,key,country,A1,A3,RD,STS,HNO\n"
                        "subnet,10.1.0.0/16,US,WA,Redmond,Other,St,9\n")
            self.lis = LisSim(wd, wiremap, "lis", cert=cert,
                              netns=self.home, addr=HOME_GW,
                              mode="locationUnknown")
            self.conf = (f"lis_url {self.lis.tls_url}\n"
                         f"lis_ca_file {ca}\n"
                         "lis_timeout_ms 500\n")
        self.eng = None

    def start(self, wd, conf=""):
        self.eng = Engine(wd, "", netns=self.phone, conf=self.conf + conf)
        return self.eng.ctl()

    def vpn_up(self):
        sh("ip", "tuntap", "add", "dev", "tun0", "mode", "tun", ns=self.phone)
        sh("ip", "addr", "add", "172.16.9.2/24", "dev", "tun0",
           ns=self.phone)
        sh("ip", "link", "set", "tun0", "up", ns=self.phone)
        sh("ip", "route", "replace", "default", "dev", "tun0", "metric", "5",
           ns=self.phone)

    def vpn_down(self):
        sh("ip", "link", "del", "tun0", ns=self.phone)

    def go(self, up, down, gw):
        sh("ip", "link", "set", down, "down", ns=self.phone)
        sh("ip", "link", "set", up, "up", ns=self.phone)
        sh("ip", "route", "replace", "default", "via", gw, ns=self.phone)

    def go_hotel(self):
        self.go("eth1", "eth0", HOTEL_GW)

    def go_home(self):
        self.go("eth0", "eth1", HOME_GW)

    def close(self):
        try:
            if self.eng:
                self.eng.stop()
        finally:
            if self.lis:
                self.lis.stop()
            self.topo.close()


def place(ctl, pred=lambda info: True):
    """Wait until the network is identified; returns netinfo.  Its reply
    comes after every event of the change that identified it."""
    def probe():
        r = ctl.request("netinfo")["result"]
        return r if r.get("place_fingerprint") and pred(r) else None
    return wait_for(probe, 15, "an identified network")


def prompts_so_far(ctl):
    """The prompt and disclaimer events up to now (a request is the
    barrier: events raised before its reply come before it)."""
    ctl.request("location")
    names = [e["event"] for e in ctl.events
             if e["event"] in ("location.prompt", "location.disclaimer")]
    ctl.events.clear()
    return names


def test_remembered_per_network():
    with Workdir() as wd:
        s = Places(wd)
        try:
            s.vpn_up()
            ctl = s.start(wd, conf="location_required yes\n")

            # on VPN: no network fingerprint, the physical one for places
            info = place(ctl, lambda r: r["vpn"])
            home = info["place_fingerprint"]
            check(info["fingerprint"] is None, f"VPN: {info}")
            ev = ctl.wait_event("location.prompt")
            check("VPN" in ev["reason"] and ev["required"] == "yes" and
                  ev["network"] == home and ev["saved"] == [],
                  f"prompt on VPN: {ev}")
            check(prompts_so_far(ctl) == [], "one prompt")
            check(s.lis.log_entries(held_only=True) == [],
                  "nothing asked of the LIS on VPN")

            # field-specific refusals
            rc, out, err = s.eng.cli("location", "set", "--HNO", "1",
                                     "--RD", "Microsoft", "--country", "XX")
            check(rc == 1 and "country: " in err and "A3: " in err and
                  "A1: " in err, f"refused with reasons: {rc} {err}")
            rc, out, err = s.eng.cli("location", "set", "--ZIP", "98052")
            check(rc == 1 and "ZIP: not an RFC 5139" in err, err)
            rc, out, err = s.eng.cli("location", "save", "Home")
            check(rc == 1 and "location.set first" in err, err)

            rc, out, err = s.eng.cli("location", "set", *ADDRESS)
            check(rc == 0 and "in use     yes" in out, f"set: {out}{err}")
            ev = ctl.wait_event("location.changed",
                                pred=lambda e: e["source"] == "manual")
            check(ev["method"] == "Manual" and not ev["validated"] and
                  ev["civic"]["country"] == "US" and
                  ev["civic"]["FLR"] == "3", f"entered: {ev}")

            rc, out, err = s.eng.cli("location", "save", "Home")
            check(rc == 0 and "remembered for this network" in out,
                  f"save: {out}{err}")
            path = os.path.join(s.eng.data, "saved-locations.json")
            check(stat.S_IMODE(os.stat(path).st_mode) == 0o600 and
                  stat.S_IMODE(os.stat(s.eng.data).st_mode) == 0o700,
                  "private file in a private dir")
            with open(path) as f:
                saved = json.load(f)
            check(saved["locations"][0]["name"] == "Home" and
                  saved["locations"][0]["networks"] == [home],
                  f"on disk: {saved}")
            check(prompts_so_far(ctl) == [], "nothing asked meanwhile")

            # the same place without the VPN: the LIS does not know it,
            # the saved location is used, nobody is asked
            s.vpn_down()
            ev = ctl.wait_event(
                "location.changed", timeout=20,
                pred=lambda e: "does not know" in e["reason"])
            check(ev["source"] == "manual" and '"Home"' in ev["reason"],
                  f"saved used after locationUnknown: {ev}")
            check(prompts_so_far(ctl) == [], "no prompt at home")
            asked = s.lis.log_entries(held_only=True)
            check(asked and all("Microsoft" not in json.dumps(e)
                                for e in asked),
                  f"the LIS never sees the saved address: {asked}")

            # another network asks again
            s.go_hotel()
            ev = ctl.wait_event("location.prompt", timeout=20)
            hotel = ev["network"]
            check(hotel and hotel != home and
                  "could not be reached" in ev["reason"],
                  f"hotel prompt: {ev}")
            loc = ctl.request("location")["result"]
            check(loc["source"] == "none" and
                  loc["prompt"]["state"] == "asking", f"hotel: {loc}")
            rc, out, err = s.eng.cli("--json", "location", "list")
            listed = json.loads(out)["result"]
            check(listed["network"] == hotel and
                  not listed["locations"][0]["here"], f"list: {listed}")

            # a dismissal holds while the network stays
            rc, out, err = s.eng.cli("location", "dismiss")
            check(rc == 0 and "dismissed" in out, f"dismiss: {out}{err}")
            sh("ip", "addr", "add", "10.88.0.3/24", "dev", "eth1",
               ns=s.phone)
            ctl.wait_event("network.changed", pred=lambda e: any(
                a["address"] == "10.88.0.3" for i in e["interfaces"]
                for a in i["addresses"]))
            check(ctl.request("location.refresh")["ok"], "refresh")
            check(prompts_so_far(ctl) == [], "dismissal holds")
            rc, out, err = s.eng.cli("location", "dismiss")
            check(rc == 1 and "nothing is being asked" in err, err)

            # back home: the saved location, no prompt
            s.go_home()
            ev = ctl.wait_event(
                "location.changed", timeout=20,
                pred=lambda e: e["source"] == "manual")
            check(ev["civic"]["HNO"] == "1", f"home again: {ev}")
            place(ctl, lambda r: r["place_fingerprint"] == home)
            check(prompts_so_far(ctl) == [], "no prompt back home")

            # and the hotel again: the network changed since the dismissal
            s.go_hotel()
            ev = ctl.wait_event("location.prompt", timeout=20)
            check(ev["network"] == hotel and ev["saved"] == ["Home"],
                  f"asked again: {ev}")

            log = s.eng.log_text()
            check("Microsoft" not in log and "Redmond" not in log,
                  "no address in the engine log")
        finally:
            s.close()


# mode: (events after the network is known, after a dismissal, after an
# acknowledgement); None: the command is refused
MODES = {
    "no": ([], None, None),
    "yes": (["location.prompt"], [], None),
    "disclaimer": (["location.prompt"], ["location.disclaimer"], []),
}


def test_emergency_call_carries_manual():
    """On VPN, the location the person entered goes to the PSAP in the
    911 INVITE, as method Manual (not validated)."""
    with Workdir() as wd:
        s = Places(wd, lis=False)
        psap = None
        try:
            s.vpn_up()
            # the call centre (sipp) on the phone namespace's loopback
            psap = Sipp(wd, "pbx.xml", "psap", netns=s.phone,
                        addr="127.0.0.1")
            s.eng = Engine(wd, f"<sip:alice@127.0.0.1:{psap.port}>"
                               ";regint=0\n", netns=s.phone,
                           conf="location_required yes\n")
            ctl = s.eng.ctl()
            place(ctl, lambda r: r["vpn"])
            # with coordinates typed in: their digits are kept
            # (issue 11 item 8: not 47.640067 / 47.6400675)
            rc, out, err = s.eng.cli("location", "set", *ADDRESS, "--lat",
                                     "47.640068", "--lon", "-122.129858")
            check(rc == 0, f"set: {err}")
            ctl.wait_event("location.changed",
                           pred=lambda e: e["source"] == "manual")
            rc, out, err = s.eng.cli("--json", "location")
            check(rc == 0 and '"lat":47.640068,"lon":-122.129858' in out,
                  f"locphonectl --json location keeps the digits: {out}")
            geo = ctl.request("location")["result"]["geo"]
            check(geo["lat"] == 47.640068 and geo["lon"] == -122.129858,
                  f"location keeps the digits: {geo}")
            psapcheck.check_preview(
                s.eng, "<ca:HNO>1</ca:HNO>", "<gp:method>Manual</gp:method>",
                "<gml:pos>47.640068 -122.129858</gml:pos>")
            r = ctl.request("dial", {"number": "911"})
            check(r["ok"], f"dial: {r}")
            ev = ctl.wait_event("emergency.started")
            check(ev["location"] == "by-value" and
                  ev["location_source"] == "manual", f"started: {ev}")
            ctl.wait_event("call.established")
            check(ctl.request("hangup")["ok"], "hangup")
            ctl.wait_event("call.closed")
        finally:
            if psap:
                psap.stop()
            s.close()
        invite = psap.requests("INVITE")[0]
        check(psapcheck.pidf_part(invite), "the INVITE carries a PIDF-LO")
        check("<gp:method>Manual</gp:method>" in invite and
              "<ca:HNO>1</ca:HNO>" in invite and
              "<ca:country>US</ca:country>" in invite,
              "the PIDF-LO carries the entered address, method Manual")


def test_each_mode_exactly_its_events():
    for mode, (first, dismissed, acked) in MODES.items():
        with Workdir() as wd:
            s = Places(wd, lis=False)
            try:
                s.vpn_up()
                ctl = s.start(wd, conf=f"location_required {mode}\n"
                              "disclaimer_text Tell them where you are.\n")
                place(ctl, lambda r: r["vpn"])
                got = prompts_so_far(ctl)
                check(got == first, f"{mode}: first {got}")

                r = ctl.request("location.dismiss")
                check(r["ok"] == (dismissed is not None),
                      f"{mode}: dismiss {r}")
                disclaimers = [e for e in ctl.events
                               if e["event"] == "location.disclaimer"]
                got = prompts_so_far(ctl)
                check(got == (dismissed or []), f"{mode}: dismissed {got}")
                if disclaimers:
                    check(disclaimers[0]["disclaimer_text"] ==
                          "Tell them where you are.", f"{disclaimers}")

                r = ctl.request("location.acknowledge-disclaimer")
                check(r["ok"] == (acked is not None),
                      f"{mode}: acknowledge {r}")
                check(prompts_so_far(ctl) == (acked or []),
                      f"{mode}: after acknowledging")
                state = ctl.request("location")["result"]["prompt"]
                want = {"no": None, "yes": "dismissed",
                        "disclaimer": "acknowledged"}[mode]
                check((state or {}).get("state") == want,
                      f"{mode}: prompt state {state}")
                print(f"  {mode}: {first} / {dismissed} / {acked}")
            finally:
                s.close()


def test_remember_locations_no():
    with Workdir() as wd:
        s = Places(wd, lis=False)
        try:
            s.vpn_up()
            ctl = s.start(wd, conf="location_required yes\n"
                          "remember_locations no\n")
            place(ctl, lambda r: r["vpn"])
            rc, out, err = s.eng.cli("location", "set", *ADDRESS)
            check(rc == 0, f"set still works: {err}")
            rc, out, err = s.eng.cli("location", "save", "Home")
            check(rc == 1 and "remember_locations is no" in err, err)
            rc, out, err = s.eng.cli("location", "list")
            check(rc == 0 and "nothing is kept" in out, out)
            rc, out, err = s.eng.cli("location", "forget-all")
            check(rc == 0, err)
            check(os.listdir(s.eng.data) == [],
                  f"nothing stored: {os.listdir(s.eng.data)}")
        finally:
            s.close()


def test_unidentified_network_still_asks():
    """A full-tunnel VPN without a physical default route: the place under
    it cannot be named, and after a moment the person is asked anyway."""
    with Workdir() as wd:
        s = Places(wd, lis=False)
        try:
            sh("ip", "route", "del", "default", ns=s.phone)
            s.vpn_up()
            ctl = s.start(wd, conf="location_required yes\n")
            ev = ctl.wait_event("location.prompt", timeout=15)
            check(ev["network"] is None and "VPN" in ev["reason"],
                  f"asked without a network name: {ev}")
            info = ctl.request("netinfo")["result"]
            check(info["vpn"] and info["place_fingerprint"] is None,
                  f"nothing to name the place by: {info}")
            rc, out, err = s.eng.cli("location", "set", *ADDRESS)
            check(rc == 0 and "in use     yes" in out, f"set: {out}{err}")
            rc, out, err = s.eng.cli("location", "save", "Somewhere")
            check(rc == 0 and "will be remembered once the network is "
                  "known" in out, f"kept, tied to no network yet: {out}{err}")
            check(prompts_so_far(ctl) == [], "asked once")
        finally:
            s.close()


if __name__ == "__main__":
    need_root()
    need("openssl")
    sys.exit(run([test_remembered_per_network,
                  test_emergency_call_carries_manual,
                  test_each_mode_exactly_its_events,
                  test_remember_locations_no,
                  test_unidentified_network_still_asks]))
