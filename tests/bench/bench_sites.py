#!/usr/bin/python3
"""Dial to INVITE on the wire with 1,000 network sites in the
administrator's policy against none: two engines side by side in one
run, emergency calls dialled alternately on each, each to its own sipp,
timed as bench e911-dial-to-invite times them (the kernel's timestamp of
the INVITE on lo).  The sites are matched on network changes, not when
dialling, so the goal is a ratio near 1.  Needs root (the packet socket).
Prints one JSON line; the goal (ratio at most 1.05) is reported, not
asserted."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import Engine, Sipp, Workdir, check, need, need_root  # noqa
from bench_e911 import FIXTURE, RECORD, WireClock, dial, summary  # noqa

CALLS = 100  # on each engine
WARMUP = 20
SITES = 1000


def sites_policy():
    """SITES sites on 198.18.0.0/15 (the benchmarking range: never the
    host's own network), each with a route and desk of its own."""
    lines = []
    for i in range(SITES):
        lines += [f"[site s{i}]\n",
                  f"match_subnet 198.{18 + i // 256}.{i % 256}.0/24\n",
                  f"notification_uris sip:desk{i}@198.18.0.1\n"]
    return "".join(lines)


def engine(wd, name, psap, admin):
    d = os.path.join(wd, name)
    os.makedirs(d)
    path = os.path.join(d, "policy.conf")
    with open(path, "w") as f:
        f.write(admin)
    return Engine(d, f"<sip:alice@127.0.0.1:{psap.port}>;regint=0\n",
                  conf=f"extra_module {FIXTURE}\npolicy_file {path}\n")


def main():
    need("sipp")
    need_root()
    with Workdir() as wd:
        runs = {}
        for name, admin in (("none", ""), ("sites", sites_policy())):
            psap = Sipp(wd, "refuse.xml", f"psap-{name}")
            runs[name] = {"psap": psap, "eng": engine(wd, name, psap, admin),
                          "clock": WireClock(psap.port), "dialled": {}}
        try:
            for r in runs.values():
                r["ctl"] = r["eng"].ctl()
                res = r["ctl"].request("e911.policy")["result"]
                r["sites"] = res["site"]["sites"]
                for _ in range(WARMUP):
                    dial(r["ctl"], "5551234")
                check(r["ctl"].request("test.location", RECORD)["ok"],
                      "location")
            check(runs["sites"]["sites"] == SITES and
                  runs["none"]["sites"] == 0,
                  f"sites defined: {runs['sites']['sites']}")
            for i in range(2 * CALLS):
                r = runs["none" if i % 2 == 0 else "sites"]
                t = time.time()
                r["dialled"][dial(r["ctl"], "911")] = t
        finally:
            for r in runs.values():
                r["clock"].stop()
                r["eng"].stop()
                r["psap"].stop()

        # two packet sockets on lo at once now and then lose a frame
        # under load (seen in about one run of three): such calls are
        # counted, not timed, and a run that loses a tenth fails
        lat, missed = {}, {}
        for name, r in runs.items():
            wire = r["clock"].first
            lat[name] = [(wire[cid] - t) * 1000
                         for cid, t in r["dialled"].items() if cid in wire]
            missed[name] = CALLS - len(lat[name])
            check(missed[name] <= CALLS // 10,
                  f"{missed[name]} of {CALLS} INVITEs not seen on lo")
        s, n = summary(lat["sites"]), summary(lat["none"])
        ratio = s["mean_ms"] / n["mean_ms"]
        print(json.dumps({
            "bench": "sites-dial-to-invite",
            "sites_1000": s, "no_sites": n,
            "ratio_mean": round(ratio, 3),
            "ratio_p50": round(s["p50_ms"] / n["p50_ms"], 3),
            "goal_ratio_le_1_05": ratio <= 1.05,
            "not_seen_on_lo": missed,
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
