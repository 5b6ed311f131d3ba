"""A PSAP's reading of an emergency INVITE captured by sipp: the multipart
body (RFC 5621), Geolocation <cid:> against the part's Content-ID
(RFC 6442), the headers, and the PIDF-LO (RFC 4119 / 5491 / 5139), whose
fields must equal the location record the engine was given."""

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from lphelp import SOURCE, Failure, check, wait_for

# The published schemas and their validator, next to the source tree
# (../shared/xsd/README.md); never copied into it.
VALIDATE_XML = os.path.join(SOURCE, "..", "shared", "tools", "validate-xml")
_warned = []

NS = {
    "p": "urn:ietf:params:xml:ns:pidf",
    "dm": "urn:ietf:params:xml:ns:pidf:data-model",
    "gp": "urn:ietf:params:xml:ns:pidf:geopriv10",
    "gbp": "urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy",
    "ca": "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr",
    "gml": "http://www.opengis.net/gml",
    "gs": "http://www.opengis.net/pidflo/1.0",
}


def lis_record(**changes):
    """A location record as the location module would report it from a
    LIS (keys as location_json_encode writes them): civic and geodetic, a
    location URI and an ELIN, fresh (a stale one is refreshed); changes
    replace keys.  A new dict each call."""
    record = {
        "source": "lis",
        "civic": {"country": "US", "A1": "WA", "A3": "Redmond",
                  "RD": "163rd", "STS": "Ave", "HNO": "3910", "FLR": "2",
                  "ROOM": "2.104"},
        "geo": {"shape": "Circle", "crs": 4326, "lat": 47.640068,
                "lon": -122.129858, "radius": 30},
        "method": "Wiremap",
        "provided_by": "lis.example.com",
        "provided_by_xml": '<lis:provider xmlns:lis="urn:example:lis">'
                           '<lis:name>lis.example.com</lis:name>'
                           '</lis:provider>',
        "obtained_at": "2024-05-01T12:00:00Z",
        "expires": "2099-05-02T12:00:00Z",
        "validated": True,
        "uris": [{"uri": "https://lis.example.com/loc/7f3a",
                  "expires": None}],
        "elin": "4255550100",
    }
    record.update(changes)
    return record


class Message:
    """A SIP message as received: start line, headers (in order, names
    folded to lower case), body."""

    def __init__(self, text):
        head, sep, self.body = text.partition("\r\n\r\n")
        check(sep, "the message has a blank line after its headers")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            check(colon, f"malformed header line {line!r}")
            self.headers.append((name.strip().lower(), value.strip()))

    def all(self, name):
        return [v for n, v in self.headers if n == name]

    def get(self, name):
        values = self.all(name)
        check(len(values) <= 1, f"{name} appears {len(values)} times")
        return values[0] if values else None

    @property
    def request_uri(self):
        return self.start.split(" ")[1]

    def aor(self, name):
        m = re.search(r"<([^>]+)>", self.get(name) or "")
        check(m, f"no URI in {name}")
        return m.group(1)


def split_multipart(ctype, body):
    """RFC 2046 parts: [(headers dict, content)]."""
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    check(m, f"no boundary in {ctype}")
    delim = "--" + m.group(1)
    check(body.startswith(delim + "\r\n"), "the body starts with the "
          "boundary")
    check(body.endswith("\r\n" + delim + "--\r\n"), "closing delimiter")
    parts = []
    for chunk in body.split("\r\n" + delim)[:-1]:
        chunk = chunk.split("\r\n", 1)[1]
        head, sep, content = chunk.partition("\r\n\r\n")
        check(sep, "each part has a blank line after its headers")
        hdrs = {}
        for line in head.split("\r\n"):
            name, _, value = line.partition(":")
            hdrs[name.strip().lower()] = value.strip()
        parts.append((hdrs, content))
    return parts


def geolocation_values(msg):
    values = []
    for v in msg.all("geolocation"):
        values += re.findall(r"<([^>]+)>", v)
    return values


def check_plain(text):
    """An INVITE without any location: what ordinary calls look like."""
    msg = Message(text)
    check(not msg.all("geolocation"), "no Geolocation header")
    check(not msg.all("geolocation-routing"), "no Geolocation-Routing")
    check(msg.get("content-type") == "application/sdp",
          f"plain SDP body, not {msg.get('content-type')}")
    check("pidf" not in msg.body and "presence" not in msg.body,
          "no PIDF-LO in the body")
    return msg


def check_no_location(text, priority=True):
    """An emergency INVITE sent without location: at once, marked."""
    msg = check_plain(text)
    check((msg.get("priority") == "emergency") == priority,
          f"Priority: {msg.get('priority')}")
    return msg


def _text(el, path):
    found = el.find(path, NS)
    return found.text if found is not None else None


def _floats(s):
    return [float(x) for x in s.split()]


def check_geo(li, geo):
    """The GML shape in a location-info equals the record's."""
    shape = geo["shape"]
    ns = "gml" if shape in ("Point", "Polygon") else "gs"
    el = li.find(f"{ns}:{shape}", NS)
    check(el is not None, f"a {ns}:{shape} in location-info")
    srs = "urn:ogc:def:crs:EPSG::" + str(geo.get("crs", 4326))
    check(el.get("srsName") == srs, f"srsName {el.get('srsName')}")
    pos = _floats(_text(el, "gml:pos"))
    check(abs(pos[0] - geo["lat"]) < 1e-6 and abs(pos[1] - geo["lon"]) < 1e-6,
          f"gml:pos {pos} is latitude, longitude of the record")
    for key in ("radius", "semi_major", "semi_minor", "orientation"):
        if key in geo:
            name = {"radius": "radius", "semi_major": "semiMajorAxis",
                    "semi_minor": "semiMinorAxis",
                    "orientation": "orientation"}[key]
            v = float(_text(el, "gs:" + name))
            check(abs(v - geo[key]) < 1e-6, f"gs:{name} {v} != {geo[key]}")


def check_schema(doc, mode="pidf", what="the PIDF-LO"):
    """doc (text) is valid against the published schemas:
    ../shared/tools/validate-xml MODE exits 0.  Without the validator the
    check fails under CI=true and is only reported otherwise (the rest of
    the test still says whether the call worked)."""
    if not os.access(VALIDATE_XML, os.X_OK):
        msg = f"no schema validator at {VALIDATE_XML}"
        check(os.environ.get("CI") != "true", msg + " (CI=true)")
        if not _warned:
            print(f"NOTE: {msg}: received documents are not validated",
                  file=sys.stderr)
            _warned.append(msg)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".xml",
                                     encoding="utf-8") as f:
        f.write(doc)
        f.flush()
        r = subprocess.run([VALIDATE_XML, mode, f.name], text=True,
                           capture_output=True, timeout=60)
    check(r.returncode == 0,
          f"{what} is not valid ({mode}): "
          f"{(r.stdout + r.stderr).strip()}\n--- document:\n{doc}")


def pidf_part(text):
    """The PIDF-LO by value in an INVITE (multipart/mixed), validated
    against the schemas; None when the INVITE carries none."""
    msg = Message(text)
    ctype = msg.get("content-type") or ""
    if not ctype.startswith("multipart/"):
        return None
    for hdrs, content in split_multipart(ctype, msg.body):
        if hdrs.get("content-type") == "application/pidf+xml":
            check_schema(content, what="the INVITE's PIDF-LO")
            return content
    return None


def check_preview(eng, *expect):
    """`locphonectl --json emergency preview`: the PIDF-LO it shows is
    valid (validate-xml pidf) and holds each of the strings expect.
    Returns the PIDF-LO."""
    import json
    last = []

    def preview():
        rc, out, err = eng.cli("--json", "emergency", "preview")
        check(rc == 0, f"emergency preview: {rc} {err}")
        last[:] = [out]
        return json.loads(out).get("result", {}).get("pidf")

    # a test record (location_fixture.c) is sent again just after each
    # location.changed of the real location module's; a preview asked in
    # between sees the module's "none" for that moment
    try:
        pidf = wait_for(preview, 5, "a preview with a PIDF-LO")
    except Failure:
        pidf = None
    check(pidf, f"the preview has a PIDF-LO: {last[0] if last else ''}")
    check_schema(pidf, what="the preview's PIDF-LO")
    for words in expect:
        check(words in pidf, f"{words!r} in the preview's PIDF-LO:\n{pidf}")
    return pidf


def check_pidf(doc, record, entity, device_id=None):
    """The PIDF-LO is schema-valid and carries the record: civic and
    geodetic in dm:device elements (RFC 5491 rule 4), method,
    provided-by (only the LIS's elements: never bare text), timestamp,
    usage rules allowing retransmission (xs:boolean)."""
    check_schema(doc)
    root = ET.fromstring(doc.encode())
    check(root.tag == "{%s}presence" % NS["p"], f"root is {root.tag}")
    check(root.get("entity") == entity,
          f"entity {root.get('entity')} is the caller's AOR {entity}")
    # dm:device needs a dm:deviceID (RFC 4479): a phone that knows none
    # sends RFC 4119 tuples instead
    devices = root.findall("dm:device", NS)
    tuples = root.findall("p:tuple", NS)
    check(devices or (not device_id and tuples),
          "location in dm:device (in tuples only without a device ID)")
    ts_name = "dm:timestamp" if devices else "p:timestamp"
    civic_seen = geo_seen = False
    for dev in devices or tuples:
        check(dev.get("id") and dev.get("id")[0].isalpha(),
              "device id is an xs:ID")
        holder = dev if devices else dev.find("p:status", NS)
        gps = holder.findall("gp:geopriv", NS)
        check(len(gps) == 1, "one geopriv per device (RFC 5491 rule 1)")
        gp = gps[0]
        li = gp.find("gp:location-info", NS)
        check(li is not None, "location-info")
        ca = li.find("ca:civicAddress", NS)
        if ca is not None:
            got = {c.tag.split("}")[1]: c.text for c in ca}
            check(got == record["civic"],
                  f"civic address {got} equals the record "
                  f"{record['civic']}")
            civic_seen = True
        elif record.get("geo"):
            check_geo(li, record["geo"])
            geo_seen = True
        check(_text(gp, "gp:method") == record["method"],
              f"method {_text(gp, 'gp:method')}")
        pb = gp.find("gp:provided-by", NS)
        if record.get("provided_by_xml"):
            want = ET.fromstring(record["provided_by_xml"])
            check(pb is not None and len(pb) >= 1 and pb[0].tag == want.tag
                  and "".join(pb[0].itertext()) ==
                  "".join(want.itertext()),
                  f"provided-by carries the LIS's {want.tag} as received")
        else:
            check(pb is None, "no provided-by without the LIS's element "
                  "(text is not valid there)")
        check(_text(gp, "gp:usage-rules/gbp:retransmission-allowed")
              == "true", "retransmission allowed for the PSAP")
        check(_text(dev, ts_name) == record["obtained_at"],
              f"timestamp {_text(dev, ts_name)} is the record's "
              f"real one {record['obtained_at']}")
        if device_id:
            check(_text(dev, "dm:deviceID") == device_id, "deviceID")
    check(civic_seen == bool(record.get("civic")), "civic sent")
    check(geo_seen == bool(record.get("geo")), "geodetic sent")


def check_by_value(text, record, priority=True, request_uri=None,
                   device_id=None, route=None, to=None):
    """An INVITE with the PIDF-LO by value; its To is `to`, by default the
    Request-URI.  Returns (msg, pidf text)."""
    msg = Message(text)
    if request_uri:
        check(msg.request_uri == request_uri,
              f"Request-URI {msg.request_uri}, want {request_uri}")
        want = to or request_uri
        check(msg.aor("to") == want, f"To {msg.get('to')}, want {want}")
    if route is not None:
        check(msg.all("route") == route, f"Route {msg.all('route')}")
    check((msg.get("priority") == "emergency") == priority,
          f"Priority: {msg.get('priority')}")
    check(msg.get("geolocation-routing") == "yes", "Geolocation-Routing")
    ctype = msg.get("content-type")
    check(ctype.startswith("multipart/mixed"), f"Content-Type {ctype}")
    check(int(msg.get("content-length")) == len(msg.body.encode()),
          "Content-Length matches the body")
    parts = split_multipart(ctype, msg.body)
    check(len(parts) == 2, f"{len(parts)} body parts")
    (sdp_h, sdp), (loc_h, pidf) = parts
    check(sdp_h.get("content-type") == "application/sdp" and
          sdp.startswith("v=0"), "the SDP comes first")
    check(loc_h.get("content-type") == "application/pidf+xml",
          "the second part is a PIDF-LO")
    check(loc_h.get("content-disposition") ==
          "by-reference;handling=optional", "Content-Disposition")
    cid = loc_h.get("content-id", "")
    check(cid.startswith("<") and cid.endswith(">"), f"Content-ID {cid}")
    geo = geolocation_values(msg)
    check(geo and geo[0] == "cid:" + cid[1:-1],
          f"Geolocation {geo} points at the part {cid}")
    check_pidf(pidf, record, msg.aor("from"), device_id)
    return msg, pidf
