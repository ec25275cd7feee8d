#!/usr/bin/env python3
"""faulty_member.py - a faulty group member for `make bench` (bench/outlier.sh, issue 15).

    faulty_member.py MODE [UPSTREAM_PORT]

Listens on 127.0.0.1 (an ephemeral port, printed as "faulty listening on 127.0.0.1:PORT"
once ready) and serves frames of the host protocol (2-byte big-endian length, then the
message; header length 0) in front of a real evsm on 127.0.0.1:UPSTREAM_PORT:

  wrong      NC is forwarded to the evsm (so the DMK check passes); every other command is
             answered at once with a wrong reply code ("ZZ00")
  slow       every request is forwarded and its reply held back 1.5 s (SLOW_MS to change)
  blackhole  accepts and reads, never replies (no upstream needed)

One thread per client connection, requests on a connection answered in order. Stops on
SIGTERM / SIGINT. Loopback only; nothing is logged about the messages.
"""
import os
import signal
import socket
import sys
import threading
import time


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def read_frame(sock):
    head = read_exact(sock, 2)
    if head is None:
        return None
    body = read_exact(sock, int.from_bytes(head, "big"))
    return body


def frame(body):
    return len(body).to_bytes(2, "big") + body


def serve(conn, mode, upstream_port, slow_s):
    up = None
    try:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            req = read_frame(conn)
            if req is None:
                return
            if mode == "blackhole":
                continue
            if mode == "wrong" and req[:2] != b"NC":
                conn.sendall(frame(b"ZZ00"))
                continue
            if up is None:
                up = socket.create_connection(("127.0.0.1", upstream_port), timeout=10)
                up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            up.sendall(frame(req))
            rsp = read_frame(up)
            if rsp is None:
                return
            if mode == "slow":
                time.sleep(slow_s)
            conn.sendall(frame(rsp))
    except OSError:
        return
    finally:
        for s in (conn, up):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("wrong", "slow", "blackhole"):
        sys.exit("usage: faulty_member.py wrong|slow|blackhole [UPSTREAM_PORT]")
    mode = sys.argv[1]
    if mode != "blackhole" and len(sys.argv) != 3:
        sys.exit("faulty_member.py: %s needs UPSTREAM_PORT" % mode)
    upstream = int(sys.argv[2]) if len(sys.argv) == 3 else 0
    slow_s = int(os.environ.get("SLOW_MS", "1500")) / 1000.0
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(128)
    print("faulty listening on 127.0.0.1:%d" % ls.getsockname()[1], flush=True)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(conn, mode, upstream, slow_s), daemon=True).start()


if __name__ == "__main__":
    main()
