#!/usr/bin/python3
"""A SIP registrar over TLS for the tests (Debian's sipp is built without
TLS): Python's ssl (OpenSSL) on a TCP port, answering every REGISTER with
200 OK and any other request with 200 too.  Each request line and each
failed handshake is appended to --log, one line each.  Writes --ready
with the port once it listens; runs until SIGTERM."""

import argparse
import os
import re
import socket
import ssl
import threading


def answer(req):
    head = req.split("\r\n\r\n", 1)[0].split("\r\n")
    keep = [h for h in head[1:]
            if re.match(r"(?i)(via|from|to|call-id|cseq|contact)\s*:", h)]
    out = ["SIP/2.0 200 OK"]
    for h in keep:
        if re.match(r"(?i)to\s*:", h) and ";tag=" not in h:
            h += ";tag=tlsreg1"
        if re.match(r"(?i)contact\s*:", h) and "expires" not in h:
            h += ";expires=600"
        out.append(h)
    out += ["Content-Length: 0", "", ""]
    return "\r\n".join(out).encode()


def serve(conn, log, lock):
    buf = b""
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
            while b"\r\n\r\n" in buf:
                head, rest = buf.split(b"\r\n\r\n", 1)
                m = re.search(rb"(?i)\r\ncontent-length\s*:\s*(\d+)", head)
                n = int(m.group(1)) if m else 0
                if len(rest) < n:
                    break
                buf = rest[n:]
                text = head.decode("latin-1")
                first = text.split("\r\n", 1)[0]
                if not first.strip() or first.startswith("SIP/2.0"):
                    continue  # keep-alive CRLFs, responses
                with lock:
                    log.write(f"request {first}\n")
                    log.flush()
                conn.sendall(answer(text + "\r\n\r\n"))
    except (OSError, ssl.SSLError):
        return
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    host, port = a.listen.rsplit(":", 1)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host, int(port)))
    lsock.listen(16)
    log = open(a.log, "a")
    lock = threading.Lock()
    with open(a.ready + ".tmp", "w") as f:
        f.write(str(lsock.getsockname()[1]))
    os.rename(a.ready + ".tmp", a.ready)
    while True:
        raw, _ = lsock.accept()
        try:
            conn = ctx.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError) as e:
            with lock:
                log.write(f"handshake failed: {e}\n")
                log.flush()
            raw.close()
            continue
        threading.Thread(target=serve, args=(conn, log, lock),
                         daemon=True).start()


if __name__ == "__main__":
    main()
