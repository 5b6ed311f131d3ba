#!/usr/bin/python3
"""The PSAP simulator (client/harness/psap) against the real engine: 911
over UDP and over TCP, every check ok and the civic fields equal to the
record the engine was given, what it received equal to what the engine
says it sent; an expectation the call does not meet fails with the field
named; an INVITE without a PIDF-LO (a raw socket) fails the location
checks with their reasons, its retransmission is answered and not
recorded twice; a caller expected to send nothing passes."""

import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lphelp import (BUILD, Engine, Workdir, check, run,  # noqa: E402
                    scaled)
from psapcheck import lis_record  # noqa: E402
from psapsim import PsapSim, checks_of  # noqa: E402

FIXTURE = os.path.join(BUILD, "tests", "integration", "location_fixture.so")

RECORD = lis_record(uris=[], elin=None)
EXPECT = {"alice": {"civic": RECORD["civic"],
                    "geo": {"lat": 47.640068, "lon": -122.129858,
                            "radius": 30}}}


def engine(wd, psap, transport):
    tp = ";transport=tcp" if transport == "tcp" else ""
    return Engine(wd, f"<sip:alice@127.0.0.1:{psap.port}{tp}>;regint=0\n",
                  conf=f"extra_module {FIXTURE}\n")


def call_911(eng):
    """911 answered, hung up; the emergency.started event."""
    ctl = eng.ctl()
    r = ctl.request("test.location", RECORD)
    check(r["ok"], f"test.location: {r}")
    check(ctl.request("dial", {"number": "911"})["ok"], "dial 911")
    ctl.wait_event("call.established")
    started = ctl.wait_event("emergency.started")
    check(ctl.request("hangup")["ok"], "hangup")
    ctl.wait_event("call.closed")
    ended = ctl.wait_event("emergency.ended")
    check(ended["outcome"] == "ended", f"emergency.ended {ended}")
    ctl.close()
    return started


def check_received(rec, started, transport):
    bad = [c for c in rec["checks"] if not c["ok"]]
    check(rec["ok"] and not bad, f"every check ok: {bad}")
    check([c["check"] for c in rec["checks"]] ==
          ["multipart", "content-id", "geolocation", "geolocation-routing",
           "priority", "schema", "expected-location"],
          f"checks {rec['checks']}")
    check(rec["transport"] == transport, f"transport {rec['transport']}")
    check(rec["source"].startswith("127.0.0.1:"), f"source {rec['source']}")
    check(rec["call_id"] == started["call"], "the Call-ID sent")
    check(rec["request_uri"] == started["request_uri"],
          f"Request-URI {rec['request_uri']} {started['request_uri']}")
    check(rec["caller"] == "alice", f"caller {rec['caller']}")
    check(rec["location_received"] and rec["pidf"] == started["pidf"],
          "the PIDF-LO received is the one sent")
    check(rec["pidf_check"]["valid"] and
          rec["pidf_check"]["schema"] == "checked",
          f"schema-valid: {rec['pidf_check']}")
    check(rec["location"]["civic"] == RECORD["civic"],
          f"civic {rec['location']['civic']} equals {RECORD['civic']}")
    check(rec["location"]["geo"]["lat"] == RECORD["geo"]["lat"],
          f"geo {rec['location']['geo']}")
    for line in started["headers"].split("\r\n")[:-1]:
        name, _, value = line.partition(":")
        check(value.strip() in rec["headers"].get(name.strip().lower(), []),
              f"header {line} received: {rec['headers']}")
    check(rec["headers"]["priority"] == ["emergency"], "Priority")
    check(rec["content_type"].startswith("multipart/mixed") and
          [p["content_type"] for p in rec["parts"]] ==
          ["application/sdp", "application/pidf+xml"],
          f"parts {rec['parts']}")
    check(rec["parts"][1]["content_id"] and rec["parts"][1]["length"] ==
          len(started["pidf"].encode()), f"PIDF part {rec['parts'][1]}")


def test_engine_udp_tcp():
    for transport in ("udp", "tcp"):
        with Workdir() as wd:
            psap = PsapSim(wd, transport=transport, expect=EXPECT)
            eng = engine(wd, psap, transport)
            try:
                started = call_911(eng)
                rec, = psap.wait_records(1)
                check_received(rec, started, transport)

                # the expectation is re-read: a wrong town fails, named
                psap.set_expect({"*": {"civic": {"A3": "Bellevue"}}})
                started = call_911(eng)
                recs = psap.wait_records(2)
                check(len(recs) == 2, f"{len(recs)} records")
                c = checks_of(recs[1])["expected-location"]
                check(not c["ok"] and "A3" in c["why"] and
                      "Redmond" in c["why"] and "Bellevue" in c["why"],
                      f"the wrong field named: {c}")
                check(not recs[1]["ok"], "the record is not ok")
                check(all(x["ok"] for x in recs[1]["checks"]
                          if x["check"] != "expected-location"),
                      f"only the location differs: {recs[1]['checks']}")
            finally:
                eng.stop()
                psap.stop()


SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
       "t=0 0\r\nm=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n")


def raw_invite(port, lport, call_id, user="bob", priority=True):
    head = [f"INVITE sip:911@127.0.0.1:{port} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{lport};branch=z9hG4bK{call_id}",
            "Max-Forwards: 70",
            f"From: <sip:{user}@127.0.0.1>;tag=raw1",
            f"To: <sip:911@127.0.0.1:{port}>",
            f"Call-ID: {call_id}", "CSeq: 1 INVITE",
            f"Contact: <sip:{user}@127.0.0.1:{lport}>",
            "Content-Type: application/sdp"]
    if priority:
        head.append("Priority: emergency")
    head.append(f"Content-Length: {len(SDP)}")
    return ("\r\n".join(head) + "\r\n\r\n" + SDP).encode()


def answers(sock, want, timeout=5):
    """Status codes received until want arrives."""
    deadline = time.monotonic() + scaled(timeout)
    got = []
    while want not in got:
        left = deadline - time.monotonic()
        check(left > 0, f"no {want} answer (got {got})")
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        got.append(int(data.split(b" ", 2)[1]))
    return got


def test_no_pidf():
    """A plain SDP INVITE: recorded with location_received false and the
    failing checks saying why; a retransmission is answered again, not
    recorded again."""
    with Workdir() as wd:
        psap = PsapSim(wd, transport="both",
                       expect={"carol": {"location": False},
                               "*": {"civic": {"A1": "WA"}}})
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind(("127.0.0.1", 0))
                s.connect(("127.0.0.1", psap.port))
                inv = raw_invite(psap.port, s.getsockname()[1], "nopidf1")
                s.send(inv)
                check(answers(s, 200) == [100, 200], "100 then 200")
                s.send(inv)  # as if our 200 was lost
                check(200 in answers(s, 200), "the 200 again")
                rec, = psap.wait_records(1)
                ack = inv.split(b"\r\n\r\n")[0].replace(
                    b"INVITE sip", b"ACK sip").replace(b"1 INVITE", b"1 ACK")
                s.send(ack + b"\r\n\r\n")
                check(not rec["location_received"] and rec["pidf"] is None
                      and rec["location"] is None, f"nothing: {rec}")
                c = checks_of(rec)
                for name, words in (("multipart", "application/sdp"),
                                    ("content-id", "no PIDF-LO"),
                                    ("geolocation", "no Geolocation"),
                                    ("geolocation-routing", "no Geoloc"),
                                    ("schema", "no PIDF-LO"),
                                    ("expected-location", "none came")):
                    check(not c[name]["ok"] and words in c[name]["why"],
                          f"{name}: {c[name]}")
                check(c["priority"]["ok"], f"priority {c['priority']}")
                check(not rec["ok"], "the record is not ok")

                # no Priority: named
                s.send(raw_invite(psap.port, s.getsockname()[1], "noprio",
                                  priority=False))
                answers(s, 200)
                rec = psap.wait_records(2)[1]
                c = checks_of(rec)["priority"]
                check(not c["ok"] and "no Priority" in c["why"], f"{c}")

                # a caller expected to send nothing: ok
                s.send(raw_invite(psap.port, s.getsockname()[1], "carol1",
                                  user="carol"))
                answers(s, 200)
                rec = psap.wait_records(3)[2]
                check(rec["ok"], f"carol, no location expected: "
                      f"{rec['checks']}")
                # garbage and a request without its headers: no record,
                # a 400 for the request, the simulator still serves
                s.send(b"\x00\xff\xfe garbage \r\n\r\n")
                s.send(b"INVITE sip:911@127.0.0.1 SIP/2.0\r\n"
                       b"Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n"
                       b"CSeq: 1 INVITE\r\n\r\n")
                check(answers(s, 400) == [400], "400 for a bad request")
            with socket.create_connection(("127.0.0.1", psap.port),
                                          timeout=scaled(5)) as t:
                # headers that never end: the connection is dropped
                try:
                    t.sendall(b"INVITE sip:911@x SIP/2.0\r\nX: "
                              + b"y" * (300 * 1024))
                    check(t.recv(100) == b"", "the connection is closed")
                except (ConnectionResetError, BrokenPipeError):
                    pass
            check(len(psap.records()) == 3, "3 INVITEs, 3 records")
            check(psap.proc.poll() is None, "the simulator survived")
            log = psap.log_text()
            check("malformed start line" in log and
                  "headers without end" in log, f"the log says why: {log}")
            check("failed: multipart" in psap.log_text(),
                  "the log names the failing checks")
        finally:
            psap.stop()


if __name__ == "__main__":
    sys.exit(run([test_engine_udp_tcp, test_no_pidf]))
