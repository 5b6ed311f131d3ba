#!/usr/bin/python3
"""The INVITE body hook: armed for one call, the INVITE sipp receives is
multipart/mixed with the SDP first and our part intact, and the call is
established with sipp's plain SDP answer; the next call's INVITE is stock
baresip (application/sdp, no extra header)."""

import os
import re
import sys

from lphelp import BUILD, Engine, Sipp, Workdir, check, need, run

PROBE = os.path.join(BUILD, "tests", "integration", "sipbody_probe.so")

PIDF = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
        "entity=\"pres:alice@example.com\">\n"
        "  <!-- bytes that must arrive intact: --a <b> & \u00e9 -->\n"
        "</presence>\n")


def headers_and_body(msg):
    head, _, body = msg.partition("\r\n\r\n")
    headers = {}
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers, body


def split_multipart(ctype, body):
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    check(m, f"no boundary in {ctype}")
    delim = "--" + m.group(1)
    check(body.startswith(delim + "\r\n"), "the body starts with the boundary")
    check(body.endswith(delim + "--\r\n"), "closing delimiter")
    parts = []
    for chunk in body.split("\r\n" + delim)[:-1]:
        chunk = chunk.split("\r\n", 1)[1]  # after the delimiter line
        head, _, content = chunk.partition("\r\n\r\n")
        hdrs = {}
        for line in head.split("\r\n"):
            name, _, value = line.partition(":")
            hdrs[name.strip().lower()] = value.strip()
        parts.append((hdrs, content))
    return parts


# The numbers dialled are ordinary ones: 911 is the e911 module's, which
# arms the hook itself and would replace the probe's part.
def arm(ctl, cid):
    r = ctl.request("test.sipbody", {"part": PIDF,
                                     "ctype": "application/pidf+xml",
                                     "cid": cid})
    check(r["ok"], f"arm: {r}")
    return r["result"]["active"]


def test_armed_then_unarmed():
    with Workdir() as wd:
        pbx = Sipp(wd, "pbx.xml", "pbx")
        eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>;regint=0\n",
                     conf=f"extra_module {PROBE}\n")
        try:
            ctl = eng.ctl()
            check(arm(ctl, "loc1@locphone.test") is True,
                  "the hook is active under locphoned")

            for number in ("5550100", "5550000"):
                r = ctl.request("dial", {"number": number})
                check(r["ok"], f"dial {number}: {r}")
                ctl.wait_event("call.established")
                check(ctl.request("hangup")["ok"], "hangup")
                ctl.wait_event("call.closed")
        finally:
            eng.stop()
            pbx.stop()

        invites = pbx.requests("INVITE")
        check(len(invites) == 2, f"sipp saw {len(invites)} INVITEs")

        hdrs, body = headers_and_body(invites[0])
        check(hdrs["content-type"].startswith("multipart/mixed"),
              f"armed INVITE type: {hdrs['content-type']}")
        check(hdrs.get("x-probe") == "<cid:loc1@locphone.test>",
              "the extra header went out")
        check(int(hdrs["content-length"]) == len(body.encode()),
              "Content-Length matches the multipart body")
        parts = split_multipart(hdrs["content-type"], body)
        check(len(parts) == 2, f"{len(parts)} parts")
        check(parts[0][0]["content-type"] == "application/sdp" and
              parts[0][1].startswith("v=0"), "SDP is the first part")
        check(parts[1][0]["content-type"] == "application/pidf+xml" and
              parts[1][0]["content-id"] == "<loc1@locphone.test>",
              f"second part headers: {parts[1][0]}")
        check(parts[1][1] == PIDF, "the PIDF part arrived byte for byte")

        hdrs, body = headers_and_body(invites[1])
        check(hdrs["content-type"] == "application/sdp",
              f"unarmed INVITE type: {hdrs['content-type']}")
        check("x-probe" not in hdrs, "no extra header on the next call")
        check(body.startswith("v=0"), "plain SDP body")


def test_reinvite_keeps_part():
    """A re-INVITE (hold) of the armed call carries the part again."""
    with Workdir() as wd:
        pbx = Sipp(wd, "pbx_reinvite.xml", "pbx")
        eng = Engine(wd, f"<sip:alice@127.0.0.1:{pbx.port}>;regint=0\n",
                     conf=f"extra_module {PROBE}\n")
        try:
            ctl = eng.ctl()
            arm(ctl, "loc2@locphone.test")
            check(ctl.request("dial", {"number": "5550100"})["ok"], "dial")
            ctl.wait_event("call.established")
            r = ctl.request("hold")
            check(r["ok"] and r["result"]["on_hold"], f"hold: {r}")
            # the answer to the initial INVITE, then to the re-INVITE
            ctl.wait_event("call.remote_sdp",
                           pred=lambda e: e["reason"] == "answer")
            ctl.wait_event("call.remote_sdp",
                           pred=lambda e: e["reason"] == "answer")
            check(ctl.request("hangup")["ok"], "hangup")
            ctl.wait_event("call.closed")
        finally:
            pbx.stop()
            eng.stop()

        invites = pbx.requests("INVITE")
        check(len(invites) == 2, f"INVITE and re-INVITE: {len(invites)}")
        first, _ = headers_and_body(invites[0])
        hdrs, body = headers_and_body(invites[1])
        check(hdrs["content-type"] == first["content-type"],
              "the re-INVITE keeps the multipart type and boundary")
        parts = split_multipart(hdrs["content-type"], body)
        check(parts[0][0]["content-type"] == "application/sdp" and
              "a=sendonly" in parts[0][1], "the new SDP (hold) comes first")
        check(parts[1][1] == PIDF, "the part is carried again, intact")


def test_hook_absent_without_preload():
    """Without the preload the module learns the hook is inactive."""
    with Workdir() as wd:
        eng = Engine(wd, "", conf=f"extra_module {PROBE}\n",
                     args=("--sipbody", "/dev/null"))
        try:
            check(arm(eng.ctl(), "a@b") is False, "hook reported inactive")
        finally:
            eng.stop()


if __name__ == "__main__":
    need("sipp")
    sys.exit(run([test_armed_then_unarmed, test_reinvite_keeps_part,
                  test_hook_absent_without_preload]))
