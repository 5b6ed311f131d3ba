#!/usr/bin/python3
"""Every translation is complete and current: po_check.py PODIR SRCROOT.

For each language of PODIR/LINGUAS, the .po is merged with a template
extracted afresh from the sources of PODIR/POTFILES (the keywords of
meson's glib preset, GtkBuilder files included), so a string added to the
code without its translation fails here; then msgfmt --check must find it
well-formed, with no untranslated and no fuzzy message."""

import os
import re
import subprocess
import sys
import tempfile

# meson's i18n preset 'glib' (what locphone-pot extracts with)
KEYWORDS = ["_", "N_", "C_:1c,2", "NC_:1c,2", "g_dcgettext:2",
            "g_dngettext:2,3", "g_dpgettext2:2c,3", "ngettext:1,2"]


def run(cmd):
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(f"FAIL: {' '.join(cmd)}: {res.stderr.strip()}")
    return res


def main():
    podir, srcroot = sys.argv[1], sys.argv[2]
    with open(os.path.join(podir, "LINGUAS")) as f:
        langs = f.read().split()
    if not langs:
        print("FAIL: LINGUAS names no language")
        return 1
    bad = []
    with tempfile.TemporaryDirectory(prefix="po-check-") as tmp:
        pot = os.path.join(tmp, "fresh.pot")
        run(["xgettext", "--from-code=UTF-8", "--package-name=locphone",
             "-D", srcroot, "-f", os.path.join(podir, "POTFILES"),
             "-o", pot] + [f"--keyword={k}" for k in KEYWORDS])
        for lang in langs:
            po = os.path.join(podir, f"{lang}.po")
            merged = os.path.join(tmp, f"{lang}.po")
            # no fuzzy matching: a changed string counts as untranslated
            run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged,
                 po, pot])
            res = run(["msgfmt", "--check", "--statistics", "-o",
                       os.devnull, merged])
            stats = res.stderr.strip()
            counts = {k: int(n) for n, k in re.findall(
                r"(\d+) (translated|untranslated|fuzzy)", stats)}
            print(f"{lang}: {stats}")
            if counts.get("translated", 0) == 0 or \
               counts.get("untranslated", 0) or counts.get("fuzzy", 0):
                bad.append(f"{lang}: {stats}")
            # what the sources lost is still in the .po: it went stale
            res = run(["msgattrib", "--only-obsolete", merged])
            if res.stdout.strip():
                bad.append(f"{lang}: messages no source uses any more "
                           "(run ninja locphone-update-po)")
    if bad:
        print("FAIL: " + "; ".join(bad))
        return 1
    print(f"ok - {len(langs)} translation(s) complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
