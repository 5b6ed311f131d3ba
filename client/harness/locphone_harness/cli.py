"""locphone-harness [SITE-FILE] [--scenario NAME]... [--report-json FILE]
[--keep] [--narrate]: proves a site's emergency calling end to end."""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time

from . import procs, runner, site as sitefile


class Interrupted(Exception):
    pass


def _on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def print_result(res, say):
    mark = "PASS" if res["pass"] else ("SKIP" if res.get("skipped")
                                       else "FAIL")
    say(f"  {mark} {res['name']} ({res.get('seconds', 0):.1f} s): "
        f"{res['why']}")
    if not res["pass"] and not res.get("skipped"):
        say(f"       expected: {runner.expected_words(res['expected'])}")
        sent = res["sent"]
        if isinstance(sent, dict):
            say(f"       sent:     {sent['request_uri']} ({sent['route']}"
                f" route), location {sent['location']}"
                + (f" from {sent['location_source']}"
                   if sent.get("location_source") else ""))
        rec = res["received"]
        if isinstance(rec, dict):
            loc = rec.get("location")
            say(f"       received: {rec['content_type'] or 'no body'}, "
                f"location {'yes' if rec['location_received'] else 'none'}"
                + (f": {loc}" if loc else ""))


def narrate_invite(res, say, full):
    """What was sent and what the PSAP received; full: with the PIDF-LO
    and every header (the first scenario), else one line each."""
    sent = res["sent"] if isinstance(res["sent"], dict) else None
    if sent:
        say(f"    the phone sent: INVITE {sent['request_uri']} on the "
            f"{sent['route']} route, location {sent['location']}")
        if full:
            for line in sent["headers"].split("\r\n"):
                if line:
                    say(f"      {line}")
    rec = res["received"] if isinstance(res["received"], dict) else None
    if rec:
        say(f"    the PSAP at {rec['psap']} received INVITE "
            f"{rec['request_uri']}: {rec['content_type'].split(';')[0]} "
            f"({', '.join(p['content_type'] for p in rec['parts'])})"
            f", location {'by value' if rec['location_received'] else 'none'}")
        if full:
            for name in ("geolocation", "geolocation-routing", "priority"):
                for v in (rec.get("headers") or {}).get(name, []):
                    say(f"      {name.title()}: {v}")
            if rec.get("pidf"):
                say("    the PIDF-LO it received:")
                for line in rec["pidf"].splitlines():
                    say(f"      | {line}")


def main(argv=None, paths=None, sites_dir=None):
    ap = argparse.ArgumentParser(
        prog="locphone-harness",
        description="Builds a site out of network namespaces, runs its "
        "emergency-call scenarios and reports what each delivered.")
    ap.add_argument("site", nargs="?", help="the site file (default: the "
                    "shipped office site)")
    ap.add_argument("--scenario", action="append", default=[],
                    metavar="NAME", help="run only this scenario "
                    "(repeatable)")
    ap.add_argument("--report-json", metavar="FILE",
                    help="write the report as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the work "
                    "directory (logs, captures) after the run")
    ap.add_argument("--narrate", action="store_true", help="tell what each "
                    "phone discovers and the INVITE the PSAP received")
    ap.add_argument("--check", action="store_true", help="only check the "
                    "site file")
    args = ap.parse_args(argv)
    if paths:
        procs.configure(**paths)
    path = args.site or os.path.join(sites_dir or ".", "office.yaml")
    try:
        site = sitefile.load(path)
    except sitefile.SiteError as e:
        print(f"locphone-harness: the site file is refused:\n{e}",
              file=sys.stderr)
        return 2
    names = [s["name"] for s in site["scenarios"]]
    for n in args.scenario:
        if n not in names:
            print(f"locphone-harness: no scenario '{n}' in {path} (it has: "
                  f"{', '.join(names)})", file=sys.stderr)
            return 2
    if args.check:
        print(f"{path}: site '{site['name']}', {len(names)} scenarios: ok")
        return 0
    if os.geteuid() != 0:
        print("locphone-harness: must run as root (it builds network "
              "namespaces)", file=sys.stderr)
        return 2
    chosen = [s for s in site["scenarios"]
              if not args.scenario or s["name"] in args.scenario]

    def say(text=""):
        print(text, flush=True)
    speak = runner.Say(narrate=args.narrate)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    stale = runner.stale_namespaces()
    if stale:
        say(f"removed {len(stale)} namespace(s) left by a killed run: "
            + ", ".join(stale))
    wd = tempfile.mkdtemp(prefix="locphone-harness-")
    os.chmod(wd, 0o755)
    results = []
    status = 1
    run = None
    t0 = time.monotonic()
    try:
        say(f"site {site['name']} ({path}): building")
        say(f"work directory: {wd}")
        run = runner.Runner(site, wd, speak)
        run.build()
        for i, sc in enumerate(chosen, 1):
            say(f"[{i}/{len(chosen)}] {sc['name']}"
                + (f": {sc['description']}" if sc.get("description") else ""))
            res = run.run_scenario(sc)
            results.append(res)
            if args.narrate:
                narrate_invite(res, say, full=(i == 1))
            print_result(res, say)
        status = 0 if all(r["pass"] for r in results) else 1
    except Interrupted as e:
        say(f"interrupted ({e}): removing the site")
        status = 130
    except procs.Failure as e:
        say(f"the site could not be built: {e}")
        status = 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        if run is not None:
            run.close()
        else:
            runner.stale_namespaces()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
    passed = sum(1 for r in results if r["pass"])
    failed = len(results) - passed
    report = {"site": site["name"], "scenarios": [
        {k: r.get(k) for k in ("name", "expected", "sent", "received",
                               "pass", "why", "seconds")}
        for r in results], "passed": passed, "failed": failed}
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    say(f"{passed} passed, {failed} failed "
        f"({time.monotonic() - t0:.1f} s)")
    if args.keep:
        say(f"kept {wd}")
    else:
        shutil.rmtree(wd, ignore_errors=True)
    if status == 0 and failed:
        status = 1
    return status
