#!/usr/bin/python3
"""In-call controls for every client (issue 15 item 1): DTMF digits reach
the far end as RFC 4733 telephone-events, on an emergency call too (a
PSAP's menu); a far end that did not accept telephone-events gets none and
the request is refused; mute and unmute; and every call object, in `calls`
as in events, says that a call is an emergency call, so a client that
connects during it knows."""

import os
import re
import select
import sys
import time
import wave

from lphelp import (BUILD, DTMF_EVENT as EVENT, TIME_FACTOR, Engine,
                    RtpSink, Sipp, Workdir, check, need, run, wait_for)

FIXTURE = os.path.join(BUILD, "tests", "integration", "location_fixture.so")

RECORD = {
    "source": "lis",
    "civic": {"country": "US", "A1": "WA", "A3": "Redmond", "RD": "163rd",
              "STS": "Ave", "HNO": "3910", "FLR": "2"},
    "geo": None,
    "method": "Wiremap", "provided_by": None,
    "obtained_at": "2024-05-01T12:00:00Z",
    "expires": "2099-05-02T12:00:00Z",
    "validated": True, "uris": [], "elin": None,
}

def engine(wd, sipp):
    return Engine(wd, f"<sip:alice@127.0.0.1:{sipp.port}>;regint=0\n",
                  conf=f"extra_module {FIXTURE}\n"
                       "test_dial_strings 933\n")


def dial_established(ctl, number):
    r = ctl.request("dial", {"number": number})
    check(r["ok"], f"dial {number}: {r}")
    return ctl.wait_event("call.established")["call"]


def hang_up(ctl):
    check(ctl.request("hangup")["ok"], "hangup")
    ctl.wait_event("call.closed")


def test_dtmf_and_mute():
    """Digits on an ordinary call arrive as telephone-events in order;
    bad digits and a call that is not there are refused; mute and unmute
    show in the reply and in `calls`."""
    with Workdir() as wd:
        rtp = RtpSink()
        pbx = Sipp(wd, "pbx_dtmf.xml", "pbx",
                   extra=("-key", "rtp_port", str(rtp.port)))
        eng = None
        try:
            eng = engine(wd, pbx)
            ctl = eng.ctl()

            r = ctl.request("dtmf", {"digits": "1"})
            check(not r["ok"] and "no established call" in r["error"],
                  f"dtmf without a call: {r}")

            call = dial_established(ctl, "5551234")
            check(call["muted"] is False and "emergency" not in call,
                  f"an ordinary call: {call}")

            rc, out, err = eng.cli("dtmf", "1#9")
            check(rc == 0 and "1#9" in out, f"locphonectl dtmf: {rc} "
                  f"{out} {err}")
            r = ctl.request("dtmf", {"digits": "*0d", "call": call["id"]})
            check(r["ok"] and r["result"]["method"] == "rfc4733" and
                  r["result"]["digits"] == "*0D", f"dtmf *0d: {r}")
            got = rtp.events(6, 20)
            check(got == [EVENT[d] for d in "1#9*0D"],
                  f"telephone-events in order: {got}")

            for bad in ("", "12x", "1" * 33):
                r = ctl.request("dtmf", {"digits": bad})
                check(not r["ok"] and "digits" in r["error"],
                      f"dtmf {bad!r} refused: {r}")
            r = ctl.request("dtmf", {"digits": "1", "call": "nope"})
            check(not r["ok"], f"dtmf on no such call: {r}")

            r = ctl.request("mute")
            check(r["ok"] and r["result"]["muted"] is True and
                  r["result"]["call"]["muted"] is True, f"mute: {r}")
            calls = ctl.request("calls")["result"]["calls"]
            check(calls[0]["muted"] is True, f"calls while muted: {calls}")
            rc, out, err = eng.cli("calls")
            check(rc == 0 and "muted" in out, f"locphonectl calls: {out}")
            rc, out, err = eng.cli("unmute")
            check(rc == 0, f"locphonectl unmute: {rc} {err}")
            calls = ctl.request("calls")["result"]["calls"]
            check(calls[0]["muted"] is False, f"calls unmuted: {calls}")

            hang_up(ctl)
            r = ctl.request("mute")
            check(not r["ok"], f"mute without a call: {r}")
            eng.stop()
        finally:
            if eng:
                eng.stop()
            pbx.stop()
            rtp.close()


def test_dtmf_refused_without_telephone_event():
    """pbx.xml answers with PCMU only: no tones can reach it, and the
    request says so instead of pretending."""
    with Workdir() as wd:
        pbx = Sipp(wd, "pbx.xml", "pbx")
        eng = None
        try:
            eng = engine(wd, pbx)
            ctl = eng.ctl()
            dial_established(ctl, "5551234")
            rc, out, err = eng.cli("dtmf", "5")
            check(rc == 1 and "telephone-event" in err,
                  f"dtmf to a far end without telephone-event: {rc} {err}")
            hang_up(ctl)
        finally:
            if eng:
                eng.stop()
            pbx.stop()


def info_bodies(pbx, n):
    """The first n INFO requests pbx got, checked to be in the INVITE's
    dialog and to carry application/dtmf-relay; their Signal values."""
    wait_for(lambda: len(pbx.requests("INFO")) >= n, 20 * TIME_FACTOR,
             f"{n} INFO requests at the pbx")
    invite = pbx.requests("INVITE")[0]
    callid = header(invite, "Call-ID")
    signals = []
    for msg in pbx.requests("INFO")[:n]:
        check(header(msg, "Call-ID") == callid and
              ";tag=" in header(msg, "To"),
              f"INFO in the call's dialog: {msg}")
        check(header(msg, "Content-Type") == "application/dtmf-relay",
              f"INFO body type: {msg}")
        body = msg.split("\r\n\r\n", 1)[1]
        check(re.fullmatch(r"Signal=[0-9*#A-D]\r\nDuration=100\r\n", body),
              f"dtmf-relay body: {body!r}")
        signals.append(body[len("Signal=")])
    return signals


def header(msg, name):
    for line in msg.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def test_dtmf_by_info():
    """An account with ;dtmfmode=auto sends SIP INFO (dtmf-relay) in the
    call's dialog when the far end took no telephone-event; ;dtmfmode=info
    sends INFO even when it did; an unknown mode is refused."""
    for mode, te_name, digits in (("auto", "x-none", "5#"),
                                  ("info", "telephone-event", "7")):
        with Workdir() as wd:
            pbx = Sipp(wd, "pbx_info.xml", "pbx",
                       extra=("-key", "te_name", te_name))
            eng = None
            try:
                eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>"
                                 f";regint=0;dtmfmode={mode}\n")
                ctl = eng.ctl()
                dial_established(ctl, "5551234")
                r = ctl.request("dtmf", {"digits": digits[0]})
                check(r["ok"] and r["result"]["method"] == "info",
                      f"dtmf with dtmfmode={mode}: {r}")
                if digits[1:]:
                    rc, out, err = eng.cli("dtmf", digits[1:])
                    check(rc == 0 and "SIP INFO" in out,
                          f"locphonectl dtmf by INFO: {rc} {out} {err}")
                got = info_bodies(pbx, len(digits))
                check(got == list(digits), f"INFO digits in order: {got}")
                hang_up(ctl)
                eng.stop()
            finally:
                if eng:
                    eng.stop()
                pbx.stop()

    with Workdir() as wd:
        pbx = Sipp(wd, "pbx.xml", "pbx")
        eng = None
        try:
            eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>"
                             ";regint=0;dtmfmode=fax\n")
            ctl = eng.ctl()
            dial_established(ctl, "5551234")
            r = ctl.request("dtmf", {"digits": "1"})
            check(not r["ok"] and "dtmfmode" in r["error"],
                  f"dtmfmode=fax refused: {r}")
            hang_up(ctl)
        finally:
            if eng:
                eng.stop()
            pbx.stop()


def write_tone(path, seconds=30):
    """A loud 400 Hz square wave: PCMU far from silence."""
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes((b"\x40\x4e" * 10 + b"\xc0\xb1" * 10) *
                      int(400 * seconds))


def loud(rtp, timeout):
    """True once a PCMU packet arrives whose samples are mostly loud
    (G.711 mu-law: the inverted byte's exponent bits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([rtp.sock], [], [],
                                    deadline - time.monotonic())
        if not ready:
            continue
        pkt = rtp.sock.recv(2048)
        if len(pkt) < 12 + 80 or pkt[1] & 0x7f != 0:
            continue
        payload = pkt[12:]
        if sum(1 for b in payload if ((~b & 0xff) >> 4) & 7 >= 5) > \
                len(payload) // 2:
            return True
    return False


def test_audio_devices():
    """`audio` lists the sources and players baresip has (not the lpaudio
    wrapper) and the defaults; `audio.set` refuses unknown modules and
    switches the running call's source: the far end then hears the file;
    the default changes for later calls."""
    with Workdir() as wd:
        tone = os.path.join(wd, "tone.wav")
        write_tone(tone)
        rtp = RtpSink()
        pbx = Sipp(wd, "pbx_dtmf.xml", "pbx",
                   extra=("-key", "rtp_port", str(rtp.port)))
        eng = None
        try:
            eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>;regint=0\n",
                         conf="extra_module aufile\n")
            ctl = eng.ctl()
            r = ctl.request("audio")
            check(r["ok"], f"audio: {r}")
            res = r["result"]
            sources = [m["module"] for m in res["sources"]]
            players = [m["module"] for m in res["players"]]
            check("aufile" in sources and "aubridge" in sources and
                  "lpaudio" not in sources and "aubridge" in players,
                  f"audio modules: {res}")
            check(res["source"] == {"module": "aubridge", "device": "nil"}
                  and res["player"] == {"module": "aubridge",
                                        "device": "nil"},
                  f"audio defaults: {res}")

            for bad, what in (({}, "source"),
                              ({"source": {"module": "nope"}}, "no such"),
                              ({"source": {"module": "lpaudio"}}, "module"),
                              ({"player": "aufile"}, "objects"),
                              ({"source": {"module": "aufile",
                                           "device": "a\nb"}}, "device"),
                              ({"source": {"module": "aufile"},
                                "call": "nope"}, "no established")):
                r = ctl.request("audio.set", bad)
                check(not r["ok"] and what in r["error"],
                      f"audio.set {bad} refused: {r}")
            r = ctl.request("audio")
            check(r["result"]["source"]["module"] == "aubridge",
                  f"nothing changed by refused requests: {r}")

            dial_established(ctl, "5551234")
            check(not loud(rtp, 2 * TIME_FACTOR),
                  "silence before the source is switched")
            r = ctl.request("audio.set", {"source": {"module": "aufile",
                                                     "device": tone}})
            check(r["ok"] and r["result"]["source"] ==
                  {"module": "aufile", "device": tone} and
                  r["result"]["call"]["state"] == "established",
                  f"audio.set source on the call: {r}")
            check(loud(rtp, 10 * TIME_FACTOR),
                  "the far end hears the new source")
            r = ctl.request("audio")
            check(r["result"]["source"] == {"module": "aufile",
                                            "device": tone} and
                  r["result"]["player"]["module"] == "aubridge",
                  f"the new default: {r}")
            hang_up(ctl)

            r = ctl.request("audio.set", {"source": {"module": "aubridge",
                                                     "device": "nil"}})
            check(r["ok"] and "call" not in r["result"],
                  f"audio.set without a call: {r}")
            rc, out, err = eng.cli("audio", "player", "aufile,nil")
            check(rc == 1 and "no such audio player" in err,
                  f"locphonectl audio player aufile: {rc} {out} {err}")
            rc, out, err = eng.cli("audio", "source", f"aufile,{tone}")
            check(rc == 0 and f"source for calls: aufile,{tone}" in out,
                  f"locphonectl audio source: {rc} {out} {err}")
            rc, out, err = eng.cli("audio")
            check(rc == 0 and "\n  aufile" in out and
                  "player for calls: aubridge,nil" in out,
                  f"locphonectl audio: {rc} {out} {err}")
            eng.stop()
        finally:
            if eng:
                eng.stop()
            pbx.stop()
            rtp.close()


def test_emergency_in_every_call_object():
    """A 911 call's call objects carry `emergency` in events, in `calls`
    and for a client that connects during the call; the PSAP's menu can
    be answered with DTMF; a 933 test call says test; an ordinary call
    has none."""
    with Workdir() as wd:
        rtp = RtpSink()
        pbx = Sipp(wd, "pbx_dtmf.xml", "pbx",
                   extra=("-key", "rtp_port", str(rtp.port)))
        eng = None
        try:
            eng = engine(wd, pbx)
            ctl = eng.ctl()
            r = ctl.request("test.location", RECORD)
            check(r["ok"], f"test.location: {r}")

            call = dial_established(ctl, "911")
            em = call.get("emergency")
            check(em and em["class"] == "emergency" and
                  em["number"] == "911" and
                  em["location_sent"] == "by-value",
                  f"call.established of a 911 call: {call}")
            check("3910 163rd Ave" in em.get("location_summary", "") and
                  "Redmond" in em["location_summary"],
                  f"location_summary in words: {em}")

            late = eng.ctl()  # a UI started during the call
            calls = late.request("calls")["result"]["calls"]
            check(len(calls) == 1 and calls[0]["emergency"] == em,
                  f"calls for a late client: {calls}")
            rc, out, err = eng.cli("calls")
            check(rc == 0 and "emergency call to 911, location by-value: "
                  "3910 163rd Ave" in out, f"locphonectl calls: {out}")

            r = ctl.request("dtmf", {"digits": "2"})
            check(r["ok"], f"dtmf on the emergency call: {r}")
            check(rtp.events(1, 20) == [EVENT["2"]],
                  "the PSAP's menu got the digit")

            hang_up(ctl)
            ctl.wait_event("emergency.ended")

            call = dial_established(ctl, "933")
            check(call.get("emergency", {}).get("class") == "test",
                  f"a 933 test call: {call}")
            hang_up(ctl)
            ctl.wait_event("emergency.ended")

            call = dial_established(ctl, "5551234")
            check("emergency" not in call, f"an ordinary call: {call}")
            calls = ctl.request("calls")["result"]["calls"]
            check("emergency" not in calls[0], f"calls: {calls}")
            hang_up(ctl)
            eng.stop()
        finally:
            if eng:
                eng.stop()
            pbx.stop()
            rtp.close()


if __name__ == "__main__":
    need("sipp")
    sys.exit(run([test_dtmf_and_mute,
                  test_dtmf_refused_without_telephone_event,
                  test_dtmf_by_info,
                  test_audio_devices,
                  test_emergency_in_every_call_object]))
