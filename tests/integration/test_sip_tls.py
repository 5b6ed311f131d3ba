#!/usr/bin/python3
"""Verified SIP over TLS (issue 11 item 4): a registrar over TLS (Python's
ssl; Debian's sipp has no TLS) with certificates from throwaway CAs.  A
server whose certificate comes from a CA the engine was not given, one
whose certificate names another host, and any server when only the
system's store is trusted are refused, the registration saying why; the
right CA (sip_ca_file, or sip_ca_dir) registers.  A refused emergency
route shows in e911.policy's diagnostics."""

import os
import socket
import subprocess
import sys

from lphelp import (SOURCE, Engine, Workdir, check, free_port, make_test_ca,
                    need, run, wait_for)

REGISTRAR = os.path.join(SOURCE, "tests", "integration", "tls_registrar.py")


class TlsRegistrar:
    def __init__(self, wd, name, cert, key, netns=None, addr="127.0.0.1"):
        """netns: run inside that namespace, listening on addr."""
        self.ready = os.path.join(wd, f"{name}.ready")
        self.log = os.path.join(wd, f"{name}.log")
        self.port = free_port(socket.SOCK_STREAM)
        self.proc = subprocess.Popen(
            (["ip", "netns", "exec", netns] if netns else []) +
            [sys.executable, REGISTRAR, "--listen", f"{addr}:{self.port}",
             "--cert", cert, "--key", key, "--ready", self.ready,
             "--log", self.log], stdin=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.ready) or
                 self.proc.poll() is not None, 15, f"{name} to listen")
        check(self.proc.poll() is None, f"{name} exited")

    def lines(self):
        try:
            return open(self.log).read().splitlines()
        except FileNotFoundError:
            return []

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def certs(wd):
    """CA a (its server certificate for 127.0.0.1), CA b (another CA, the
    same address), and a certificate for 127.0.0.2 from CA a."""
    ca_a, _ = make_test_ca(wd, "127.0.0.1", "a-")
    ca_b, _ = make_test_ca(wd, "127.0.0.1", "b-")
    make_test_ca(wd, "127.0.0.2", "n-", ca_prefix="a-")
    return ca_a, ca_b


def registration(wd, reg, conf, name, admin=""):
    """The engine registering to reg over TLS; returns (final registration
    state, its reason, the e911.policy diagnostics)."""
    d = os.path.join(wd, name)
    os.makedirs(d)
    policy = os.path.join(d, "policy.conf")
    with open(policy, "w") as f:
        f.write(admin)
    account = (f"<sip:alice@127.0.0.1:{reg.port};transport=tls>;"
               "regint=600\n")
    eng = Engine(d, account, conf=conf + f"policy_file {policy}\n")
    try:
        ctl = eng.ctl()
        # the REGISTER goes out as the engine starts: status, not events
        def final():
            accs = ctl.request("status")["result"]["accounts"]
            return accs and accs[0]["registration"] in ("registered",
                                                        "failed") and accs[0]
        acc = wait_for(final, 30, "the registration to end")
        diags = []
        if admin:
            ctl.request("dial", {"number": "911"})  # over the route
            wait_for(lambda: [x for x in ctl.request("e911.policy")
                              ["result"]["diagnostics"] if "TLS" in x],
                     20, "the TLS refusal in e911.policy")
            diags = ctl.request("e911.policy")["result"]["diagnostics"]
        return acc["registration"], acc.get("reason", ""), diags
    finally:
        eng.stop()


def test_refused_and_accepted():
    with Workdir() as wd:
        ca_a, ca_b = certs(wd)
        good = TlsRegistrar(wd, "good", os.path.join(wd, "a-srv.pem"),
                            os.path.join(wd, "a-srv.key"))
        wrong_name = TlsRegistrar(wd, "wrongname",
                                  os.path.join(wd, "n-srv.pem"),
                                  os.path.join(wd, "n-srv.key"))
        cadir = os.path.join(wd, "cadir")
        os.makedirs(cadir)
        subprocess.run(["cp", ca_a, cadir], check=True)
        subprocess.run(["openssl", "rehash", cadir], check=True)
        rows = [
            ("wrong-ca", good, f"sip_ca_file {ca_b}\n", "failed",
             "unable to get local issuer certificate"),
            ("wrong-name", wrong_name, f"sip_ca_file {ca_a}\n", "failed",
             "IP address mismatch"),
            ("system-store", good, "", "failed",
             "unable to get local issuer certificate"),
            ("right-ca-file", good, f"sip_ca_file {ca_a}\n", "registered",
             None),
            ("right-ca-dir", good, f"sip_ca_dir {cadir}\n", "registered",
             None),
        ]
        try:
            for name, reg, conf, want, why in rows:
                before = len(reg.lines())
                state, reason, _ = registration(wd, reg, conf, name)
                got = reg.lines()[before:]
                print(f"# {name}: {state} {reason!r}")
                check(state == want, f"{name}: {state} ({reason})")
                if why:
                    check(why in reason and "certificate" in reason,
                          f"{name}: reason {reason!r}")
                    check(not [x for x in got if x.startswith("request")],
                          f"{name}: the server got a request: {got}")
                else:
                    check([x for x in got if x.startswith("request REG")],
                          f"{name}: no REGISTER reached the server")
        finally:
            good.stop()
            wrong_name.stop()


def test_emergency_route_refused():
    """An emergency route over TLS to a server with the wrong name: the
    refusal is in e911.policy's diagnostics, naming the route."""
    with Workdir() as wd:
        ca_a, _ = certs(wd)
        good = TlsRegistrar(wd, "good", os.path.join(wd, "a-srv.pem"),
                            os.path.join(wd, "a-srv.key"))
        wrong = TlsRegistrar(wd, "wrongname", os.path.join(wd, "n-srv.pem"),
                             os.path.join(wd, "n-srv.key"))
        route = f"sip:911@127.0.0.1:{wrong.port};transport=tls"
        try:
            state, _, diags = registration(
                wd, good, f"sip_ca_file {ca_a}\n", "route",
                admin=f"emergency_route {route}\n")
            check(state == "registered", f"the account: {state}")
            tls = [x for x in diags if "TLS" in x]
            check(tls and "emergency_route" in tls[0] and
                  "IP address mismatch" in tls[0], f"diagnostics {diags}")
        finally:
            good.stop()
            wrong.stop()


if __name__ == "__main__":
    need("openssl")
    raise SystemExit(run([test_refused_and_accepted,
                          test_emergency_route_refused]))
