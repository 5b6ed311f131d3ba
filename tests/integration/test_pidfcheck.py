#!/usr/bin/python3
"""locphone-pidfcheck (client/harness/pidfcheck): a valid PIDF-LO is valid
and read into the engine's location JSON; the fuzz corpus's real-world
documents are refused with the schema's reason; a broken document, one
without a location and a DOCTYPE say why; no schemas means "skipped";
a missing file is exit 2."""

import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lphelp import BUILD, SOURCE, check, run, scaled  # noqa: E402

PIDFCHECK = os.path.join(BUILD, "client", "harness", "pidfcheck",
                         "locphone-pidfcheck")
CORPUS = os.path.join(SOURCE, "tests", "fuzz", "corpus", "pidf")
XSD = os.path.join(SOURCE, "..", "shared", "xsd")


def pidfcheck(*args, data=None):
    r = subprocess.run([PIDFCHECK, *args], input=data, capture_output=True,
                       timeout=scaled(30))
    out = None
    if r.stdout:
        out = json.loads(r.stdout)
        check(r.stdout.count(b"\n") == 1, f"one line: {r.stdout!r}")
    return r.returncode, out, r.stderr.decode(errors="replace")


def corpus(name):
    with open(os.path.join(CORPUS, name), "rb") as f:
        return f.read()


def repaired():
    """civic-circle.xml made schema-valid: xs:boolean "true" and
    provided-by without bare text (RFC 4119's element-only content)."""
    doc = corpus("civic-circle.xml").replace(b">yes<", b">true<")
    return re.sub(rb"<gp:provided-by>[^<]*</gp:provided-by>", b"", doc)


def test_valid():
    rc, out, err = pidfcheck("-", data=repaired())
    check(rc == 0, f"exit {rc}: {out} {err}")
    check(out["valid"] is True and out["errors"] == [], f"valid: {out}")
    check(out["schema"] == "checked", f"schema {out['schema']}")
    check("parse_error" not in out, f"no parse_error: {out}")
    loc = out["location"]
    check(loc["civic"] == {"country": "US", "A1": "WA", "A3": "Redmond",
                           "RD": "163rd", "STS": "Ave", "HNO": "3910",
                           "FLR": "2"}, f"civic {loc['civic']}")
    check(loc["geo"]["shape"] == "Circle" and loc["geo"]["radius"] == 15
          and loc["geo"]["confidence"] == 67, f"geo {loc['geo']}")
    check(loc["method"] == "Wiremap", f"method {loc['method']}")


def test_file_and_xsd_dir():
    """The same document from a file, with the schemas named."""
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                        f"pidfcheck-{os.getpid()}.xml")
    with open(path, "wb") as f:
        f.write(repaired())
    try:
        rc, out, err = pidfcheck("--xsd-dir", XSD, path)
    finally:
        os.unlink(path)
    check(rc == 0 and out["valid"], f"exit {rc}: {out} {err}")


def test_corpus_schema_invalid():
    """Real-world documents that parse but break the schema: valid is
    false, the location is still read, the error names the element."""
    for name, words in (
            ("civic-circle.xml", "retransmission-allowed"),
            ("microsoft.xml", "retransmission-allowed"),
            ("person-ellipse-radians.xml", "usage-rules"),
            ("rfc4119-tuple.xml", "provided-by"),
            ("compound-default-ns.xml", "ELIN")):
        rc, out, err = pidfcheck(os.path.join(CORPUS, name))
        check(rc == 1, f"{name}: exit {rc}: {err}")
        check(out["valid"] is False, f"{name}: {out}")
        check(len(out["errors"]) == 1 and words in out["errors"][0]
              and out["errors"][0].startswith("schema: line "),
              f"{name}: errors {out['errors']} name {words}")
        check(out["location"] is not None and "parse_error" not in out,
              f"{name}: the engine still reads it: {out}")


def test_broken():
    """Truncated, unterminated, no location, DOCTYPE, not a PIDF."""
    cases = (
        (corpus("truncated.xml"), "not well-formed"),
        (b'<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="x"><tuple',
         "not well-formed"),
        (b'<presence xmlns="urn:ietf:params:xml:ns:pidf" '
         b'entity="pres:a@example.com"/>', "location"),
        (corpus("doctype.xml"), "document type"),
        (b'<html><body>hello</body></html>', ""),
        (b"", ""),
        (b"\xff\xfe<\x00p\x00", ""),
    )
    for doc, words in cases:
        rc, out, err = pidfcheck(data=doc)
        check(rc == 1, f"{doc[:40]!r}: exit {rc}: {out} {err}")
        check(out["valid"] is False and out["location"] is None,
              f"{doc[:40]!r}: {out}")
        check(out.get("parse_error") and words in out["parse_error"],
              f"{doc[:40]!r}: parse_error {out.get('parse_error')!r} "
              f"says {words!r}")
        check(any(e.startswith("location: ") for e in out["errors"]),
              f"{doc[:40]!r}: errors {out['errors']}")


def test_too_large():
    doc = repaired().replace(b"</presence>",
                             b"<!--" + b"x" * (300 * 1024) + b"-->"
                             b"</presence>")
    rc, out, err = pidfcheck(data=doc)
    check(rc == 1 and out["valid"] is False, f"exit {rc}: {out}")
    check(any("larger than" in e for e in out["errors"]), f"{out}")


def test_no_schemas():
    """No schema directory: skipped with where it looked, the parse
    alone decides."""
    rc, out, err = pidfcheck("--xsd-dir", "/nonexistent-xsd",
                             data=repaired())
    check(rc == 0, f"exit {rc}: {out} {err}")
    check(out["schema"].startswith("skipped: ") and
          "/nonexistent-xsd" in out["schema"], f"schema {out['schema']}")
    env = dict(os.environ, LOCPHONE_XSD_DIR="/nonexistent-env")
    r = subprocess.run([PIDFCHECK], input=repaired(), capture_output=True,
                       env=env, timeout=scaled(30))
    out = json.loads(r.stdout)
    check("/nonexistent-env" in out["schema"], f"env: {out['schema']}")


def test_usage():
    rc, out, err = pidfcheck("/nonexistent.xml")
    check(rc == 2 and out is None and "nonexistent" in err,
          f"missing file: exit {rc} {err}")
    rc, out, err = pidfcheck("a.xml", "b.xml")
    check(rc == 2 and "usage" in err, f"two files: exit {rc} {err}")
    rc, out, err = pidfcheck("--bogus")
    check(rc == 2 and "usage" in err, f"bad option: exit {rc} {err}")


if __name__ == "__main__":
    sys.exit(run([test_valid, test_file_and_xsd_dir,
                  test_corpus_schema_invalid, test_broken, test_too_large,
                  test_no_schemas, test_usage]))
