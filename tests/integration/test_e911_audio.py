#!/usr/bin/python3
"""Audio never ends an emergency call (issue 11 item 9): with the default
audio settings on a machine without a sound card the 911 call is set up
and stays up on silence, emergency.audio says what cannot be heard, and an
ordinary call fails as before; a source that appears later is taken up,
and one that fails mid-call (aufile at the end of its file) leaves the
emergency call up while an ordinary call ends."""

import os
import time
import wave

from lphelp import Engine, Sipp, Workdir, check, need, run, wait_for

KEEP_MS = 3000  # how long the PSAP keeps the call before its own BYE


def no_sound_card():
    """True when ALSA has no card: then the default device is what fails;
    elsewhere a device that does not exist stands in for it."""
    try:
        with open("/proc/asound/cards") as f:
            return "no soundcards" in f.read()
    except FileNotFoundError:
        return True


def account(sipp):
    return f"<sip:alice@127.0.0.1:{sipp.port}>;regint=0\n"


def audio_conf():
    if no_sound_card():
        return ""  # alsa,default for both: the setting as shipped
    print("# this machine has a sound card: a missing ALSA device instead")
    return "audio_player alsa,hw:99\naudio_source alsa,hw:99\n"


def write_wav(path, seconds):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * int(8000 * seconds))


def dial(ctl, number):
    r = ctl.request("dial", {"number": number})
    check(r["ok"], f"dial {number}: {r}")
    return r["result"]["call"]["id"]


def test_no_sound_card_911():
    """The 911 call is answered, emergency.audio says neither side can be
    heard, and the call lasts until the PSAP hangs up after 3 s."""
    with Workdir() as wd:
        psap = Sipp(wd, "psap_keep.xml", "psap",
                    extra=("-m", "1", "-d", str(KEEP_MS)))
        eng = Engine(wd, account(psap), conf=audio_conf(),
                     default_audio=True)
        try:
            ctl = eng.ctl()
            cid = dial(ctl, "911")
            ev = ctl.wait_event("emergency.audio", timeout=20)
            check(ev["call"] == cid, f"emergency.audio names {ev['call']}")
            est = ctl.wait_event("call.established", timeout=20)
            t_est = time.monotonic()
            check(est["call"]["id"] == cid, "the 911 call is established")
            # player and source fail one after the other: the last word
            # has both
            while ev["microphone"] or ev["speaker"]:
                ev = ctl.wait_event("emergency.audio", timeout=5)
            check("cannot hear you" in ev["text"], f"text {ev['text']!r}")
            closed = ctl.wait_event("call.closed", timeout=30)
            lasted = time.monotonic() - t_est
            check(lasted >= KEEP_MS / 1000 - 0.2,
                  f"the call ended {lasted:.2f}s after it was established"
                  f" ({closed.get('reason')}); the PSAP keeps it "
                  f"{KEEP_MS} ms")
            ended = ctl.wait_event("emergency.ended", timeout=10)
            check(ended["outcome"] != "failed", f"emergency.ended {ended}")
            wait_for(lambda: psap.proc.poll() is not None, 20,
                     "the PSAP's sipp to finish its call")
            check(psap.proc.returncode == 0,
                  f"PSAP sipp exit {psap.proc.returncode}: the phone "
                  "hung up first or did not answer the BYE")
            check(not psap.requests("BYE"),
                  "the phone sent a BYE to the PSAP")
        finally:
            eng.stop()
            psap.stop()
        log = eng.log_text() if not eng.log.closed else \
            open(eng.log.name).read()
        check("going on with silence" in log, "the engine log says so")


def test_no_sound_card_ordinary_call():
    """An ordinary call with the same settings fails as it always did:
    closed with the device's error, no emergency.audio."""
    with Workdir() as wd:
        pbx = Sipp(wd, "pbx.xml", "pbx")
        eng = Engine(wd, account(pbx), conf=audio_conf(), default_audio=True)
        try:
            ctl = eng.ctl()
            cid = dial(ctl, "100")
            closed = ctl.wait_event("call.closed", timeout=20)
            check(closed["call"]["id"] == cid, "the call closed")
            check(closed["call"]["state"] != "established",
                  f"closed in state {closed['call']['state']}")
            check(closed.get("reason"), f"closed with a reason: {closed}")
            seen = [e["event"] for e in ctl.events]
            check("emergency.audio" not in seen and
                  "call.established" not in seen, f"events {seen}")
        finally:
            eng.stop()
            pbx.stop()


def test_source_back_then_lost():
    """A microphone missing when the 911 call starts is taken up once it
    exists (microphone true), and losing it mid-call (aufile says "end of
    file") goes back to silence without ending the call; the same device
    ends an ordinary call, as before."""
    with Workdir() as wd:
        wav = os.path.join(wd, "mic.wav")
        conf = f"audio_source aufile,{wav}\naudio_player aubridge,nil\n"
        psap = Sipp(wd, "psap_keep.xml", "psap", extra=("-m", "1", "-d",
                                                        "60000"))
        eng = Engine(wd, account(psap), conf=conf, default_audio=True)
        try:
            ctl = eng.ctl()
            cid = dial(ctl, "911")
            ev = ctl.wait_event("emergency.audio", timeout=20)
            check(ev["call"] == cid and not ev["microphone"] and
                  ev["speaker"], f"first emergency.audio {ev}")
            ctl.wait_event("call.established", timeout=20)
            write_wav(wav, 0.5)
            t0 = time.monotonic()
            ev = ctl.wait_event("emergency.audio", timeout=20)
            check(ev["microphone"], f"after the file appeared: {ev}")
            print(f"# microphone back {time.monotonic() - t0:.2f}s after "
                  "it appeared")
            ev = ctl.wait_event("emergency.audio", timeout=20)
            check(not ev["microphone"], f"after the end of the file: {ev}")
            r = ctl.request("calls")
            states = [c["state"] for c in r["result"]["calls"]]
            check(states == ["established"], f"calls after the loss: {r}")
            check(not [e for e in ctl.events
                       if e["event"] == "call.closed"],
                  "the emergency call closed")
            check(ctl.request("hangup")["ok"], "hangup")
            ctl.wait_event("call.closed", timeout=10)
        finally:
            eng.stop()
            psap.stop()

    with Workdir() as wd:
        wav = os.path.join(wd, "mic.wav")
        write_wav(wav, 0.5)
        conf = f"audio_source aufile,{wav}\naudio_player aubridge,nil\n"
        pbx = Sipp(wd, "pbx.xml", "pbx")
        eng = Engine(wd, account(pbx), conf=conf, default_audio=True)
        try:
            ctl = eng.ctl()
            cid = dial(ctl, "100")
            ctl.wait_event("call.established", timeout=20)
            closed = ctl.wait_event("call.closed", timeout=20)
            check(closed["call"]["id"] == cid,
                  "the ordinary call ends at the end of the file")
            check("emergency.audio" not in [e["event"] for e in ctl.events],
                  "no emergency.audio for an ordinary call")
        finally:
            eng.stop()
            pbx.stop()


if __name__ == "__main__":
    need("sipp")
    raise SystemExit(run([test_no_sound_card_911,
                          test_no_sound_card_ordinary_call,
                          test_source_back_then_lost]))
