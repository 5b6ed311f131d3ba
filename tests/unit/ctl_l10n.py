#!/usr/bin/python3
"""locphonectl speaks the person's language: ctl_l10n.py LOCPHONECTL MODIR.

Run in French (fr_FR.UTF-8 compiled here with localedef, so no system
locale is needed; and LANGUAGE=fr under C.UTF-8) with the catalogue of the
build tree (LOCPHONE_LOCALEDIR=MODIR), its --help, a usage error, a
testcall option error and an unreachable engine come out in French and not
in English; in the C locale, or without the catalogue, in English."""

import os
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print(f"FAIL: {what}")


def run(ctl, args, env):
    res = subprocess.run([ctl] + args, capture_output=True, text=True,
                         env=env, timeout=30)
    return res.returncode, res.stdout, res.stderr


# (arguments, exit code, stream, French phrase, English phrase)
CASES = [
    (["--help"], 0, 1, "utilisation : locphonectl", "usage: locphonectl"),
    (["no-such-command"], 64, 2, "commandes :", "commands:"),
    (["testcall", "--timeout", "0"], 64, 2,
     "--timeout prend de 1 à 3600 secondes", "--timeout takes 1 to"),
    (["--socket", "/nonexistent/locphone-ctl.sock", "status"], 2, 2,
     "impossible de joindre le moteur", "cannot reach the engine"),
]


def expect(ctl, env, lang, where):
    for args, code, stream, fr, en in CASES:
        rc, out, err = run(ctl, args, env)
        text = out if stream == 1 else err
        want, unwanted = (fr, en) if lang == "fr" else (en, fr)
        check(rc == code and want in text and unwanted not in text,
              f"{where}: locphonectl {' '.join(args)}: exit {rc} "
              f"(want {code}), {'stdout' if stream == 1 else 'stderr'} "
              f"should say {want!r}, not {unwanted!r}: {text[:300]!r}")


def main():
    ctl, modir = sys.argv[1], sys.argv[2]
    check(os.path.isfile(os.path.join(modir, "fr", "LC_MESSAGES",
                                      "locphone.mo")),
          f"no French catalogue under {modir}")
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    base["LOCPHONE_LOCALEDIR"] = modir

    with tempfile.TemporaryDirectory(prefix="ctl-l10n-") as tmp:
        locpath = os.path.join(tmp, "locale")
        os.mkdir(locpath)
        res = subprocess.run(["localedef", "-i", "fr_FR", "-f", "UTF-8",
                              os.path.join(locpath, "fr_FR.UTF-8")],
                             capture_output=True, text=True, timeout=120)
        # localedef warns (exit 1) on harmless things; the locale is made
        made = os.path.isfile(os.path.join(locpath, "fr_FR.UTF-8",
                                           "LC_MESSAGES", "SYS_LC_MESSAGES"))
        check(made, f"localedef fr_FR.UTF-8 failed ({res.returncode}): "
              f"{res.stderr[-300:]}")
        if made:
            # as a French desktop sets it: LANG only, no LANGUAGE
            expect(ctl, dict(base, LOCPATH=locpath, LANG="fr_FR.UTF-8"),
                   "fr", "LANG=fr_FR.UTF-8")
        expect(ctl, dict(base, LC_ALL="C.UTF-8", LANGUAGE="fr"), "fr",
               "LANGUAGE=fr")
        # the C locale ignores LANGUAGE: English
        expect(ctl, dict(base, LC_ALL="C", LANGUAGE="fr"), "en", "LC_ALL=C")
        # French asked for, no catalogue where it looks: English
        expect(ctl, dict(base, LC_ALL="C.UTF-8", LANGUAGE="fr",
                         LOCPHONE_LOCALEDIR=tmp), "en", "no catalogue")

    if FAILS:
        return 1
    print("ok: locphonectl in French with the catalogue, English without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
