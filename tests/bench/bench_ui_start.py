#!/usr/bin/python3
"""The desktop UI's start against an empty GtkApplication window started
the same way, alternately in one run, on one private desktop (Xvfb,
D-Bus, AT-SPI): the time from exec to the location shown in the UI (its
location label reading the engine's manual location, the engine running)
against exec to the empty window on the AT-SPI bus, and the resident
memory of each then.  Prints one JSON line; bench_ui_start.py EMPTY."""

import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from uisession import LOCPHONE_UI, Desktop, need_desktop  # noqa: E402
from lphelp import (Engine, Failure, Workdir, check,  # noqa: E402
                    stop_process)

ROUNDS = 7
WORDS = "1 Main St, Floor 3, Springfield, IL 62701, US"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise Failure(f"no VmRSS for {pid}")


def poll(pred, timeout, what):
    """pred() every 5 ms (no back-off: the instant counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.005)
    raise Failure(f"timed out after {timeout} s waiting for {what}")


def app_of(tree, pid):
    for app in tree.root.applications():
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:  # leaving the bus meanwhile
            continue
    return None


def accessible_id(node):
    try:
        return node.get_accessible_id() or None
    except Exception:
        return None


def start(tree, cmd, shown):
    """Exec cmd; seconds until shown(app node) holds, and the RSS then."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        app = poll(lambda: app_of(tree, proc.pid), 30, f"{cmd[0]} on the bus")
        poll(lambda: shown(app), 30, f"{cmd[0]} to show")
        elapsed = time.monotonic() - t0
        # the memory once settled: the shown state, plus a moment
        time.sleep(0.3)
        check(proc.poll() is None, f"{cmd[0]} exited with {proc.poll()}")
        return elapsed, rss_kib(proc.pid)
    finally:
        stop_process(proc, 5)


def window_shown(app):
    return any(f.showing for f in app.children if f.roleName == "frame")


def location_shown():
    """A check of the UI's location label: the tree is walked until the
    label is found, then only its text is read (a walk per poll would
    weigh on the UI it measures)."""
    label = []

    def shown(app):
        if not label:
            label.extend(app.findChildren(
                lambda n: accessible_id(n) == "location", isLambda=True))
        return label and label[0].text == WORDS and label[0].showing
    return shown


def main():
    empty = sys.argv[1]
    need_desktop()
    desktop = Desktop()
    try:
        import dogtail.config
        dogtail.config.config.logDebugToFile = False
        dogtail.config.config.logDebugToStdOut = False
        dogtail.config.config.actionDelay = 0
        dogtail.config.config.defaultDelay = 0
        import dogtail.tree
        with Workdir() as wd:
            eng = Engine(wd, "<sip:alice@127.0.0.1:9>;regint=0\n")
            try:
                ctl = eng.ctl(subscribe=False)
                reply = ctl.request("location.set", {
                    "country": "US", "HNO": "1", "RD": "Main", "STS": "St",
                    "FLR": "3", "A3": "Springfield", "A1": "IL",
                    "PC": "62701"})
                ctl.close()
                check(reply.get("ok"), f"location.set: {reply}")
                ui_t, ui_rss, em_t, em_rss = [], [], [], []
                for i in range(ROUNDS):
                    # alternately, so that a slower moment of the machine
                    # falls on both
                    t, r = start(dogtail.tree, [empty], window_shown)
                    em_t.append(t)
                    em_rss.append(r)
                    t, r = start(dogtail.tree,
                                 [LOCPHONE_UI, "--socket", eng.socket],
                                 location_shown())
                    ui_t.append(t)
                    ui_rss.append(r)
            finally:
                eng.stop()
    except Failure as e:
        print(f"FAIL - bench ui-start: {e}")
        return 1
    finally:
        desktop.close()
    ui_ms = statistics.median(ui_t) * 1000
    em_ms = statistics.median(em_t) * 1000
    ui_kib = statistics.median(ui_rss)
    em_kib = statistics.median(em_rss)
    print(json.dumps({
        "bench": "ui-start",
        "rounds": ROUNDS,
        "ui_start_to_location_ms": round(ui_ms, 1),
        "empty_window_start_ms": round(em_ms, 1),
        "start_ratio": round(ui_ms / em_ms, 2),
        "ui_rss_kib": ui_kib,
        "empty_window_rss_kib": em_kib,
        "rss_ratio": round(ui_kib / em_kib, 2),
        "rss_extra_kib": ui_kib - em_kib,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
