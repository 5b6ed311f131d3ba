#!/usr/bin/python3
"""Dial -> INVITE for each row of the e911 fault matrix
(tests/integration/test_e911_faults.py) against its no-fault row, the
rows taken in turn, ROUNDS times, in one run. Two no-fault rows: the
account's registrar on the far side (TCP over the phone's eth0: the
baseline of the rows that call the same way) and an emergency route on
the phone's loopback (UDP: the baseline of the rows with routes). Two
figures per row: the time from the dial (just before the request goes
into the control socket) to the first INVITE any PSAP's sipp logged, and
to the INVITE that took the call (after the row's refusals and
failovers); for the row where no call can be placed, the time to the
failure event; for the engine-restart row, from the SIGTERM (dial at
once with locphonectl, which dials again on the new engine). sipp's
trace times count sipp reading and logging the message too: the same for
every row. Needs root (namespaces). Prints one JSON line; ratios are
medians against the row's no-fault baseline, reported, not asserted."""

import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (Failure, Workdir, exit_with, need,  # noqa: E402
                    need_root)
import test_e911_faults as faults  # noqa: E402

ROUNDS = int(os.environ.get("LOCPHONE_BENCH_ROUNDS", "10"))  # 5 was noisy
# the rows that call through the account's registrar on the far side;
# every other row calls over a route
FAR_ROWS = ("no-fault", "fragments-dropped", "registrar-dead-no-route")


def ms(values):
    return round(statistics.median(values) * 1000, 3) if values else None


def main():
    need("sipp", "tshark", "dumpcap", "sysctl", "openssl")
    need_root()
    figures = {faults.row_name(r): {"first": [], "taken": [], "failed": []}
               for r in faults.ROWS}
    with Workdir() as wd:
        m = faults.Matrix(wd)
        try:
            for _ in range(ROUNDS):
                for row in faults.ROWS:
                    try:
                        res = row(m)
                    except Failure as e:
                        raise Failure(f"{faults.row_name(row)}: {e}")
                    if res is None:
                        continue  # skipped (no LIS simulator)
                    f = figures[faults.row_name(row)]
                    for key in ("first", "taken", "failed"):
                        if res.get(f"{key}_s") is not None:
                            f[key].append(res[f"{key}_s"])
        finally:
            m.close()

    rows = {}
    for name, f in figures.items():
        if not (f["first"] or f["taken"] or f["failed"]):
            continue
        base_name = "no-fault" if name in FAR_ROWS else "no-fault-route"
        base = figures[base_name]
        b_first, b_taken = ms(base["first"]), ms(base["taken"])
        first, taken, failed = ms(f["first"]), ms(f["taken"]), \
            ms(f["failed"])
        rows[name] = {
            "n": max(len(f["first"]), len(f["taken"]), len(f["failed"])),
            "baseline": base_name,
            "first_invite_p50_ms": first, "taken_invite_p50_ms": taken,
            "ratio_first": round(first / b_first, 2) if first else None,
            "ratio_taken": round(taken / b_taken, 2) if taken else None}
        if failed is not None:
            rows[name]["failed_event_p50_ms"] = failed
    print(json.dumps({"bench": "e911-faults-dial-to-invite",
                      "rounds": ROUNDS,
                      "rows": rows}))
    return 0


if __name__ == "__main__":
    exit_with(main)
