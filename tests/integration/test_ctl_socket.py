#!/usr/bin/python3
"""The control socket: permissions, and what happens to clients that send
garbage, unknown commands, a 10 MB line, or vanish mid-request, while other
clients keep being served."""

import os
import socket
import stat
import subprocess
import sys

from lphelp import LOCPHONED, Ctl, Engine, Workdir, check, need, run


def start(wd):
    return Engine(wd, "<sip:alice@127.0.0.1:9>;regint=0\n")


def closed_after_error(c, timeout=10):
    """Read the error reply, then the end of the stream."""
    reply = c.read_line(timeout)
    check(reply is not None and reply["ok"] is False and "error" in reply,
          f"an error reply first: {reply}")
    check(c.read_line(timeout) is None, "then the engine hangs up")
    return reply


def test_permissions():
    with Workdir() as wd:
        eng = start(wd)
        try:
            st = os.stat(eng.socket)
            check(stat.S_ISSOCK(st.st_mode), "a socket")
            check(stat.S_IMODE(st.st_mode) == 0o600,
                  f"socket mode {oct(stat.S_IMODE(st.st_mode))}")
            mode = stat.S_IMODE(os.stat(eng.rt).st_mode)
            check(mode == 0o700, f"runtime dir mode {oct(mode)}")
        finally:
            eng.stop()
        check(not os.path.exists(eng.socket), "socket removed at exit")


def test_bad_clients_do_not_disturb_others():
    with Workdir() as wd:
        eng = start(wd)
        try:
            good = eng.ctl()

            # malformed JSON: error with id null, then disconnected
            bad = Ctl(eng.socket, subscribe=False)
            bad.send_raw(b"{this is not json\n")
            reply = closed_after_error(bad)
            check(reply["id"] is None, f"unknown id is null: {reply}")
            bad.close()

            # a well-formed request for an unknown command: error, stays
            c = Ctl(eng.socket, subscribe=False)
            r = c.request("no-such-command")
            check(not r["ok"] and r["error"] == "unknown command", f"{r}")
            r = c.request("dial", {"number": "12;drop"})
            check(not r["ok"] and "number" in r["error"], f"bad number {r}")
            r = c.request("dial", {})
            check(not r["ok"], f"dial without target: {r}")
            check(c.request("status")["ok"], "same client still served")
            c.close()

            # 10 MB without a newline: refused long before it is all sent
            big = Ctl(eng.socket, subscribe=False)
            chunk = b"x" * 65536
            sent = 0
            try:
                while sent < 10 * 1024 * 1024:
                    big.sock.sendall(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                reply = big.read_line(10)
                check(reply is None or (reply["ok"] is False and
                      reply["error"] == "line too long"),
                      f"oversized line answer: {reply}")
            except ConnectionResetError:
                pass  # the engine closed with our bytes unread
            big.close()

            # disconnect in the middle of a request
            half = socket.socket(socket.AF_UNIX)
            half.connect(eng.socket)
            half.sendall(b'{"id":1,"cmd":"sta')
            half.close()

            # many clients at once, each answered
            many = [Ctl(eng.socket, subscribe=False) for _ in range(20)]
            for i, c in enumerate(many):
                c.send_raw(f'{{"id":{i},"cmd":"status"}}\n'.encode())
            for i, c in enumerate(many):
                r = c.read_line(10)
                check(r["id"] == i and r["ok"], f"client {i}: {r}")
                c.close()

            r = good.request("status")
            check(r["ok"] and r["result"]["version"],
                  "the first client is still served")
            check(eng.proc.poll() is None, "engine still running")
        finally:
            eng.stop()


def test_second_engine_refused():
    """A second engine on the same runtime dir is refused up front."""
    with Workdir() as wd:
        eng = start(wd)
        try:
            res = subprocess.run(
                [LOCPHONED, "--config-dir", eng.cfg, "--runtime-dir", eng.rt,
                 "--state-dir", os.path.join(wd, "state2"),
                 "--data-dir", os.path.join(wd, "data2"), "--foreground"],
                capture_output=True, text=True, timeout=20)
            check(res.returncode == 1 and "already" in res.stderr,
                  f"second engine: {res.returncode} {res.stderr}")
            check(eng.ctl().request("status")["ok"],
                  "the first engine keeps its socket")
        finally:
            eng.stop()


if __name__ == "__main__":
    need("sipp")
    sys.exit(run([test_permissions, test_bad_clients_do_not_disturb_others,
                  test_second_engine_refused]))
