#!/usr/bin/python3
"""A tiny authoritative DNS server for the tests: answers NAPTR queries for
one domain with one U-NAPTR record naming a LIS (RFC 5986), and NXDOMAIN
for anything else.  Usage: naptr_server.py ADDR PORT DOMAIN LIS-URI
READY-FILE.  Runs until killed."""

import socket
import struct
import sys


def name_at(msg, off):
    labels = []
    while True:
        n = msg[off]
        if n == 0:
            return ".".join(labels).lower(), off + 1
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n


def charstr(s):
    b = s.encode()
    return bytes([len(b)]) + b


def answer(query, domain, uri):
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    name, end = name_at(query, 12)
    qtype, _ = struct.unpack("!HH", query[end:end + 4])
    question = query[12:end + 4]
    if name != domain or qtype != 35:
        return struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question
    rdata = (struct.pack("!HH", 10, 10) + charstr("U") +
             charstr("LIS:HELD") + charstr(f"!^.*$!{uri}!") + b"\0")
    rr = (struct.pack("!HHHIH", 0xc00c, 35, 1, 60, len(rdata)) + rdata)
    return struct.pack("!HHHHHH", qid, 0x8580, 1, 1, 0, 0) + question + rr


def main():
    addr, port, domain, uri, ready = sys.argv[1:6]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((addr, int(port)))
    with open(ready, "w") as f:
        f.write("ready\n")
    while True:
        query, peer = sock.recvfrom(512)
        if len(query) >= 17:
            sock.sendto(answer(query, domain.lower(), uri), peer)


if __name__ == "__main__":
    main()
