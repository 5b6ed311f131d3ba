#!/usr/bin/python3
"""A TLS front that demands a client certificate, for test_lis_auth.py.

  tls_front.py LISTEN_ADDR CERT KEY CLIENT_CA BACKEND_ADDR:PORT READY_FILE

Listens on LISTEN_ADDR (port chosen by the kernel), completes TLS only with
a client whose certificate CLIENT_CA signed (CERT_REQUIRED), then relays the
bytes to the plain-HTTP BACKEND (the LIS simulator's --listen port).  The
bound port goes to READY_FILE (written whole); each handshake's outcome
(the client's CN, or why it was refused) is printed on stdout, one line
each.  Stops on SIGTERM."""

import os
import signal
import socket
import ssl
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def linger(conn):
    """Close as a web server does: our alert sent, read what the client
    still sends until it closes, so the kernel does not answer that with
    a reset that overtakes the alert."""
    try:
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(5)
        while conn.recv(65536):
            pass
    except OSError:
        pass
    conn.close()


def serve(conn, ctx, backend):
    tls = ctx.wrap_socket(conn, server_side=True,
                          do_handshake_on_connect=False)
    try:
        tls.do_handshake()
    except (ssl.SSLError, OSError) as e:
        print(f"refused: {e}", flush=True)
        # the alert is out; the plain socket lingers (a failed
        # wrap_socket would close it at once)
        linger(socket.socket(fileno=tls.detach()))
        return
    cert = tls.getpeercert() or {}
    cn = [v for rdn in cert.get("subject", ()) for k, v in rdn
          if k == "commonName"]
    print(f"client: {cn[0] if cn else '?'}", flush=True)
    host, port = backend.rsplit(":", 1)
    try:
        back = socket.create_connection((host, int(port)), timeout=10)
    except OSError as e:
        print(f"backend: {e}", flush=True)
        tls.close()
        return
    t = threading.Thread(target=pump, args=(back, tls), daemon=True)
    t.start()
    pump(tls, back)
    t.join(10)
    tls.close()
    back.close()


def main():
    addr, cert, key, client_ca, backend, ready = sys.argv[1:7]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(client_ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, 0))
    srv.listen(16)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    with open(ready + ".tmp", "w") as f:
        f.write(f"{srv.getsockname()[1]}\n")
    os.rename(ready + ".tmp", ready)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, ctx, backend),
                         daemon=True).start()


if __name__ == "__main__":
    main()
