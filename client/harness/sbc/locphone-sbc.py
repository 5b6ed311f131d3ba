#!/usr/bin/python3
"""locphone-sbc: a session border controller for the site harness, with
the faults real SBCs have.  Writes a Kamailio configuration (a stateful,
record-routing proxy sending every request to --forward) and runs
Debian's kamailio in the foreground, applying the fault to each INVITE:
pass, strip-pidf (the PIDF-LO body part removed, the Geolocation header
left pointing at nothing), strip-geolocation (the Geolocation and
Geolocation-Routing headers removed) or sdp-only (the body rewritten to
the SDP alone).  --record gets one JSON line per INVITE: what arrived and
what the SBC removed, as measured on the message it sent on."""

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

FAULTS = ("pass", "strip-pidf", "strip-geolocation", "sdp-only")
KAMAILIO = "/usr/sbin/kamailio"
MODULE_DIRS = ("/usr/lib/x86_64-linux-gnu/kamailio/modules",
               "/usr/lib/aarch64-linux-gnu/kamailio/modules",
               "/usr/lib/kamailio/modules")
MARK = "LOCPHONE-SBC|"
# seconds kamailio has to stop before it is killed (callers give us 15)
STOP_GRACE = 5

# What each fault does to an INVITE (Kamailio textops/textopsx): the
# message is then rebuilt (msg_apply_changes) so that what is logged as
# "after" is what goes out.
FAULT_ROUTES = {
    "pass": "",
    "strip-pidf": """
	if (has_body("multipart/mixed") && $rb =~ "application/pidf.xml") {
		remove_body_part("application/pidf+xml");
	}""",
    "strip-geolocation": """
	remove_hf("Geolocation");
	remove_hf("Geolocation-Routing");""",
    "sdp-only": """
	if (has_body("multipart/mixed")) {
		if (filter_body("application/sdp")) {
			remove_hf("Content-Type");
			append_hf("Content-Type: application/sdp\\r\\n");
		}
	}""",
}

CONFIG = """#!KAMAILIO
# Written by locphone-sbc: fault {fault}, forwarding to {fwd}.
debug=2
log_stderror=yes
log_prefix=""
children=2
tcp_children=2
auto_aliases=no
disable_tcp=no
dns=no
rev_dns=no
listen=udp:{listen}
listen=tcp:{listen}
alias="{alias}"
mpath="{mpath}"

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "textopsx.so"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "siputils.so"

modparam("rr", "enable_double_rr", 1)

request_route {{
	if (!mf_process_maxfwd_header("10")) {{
		sl_send_reply("483", "Too Many Hops");
		exit;
	}}
	# our own keep-alive: OPTIONS to the SBC itself
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {{
		sl_send_reply("200", "OK");
		exit;
	}}
	if (is_method("CANCEL")) {{
		if (t_check_trans()) {{
			t_relay();
		}}
		exit;
	}}
	if (has_totag()) {{
		if (loose_route()) {{
			route(RELAY);
		}}
		if (is_method("ACK")) {{
			if (t_check_trans()) {{
				t_relay();
			}}
			exit;
		}}
		sl_send_reply("404", "Not Here");
		exit;
	}}
	if (t_check_trans()) {{
		exit;
	}}
	remove_hf("Route");
	# the fault first: a message cannot be rebuilt after record_route()
	if (is_method("INVITE")) {{
		route(FAULT);
		record_route();
	}}
	$du = "sip:{fwd};transport=" + $pr;
	route(RELAY);
}}

route[RELAY] {{
	if (!t_relay()) {{
		sl_reply_error();
	}}
	exit;
}}

route[FAULT] {{
	$var(loc) = 0;
	$var(geo) = 0;
	if ($rb =~ "application/pidf.xml") {{
		$var(loc) = 1;
	}}
	if (is_present_hf("Geolocation")) {{
		$var(geo) = 1;
	}}
	$var(ct) = $hdr(Content-Type);
{fault_route}
	msg_apply_changes();
	$var(aloc) = 0;
	$var(ageo) = 0;
	$var(agr) = 0;
	if ($rb =~ "application/pidf.xml") {{
		$var(aloc) = 1;
	}}
	if (is_present_hf("Geolocation")) {{
		$var(ageo) = 1;
	}}
	if (is_present_hf("Geolocation-Routing")) {{
		$var(agr) = 1;
	}}
	$var(mp) = 0;
	if (has_body("multipart/mixed")) {{
		$var(mp) = 1;
	}}
	xlog("L_NOTICE", "{mark}$ci|$var(loc)|$var(geo)|$var(aloc)|$var(ageo)|$var(agr)|$var(mp)|$var(ct)\\n");
}}
"""


def addr_port(value):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{1,3}){3}):(\d+)", value)
    if not m or not 0 < int(m.group(2)) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not IPV4:PORT")
    socket.inet_aton(m.group(1))
    return m.group(1), int(m.group(2))


def now_rfc3339():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + \
        f".{int(t * 1000) % 1000:03d}Z"


def module_dir():
    for d in MODULE_DIRS:
        if os.path.exists(os.path.join(d, "textops.so")):
            return d
    return None


def log(line):
    print(f"locphone-sbc: {line}", file=sys.stderr, flush=True)


def record_line(fields, fault, was_sdp_only):
    """The record of one INVITE from the config's log line."""
    call_id, loc, geo, aloc, ageo, agr, mp, ctype = fields
    removed = []
    if loc == "1" and aloc == "0":
        removed.append("pidf")
    if geo == "1" and ageo == "0":
        removed.append("geolocation")
    if fault == "strip-geolocation" and agr == "0" and geo == "1":
        removed.append("geolocation-routing")
    if ctype.lower().startswith("multipart/") and mp == "0":
        removed.append("multipart")
    return {"time": now_rfc3339(), "call_id": call_id,
            "arrived": {"content_type": ctype if ctype != "<null>" else None,
                        "location": loc == "1", "geolocation": geo == "1"},
            "fault": fault, "removed": removed}


def pump(proc, args, records):
    """kamailio's log: our marked lines become records, the rest goes to
    our stderr."""
    for raw in proc.stderr:
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        i = line.find(MARK)
        if i < 0:
            print(line, file=sys.stderr, flush=True)
            continue
        fields = line[i + len(MARK):].split("|", 7)
        if len(fields) != 8:
            log(f"unreadable log line {line!r}")
            continue
        rec = record_line(fields, args.fault, False)
        log(f"INVITE {rec['call_id']}: fault {args.fault}, removed "
            + (", ".join(rec["removed"]) or "nothing"))
        if records:
            records.write(json.dumps(rec) + "\n")
            records.flush()


def options_answered(host, port):
    """True when kamailio answers an OPTIONS to itself over UDP."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1" if host.startswith("127.") else host, 0))
        lport = s.getsockname()[1]
        branch = f"z9hG4bKsbcready{os.getpid()}{time.monotonic_ns()}"
        msg = (f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP {s.getsockname()[0]}:{lport};"
               f"branch={branch}\r\n"
               "Max-Forwards: 70\r\n"
               f"From: <sip:ready@{host}>;tag=ready\r\n"
               f"To: <sip:{host}:{port}>\r\n"
               f"Call-ID: {branch}@locphone-sbc\r\n"
               "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        s.settimeout(0.3)
        try:
            s.sendto(msg.encode(), (host, port))
            data = s.recv(65536)
        except OSError:
            return False
        return data.startswith(b"SIP/2.0 200")


def die_with_parent():
    """kamailio gets SIGTERM when we die, however we die."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def group_pids(pgid):
    """The processes still in kamailio's process group (its children)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # pgrp is the 3rd field after the parenthesised command name
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            pids.append(int(entry))
    return pids


def stop_kamailio(proc):
    """SIGTERM to kamailio's whole process group, STOP_GRACE seconds for
    all of it to go, then SIGKILL to what is left (said in the log, with
    the processes): bounded, so whoever stops us is not left waiting on a
    kamailio child that hangs in its shutdown."""
    pgid = proc.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + STOP_GRACE
    while time.monotonic() < deadline:
        if proc.poll() is not None and not group_pids(pgid):
            return
        time.sleep(0.05)  # polls the exit of kamailio's processes
    left = group_pids(pgid)
    log(f"kamailio did not stop within {STOP_GRACE} s of SIGTERM; "
        f"SIGKILL to {left or [proc.pid]}")
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def main():
    ap = argparse.ArgumentParser(
        prog="locphone-sbc",
        description="A session border controller (Debian's kamailio) "
        "between the phones and the PSAP, with the faults real SBCs "
        "have.")
    ap.add_argument("--listen", required=True, type=addr_port,
                    metavar="ADDR:PORT", help="UDP and TCP")
    ap.add_argument("--forward", required=True, type=addr_port,
                    metavar="ADDR:PORT", help="where every request goes")
    ap.add_argument("--fault", required=True, choices=FAULTS)
    ap.add_argument("--record", metavar="FILE",
                    help="appends one JSON line per INVITE")
    ap.add_argument("--ready-file", metavar="FILE",
                    help="written with our pid once kamailio answers")
    ap.add_argument("--workdir", metavar="DIR",
                    help="for the configuration (default: a temporary "
                    "directory, removed at exit)")
    args = ap.parse_args()

    kamailio = shutil.which("kamailio") or KAMAILIO
    mpath = module_dir()
    if not os.access(kamailio, os.X_OK) or not mpath:
        log("kamailio and its modules are not installed "
            "(apt-get install kamailio)")
        return 2
    own_dir = not args.workdir
    workdir = args.workdir or tempfile.mkdtemp(prefix="locphone-sbc-")
    os.makedirs(workdir, exist_ok=True)
    listen = f"{args.listen[0]}:{args.listen[1]}"
    fwd = f"{args.forward[0]}:{args.forward[1]}"
    cfg = os.path.join(workdir, "kamailio.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(fault=args.fault, fwd=fwd, listen=listen,
                              alias=listen, mpath=mpath, mark=MARK,
                              fault_route=FAULT_ROUTES[args.fault]))
    check = subprocess.run([kamailio, "-c", "-f", cfg], capture_output=True,
                           text=True, errors="replace", timeout=60)
    if check.returncode:
        log(f"kamailio refuses {cfg}:\n{check.stderr.strip()}")
        return 2
    records = open(args.record, "a", encoding="utf-8") if args.record \
        else None

    proc = subprocess.Popen(
        [kamailio, "-f", cfg, "-DD", "-E", "-Y", workdir,
         "-P", os.path.join(workdir, "kamailio.pid"), "-m", "32", "-M", "8"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, preexec_fn=die_with_parent,
        start_new_session=True)
    reader = threading.Thread(target=pump, args=(proc, args, records),
                              daemon=True)
    reader.start()

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    status = 0
    ready = False
    deadline = time.monotonic() + 30
    while not stop.is_set():
        if proc.poll() is not None:
            log(f"kamailio exited with {proc.returncode}")
            status = 1
            break
        if not ready:
            if options_answered(*args.listen):
                ready = True
                if args.ready_file:
                    tmp = args.ready_file + ".tmp"
                    with open(tmp, "w") as f:
                        f.write(f"{os.getpid()}\n")
                    os.replace(tmp, args.ready_file)
                log(f"{listen} -> {fwd}, fault {args.fault}")
            elif time.monotonic() > deadline:
                log(f"kamailio does not answer on {listen}")
                status = 1
                break
            continue
        stop.wait(0.5)

    stop_kamailio(proc)
    reader.join(2)
    if records:
        records.close()
    if own_dir:
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
