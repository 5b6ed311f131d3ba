#!/usr/bin/python3
"""The cost of schema validation in the tests: the in-process figures of
bench_xsd (schema load, per document against building it), the whole
unit test that validates every document we build (wall seconds), and one
document through ../shared/tools/validate-xml, as the PSAP checker of the
integration tests runs it per INVITE.  Prints one JSON line."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BUILD = os.environ.get("LOCPHONE_BUILD_ROOT", "build")
SOURCE = os.environ.get("LOCPHONE_SOURCE_ROOT", ".")
VALIDATE = os.path.join(SOURCE, "..", "shared", "tools", "validate-xml")
ROUNDS = 5


def main():
    r = subprocess.run([os.path.join(BUILD, "tests", "bench", "bench_xsd"),
                        "500"], capture_output=True, text=True, timeout=300)
    if r.returncode == 77 or not os.access(VALIDATE, os.X_OK):
        print("SKIP: no schemas next to the source tree")
        return 77
    if r.returncode:
        print(r.stdout + r.stderr)
        return 1
    out = json.loads(r.stdout)
    doc = None

    walls = []
    for _ in range(ROUNDS):
        t = time.monotonic()
        u = subprocess.run([os.path.join(BUILD, "tests", "unit",
                                         "test_xsd")],
                           capture_output=True, text=True, timeout=300)
        walls.append(time.monotonic() - t)
        if u.returncode:
            print(u.stdout + u.stderr)
            return 1
        line = [x for x in u.stdout.splitlines()
                if x.startswith("validated ")][-1]
        out["unit_test_documents"] = int(line.split()[1])
    out["unit_test_wall_s"] = round(statistics.median(walls), 3)

    # one PIDF-LO through validate-xml (xmllint loads the schemas each
    # time): what each emergency INVITE costs the integration tests
    with open(os.path.join(SOURCE, "tests", "fuzz", "corpus", "held",
                           "lis-sim-compound.xml")) as f:
        text = f.read()
    doc = text[text.index("<presence"):text.index("</locationResponse>")]
    with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
        f.write(doc)
        f.flush()
        walls = []
        for _ in range(ROUNDS):
            t = time.monotonic()
            v = subprocess.run([VALIDATE, "pidf", f.name],
                               capture_output=True, text=True, timeout=60)
            walls.append(time.monotonic() - t)
            if v.returncode:
                print(v.stdout + v.stderr)
                return 1
    out["validate_xml_per_document_s"] = round(statistics.median(walls), 3)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
