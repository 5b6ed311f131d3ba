#!/usr/bin/python3
"""Every frame in ../shared/lldp-captures decodes as tshark read it, field
by field (chassis and port ID with subtypes, TTL, system name, port
description, LLDP-MED capabilities and device type, network policies,
civic What, country and CA elements, coordinates, ELIN), or is refused
where lldpexpect.py says why; a malformed frame is refused whole or loses
only its bad TLV.  Usage: lldp_captures.py DUMPER CAPTURE-DIR.  Skips (77)
without the captures, but fails so in CI (CI=true)."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
import lldpexpect  # noqa: E402


def main():
    dumper, capdir = sys.argv[1:3]
    if not os.path.exists(os.path.join(capdir, "frames.json")):
        print(f"no captures at {capdir}")
        return 1 if os.environ.get("CI") == "true" else 77

    frames = lldpexpect.load(capdir)
    out = subprocess.run([dumper] + [fr["path"] for fr in frames],
                         capture_output=True, check=True, timeout=30)
    # json.loads refuses invalid UTF-8: the decoder's text is checked too
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    if len(lines) != len(frames):
        print(f"{len(lines)} results for {len(frames)} frames")
        return 1

    failed, tally = 0, {}
    for fr, res in zip(frames, lines):
        v = lldpexpect.verdict(fr)
        tally[v] = tally.get(v, 0) + 1
        problems = []
        if v == "refuse":
            if res["err"] == 0:
                problems.append("decoded, but must be refused: "
                                + json.dumps(res["frame"]))
        elif res["err"]:
            problems.append(f"refused: {res['why']}")
        else:
            problems += lldpexpect.differences(
                lldpexpect.expected_netinfo(fr), res["frame"])
            problems += lldpexpect.check_utf8(res["frame"])
            t = fr["tshark"]
            raw = res["raw"]
            if raw["chassis"] != t["chassis"]["raw"]:
                problems.append(f"chassis octets {raw['chassis']}")
            if raw["port"] != t["port"]["raw"]:
                problems.append(f"port octets {raw['port']}")
            if t["civic"] and v == "decode" and \
                    raw.get("what") != t["civic"]["what"]:
                problems.append(f"civic What {raw.get('what')}, "
                                f"expected {t['civic']['what']}")
            if v == "drop" and raw["dropped"] != 1:
                problems.append(f"{raw['dropped']} TLVs dropped, "
                                "expected 1")
            if v == "decode" and raw["dropped"]:
                problems.append(f"a TLV dropped: {res.get('why')}")
        if problems:
            failed += 1
            print(f"FAIL {fr['name']} ({fr['kind']}, {v}):")
            for p in problems:
                print(f"    {p}")
        else:
            print(f"ok   {fr['name']} ({v}"
                  + (f": {res['why']}" if res.get("why") else "") + ")")

    print(f"{len(frames)} frames {tally}, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
