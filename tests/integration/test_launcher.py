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


def default_dirs(env):
    """Run locphoned with only env (and the build's module paths) and
    /bin/true as baresip, so that it only prepares its directories."""
    full = {"PATH": "/usr/bin:/bin", **env}
    # the build's paths, and what a sanitizer build preloads and reads
    for k in ("LOCPHONE_MODULE_DIR", "LOCPHONE_SIPBODY", "LOCPHONE_PRELOAD",
              "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            full[k] = os.environ[k]
    res = subprocess.run([LOCPHONED, "--foreground", "--baresip",
                          "/bin/true"], env=full, capture_output=True,
                         text=True, timeout=20)
    check(res.returncode == 0, f"{env}: exit {res.returncode} "
          f"{res.stderr}")


def test_default_dirs():
    """Without options the directories follow the XDG variables, else
    $HOME; root without XDG_RUNTIME_DIR uses /run/locphone."""
    with Workdir() as wd:
        xdg = {v: os.path.join(wd, v.lower()) for v in
               ("XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_STATE_HOME",
                "XDG_DATA_HOME")}
        os.makedirs(xdg["XDG_RUNTIME_DIR"], mode=0o700)  # the session's
        default_dirs({"HOME": os.path.join(wd, "home"), **xdg})
        check(os.path.isfile(os.path.join(xdg["XDG_RUNTIME_DIR"],
                                          "locphone", "baresip", "config")),
              "baresip's config under $XDG_RUNTIME_DIR/locphone")
        for v in ("XDG_STATE_HOME", "XDG_DATA_HOME"):
            check(os.path.isdir(os.path.join(xdg[v], "locphone")),
                  f"$${v}/locphone made")
        check(not os.path.exists(os.path.join(wd, "home")),
              "$HOME not used when the XDG variables are set")

        if os.geteuid() != 0 or os.path.exists("/run/locphone"):
            return  # root's default is checked where it is free to use
        home = os.path.join(wd, "home")
        try:
            default_dirs({"HOME": home})
            check(os.path.isfile("/run/locphone/baresip/config"),
                  "root without XDG_RUNTIME_DIR: /run/locphone")
            for rel in (".local/state/locphone", ".local/share/locphone"):
                check(os.path.isdir(os.path.join(home, rel)),
                      f"$HOME/{rel} made")
        finally:
            subprocess.run(["rm", "-rf", "/run/locphone"], check=True)


if __name__ == "__main__":
    sys.exit(run([test_version, test_refusals, test_user_files_untouched,
                  test_default_dirs]))
