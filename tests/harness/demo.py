#!/usr/bin/python3
"""The built-in demo: a small office in network namespaces of our own.

  switch namespace: lldpd (the access switch, LLDP-MED civic location),
                    the LIS simulator on HTTPS (a throwaway test CA) with a
                    wiremap of the switch port, and sipp as registrar and
                    emergency call centre.
  phone namespace:  the engine (baresip with locphone's modules).

The demo prints what the phone discovers, where it says it is and why,
then dials 911 and shows the INVITE the call centre received."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))
from lphelp import (LOCPHONECTL, Engine, Failure, LisSim, Sipp,  # noqa: E402
                    Topology, Workdir, make_test_ca, need_root, sh, wait_for)
from test_lldp_switch import Switch  # noqa: E402

SWITCH_IP = "10.77.0.1"


def say(text=""):
    print(text, flush=True)


def cli(eng, *args):
    out = subprocess.run([LOCPHONECTL, "--socket", eng.socket, *args],
                         capture_output=True, text=True)
    say(f"$ locphonectl {' '.join(args)}")
    say((out.stdout or out.stderr).rstrip())
    say()
    return out


def office(wd, topo):
    phone = topo.ns("phone")
    switch = topo.ns("switch")
    topo.veth(phone, "eth0", switch, "sw0")
    sh("ip", "addr", "add", f"{SWITCH_IP}/24", "dev", "sw0", ns=switch)
    sh("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0", ns=phone)
    sh("ip", "route", "add", "default", "via", SWITCH_IP, ns=phone)
    sw_mac = json.loads(sh("ip", "-j", "link", "show", "sw0",
                           ns=switch))[0]["address"]

    wiremap = os.path.join(wd, "office.csv")
    with open(wiremap, "w") as f:
        f.write("kind,key,country,A1,A3,RD,STS,HNO,FLR,ROOM,PC\n"
                f"chassis+port,4:{sw_mac}/3:{sw_mac},US,WA,Redmond,"
                "Microsoft,Way,1,3,3105,98052\n")
    return phone, switch, wiremap


def main():
    need_root()
    topo = Topology()
    try:
        with Workdir() as wd:
            phone, switch, wiremap = office(wd, topo)
            ca, cert = make_test_ca(wd, ip=SWITCH_IP)
            lldpd = Switch(wd, switch, "sw0")
            lldpd.configure("address", "country", "US",
                            "country-subdivision", "WA", "city", "Redmond",
                            "number", "1", "additional", "Building 3")
            lis = LisSim(wd, wiremap, cert=cert, netns=switch,
                         addr=SWITCH_IP)
            psap = Sipp(wd, "pbx.xml", "psap", netns=switch,
                        addr=SWITCH_IP)
            say(f"switch: lldpd on sw0, LIS at {lis.tls_url}, call centre "
                f"(sipp) at {SWITCH_IP}:{psap.port}")
            eng = Engine(wd, f"<sip:alice@{SWITCH_IP}:{psap.port}>"
                             ";regint=600\n", netns=phone,
                         conf=f"lis_url {lis.tls_url}\n"
                              f"lis_ca_file {ca}\n")
            say(f"phone: engine pid {eng.proc.pid}, control socket "
                f"{eng.socket}\n")
            try:
                ctl = eng.ctl()
                wait_for(lambda: ctl.request("location")["result"]
                         ["source"] == "lis", 20, "the LIS's answer")
                wait_for(lambda: ctl.request("status")["result"]
                         ["accounts"][0]["registration"] == "registered",
                         20, "registration")
                cli(eng, "status")
                cli(eng, "netinfo")
                cli(eng, "location")

                cli(eng, "dial", "911")
                ev = ctl.wait_event("call.established")
                say(f"event: call.established with {ev['call']['peer']}")
                cli(eng, "hangup")
                ctl.wait_event("call.closed")
            finally:
                psap.stop()
                eng.stop()
                lis.stop()
                lldpd.stop()

            invite = psap.requests("INVITE")[0]
            head, _, body = invite.partition("\r\n\r\n")
            say("The INVITE the call centre received:")
            for line in head.split("\r\n"):
                say("  " + line)
            if "pidf+xml" in body:
                say("\n  with the location by value:")
                for line in body.splitlines():
                    say("  | " + line)
    finally:
        topo.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"demo failed: {e}", file=sys.stderr)
        sys.exit(1)
