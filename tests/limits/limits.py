#!/usr/bin/env python3
"""The evsm connection-limits suite (issue 18): idle timeout, frame deadline, connection
cap and a junk-connection flood, on the plain host port, the TLS host port and the
management port of real `evsm` processes on 127.0.0.1 (ephemeral ports).

    limits.py EVSM_BINARY WORKDIR CERT_DIR POOLED_IDLE_BINARY

CERT_DIR holds scripts/make-test-certs.sh output (server.pem, server-key.pem).
POOLED_IDLE_BINARY: tests/limits/pooled_idle.c built against the installed libcacipher
(run with LD_LIBRARY_PATH set by run.sh).
Devices (each --test-lmk, header length 0):
  A  --idle-timeout 1 --frame-timeout 60          idle connections closed, busy ones kept
  B  --idle-timeout 60 --frame-timeout 1 --max-connections 4 --mgmt-max-connections 2
                                                  slowloris / stalled frames closed, caps
  C  --frame-timeout 1 (defaults otherwise)       a good client during a junk flood
Every wait is bounded (socket timeouts, at most a few seconds each); no assertion on speed,
only on whether evsm closed or served a connection. Last line: `limits: N passed, M failed`.
"""
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

EVSM, WORK, CERTS, POOLED_IDLE = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
HOST = "127.0.0.1"
PROCS = []
passed = failed = 0


def start(name, *flags):
    """Starts one evsm; returns {'host':port, 'tls':port, 'mgmt':port, 'log': path}."""
    out = open(os.path.join(WORK, name + ".out"), "w")
    log = os.path.join(WORK, name + ".log")
    args = [EVSM, "--test-lmk", "--port", "0", "--tls-port", "0", "--tls-cert", CERTS + "/server.pem",
            "--tls-key", CERTS + "/server-key.pem", "--mgmt-port", "0", "--log-level", "notice"] + list(flags)
    p = subprocess.Popen(args, stdout=out, stderr=open(log, "w"))
    PROCS.append(p)
    ports = {"log": log}
    for _ in range(200):
        text = open(out.name).read()
        for line in text.splitlines():
            w = line.split()
            if line.startswith("evsm listening on "):
                ports["host"] = int(w[3].rsplit(":", 1)[1])
            elif line.startswith("evsm tls listening on "):
                ports["tls"] = int(w[4].rsplit(":", 1)[1])
            elif line.startswith("evsm management on "):
                ports["mgmt"] = int(w[3].rsplit(":", 1)[1])
        if "host" in ports:
            return ports
        if p.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError("evsm %s did not start: %s" % (name, open(log).read()[-2000:]))


def stop_all():
    for p in PROCS:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in PROCS:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def connect(port, timeout=5.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


_ctx = ssl.create_default_context()
_ctx.check_hostname = False
_ctx.verify_mode = ssl.CERT_NONE


def tls_connect(port, timeout=5.0):
    return _ctx.wrap_socket(connect(port, timeout), server_hostname="127.0.0.1")


def frame(cmd):
    b = cmd.encode()
    return len(b).to_bytes(2, "big") + b


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        c = s.recv(n - len(out))
        if not c:
            return None
        out += c
    return out


def echo(s, data="ABCD"):
    """B2 on an open connection; True when evsm answered B300 + data."""
    try:
        s.sendall(frame("B2%04X%s" % (len(data), data)))
        h = recv_exact(s, 2)
        if h is None:
            return False
        body = recv_exact(s, int.from_bytes(h, "big"))
        return body == ("B300" + data).encode()
    except (OSError, ssl.SSLError):
        return False


def closed_by_server(s, within):
    """True when the peer closes s within `within` seconds (EOF or reset), False when it
    is still open then (or sent data)."""
    s.settimeout(within)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except (ConnectionResetError, ssl.SSLError, OSError):
        return True


def still_open(s, seconds):
    return not closed_by_server(s, seconds)


def test(name, fn):
    global passed, failed
    try:
        ok, why = fn()
    except Exception as e:  # a test that raises fails, with the reason
        ok, why = False, "raised %r" % (e,)
    if ok:
        passed += 1
        print("ok   - " + name)
    else:
        failed += 1
        print("FAIL - %s: %s" % (name, why))
    sys.stdout.flush()


def log_has(dev, text, wait=3.0):
    end = time.monotonic() + wait
    while time.monotonic() < end:
        if text in open(dev["log"]).read():
            return True
        time.sleep(0.1)
    return False


# ---- A: idle timeout -----------------------------------------------------------------

def t_idle_plain():
    s = connect(A["host"])
    if not echo(s):
        return False, "no reply before going idle"
    if not closed_by_server(s, 6):
        return False, "an idle connection was still open 6 s after --idle-timeout 1"
    return log_has(A, "idle (--idle-timeout)"), "no 'idle (--idle-timeout)' log line"


def t_busy_kept():
    s = connect(A["host"])
    for i in range(10):  # 3 s of traffic, a B2 every 0.3 s: never idle for 1 s
        if not echo(s):
            return False, "busy connection lost at request %d" % i
        time.sleep(0.3)
    return True, ""


def t_idle_tls():
    s = tls_connect(A["tls"])
    if not echo(s):
        return False, "no reply on the TLS port"
    return closed_by_server(s, 6), "an idle TLS connection was still open 6 s after --idle-timeout 1"


def t_idle_mgmt():
    s = tls_connect(A["mgmt"])
    return closed_by_server(s, 6), "an idle management connection was still open after 6 s"


def t_pooled_client_survives_idle_timeout():
    ini = os.path.join(WORK, "pooled-idle.ini")
    with open(ini, "w") as f:
        f.write("[LOGGER]\nlogsw=error,warn\nlogPath=%s\n\n[HOST1]\nhost=127.0.0.1\nport=%d\nlinkNum=-2\n"
                "connTimeout=2\nreadTimeout=5\n" % (WORK, A["host"]))
    r = subprocess.run([POOLED_IDLE, ini, "4", "1800"], capture_output=True, text=True, timeout=60)
    print("\n".join("     " + l for l in r.stdout.splitlines()))
    if r.returncode != 0:
        return False, "a pooled call failed or counted a failure after evsm closed its idle connection: %s" % (r.stdout + r.stderr)[-600:]
    return log_has(A, "idle (--idle-timeout)"), "evsm did not close the pooled connections (no idle line)"


def t_idle_raw_tls_before_handshake():
    s = connect(A["tls"])  # TCP only, no ClientHello: the handshake limit (min with idle) closes it
    return closed_by_server(s, 12), "a silent TCP peer on the TLS port was not closed"


# ---- B: frame deadline, caps ---------------------------------------------------------

def slowloris(s, send):
    """Announces a 100-byte frame, then sends one byte every 0.3 s (never idle) for up to
    8 s; True when evsm closed the connection before the frame was complete."""
    send(s, (100).to_bytes(2, "big") + b"B2")
    for _ in range(27):
        time.sleep(0.3)
        try:
            send(s, b"A")
        except (OSError, ssl.SSLError):
            return True
        if not still_open(s, 0.01):
            return True
    return False


def t_slowloris_plain():
    s = connect(B["host"])
    if not echo(s):
        return False, "no reply"
    if not slowloris(s, lambda s, b: s.sendall(b)):
        return False, "a slowloris frame was still open after 8 s with --frame-timeout 1"
    return log_has(B, "--frame-timeout"), "no '--frame-timeout' log line"


def t_stalled_oversize():
    s = connect(B["host"])
    s.sendall(b"\xff\xff" + b"B2" + b"x" * 100)  # announces 65535 bytes, then quiet
    return closed_by_server(s, 6), "a stalled 65535-byte frame was still open after 6 s"


def t_idle_not_frame():
    s = connect(B["host"])
    if not echo(s):
        return False, "no reply"
    if not still_open(s, 2.5):
        return False, "an idle connection between frames was closed (only --idle-timeout 60 applies)"
    return echo(s), "no reply after 2.5 s idle"


def t_slowloris_tls():
    s = tls_connect(B["tls"])
    if not echo(s):
        return False, "no reply"
    return slowloris(s, lambda s, b: s.sendall(b)), "a TLS slowloris frame was still open after 8 s"


def t_partial_mgmt():
    s = tls_connect(B["mgmt"])
    s.sendall(b"\x00\x00")  # 2 of the 4 length bytes, then quiet
    return closed_by_server(s, 6), "a partial management frame was still open after 6 s"


def cap_test(port, n, opener):
    held = [opener(port) for _ in range(n)]
    time.sleep(0.3)
    extra = opener(port, refused=True)
    refused = extra is None or closed_by_server(extra, 3)
    if not refused:
        return False, "connection %d of a cap of %d was served" % (n + 1, n)
    return True, held


def t_cap_plain():
    def opener(port, refused=False):
        return connect(port)
    ok, held = cap_test(B["host"], 4, opener)
    if not ok:
        return ok, held
    for i, s in enumerate(held):
        if not echo(s):
            return False, "held connection %d not served while at the cap" % i
    for s in held:
        s.close()
    # Room again: a new connection is served once the held ones are gone.
    for _ in range(30):
        time.sleep(0.1)
        s = connect(B["host"])
        if echo(s):
            s.close()
            return log_has(B, "host connection refused: 4 connections already open"), "no refusal log line"
        s.close()
    return False, "no connection served after the held ones closed"


def t_cap_tls():
    def opener(port, refused=False):
        if not refused:
            return tls_connect(port)
        try:
            s = tls_connect(port, timeout=3)
        except (OSError, ssl.SSLError):
            return None
        # TLS 1.3: the handshake may complete on the client before it sees the close.
        return None if not echo(s) else s
    ok, held = cap_test(B["tls"], 4, opener)
    if not ok:
        return ok, held
    for i, s in enumerate(held):
        if not echo(s):
            return False, "held TLS connection %d not served while at the cap" % i
    for s in held:
        s.close()
    return True, ""


def t_cap_mgmt():
    def opener(port, refused=False):
        if not refused:
            return tls_connect(port)
        try:
            return tls_connect(port, timeout=3)
        except (OSError, ssl.SSLError):
            return None
    ok, held = cap_test(B["mgmt"], 2, opener)
    if not ok:
        return ok, held
    for i, s in enumerate(held):
        if not still_open(s, 0.5):
            return False, "held management connection %d was closed" % i
    for s in held:
        s.close()
    return log_has(B, "management connection refused: 2 connections already open"), "no refusal log line"


# ---- C: a good client during a junk flood ---------------------------------------------

def t_flood():
    stop = threading.Event()
    junk_done = [0]

    def junk(kind):
        # Bounded: at most 1500 connections per thread (until the good client is done),
        # at most 100 held open at once per thread, each closed by us or by evsm.
        opened = []
        for i in range(1500):
            if stop.is_set():
                break
            try:
                s = connect(C["host"], timeout=3)
                if kind == 0:
                    s.sendall(os.urandom(64))
                elif kind == 1:
                    s.sendall(b"\xff\xff" + os.urandom(20))
                opened.append(s)
                if len(opened) > 100:
                    opened.pop(0).close()
                junk_done[0] += 1
            except OSError:
                pass
        for s in opened:
            s.close()

    overflows0 = listen_overflows()
    connect_max = 0.0
    threads = [threading.Thread(target=junk, args=(k % 3,)) for k in range(4)]
    for t in threads:
        t.start()
    good, bad = 0, 0
    kept = connect(C["host"])
    # The good client's run: 20 served calls while the flood runs, bounded by 30 s (a count,
    # not a rate: on a loaded machine the calls may be slow, but none may fail).
    end = time.monotonic() + 30
    while good < 20 and time.monotonic() < end:
        if echo(kept):
            good += 1
        else:
            bad += 1
        try:  # and a fresh connection each round
            tc = time.monotonic()
            f = connect(C["host"], timeout=5)
            connect_max = max(connect_max, time.monotonic() - tc)
            if echo(f):
                good += 1
            else:
                bad += 1
            f.close()
        except OSError:
            bad += 1
    stop.set()
    for t in threads:
        t.join(30)
    # Figures only (no timed assertion): the slowest fresh connect and the kernel's
    # ListenOverflows counter (all listeners of this host) during the flood.
    overflows1 = listen_overflows()
    print("     flood: %d junk connections, good client %d served, %d failed; slowest fresh connect %.1f ms; "
          "ListenOverflows +%s" % (junk_done[0], good, bad, connect_max * 1000,
                                   "?" if overflows0 is None or overflows1 is None else overflows1 - overflows0))
    return bad == 0 and good >= 20 and junk_done[0] >= 400, "good client: %d served, %d failed; %d junk" % (good, bad, junk_done[0])


def listen_overflows():
    """TcpExt ListenOverflows from /proc/net/netstat, None when not readable."""
    try:
        lines = [l.split() for l in open("/proc/net/netstat") if l.startswith("TcpExt:")]
        return int(lines[1][lines[0].index("ListenOverflows")])
    except (OSError, ValueError, IndexError):
        return None


def listen_backlog(port):
    """The backlog of the listening socket on 127.0.0.1:port (ss shows it as Send-Q)."""
    out = subprocess.run(["ss", "-ltnH", "sport = :%d" % port], capture_output=True, text=True, timeout=10).stdout
    for line in out.splitlines():
        w = line.split()
        if len(w) >= 4 and w[3].endswith(":%d" % port):
            return int(w[2])
    return None


def t_backlog():
    import shutil
    if shutil.which("ss") is None:
        return False, "ss (iproute2) is not installed: make setup installs it"
    somax = int(open("/proc/sys/net/core/somaxconn").read())
    want = {("A host", A["host"]): 1024, ("C host", C["host"]): 2048, ("C tls", C["tls"]): 2048, ("A mgmt", A["mgmt"]): 16}
    for (name, port), n in want.items():
        got = listen_backlog(port)
        if got != min(n, somax):
            return False, "%s port listens with backlog %s, expected %d" % (name, got, min(n, somax))
    return True, ""


# ---- flags -------------------------------------------------------------------------------

def t_help():
    h = subprocess.run([EVSM, "--help"], capture_output=True, text=True, timeout=30).stdout
    missing = [f for f in ["--idle-timeout", "--frame-timeout", "--max-connections", "--mgmt-max-connections", "--backlog"] if f not in h]
    return not missing, "evsm --help lacks %s" % missing


def t_bad_flags():
    for bad in [["--idle-timeout", "-1"], ["--frame-timeout", "x"], ["--max-connections", "0"], ["--backlog", "70000"]]:
        r = subprocess.run([EVSM, "--test-lmk", "--port", "0"] + bad, capture_output=True, text=True, timeout=30)
        if r.returncode == 0 or "evsm listening" in r.stdout or not r.stderr.strip():
            return False, "%s was accepted (rc %d)" % (" ".join(bad), r.returncode)
    return True, ""


def main():
    global A, B, C
    os.makedirs(WORK, exist_ok=True)
    try:
        A = start("A", "--idle-timeout", "1", "--frame-timeout", "60")
        B = start("B", "--idle-timeout", "60", "--frame-timeout", "1", "--max-connections", "4", "--mgmt-max-connections", "2")
        C = start("C", "--frame-timeout", "1", "--backlog", "2048")
    except Exception as e:
        print("FAIL - devices start: %s" % e)
        print("limits: 0 passed, 1 failed")
        stop_all()
        return 1
    tests = [
        ("plain: idle connection closed after --idle-timeout", t_idle_plain),
        ("plain: busy connection not closed by --idle-timeout", t_busy_kept),
        ("plain: a pooled libcacipher client loses no call to --idle-timeout", t_pooled_client_survives_idle_timeout),
        ("tls: idle connection closed after --idle-timeout", t_idle_tls),
        ("tls: silent TCP peer closed before the handshake", t_idle_raw_tls_before_handshake),
        ("mgmt: idle connection closed after --idle-timeout", t_idle_mgmt),
        ("plain: slowloris frame closed after --frame-timeout", t_slowloris_plain),
        ("plain: stalled 65535-byte frame closed after --frame-timeout", t_stalled_oversize),
        ("plain: idle between frames is not a frame timeout", t_idle_not_frame),
        ("tls: slowloris frame closed after --frame-timeout", t_slowloris_tls),
        ("mgmt: partial frame closed after --frame-timeout", t_partial_mgmt),
        ("plain: connection N+1 refused, the first N served", t_cap_plain),
        ("tls: connection N+1 refused, the first N served", t_cap_tls),
        ("mgmt: connection N+1 refused, the first N kept", t_cap_mgmt),
        ("plain: a good client served during a junk-connection flood", t_flood),
        ("--backlog sets the host ports' listen backlog (default 1024; management 16)", t_backlog),
        ("evsm --help lists the limit flags", t_help),
        ("evsm refuses bad limit values", t_bad_flags),
    ]
    try:
        for name, fn in tests:
            test(name, fn)
    finally:
        alive = [p for p in PROCS if p.poll() is None]
        stop_all()
    if len(alive) != len(PROCS):
        test("every device survived", lambda: (False, "a device exited during the tests"))
    print("limits: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    signal.alarm(300)  # a hang ends the suite (SIGALRM kills it; make sees the failure)
    sys.exit(main())
