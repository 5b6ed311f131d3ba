#!/usr/bin/python3
"""Authenticated LIS access (issue 14 item 3), as root in namespaces: the
phone's network has a LIS simulator on HTTPS (a test CA) that demands HTTP
Digest, or Basic, or (behind tls_front.py) a TLS client certificate.  With
the right credentials (lis_credentials, 0600; lis_client_cert and
lis_client_key) the location comes from the LIS; with wrong or missing ones
netinfo and the location say what the LIS refused, and a 911 call goes out
at once all the same; a credentials file or key others may read is refused
and said so with its path; the password never appears in the engine's log,
events, netinfo or e911.policy."""

import json
import os
import subprocess
import sys

from lphelp import (Engine, Failure, Sipp, Topology, Workdir, check,
                    make_test_ca, need, need_root, office_lis, run, sh,
                    wait_for)

LIS_IP = "10.79.0.1"
ROOM = "4711"
USER, SECRET = "phone-17", "s3cret-Pa55 word"
FRONT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "tls_front.py")


def client_cert(wd, prefix, ca_prefix, cn):
    """A client certificate (clientAuth) and its key, signed by the CA
    make_test_ca made under ca_prefix."""
    def ossl(*args):
        res = subprocess.run(["openssl", *args], cwd=wd,
                             capture_output=True, text=True, timeout=60)
        check(res.returncode == 0, f"openssl {args[0]}: {res.stderr}")
    ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", f"{prefix}cli.key", "-out", f"{prefix}cli.csr",
         "-subj", f"/CN={cn}")
    with open(os.path.join(wd, f"{prefix}cli.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                "extendedKeyUsage=clientAuth\n")
    ossl("x509", "-req", "-in", f"{prefix}cli.csr", "-CA",
         f"{ca_prefix}ca.pem", "-CAkey", f"{ca_prefix}ca.key",
         "-CAcreateserial", "-out", f"{prefix}cli.pem", "-days", "2",
         "-extfile", f"{prefix}cli.ext")
    key = os.path.join(wd, f"{prefix}cli.key")
    os.chmod(key, 0o600)
    return os.path.join(wd, f"{prefix}cli.pem"), key


class Office:
    """phone: eth0 to the office (gateway and LIS); a PSAP (sipp) on the
    phone's loopback."""

    def __init__(self, wd, lis_extra=(), front=False):
        self.wd = wd
        self.topo = Topology()
        self.phone = self.topo.ns("phone")
        self.office = self.topo.ns("office")
        self.topo.veth(self.phone, "eth0", self.office, "sw0")
        sh("ip", "addr", "add", f"{LIS_IP}/24", "dev", "sw0", ns=self.office)
        sh("ip", "addr", "add", "10.79.0.2/24", "dev", "eth0", ns=self.phone)
        sh("ip", "route", "add", "default", "via", LIS_IP, ns=self.phone)
        self.ca, self.lis = office_lis(wd, self.office, LIS_IP,
                                       "10.79.0.0/24", ROOM, lis_extra)
        self.url = self.lis.tls_url
        self.front = None
        self.front_out = None
        if front:
            ready = os.path.join(wd, "front.ready")
            self.front_out = open(os.path.join(wd, "front.out"), "w+")
            backend = self.lis.url[len("http://"):].rstrip("/")
            self.front = subprocess.Popen(
                ["ip", "netns", "exec", self.office, "/usr/bin/python3",
                 FRONT, LIS_IP, os.path.join(wd, "srv.pem"),
                 os.path.join(wd, "srv.key"), self.ca, backend, ready],
                stdout=self.front_out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
            wait_for(lambda: os.path.exists(ready)
                     or self.front.poll() is not None, 15, "tls_front")
            check(self.front.poll() is None, "tls_front exited: "
                  + open(self.front_out.name).read())
            port = open(ready).read().strip()
            self.url = f"https://{LIS_IP}:{port}/"
        self.psap = Sipp(wd, "pbx.xml", "psap", netns=self.phone,
                         addr="127.0.0.1")
        self.eng = None

    def credentials(self, text, mode=0o600, name="lis.cred"):
        path = os.path.join(self.wd, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def start(self, conf=""):
        lines = (f"lis_url {self.url}\n"
                 f"lis_ca_file {self.ca}\n"
                 "lis_timeout_ms 1500\n")
        self.eng = Engine(self.wd,
                          f"<sip:alice@127.0.0.1:{self.psap.port}>"
                          ";regint=0\n", netns=self.phone,
                          conf=lines + conf)
        return self.eng.ctl()

    def front_lines(self):
        self.front_out.flush()
        return open(self.front_out.name).read().splitlines()

    def close(self):
        try:
            if self.eng:
                self.eng.stop()
        finally:
            if self.front:
                self.front.terminate()
                self.front.wait(10)
                self.front_out.close()
            self.psap.stop()
            self.lis.stop()
            self.topo.close()


def from_lis(ctl):
    def probe():
        loc = ctl.request("location")["result"]
        return (loc if loc["source"] == "lis" and
                (loc["civic"] or {}).get("ROOM") == ROOM else None)
    return wait_for(probe, 20, "the location from the LIS")


def lis_error(ctl, words):
    """netinfo's lis.last_error once it contains words."""
    seen = []

    def probe():
        lis = ctl.request("netinfo")["result"]["lis"]
        seen[:] = [lis]
        return lis if words in (lis["last_error"] or "") else None
    try:
        return wait_for(probe, 20, f"netinfo lis.last_error with {words!r}")
    except Failure as e:
        raise Failure(f"{e}; netinfo lis: {seen}, location: "
                      f"{ctl.request('location')['result']['reason']}")


def no_secret(s, ctl):
    """The password is nowhere the engine writes."""
    seen = [s.eng.log_text(), json.dumps(ctl.request("netinfo")),
            json.dumps(ctl.request("e911.policy")),
            json.dumps(ctl.request("location")),
            json.dumps(ctl.events)]
    rc, out, err = s.eng.cli("netinfo")
    seen.append(out + err)
    for text in seen:
        check(SECRET not in text and "Pa55" not in text,
              f"the password leaked: {text[:2000]}")


def call_911(s, ctl):
    """A 911 call goes out at once, whatever the LIS said."""
    r = ctl.request("dial", {"number": "911"})
    check(r["ok"], f"dial 911: {r}")
    ctl.wait_event("emergency.started", timeout=10)
    ctl.wait_event("call.established", timeout=10)
    check(ctl.request("hangup")["ok"], "hangup")
    ctl.wait_event("call.closed", timeout=15)


def test_digest():
    with Workdir() as wd:
        s = Office(wd, lis_extra=("--auth", "digest",
                                  "--auth-user", f"{USER}:{SECRET}"))
        try:
            cred = s.credentials(f"# the LIS of the office\nuser {USER}\n"
                                 f"password {SECRET}\nauth digest\n")
            ctl = s.start(f"lis_credentials {cred}\n")
            loc = from_lis(ctl)
            check(loc["validated"], f"the LIS's answer: {loc}")
            lis = ctl.request("netinfo")["result"]["lis"]
            check(lis["primary_auth"]["http_auth"] == "digest" and
                  lis["secondary_auth"]["http_auth"] == "digest" and
                  lis["credentials"] == cred and lis["auth_error"] is None
                  and lis["last_error"] is None, f"netinfo lis: {lis}")
            answers = [e["answer"] for e in s.lis.log_entries(True)]
            check("noCredentials" in answers and
                  "locationResponse" in answers and
                  "badCredentials" not in answers,
                  f"challenged, then answered: {answers}")
            no_secret(s, ctl)
        finally:
            s.close()


def test_digest_wrong_password():
    with Workdir() as wd:
        s = Office(wd, lis_extra=("--auth", "digest",
                                  "--auth-user", f"{USER}:{SECRET}"))
        try:
            cred = s.credentials(f"user {USER}\npassword not-{SECRET}\n")
            ctl = s.start(f"lis_credentials {cred}\n")
            lis = lis_error(ctl, "refused the credentials")
            check("HTTP 401" in lis["last_error"] and
                  s.url in lis["last_error"], f"which LIS, what: {lis}")
            loc = ctl.request("location")["result"]
            check(loc["source"] != "lis" and
                  "refused the credentials" in loc["reason"],
                  f"the location says why: {loc}")
            answers = [e["answer"] for e in s.lis.log_entries(True)]
            check("badCredentials" in answers and
                  "locationResponse" not in answers, f"{answers}")
            call_911(s, ctl)
            no_secret(s, ctl)
        finally:
            s.close()


def test_basic_and_refused_file():
    with Workdir() as wd:
        s = Office(wd, lis_extra=("--auth", "basic",
                                  "--auth-user", f"{USER}:{SECRET}"))
        try:
            # others may read it: refused whole, said with its path
            cred = s.credentials(f"user {USER}\npassword {SECRET}\n",
                                 mode=0o644)
            ctl = s.start(f"lis_credentials {cred}\n")
            lis = lis_error(ctl, "asks for credentials and none are "
                                 "configured")
            check(lis["auth_error"] and cred in lis["auth_error"] and
                  "mode 0644" in lis["auth_error"] and
                  lis["primary_auth"]["http_auth"] is None,
                  f"the refusal in netinfo: {lis}")
            check(f"{cred}: mode 0644" in s.eng.log_text(),
                  "the refusal in the log")
            rc, out, err = s.eng.cli("netinfo")
            check(rc == 0 and f"lis creds  {cred}\n" in out and
                  f"lis auth   not used: {lis['auth_error']}\n" in out and
                  "lis error  " in out, f"locphonectl netinfo: {out}{err}")
            no_secret(s, ctl)
            s.eng.stop()

            # 0600: Basic over HTTPS works
            os.chmod(cred, 0o600)
            ctl = s.start(f"lis_credentials {cred}\n")
            from_lis(ctl)
            lis = ctl.request("netinfo")["result"]["lis"]
            check(lis["auth_error"] is None and
                  lis["primary_auth"]["http_auth"] == "any", f"{lis}")
            rc, out, err = s.eng.cli("netinfo")
            check(rc == 0 and "lis primary   HTTP authentication any, "
                  "client certificate none\n" in out and
                  "lis auth   " not in out and "lis error  " not in out,
                  f"locphonectl netinfo: {out}{err}")
            no_secret(s, ctl)
            s.eng.stop()

            # a bad line refuses the file whole, with file:line, no value
            cred = s.credentials(f"user {USER}\npassword {SECRET}\n"
                                 "auth Pa55-typo\n", name="bad.cred")
            ctl = s.start(f"lis_credentials {cred}\n")
            lis = ctl.request("netinfo")["result"]["lis"]
            check(f"{cred}:3: auth: must be any, basic or digest"
                  in (lis["auth_error"] or ""), f"file:line: {lis}")
            lis_error(ctl, "asks for credentials")
            no_secret(s, ctl)
        finally:
            s.close()


def test_client_certificate():
    with Workdir() as wd:
        s = Office(wd, front=True)
        try:
            cert, key = client_cert(wd, "phone-", "", "phone-17")
            make_test_ca(wd, ip=LIS_IP, prefix="other-")
            ocert, okey = client_cert(wd, "rogue-", "other-", "rogue")

            # the configured phone's certificate: answered
            ctl = s.start(f"lis_client_cert {cert}\n"
                          f"lis_client_key {key}\n")
            from_lis(ctl)
            lis = ctl.request("netinfo")["result"]["lis"]
            check(lis["primary_auth"]["client_cert"] == cert and
                  lis["last_error"] is None, f"{lis}")
            check("client: phone-17" in s.front_lines(),
                  f"the LIS saw the phone: {s.front_lines()}")
            s.eng.stop()

            # none: the LIS asks for one, said so; 911 still goes out
            ctl = s.start()
            lis_error(ctl, "asks for a TLS client certificate")
            call_911(s, ctl)
            s.eng.stop()

            # another CA's certificate: refused
            ctl = s.start(f"lis_client_cert {ocert}\n"
                          f"lis_client_key {okey}\n")
            lis_error(ctl, "refused the TLS client certificate")
            s.eng.stop()

            # a key others may read: not used, said with its path
            os.chmod(key, 0o640)
            ctl = s.start(f"lis_client_cert {cert}\n"
                          f"lis_client_key {key}\n")
            lis = lis_error(ctl, "asks for a TLS client certificate")
            check(f"{key}: mode 0640" in (lis["auth_error"] or "") and
                  lis["primary_auth"]["client_cert"] is None, f"{lis}")
        finally:
            s.close()


if __name__ == "__main__":
    need_root()
    need("openssl", "sipp")
    sys.exit(run([test_digest, test_digest_wrong_password,
                  test_basic_and_refused_file, test_client_certificate]))
