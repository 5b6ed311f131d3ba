#!/usr/bin/python3
"""Instructions per operation, by callgrind, against a baseline operation
in the same run.  Usage:

  callgrind_per_op.py NAME PROGRAM MODE BASELINE-MODE [OPS]

PROGRAM is run as "PROGRAM MODE N" under valgrind --tool=callgrind with N
= OPS and with N = 0, for both modes; the difference over OPS is the cost
of one operation, without start-up and one-off work.  Prints one JSON line;
nothing is asserted about the figures."""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import need  # noqa: E402

DEADLINE_S = 300


def total_ir(program, mode, ops, workdir):
    out = os.path.join(workdir, f"callgrind.{mode}.{ops}")
    res = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         "--error-exitcode=3", program, mode, str(ops)],
        capture_output=True, text=True, timeout=DEADLINE_S)
    if res.returncode:
        raise RuntimeError(f"{mode} {ops}: exit {res.returncode}: "
                           + res.stderr[-2000:])
    with open(out) as f:
        m = re.search(r"^(?:summary|totals):\s+(\d+)", f.read(), re.M)
    if not m:
        raise RuntimeError(f"no summary line in {out}")
    return int(m.group(1)), res.stdout.strip()


def main():
    if len(sys.argv) not in (5, 6):
        print(__doc__)
        return 2
    need("valgrind")
    name, program, mode, base = sys.argv[1:5]
    ops = int(sys.argv[5]) if len(sys.argv) == 6 else 10000
    per, what = {}, ""
    with tempfile.TemporaryDirectory(prefix="locphone-bench-") as wd:
        for m in (mode, base):
            ir_n, what = total_ir(program, m, ops, wd)
            ir_0, _ = total_ir(program, m, 0, wd)
            per[m] = (ir_n - ir_0) / ops
    print(json.dumps({
        "bench": name,
        "ops": ops,
        "what": what,
        f"ir_per_{mode}": round(per[mode], 1),
        f"ir_per_{base}": round(per[base], 1),
        "ratio": round(per[mode] / per[base], 1) if per[base] > 0 else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
