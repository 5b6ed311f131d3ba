#!/usr/bin/python3
"""Saved locations survive kill -9 (issue 6).  The engine is killed with
SIGKILL at each step of a save (it kills itself there when the test sets
LOCPHONE_TEST_SAVE_KILL_STEP), and at unplanned points of a stream of
saves from a client; every time the file parses and holds either the old
or the new contents, and the next engine starts with them.  A damaged file
is set aside with a clear message, never emptied silently."""

import glob
import json
import os
import random
import signal
import socket
import sys
import threading

from lphelp import Engine, Workdir, check, run, wait_for

FILE = "saved-locations.json"
OLD = {"version": 1, "locations": [{
    "name": "Old", "civic": {"country": "DE", "A1": "BE", "A3": "Berlin",
                             "RD": "Unter den Linden", "HNO": "77"},
    "networks": []}]}
NEW_ARGS = {"country": "US", "A1": "WA", "A3": "Redmond", "RD": "Microsoft",
            "STS": "Way", "HNO": "1"}

# steps of savedloc_save: before the rename the old file stands
STEPS = {"create": "old", "write": "old", "fsync": "old", "rename": "new",
         "dirsync": "new"}


def names_in(path):
    with open(path) as f:
        doc = json.load(f)  # must parse, whole
    check(doc["version"] == 1, f"version: {doc}")
    return [loc["name"] for loc in doc["locations"]], doc


def killed(eng):
    """The engine died by SIGKILL; close its log without the clean-exit
    checks of Engine.stop()."""
    eng.proc.wait(10)
    eng.log.close()
    check(eng.proc.returncode == -signal.SIGKILL,
          f"killed by SIGKILL, not {eng.proc.returncode}")


def restart_lists(wd, want):
    """A new engine on the same data starts with exactly want."""
    eng = Engine(wd, "")
    try:
        listed = eng.ctl().request("location.list")["result"]["locations"]
        check([loc["name"] for loc in listed] == want,
              f"restart lists {listed}, want {want}")
        check("damaged" not in eng.log_text(), "nothing set aside")
    finally:
        eng.stop()


def test_kill_at_each_step():
    for step, survivor in STEPS.items():
        with Workdir() as wd:
            data = os.path.join(wd, "data")
            os.makedirs(data, mode=0o700)
            with open(os.path.join(data, FILE), "w") as f:
                json.dump(OLD, f)
            eng = Engine(wd, "", extra_env={
                "LOCPHONE_TEST_SAVE_KILL_STEP": step})
            ctl = eng.ctl(subscribe=False)
            check(ctl.request("location.set", NEW_ARGS)["ok"], "set")
            ctl.sock.sendall(b'{"id":99,"cmd":"location.save",'
                             b'"args":{"name":"New"}}\n')
            check(ctl.read_line(10) is None, f"{step}: no answer, it died")
            killed(eng)

            names, _ = names_in(os.path.join(data, FILE))
            want = ["Old"] if survivor == "old" else ["Old", "New"]
            check(names == want, f"kill at {step}: {names}, want {want}")
            restart_lists(wd, want)
            print(f"  killed at {step}: the {survivor} file, whole")


BURST = 150


class Saver(threading.Thread):
    """Sends BURST set + save pairs at once (HNO = 1, 2, ...) and counts
    the saves the engine confirmed, until the engine dies."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.sent = 0
        self.acked = 0
        self.reader = threading.Thread(target=self.read, daemon=True)

    def read(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, _, buf = buf.partition(b"\n")
                m = json.loads(line)
                if m.get("ok") and m["id"] % 2 == 0:
                    self.acked = max(self.acked, m["id"] // 2)

    def run(self):
        self.reader.start()
        # one burst: the engine saves back to back, so the kill lands
        # inside a save far more often than between two
        msg = ""
        for i in range(1, BURST + 1):
            args = dict(NEW_ARGS, HNO=str(i))
            msg += (json.dumps({"id": 2 * i - 1, "cmd": "location.set",
                                "args": args}) + "\n" +
                    json.dumps({"id": 2 * i, "cmd": "location.save",
                                "args": {"name": "Loop"}}) + "\n")
        self.sent = BURST
        try:
            self.sock.sendall(msg.encode())
        except OSError:
            return


def test_kill_during_stream_of_saves():
    rng = random.Random(int(os.environ.get("LOCPHONE_SEED", "6")))
    rounds = 12
    with Workdir() as wd:
        path = os.path.join(wd, "data", FILE)
        for r in range(rounds):
            eng = Engine(wd, "")
            saver = Saver(eng.socket)
            saver.start()
            goal = rng.randint(3, BURST - 10)
            wait_for(lambda: saver.acked >= goal, 30,
                     f"{goal} confirmed saves")
            os.kill(eng.proc.pid, signal.SIGKILL)
            killed(eng)
            saver.reader.join(10)
            acked, sent = saver.acked, saver.sent

            names, doc = names_in(path)
            check(names == ["Loop"], f"round {r}: {names}")
            hno = int(doc["locations"][0]["civic"]["HNO"])
            # the confirmed save or one after it, never an older one
            check(acked <= hno <= sent,
                  f"round {r}: HNO {hno}, confirmed {acked}, sent {sent}")
            check(not glob.glob(path + ".corrupt-*"), "nothing set aside")
            print(f"  round {r}: killed after {acked} confirmed saves "
                  f"({sent} sent), the file holds save {hno}")
        restart_lists(wd, ["Loop"])


def test_damaged_file_set_aside():
    with Workdir() as wd:
        data = os.path.join(wd, "data")
        os.makedirs(data, mode=0o700)
        path = os.path.join(data, FILE)
        broken = json.dumps(OLD)[:40]  # cut off mid-way
        with open(path, "w") as f:
            f.write(broken)
        eng = Engine(wd, "")
        try:
            ctl = eng.ctl(subscribe=False)
            listed = ctl.request("location.list")["result"]
            check(listed["locations"] == [], f"starts empty: {listed}")
            aside = glob.glob(path + ".corrupt-*")
            check(len(aside) == 1 and open(aside[0]).read() == broken,
                  f"set aside whole: {aside}")
            log = eng.log_text()
            check(f"{path} is damaged" in log and aside[0] in log,
                  "the log says what and where")
            check(ctl.request("location.set", NEW_ARGS)["ok"], "set")
            check(ctl.request("location.save", {"name": "New"})["ok"],
                  "save after")
            check(names_in(path)[0] == ["New"], "a new file")
        finally:
            eng.stop()


if __name__ == "__main__":
    sys.exit(run([test_kill_at_each_step, test_kill_during_stream_of_saves,
                  test_damaged_file_set_aside]))
