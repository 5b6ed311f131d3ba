"""What a PSAP reads from an emergency INVITE: the headers, the multipart
body (RFC 5621), Geolocation's cid: against the part's Content-ID
(RFC 6442) and the PIDF-LO's civic and geodetic fields (RFC 4119, 5139,
5491).  Text from the wire is not assumed UTF-8."""

import re
import xml.etree.ElementTree as ET

NS = {
    "ca": "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr",
    "gml": "http://www.opengis.net/gml",
}


def parse(raw):
    """{request_uri, headers{name: [values]}, content_type, parts, pidf,
    checks} of one request as received (bytes or text)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    start = lines[0].split(" ")
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    ctype = (headers.get("content-type") or headers.get("c") or [""])[0]
    rec = {"request_uri": start[1] if len(start) > 1 else "",
           "headers": headers, "content_type": ctype, "parts": [],
           "pidf": None, "checks": []}
    parts = []
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if ctype.lower().startswith("multipart/") and m:
        delim = "--" + m.group(1)
        for chunk in body.split(delim)[1:]:
            if chunk.startswith("--"):
                break
            chunk = chunk[2:] if chunk.startswith("\r\n") else chunk
            phead, _, content = chunk.partition("\r\n\r\n")
            if content.endswith("\r\n"):
                content = content[:-2]
            ph = {}
            for line in phead.split("\r\n"):
                n, _, v = line.partition(":")
                ph[n.strip().lower()] = v.strip()
            parts.append((ph, content))
    elif body:
        parts.append(({"content-type": ctype}, body))
    for ph, content in parts:
        rec["parts"].append({"content_type": ph.get("content-type", ""),
                             "content_id": ph.get("content-id"),
                             "length": len(content)})
        if "pidf+xml" in ph.get("content-type", "").lower():
            rec["pidf"] = content
            rec["pidf_content_id"] = ph.get("content-id")
    geo = ",".join(headers.get("geolocation", []))
    cids = re.findall(r"<cid:([^>]+)>", geo)
    rec["geolocation"] = geo or None
    if rec["pidf"] is not None:
        cid = (rec.get("pidf_content_id") or "").strip("<>")
        rec["checks"].append({
            "check": "content-id", "ok": cid in cids,
            "why": "Geolocation points at the PIDF-LO part" if cid in cids
            else f"Geolocation ({geo or 'none'}) does not name the "
                 f"PIDF-LO part's Content-ID <{cid}>"})
    return rec


def location(pidf):
    """{civic: {...}, coordinates: {latitude, longitude}} of a PIDF-LO,
    or None when it cannot be read."""
    if not pidf:
        return None
    try:
        root = ET.fromstring(pidf.encode("utf-8", errors="replace"))
    except ET.ParseError:
        return None
    out = {}
    civ = root.find(".//ca:civicAddress", NS)
    if civ is not None:
        out["civic"] = {el.tag.split("}")[1]: (el.text or "").strip()
                        for el in civ}
    pos = root.find(".//gml:pos", NS)
    if pos is not None and pos.text:
        nums = pos.text.split()
        try:
            out["coordinates"] = {"latitude": float(nums[0]),
                                  "longitude": float(nums[1])}
        except (ValueError, IndexError):
            pass
    return out
