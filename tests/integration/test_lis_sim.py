#!/usr/bin/python3
"""The LIS simulator (client/harness/lis-sim) over HTTP and HTTPS: every
wiremap kind and the order they are tried in, location URIs, each mode and
the switch at run time, the JSON log, HELD errors for bad requests (an
external entity is never read), and a bad wiremap refused with its line."""

import http.client
import json
import os
import re
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lphelp import (LIS_SIM, Failure, LisSim, Stopwatch,  # noqa: E402
                    Workdir, check, exit_with, make_test_ca, need,
                    run)
import psapcheck  # noqa: E402

HELD = "urn:ietf:params:xml:ns:geopriv:held"
HELD_ID = "urn:ietf:params:xml:ns:geopriv:held:id"
LM = "urn:ietf:params:xml:ns:geopriv:lm"
LLDP = "urn:ietf:params:xml:ns:geopriv:lm:lldp"
WIFI = "urn:ietf:params:xml:ns:geopriv:lm:wifi"
NS = {
    "held": HELD,
    "pidf": "urn:ietf:params:xml:ns:pidf",
    "dm": "urn:ietf:params:xml:ns:pidf:data-model",
    "gp": "urn:ietf:params:xml:ns:pidf:geopriv10",
    "gbp": "urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy",
    "ca": "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr",
    "gml": "http://www.opengis.net/gml",
    "gs": "http://www.opengis.net/pidflo/1.0",
    "sim": "urn:x-locphone:lis-sim",
}

# Lines are numbered as the simulator counts them (the comment is line 1).
WIREMAP = """\
# wiremap for test_lis_sim.py
kind,key,country,A1,A3,RD,STS,HNO,FLR,ROOM,PC,LOC,lat,lon,alt,radius,elin
bssid,00:11:22:33:44:55,US,WA,Redmond,Microsoft,Way,1,3,"3105, east wing",98052,,47.6396,-122.1284,,25,
chassis+port,4:02:00:00:00:00:01/5:Gi1/0/7,US,WA,Redmond,Main,St,10,2,201,98052,,,,,,4255550100
chassis,4:020000000001,US,WA,Redmond,Main,St,10,,,98052,"lobby, ""north"" door",,,,,
chassis,7:sw-7,US,WA,Kirkland,Lake,St,7,,,98033,,,,,,
subnet,10.1.0.0/16,US,WA,Tacoma,Pacific,Ave,100,,,98402,,,,,,
subnet,10.1.2.0/24,US,WA,Tacoma,Pacific,Ave,100,4,,98402,,,,,,
subnet,127.0.0.0/8,US,WA,Seattle,Pine,St,5,,,98101,,,,,,
subnet,2001:db8::/32,,,,,,,,,,,47.6,-122.3,12.5,,
mac,a0:12:34:56:78:90,US,WA,Bellevue,,,,,,,,,,,,
"""
L_BSSID, L_CHASSIS_PORT, L_CHASSIS, L_CHASSIS_TEXT = 3, 4, 5, 6
L_NET16, L_NET24, L_LOOPBACK, L_NET6, L_MAC = 7, 8, 9, 10, 11

AP = "00-11-22-33-44-55"           # the BSSID of line 3, RFC 6155 style
CHASSIS = (4, "020000000001")      # subtype 4 (MAC) 02:00:00:00:00:01
PORT = (5, b"Gi1/0/7".hex())       # subtype 5 (interface name) "Gi1/0/7"
OTHER_PORT = (5, b"Gi1/0/8".hex())
MAC = "A0-12-34-56-78-90"          # line 11

ctx = {}


def held_request(ip=(), mac=(), uri=(), lldp=(), bssid=(), loctype=None,
                 exact=None, rtime="emergencyRouting"):
    """A locationRequest with RFC 6155 identities and RFC 7105
    measurements; ip entries are (version, address)."""
    parts = [f'<locationRequest xmlns="{HELD}" responseTime="{rtime}">']
    if loctype:
        ex = f' exact="{exact}"' if exact else ""
        parts.append(f"<locationType{ex}>{loctype}</locationType>")
    if ip or mac or uri:
        parts.append(f'<device xmlns="{HELD_ID}">')
        parts += [f'<ip v="{v}">{a}</ip>' for v, a in ip]
        parts += [f"<mac>{m}</mac>" for m in mac]
        parts += [f"<uri>{u}</uri>" for u in uri]
        parts.append("</device>")
    if lldp or bssid:
        parts.append(f'<measurements xmlns="{LM}">')
        for (ct, cv), (pt, pv) in lldp:
            parts.append(f'<lldp xmlns="{LLDP}"><chassis type="{ct}">{cv}'
                         f'</chassis><port type="{pt}">{pv}</port></lldp>')
        if bssid:
            parts.append(f'<wifi xmlns="{WIFI}">')
            parts += [f"<ap><bssid>{b}</bssid><channel>6</channel></ap>"
                      for b in bssid]
            parts.append("</wifi>")
        parts.append("</measurements>")
    parts.append("</locationRequest>")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(parts)


def http_call(url, body=None, ctype="application/held+xml", method=None,
              timeout=10):
    """(status, content type, body bytes) of one request."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None and ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=timeout,
                                    context=ctx.get("tls")) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()
    except (urllib.error.URLError, TimeoutError) as e:
        if isinstance(getattr(e, "reason", e), TimeoutError):
            raise Failure(f"no answer from {url} within {timeout} s")
        raise


def held(body, url=None, **kw):
    """POST a HELD request; return the parsed answer (HTTP 200 and
    application/held+xml are required, errors included: RFC 5985)."""
    status, ctype, data = http_call(url or ctx["sim"].url, body, **kw)
    check(status == 200, f"HTTP {status}: {data[:300]!r}")
    check(ctype == "application/held+xml", f"Content-Type {ctype}")
    # a valid HELD response (RFC 5985 with the PIDF-LO schemas)
    psapcheck.check_schema(data.decode(), "held-response",
                           "the simulator's answer")
    return ET.fromstring(data)


def error_code(doc):
    check(doc.tag == f"{{{HELD}}}error",
          f"expected a HELD error, got {doc.tag}")
    msg = doc.find("held:message", NS)
    check(msg is not None and msg.text, "error without a message")
    return doc.get("code")


def geopriv(doc):
    return doc.find("pidf:presence/dm:device/gp:geopriv", NS)


def civic(doc):
    ca = geopriv(doc).find("gp:location-info/ca:civicAddress", NS)
    if ca is None:
        return {}
    return {c.tag.split("}")[1]: c.text for c in ca}


def last_log():
    with open(ctx["sim"].log) as f:
        lines = f.read().splitlines()
    check(lines, "the log is empty")
    return json.loads(lines[-1])


def located(body, line, method="Wiremap"):
    """Request body must be answered from wiremap line `line`."""
    doc = held(body)
    check(doc.tag == f"{{{HELD}}}locationResponse",
          f"no locationResponse: {ET.tostring(doc)[:300]!r}")
    entry = last_log()
    rule = entry["rule"] or {}
    check(rule.get("line") == line,
          f"matched {rule} instead of line {line}")
    got = geopriv(doc).findtext("gp:method", namespaces=NS)
    check(got == method, f"method {got}, expected {method}")
    return doc, entry


# ---------------------------------------------------------------- tests


def test_each_kind():
    cases = [
        # (what, request, wiremap line, method, a civic element to check)
        ("bssid", held_request(bssid=[AP]), L_BSSID, "802.11",
         ("ROOM", "3105, east wing")),
        ("chassis+port", held_request(lldp=[(CHASSIS, PORT)]),
         L_CHASSIS_PORT, "Wiremap", ("ROOM", "201")),
        ("chassis, other port", held_request(lldp=[(CHASSIS, OTHER_PORT)]),
         L_CHASSIS, "Wiremap", ("LOC", 'lobby, "north" door')),
        ("chassis, text subtype",
         held_request(lldp=[((7, b"sw-7".hex()), (5, "78"))]),
         L_CHASSIS_TEXT, "Wiremap", ("A3", "Kirkland")),
        ("subnet /24", held_request(ip=[(4, "10.1.2.3")]), L_NET24,
         "Wiremap", ("FLR", "4")),
        ("subnet /16", held_request(ip=[(4, "10.1.9.9")]), L_NET16,
         "Wiremap", ("A3", "Tacoma")),
        ("subnet of the HTTP peer", held_request(), L_LOOPBACK, "Wiremap",
         ("A3", "Seattle")),
        ("IPv6 subnet", held_request(ip=[(6, "2001:db8::5")]), L_NET6,
         "Wiremap", None),
        ("mac (device ip unmapped)",
         held_request(ip=[(4, "192.0.2.7")], mac=[MAC]), L_MAC, "Wiremap",
         ("A3", "Bellevue")),
    ]
    for what, body, line, method, element in cases:
        try:
            doc, _ = located(body, line, method)
            if element:
                name, value = element
                got = civic(doc).get(name)
                check(got == value, f"{name} is {got!r}, not {value!r}")
        except Failure as e:
            raise Failure(f"{what}: {e}")


def test_precedence():
    both = (CHASSIS, PORT)
    cases = [
        ("bssid over everything",
         held_request(ip=[(4, "10.1.2.3")], mac=[MAC], lldp=[both],
                      bssid=[AP]), L_BSSID),
        ("chassis+port over chassis, subnet, mac",
         held_request(ip=[(4, "10.1.2.3")], mac=[MAC], lldp=[both]),
         L_CHASSIS_PORT),
        ("chassis over subnet and mac",
         held_request(ip=[(4, "10.1.2.3")], mac=[MAC],
                      lldp=[(CHASSIS, OTHER_PORT)]), L_CHASSIS),
        ("subnet over mac", held_request(ip=[(4, "10.1.2.3")], mac=[MAC]),
         L_NET24),
        ("peer subnet over mac", held_request(mac=[MAC]), L_LOOPBACK),
        ("unknown bssid skipped",
         held_request(lldp=[both], bssid=["02-99-99-99-99-99"]),
         L_CHASSIS_PORT),
        ("second ap matches", held_request(bssid=["02-99-99-99-99-99", AP]),
         L_BSSID),
    ]
    for what, body, line in cases:
        try:
            located(body, line, "802.11" if line == L_BSSID else "Wiremap")
        except Failure as e:
            raise Failure(f"{what}: {e}")


def test_response_content():
    doc, entry = located(held_request(bssid=[AP]), L_BSSID, "802.11")
    uri_set = doc.find("held:locationUriSet", NS)
    expires = datetime.strptime(uri_set.get("expires"),
                                "%Y-%m-%dT%H:%M:%SZ")
    ahead = (expires.replace(tzinfo=timezone.utc)
             - datetime.now(timezone.utc)).total_seconds()
    check(1700 < ahead <= 1801, f"location URI expires in {ahead} s")
    uris = [u.text for u in uri_set.findall("held:locationURI", NS)]
    check(len(uris) == 1 and uris[0].endswith("/loc/" + entry["loc_id"]),
          f"location URIs {uris}")

    circle = geopriv(doc).find("gp:location-info/gs:Circle", NS)
    check(circle is not None and circle.get("srsName")
          == "urn:ogc:def:crs:EPSG::4326", "no EPSG 4326 gs:Circle")
    check(circle.findtext("gml:pos", namespaces=NS) == "47.6396 -122.1284",
          "circle centre")
    check(circle.findtext("gs:radius", namespaces=NS) == "25", "radius")
    check(civic(doc) == {"country": "US", "A1": "WA", "A3": "Redmond",
                         "RD": "Microsoft", "STS": "Way", "HNO": "1",
                         "FLR": "3", "ROOM": "3105, east wing",
                         "PC": "98052"}, f"civic {civic(doc)}")
    gp = geopriv(doc)
    check(gp.findtext("gp:usage-rules/gbp:retransmission-allowed",
                      namespaces=NS) == "true", "retransmission-allowed")
    check(gp.findtext("gp:provided-by/sim:provider/sim:name",
                      namespaces=NS) == "locphone-lis-sim", "provided-by")
    device = doc.find("pidf:presence/dm:device", NS)
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                       device.findtext("dm:timestamp", namespaces=NS)
                       or ""), "dm:timestamp")
    check(device.findtext("dm:deviceID", namespaces=NS), "dm:deviceID")

    # the ELIN of line 4 comes in the simulator's provided-by element
    doc, _ = located(held_request(lldp=[(CHASSIS, PORT)]), L_CHASSIS_PORT)
    check(geopriv(doc).findtext("gp:provided-by/sim:provider/sim:elin",
                                namespaces=NS) == "4255550100", "elin")

    # altitude: a 3D point in EPSG 4979, and no civic address
    doc, _ = located(held_request(ip=[(6, "2001:db8::5")]), L_NET6)
    point = geopriv(doc).find("gp:location-info/gml:Point", NS)
    check(point is not None and point.get("srsName")
          == "urn:ogc:def:crs:EPSG::4979", "no EPSG 4979 point")
    check(point.findtext("gml:pos", namespaces=NS) == "47.6 -122.3 12.5",
          "3D position")
    check(not civic(doc), "civic address where the row has none")


def test_https_and_location_uri():
    sim = ctx["sim"]
    doc = held(held_request(bssid=[AP]), url=sim.tls_url)
    uri = doc.findtext("held:locationUriSet/held:locationURI",
                       namespaces=NS)
    check(uri.startswith(sim.tls_url + "loc/"), f"location URI {uri}")
    check(last_log()["listener"] == "https", "log listener")

    status, ctype, data = http_call(uri)
    check(status == 200 and ctype == "application/pidf+xml",
          f"dereference: {status} {ctype}")
    psapcheck.check_schema(data.decode(), "pidf",
                           "the dereferenced PIDF-LO")
    pidf = ET.fromstring(data)
    check(pidf.tag == f"{{{NS['pidf']}}}presence", "not a presence")
    check(pidf.get("entity") == doc.find("pidf:presence", NS).get("entity"),
          "dereferenced a different location")
    check(last_log()["answer"] == "pidf", "log of the dereference")

    status, _, _ = http_call(sim.tls_url + "loc/0000000000000000")
    check(status == 404, f"unknown location URI: {status}")
    status, _, _ = http_call(uri, b"x", ctype="text/plain")
    check(status == 405, f"POST to a location URI: {status}")

    # a client that does not trust the test CA refuses the server
    try:
        urllib.request.urlopen(sim.tls_url, timeout=10,
                               context=ssl.create_default_context())
        raise Failure("TLS without the test CA succeeded")
    except urllib.error.URLError as e:
        check(isinstance(e.reason, ssl.SSLCertVerificationError),
              f"unexpected TLS failure {e.reason}")


def test_location_types():
    cases = [
        # (locationType, exact, line, expect)
        ("geodetic", "true", L_MAC, "cannotProvideLiType"),
        ("civic", "true", L_NET6, "cannotProvideLiType"),
        ("civic", "true", L_BSSID, {"civic"}),
        ("geodetic locationURI", "true", L_BSSID, {"geodetic", "uri"}),
        ("locationURI", "true", L_BSSID, {"uri"}),
        ("any", "true", L_BSSID, {"civic", "geodetic", "uri"}),
        ("geodetic", "false", L_MAC, {"civic", "uri"}),
    ]
    requests = {
        L_MAC: dict(ip=[(4, "192.0.2.7")], mac=[MAC]),
        L_NET6: dict(ip=[(6, "2001:db8::5")]),
        L_BSSID: dict(bssid=[AP]),
    }
    for loctype, exact, line, expect in cases:
        doc = held(held_request(loctype=loctype, exact=exact,
                                **requests[line]))
        what = f"{loctype} exact={exact} on line {line}"
        if isinstance(expect, str):
            check(error_code(doc) == expect, f"{what}: {expect} expected")
            continue
        got = set()
        if doc.find("held:locationUriSet", NS) is not None:
            got.add("uri")
        info = doc.find("pidf:presence/dm:device/gp:geopriv/"
                        "gp:location-info", NS)
        if info is not None and info.find("ca:civicAddress", NS) is not None:
            got.add("civic")
        if info is not None and (info.find("gml:Point", NS) is not None or
                                 info.find("gs:Circle", NS) is not None):
            got.add("geodetic")
        check(got == expect, f"{what}: got {got}, expected {expect}")


def test_bad_requests():
    wd = ctx["wd"]
    secret = os.path.join(wd, "secret.txt")
    with open(secret, "w") as f:
        f.write("XXE-MARKER-7f3a")
    fifo = os.path.join(wd, "never-written.fifo")
    os.mkfifo(fifo)
    ok = held_request(mac=[MAC])
    deep = ("<x:e xmlns:x='urn:x-test'>" * 40) + ("</x:e>" * 40)
    cases = [
        # (what, method, content type, body, HELD error code)
        ("GET", "GET", None, None, "requestError"),
        ("text/xml", "POST", "text/xml", ok, "requestError"),
        ("form content type", "POST", "application/x-www-form-urlencoded",
         ok, "requestError"),
        ("malformed", "POST", None, "<locationRequest xmlns='x'", "xmlError"),
        ("empty", "POST", None, "", "xmlError"),
        ("not HELD", "POST", None, "<presence xmlns='urn:ietf:params:xml:"
         "ns:pidf' entity='pres:a@b'/>", "unsupportedMessage"),
        ("locationResponse", "POST", None,
         f"<locationResponse xmlns='{HELD}'/>", "unsupportedMessage"),
        ("external entity", "POST", None,
         f'<!DOCTYPE locationRequest [<!ENTITY x SYSTEM "file://{secret}">]>'
         f'<locationRequest xmlns="{HELD}"><locationType>&x;</locationType>'
         "</locationRequest>", "xmlError"),
        ("external entity on a FIFO", "POST", None,
         f'<!DOCTYPE locationRequest [<!ENTITY x SYSTEM "file://{fifo}">]>'
         f'<locationRequest xmlns="{HELD}">&x;</locationRequest>',
         "xmlError"),
        ("external DTD on a FIFO", "POST", None,
         f'<!DOCTYPE locationRequest SYSTEM "file://{fifo}">'
         f'<locationRequest xmlns="{HELD}"/>', "xmlError"),
        ("over 64 KiB", "POST", None,
         ok.replace("</locationRequest>",
                    "<!--" + "x" * 66000 + "--></locationRequest>"),
         "requestError"),
        ("nested 40 deep", "POST", None,
         f"<locationRequest xmlns='{HELD}'>{deep}</locationRequest>",
         "xmlError"),
        ("bad mac identity", "POST", None,
         held_request(mac=["A0-12-34-56-78"]), "badIdentifier"),
        ("bad ip identity", "POST", None,
         held_request(ip=[(4, "2001:db8::1")]), "badIdentifier"),
        ("lldp without port", "POST", None,
         held_request().replace(
             "</locationRequest>",
             f"<measurements xmlns='{LM}'><lldp xmlns='{LLDP}'>"
             "<chassis type='4'>020000000001</chassis></lldp>"
             "</measurements></locationRequest>"), "xmlError"),
        ("odd hexBinary", "POST", None,
         held_request(lldp=[((4, "0200000000011"), PORT)]), "xmlError"),
        ("bad responseTime", "POST", None,
         held_request(rtime="soon"), "xmlError"),
        ("bad locationType", "POST", None,
         held_request(loctype="civic postal"), "xmlError"),
        ("nine ip identities", "POST", None,
         held_request(ip=[(4, f"10.1.2.{i}") for i in range(9)]),
         "requestError"),
        ("no match", "POST", None, held_request(ip=[(4, "192.0.2.7")]),
         "locationUnknown"),
    ]
    for what, method, ctype, body, code in cases:
        ct = ctype if ctype or body is None else "application/held+xml"
        status, rtype, data = http_call(ctx["sim"].url, body, ctype=ct,
                                        method=method)
        check(status == 200 and rtype == "application/held+xml",
              f"{what}: HTTP {status} {rtype}")
        psapcheck.check_schema(data.decode(), "held-response",
                               f"{what}: the error document")
        got = error_code(ET.fromstring(data))
        check(got == code, f"{what}: {got}, expected {code}")
        entry = last_log()
        check(entry["answer"] == "error" and entry["code"] == code,
              f"{what}: logged {entry['answer']} {entry['code']}")
        check(b"XXE-MARKER" not in data, f"{what}: the entity was read")
    with open(ctx["sim"].log) as f:
        check("XXE-MARKER" not in f.read(), "the entity reached the log")


def test_log():
    body = held_request(ip=[(4, "10.1.2.3")], mac=[MAC],
                        uri=["sip:alice@example.com"],
                        lldp=[(CHASSIS, PORT)], bssid=[AP],
                        rtime="250")
    doc = held(body, url=ctx["sim"].url + "held/log-test")
    e = last_log()
    uri = doc.findtext("held:locationUriSet/held:locationURI",
                       namespaces=NS)
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]),
          f"time {e['time']}")
    expect = {
        "listener": "http", "method": "POST", "path": "/held/log-test",
        "mode": "normal", "answer": "locationResponse", "code": None,
        "status": 200, "delay_ms": 0,
        "rule": {"kind": "bssid", "key": "00:11:22:33:44:55",
                 "line": L_BSSID},
        "request": {
            "responseTime": 250, "locationType": "any", "exact": False,
            "device": {"ip": ["10.1.2.3"], "mac": ["a0:12:34:56:78:90"],
                       "uri": ["sip:alice@example.com"]},
            "lldp": [{"chassis": {"type": 4, "hex": "020000000001"},
                      "port": {"type": 5, "hex": PORT[1]}}],
            "wifi": ["00:11:22:33:44:55"],
        },
    }
    for key, value in expect.items():
        check(e[key] == value, f"log {key}: {e[key]!r}, expected {value!r}")
    check(re.fullmatch(r"127\.0\.0\.1:\d+", e["peer"]), f"peer {e['peer']}")
    check(uri.endswith("/loc/" + e["loc_id"]), "loc_id is the URI's")

    held("<broken", url=ctx["sim"].url)
    e = last_log()
    check(e["request"] is None and e["rule"] is None and
          e["code"] == "xmlError", f"log of a broken request: {e}")
    with open(ctx["sim"].log) as f:
        for n, line in enumerate(f, 1):
            try:
                json.loads(line)
            except ValueError:
                raise Failure(f"log line {n} is not JSON: {line!r}")


def test_modes():
    sim = ctx["sim"]
    body = held_request(bssid=[AP])

    sim.set_mode("locationUnknown")
    check(error_code(held(body)) == "locationUnknown", "locationUnknown")
    sim.set_mode("notLocatable")
    check(error_code(held(body)) == "notLocatable", "notLocatable")

    sim.set_mode("http500")
    status, _, _ = http_call(sim.url, body)
    check(status == 500, f"http500 mode answered {status}")
    check(last_log()["answer"] == "http500", "http500 logged")

    sim.set_mode("http503")
    status, _, _ = http_call(sim.url, body)
    check(status == 503, f"http503 mode answered {status}")
    check(last_log()["answer"] == "http503", "http503 logged")

    sim.set_mode("garbage")
    status, ctype, data = http_call(sim.url, body)
    check(status == 200 and ctype == "application/held+xml",
          f"garbage: {status} {ctype}")
    try:
        ET.fromstring(data)
        raise Failure("garbage mode sent XML")
    except ET.ParseError:
        pass

    sim.set_mode("truncated")
    for url in (sim.url, sim.tls_url):
        try:
            http_call(url, body)
            raise Failure(f"truncated answer read whole from {url}")
        except (http.client.IncompleteRead, ssl.SSLError):
            pass
    check(last_log()["answer"] == "truncated", "truncated logged")

    sim.set_mode("slow:400")
    watch = Stopwatch()
    doc = held(body)
    watch.check_within(10, "slow:400 answer", at_least=0.4)
    check(doc.tag == f"{{{HELD}}}locationResponse", "slow answer content")
    check(last_log()["delay_ms"] == 400, "delay logged")

    # the primary LIS going away mid-run, and coming back on its ports
    sim.set_mode("refuse")
    for url in (sim.url, sim.tls_url):
        try:
            http_call(url, body)
            raise Failure(f"refuse mode accepted a connection on {url}")
        except urllib.error.URLError as e:
            check(isinstance(e.reason, ConnectionRefusedError),
                  f"refuse: {e.reason!r}")
    sim.set_mode("normal")
    check(held(body).tag == f"{{{HELD}}}locationResponse", "back to normal")
    check(held(body, url=sim.tls_url).tag == f"{{{HELD}}}locationResponse",
          "HTTPS back to normal")

    status, _, data = http_call(sim.control, method="GET")
    check(status == 200 and data == b"mode normal\n", f"GET /control {data}")
    for bad in ("slow", "slow:x", "slow:9999999", "sideways", "normal:1"):
        status, _, _ = http_call(sim.control, bad, ctype="text/plain")
        check(status == 400, f"mode {bad!r} accepted ({status})")


def test_start_refusing():
    sim = LisSim(ctx["wd"], ctx["wiremap"], name="refusing", mode="refuse")
    try:
        try:
            http_call(sim.url, held_request())
            raise Failure("--mode refuse accepted a connection")
        except urllib.error.URLError as e:
            check(isinstance(e.reason, ConnectionRefusedError),
                  f"refuse: {e.reason!r}")
        sim.set_mode("normal")
        doc = held(held_request(), url=sim.url)
        check(doc.tag == f"{{{HELD}}}locationResponse", "after refuse")
    finally:
        sim.stop()


def test_bad_wiremap():
    head = "kind,key,country,A3,lat,lon,radius,elin\n"
    cases = [
        # (what, file, line, words in the message)
        ("unknown column", "kind,key,colour\n", 1, "unknown column"),
        ("no key column", "kind,country\n", 1, "kind and key"),
        ("unknown kind", head + "bssid,00:11:22:33:44:55,US,X,,,,\n"
         "vlan,7,US,X,,,,\n", 3, "unknown kind"),
        ("bad bssid", head + "\n# note\nbssid,00:11:22:33:44,US,X,,,,\n", 4,
         "bad bssid key"),
        ("duplicate", head + "mac,a0:12:34:56:78:90,US,X,,,,\n"
         "mac,A0-12-34-56-78-90,US,Y,,,,\n", 3, "first on line 2"),
        ("host bits", head + "subnet,10.1.2.3/16,US,X,,,,\n", 2,
         "bad subnet key"),
        ("lat without lon", head + "mac,a0:12:34:56:78:90,US,X,47,,,\n", 2,
         "lon"),
        ("lat out of range", head + "mac,a0:12:34:56:78:90,,,91,0,,\n", 2,
         "lat"),
        ("no location", head + "mac,a0:12:34:56:78:90,,,,,,\n", 2,
         "no location"),
        ("field count", head + "mac,a0:12:34:56:78:90,US\n", 2, "fields"),
        ("bad elin", head + "mac,a0:12:34:56:78:90,US,X,,,,12ab\n", 2,
         "elin"),
        ("bad chassis subtype", head + "chassis,9:0x01,US,X,,,,\n", 2,
         "bad chassis key"),
        ("open quote", head + 'mac,a0:12:34:56:78:90,US,"X,,,,\n', 2,
         "quote"),
    ]
    for what, text, line, words in cases:
        path = os.path.join(ctx["wd"], "bad.csv")
        ready = os.path.join(ctx["wd"], "bad.ready")
        with open(path, "w") as f:
            f.write(text)
        res = subprocess.run([LIS_SIM, "--listen", "127.0.0.1:0",
                              "--wiremap", path, "--ready-file", ready],
                             capture_output=True, text=True, timeout=30)
        check(res.returncode == 1, f"{what}: exit {res.returncode}")
        check(f"{path}:{line}: " in res.stderr and words in res.stderr,
              f"{what}: stderr {res.stderr!r}, expected line {line} "
              f"and {words!r}")
        check(not os.path.exists(ready), f"{what}: ready file written")


def main():
    need("openssl")
    check(os.path.exists(LIS_SIM), f"{LIS_SIM} is not built")
    with Workdir() as wd:
        ctx["wd"] = wd
        ca, cert = make_test_ca(wd)
        ctx["tls"] = ssl.create_default_context(cafile=ca)
        ctx["wiremap"] = os.path.join(wd, "wiremap.csv")
        with open(ctx["wiremap"], "w") as f:
            f.write(WIREMAP)
        ctx["sim"] = LisSim(wd, ctx["wiremap"], cert=cert)
        try:
            rc = run([test_each_kind, test_precedence, test_response_content,
                      test_https_and_location_uri, test_location_types,
                      test_bad_requests, test_log, test_modes,
                      test_start_refusing, test_bad_wiremap])
        finally:
            try:
                ctx["sim"].stop()
            except Failure as e:
                print(f"FAIL - simulator shutdown: {e}")
                rc = 1
        if rc:
            raise Failure("see above")
    return 0


if __name__ == "__main__":
    exit_with(main)
