#!/usr/bin/python3
"""locphone-psap-sim: a PSAP for the site harness.  A SIP UAS over UDP and
TCP that answers emergency calls and checks each INVITE it receives: the
multipart body (RFC 5621), Geolocation <cid:> against the part's
Content-ID and Geolocation-Routing (RFC 6442), Priority (RFC 3261
§20.26), the PIDF-LO against the published schemas (locphone-pidfcheck)
and its civic/geodetic fields against what is expected.  One JSON line
per INVITE goes to the record file.  Python 3 standard library only."""

import argparse
import json
import os
import random
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time

# RFC 3261 §17.1.1.1 timers (s): a final answer over UDP is sent again
# until the ACK comes, T1 doubling up to T2, for at most 64*T1.
T1, T2 = 0.5, 4.0
# Largest message accepted: far above any INVITE a phone sends.
MAX_MESSAGE = 256 * 1024
# Test calls (933 in the US) carry no
# Priority: emergency; calls to these numbers are held to that instead.
DEFAULT_TEST_NUMBERS = ("933",)
# Compact header forms (RFC 3261 §7.3.3, RFC 3515, RFC 4028).
COMPACT = {"i": "call-id", "f": "from", "t": "to", "v": "via",
           "l": "content-length", "c": "content-type", "m": "contact",
           "e": "content-encoding", "k": "supported", "s": "subject",
           "o": "event", "r": "refer-to", "u": "allow-events",
           "x": "session-expires", "b": "referred-by"}
REASONS = {100: "Trying", 180: "Ringing", 200: "OK", 400: "Bad Request",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           408: "Request Timeout", 480: "Temporarily Unavailable",
           481: "Call/Transaction Does Not Exist", 486: "Busy Here",
           487: "Request Terminated", 488: "Not Acceptable Here",
           500: "Server Internal Error", 503: "Service Unavailable",
           600: "Busy Everywhere", 603: "Decline"}
ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS"
CHECKS = ("multipart", "content-id", "geolocation", "geolocation-routing",
          "priority", "schema", "expected-location")


def text(b):
    """Wire bytes as text for the record: never assumed UTF-8."""
    return b.decode("utf-8", errors="replace")


class BadMessage(Exception):
    pass


class Message:
    """A SIP request or response: start line, headers in order (names in
    lower case, compact forms expanded), the body as bytes."""

    def __init__(self, data):
        head, sep, self.body = data.partition(b"\r\n\r\n")
        if not sep:
            raise BadMessage("no blank line after the headers")
        lines = head.split(b"\r\n")
        self.start = text(lines[0])
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (b" ", b"\t") and self.headers:
                # RFC 3261 §7.3.1 folding
                n, v = self.headers[-1]
                self.headers[-1] = (n, v + " " + text(line.strip()))
                continue
            name, colon, value = line.partition(b":")
            if not colon or not name.strip():
                raise BadMessage(f"malformed header line {text(line)!r}")
            n = text(name.strip()).lower()
            self.headers.append((COMPACT.get(n, n), text(value.strip())))
        parts = self.start.split(" ", 2)
        if len(parts) != 3:
            raise BadMessage(f"malformed start line {self.start!r}")
        self.is_request = not parts[0].startswith("SIP/")
        if self.is_request:
            self.method, self.uri = parts[0], parts[1]
        else:
            self.method, self.uri = None, None

    def all(self, name):
        return [v for n, v in self.headers if n == name]

    def get(self, name):
        values = self.all(name)
        return values[0] if values else None

    def header_dict(self):
        out = {}
        for n, v in self.headers:
            out.setdefault(n, []).append(v)
        return out

    def cseq(self):
        parts = (self.get("cseq") or "").split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise BadMessage(f"malformed CSeq {self.get('cseq')!r}")
        return int(parts[0]), parts[1].upper()

    def branch(self):
        m = re.search(r";\s*branch=([^;,\s]+)", self.get("via") or "")
        return m.group(1) if m else ""


def uri_of(value):
    """The URI of a From/To/Contact value (name-addr or addr-spec)."""
    if not value:
        return ""
    m = re.search(r"<([^>]*)>", value)
    return m.group(1) if m else value.split(";")[0].strip()


def user_of(uri):
    """The user part of a sip:/sips:/tel: URI."""
    m = re.match(r"(?:sips?:)([^@;>]*)@", uri)
    if m:
        return m.group(1)
    m = re.match(r"tel:([^;]*)", uri)
    return m.group(1) if m else ""


def params_of(value):
    out = {}
    for p in value.split(";")[1:]:
        k, _, v = p.strip().partition("=")
        out[k.strip().lower()] = v.strip().strip('"')
    return out


def split_multipart(ctype, body):
    """RFC 2046 parts of body as [(headers dict, content bytes)]; raises
    BadMessage saying what is wrong."""
    boundary = params_of(ctype).get("boundary")
    if not boundary:
        raise BadMessage(f"no boundary parameter in {ctype!r}")
    delim = b"--" + boundary.encode("utf-8", errors="replace")
    # the preamble may be empty or text before the first delimiter
    if body.startswith(delim):
        rest = b"\r\n" + body
    else:
        i = body.find(b"\r\n" + delim)
        if i < 0:
            raise BadMessage(f"the boundary {boundary!r} never appears in "
                             "the body")
        rest = body[i:]
    chunks = rest.split(b"\r\n" + delim)
    if not chunks[-1].startswith(b"--"):
        raise BadMessage("the body lacks the closing delimiter "
                         f"--{boundary}--")
    parts = []
    for chunk in chunks[1:-1]:
        _, _, chunk = chunk.partition(b"\r\n")
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            if head.strip() and not head.startswith(b"\r\n"):
                raise BadMessage("a body part has no blank line after its "
                                 "headers")
            content = b""
        hdrs = {}
        for line in head.split(b"\r\n"):
            if not line.strip():
                continue
            name, colon, value = line.partition(b":")
            if not colon:
                raise BadMessage(f"malformed part header {text(line)!r}")
            hdrs[text(name.strip()).lower()] = text(value.strip())
        parts.append((hdrs, content))
    if not parts:
        raise BadMessage("the multipart body has no parts")
    return parts


def now_rfc3339():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + \
        f".{int(t * 1000) % 1000:03d}Z"


def check(name, ok, why):
    return {"check": name, "ok": bool(ok), "why": why}


def values_equal(want, got):
    if isinstance(want, (int, float)) and not isinstance(want, bool) and \
            isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(want - got) <= 1e-6 * max(1.0, abs(want))
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(
            values_equal(a, b) for a, b in zip(want, got))
    return want == got


class Checker:
    """Reads an INVITE the way a PSAP must and says what is wrong."""

    def __init__(self, pidfcheck, xsd_dir, expect_file, test_numbers):
        self.pidfcheck = pidfcheck
        self.xsd_dir = xsd_dir
        self.expect_file = expect_file
        self.test_numbers = set(test_numbers)

    def expectation(self, caller):
        """The --expect entry for caller (or "*"), re-read each time;
        (entry or None, note)."""
        if not self.expect_file:
            return None, "no --expect file"
        try:
            with open(self.expect_file, encoding="utf-8") as f:
                table = json.load(f)
        except FileNotFoundError:
            return None, f"the expect file {self.expect_file} is absent"
        except (OSError, ValueError) as e:
            return {"error": f"the expect file {self.expect_file} is "
                    f"unreadable: {e}"}, ""
        if not isinstance(table, dict):
            return {"error": f"the expect file {self.expect_file} is not "
                    "a JSON object"}, ""
        entry = table.get(caller, table.get("*"))
        if entry is None:
            return None, f"nothing expected for caller {caller!r}"
        if not isinstance(entry, dict):
            return {"error": f"the expectation for {caller!r} is not an "
                    "object"}, ""
        return entry, ""

    def run_pidfcheck(self, doc):
        if not self.pidfcheck:
            return None, "locphone-pidfcheck was not found"
        cmd = [self.pidfcheck]
        if self.xsd_dir:
            cmd += ["--xsd-dir", self.xsd_dir]
        try:
            r = subprocess.run(cmd + ["-"], input=doc, capture_output=True,
                               timeout=60)
            if r.returncode not in (0, 1):
                return None, (f"{self.pidfcheck} failed (exit "
                              f"{r.returncode}): {text(r.stderr).strip()}")
            return json.loads(r.stdout), ""
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            return None, f"{self.pidfcheck} could not be run: {e}"

    def inspect(self, msg):
        """The record's fields for an INVITE."""
        caller = user_of(uri_of(msg.get("from")))
        called = user_of(msg.uri)
        ctype = msg.get("content-type") or ""
        rec = {"content_type": ctype or None, "parts": [],
               "location_received": False, "pidf": None,
               "pidf_check": None, "location": None}
        results = {}
        expect, expect_note = self.expectation(caller)
        none_expected = bool(expect) and expect.get("location") is False

        # the body: multipart/mixed holding the SDP and the PIDF-LO
        parts, pidf_part, body_error = [], None, ""
        if ctype.lower().startswith("multipart/"):
            try:
                parts = split_multipart(ctype, msg.body)
            except BadMessage as e:
                body_error = str(e)
        for hdrs, content in parts:
            rec["parts"].append({"content_type": hdrs.get("content-type"),
                                 "content_id": hdrs.get("content-id"),
                                 "length": len(content)})
            if (hdrs.get("content-type") or "").split(";")[0].strip() \
                    .lower() == "application/pidf+xml" and pidf_part is None:
                pidf_part = (hdrs, content)
        clen = msg.get("content-length")
        if body_error:
            results["multipart"] = (False, f"the multipart body is "
                                    f"malformed: {body_error}")
        elif clen is not None and (not clen.isdigit()
                                   or int(clen) != len(msg.body)):
            results["multipart"] = (False, f"Content-Length {clen} is not "
                                    f"the body's {len(msg.body)} bytes")
        elif not ctype:
            results["multipart"] = (False, "the INVITE has no body: no SDP "
                                    "and no PIDF-LO")
        elif not ctype.lower().startswith("multipart/mixed"):
            results["multipart"] = (False, f"the body is {ctype}, not "
                                    "multipart/mixed: no PIDF-LO travels "
                                    "with the call")
        elif pidf_part is None:
            results["multipart"] = (False, "the multipart body has no "
                                    "application/pidf+xml part")
        elif (parts[0][0].get("content-type") or "").split(";")[0] \
                .strip().lower() != "application/sdp":
            results["multipart"] = (False, "the first body part is "
                                    f"{parts[0][0].get('content-type')}, "
                                    "not the SDP")
        else:
            results["multipart"] = (True, f"multipart/mixed with "
                                    f"{len(parts)} parts: the SDP first, "
                                    "a PIDF-LO")

        # Geolocation (RFC 6442 §4.1): cid: names the part's Content-ID
        geo_uris = []
        for v in msg.all("geolocation"):
            geo_uris += re.findall(r"<([^>]*)>", v)
        cids = [u for u in geo_uris if u.lower().startswith("cid:")]
        refs = [u for u in geo_uris if not u.lower().startswith("cid:")]
        cid = pidf_part[0].get("content-id") if pidf_part else None
        if pidf_part is None:
            results["content-id"] = (False, "no PIDF-LO part, so no "
                                     "Content-ID to point at")
        elif not cid:
            results["content-id"] = (False, "the PIDF-LO part has no "
                                     "Content-ID")
        elif not (cid.startswith("<") and cid.endswith(">")
                  and "@" in cid):
            results["content-id"] = (False, f"the Content-ID {cid} is not "
                                     "<id@host> (RFC 2392)")
        else:
            results["content-id"] = (True, f"the PIDF-LO part has "
                                     f"Content-ID {cid}")
        if not geo_uris:
            results["geolocation"] = (False, "no Geolocation header")
        elif cid and ("cid:" + cid[1:-1]) in cids:
            results["geolocation"] = (True, f"Geolocation <cid:"
                                      f"{cid[1:-1]}> names the PIDF-LO "
                                      "part")
        elif cids:
            results["geolocation"] = (False, f"Geolocation <{cids[0]}> "
                                      "names no body part ("
                                      + (f"the PIDF-LO's is {cid}" if cid
                                         else "the INVITE has no PIDF-LO")
                                      + ")")
        else:
            results["geolocation"] = (False, "Geolocation carries only a "
                                      f"reference ({refs[0]}), no "
                                      "location by value")
        routing = msg.all("geolocation-routing")
        if len(routing) == 1 and routing[0].strip().lower() == "yes":
            results["geolocation-routing"] = (True, "Geolocation-Routing: "
                                              "yes")
        elif not routing:
            results["geolocation-routing"] = (False, "no "
                                              "Geolocation-Routing header")
        else:
            results["geolocation-routing"] = (False, "Geolocation-Routing: "
                                              f"{', '.join(routing)} "
                                              "(want yes)")

        prio = [p.strip().lower() for p in msg.all("priority")]
        if called in self.test_numbers:
            results["priority"] = ("emergency" not in prio,
                                   f"a test call to {called}: "
                                   + ("marked Priority: emergency, which "
                                      "test calls must not be"
                                      if "emergency" in prio else
                                      "no Priority: emergency, as a test "
                                      "call should be"))
        elif prio == ["emergency"]:
            results["priority"] = (True, "Priority: emergency")
        elif not prio:
            results["priority"] = (False, "no Priority header (want "
                                   "Priority: emergency)")
        else:
            results["priority"] = (False, f"Priority: {', '.join(prio)} "
                                   "(want emergency)")

        # the PIDF-LO itself
        if pidf_part is not None:
            rec["location_received"] = True
            rec["pidf"] = text(pidf_part[1])
            verdict, why = self.run_pidfcheck(pidf_part[1])
            rec["pidf_check"] = verdict
            if verdict is None:
                results["schema"] = (False, why)
            elif verdict.get("valid"):
                results["schema"] = (True, "the PIDF-LO is valid"
                                     + (" against the published schemas"
                                        if verdict.get("schema") ==
                                        "checked" else
                                        f" (schema {verdict.get('schema')})"))
            else:
                results["schema"] = (False, "the PIDF-LO is not valid: "
                                     + "; ".join(verdict.get("errors")
                                                 or ["?"]))
            if verdict:
                rec["location"] = verdict.get("location")
        else:
            results["schema"] = (False, "no PIDF-LO to check")

        results["expected-location"] = self.compare(
            expect, expect_note, rec, caller)
        if none_expected:
            # a caller expected to send nothing: the location checks
            # hold when nothing came
            for name in ("multipart", "content-id", "geolocation",
                         "geolocation-routing", "schema"):
                if not rec["location_received"] and not geo_uris:
                    results[name] = (True, f"no location expected from "
                                     f"{caller!r}, none sent")
        rec["checks"] = [check(n, *results[n]) for n in CHECKS]
        rec["ok"] = all(c["ok"] for c in rec["checks"])
        rec["caller"] = caller
        return rec

    def compare(self, expect, note, rec, caller):
        if expect is None:
            return True, f"nothing to compare: {note}"
        if "error" in expect:
            return False, expect["error"]
        if expect.get("location") is False:
            if rec["location_received"]:
                return False, (f"no location expected from {caller!r}, "
                               "but a PIDF-LO came")
            return True, f"no location expected from {caller!r}, none came"
        if not rec["location_received"]:
            return False, "a location was expected but none came"
        loc = rec["location"]
        if not loc:
            pc = rec["pidf_check"] or {}
            return False, ("the PIDF-LO could not be read: "
                           + (pc.get("parse_error") or "no verdict"))
        wrong = []
        for kind in ("civic", "geo"):
            want = expect.get(kind)
            if want is None:
                continue
            got = loc.get(kind) or {}
            if not isinstance(want, dict):
                wrong.append(f"{kind}: the expectation is not an object")
                continue
            for key, value in want.items():
                if not values_equal(value, got.get(key)):
                    wrong.append(f"{kind} {key} is {got.get(key)!r}, "
                                 f"want {value!r}")
        if wrong:
            return False, "the location differs: " + "; ".join(wrong)
        n = sum(len(expect.get(k) or {}) for k in ("civic", "geo"))
        return True, f"the {n} expected location fields are equal"


class Psap:
    def __init__(self, args, checker):
        self.args = args
        self.checker = checker
        self.sel = selectors.DefaultSelector()
        self.record = open(args.record, "a", encoding="utf-8")
        host, port = args.listen
        self.host, self.port = host, port
        self.family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.udp = self.tcp = None
        self.conns = {}
        # (call_id, cseq, branch) -> [response bytes, addr or conn,
        #   transport, next resend, interval, deadline, acked]
        self.transactions = {}
        self.tag = f"{random.getrandbits(48):012x}"
        self.rtp = socket.socket(self.family, socket.SOCK_DGRAM)
        self.rtp.bind((host, 0))
        self.rtp.setblocking(False)
        self.sel.register(self.rtp, selectors.EVENT_READ, ("rtp", None))
        if args.transport in ("udp", "both"):
            self.udp = socket.socket(self.family, socket.SOCK_DGRAM)
            self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.udp.bind((host, port))
            self.udp.setblocking(False)
            self.sel.register(self.udp, selectors.EVENT_READ, ("udp", None))
        if args.transport in ("tcp", "both"):
            self.tcp = socket.socket(self.family, socket.SOCK_STREAM)
            self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.tcp.bind((host, port))
            self.tcp.listen(64)
            self.tcp.setblocking(False)
            self.sel.register(self.tcp, selectors.EVENT_READ,
                              ("listen", None))

    def log(self, line):
        print(f"locphone-psap-sim: {line}", file=sys.stderr, flush=True)

    # --- transport ---------------------------------------------------

    def serve(self, stop):
        while not stop["now"]:
            timeout = self.resend_due()
            for key, _ in self.sel.select(timeout):
                kind, conn = key.data
                if kind == "rtp":
                    try:
                        self.rtp.recv(65536)
                    except OSError:
                        pass
                elif kind == "udp":
                    try:
                        data, addr = self.udp.recvfrom(65536)
                    except OSError:
                        continue
                    self.datagram(data, addr)
                elif kind == "listen":
                    try:
                        c, addr = self.tcp.accept()
                    except OSError:
                        continue
                    c.setblocking(False)
                    self.conns[c] = {"buf": b"", "addr": addr}
                    self.sel.register(c, selectors.EVENT_READ, ("tcp", c))
                else:
                    self.stream(conn)

    def datagram(self, data, addr):
        if not data.strip():
            return  # keep-alive
        try:
            msg = Message(data)
        except BadMessage as e:
            self.log(f"from {addr[0]}:{addr[1]} (udp): {e}")
            return
        self.handle(msg, ("udp", addr))

    def stream(self, conn):
        st = self.conns[conn]
        try:
            data = conn.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.close(conn)
            return
        st["buf"] += data
        while True:
            buf = st["buf"].lstrip(b"\r\n")  # RFC 5626 keep-alives
            st["buf"] = buf
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > MAX_MESSAGE:
                    self.log("a TCP peer sent headers without end")
                    self.close(conn)
                return
            m = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)",
                          buf[:end + 2])
            length = int(m.group(1)) if m else 0
            if length > MAX_MESSAGE:
                self.log(f"a TCP peer sent a {length}-byte body: refused")
                self.close(conn)
                return
            total = end + 4 + length
            if len(buf) < total:
                return
            data, st["buf"] = buf[:total], buf[total:]
            try:
                msg = Message(data)
            except BadMessage as e:
                self.log(f"from {st['addr'][0]}:{st['addr'][1]} (tcp): {e}")
                continue
            self.handle(msg, ("tcp", conn))

    def close(self, conn):
        try:
            self.sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()
        self.conns.pop(conn, None)

    def send(self, where, data):
        kind, peer = where
        try:
            if kind == "udp":
                self.udp.sendto(data, peer)
            else:
                peer.sendall(data)
        except OSError as e:
            self.log(f"sending failed: {e}")

    def source(self, where):
        kind, peer = where
        addr = peer if kind == "udp" else self.conns.get(
            peer, {"addr": ("?", 0)})["addr"]
        host = addr[0]
        return f"[{host}]:{addr[1]}" if ":" in host else f"{host}:{addr[1]}"

    # --- transactions ------------------------------------------------

    def resend_due(self):
        """Send final answers again over UDP until their ACK (RFC 3261
        §17.2.1); the seconds until the next is due."""
        now = time.monotonic()
        nxt = 1.0
        for key, t in list(self.transactions.items()):
            if now > t["deadline"]:
                del self.transactions[key]
                continue
            if t["acked"] or t["where"][0] != "udp" or not t["final"]:
                continue
            if now >= t["resend"]:
                self.send(t["where"], t["response"])
                t["interval"] = min(t["interval"] * 2, T2)
                t["resend"] = now + t["interval"]
            nxt = min(nxt, max(0.0, t["resend"] - now))
        return nxt

    def handle(self, msg, where):
        if not msg.is_request:
            return  # we send no requests
        try:
            seq, method = msg.cseq()
        except BadMessage as e:
            self.respond(msg, where, 400, reason=str(e)[:80])
            return
        call_id = msg.get("call-id") or ""
        if not call_id or not msg.get("via") or not msg.get("from") \
                or not msg.get("to"):
            self.respond(msg, where, 400, reason="Missing Mandatory Header")
            return
        if msg.method == "ACK":
            for key, t in self.transactions.items():
                if key[0] == call_id and key[1] == seq and key[2] == "INVITE":
                    t["acked"] = True
            return
        key = (call_id, seq, msg.method, msg.branch())
        t = self.transactions.get(key)
        if t:
            # a retransmission: the last answer again
            self.send(where, t["response"])
            return
        if msg.method == "INVITE":
            self.invite(msg, where, key)
        elif msg.method == "CANCEL":
            self.respond(msg, where, 200)
        elif msg.method == "BYE":
            self.respond(msg, where, 200)
        elif msg.method == "OPTIONS":
            self.respond(msg, where, 200, extra=f"Allow: {ALLOW}\r\n"
                         "Accept: application/sdp, multipart/mixed, "
                         "application/pidf+xml\r\n")
        else:
            self.respond(msg, where, 405, extra=f"Allow: {ALLOW}\r\n")

    def invite(self, msg, where, key):
        initial = "tag=" not in (msg.get("to") or "")
        self.respond(msg, where, 100, transaction=key)
        if initial:
            self.record_invite(msg, where)
        code = self.args.answer if initial else 200
        body = b""
        extra = ""
        if code // 100 == 2:
            body = self.sdp_answer(msg)
            extra = "Content-Type: application/sdp\r\n"
        self.respond(msg, where, code, body=body, extra=extra,
                     transaction=key)

    def sdp_answer(self, msg):
        """An audio answer to the offer (G.711 when offered), media
        drained, never sent."""
        offer = msg.body
        ctype = (msg.get("content-type") or "").lower()
        if ctype.startswith("multipart/"):
            try:
                for hdrs, content in split_multipart(
                        msg.get("content-type"), msg.body):
                    if (hdrs.get("content-type") or "").lower() \
                            .startswith("application/sdp"):
                        offer = content
                        break
            except BadMessage:
                pass
        offered = []
        m = re.search(rb"(?m)^m=audio \d+ [A-Z/]+ ([0-9 ]+)", offer)
        if m:
            offered = [int(x) for x in m.group(1).split()]
        pt = next((p for p in (0, 8) if p in offered),
                  offered[0] if offered else 0)
        rtpmap = {0: "PCMU/8000", 8: "PCMA/8000"}.get(pt)
        ip = self.rtp.getsockname()[0]
        ipv = "IP6" if ":" in ip else "IP4"
        lines = ["v=0", f"o=psap 1 1 IN {ipv} {ip}", "s=locphone-psap-sim",
                 f"c=IN {ipv} {ip}", "t=0 0",
                 f"m=audio {self.rtp.getsockname()[1]} RTP/AVP {pt}"]
        if rtpmap:
            lines.append(f"a=rtpmap:{pt} {rtpmap}")
        else:
            lm = re.search(rb"(?m)^a=rtpmap:%d ([^\r\n]+)" % pt, offer)
            if lm:
                lines.append(f"a=rtpmap:{pt} {text(lm.group(1))}")
        lines.append("a=sendrecv")
        return ("\r\n".join(lines) + "\r\n").encode()

    def respond(self, msg, where, code, reason=None, body=b"", extra="",
                transaction=None):
        reason = reason or REASONS.get(code, "Answer")
        out = [f"SIP/2.0 {code} {reason}"]
        for n, v in msg.headers:
            if n == "via":
                out.append(f"Via: {v}")
        to = msg.get("to") or ""
        if code > 100 and "tag=" not in to:
            to += f";tag={self.tag}"
        out += [f"From: {msg.get('from')}", f"To: {to}",
                f"Call-ID: {msg.get('call-id')}", f"CSeq: {msg.get('cseq')}"]
        if msg.method == "INVITE" and 100 < code < 300:
            out += [f"Record-Route: {v}" for v in msg.all("record-route")]
            kind = where[0]
            host = f"[{self.host}]" if ":" in self.host else self.host
            out.append(f"Contact: <sip:psap@{host}:{self.port}"
                       + (";transport=tcp" if kind == "tcp" else "") + ">")
            out.append(f"Allow: {ALLOW}")
        out.append("Server: locphone-psap-sim")
        data = ("\r\n".join(out) + "\r\n" + extra
                + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        self.send(where, data)
        if transaction:
            now = time.monotonic()
            self.transactions[transaction] = {
                "response": data, "where": where, "final": code >= 200,
                "resend": now + T1, "interval": T1,
                "deadline": now + 64 * T1, "acked": False}

    # --- the record --------------------------------------------------

    def record_invite(self, msg, where):
        rec = {"time": now_rfc3339(), "transport": where[0],
               "source": self.source(where),
               "call_id": msg.get("call-id"), "request_uri": msg.uri,
               "from": msg.get("from"), "to": msg.get("to"),
               "headers": msg.header_dict()}
        try:
            rec.update(self.checker.inspect(msg))
        except Exception as e:  # a bug here must not lose the call
            rec.update({"caller": user_of(uri_of(msg.get("from"))),
                        "location_received": False, "checks": [],
                        "ok": False, "error": f"the checks failed: {e!r}"})
        self.record.write(json.dumps(rec, sort_keys=False) + "\n")
        self.record.flush()
        failed = [c["check"] for c in rec["checks"] if not c["ok"]]
        self.log(f"INVITE {msg.uri} from {rec['caller']!r} "
                 f"({where[0]} {rec['source']}): "
                 + ("every check ok" if not failed else
                    "failed: " + ", ".join(failed)))


def listen_addr(value):
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d+)|([^:\[\]]+):(\d+)", value)
    if not m:
        raise argparse.ArgumentTypeError(f"{value!r} is not ADDR:PORT")
    host = m.group(1) or m.group(3)
    port = int(m.group(2) or m.group(4))
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port {port} out of range")
    return host, port


def answer_code(value):
    if not value.isdigit() or not 200 <= int(value) <= 699:
        raise argparse.ArgumentTypeError(f"{value!r} is not a final SIP "
                                         "status code (200-699)")
    return int(value)


def find_pidfcheck(given):
    if given:
        return given
    here = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])),
                        "locphone-pidfcheck")
    if os.access(here, os.X_OK):
        return here
    return shutil.which("locphone-pidfcheck")


def main():
    ap = argparse.ArgumentParser(
        prog="locphone-psap-sim",
        description="A PSAP simulator: answers emergency calls over SIP "
        "and records, per INVITE, what it got and what is wrong with it.")
    ap.add_argument("--listen", required=True, type=listen_addr,
                    metavar="ADDR:PORT")
    ap.add_argument("--transport", choices=("udp", "tcp", "both"),
                    default="both")
    ap.add_argument("--record", required=True, metavar="FILE",
                    help="appends one JSON line per INVITE")
    ap.add_argument("--expect", metavar="FILE",
                    help="JSON: caller (or \"*\") -> expected location, "
                    "re-read at each INVITE")
    ap.add_argument("--answer", type=answer_code, default=200,
                    metavar="CODE", help="final answer (default 200)")
    ap.add_argument("--ready-file", metavar="FILE",
                    help="written with our pid once listening")
    ap.add_argument("--pidfcheck", metavar="PATH",
                    help="locphone-pidfcheck (default: beside this "
                    "program, else on PATH)")
    ap.add_argument("--xsd-dir", metavar="DIR",
                    help="the published schemas (locphone-pidfcheck's)")
    ap.add_argument("--test-number", action="append", metavar="NUMBER",
                    help="a test number (default 933): its calls must not "
                    "carry Priority: emergency")
    args = ap.parse_args()

    checker = Checker(find_pidfcheck(args.pidfcheck), args.xsd_dir,
                      args.expect, args.test_number or DEFAULT_TEST_NUMBERS)
    if not checker.pidfcheck:
        print("locphone-psap-sim: locphone-pidfcheck not found: PIDF-LOs "
              "will fail the schema check (--pidfcheck PATH)",
              file=sys.stderr)
    try:
        psap = Psap(args, checker)
    except OSError as e:
        print(f"locphone-psap-sim: cannot listen on {args.listen[0]}:"
              f"{args.listen[1]} or open {args.record}: {e}",
              file=sys.stderr)
        return 2

    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(tmp, args.ready_file)
    psap.log(f"listening on {args.listen[0]}:{args.listen[1]} "
             f"({args.transport})")
    psap.serve(stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
