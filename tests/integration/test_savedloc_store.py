#!/usr/bin/python3
"""The saved-locations file is the truth (issue 11, items 7 and 10).

A save the disk refuses changes nothing: the engine's data directory is a
tmpfs of 64 KiB in a mount namespace of its own; filled up (ENOSPC), then
read-only (EROFS), `location save`, `delete` and `forget-all` are refused
with the reason, `location list` stays equal to the file, and the next save
that succeeds does not write what was refused.  An I/O error (EIO, injected
at the write with LOCPHONE_TEST_SAVE_FAIL) is refused the same way.

A location saved before the network is identified (the phone's link comes
up only after the save) is said to be remembered once the network is
known, is tied to it as soon as it is, and a restart on that network uses
it without asking."""

import json
import os
import sys

from lphelp import (Engine, Topology, Workdir, check, need_root, run, sh,
                    wait_for)

GW = "10.77.0.1"
FILE = "saved-locations.json"
HOME = ["--HNO", "1", "--RD", "Microsoft", "--STS", "Way", "--A3",
        "Redmond", "--A1", "WA", "--country", "US"]
CABIN = ["--HNO", "7", "--RD", "Lake", "--STS", "Rd", "--A3", "Leavenworth",
         "--A1", "WA", "--country", "US"]


class Phone:
    """The phone's namespace with a gateway (link up or not yet)."""

    def __init__(self, link_up=True):
        self.topo = Topology()
        self.ns = self.topo.ns("phone")
        self.lan = self.topo.ns("lan")
        self.topo.veth(self.ns, "eth0", self.lan, "sw0")
        sh("ip", "addr", "add", f"{GW}/24", "dev", "sw0", ns=self.lan)
        sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=self.ns)
        if link_up:
            self.link_up()
        else:
            sh("ip", "link", "set", "eth0", "down", ns=self.ns)

    def link_up(self):
        sh("ip", "link", "set", "eth0", "up", ns=self.ns)
        sh("ip", "route", "replace", "default", "via", GW, ns=self.ns)

    def close(self):
        self.topo.close()


def identified(ctl):
    return wait_for(lambda: ctl.request("netinfo")["result"]
                    ["place_fingerprint"], 15, "an identified network")


def listed(eng):
    rc, out, err = eng.cli("--json", "location", "list")
    check(rc == 0, f"location list: {rc} {err}")
    return json.loads(out)["result"]


def same_as_file(eng, doc, what):
    """location list shows exactly what the file holds."""
    got = listed(eng)["locations"]
    want = doc["locations"] if doc else []
    check([(l["name"], l["civic"], l["networks"]) for l in got] ==
          [(l["name"], l["civic"], len(l["networks"])) for l in want],
          f"{what}: the list {got} is the file {want}")


class Tiny:
    """The engine with its data directory on a 64 KiB tmpfs in a mount
    namespace of its own; the test reaches the tmpfs through nsenter."""

    def __init__(self, wd, phone):
        self.data = os.path.join(wd, "data")
        os.makedirs(self.data, mode=0o700, exist_ok=True)
        mount = ('mount -t tmpfs -o size=64k,mode=0700 tmpfs "$0" && '
                 'exec "$@"')
        self.eng = Engine(wd, "", netns=phone.ns, wrap=(
            "unshare", "--mount", "--propagation", "private",
            "sh", "-c", mount, self.data))
        # unshare, sh and locphoned exec in turn: the pid is baresip's
        self.pid = str(self.eng.proc.pid)

    def inside(self, *cmd, check_rc=True):
        return sh("nsenter", "-t", self.pid, "-m", *cmd, check_rc=check_rc)

    def file(self):
        text = self.inside("sh", "-c",
                           f"cat {self.data}/{FILE} 2>/dev/null || true")
        return json.loads(text) if text.strip() else None

    def fill(self):
        self.inside("sh", "-c", f"cat /dev/zero > {self.data}/filler",
                    check_rc=False)
        df = self.inside("df", "--output=avail", self.data)
        check(df.split()[-1] == "0", f"the disk is full: {df}")

    def unfill(self):
        self.inside("rm", f"{self.data}/filler")


def refused(eng, why, *args):
    rc, out, err = eng.cli("location", *args)
    check(rc == 1 and "could not be written" in err and why in err and
          "nothing was changed" in err,
          f"location {' '.join(args)} refused ({why}): {rc} {out}{err}")


def test_full_and_read_only_disk():
    with Workdir() as wd:
        phone = Phone()
        t = None
        try:
            t = Tiny(wd, phone)
            eng = t.eng
            identified(eng.ctl())
            check(eng.cli("location", "set", *HOME)[0] == 0, "set")
            rc, out, err = eng.cli("location", "save", "Home")
            check(rc == 0, f"save Home: {out}{err}")
            before = t.file()
            check([l["name"] for l in before["locations"]] == ["Home"],
                  f"saved: {before}")

            # disk full: a new place, a replacement, a delete: refused
            t.fill()
            check(eng.cli("location", "set", *CABIN)[0] == 0, "set")
            refused(eng, "No space left on device", "save", "Hotel")
            same_as_file(eng, t.file(), "after a refused save")
            check(t.file() == before, "the file is as it was")
            refused(eng, "No space left on device", "save", "Home")
            same_as_file(eng, t.file(), "after a refused replacement")
            check(listed(eng)["locations"][0]["civic"]["HNO"] == "1",
                  "Home keeps its address")
            check(listed(eng)["in_use"] is None,
                  "nothing refused is in use under a saved name")

            # room again: the next save writes only what it saves
            t.unfill()
            rc, out, err = eng.cli("location", "save", "Cabin")
            check(rc == 0, f"save Cabin: {out}{err}")
            doc = t.file()
            check([l["name"] for l in doc["locations"]] ==
                  ["Home", "Cabin"],
                  f"no refused place written: {doc}")
            same_as_file(eng, doc, "after the next save")

            # read-only: delete and forget-all refused, nothing lost
            t.inside("mount", "-o", "remount,ro", t.data)
            refused(eng, "Read-only file system", "delete", "Home")
            refused(eng, "Read-only file system", "forget-all")
            refused(eng, "Read-only file system", "save", "Shed")
            same_as_file(eng, doc, "read-only")
            check(listed(eng)["in_use"] == "Cabin", "Cabin still in use")
            loc = eng.ctl().request("location")["result"]
            check(loc["source"] == "manual" and
                  loc["civic"]["HNO"] == "7", f"still used: {loc}")

            t.inside("mount", "-o", "remount,rw", t.data)
            check(eng.cli("location", "delete", "Home")[0] == 0, "delete")
            same_as_file(eng, t.file(), "after the delete")
            check([l["name"] for l in t.file()["locations"]] == ["Cabin"],
                  "only Home went")
            log = eng.log_text()
            check("stay as they were" in log, "the engine log says so")
        finally:
            if t:
                t.eng.stop()
            phone.close()


def test_io_error():
    with Workdir() as wd:
        phone = Phone()
        eng = None
        try:
            data = os.path.join(wd, "data")
            eng = Engine(wd, "", netns=phone.ns,
                         extra_env={"LOCPHONE_TEST_SAVE_FAIL": "write:EIO"})
            identified(eng.ctl())
            check(eng.cli("location", "set", *HOME)[0] == 0, "set")
            refused(eng, "Input/output error", "save", "Home")
            check(not os.path.exists(os.path.join(data, FILE)) and
                  not os.path.exists(os.path.join(data, FILE + ".tmp")),
                  f"no file: {os.listdir(data) if os.path.isdir(data) else None}")
            same_as_file(eng, None, "after an I/O error")
            # the location stays entered for this network, unsaved
            loc = eng.ctl().request("location")["result"]
            check(loc["source"] == "manual" and
                  "you entered" in loc["reason"], f"entered: {loc}")
        finally:
            if eng:
                eng.stop()
            phone.close()


def test_saved_before_the_network_is_known():
    with Workdir() as wd:
        phone = Phone(link_up=False)
        eng = None
        try:
            eng = Engine(wd, "", netns=phone.ns)
            ctl = eng.ctl()
            info = ctl.request("netinfo")["result"]
            check(info["place_fingerprint"] is None,
                  f"the link is down: no network yet: {info}")
            check(eng.cli("location", "set", *HOME)[0] == 0, "set")
            rc, out, err = eng.cli("location", "save", "Home")
            check(rc == 0 and "will be remembered once the network is "
                  "known" in out and "remembered for this network"
                  not in out, f"save before the network: {out}{err}")
            r = ctl.request("location.save", {"name": "Home"})["result"]
            check(not r["remembered"] and r["remember_pending"],
                  f"the reply says which: {r}")
            path = os.path.join(eng.data, FILE)
            with open(path) as f:
                check(json.load(f)["locations"][0]["networks"] == [],
                      "not tied to any network yet")

            phone.link_up()
            fp = identified(ctl)

            def tied():
                with open(path) as f:
                    nets = json.load(f)["locations"][0]["networks"]
                return nets if nets else None
            nets = wait_for(tied, 15, "Home tied to the network")
            check(nets == [fp], f"tied to {nets}, the network is {fp}")
            got = listed(eng)
            check(got["network"] == fp and
                  got["locations"][0]["networks"] == 1 and
                  got["locations"][0]["here"], f"list: {got}")
            r = ctl.request("location.save", {"name": "Home"})["result"]
            check(r["remembered"] and not r["remember_pending"],
                  f"now remembered: {r}")
            eng.stop()
            eng = None

            # a restart on that network uses it, nothing entered
            eng = Engine(wd, "", netns=phone.ns)
            ctl = eng.ctl()
            loc = wait_for(lambda: (lambda l: l if l["source"] == "manual"
                                    else None)(
                ctl.request("location")["result"]), 15,
                "the saved location used again")
            check('"Home"' in loc["reason"] and
                  loc["civic"]["HNO"] == "1", f"restart: {loc}")
        finally:
            if eng:
                eng.stop()
            phone.close()


if __name__ == "__main__":
    need_root()
    sys.exit(run([test_full_and_read_only_disk, test_io_error,
                  test_saved_before_the_network_is_known]))
