#!/usr/bin/python3
"""Network sites (issue 14) with the real engine in a namespace of our own:
a phone moved from a subnet of site alpha to one of site beta dials 911 and
the INVITE goes to beta's route with beta's desk told; on a site with
e911_enabled no, 911 goes out as an ordinary call to the dialled number;
the site's refresh_interval and location_required reach the location
module, and a move during an emergency call changes nothing until the
call has ended.
sipp plays the account's PBX, both routes and both desks, each on its own
loopback address inside the phone's namespace."""

import os
import sys

from lphelp import (BUILD, Engine, Sipp, Topology, Workdir, check, need,
                    need_root, run, sh, site_switch, wait_for)
import psapcheck

FIXTURE = os.path.join(BUILD, "tests", "integration", "location_fixture.so")

RECORD = {
    "source": "lis",
    "civic": {"country": "CA", "A1": "ON", "A3": "Toronto", "RD": "King",
              "STS": "St W", "HNO": "100"},
    "geo": None, "method": "Wiremap", "provided_by": "lis.example.com",
    "obtained_at": "2024-05-01T12:00:00Z", "expires": "2099-05-02T12:00:00Z",
    "validated": True, "uris": [], "elin": None,
}

# Each site: its subnet on the switch and where its calls and desk are.
ADMIN = """\
[site alpha]
match_subnet 10.81.0.0/16
emergency_route sip:911@127.0.0.2:5060
notification_uris sip:desk@127.0.0.4:5060
[site beta]
match_subnet 10.82.0.0/16
emergency_route sip:911@127.0.0.3:5060
notification_uris sip:desk@127.0.0.5:5060
[site no-e911]
match_subnet 10.83.0.0/16
emergency_route sip:911@127.0.0.3:5060
e911_enabled no
"""


def move(phone, old, new):
    """The phone's address and default route from subnet old to new.
    The route's source stays 10.99.0.2 (eth0's first address, in no
    site and outside the gateway's subnet, so never the evidence):
    baresip 1.0.0 binds its SIP transport to the address it found at
    start and does not follow a move, which is not what this tests."""
    if old:
        sh("ip", "addr", "del", f"10.{old}.0.2/24", "dev", "eth0", ns=phone)
    sh("ip", "addr", "add", f"10.{new}.0.2/24", "dev", "eth0", ns=phone)
    sh("ip", "route", "replace", "default", "via", f"10.{new}.0.1",
       "src", "10.99.0.2", ns=phone)


def site_in_force(ctl):
    r = ctl.request("e911.policy")
    check(r["ok"], f"e911.policy: {r}")
    return r["result"]


def wait_site(ctl, name):
    """The e911.policy result once site name is in force."""
    return wait_for(lambda: (lambda r: r if r["site"]["name"] == name
                             else None)(site_in_force(ctl)),
                    15, f"site {name} in force")


def site_engine(wd, phone, admin):
    """The engine in phone, account alice at the PBX, the fixture location
    module, admin as its policy file."""
    path = os.path.join(wd, "policy.conf")
    with open(path, "w") as f:
        f.write(admin)
    return Engine(wd, "<sip:alice@127.0.0.1:5060>;regint=0\n",
                  conf=f"extra_module {FIXTURE}\n"
                  f"policy_file {path}\n", netns=phone)


def dial_911(ctl, site):
    """With RECORD as the location, 911 dialled on site, until answered."""
    r = ctl.request("test.location", RECORD)
    check(r["ok"], f"test.location: {r}")
    r = ctl.request("dial", {"number": "911"})
    check(r["ok"] and r["result"].get("emergency"),
          f"dial 911 on {site}: {r}")
    ctl.wait_event("call.established")


def test_move_between_sites():
    topo = Topology()
    try:
        phone, _ = site_switch(topo, (81, 82, 83))
        sh("ip", "addr", "add", "10.99.0.2/32", "dev", "eth0", ns=phone)
        move(phone, None, 81)
        with Workdir() as wd:
            pbx = Sipp(wd, "pbx.xml", "pbx", netns=phone)
            route_a = Sipp(wd, "pbx.xml", "route-a", netns=phone,
                           addr="127.0.0.2")
            route_b = Sipp(wd, "pbx.xml", "route-b", netns=phone,
                           addr="127.0.0.3")
            desk_a = Sipp(wd, "desk.xml", "desk-a", netns=phone,
                          addr="127.0.0.4")
            desk_b = Sipp(wd, "desk.xml", "desk-b", netns=phone,
                          addr="127.0.0.5")
            peers = (pbx, route_a, route_b, desk_a, desk_b)
            eng = site_engine(wd, phone, ADMIN)
            try:
                ctl = eng.ctl()
                res = wait_site(ctl, "alpha")
                site, src = res["site"], res["sources"]
                check(site["reason"] == "subnet 10.81.0.0/16 of site alpha",
                      f"why alpha: {site}")
                check(src["emergency_route"] == "site alpha" and
                      src["dial_strings"] == "default", f"sources: {src}")

                move(phone, 81, 82)
                site = wait_site(ctl, "beta")["site"]
                check(site["reason"] == "subnet 10.82.0.0/16 of site beta",
                      f"why beta: {site}")
                info = wait_for(lambda: (lambda r: r if (r.get("site") or {})
                                         .get("name") == "beta" else None)(
                    ctl.request("netinfo")["result"]), 10,
                    "netinfo naming site beta")
                check(info["subnet"] == "10.82.0.2/24", f"netinfo: {info}")
                rc, out, err = eng.cli("emergency", "policy")
                check(rc == 0 and "# site beta: subnet 10.82.0.0/16 of site "
                      "beta" in out and "# emergency_route from site beta"
                      in out, f"locphonectl emergency policy: {out} {err}")
                rc, out, err = eng.cli("netinfo")
                check(rc == 0 and "site       beta (subnet 10.82.0.0/16"
                      in out, f"locphonectl netinfo: {out} {err}")
                pol = ctl.request("e911.policy")["result"]["policy"]
                check(pol["emergency_route"] == "sip:911@127.0.0.3:5060",
                      f"beta's route in force: {pol}")

                dial_911(ctl, "beta")
                ctl.wait_event("emergency.started")
                check(ctl.request("hangup")["ok"], "hangup")
                ctl.wait_event("emergency.ended")
                wait_for(lambda: "e911: security desk" in eng.log_text(), 15,
                         "beta's desk to answer")

                # a site without E9-1-1: the number as dialled, ordinary
                move(phone, 82, 83)
                wait_site(ctl, "no-e911")
                ctl.events.clear()
                r = ctl.request("dial", {"number": "911"})
                check(r["ok"] and "emergency" not in r["result"],
                      f"dial 911 on no-e911: {r}")
                ctl.wait_event("call.established")
                check(ctl.request("hangup")["ok"], "hangup")
                ctl.wait_event("call.closed")
                check(not any(e.get("event", "").startswith("emergency.")
                              for e in ctl.events),
                      f"no emergency events: {ctl.events}")
            finally:
                eng.stop()
                for p in peers:
                    p.stop()

            invites_b = route_b.requests("INVITE")
            check(len(invites_b) == 1,
                  f"beta's route got {len(invites_b)} INVITEs")
            check(not route_a.requests("INVITE"), "alpha's route got none")
            msg = psapcheck.Message(invites_b[0])
            check(msg.request_uri.startswith("sip:911@127.0.0.3"),
                  f"Request-URI {msg.request_uri}")
            check(msg.get("geolocation-routing") == "yes",
                  "sent as an emergency call with location")
            check(len(desk_b.requests("MESSAGE")) == 1, "beta's desk told")
            check(not desk_a.requests("MESSAGE"), "alpha's desk not told")

            ordinary = pbx.requests("INVITE")
            check(len(ordinary) == 1, f"the PBX got {len(ordinary)} INVITEs")
            msg = psapcheck.Message(ordinary[0])
            check(msg.request_uri.startswith("sip:911@127.0.0.1"),
                  f"ordinary Request-URI {msg.request_uri}")
            check(msg.get("geolocation") is None and
                  msg.get("priority") is None,
                  "no emergency headers on the ordinary call")
    finally:
        topo.close()


# Sites whose values the location module applies (issue 14 item 1).
ADMIN_VALUES = """\
[site alpha]
match_subnet 10.81.0.0/16
emergency_route sip:911@127.0.0.2:5060
refresh_interval 10m
location_required no
[site beta]
match_subnet 10.82.0.0/16
emergency_route sip:911@127.0.0.3:5060
refresh_interval 20m
location_required yes
"""


def located(ctl, refresh_s, required):
    """The location result once it applies these site values."""
    def probe():
        loc = ctl.request("location")["result"]
        return (loc if loc["refresh_interval_s"] == refresh_s and
                loc["location_required"] == required else None)
    return wait_for(probe, 15, f"refresh_interval_s {refresh_s}, "
                    f"location_required {required} in the location")


def test_site_values_wait_for_the_call():
    """The site's refresh_interval and location_required reach the location
    module; a move during an emergency call changes neither the call's
    policy nor them until the call has ended."""
    topo = Topology()
    try:
        phone, _ = site_switch(topo, (81, 82))
        sh("ip", "addr", "add", "10.99.0.2/32", "dev", "eth0", ns=phone)
        move(phone, None, 81)
        with Workdir() as wd:
            route_a = Sipp(wd, "pbx.xml", "route-a", netns=phone,
                           addr="127.0.0.2")
            route_b = Sipp(wd, "pbx.xml", "route-b", netns=phone,
                           addr="127.0.0.3")
            eng = site_engine(wd, phone, ADMIN_VALUES)
            try:
                ctl = eng.ctl()
                wait_site(ctl, "alpha")
                located(ctl, 600, "no")

                dial_911(ctl, "alpha")

                # moved during the call: beta waits for its end
                ctl.request("location")  # events so far read, then dropped
                ctl.events.clear()
                move(phone, 81, 82)
                res = wait_for(lambda: (lambda r: r if r["site"].get(
                    "pending") == "beta" else None)(site_in_force(ctl)),
                    15, "beta pending while the call is up")
                check(res["site"]["name"] == "alpha" and
                      res["policy"]["emergency_route"] ==
                      "sip:911@127.0.0.2:5060" and
                      res["policy"]["refresh_interval_s"] == 600,
                      f"alpha's policy stays for the call: {res}")
                loc = ctl.request("location")["result"]
                check(loc["refresh_interval_s"] == 600 and
                      loc["location_required"] == "no",
                      f"the location keeps alpha's values: {loc}")
                check(not any(e["event"] == "policy.changed"
                              for e in ctl.events),
                      "no policy.changed during the call")

                check(ctl.request("hangup")["ok"], "hangup")
                ctl.wait_event("emergency.ended")
                ev = ctl.wait_event("policy.changed", pred=lambda e: (
                    e["site"]["name"] == "beta"))
                check(ev["policy"]["refresh_interval_s"] == 1200,
                      f"policy.changed carries beta's values: {ev}")
                wait_site(ctl, "beta")
                located(ctl, 1200, "yes")
                check("refresh_interval 1200 s from the policy in force"
                      in eng.log_text(), "the location module says so")
            finally:
                eng.stop()
                route_a.stop()
                route_b.stop()
            check(len(route_a.requests("INVITE")) == 1 and
                  not route_b.requests("INVITE"),
                  "the call went by alpha's route")
    finally:
        topo.close()


if __name__ == "__main__":
    need_root()
    need("sipp")
    sys.exit(run([test_move_between_sites,
                  test_site_values_wait_for_the_call]))
