#!/usr/bin/python3
"""Instructions (callgrind's Ir) to decode one access switch's LLDPDU with
lldp_decode(), against a memcpy() of the same octets, in the same run.
Each mode runs twice under callgrind, with N frames and with none; the
difference over N is the per-frame cost, without start-up and the one-off
check of the frame.  Prints one JSON line; nothing is asserted about the
figures."""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import need  # noqa: E402

FRAMES = 10000
DEADLINE_S = 120  # per valgrind run; a decode run takes about 5 s


def total_ir(program, mode, frames, workdir):
    """Total Ir of one run, from callgrind's "summary:"/"totals:" line."""
    out = os.path.join(workdir, f"callgrind.{mode}.{frames}")
    res = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         "--error-exitcode=3", program, mode, str(frames)],
        capture_output=True, text=True, timeout=DEADLINE_S)
    if res.returncode:
        raise RuntimeError(f"{mode} {frames}: exit {res.returncode}: "
                           + res.stderr[-2000:])
    octets = re.search(r"frames of (\d+) octets", res.stdout)
    with open(out) as f:
        text = f.read()
    m = re.search(r"^(?:summary|totals):\s+(\d+)", text, re.M)
    if not m or not octets:
        raise RuntimeError(f"no summary line in {out} or no frame size")
    return int(m.group(1)), int(octets.group(1))


def main():
    if len(sys.argv) != 2:
        print("usage: bench_lldp_decode.py PATH-TO-bench_lldp_decode")
        return 2
    need("valgrind")
    program = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="locphone-bench-") as wd:
        per = {}
        for mode in ("decode", "copy"):
            ir_n, octets = total_ir(program, mode, FRAMES, wd)
            ir_0, _ = total_ir(program, mode, 0, wd)
            per[mode] = (ir_n - ir_0) / FRAMES
    print(json.dumps({
        "bench": "lldp-decode-ir",
        "frames": FRAMES,
        "frame": "chassis, port, TTL, system name, MED capabilities, "
                 "network policy, civic LCI",
        "frame_octets": octets,
        "ir_per_decode": round(per["decode"], 1),
        "ir_per_copy": round(per["copy"], 1),
        "ratio": round(per["decode"] / per["copy"], 1)
        if per["copy"] > 0 else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
