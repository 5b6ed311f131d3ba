"""What netinfo must say about each frame in ../shared/lldp-captures,
worked out from tshark's dissection (expected/NAME.json) and the rules the
decoder follows, and the comparison of the two.  Used by the unit test
(tests/unit/lldp_captures.py, the decoder alone), the integration test
(tests/integration/test_lldp_captures.py, the engine over raw sockets and
through lldpd) and the decode bench."""

import ipaddress
import json
import os

# Frames tshark reads that the phone refuses, and why.  Every other
# non-malformed frame must decode as tshark says, field by field.
REFUSED_BY_DESIGN = {
    "procurve-civic-dst-nontpmr":
        "sent to 01:80:c2:00:00:03 (nearest non-TPMR bridge); LLDP-MED "
        "and the phone use the nearest-bridge address 01:80:c2:00:00:0e only",
    "extreme-minimal-4ttl":
        "four TTL TLVs (120, 1, 2, 3): how long the neighbour holds is in "
        "doubt, and a repeated mandatory TLV refuses the LLDPDU (lldpd "
        "refuses it too)",
}

# Malformed frames whose framing is sound: the bad TLV alone is dropped
# (netinfo must not show that part), everything else as tshark reads it.
# tshark stops at the bad TLV: what follows it is read here from the
# octets ("beyond"), as tshark would show it.
DROPPED_TLV = {
    "lldpd-med-loc-malformed": {
        "part": "civic",
        "why": "civic LCI length 2 (What and half a country code), "
               "4 octets follow",
        # 0a09 "defensics", 0804 "eth0", then fe07 0012bb 01 0027 03
        "beyond": {"system_name": "defensics", "port_description": "eth0",
                   "med": {"capabilities": 0x27, "device_type": 3}},
    },
}

# Malformed frames tshark reads without complaint about the parts we show
# (trailing octets after End, capability bits, stray End lengths): decoded
# and compared like the real ones.

# LLDP-MED application types (TIA-1057) and the names netinfo uses.
APP_NAMES = {1: "Voice", 2: "Voice Signaling", 3: "Guest Voice",
             4: "Guest Voice Signaling", 5: "Softphone Voice",
             6: "Video Conferencing", 7: "Streaming Video",
             8: "Video Signaling"}

# RFC 4776 CAtypes and their RFC 5139 element names.
CATYPE_NAMES = {1: "A1", 2: "A2", 3: "A3", 4: "A4", 5: "A5", 6: "A6",
                16: "PRD", 17: "POD", 18: "STS", 19: "HNO", 20: "HNS",
                21: "LMK", 22: "LOC", 23: "NAM", 24: "PC", 25: "BLD",
                26: "UNIT", 27: "FLR", 28: "ROOM", 29: "PLC", 30: "PCN",
                31: "POBOX", 32: "ADDCODE", 33: "SEAT", 34: "RD",
                35: "RDSEC", 36: "RDBR", 37: "RDSUBBR", 38: "PRM",
                39: "POM"}

ALTITUDE_TYPES = {1: "metres", 2: "floors"}
DATUMS = {1: "WGS84", 2: "NAD83/NAVD88", 3: "NAD83/MLLW"}

CIVIC_VALUE_MAX = 255


def clean_text(octets):
    """Wire text as the phone shows it: UTF-8 if it is UTF-8, else
    ISO-8859-1, control characters (NUL included) dropped."""
    try:
        text = octets.decode("utf-8")
    except UnicodeDecodeError:
        text = octets.decode("latin-1")
    return "".join(c for c in text
                   if not (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f))


def colon_hex(octets):
    return ":".join(f"{b:02x}" for b in octets)


def id_text(subtype, octets, chassis):
    """The phone's text for a chassis or port ID (lldp.h struct lldp_id)."""
    mac = subtype == (4 if chassis else 3)
    net = subtype == (5 if chassis else 4)
    if net and len(octets) == 5 and octets[0] == 1:
        return str(ipaddress.IPv4Address(octets[1:]))
    if net and len(octets) == 17 and octets[0] == 2:
        return str(ipaddress.IPv6Address(octets[1:]))
    if (not mac and not net and octets
            and all(0x20 <= b <= 0x7e for b in octets)):
        return octets.decode("ascii")
    return colon_hex(octets)


def load(capdir):
    """The manifest's frames, each with its expected/NAME.json as "tshark"."""
    with open(os.path.join(capdir, "frames.json")) as f:
        frames = json.load(f)["frames"]
    for fr in frames:
        with open(os.path.join(capdir, "expected", fr["name"] + ".json")) as f:
            fr["tshark"] = json.load(f)
        fr["path"] = os.path.join(capdir, fr["file"])
    return frames


def frame_octets(path):
    """The first frame of a classic pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") \
        else ">"
    caplen = int.from_bytes(data[32:36], "little" if order == "<" else "big")
    return data[40:40 + caplen]


def verdict(fr):
    """"decode" (compare all), "drop" (compare, less one part) or
    "refuse"."""
    if fr["name"] in REFUSED_BY_DESIGN:
        return "refuse"
    if fr["name"] in DROPPED_TLV:
        return "drop"
    if fr["kind"] != "malformed":
        return "decode"
    t = fr["tshark"]
    # tshark decodes these whole (stray octets after End at most)
    if (not t["malformed"] and t["lldp"] and t["chassis"] and t["port"]
            and t["ttl"] is not None):
        return "decode"
    return "refuse"


def _civic(t):
    c = t["civic"]
    out = {"country": bytes.fromhex(c["country"]).decode("ascii")}
    for catype, value in c["elements"]:
        name = CATYPE_NAMES.get(catype)
        if not name or name in out:
            continue  # language, script, unnamed CAtypes; first wins
        text = clean_text(bytes.fromhex(value))
        if text:
            out[name] = text
    return out


def _coordinates(t):
    c = t["coordinates"]
    out = {"latitude": c["latitude"], "longitude": c["longitude"],
           "altitude_type": ALTITUDE_TYPES.get(c["alt_type"], "none"),
           "datum": DATUMS.get(c["datum"], "unknown")}
    if c["alt_type"] in ALTITUDE_TYPES:
        out["altitude"] = c["altitude"]
    return out


def _policies(t):
    seen, out = set(), []
    for p in t["policies"]:
        if p["app"] not in APP_NAMES or p["app"] in seen:
            continue
        seen.add(p["app"])
        out.append({"application": APP_NAMES[p["app"]],
                    "unknown": bool(p["policy_flag"]),
                    "tagged": bool(p["tag_flag"]), "vlan": p["vlan_id"],
                    "priority": p["l2_prio"], "dscp": p["dscp"]})
    return sorted(out, key=lambda p: [k for k, v in APP_NAMES.items()
                                      if v == p["application"]][0])


def expected_netinfo(fr):
    """The netinfo object ("lldp" -> interface) tshark's reading implies."""
    t = fr["tshark"]
    dropped = DROPPED_TLV.get(fr["name"], {})
    drop = dropped.get("part")
    beyond = dropped.get("beyond", {})
    t = dict(t, **{k: v for k, v in beyond.items() if k == "med"})
    out = {}
    for key, tk, chassis in (("chassis_id", "chassis", True),
                             ("port_id", "port", False)):
        raw = bytes.fromhex(t[tk]["raw"])
        out[key] = {"subtype": t[tk]["subtype"],
                    "value": id_text(t[tk]["subtype"], raw, chassis)}
    for key, tk in (("system_name", "system_name"),
                    ("port_description", "port_description")):
        if t[tk]:
            text = clean_text(bytes.fromhex(t[tk]))
            if text:
                out[key] = text
    out.update({k: v for k, v in beyond.items() if k != "med"})
    out["ttl"] = t["ttl"]
    if t["med"] is not None:
        loc = {}
        if t["civic"] and drop != "civic":
            loc["civic"] = _civic(t)
        if t["coordinates"] and drop != "coordinates":
            loc["coordinates"] = _coordinates(t)
        if t["elin"] and drop != "elin":
            loc["elin"] = bytes.fromhex(t["elin"]).decode("ascii")
        out["med"] = {"capabilities": t["med"]["capabilities"],
                      "device_type": t["med"]["device_type"],
                      "policies": _policies(t), "location": loc}
    return out


def _close(a, b):
    return (isinstance(a, (int, float)) and isinstance(b, (int, float))
            and not isinstance(a, bool) and not isinstance(b, bool)
            and abs(a - b) <= 1e-6)


def differences(expected, got, path=""):
    """Where got (netinfo) differs from expected, as readable lines;
    numbers within 1e-6 are equal (coordinates are fixed point)."""
    diffs = []
    if isinstance(expected, dict) and isinstance(got, dict):
        for k in sorted(set(expected) | set(got)):
            if k not in got:
                diffs.append(f"{path}{k}: missing, expected "
                             f"{expected[k]!r}")
            elif k not in expected:
                diffs.append(f"{path}{k}: {got[k]!r} not expected")
            else:
                diffs += differences(expected[k], got[k], f"{path}{k}.")
    elif isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            diffs.append(f"{path[:-1]}: {got!r}, expected {expected!r}")
        else:
            for i, (e, g) in enumerate(zip(expected, got)):
                diffs += differences(e, g, f"{path}{i}.")
    elif expected != got and not _close(expected, got):
        diffs.append(f"{path[:-1]}: {got!r}, expected {expected!r}")
    return diffs


def check_utf8(value, path=""):
    """Every string in a decoded JSON value is valid text: no control
    characters and no lone surrogates (json.loads of invalid UTF-8 already
    failed)."""
    bad = []
    if isinstance(value, dict):
        for k, v in value.items():
            bad += check_utf8(v, f"{path}{k}.")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            bad += check_utf8(v, f"{path}{i}.")
    elif isinstance(value, str):
        if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f
               or 0xd800 <= ord(c) <= 0xdfff for c in value):
            bad.append(f"{path[:-1]}: {value!r}")
    return bad
