#!/usr/bin/python3
"""The LIS's usage rules reach the PSAP (issue 16 item 2).  In our own
namespaces a LIS simulator whose PIDF-LO says retransmission-allowed
false and a retention-expiry two hours ahead answers the phone; the 911
INVITE's PIDF-LO by value (sipp the PSAP) repeats both rules as the LIS
gave them, where the JSON between the modules used to drop them and the
engine wrote its own (true, a day ahead)."""

import os
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from lphelp import (Engine, Sipp, Topology, Workdir, check, need, need_root,
                    office_lis, run, sh, wait_for)
import psapcheck

LIS_IP = "10.77.0.1"
ROOM = "3105"
RETENTION_S = 7200
NS = {"gp": "urn:ietf:params:xml:ns:pidf:geopriv10",
      "gbp": "urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy"}


def rules(doc):
    """(retransmission-allowed text, retention-expiry as UTC seconds) of
    every gp:usage-rules in a PIDF-LO."""
    out = []
    for ur in ET.fromstring(doc).iter(f"{{{NS['gp']}}}usage-rules"):
        ra = ur.findtext("gbp:retransmission-allowed", namespaces=NS)
        re_ = ur.findtext("gbp:retention-expiry", namespaces=NS)
        check(re_, f"a retention-expiry in {doc}")
        t = datetime.fromisoformat(re_.replace("Z", "+00:00"))
        out.append((ra, t.astimezone(timezone.utc).timestamp()))
    check(out, f"usage rules in the PIDF-LO:\n{doc}")
    return out


def test_lis_rules_reach_the_invite():
    with Workdir() as wd:
        topo = Topology()
        lis = psap = eng = None
        try:
            phone = topo.ns("phone")
            office = topo.ns("office")
            topo.veth(phone, "eth0", office, "sw0")
            sh("ip", "addr", "add", f"{LIS_IP}/24", "dev", "sw0", ns=office)
            sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=phone)
            sh("ip", "route", "add", "default", "via", LIS_IP, ns=phone)
            ca, lis = office_lis(
                wd, office, LIS_IP, "10.77.0.0/24", ROOM,
                extra=("--retransmission-allowed", "no",
                       "--retention", str(RETENTION_S)))
            psap = Sipp(wd, "pbx.xml", "psap", netns=phone,
                        addr="127.0.0.1")
            started = datetime.now(timezone.utc).timestamp()
            eng = Engine(wd, f"<sip:alice@127.0.0.1:{psap.port}>"
                             ";regint=0\n", netns=phone,
                         conf=f"lis_url {lis.tls_url}\n"
                              f"lis_ca_file {ca}\n"
                              "lis_timeout_ms 1500\n")
            ctl = eng.ctl()

            def located():
                loc = ctl.request("location")["result"]
                return (loc if loc["source"] == "lis" and
                        (loc["civic"] or {}).get("ROOM") == ROOM else None)
            wait_for(located, 15, "the LIS's location")
            # the preview already shows the LIS's rules
            psapcheck.check_preview(
                eng, "<gbp:retransmission-allowed>false"
                     "</gbp:retransmission-allowed>")

            r = ctl.request("dial", {"number": "911"})
            check(r["ok"], f"dial: {r}")
            ev = ctl.wait_event("emergency.started")
            check(ev["location"] == "by-value" and
                  ev["location_source"] == "lis", f"started: {ev}")
            ctl.wait_event("call.established")
            check(ctl.request("hangup")["ok"], "hangup")
            ctl.wait_event("call.closed")
            done = datetime.now(timezone.utc).timestamp()
        finally:
            try:
                if eng:
                    eng.stop()
                if psap:
                    psap.stop()
                if lis:
                    lis.stop()
            finally:
                topo.close()

        invites = psap.requests("INVITE")
        check(invites, "the PSAP got the INVITE")
        doc = psapcheck.pidf_part(invites[0])
        check(doc, f"the INVITE carries a PIDF-LO:\n{invites[0]}")
        check(f"<ca:ROOM>{ROOM}</ca:ROOM>" in doc, "the LIS's address")
        for allowed, expiry in rules(doc):
            check(allowed == "false",
                  f"retransmission-allowed as the LIS said: {allowed}")
            # the LIS's: two hours after it answered (not the engine's
            # own day), to the second it wrote
            check(started + RETENTION_S - 5 <= expiry <=
                  done + RETENTION_S + 5,
                  f"retention-expiry as the LIS said: {expiry - started:.0f}"
                  f" s after the start, want about {RETENTION_S}")


if __name__ == "__main__":
    need_root()
    need("sipp", "openssl")
    sys.exit(run([test_lis_rules_reach_the_invite]))
