"""The processes and network namespaces a site is built of: commands in a
namespace, namespaces joined by veths (Topology), waiting for a condition
with a deadline (wait_for, scaled by TIME_FACTOR), sipp peers, the LIS
simulator, lldpd as a switch, a throwaway CA, the engine (locphoned with
the real baresip) and its control socket.

The integration tests use the same classes (tests/integration/lphelp.py
re-exports them).  Where the programs are: LOCPHONE_BUILD_ROOT (a build
tree) when set, else the installed ones; locphone-harness sets them from
how it was built (configure())."""

import datetime
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

_BUILD_ENV = os.environ.get("LOCPHONE_BUILD_ROOT")
BUILD = _BUILD_ENV or "build"
SOURCE = os.environ.get("LOCPHONE_SOURCE_ROOT", ".")
if _BUILD_ENV or not os.path.exists("/usr/bin/locphoned"):
    LOCPHONED = os.path.join(BUILD, "client", "engine", "locphoned")
    LOCPHONECTL = os.path.join(BUILD, "client", "ctl", "locphonectl")
    LIS_SIM = os.path.join(BUILD, "client", "harness", "lis-sim",
                           "locphone-lis-sim")
else:
    LOCPHONED = "/usr/bin/locphoned"
    LOCPHONECTL = "/usr/bin/locphonectl"
    LIS_SIM = "/usr/bin/locphone-lis-sim"
SCENARIOS = os.path.join(SOURCE, "tests", "integration", "scenarios")
if _BUILD_ENV or not os.path.exists("/usr/bin/locphone-psap-sim"):
    PSAP_SIM = os.path.join(SOURCE, "client", "harness", "psap",
                            "locphone-psap-sim.py")
    PIDFCHECK = os.path.join(BUILD, "client", "harness", "pidfcheck",
                             "locphone-pidfcheck")
    SBC = os.path.join(SOURCE, "client", "harness", "sbc", "locphone-sbc.py")
else:
    PSAP_SIM = "/usr/bin/locphone-psap-sim"
    PIDFCHECK = "/usr/bin/locphone-pidfcheck"
    SBC = "/usr/bin/locphone-sbc"


def configure(**paths):
    """Set where the programs are (LOCPHONED=..., LIS_SIM=...)."""
    for name, value in paths.items():
        if name not in ("LOCPHONED", "LOCPHONECTL", "LIS_SIM", "SCENARIOS",
                        "PSAP_SIM", "PIDFCHECK", "SBC"):
            raise KeyError(name)
        globals()[name] = value


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def sh(*cmd, ns=None, check_rc=True):
    """Run a command (in a namespace); fail the test on error."""
    full = (["ip", "netns", "exec", ns] if ns else []) + list(cmd)
    res = subprocess.run(full, capture_output=True, text=True)
    if check_rc and res.returncode:
        raise Failure(f"{' '.join(full)}: {res.stderr.strip()}")
    return res.stdout


class Topology:
    """Network namespaces joined by veth pairs: our own test hosts.
    Names carry the pid so parallel runs do not collide."""

    def __init__(self, tag=None):
        """tag: the prefix of every name (default lpPID)."""
        self.tag = tag or f"lp{os.getpid() % 100000}"
        self.namespaces = []

    def ns(self, name):
        full = f"{self.tag}-{name}"
        sh("ip", "netns", "add", full)
        self.namespaces.append(full)
        sh("ip", "link", "set", "lo", "up", ns=full)
        return full

    def veth(self, ns_a, if_a, ns_b, if_b):
        tmp_a, tmp_b = f"{self.tag}a{len(self.namespaces)}", \
            f"{self.tag}b{len(self.namespaces)}"
        sh("ip", "link", "add", tmp_a, "type", "veth", "peer", "name", tmp_b)
        sh("ip", "link", "set", tmp_a, "netns", ns_a, "name", if_a)
        sh("ip", "link", "set", tmp_b, "netns", ns_b, "name", if_b)
        sh("ip", "link", "set", if_a, "up", ns=ns_a)
        sh("ip", "link", "set", if_b, "up", ns=ns_b)

    def close(self):
        for full in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "pids", full],
                           capture_output=True)
            for pid in subprocess.run(["ip", "netns", "pids", full],
                                      capture_output=True,
                                      text=True).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            subprocess.run(["ip", "netns", "del", full], capture_output=True)


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _time_factor():
    """How much slower than an idle developer machine this run may be: the
    build (LOCPHONE_SANITIZE, set by meson from b_sanitize; valgrind, seen
    in LD_PRELOAD) times the machine (LOCPHONE_TIME_FACTOR, default 1).
    tests/unit/timebound.h has the same rule for the C tests."""
    sanitize = os.environ.get("LOCPHONE_SANITIZE", "none")
    build = 1.0
    if "address" in sanitize or "memory" in sanitize:
        build = 3.0
    elif "thread" in sanitize:
        build = 5.0
    elif "undefined" in sanitize:
        build = 1.5
    if "vgpreload" in os.environ.get("LD_PRELOAD", ""):
        build *= 20
    try:
        machine = float(os.environ.get("LOCPHONE_TIME_FACTOR", "1"))
    except ValueError:
        raise Failure("LOCPHONE_TIME_FACTOR is not a number: "
                      f"{os.environ['LOCPHONE_TIME_FACTOR']!r}")
    return build * max(machine, 1.0)


TIME_FACTOR = _time_factor()


def scaled(seconds):
    """A deadline or speed bound in seconds, for this build and machine."""
    return seconds * TIME_FACTOR


def wait_for(pred, timeout, what):
    """Poll pred until it returns a true value, or fail after timeout
    (scaled for the build and machine)."""
    limit = scaled(timeout)
    deadline = time.monotonic() + limit
    delay = 0.005
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {limit:g} s ({timeout} s x "
                          f"time factor {TIME_FACTOR:g}) waiting for {what}")
        time.sleep(delay)  # back-off between polls of a condition
        delay = min(delay * 2, 0.1)


def stop_process(proc, grace, sig=signal.SIGTERM):
    """If proc still runs: sig, then up to grace seconds for it to exit,
    then SIGKILL; reaped either way."""
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def udp_bound(port, netns=None, addr="127.0.0.1"):
    """True once something listens on addr:port (UDP), in netns."""
    want = "".join(f"{int(b):02X}" for b in reversed(addr.split("."))) + \
        f":{port:04X}"
    if netns:
        table = sh("cat", "/proc/net/udp", ns=netns)
    else:
        with open("/proc/net/udp") as f:
            table = f.read()
    return any(line.split()[1] == want
               for line in table.splitlines()[1:] if line.split())


def tcp_listening(port, netns=None, addr="127.0.0.1"):
    """True once something listens on addr:port (TCP), in netns."""
    want = "".join(f"{int(b):02X}" for b in reversed(addr.split("."))) + \
        f":{port:04X}"
    if netns:
        table = sh("cat", "/proc/net/tcp", ns=netns)
    else:
        with open("/proc/net/tcp") as f:
            table = f.read()
    return any(ln.split()[1] == want and ln.split()[3] == "0A"
               for ln in table.splitlines()[1:] if ln.split())


class Sipp:
    """A sipp UAS on loopback running a scenario, with a message trace."""

    def __init__(self, workdir, scenario=None, name="sipp", extra=(),
                 netns=None, addr="127.0.0.1", tcp=False):
        # inside a namespace of our own every port is free
        self.port = 5060 if netns else free_port(
            socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
        self.addr = addr
        self.netns = netns
        self.log = os.path.join(workdir, f"{name}.msg")
        self.out = open(os.path.join(workdir, f"{name}.out"), "w")
        cmd = (["ip", "netns", "exec", netns] if netns else []) + [
            "sipp", "-i", addr, "-p", str(self.port),
            "-mi", addr, "-mp", str(6000 if netns else free_port()),
            "-trace_msg", "-message_file", self.log, "-nostdin"]
        if tcp:
            cmd += ["-t", "t1"]
        if scenario:
            cmd += ["-sf", os.path.join(SCENARIOS, scenario)]
        else:
            cmd += ["-sn", "uas"]
        cmd += list(extra)
        self.proc = subprocess.Popen(cmd, stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=workdir)
        bound = tcp_listening if tcp else udp_bound
        wait_for(lambda: bound(self.port, netns, addr)
                 or self.proc.poll() is not None,
                 10, f"sipp to listen on {self.port}")
        check(self.proc.poll() is None, f"sipp exited: see {self.out.name}")

    def messages(self):
        """The SIP messages sipp received, in order, as text with their
        CRLFs as they were on the wire."""
        try:
            text = open(self.log, newline="", errors="replace").read()
        except FileNotFoundError:
            return []
        msgs = []
        text = "\n" + text  # the file starts with a separator line
        for chunk in text.split("\n----------------------------------------"
                                "-------")[1:]:
            _, _, rest = chunk.partition("\n")
            if "message received" not in rest.split("\n", 1)[0]:
                continue
            msg = rest.split("\n", 1)[1] if "\n" in rest else ""
            msgs.append(msg.lstrip("\n"))
        return msgs

    def requests(self, method):
        return [m for m in self.messages() if m.startswith(method + " ")]

    def received(self, method):
        """(wall-clock time sipp logged it, text) of each method request
        received, in order: the trace's separator line carries the local
        time to the microsecond."""
        try:
            text = open(self.log, newline="", errors="replace").read()
        except FileNotFoundError:
            return []
        out = []
        head = re.compile(r"^-{20,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6})"
                          r"\r?\n(?:UDP|TCP|TLS) message received \[\d+\] "
                          r"bytes :\r?\n\r?\n", re.M)
        for m in head.finditer(text):
            rest = text[m.end():]
            if not rest.startswith(method + " "):
                continue
            end = rest.find("\n" + "-" * 47)
            t = datetime.datetime.strptime(
                m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            out.append((t, rest if end < 0 else rest[:end]))
        return out

    def stop(self):
        """Stop sipp; only then is its message trace complete."""
        stop_process(self.proc, 5)
        if not self.out.closed:
            self.out.close()


def make_test_ca(workdir, ip="127.0.0.1", prefix="", ca_prefix=None):
    """A throwaway CA and a server certificate for ip it signed, made with
    openssl in workdir (file names start with prefix; with ca_prefix, the
    CA an earlier call made under that prefix signs instead).  Returns
    (CA PEM file, PEM file with the server certificate and key, as
    locphone-lis-sim --cert wants); the certificate and key alone are
    PREFIXsrv.pem and PREFIXsrv.key."""
    def ossl(*args):
        res = subprocess.run(["openssl", *args], cwd=workdir,
                             capture_output=True, text=True, timeout=60)
        check(res.returncode == 0, f"openssl {args[0]}: {res.stderr}")

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
          "-nodes"]
    p = prefix
    c = p if ca_prefix is None else ca_prefix
    if ca_prefix is None:
        ossl("req", "-x509", *ec, "-keyout", f"{p}ca.key", "-out",
             f"{p}ca.pem", "-days", "2", "-subj", "/CN=locphone test CA")
    ossl("req", *ec, "-keyout", f"{p}srv.key", "-out", f"{p}srv.csr",
         "-subj", f"/CN={ip}")
    with open(os.path.join(workdir, f"{p}srv.ext"), "w") as f:
        f.write(f"subjectAltName=IP:{ip}\n"
                "basicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid\n")
    ossl("x509", "-req", "-in", f"{p}srv.csr", "-CA", f"{c}ca.pem",
         "-CAkey", f"{c}ca.key", "-CAcreateserial", "-out", f"{p}srv.pem",
         "-days", "2", "-extfile", f"{p}srv.ext")
    bundle = os.path.join(workdir, f"{p}srv-bundle.pem")
    with open(bundle, "w") as out:
        for name in (f"{p}srv.pem", f"{p}srv.key"):
            with open(os.path.join(workdir, name)) as f:
                out.write(f.read())
    return os.path.join(workdir, f"{c}ca.pem"), bundle


class LisSim:
    """locphone-lis-sim on free loopback ports (HTTP, control, and HTTPS
    when cert is given), started and waited for through its ready file."""

    def __init__(self, workdir, wiremap, name="lis", mode=None, cert=None,
                 netns=None, addr="127.0.0.1", extra=()):
        """extra: more options, such as ("--auth", "digest")."""
        self.netns = netns
        self.ready = os.path.join(workdir, f"{name}.ready")
        self.log = os.path.join(workdir, f"{name}.log")
        self.stderr = open(os.path.join(workdir, f"{name}.stderr"), "w+")
        cmd = (["ip", "netns", "exec", netns] if netns else []) + [
            LIS_SIM, "--listen", f"{addr}:0",
            "--control", f"{addr}:0", "--wiremap", wiremap,
            "--log", self.log, "--ready-file", self.ready]
        if cert:
            cmd += ["--tls-listen", f"{addr}:0", "--cert", cert]
        if mode:
            cmd += ["--mode", mode]
        cmd += list(extra)
        self.proc = subprocess.Popen(cmd, stdout=self.stderr,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.ready)
                 or self.proc.poll() is not None, 15,
                 f"{name}'s ready file")
        check(self.proc.poll() is None,
              f"{name} exited {self.proc.returncode}: {self.output()}")
        with open(self.ready) as f:
            info = json.load(f)
        if not netns:  # "ip netns exec" execs, but keep it simple
            check(info["pid"] == self.proc.pid, f"{name}: ready file pid")
        self.url = f"http://{info['http'][0]}/"
        self.tls_url = f"https://{info['https'][0]}/" if cert else None
        self.control = f"http://{info['control'][0]}/control"

    def output(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()

    def set_mode(self, mode):
        """Switch modes (README of lis-sim); returns once in force."""
        if self.netns:
            # the control listener is inside the namespace
            out = sh("/usr/bin/python3", "-c",
                     "import sys, urllib.request as u; print(u.urlopen("
                     "u.Request(sys.argv[1], data=sys.argv[2].encode(), "
                     "headers={'Content-Type': 'text/plain'}), "
                     "timeout=10).read().decode())", self.control, mode,
                     ns=self.netns)
            check(out.strip() == f"mode {mode}", f"control said {out!r}")
            return
        req = urllib.request.Request(self.control, data=mode.encode(),
                                     headers={"Content-Type": "text/plain"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                answer = r.read().decode()
        except urllib.error.HTTPError as e:
            raise Failure(f"mode {mode}: control answered {e.code}")
        check(answer.strip() == f"mode {mode}", f"control said {answer!r}")

    def log_entries(self, held_only=False):
        """The request log, one dict per request (held_only: without the
        control listener's)."""
        with open(self.log) as f:
            entries = [json.loads(line) for line in f]
        return [e for e in entries
                if not held_only or e["listener"] != "control"]

    def stop(self):
        """SIGTERM; the simulator must exit 0 with no sanitizer report."""
        stop_process(self.proc, 10)
        if self.stderr.closed:
            return
        out = self.output()
        self.stderr.close()
        check("Sanitizer" not in out and "runtime error:" not in out,
              "sanitizer report from the LIS simulator: " + out[-3000:])
        check(self.proc.returncode == 0,
              f"LIS simulator exit status {self.proc.returncode}: "
              + out[-2000:])


class Ctl:
    """A control-socket client: requests with ids, and an event queue."""

    def __init__(self, path, subscribe=True):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self.events = []
        self.next_id = 1
        if subscribe:
            check(self.request("subscribe")["ok"], "subscribe")

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def read_line(self, timeout):
        """The next line within timeout seconds (scaled for the build and
        machine), None once the engine closed the socket."""
        return self._read_until(time.monotonic() + scaled(timeout))

    def _read_until(self, deadline):
        start = time.monotonic()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"timed out after {deadline - start:.3f} s "
                              "reading from the control socket")
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                return None
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    def request(self, cmd, args=None, timeout=10):
        rid = self.next_id
        self.next_id += 1
        msg = {"id": rid, "cmd": cmd}
        if args is not None:
            msg["args"] = args
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        while True:
            m = self.read_line(timeout)
            check(m is not None, f"engine closed the socket during {cmd}")
            if "event" in m:
                self.events.append(m)
            elif m.get("id") == rid:
                return m

    def wait_event(self, name, timeout=10, pred=lambda e: True):
        """The first name event pred accepts, within timeout seconds
        (scaled for the build and machine)."""
        limit = scaled(timeout)
        deadline = time.monotonic() + limit
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name and pred(e):
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            check(left > 0, f"no {name} event within {limit:g} s "
                  f"(saw {[e['event'] for e in self.events]})")
            m = self._read_until(deadline)
            check(m is not None, f"engine closed the socket waiting {name}")
            if "event" in m:
                self.events.append(m)


class Engine:
    """locphoned running the real baresip, with a private config."""

    def __init__(self, workdir, accounts, conf="", extra_env=None,
                 args=(), netns=None, wrap=(), default_audio=False,
                 runtime_dir=None):
        """default_audio: leave audio_player/audio_source unset (ALSA's
        default device) instead of the silent aubridge,nil.  runtime_dir:
        another engine's, to start in its place."""
        self.dir = workdir
        self.default_audio = default_audio
        self.cfg = os.path.join(workdir, "config")
        self.rt = runtime_dir or os.path.join(workdir, "runtime")
        os.makedirs(self.cfg, exist_ok=True)
        with open(os.path.join(self.cfg, "accounts"), "w") as f:
            f.write(accounts)
        self.socket = os.path.join(self.rt, "ctl.sock")
        # the person's data (saved locations), private to the test
        self.data = os.path.join(workdir, "data")
        env = dict(os.environ)
        env.update(extra_env or {})
        # inside a test's own network namespace the engine may probe
        prefix = (["ip", "netns", "exec", netns] if netns else []) + \
            list(wrap)
        # a free port can be taken by another process before baresip
        # binds it (exit 98, EADDRINUSE): then another port
        for attempt in range(3):
            self.sip_port = free_port()
            self._write_conf(netns, conf)
            self.log = open(os.path.join(workdir, "engine.log"), "w")
            self.proc = subprocess.Popen(
                prefix + [LOCPHONED, "--config-dir", self.cfg,
                          "--runtime-dir", self.rt,
                          "--state-dir", os.path.join(workdir, "state"),
                          "--data-dir", self.data,
                          "--foreground", *args],
                stdout=self.log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=env)
            wait_for(lambda: self._ready() or self.proc.poll() is not None,
                     15, "the engine's control socket")
            if self.proc.poll() != 98:
                break
            self.log.close()
        check(self.proc.poll() is None,
              f"engine exited with {self.proc.returncode}: "
              + open(self.log.name).read()[-2000:])

    def _write_conf(self, netns, conf):
        with open(os.path.join(self.cfg, "locphone.conf"), "w") as f:
            # outside our own namespaces the engine must not send anything
            # to the host's network: no gateway probe, no LLDP
            listen = (f"0.0.0.0:{self.sip_port}" if netns
                      else f"127.0.0.1:{self.sip_port}")
            audio = ("" if self.default_audio else
                     "audio_player aubridge,nil\n"
                     "audio_source aubridge,nil\n")
            f.write(f"sip_listen {listen}\n" + audio
                    + ("" if netns else "gateway_probe no\nlldp_tx no\n")
                    + conf)

    def _ready(self):
        # the socket answers during module init; baresip installs its
        # signal handlers only after it prints that it is ready
        if "baresip is ready" not in open(self.log.name).read():
            return False
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(self.socket)
            return True
        except OSError:
            return False

    def ctl(self, subscribe=True):
        return Ctl(self.socket, subscribe)

    def cli(self, *args, timeout=20):
        res = subprocess.run([LOCPHONECTL, "--socket", self.socket, *args],
                             capture_output=True, text=True,
                             timeout=timeout)
        return res.returncode, res.stdout, res.stderr

    def log_text(self):
        self.log.flush()
        return open(self.log.name, errors="replace").read()

    def stop(self):
        """Stop the engine; fail if it did not exit cleanly or a sanitizer
        (sanitizer builds preload one into baresip) reported anything."""
        # baresip waits for un-REGISTER answers on the first SIGTERM and
        # closes its modules and exits at once on the second
        for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                break
            self.proc.send_signal(sig)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self.proc.wait()
        if self.log.closed:
            return
        self.log.close()
        text = open(self.log.name, errors="replace").read()
        check("Sanitizer" not in text and "runtime error:" not in text,
              "sanitizer report in the engine log: " + text[-3000:])
        check(self.proc.returncode == 0,
              f"engine exit status {self.proc.returncode}")


class Switch:
    """lldpd in a namespace, with its own control socket."""

    def __init__(self, wd, ns, port, med_class="4", name="lldpd"):
        self.ns = ns
        self.port = port
        # lldpcli drops privileges: its socket must be reachable
        sockdir = os.path.join(wd, name)
        os.makedirs(sockdir)
        os.chmod(wd, 0o755)
        os.chmod(sockdir, 0o755)
        self.sock = os.path.join(sockdir, "lldpd.sock")
        self.log = open(os.path.join(wd, f"{name}.log"), "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "lldpd", "-d", "-M", med_class,
             "-u", self.sock, "-I", port],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.cli("show", "configuration", check_rc=False)
                 or self.proc.poll() is not None, 10, "lldpd to answer")
        check(self.proc.poll() is None, "lldpd exited")

    def cli(self, *args, check_rc=True):
        res = subprocess.run(["ip", "netns", "exec", self.ns, "lldpcli",
                              "-u", self.sock, *args],
                             capture_output=True, text=True)
        if check_rc and res.returncode:
            raise Failure(f"lldpcli {args}: {res.stderr}")
        return res.stdout if res.returncode == 0 else None

    def configure(self, *words):
        self.cli("configure", "ports", self.port, "med", "location", *words)
        self.cli("update")  # send now, not at the next 30 s tick

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()
