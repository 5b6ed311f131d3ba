#!/usr/bin/python3
"""Instructions (callgrind) to decode each capture in ../shared/lldp-captures
that the phone decodes, against a memcpy of the same frame, per frame.
Usage: bench_lldp_captures.py PROGRAM CAPTURE-DIR [OPS].  Prints one JSON
line per frame and a summary line; nothing is asserted about the figures
(a frame that no longer decodes fails the run)."""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import need  # noqa: E402
import lldpexpect  # noqa: E402

DEADLINE_S = 120


def total_ir(program, mode, ops, path, workdir):
    out = os.path.join(workdir, f"callgrind.{mode}.{ops}")
    res = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         "--error-exitcode=3", program, mode, str(ops), path],
        capture_output=True, text=True, timeout=DEADLINE_S)
    if res.returncode:
        raise RuntimeError(f"{path} {mode} {ops}: exit {res.returncode}: "
                           + res.stderr[-2000:])
    with open(out) as f:
        m = re.search(r"^(?:summary|totals):\s+(\d+)", f.read(), re.M)
    if not m:
        raise RuntimeError(f"no summary line in {out}")
    os.unlink(out)
    return int(m.group(1))


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        return 2
    need("valgrind")
    program, capdir = sys.argv[1:3]
    ops = int(sys.argv[3]) if len(sys.argv) == 4 else 2000
    if not os.path.exists(os.path.join(capdir, "frames.json")):
        print(f"no captures at {capdir}")
        return 1 if os.environ.get("CI") == "true" else 77
    rows = []
    with tempfile.TemporaryDirectory(prefix="locphone-bench-") as wd:
        for fr in lldpexpect.load(capdir):
            if lldpexpect.verdict(fr) == "refuse":
                continue
            per = {}
            for mode in ("decode", "copy"):
                n = total_ir(program, mode, ops, fr["path"], wd)
                z = total_ir(program, mode, 0, fr["path"], wd)
                per[mode] = (n - z) / ops
            row = {"bench": "lldp-capture-decode-ir", "frame": fr["name"],
                   "octets": len(lldpexpect.frame_octets(fr["path"])),
                   "ir_per_decode": round(per["decode"], 1),
                   "ir_per_copy": round(per["copy"], 1),
                   "ratio": round(per["decode"] / per["copy"], 1)
                   if per["copy"] > 0 else None}
            rows.append(row)
            print(json.dumps(row), flush=True)
    dec = sorted(r["ir_per_decode"] for r in rows)
    print(json.dumps({"bench": "lldp-capture-decode-ir", "frames": len(rows),
                      "ops": ops, "ir_per_decode_min": dec[0],
                      "ir_per_decode_median": dec[len(dec) // 2],
                      "ir_per_decode_max": dec[-1]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
