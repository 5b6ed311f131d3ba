"""The site file (SITE.md): YAML read with python3-yaml, every key and type
checked, every error naming FILE:LINE and the key."""

import ipaddress
import re

import yaml

VERSION = 1

CIVIC_KEYS = ("country", "A1", "A2", "A3", "A4", "A5", "A6", "PRD", "POD",
              "STS", "HNO", "HNS", "LMK", "LOC", "NAM", "PC", "BLD", "UNIT",
              "FLR", "ROOM", "PLC", "PCN", "POBOX", "ADDCODE", "SEAT", "RD",
              "RDSEC", "RDBR", "RDSUBBR", "PRM", "POM")
FAULTS = ("pass", "strip-pidf", "strip-geolocation", "sdp-only")
LIS_MODES = ("normal", "refuse", "http500", "http503", "locationUnknown",
             "notLocatable", "garbage", "truncated")
NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,7}$")


class SiteError(Exception):
    """Every problem found, one "FILE:LINE: key: why" per line."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


class Node:
    """A value of the site file with where it was written."""

    def __init__(self, value, line, path):
        self.value = value
        self.line = line
        self.path = path


def _plain(node, path, construct):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = construct(k) if isinstance(k, yaml.ScalarNode) else None
            key = str(key)
            out[key] = _plain(v, f"{path}.{key}" if path else key, construct)
            out[key].key_line = k.start_mark.line + 1
        return Node(out, line, path)
    if isinstance(node, yaml.SequenceNode):
        return Node([_plain(v, f"{path}[{i}]", construct)
                     for i, v in enumerate(node.value)], line, path)
    return Node(construct(node), line, path)


class Checker:
    def __init__(self, filename):
        self.filename = filename
        self.problems = []

    def bad(self, node, why):
        self.problems.append(f"{self.filename}:{node.line}: "
                             f"{node.path or '(top)'}: {why}")

    def mapping(self, node, required=(), optional=()):
        """node's keys: all of required, any of optional, nothing else."""
        if not isinstance(node.value, dict):
            self.bad(node, f"must be a mapping (key: value lines), not "
                     f"{_kind(node.value)}")
            return None
        for key, child in node.value.items():
            if key not in required and key not in optional:
                known = ", ".join(sorted(set(required) | set(optional)))
                self.bad(child, f"unknown key '{key}' (known: {known})")
        for key in required:
            if key not in node.value:
                self.bad(node, f"'{key}' is required")
        return node.value

    def seq(self, node):
        if not isinstance(node.value, list):
            self.bad(node, f"must be a list (- item lines), not "
                     f"{_kind(node.value)}")
            return []
        return node.value

    def text(self, node, pattern=None, why=None, choices=None):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            self.bad(node, f"must be text, not {_kind(v)}")
            return None
        v = str(v)
        if choices and v not in choices:
            self.bad(node, f"'{v}' is not one of {', '.join(choices)}")
            return None
        if pattern and not re.fullmatch(pattern, v):
            self.bad(node, f"'{v}': {why}")
            return None
        return v

    def number(self, node, lo=None, hi=None, integer=False):
        v = node.value
        ok = isinstance(v, int) if integer else isinstance(v, (int, float))
        if isinstance(v, bool) or not ok:
            self.bad(node, f"must be {'a whole number' if integer else 'a number'}"
                     f", not {_kind(v)}")
            return None
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.bad(node, f"{v} is out of range {lo}..{hi}")
            return None
        return v

    def boolean(self, node):
        if not isinstance(node.value, bool):
            self.bad(node, f"must be true or false, not {_kind(node.value)}")
            return None
        return node.value


def _kind(v):
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return f"true/false ({v})"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, (int, float)):
        return f"a number ({v})"
    return f"text ('{v}')"


def _civic(c, node):
    m = c.mapping(node, optional=CIVIC_KEYS)
    if m is None:
        return None
    out = {}
    for k, v in m.items():
        if k in CIVIC_KEYS:
            t = c.text(v)
            if t is not None:
                out[k] = t
    if "country" in out and not re.fullmatch(r"[A-Z]{2}", out["country"]):
        c.bad(m["country"], f"'{out['country']}' is not two capital letters "
              "(ISO 3166 alpha-2)")
    if not out:
        c.bad(node, "an address needs at least one element")
    return out


def _coords(c, node):
    m = c.mapping(node, required=("latitude", "longitude"),
                  optional=("altitude",))
    if m is None:
        return None
    out = {}
    if "latitude" in m:
        out["latitude"] = c.number(m["latitude"], -90, 90)
    if "longitude" in m:
        out["longitude"] = c.number(m["longitude"], -180, 180)
    if "altitude" in m:
        out["altitude"] = c.number(m["altitude"], -1000, 100000)
    return out


def _location(c, m, prefix=""):
    """civic / coordinates / elin keys of a port, a wiremap row or an
    expectation."""
    loc = {}
    if prefix + "civic" in m:
        loc["civic"] = _civic(c, m[prefix + "civic"])
    if prefix + "coordinates" in m:
        loc["coordinates"] = _coords(c, m[prefix + "coordinates"])
    if prefix + "elin" in m:
        loc["elin"] = c.text(m[prefix + "elin"], r"[0-9]{10,25}",
                             "an ELIN is 10 to 25 digits")
    return loc


def _name(c, node, seen, what):
    n = c.text(node, r"[a-z][a-z0-9]{0,7}",
               f"a {what} name is 1 to 8 lower-case letters or digits, "
               "starting with a letter (it names interfaces)")
    if n is not None:
        if n in seen:
            c.bad(node, f"{what} '{n}' is defined twice")
        seen.add(n)
    return n


POLICY_KEYS = ("location_required", "disclaimer_text", "dial_strings",
               "dial_masks", "test_dial_strings", "remember_locations",
               "failover_timeout_ms", "signalling_profile", "elin_identity",
               "send_location_uri", "location_for_emergency_only",
               "e911_enabled")


def _policy(c, node):
    m = c.mapping(node, optional=POLICY_KEYS)
    if m is None:
        return {}
    out = {}
    for k, v in m.items():
        if k not in POLICY_KEYS:
            continue
        if isinstance(v.value, bool):
            out[k] = "yes" if v.value else "no"
        else:
            t = c.text(v)
            if t is not None:
                if "\n" in t:
                    c.bad(v, "must be one line")
                out[k] = t
    if out.get("location_required") not in (None, "no", "yes", "disclaimer"):
        c.bad(m["location_required"], "must be no, yes or disclaimer")
    return out


def parse(text, filename):
    """The site as plain Python values (SITE.md), or SiteError."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        why = getattr(e, "problem", None) or str(e)
        raise SiteError([f"{filename}:{line}: not valid YAML: {why}"])
    if root is None:
        raise SiteError([f"{filename}:1: the file is empty"])
    constructor = yaml.SafeLoader("")
    tree = _plain(root, "", constructor.construct_object)
    c = Checker(filename)
    site = check_site(c, tree)
    if c.problems:
        raise SiteError(c.problems)
    return site


def load(filename):
    try:
        with open(filename, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise SiteError([f"{filename}: cannot be read: {e}"])
    return parse(text, filename)


def check_site(c, tree):
    top = c.mapping(tree, required=("version", "site", "subnets", "phones",
                                    "scenarios", "call_path"),
                    optional=("switches", "wifi", "lis", "description"))
    if top is None:
        return None
    site = {"switches": [], "wifi": [], "subnets": [], "phones": [],
            "scenarios": [], "lis": None}
    if "version" in top:
        v = top["version"]
        if v.value != VERSION or isinstance(v.value, bool):
            c.bad(v, f"this harness reads version {VERSION}, the file says "
                  f"{v.value!r}")
    if "site" in top:
        site["name"] = c.text(top["site"])
    if "description" in top:
        site["description"] = c.text(top["description"])

    subnet_names = set()
    for s in c.seq(top.get("subnets", Node([], 0, "subnets"))):
        m = c.mapping(s, required=("name", "cidr"), optional=("office",))
        if m is None:
            continue
        sub = {"name": _name(c, m["name"], subnet_names, "subnet")
               if "name" in m else None, "office": True, "line": s.line}
        if "cidr" in m:
            t = c.text(m["cidr"])
            try:
                net = ipaddress.IPv4Network(t or "")
                if net.prefixlen > 28:
                    c.bad(m["cidr"], f"{t}: at most /28 (room for phones)")
                sub["cidr"] = net
            except ValueError as e:
                c.bad(m["cidr"], f"not an IPv4 network: {e}")
        if "office" in m:
            sub["office"] = c.boolean(m["office"])
        site["subnets"].append(sub)

    ports = {}
    switch_names = set()
    for s in c.seq(top["switches"]) if "switches" in top else []:
        m = c.mapping(s, required=("name", "subnet", "ports"))
        if m is None:
            continue
        sw = {"name": _name(c, m["name"], switch_names, "switch")
              if "name" in m else None, "ports": [], "line": s.line}
        if "subnet" in m:
            sw["subnet"] = c.text(m["subnet"])
            if sw["subnet"] is not None and sw["subnet"] not in subnet_names:
                c.bad(m["subnet"], f"no subnet named '{sw['subnet']}'")
        port_names = set()
        for p in c.seq(m["ports"]) if "ports" in m else []:
            pm = c.mapping(p, required=("name",),
                           optional=("civic", "coordinates", "elin",
                                     "lis_civic", "lis_coordinates",
                                     "lis_elin"))
            if pm is None:
                continue
            port = {"name": _name(c, pm["name"], port_names, "port")
                    if "name" in pm else None, "switch": sw["name"],
                    "lldp": _location(c, pm), "lis": _location(c, pm, "lis_"),
                    "line": p.line}
            if len(port["lldp"]) > 1:
                c.bad(p, "a port sends one LLDP-MED location: civic, "
                      "coordinates or elin")
            sw["ports"].append(port)
            ports[f"{sw['name']}/{port['name']}"] = port
        site["switches"].append(sw)

    for w in c.seq(top["wifi"]) if "wifi" in top else []:
        m = c.mapping(w, required=("name", "ssid"),
                      optional=("bssid", "civic", "coordinates"))
        if m is not None:
            site["wifi"].append({"name": c.text(m["name"]) if "name" in m
                                 else None, "line": w.line})

    if "lis" in top:
        m = c.mapping(top["lis"], optional=("simulator", "url", "ca"))
        if m is not None:
            if ("simulator" in m) == ("url" in m):
                c.bad(top["lis"], "give either 'simulator: true' or 'url' "
                      "(with 'ca') of the site's real LIS")
            lis = {"simulator": False, "line": top["lis"].line}
            if "simulator" in m:
                lis["simulator"] = c.boolean(m["simulator"])
            if "url" in m:
                lis["url"] = c.text(m["url"], r"https?://\S+",
                                    "must be an http:// or https:// URL")
            if "ca" in m:
                lis["ca"] = c.text(m["ca"])
            site["lis"] = lis

    cp = c.mapping(top["call_path"], required=("psap",),
                   optional=("secondary_psap", "sbc", "registrar"))\
        if "call_path" in top else None
    site["call_path"] = {"sbc": None, "secondary": False}
    if cp is not None:
        pm = c.mapping(cp["psap"], optional=("answer", "name"))
        if pm is not None and "answer" in pm:
            site["call_path"]["answer"] = c.number(pm["answer"], 200, 699,
                                                   integer=True)
        if "secondary_psap" in cp:
            site["call_path"]["secondary"] = c.boolean(cp["secondary_psap"])
        if "sbc" in cp:
            sm = c.mapping(cp["sbc"], optional=("fault",))
            if sm is not None:
                site["call_path"]["sbc"] = {
                    "fault": c.text(sm["fault"], choices=FAULTS)
                    if "fault" in sm else "pass"}
        if "registrar" in cp:
            site["call_path"]["registrar"] = c.text(
                cp["registrar"], choices=("none",))

    phone_names = set()
    for p in c.seq(top["phones"]) if "phones" in top else []:
        m = c.mapping(p, required=("name",),
                      optional=("port", "subnet", "wifi", "policy", "count",
                                "vpn", "user"))
        if m is None:
            continue
        ph = {"name": _name(c, m["name"], phone_names, "phone")
              if "name" in m else None, "policy": {}, "count": 1,
              "vpn": False, "line": p.line}
        where = [k for k in ("port", "subnet", "wifi") if k in m]
        if len(where) != 1:
            c.bad(p, "a phone is on exactly one of: port (SWITCH/PORT), "
                  "subnet (a network without a switch), wifi (an area)")
        if "port" in m:
            ph["port"] = c.text(m["port"])
            if ph["port"] is not None and ph["port"] not in ports:
                c.bad(m["port"], f"no port '{ph['port']}' (ports are "
                      f"SWITCH/PORT: {', '.join(sorted(ports)) or 'none'})")
        if "subnet" in m:
            ph["subnet"] = c.text(m["subnet"])
            if ph["subnet"] is not None and ph["subnet"] not in subnet_names:
                c.bad(m["subnet"], f"no subnet named '{ph['subnet']}'")
        if "wifi" in m:
            ph["wifi"] = c.text(m["wifi"])
        if "policy" in m:
            ph["policy"] = _policy(c, m["policy"])
        if "count" in m:
            ph["count"] = c.number(m["count"], 1, 200, integer=True)
        if "vpn" in m:
            ph["vpn"] = c.boolean(m["vpn"])
        if "user" in m:
            ph["user"] = c.text(m["user"], r"[a-z0-9._-]{1,32}",
                                "a SIP user part: letters, digits, . _ -")
        site["phones"].append(ph)

    scen_names = set()
    for s in c.seq(top["scenarios"]) if "scenarios" in top else []:
        m = c.mapping(s, required=("name", "phone", "expect"),
                      optional=("dial", "move_to", "lis_mode", "primary",
                                "sbc_fault", "enter", "saved", "disclaimer",
                                "test_call", "description"))
        if m is None:
            continue
        sc = {"line": s.line, "dial": "911"}
        if "name" in m:
            sc["name"] = c.text(m["name"], r"[a-z0-9][a-z0-9-]{0,40}",
                                "a scenario name is lower-case letters, "
                                "digits and -")
            if sc["name"] in scen_names:
                c.bad(m["name"], f"scenario '{sc['name']}' is defined twice")
            scen_names.add(sc["name"])
        if "phone" in m:
            sc["phone"] = c.text(m["phone"])
            if sc["phone"] is not None and sc["phone"] not in phone_names:
                c.bad(m["phone"], f"no phone named '{sc['phone']}'")
        if "description" in m:
            sc["description"] = c.text(m["description"])
        if "dial" in m:
            sc["dial"] = c.text(m["dial"], r"[0-9*#+]{1,16}",
                                "dial digits")
        if "move_to" in m:
            sc["move_to"] = c.text(m["move_to"])
            if sc["move_to"] is not None and sc["move_to"] not in ports:
                c.bad(m["move_to"], f"no port '{sc['move_to']}'")
        if "lis_mode" in m:
            sc["lis_mode"] = c.text(m["lis_mode"], choices=LIS_MODES)
        if "primary" in m:
            sc["primary"] = c.text(m["primary"], choices=("up", "down"))
        if "sbc_fault" in m:
            sc["sbc_fault"] = c.text(m["sbc_fault"], choices=FAULTS)
        if "enter" in m:
            sc["enter"] = _civic(c, m["enter"])
        if "saved" in m:
            sc["saved"] = c.boolean(m["saved"])
        if "disclaimer" in m:
            sc["disclaimer"] = c.boolean(m["disclaimer"])
        if "test_call" in m:
            sc["test_call"] = c.boolean(m["test_call"])
        em = c.mapping(m["expect"], optional=("civic", "coordinates",
                                              "location", "source",
                                              "removed_at_sbc"))\
            if "expect" in m else None
        if em is not None:
            exp = _location(c, em)
            if "location" in em:
                exp["location"] = c.boolean(em["location"])
                if exp["location"] is False and len(exp) > 1:
                    c.bad(em["location"], "location: false expects no "
                          "location: give no civic/coordinates with it")
            if "removed_at_sbc" in em:
                exp["removed_at_sbc"] = c.boolean(em["removed_at_sbc"])
                path = top["call_path"].value if "call_path" in top else {}
                if exp["removed_at_sbc"] and "sbc_fault" not in m and \
                        "sbc" not in (path if isinstance(path, dict) else {}):
                    c.bad(em["removed_at_sbc"], "the location can only be "
                          "removed at an SBC: give sbc_fault or a call_path "
                          "sbc")
            if "source" in em:
                exp["source"] = c.text(em["source"], choices=(
                    "lis", "lldp-med", "manual", "none"))
            if not exp:
                c.bad(m["expect"], "say what the PSAP must receive: civic, "
                      "coordinates, or location: false")
            sc["expect"] = exp
        site["scenarios"].append(sc)
    if "scenarios" in top and not site["scenarios"] and not c.problems:
        c.bad(top["scenarios"], "a site needs at least one scenario")
    return site
