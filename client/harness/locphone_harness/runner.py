"""Builds a site out of network namespaces and runs its scenarios.

One namespace PREFIX-core holds the site's network: a bridge per subnet
(its gateway address), lldpd per switch (on the switch's ports), the
services on a dummy interface (the LIS simulator, the PSAPs, the SBC).
Each phone is an engine in a namespace of its own, its eth0 a veth whose
other end is the switch port (or a plain port of a subnet)."""

import csv
import json
import os
import shutil
import signal
import subprocess
import time

from . import procs
from .procs import (Engine, Failure, LisSim, Switch, Topology, check,
                    make_test_ca, sh, stop_process, wait_for)

PREFIX = "lph-"
LIS_IP = "10.255.0.10"
PSAP_IP = "10.255.0.20"
PSAP2_IP = "10.255.0.21"
SBC_IP = "10.255.0.30"
DEAD_IP = "10.255.0.22"  # the primary route when it is down: nobody there


def stale_namespaces():
    """Namespaces of the harness whose run is gone (its pid is in the
    name): removed with every process in them."""
    out = subprocess.run(["ip", "netns", "list"], capture_output=True,
                         text=True).stdout
    gone = []
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        if not name.startswith(PREFIX):
            continue
        pid = name[len(PREFIX):].split("-")[0]
        if pid.isdigit() and os.path.exists(f"/proc/{pid}") and \
                int(pid) != os.getpid():
            continue
        gone.append(name)
    for name in gone:
        kill_namespace(name)
    return gone


def kill_namespace(name):
    for _ in range(3):
        pids = subprocess.run(["ip", "netns", "pids", name],
                              capture_output=True, text=True).stdout.split()
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        time.sleep(0.05)  # the killed processes leave the namespace
    subprocess.run(["ip", "netns", "del", name], capture_output=True)


def lldpd_words(loc):
    """lldpcli "configure ports X med location" words for a port."""
    if "civic" in loc:
        names = {"A1": "country-subdivision", "A2": "county", "A3": "city",
                 "A4": "city-division", "A5": "block", "A6": "street",
                 "PRD": "direction", "POD": "trailing-street-suffix",
                 "STS": "street-suffix", "HNO": "number",
                 "HNS": "number-suffix", "LMK": "landmark",
                 "LOC": "additional", "NAM": "name", "PC": "zip",
                 "BLD": "building", "UNIT": "unit", "FLR": "floor",
                 "ROOM": "room", "PLC": "place-type", "PCN": "postal-community",
                 "POBOX": "pobox", "ADDCODE": "additional-code",
                 "SEAT": "seat", "RD": "street"}
        words = ["address", "country", loc["civic"].get("country", "US")]
        for k, v in loc["civic"].items():
            if k != "country" and k in names:
                words += [names[k], v]
        return words
    if "coordinates" in loc:
        c = loc["coordinates"]
        lat, lon = c["latitude"], c["longitude"]
        words = ["coordinate", "latitude",
                 f"{abs(lat)}{'N' if lat >= 0 else 'S'}", "longitude",
                 f"{abs(lon)}{'E' if lon >= 0 else 'W'}"]
        # lldpcli wants an altitude
        words += ["altitude", str(c.get("altitude") or 0), "m"]
        return words + ["datum", "WGS84"]
    if "elin" in loc:
        return ["elin", loc["elin"]]
    return None


class Say:
    """Progress on the terminal; narrate: what the phone found and said."""

    def __init__(self, quiet=False, narrate=False):
        self.quiet = quiet
        self.narrate = narrate

    def __call__(self, text=""):
        if not self.quiet:
            print(text, flush=True)

    def tell(self, text=""):
        if self.narrate:
            print(text, flush=True)


class Site:
    def __init__(self, site, workdir, say, keep=False):
        self.site = site
        self.wd = workdir
        self.say = say
        self.keep = keep
        self.tag = f"{PREFIX}{os.getpid()}"
        self.topo = Topology(self.tag)
        self.switches = {}
        self.ports = {}
        self.subnets = {}
        self.next_host = {}
        self.lis = None
        self.ca = None
        self.ifcount = 0
        for sw in site["switches"]:
            for p in sw["ports"]:
                self.ports[f"{sw['name']}/{p['name']}"] = p

    # --- building -------------------------------------------------------
    def build(self):
        self.core = self.topo.ns("core")
        # the services' addresses on the core's loopback (no dummy
        # interfaces in every kernel)
        for ip in (LIS_IP, PSAP_IP, PSAP2_IP, SBC_IP, DEAD_IP):
            sh("ip", "addr", "add", f"{ip}/32", "dev", "lo", ns=self.core)
        sh("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", ns=self.core)
        for sub in self.site["subnets"]:
            br = f"br{sub['name']}"
            # a fixed address: a bridge otherwise takes the lowest of its
            # ports' and changes it as phones are plugged in, leaving the
            # earlier phones' ARP entries for the gateway stale
            n = len(self.subnets) + 1
            sh("ip", "link", "add", br, "address", f"02:4c:50:48:00:{n:02x}",
               "type", "bridge", ns=self.core)
            hosts = list(sub["cidr"].hosts())
            gw = str(hosts[0])
            sh("ip", "addr", "add", f"{gw}/{sub['cidr'].prefixlen}", "dev",
               br, ns=self.core)
            sh("ip", "link", "set", br, "up", ns=self.core)
            self.subnets[sub["name"]] = {"bridge": br, "gateway": gw,
                                         "hosts": hosts[1:],
                                         "prefix": sub["cidr"].prefixlen}
            self.next_host[sub["name"]] = 0
        for sw in self.site["switches"]:
            self.say(f"  switch {sw['name']}: lldpd with "
                     f"{len(sw['ports'])} port(s) on subnet {sw['subnet']}")
        for w in self.site["wifi"]:
            self.say(f"  Wi-Fi area {w['name']}: skipped: this kernel has no "
                     "mac80211_hwsim (simulated Wi-Fi radios), so no phone "
                     "can associate with it")
        lis = self.site.get("lis")
        if lis and lis.get("simulator"):
            self.ca, cert = make_test_ca(self.wd, ip=LIS_IP)
            wiremap = self.write_wiremap()
            self.lis = LisSim(self.wd, wiremap, cert=cert, netns=self.core,
                              addr=LIS_IP)
            self.lis_url = self.lis.tls_url
            self.say(f"  LIS simulator at {self.lis_url} (wiremap of "
                     f"{self.wiremap_rows} port(s) from the site file)")
        elif lis:
            self.lis_url = lis["url"]
            self.ca = lis.get("ca")
            self.say(f"  the site's LIS at {self.lis_url}")
        else:
            self.lis_url = None

    def switch(self, name):
        """lldpd for switch name, started when its first port is used."""
        if name not in self.switches:
            sw = Switch(self.wd, self.core, "none", name=f"lldpd-{name}")
            sw.cli("configure", "system", "chassisid", name)
            sw.cli("configure", "system", "hostname", name)
            self.switches[name] = sw
        return self.switches[name]

    def write_wiremap(self):
        path = os.path.join(self.wd, "wiremap.csv")
        cols = ["country", "A1", "A3", "A6", "RD", "STS", "HNO", "LOC",
                "NAM", "PC", "BLD", "UNIT", "FLR", "ROOM", "SEAT"]
        rows = []
        for key, port in self.ports.items():
            loc = port["lis"]
            if not loc:
                continue
            sw, p = key.split("/")
            row = {"kind": "chassis+port", "key": f"7:{sw}/7:{p}"}
            row.update(loc.get("civic") or {})
            if "coordinates" in loc:
                row["lat"] = str(loc["coordinates"]["latitude"])
                row["lon"] = str(loc["coordinates"]["longitude"])
            if "elin" in loc:
                row["elin"] = loc["elin"]
            rows.append(row)
        for r in rows:
            for k in r:
                if k not in cols and k not in ("kind", "key", "lat", "lon",
                                               "elin"):
                    cols.append(k)
        header = ["kind", "key"] + cols + ["lat", "lon", "elin"]
        with open(path, "w", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            for r in rows:
                out.writerow([r.get(h, "") for h in header])
        self.wiremap_rows = len(rows)
        return path

    def plug(self, phone_ns, where, host=None):
        """A veth from phone_ns's eth0 to a switch port or a subnet; the
        phone's address and default route.  Returns the core-side name."""
        self.ifcount += 1
        ifname = f"v{self.ifcount}"
        self.topo.veth(phone_ns, "eth0", self.core, ifname)
        if "/" in where:
            port = self.ports[where]
            swname = port["switch"]
            subnet = next(s["subnet"] for s in self.site["switches"]
                          if s["name"] == swname)
        else:
            port, subnet = None, where
        net = self.subnets[subnet]
        sh("ip", "link", "set", ifname, "master", net["bridge"],
           ns=self.core)
        if host is None:
            host = net["hosts"][self.next_host[subnet] % len(net["hosts"])]
            self.next_host[subnet] += 1
        sh("ip", "addr", "add", f"{host}/{net['prefix']}", "dev", "eth0",
           ns=phone_ns)
        sh("ip", "route", "add", "default", "via", net["gateway"],
           ns=phone_ns)
        if port is not None:
            sw = self.switch(swname)
            sw.cli("configure", "system", "interface", "pattern",
                   ",".join(f"v{i}" for i in range(1, self.ifcount + 1)))
            wait_for(lambda: ifname in (sw.cli("show", "interfaces",
                                                check_rc=False) or ""),
                     10, f"lldpd to take port {ifname}")
            sw.cli("configure", "ports", ifname, "lldp", "portidsubtype",
                   "local", port["name"])
            words = lldpd_words(port["lldp"])
            if words:
                sw.cli("configure", "ports", ifname, "med", "location",
                       *words)
            sw.cli("update")
        return ifname, str(host)

    def unplug(self, phone_ns, ifname):
        sh("ip", "link", "del", "eth0", ns=phone_ns, check_rc=False)

    def remove_ns(self, name):
        """A phone's namespace, with what runs in it, at the end of its
        scenario."""
        kill_namespace(name)
        if name in self.topo.namespaces:
            self.topo.namespaces.remove(name)

    def close(self):
        for sw in self.switches.values():
            try:
                sw.stop()
            except Exception:
                pass
        if self.lis is not None:
            try:
                self.lis.stop()
            except Exception:
                pass
        self.topo.close()


class Psap:
    """A call centre for the whole run: locphone-psap-sim, each INVITE
    checked as a PSAP would and recorded; the expectation (its --expect
    file, read at each INVITE) is the scenario's."""

    def __init__(self, wd, core, ip, name):
        self.ip, self.core, self.name, self.wd = ip, core, name, wd
        self.record = os.path.join(wd, f"{name}.jsonl")
        self.expect_file = os.path.join(wd, f"{name}.expect.json")
        self.expect({})
        self.restarts = 0
        self.start()

    def start(self):
        ready = os.path.join(self.wd, f"{self.name}.ready")
        if os.path.exists(ready):
            os.unlink(ready)
        self.out = open(os.path.join(self.wd, f"{self.name}.out"), "a")
        cmd = ["ip", "netns", "exec", self.core, "/usr/bin/python3",
               procs.PSAP_SIM, "--listen", f"{self.ip}:5060", "--transport",
               "both", "--record", self.record, "--expect", self.expect_file,
               "--ready-file", ready]
        if os.path.exists(procs.PIDFCHECK):
            cmd += ["--pidfcheck", procs.PIDFCHECK]
        self.proc = subprocess.Popen(cmd, stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(ready) or
                 self.proc.poll() is not None, 15,
                 f"the PSAP simulator at {self.ip}")
        check(self.proc.poll() is None, "the PSAP simulator exited at "
              f"start: {open(self.out.name).read()[-1000:]}")

    def ensure(self):
        """Restart it if it died (a crash of a part): returns why, or
        None when it was running."""
        if self.proc.poll() is None:
            return None
        why = (f"the PSAP simulator at {self.ip} had exited "
               f"(status {self.proc.returncode}); restarted")
        self.out.close()
        self.restarts += 1
        self.start()
        return why

    def expect(self, exp):
        with open(self.expect_file + ".tmp", "w") as f:
            if exp.get("location") is False:
                json.dump({"*": {"location": False}}, f)
            elif exp.get("civic"):
                json.dump({"*": {"civic": exp["civic"]}}, f)
            else:
                json.dump({}, f)
        os.replace(self.expect_file + ".tmp", self.expect_file)

    def records(self, call_ids):
        out = []
        try:
            with open(self.record) as f:
                lines = [ln for ln in f if ln.strip()]
        except FileNotFoundError:
            lines = []
        for ln in lines:
            try:
                rec = json.loads(ln)
            except ValueError:
                continue  # a line being written
            if rec.get("call_id") not in call_ids:
                continue
            rec["psap"] = self.ip
            rec["location"] = record_location(rec["location"]) \
                if rec.get("location") else None
            out.append(rec)
        return out

    def stop(self):
        stop_process(self.proc, 10)
        self.out.close()


class Sbc:
    """locphone-sbc (kamailio) between the phones and the PSAP."""

    def __init__(self, wd, core, fault, forward, name="sbc"):
        self.record = os.path.join(wd, f"{name}.jsonl")
        ready = os.path.join(wd, f"{name}.ready")
        workdir = os.path.join(wd, name)
        os.makedirs(workdir, exist_ok=True)
        self.out = open(os.path.join(wd, f"{name}.out"), "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", core, "/usr/bin/python3", procs.SBC,
             "--listen",
             f"{SBC_IP}:5060", "--forward", forward, "--fault", fault,
             "--record", self.record, "--ready-file", ready,
             "--workdir", workdir], stdout=self.out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(ready) or
                 self.proc.poll() is not None, 20, "the SBC to start")
        check(self.proc.poll() is None, "the SBC exited at start: see "
              + self.out.name)

    def stop(self):
        stop_process(self.proc, 10)
        self.out.close()
        try:
            with open(self.record) as f:
                return [json.loads(ln) for ln in f if ln.strip()]
        except FileNotFoundError:
            return []


def expected_words(exp):
    if exp.get("removed_at_sbc"):
        return "the location removed at the SBC"
    if exp.get("location") is False:
        return "no location (the PSAP must get none)"
    bits = []
    if "civic" in exp:
        bits.append(", ".join(f"{k} {v}" for k, v in exp["civic"].items()))
    if "coordinates" in exp:
        c = exp["coordinates"]
        bits.append(f"lat {c['latitude']}, lon {c['longitude']}")
    return "; ".join(bits) or "any location"


def record_location(r):
    """The engine's location record in the form compare() reads."""
    if not (r.get("civic") or r.get("geo")):
        return None
    out = {}
    if r.get("civic"):
        out["civic"] = r["civic"]
    if r.get("geo"):
        out["coordinates"] = {"latitude": r["geo"].get("lat"),
                              "longitude": r["geo"].get("lon")}
    return out


def compare(exp, loc):
    """Why the received location loc is not the expected one, or None."""
    if exp.get("removed_at_sbc"):
        return None
    if exp.get("location") is False:
        return None if not loc else "a location was received where none " \
            "was expected"
    if not loc:
        return "no location was received"
    for k, v in (exp.get("civic") or {}).items():
        got = (loc.get("civic") or {}).get(k)
        if got != v:
            return (f"the address's {k} is {got!r}, the site file expects "
                    f"{v!r}")
    if "coordinates" in exp:
        c, g = exp["coordinates"], loc.get("coordinates")
        if not g:
            return "no coordinates were received"
        for k in ("latitude", "longitude"):
            if abs(g[k] - c[k]) > 1e-4:
                return f"{k} is {g[k]}, the site file expects {c[k]}"
    return None


class Runner:
    def __init__(self, site, workdir, say):
        self.site = site
        self.say = say
        self.wd = workdir
        self.net = Site(site, workdir, say)
        self.phones = {p["name"]: p for p in site["phones"]}
        self.engines = []
        self.nscount = 0

    def build(self):
        self.net.build()
        self.psaps = [Psap(self.wd, self.net.core, PSAP_IP, "psap")]
        if self.site["call_path"]["secondary"]:
            self.psaps.append(Psap(self.wd, self.net.core, PSAP2_IP, "psap2"))
        self.say(f"  PSAP simulator(s) at {', '.join(p.ip for p in self.psaps)}"
                 " (port 5060, UDP and TCP)")

    def close(self):
        for p in getattr(self, "psaps", []):
            try:
                p.stop()
            except Exception:
                pass
        for eng in self.engines:
            try:
                eng.stop()
            except Exception:
                pass
        self.net.close()

    # --- one phone ------------------------------------------------------
    def start_phone(self, ph, wd, where, index=0):
        self.nscount += 1
        ns = self.net.topo.ns(f"{ph['name']}{self.nscount}")
        ifname, ip = self.net.plug(ns, where)
        policy = dict(ph["policy"])
        sbc = self.sbc_in_path
        primary = SBC_IP if sbc else (DEAD_IP if self.primary_down
                                      else PSAP_IP)
        lines = [f"emergency_route sip:911@{primary}:5060"]
        if self.site["call_path"]["secondary"]:
            lines.append(f"emergency_route_secondary sip:911@{PSAP2_IP}:5060")
        policy.setdefault("test_dial_strings", "933")
        lines += [f"{k} {v}" for k, v in policy.items()]
        os.makedirs(wd, exist_ok=True)
        pol = os.path.join(wd, "policy.conf")
        with open(pol, "w") as f:
            f.write("\n".join(lines) + "\n")
        conf = f"policy_file {pol}\n"
        if self.net.lis_url:
            conf += f"lis_url {self.net.lis_url}\n"
            if self.net.ca:
                conf += f"lis_ca_file {self.net.ca}\n"
        user = ph.get("user") or ph["name"]
        if ph["count"] > 1:
            user = f"{user}{index}"
        if ph["vpn"]:
            sh("ip", "tuntap", "add", "dev", "tun0", "mode", "tun", ns=ns)
            sh("ip", "addr", "add", "172.31.0.2/24", "dev", "tun0", ns=ns)
            sh("ip", "link", "set", "tun0", "up", ns=ns)
            # the tunnel carries the default route (that is what makes it
            # VPN); the site's services stay reachable beside it
            gw = self.net.subnets[where]["gateway"] if "/" not in where \
                else None
            if gw:
                sh("ip", "route", "add", "10.255.0.0/24", "via", gw, ns=ns)
                sh("ip", "route", "replace", "default", "dev", "tun0", ns=ns)
        eng = Engine(wd, f"<sip:{user}@{PSAP_IP}>;regint=0\n", conf=conf,
                     netns=ns)
        self.engines.append(eng)
        eng.ns, eng.ifname, eng.ip, eng.where = ns, ifname, ip, where
        return eng

    def stop_phone(self, eng):
        try:
            eng.stop()
        finally:
            if eng in self.engines:
                self.engines.remove(eng)

    # --- one scenario ---------------------------------------------------
    def run_scenario(self, sc):
        t0 = time.monotonic()
        res = {"name": sc["name"], "expected": sc["expect"], "sent": None,
               "received": None, "pass": False, "why": ""}
        wd = os.path.join(self.wd, sc["name"])
        os.makedirs(wd)
        ph = self.phones[sc["phone"]]
        fault = sc.get("sbc_fault") or (self.site["call_path"]["sbc"] or
                                        {}).get("fault")
        self.sbc_in_path = fault is not None
        self.fault = fault
        self.primary_down = sc.get("primary") == "down"
        sbc, engines, sent = None, [], None
        for p in self.psaps:
            p.expect(sc["expect"])
            crashed = p.ensure()
            if crashed:
                self.say(f"    {crashed}")
        try:
            if self.sbc_in_path and not (os.path.exists(procs.SBC) and
                                         shutil.which("kamailio")):
                res["why"] = ("not run: the site has an SBC but "
                              f"{procs.SBC} or kamailio is not installed")
                res["skipped"] = True
                return res
            if self.sbc_in_path:
                sbc = Sbc(wd, self.net.core, fault, f"{PSAP_IP}:5060")
            if sc.get("lis_mode") and self.net.lis:
                self.net.lis.set_mode(sc["lis_mode"])
            where = ph.get("port") or ph.get("subnet")
            if ph.get("wifi"):
                res["why"] = ("not run: the phone is in Wi-Fi area "
                              f"{ph['wifi']}, and this kernel cannot "
                              "simulate Wi-Fi (no mac80211_hwsim)")
                res["skipped"] = True
                return res
            for i in range(ph["count"]):
                engines.append(self.start_phone(
                    ph, os.path.join(wd, f"phone{i}"), where, i))
            sent, outcomes = self.drive(sc, ph, engines, wd)
            res["sent"] = sent[0] if len(sent) == 1 else sent
        except Failure as e:
            res["why"] = f"the harness could not run it: {e}"
            sent, outcomes = None, None
        finally:
            for eng in list(engines):
                try:
                    self.stop_phone(eng)
                except Failure as e:
                    if not res["why"]:
                        res["why"] = f"a phone did not stop cleanly: {e}"
            call_ids = {s["call_id"] for s in sent or []}
            received = [r for p in self.psaps for r in p.records(call_ids)]
            sbc_rec = sbc.stop() if sbc else []
            if sc.get("lis_mode") and self.net.lis:
                self.net.lis.set_mode("normal")
            for eng in engines:
                self.net.remove_ns(eng.ns)
            res["seconds"] = round(time.monotonic() - t0, 2)
        if res["why"]:
            return res
        res["received"] = [{k: r.get(k) for k in (
            "psap", "request_uri", "content_type", "parts", "headers",
            "location_received", "location", "checks", "pidf")}
            for r in received]
        if len(res["received"]) == 1:
            res["received"] = res["received"][0]
        res["pass"], res["why"] = self.judge(sc, sent, outcomes, received,
                                             sbc_rec)
        return res

    def tell_netinfo(self, eng, ni):
        tell = self.say.tell
        name = eng.ns.split("-")[-1]
        addrs = [f"{a['address']}/{a['prefix']}"
                 for i in ni.get("interfaces", [])
                 for a in i.get("addresses", [])]
        gw = ni.get("gateway") or {}
        tell(f"    phone {name} discovers: addresses {', '.join(addrs)}, "
             f"gateway {gw.get('ip')} ({gw.get('mac')})"
             + (", on VPN (a tunnel carries the default route)"
                if ni.get("vpn") else ""))
        for ifname, n in (ni.get("lldp") or {}).items():
            med = (n.get("med") or {}).get("location") or {}
            tell(f"      LLDP on {ifname}: switch "
                 f"{n['chassis_id']['value']} port {n['port_id']['value']}"
                 + (f", LLDP-MED location: {', '.join(med)}" if med else
                    ", no LLDP-MED location"))

    def settle(self, ctl, exp):
        """Wait for the location the site expects; after 5 s ask the LIS
        again once (the engine's first HELD request can leave before the
        switch's LLDP arrived, and it asks again only later)."""
        def ok(r):
            return compare(exp, record_location(r)) is None
        try:
            self.wait_location(ctl, ok, 5, "the expected location")
        except Failure:
            ctl.request("location.refresh")
            self.wait_location(ctl, ok, 10, "the expected location")

    def wait_location(self, ctl, pred, timeout, what):
        return wait_for(lambda: (lambda r: r if pred(r) else None)(
            ctl.request("location")["result"]), timeout, what)

    def drive(self, sc, ph, engines, wd):
        """Bring each phone to the state the scenario says and dial; the
        emergency.started of each (what it sent) and its outcome."""
        exp = sc["expect"]
        ctls = [e.ctl() for e in engines]
        say = self.say
        for eng, ctl in zip(engines, ctls):
            if sc.get("disclaimer"):
                ev = ctl.wait_event("location.prompt", 20)
                say.tell(f"    the phone asks for an address: "
                         f"{ev.get('reason')}")
                check(ctl.request("location.dismiss")["ok"], "dismiss")
                ev = ctl.wait_event("location.disclaimer", 10)
                say.tell(f"    dismissed; the disclaimer shown: "
                         f"{ev.get('disclaimer_text')!r}")
                check(ctl.request("location.acknowledge-disclaimer")["ok"],
                      "acknowledge the disclaimer")
            elif sc.get("enter"):
                ctl.wait_event("location.prompt", 20)
                r = ctl.request("location.set", sc["enter"])
                check(r["ok"], f"location.set: {r}")
                if sc.get("saved"):
                    r = ctl.request("location.save", {"name": "home"})
                    check(r["ok"], f"location.save: {r}")
                    wait_for(lambda: ctl.request("location.list")["result"]
                             ["locations"][0]["networks"] > 0, 10,
                             "the saved location to be tied to the network")
            elif exp.get("location") is not False:
                want = exp.get("source")
                self.wait_location(
                    ctl, lambda r: r["source"] != "none" and
                    (want is None or r["source"] == want), 30,
                    f"phone {ph['name']} to find its location"
                    + (f" from {want}" if want else ""))
                # a first answer (the switch's) may come before the LIS's:
                # give the phone time to settle on what the site expects
                try:
                    if sc.get("move_to"):
                        raise Failure("expected only after the move")
                    self.settle(ctl, exp)
                except Failure:
                    pass  # the call shows what it settled on
        if sc.get("saved"):
            # the person saved it: the phone restarts (next morning) and
            # must use it again without asking
            old = engines[0]
            for c in ctls:
                c.close()
            old.stop()
            self.engines.remove(old)
            eng = Engine(old.dir, open(os.path.join(old.cfg, "accounts"))
                         .read(), conf=_user_conf(old), netns=old.ns)
            eng.ns, eng.ifname, eng.where, eng.ip = (old.ns, old.ifname,
                                                    old.where, old.ip)
            self.engines.append(eng)
            engines[0] = eng
            ctls = [eng.ctl()]
            self.wait_location(ctls[0], lambda r: r["source"] == "manual",
                               20, "the saved location to be used again")
            say.tell("    restarted: the saved home location is used again "
                     "without asking")
        if sc.get("move_to"):
            eng, ctl = engines[0], ctls[0]
            before = ctl.request("location")["result"]
            ports = _lldp_ports(ctl)
            say.tell(f"    at {eng.where}: {_loc_words(before)}")
            self.net.unplug(eng.ns, eng.ifname)
            # the same address: baresip 1.0.0 keeps the address its SIP
            # transport bound at start
            eng.ifname, eng.ip = self.net.plug(eng.ns, sc["move_to"],
                                               host=eng.ip)
            eng.where = sc["move_to"]
            # first the phone hears the new port's switch, then the
            # location that follows from it (the LIS asked with the new
            # evidence, when the site expects the LIS's answer)
            wait_for(lambda: _lldp_ports(ctl) - ports, 40,
                     f"the phone to hear the switch on {sc['move_to']}")
            want = sc["expect"].get("source")
            self.wait_location(ctl, lambda r: r["source"] != "none" and
                               (want is None or r["source"] == want) and
                               r.get("civic") != before.get("civic"), 40,
                               f"the phone to notice it moved to "
                               f"{sc['move_to']}")
            # the first change may be an answer still about the old port
            # (asked before the move was heard): settle as at the start;
            # if it never comes, the call shows what the phone had
            try:
                self.settle(ctl, sc["expect"])
            except Failure:
                pass
        for eng, ctl in zip(engines, ctls):
            if say.narrate:
                self.tell_netinfo(eng, ctl.request("netinfo")["result"])
            loc = ctl.request("location")["result"]
            eng.location = loc
            say.tell(f"    phone {eng.ns.split('-')[-1]} at {eng.where}: "
                     f"{_loc_words(loc)}")
            if loc.get("reason"):
                say.tell(f"      why: {loc['reason']}")
        for ctl in ctls:
            r = ctl.request("dial", {"number": sc["dial"]})
            check(r["ok"], f"dial {sc['dial']}: {r}")
        sent, outcomes = [], []
        for eng, ctl in zip(engines, ctls):
            started = ctl.wait_event("emergency.started", 20)
            failovers = []
            ended = None
            deadline = time.monotonic() + procs.scaled(30)
            while ended is None:
                for i, e in enumerate(ctl.events):
                    if e["event"] == "emergency.failover":
                        failovers.append(ctl.events.pop(i))
                        break
                    if e["event"] in ("call.established",):
                        ctl.events.pop(i)
                        ctl.request("hangup")
                        break
                    if e["event"] == "emergency.ended":
                        ended = ctl.events.pop(i)
                        break
                else:
                    check(time.monotonic() < deadline,
                          "the emergency call neither ended nor was "
                          "answered in time")
                    m = ctl.read_line(max(0.1, deadline - time.monotonic()))
                    check(m is not None, "the engine closed its socket")
                    if "event" in m:
                        ctl.events.append(m)
            last = failovers[-1] if failovers else started
            sent.append({"request_uri": last["request_uri"],
                         "route": last["route"],
                         "class": started["class"],
                         "location": last["location"],
                         "location_source": last.get("location_source"),
                         "headers": last["headers"], "pidf": last["pidf"],
                         "call_id": last["call"],
                         "location_why": (eng.location or {}).get("reason"),
                         "failovers": [f["reason"] for f in failovers]})
            outcomes.append(ended)
        for c in ctls:
            c.close()
        return sent, outcomes

    def judge(self, sc, sent, outcomes, received, sbc_rec):
        exp = sc["expect"]
        by_call = {}
        for r in received:
            by_call.setdefault(r.get("call_id"), []).append(r)
        whys = []
        for s, out in zip(sent, outcomes):
            got = by_call.get(s["call_id"], [])
            if out["outcome"] != "ended":
                whys.append(f"the call was not answered ({out['outcome']}: "
                            f"{out.get('reason')})")
                continue
            if not got:
                whys.append("the PSAP received no INVITE for the call")
                continue
            r = got[-1]
            if exp.get("route") and s["route"] != exp["route"]:
                whys.append(f"the call went on the {s['route']} route")
            sent_loc = s["pidf"] is not None
            if exp.get("removed_at_sbc"):
                removed = [x for rec in sbc_rec if rec.get("call_id") ==
                           s["call_id"] for x in rec.get("removed", [])]
                if sent_loc and not r["location_received"] and removed:
                    continue
                whys.append("the SBC was to remove the location, but "
                            + ("the phone sent none" if not sent_loc else
                               "the PSAP received it" if
                               r["location_received"] else
                               "its record shows nothing removed"))
                continue
            if exp.get("location") is not False and not r["location_received"]:
                if sent_loc:
                    at = (f" (at the SBC {SBC_IP}, fault {self.fault})"
                          if self.sbc_in_path else
                          " (somewhere in the call path)")
                    whys.append("the location left the phone and was "
                                "removed between the phone and the PSAP"
                                + at)
                else:
                    whys.append("the phone sent no location: "
                                + (s.get("location_why") or "it had none"))
                continue
            bad = compare(exp, r["location"])
            if bad:
                whys.append(bad)
                continue
            for chk in r["checks"]:
                if not chk["ok"] and chk["check"] != "expected-location":
                    whys.append(f"the PSAP's {chk['check']} check failed: "
                                f"{chk['why']}")
            if sc.get("test_call") and s["class"] != "test":
                whys.append(f"{sc['dial']} went out as class {s['class']}, "
                            "not as a test call")
        if whys:
            return False, "; ".join(dict.fromkeys(whys))
        n = len(sent)
        what = expected_words(exp)
        if exp.get("removed_at_sbc"):
            return True, ("as the site file expects, the location left the "
                          "phone and was removed between the phone and the "
                          f"PSAP (at the SBC {SBC_IP}, fault {self.fault}): "
                          "the PSAP got the call without it")
        if exp.get("location") is False:
            what = "no location, as the site file expects"
            if sc.get("disclaimer"):
                what += " (the phone showed the disclaimer, acknowledged)"

        route = sent[0]["route"]
        extra = ""
        if route == "secondary":
            extra = (" on the secondary route (the primary failed: "
                     f"{sent[0]['failovers'][0]})" if sent[0]["failovers"]
                     else " on the secondary route")
        if sc.get("test_call"):
            extra += f"; {sc['dial']} was placed as a test call"
        who = f"all {n} calls" if n > 1 else "the call"
        src = sent[0]["location_source"]
        return True, (f"{who} reached the PSAP with {what}"
                      + (f" (from {src})" if src else "") + extra)


def _user_conf(eng):
    """The conf an Engine was started with, without the lines Engine
    writes itself."""
    text = open(os.path.join(eng.cfg, "locphone.conf")).read()
    return "".join(ln + "\n" for ln in text.splitlines()
                   if ln.startswith(("policy_file", "lis_url",
                                     "lis_ca_file")))


def _lldp_ports(ctl):
    """The set of (interface, chassis, port) the phone hears LLDP from."""
    lldp = ctl.request("netinfo")["result"].get("lldp") or {}
    return {(ifname, json.dumps(n.get("chassis_id"), sort_keys=True),
             json.dumps(n.get("port_id"), sort_keys=True))
            for ifname, n in lldp.items() if n}


def _loc_words(loc):
    src = loc.get("source")
    if src in (None, "none"):
        return "no location"
    civ = loc.get("civic") or {}
    text = ", ".join(civ.get(k) for k in ("HNO", "RD", "A6", "STS", "FLR",
                                          "ROOM", "A3", "A1", "country")
                     if civ.get(k))
    geo = loc.get("geo")
    if geo and not text:
        text = f"lat {geo.get('lat')}, lon {geo.get('lon')}"
    return f"{text} (source {src}, method {loc.get('method')})"
