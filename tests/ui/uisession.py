"""A private desktop for the UI tests: Xvfb on a free display, a D-Bus
session bus of our own, the AT-SPI bus and registry, and GTK with its
accessibility bridge; then the real locphone UI on an engine's socket."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from lphelp import (BUILD, Failure, check, skip_missing,  # noqa: E402
                    stop_process, wait_for)

LOCPHONE_UI = os.path.join(BUILD, "ui", "locphone")
AT_SPI_BUS = "/usr/libexec/at-spi-bus-launcher"
AT_SPI_REGISTRY = "/usr/libexec/at-spi2-registryd"
NOTIFICATION_DAEMON = "/usr/lib/notification-daemon/notification-daemon"


def need_desktop():
    """Skip (77) without Xvfb, D-Bus, AT-SPI or dogtail, except in CI."""
    missing = [p for p in ("Xvfb", "dbus-daemon", "import")
               if not shutil.which(p)]
    missing += [p for p in (AT_SPI_BUS, AT_SPI_REGISTRY, LOCPHONE_UI)
                if not os.access(p, os.X_OK)]
    if not os.path.isdir("/usr/lib/python3/dist-packages/dogtail"):
        missing.append("python3-dogtail")
    skip_missing(missing)


class Desktop:
    """Xvfb + D-Bus session + AT-SPI, exported into os.environ so that
    dogtail (imported afterwards) and the UI use them."""

    def __init__(self, screen="1024x768x24"):
        self.screen = screen
        self.dir = tempfile.mkdtemp(prefix="locphone-ui-")
        self.procs = []
        self.log = open(os.path.join(self.dir, "desktop.log"), "w")
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self):
        self._xvfb()
        self._dbus()
        env = os.environ
        env["GTK_MODULES"] = "gail:atk-bridge"
        env.pop("NO_AT_BRIDGE", None)
        env["GSETTINGS_BACKEND"] = "memory"
        env["GTK_A11Y"] = "atspi"
        env["XDG_RUNTIME_DIR"] = self._private("runtime")
        env["XDG_CONFIG_HOME"] = self._private("config")
        env["XDG_DATA_HOME"] = self._private("data")
        env["XDG_CACHE_HOME"] = self._private("cache")
        self._atspi()

    def _private(self, name):
        path = os.path.join(self.dir, name)
        os.makedirs(path, mode=0o700, exist_ok=True)
        return path

    def _spawn(self, cmd, **kw):
        proc = subprocess.Popen(cmd, stderr=self.log,
                                stdin=subprocess.DEVNULL, **kw)
        self.procs.append(proc)
        return proc

    def _xvfb(self):
        # -displayfd: Xvfb picks a free display and writes its number
        r, w = os.pipe()
        proc = self._spawn(["Xvfb", "-displayfd", str(w), "-screen", "0",
                            self.screen, "-nolisten", "tcp"],
                           pass_fds=(w,), stdout=self.log)
        os.close(w)
        with os.fdopen(r) as f:
            display = f.readline().strip()
        check(display.isdigit() and proc.poll() is None,
              f"Xvfb did not start (exit {proc.poll()})")
        os.environ["DISPLAY"] = ":" + display

    def _dbus(self):
        proc = self._spawn(["dbus-daemon", "--session", "--nofork",
                            "--nopidfile", "--print-address=1"],
                           stdout=subprocess.PIPE, text=True)
        address = proc.stdout.readline().strip()
        check(address.startswith("unix:"),
              f"dbus-daemon gave no address (exit {proc.poll()})")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address

    def _atspi(self):
        self._spawn([AT_SPI_BUS, "--launch-immediately", "--a11y=1"],
                    stdout=self.log)
        wait_for(lambda: self._bus_has("org.a11y.Bus"), 15,
                 "the AT-SPI bus launcher on the session bus")
        self._spawn([AT_SPI_REGISTRY], stdout=self.log)

    @staticmethod
    def _bus_has(name):
        res = subprocess.run(
            ["dbus-send", "--session", "--print-reply",
             "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
             "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
            capture_output=True, text=True)
        return "boolean true" in res.stdout

    def notifications(self):
        """Debian's notification-daemon on the session bus, and a
        dbus-monitor recording every Notify call made to it; returns a
        function that lists the summaries notified so far."""
        trace = os.path.join(self.dir, "notify.trace")
        out = open(trace, "w")
        self._spawn(["dbus-monitor", "--session",
                     "type='method_call',interface="
                     "'org.freedesktop.Notifications',member='Notify'"],
                    stdout=out)
        # it can exit at start on a busy machine (its X connection, the
        # bus): started again then, and its exit status said if it fails
        for attempt in range(3):
            daemon = self._spawn([NOTIFICATION_DAEMON], stdout=self.log)
            wait_for(lambda: daemon.poll() is not None or
                     self._bus_has("org.freedesktop.Notifications"),
                     30, "notification-daemon on the session bus")
            if daemon.poll() is None:
                break
        check(daemon.poll() is None,
              f"notification-daemon exited with {daemon.poll()}: "
              + self.log_tail())

        def summaries():
            out.flush()
            text = open(trace, errors="replace").read()
            found = []
            # Notify(app_name, replaces_id, icon, summary, body, ...)
            for call in text.split("method call")[1:]:
                strings = re.findall(r'^\s*string "(.*)"$', call, re.M)
                if len(strings) >= 3:
                    found.append(strings[2])
            return found
        return summaries

    def log_tail(self):
        self.log.flush()
        return open(self.log.name, errors="replace").read()[-1500:]

    def window_manager(self):
        """openbox on the display: the UI under a real window manager."""
        def managed():
            res = subprocess.run(
                ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                capture_output=True, text=True, timeout=30)
            return "window id" in res.stdout

        # started again if it exits at start on a busy machine; its exit
        # status and the desktop log are said if it never manages
        for attempt in range(3):
            wm = self._spawn(["openbox", "--sm-disable"], stdout=self.log)
            wait_for(lambda: wm.poll() is not None or managed(), 30,
                     "openbox to manage the display")
            if wm.poll() is None:
                break
        check(wm.poll() is None and managed(),
              f"openbox did not manage the display (exit {wm.poll()}): "
              + self.log_tail())

    def locale(self, name):
        """The environment that runs the UI in locale name (e.g.
        "fr_FR.UTF-8"): the locale compiled here with localedef (no
        system locale is needed), our catalogues from the build tree."""
        lang, charset = name.split(".")
        where = self._private("locale")
        res = subprocess.run(["localedef", "-i", lang, "-f", charset,
                              os.path.join(where, name)],
                             capture_output=True, text=True, timeout=120)
        # localedef warns (exit 1) on harmless things; the locale is made
        check(os.path.isfile(os.path.join(where, name, "LC_MESSAGES",
                                          "SYS_LC_MESSAGES")),
              f"localedef {name} failed ({res.returncode}): {res.stderr}")
        return {"LOCPATH": where, "LC_ALL": name,
                "LANGUAGE": lang.split("_")[0],
                "LOCPHONE_LOCALEDIR": os.path.join(BUILD, "ui", "po")}

    def screenshot(self, path):
        """The whole screen as PNG (ImageMagick's import)."""
        subprocess.run(["import", "-window", "root", path],
                       capture_output=True, timeout=30)

    def close(self):
        for proc in reversed(self.procs):
            stop_process(proc, 5)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class App:
    """build/ui/locphone --socket PATH, with its output kept."""

    def __init__(self, socket_path, logdir, extra_env=None):
        self.log = open(os.path.join(logdir, "locphone-ui.log"), "w")
        env = dict(os.environ)
        env.update(extra_env or {})
        # a GLib/GTK warning or critical is a failure of the UI (a bad
        # line from the engine is only a g_message)
        env["G_DEBUG"] = "fatal-warnings"
        self.proc = subprocess.Popen(
            [LOCPHONE_UI, "--socket", socket_path], stdout=self.log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)

    def alive(self):
        return self.proc.poll() is None

    def output(self):
        self.log.flush()
        return open(self.log.name, errors="replace").read()

    def stop(self):
        """Close the UI; it must still be running (it never crashed)."""
        crashed = self.proc.poll()
        stop_process(self.proc, 5)
        self.log.close()
        if crashed is not None:
            raise Failure(f"the UI exited with {crashed}: "
                          + open(self.log.name, errors="replace").read())
