#!/usr/bin/python3
"""locphoned itself: version, clear refusals for a missing baresip, a
missing module or a bad setting, and user files left untouched."""

import os
import subprocess
import sys

from lphelp import LOCPHONED, Engine, Workdir, check, run


def launch(wd, *args, conf=None):
    cfg = os.path.join(wd, "cfg")
    os.makedirs(cfg, exist_ok=True)
    if conf is not None:
        with open(os.path.join(cfg, "locphone.conf"), "w") as f:
            f.write(conf)
    return subprocess.run([LOCPHONED, "--config-dir", cfg, "--runtime-dir",
                           os.path.join(wd, "rt"), "--state-dir",
                           os.path.join(wd, "state"), "--data-dir",
                           os.path.join(wd, "data"), "--foreground", *args],
                          capture_output=True, text=True, timeout=20)


def test_version():
    res = subprocess.run([LOCPHONED, "--version"], capture_output=True,
                         text=True)
    check(res.returncode == 0 and res.stdout.startswith("locphoned "),
          f"--version: {res.stdout}")


def test_refusals():
    cases = [
        ((("--baresip", "/nonexistent/baresip"),), None,
         "baresip /nonexistent/baresip"),
        ((("--module-dir", "/nonexistent"),), None,
         "locphone module /nonexistent/ctrl.so"),
        (((),), "audio_player alsa,default\nsip_listen not-an-address\n",
         "locphone.conf:2: sip_listen: must be ADDRESS:PORT"),
        (((),), "sip_trace maybe\n", "sip_trace: must be yes or no"),
        (((),), "extra_module ../evil\n", "extra_module: give a stock"),
        (((),), "extra_module nosuchmodule\n",
         "module /usr/lib/baresip/modules/nosuchmodule.so"),
        (((),), "key \0 value\n", "not a settings line"),
    ]
    for (args,), conf, want in cases:
        with Workdir() as wd:
            res = launch(wd, *args, conf=conf)
            check(res.returncode == 1 and want in res.stderr,
                  f"{args} {conf!r}: exit {res.returncode}, {res.stderr!r}")


def test_user_files_untouched():
    with Workdir() as wd:
        accounts = "<sip:alice@127.0.0.1:9>;regint=0\n"
        eng = Engine(wd, accounts)
        try:
            before = {n: open(os.path.join(eng.cfg, n)).read()
                      for n in os.listdir(eng.cfg)}
            cfg = open(os.path.join(eng.rt, "baresip", "config")).read()
            check("module_app\t\tctrl.so" in cfg, "our module is loaded")
            check(f"sip_listen\t\t127.0.0.1:{eng.sip_port}" in cfg,
                  "sip_listen from locphone.conf")
            mode = os.stat(os.path.join(eng.rt, "baresip", "accounts"))
            check(mode.st_mode & 0o077 == 0, "private copy of accounts")
        finally:
            eng.stop()
        after = {n: open(os.path.join(eng.cfg, n)).read()
                 for n in os.listdir(eng.cfg)}
        check(before == after, "the config dir is unchanged")
        check(after["accounts"] == accounts, "accounts unchanged")


if __name__ == "__main__":
    sys.exit(run([test_version, test_refusals, test_user_files_untouched]))
