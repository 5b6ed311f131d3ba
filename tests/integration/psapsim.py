"""The harness's PSAP simulator (client/harness/psap) run by the tests:
on a free loopback port, its record read back as JSON lines."""

import atexit
import json
import os
import socket
import subprocess

from lphelp import (BUILD, SOURCE, check, free_port, tcp_listening,
                    stop_process, udp_bound, wait_for)

PSAP_SIM = os.path.join(SOURCE, "client", "harness", "psap",
                        "locphone-psap-sim.py")
PIDFCHECK = os.path.join(BUILD, "client", "harness", "pidfcheck",
                         "locphone-pidfcheck")
XSD = os.path.join(SOURCE, "..", "shared", "xsd")


class PsapSim:
    def __init__(self, workdir, name="psap", transport="both", answer=None,
                 expect=None, port=None, addr="127.0.0.1"):
        self.addr = addr
        self.port = port or free_port(socket.SOCK_STREAM)
        self.record = os.path.join(workdir, f"{name}.jsonl")
        self.expect = os.path.join(workdir, f"{name}-expect.json")
        self.ready = os.path.join(workdir, f"{name}.ready")
        if expect is not None:
            self.set_expect(expect)
        self.out = open(os.path.join(workdir, f"{name}.log"), "w")
        cmd = ["python3", PSAP_SIM, "--listen", f"{addr}:{self.port}",
               "--transport", transport, "--record", self.record,
               "--expect", self.expect, "--ready-file", self.ready,
               "--pidfcheck", PIDFCHECK, "--xsd-dir", XSD]
        if answer:
            cmd += ["--answer", str(answer)]
        self.proc = subprocess.Popen(cmd, stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        # a test that fails before its finally must not leave it running
        atexit.register(kill_left, self.proc)
        wait_for(lambda: os.path.exists(self.ready)
                 or self.proc.poll() is not None, 10,
                 "the PSAP simulator's ready file")
        check(self.proc.poll() is None,
              f"the PSAP simulator exited: {self.log_text()}")
        check(open(self.ready).read().strip() == str(self.proc.pid),
              "the ready file holds the simulator's pid")
        if transport in ("udp", "both"):
            check(udp_bound(self.port, addr=addr), "UDP bound")
        if transport in ("tcp", "both"):
            check(tcp_listening(self.port, addr=addr), "TCP listening")

    def set_expect(self, table):
        tmp = self.expect + ".tmp"
        with open(tmp, "w") as f:
            json.dump(table, f)
        os.replace(tmp, self.expect)

    def records(self):
        try:
            with open(self.record, encoding="utf-8") as f:
                return [json.loads(line) for line in f]
        except FileNotFoundError:
            return []

    def wait_records(self, n, what="INVITEs in the PSAP's record"):
        wait_for(lambda: len(self.records()) >= n, 10, f"{n} {what}")
        return self.records()

    def log_text(self):
        self.out.flush()
        return open(self.out.name, errors="replace").read()

    def stop(self):
        stop_process(self.proc, 10)
        self.out.close()
        check(self.proc.returncode == 0,
              f"the PSAP simulator exited with {self.proc.returncode}")


def kill_left(proc):
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def checks_of(rec):
    return {c["check"]: c for c in rec["checks"]}
