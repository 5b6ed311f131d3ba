#!/usr/bin/python3
"""network.changed -> location.changed: how long after the network changes
the engine knows its new location, with the LIS simulator on the loopback
of the engine's own namespace.  Each round moves the phone to a new subnet
(a new wiremap row), so every round is a real LIS query.  Reported against
the 4 h refresh interval of Lync/Skype for Business, the anchor for how
stale a location can otherwise get.  Prints one JSON line."""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (Engine, LisSim, Topology, Workdir, make_test_ca,  # noqa
                    need_root, sh, wait_for)

ROUNDS = 20
ANCHOR_MS = 4 * 3600 * 1000


def main():
    need_root()
    topo = Topology()
    try:
        phone = topo.ns("phone")
        switch = topo.ns("switch")
        topo.veth(phone, "eth0", switch, "sw0")
        with Workdir() as wd:
            wiremap = os.path.join(wd, "site.csv")
            with open(wiremap, "w") as f:
                f.write("kind,key,country,A3,RD,HNO,ROOM\n")
                for i in range(ROUNDS + 1):
                    f.write(f"subnet,10.78.{i}.0/24,US,Redmond,Main,1,"
                            f"{100 + i}\n")
            sh("ip", "addr", "add", "10.78.0.2/24", "dev", "eth0", ns=phone)
            ca, cert = make_test_ca(wd)
            lis = LisSim(wd, wiremap, cert=cert, netns=phone)
            eng = Engine(wd, "", netns=phone,
                         conf=f"lis_url {lis.tls_url}\nlis_ca_file {ca}\n"
                              "lldp_tx no\n")
            try:
                ctl = eng.ctl()
                wait_for(lambda: ctl.request("location")["result"]
                         ["source"] == "lis", 20, "the first LIS answer")
                net_ms, loc_ms = [], []
                for i in range(1, ROUNDS + 1):
                    ctl.events.clear()
                    t0 = time.monotonic()
                    sh("ip", "addr", "replace", f"10.78.{i}.2/24", "dev",
                       "eth0", ns=phone)
                    sh("ip", "addr", "del", f"10.78.{i - 1}.2/24", "dev",
                       "eth0", ns=phone)
                    ctl.wait_event("network.changed", timeout=20)
                    t1 = time.monotonic()
                    room = str(100 + i)
                    ctl.wait_event("location.changed", timeout=20,
                                   pred=lambda e: (e["civic"] or {}).get("ROOM")
                                   == room)
                    t2 = time.monotonic()
                    net_ms.append((t1 - t0) * 1000)
                    loc_ms.append((t2 - t0) * 1000)
            finally:
                eng.stop()
                lis.stop()
    finally:
        topo.close()

    med = statistics.median(loc_ms)
    print(json.dumps({
        "bench": "network-to-location",
        "rounds": ROUNDS,
        "network_changed_median_ms": round(statistics.median(net_ms), 1),
        "location_changed_median_ms": round(med, 1),
        "location_changed_max_ms": round(max(loc_ms), 1),
        "lis_query_median_ms": round(statistics.median(
            [b - a for a, b in zip(net_ms, loc_ms)]), 1),
        "anchor_refresh_ms": ANCHOR_MS,
        "ratio_to_anchor": med / ANCHOR_MS,
        "goal": "median < 300 ms",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
