#!/usr/bin/env python3
"""`make soak`: a soak and chaos run (issue 18). Three `evsm --test-lmk` on 127.0.0.1 and
one client process (soak/client.c: the payment mix through libcacipher in 8 threads)
while a chaos schedule, in a seeded random order, hurts one member at a time:

  kill      SIGKILL, restarted on the same port 1-2 s later
  stop      SIGSTOP, SIGCONT 2-4 s later (a hung device: connections stay open)
  port      SIGTERM, the port stays closed 3-5 s, then restarted
  junk      the member replaced by a listener on its port answering every frame with junk
  dmk       the member restarted with another DMK (a normal-mode device initialised with
            `vsmctl init original` at setup), then back with the group's DMK
  hostile   the hostile-client mix against one member: idle connections, slowloris,
            stalled 65535-byte frames and a junk-connection flood
  fork      the client forks (workers parked), the child makes 50 calls and exits

    soak.py --evsm BIN --vsmctl BIN --client BIN --lib DIR --work DIR --results DIR
            [--seconds N] [--seed N] [--threads N]

Prints and writes RESULTS/soak-latest.md, .json and a plot (.png with matplotlib, else
.svg written here) of latency over time with the chaos events marked. Exit status 0 only
when failed == 0, wrong == 0, every fork child succeeded and the client's fds/RSS stayed
within bounds (fds: +8, RSS: +20 % or +16 MB, whichever is larger).
SOAK_SEED replays a run's schedule (the order and parameters; timing on a busy machine
differs, so it replays the faults, not every interleaving).
"""
import argparse
import json
import math
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
KINDS = ["kill", "stop", "port", "junk", "dmk", "hostile", "fork"]
STATE_NAMES = {0: "unknown", 1: "up", 2: "ejected", 3: "dmkMismatch", 4: "notInitialised"}


def log(msg):
    print("soak: " + msg, flush=True)


class Device:
    """One evsm process on a fixed port (0 at the first start: an ephemeral one)."""

    def __init__(self, name, evsm, work, port=0):
        self.name, self.evsm, self.work, self.port = name, evsm, work, port
        self.proc = None
        self.rss_max_kb = 0
        self.fds_max = 0
        self.rss_kb = []

    def start(self, extra=None, test_lmk=True):
        args = [self.evsm, "--port", str(self.port), "--bind", HOST, "--header-length", "2", "--log-level", "warning"]
        if test_lmk:
            args.append("--test-lmk")
        args += extra or []
        out = os.path.join(self.work, self.name + ".out")
        with open(out, "w"):
            pass
        self.proc = subprocess.Popen(args, stdout=open(out, "a"), stderr=open(os.path.join(self.work, self.name + ".log"), "a"))
        end = time.monotonic() + 15
        while time.monotonic() < end:
            for line in open(out).read().splitlines():
                if line.startswith("evsm listening on "):
                    self.port = int(line.split()[3].rsplit(":", 1)[1])
                    self.mgmt = None
                    for l2 in open(out).read().splitlines():
                        if l2.startswith("evsm management on "):
                            w = l2.split()
                            self.mgmt, self.fingerprint = w[3], w[5]
                    return True
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("evsm %s did not start (see %s.log)" % (self.name, self.name))

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            if sig == signal.SIGTERM:
                self.proc.send_signal(signal.SIGCONT)
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=8)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def signal(self, sig):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def sample(self):
        p = self.proc  # may be replaced by a restart meanwhile
        if not p or p.poll() is not None:
            return
        try:
            for line in open("/proc/%d/status" % p.pid):
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
                    self.rss_max_kb = max(self.rss_max_kb, kb)
                    self.rss_kb.append(kb)
            self.fds_max = max(self.fds_max, len(os.listdir("/proc/%d/fd" % p.pid)))
        except OSError:
            pass


def wait_port_closed(port, seconds=5):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            time.sleep(0.05)
        except OSError:
            return True
    return False


def nc_check_value(port):
    s = socket.create_connection((HOST, port), timeout=5)
    s.sendall(b"\x00\x04" + b"HHNC")  # header length 2: "HH"
    h = s.recv(2)
    body = b""
    while len(body) < int.from_bytes(h, "big"):
        body += s.recv(1024)
    s.close()
    # HH ND 00 + check value 16H ...
    return body[6:22].decode()


class JunkServer:
    """Listens on a member's port and answers every frame with junk (a wrong length, bad
    response code, random bytes), until stopped."""

    def __init__(self, port, rng):
        self.port, self.rng = port, rng
        self.stop_ev = threading.Event()
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((HOST, port))
        self.ls.listen(128)
        self.ls.settimeout(0.1)
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def serve(self, c):
        c.settimeout(0.5)
        n = 0
        while not self.stop_ev.is_set() and n < 10000:
            try:
                d = c.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            if not d:
                break
            n += 1
            kind = n % 3
            if kind == 0:
                c.sendall(b"\x00\x08HHXX00ZZ")
            elif kind == 1:
                c.sendall(os.urandom(12))
            else:
                c.sendall(b"\xff\xffHHND")
        c.close()

    def run(self):
        while not self.stop_ev.is_set():
            try:
                c, _ = self.ls.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def close(self):
        self.stop_ev.set()
        self.t.join(2)
        self.ls.close()


def hostile_mix(port, seconds):
    """The hostile-client mix of issue 18 against one member for `seconds`: 200 idle
    connections, 50 slowloris (a byte every 0.5 s), 50 stalled 65535-byte frames, and a
    flood of short junk connections (bounded: 3000). Returns counts."""
    end = time.monotonic() + seconds
    held = []
    counts = {"idle": 0, "slowloris": 0, "stalled": 0, "junk": 0,
              "closedByServer": {"idle": 0, "slowloris": 0, "stalled": 0}}
    for kind, n in (("idle", 200), ("slowloris", 50), ("stalled", 50)):
        for _ in range(n):
            try:
                s = socket.create_connection((HOST, port), timeout=2)
                s.setblocking(False)
                if kind == "slowloris":
                    s.send(b"\x00\x64HH")
                elif kind == "stalled":
                    s.send(b"\xff\xffHHB2")
                held.append((kind, s))
                counts[kind] += 1
            except OSError:
                pass
    flood_stop = threading.Event()

    def flood():
        for _ in range(3000):
            if flood_stop.is_set():
                break
            try:
                s = socket.create_connection((HOST, port), timeout=2)
                s.send(os.urandom(32))
                s.close()
                counts["junk"] += 1
            except OSError:
                time.sleep(0.01)

    ft = threading.Thread(target=flood)
    ft.start()
    while time.monotonic() < end:
        for kind, s in held:
            if kind == "slowloris":
                try:
                    s.send(b"A")
                except OSError:
                    pass
        time.sleep(0.5)
    flood_stop.set()
    ft.join(10)
    for kind, s in held:
        try:
            if s.recv(1) == b"":
                counts["closedByServer"][kind] += 1
        except BlockingIOError:
            pass
        except OSError:
            counts["closedByServer"][kind] += 1
        s.close()
    return counts


def percentile(hist, q):
    total = sum(hist.values())
    if total == 0:
        return None
    want = q * total
    acc = 0
    for k in sorted(hist):
        acc += hist[k]
        if acc >= want:
            return 1.08 ** (k + 0.5)  # the bin's middle (bins are 8 % wide)
    return 1.08 ** (max(hist) + 0.5)


def build_schedule(rng, seconds):
    """Rounds of the seven kinds in a shuffled order, each with a member and durations,
    as long as they fit in `seconds` after an 8 s baseline and before an 8 s tail."""
    sched, t = [], 8.0
    while True:
        kinds = KINDS[:]
        rng.shuffle(kinds)
        added = False
        for k in kinds:
            hold = {"kill": rng.uniform(1, 2), "stop": rng.uniform(2, 4), "port": rng.uniform(3, 5),
                    "junk": rng.uniform(3, 5), "dmk": rng.uniform(4, 6), "hostile": rng.uniform(7, 9),
                    "fork": 0.0}[k]
            gap = rng.uniform(5, 7)
            if t + hold + gap > seconds - 8:
                continue
            sched.append({"kind": k, "member": rng.randint(1, 3), "at": round(t, 2), "hold": round(hold, 2)})
            t += hold + gap
            added = True
        if not added:
            return sched


def prepare_other_dmk(evsm, vsmctl, work):
    """A normal-mode device state initialised with its own (random) DMK."""
    state = os.path.join(work, "other-dmk-state")
    d = Device("other-dmk-setup", evsm, work)
    d.start(extra=["--state", state, "--mgmt-port", "0"], test_lmk=False)
    env = dict(os.environ, SOAK_PINS="soak-comp-1\nsoak-comp-2\nsoak-auth-1")
    ukeys = os.path.join(work, "other-dmk-ukeys")
    os.makedirs(ukeys, exist_ok=True)
    r = subprocess.run([vsmctl, "init", "original", "--device", d.mgmt, "--pin", d.fingerprint, "--components", "2",
                        "--auth", "1-of-1", "--ukey-dir", ukeys, "--pin-env", "SOAK_PINS", "--yes"],
                       capture_output=True, text=True, env=env, timeout=120)
    cv = None
    if r.returncode == 0:
        cv = nc_check_value(d.port)
    d.stop()
    if r.returncode != 0:
        raise RuntimeError("vsmctl init original failed: " + (r.stderr or r.stdout)[-800:])
    return state, cv


def svg_plot(path, series, events, title):
    """latency over time (p99 and max per bucket, log scale) with the chaos events."""
    W, H, L, R, T, B = 1200, 420, 70, 20, 40, 60
    ts = [p[0] for p in series] or [0, 1]
    t0, t1 = 0, max(ts) or 1
    ys = [v for p in series for v in (p[1], p[2]) if v]
    lo, hi = math.log10(max(min(ys) if ys else 10, 1)), math.log10(max(ys) if ys else 1e6)
    lo, hi = math.floor(lo), math.ceil(hi) if math.ceil(hi) > math.floor(lo) else math.floor(lo) + 1

    def x(t):
        return L + (W - L - R) * (t - t0) / (t1 - t0)

    def y(v):
        return T + (H - T - B) * (1 - (math.log10(max(v, 1)) - lo) / (hi - lo))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14">%s</text>' % (L, title)]
    for e in range(lo, hi + 1):
        yy = y(10 ** e)
        label = "%g ms" % (10 ** e / 1000) if e >= 3 else "%g us" % (10 ** e)
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="5" y="%.1f">%s</text>' % (L, W - R, yy, yy, yy + 4, label))
    for s in range(0, int(t1) + 1, 10):
        out.append('<text x="%.1f" y="%d">%d s</text>' % (x(s) - 8, H - B + 15, s))
    for i, ev in enumerate(events):
        xx = x(ev["t"])
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#c33" stroke-dasharray="4 3"/>' % (xx, xx, T, H - B))
        out.append('<text x="%.1f" y="%d" fill="#c33" transform="rotate(-30 %.1f %d)">%s</text>' % (xx, H - B + 30 + (i % 2) * 12, xx, H - B + 30 + (i % 2) * 12, ev["label"]))
    for idx, color, name in ((2, "#999", "max"), (1, "#1f5fb4", "p99")):
        pts = " ".join("%.1f,%.1f" % (x(p[0]), y(p[idx])) for p in series if p[idx])
        out.append('<polyline fill="none" stroke="%s" stroke-width="1.2" points="%s"/>' % (color, pts))
    out.append('<text x="%d" y="%d" fill="#1f5fb4">p99 per 250 ms</text><text x="%d" y="%d" fill="#999">max per 250 ms</text>' % (W - 260, T + 12, W - 140, T + 12))
    out.append("</svg>")
    open(path, "w").write("\n".join(out))


def png_plot(path, series, events, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(12, 4.2))
    ax.semilogy([p[0] for p in series], [p[2] or None for p in series], color="#999", lw=0.8, label="max per 250 ms")
    ax.semilogy([p[0] for p in series], [p[1] or None for p in series], color="#1f5fb4", lw=1, label="p99 per 250 ms")
    for ev in events:
        ax.axvline(ev["t"], color="#c33", ls="--", lw=0.8)
        ax.text(ev["t"], ax.get_ylim()[1], ev["label"], rotation=60, fontsize=7, color="#c33", va="bottom")
    ax.set_xlabel("seconds")
    ax.set_ylabel("latency, microseconds")
    ax.set_title(title, fontsize=10, pad=40)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    ap = argparse.ArgumentParser()
    for a in ("evsm", "vsmctl", "client", "lib", "work", "results"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--threads", type=int, default=8)
    o = ap.parse_args()
    if o.seconds < 60:
        log("SOAK_SECONDS must be at least 60 (one round of the seven faults)")
        return 2
    seed = o.seed if o.seed is not None else random.SystemRandom().randrange(1, 2 ** 31)
    rng = random.Random(seed)
    os.makedirs(o.work, exist_ok=True)
    os.makedirs(o.results, exist_ok=True)
    log("seed %d (replay: make soak SOAK_SEED=%d SOAK_SECONDS=%g)" % (seed, seed, o.seconds))
    schedule = build_schedule(rng, o.seconds)
    log("schedule: " + ", ".join("%s t+%.0fs" % (label(e), e["at"]) for e in schedule))

    other_state, other_cv = prepare_other_dmk(o.evsm, o.vsmctl, o.work)
    log("other-DMK device state ready (check value %s)" % other_cv)
    devs = [Device("evsm%d" % i, o.evsm, o.work) for i in (1, 2, 3)]
    client = None
    events = []
    try:
        for d in devs:
            d.start()
        group_cv = nc_check_value(devs[0].port)
        ini = os.path.join(o.work, "cacipher.ini")
        with open(ini, "w") as f:
            f.write("[LOGGER]\nlogsw=error,warn,info\nlogPath=%s\n\n[GROUP]\ndmkCheckValue=%s\n" % (o.work, group_cv))
            for i, d in enumerate(devs, 1):
                f.write("\n[HOST%d]\nhost=%s\nport=%d\nlinkNum=-4\nconnTimeout=1\nreadTimeout=2\nmsgheadlength=2\n" % (i, HOST, d.port))
        log("members 127.0.0.1:%s, group DMK check value %s" % (",".join(str(d.port) for d in devs), group_cv))
        env = dict(os.environ, LD_LIBRARY_PATH=o.lib)
        client_out = open(os.path.join(o.work, "client.out"), "w")
        ready = os.path.join(o.work, "ready")
        if os.path.exists(ready):
            os.remove(ready)
        client = subprocess.Popen([o.client, ini, str(o.seconds), str(o.threads), o.work], stdout=client_out,
                                  stderr=subprocess.STDOUT, env=env)
        end = time.monotonic() + 60
        while not os.path.exists(ready) and time.monotonic() < end and client.poll() is None:
            time.sleep(0.05)
        if not os.path.exists(ready):
            raise RuntimeError("the client did not start: " + open(client_out.name).read()[-1500:])
        t0 = time.time()
        t0m = time.monotonic()
        client_rss = []

        def sample_all():
            for d in devs:
                d.sample()
            try:
                for line in open("/proc/%d/status" % client.pid):
                    if line.startswith("VmRSS:"):
                        client_rss.append((round(time.time() - t0, 1), int(line.split()[1])))
            except OSError:
                pass

        sampling = threading.Event()

        def sampler():  # every 0.5 s, also while a fault (the hostile mix) runs
            while not sampling.wait(0.5):
                sample_all()

        st = threading.Thread(target=sampler, daemon=True)
        st.start()

        def sleep_until(tm):
            while True:
                left = tm - (time.monotonic() - t0m)
                if left <= 0:
                    return
                time.sleep(min(left, 0.5))

        for ev in schedule:
            sleep_until(ev["at"])
            d = devs[ev["member"] - 1]
            rec = {"kind": ev["kind"], "member": ev["member"], "fault": time.time(), "recover": None, "note": ""}
            log("t+%.1fs %s" % (rec["fault"] - t0, label(ev)))
            k = ev["kind"]
            if k == "kill":
                d.signal(signal.SIGKILL)
                d.proc.wait()
                sleep_until(ev["at"] + ev["hold"])
                d.start()
                rec["recover"] = time.time()
            elif k == "stop":
                d.signal(signal.SIGSTOP)
                sleep_until(ev["at"] + ev["hold"])
                d.signal(signal.SIGCONT)
                rec["recover"] = time.time()
            elif k == "port":
                d.stop()
                wait_port_closed(d.port)
                sleep_until(ev["at"] + ev["hold"])
                d.start()
                rec["recover"] = time.time()
            elif k == "junk":
                d.stop()
                j = JunkServer(d.port, rng)
                sleep_until(ev["at"] + ev["hold"])
                j.close()
                d.start()
                rec["recover"] = time.time()
            elif k == "dmk":
                d.stop()
                d.start(extra=["--state", other_state], test_lmk=False)
                rec["note"] = "restarted with DMK check value %s" % nc_check_value(d.port)
                sleep_until(ev["at"] + ev["hold"])
                d.stop()
                d.start()
                rec["recover"] = time.time()
            elif k == "hostile":
                counts = hostile_mix(d.port, ev["hold"])
                cb = counts["closedByServer"]
                rec["note"] = ("closed by evsm within the hold: idle %d/%d, slowloris %d/%d, stalled %d/%d; %d junk connects"
                               % (cb["idle"], counts["idle"], cb["slowloris"], counts["slowloris"], cb["stalled"], counts["stalled"], counts["junk"]))
                rec["hostile"] = counts
                rec["recover"] = time.time()
            elif k == "fork":
                client.send_signal(signal.SIGUSR1)
                rec["recover"] = time.time()
            events.append(rec)
        sleep_until(o.seconds + 1)
        try:
            client.wait(timeout=o.seconds + 120)
        except subprocess.TimeoutExpired:
            client.kill()
            client.wait()
            raise RuntimeError("the client did not end")
        sampling.set()
        st.join(5)
        for d in devs:
            d.sample()
    finally:
        if client and client.poll() is None:
            client.kill()
        for d in devs:
            d.stop()

    c = json.load(open(os.path.join(o.work, "client.json")))
    return report(o, seed, schedule, events, c, devs, client_rss, other_cv)


def label(e):
    return "fork (client)" if e["kind"] == "fork" else "%s@%d" % (e["kind"], e["member"])


def report(o, seed, schedule, events, c, devs, client_rss, other_cv):
    t0, bs = c["t0"], c["bucketSeconds"]
    buckets = c["buckets"]
    # Phases: baseline, then one per event (from its fault to the next fault), tail included in the last.
    bounds = [("baseline", t0)] + [(label(e), e["fault"]) for e in events]
    phases = []
    for i, (name, start) in enumerate(bounds):
        stop = bounds[i + 1][1] if i + 1 < len(bounds) else t0 + len(buckets) * bs
        hist, calls, failed, wrong, mx = {}, 0, 0, 0, 0.0
        for bi, b in enumerate(buckets):
            bt = t0 + bi * bs
            if bt < start - 1e-9 or bt >= stop - 1e-9:
                continue
            calls += b["calls"]
            failed += b["failed"]
            wrong += b["wrong"]
            mx = max(mx, b["maxMicros"])
            for k, v in b["hist"].items():
                hist[int(k)] = hist.get(int(k), 0) + v
        p = {q: percentile(hist, q) for q in (0.5, 0.99, 0.999)}
        phases.append({"phase": name, "start": round(start - t0, 2), "seconds": round(stop - start, 2), "calls": calls,
                       "failed": failed, "wrong": wrong,
                       "p50Micros": round(p[0.5]) if p[0.5] else None, "p99Micros": round(p[0.99]) if p[0.99] else None,
                       "p999Micros": round(p[0.999]) if p[0.999] else None, "maxMicros": round(mx)})
    # Ejection and rejoin per event, from the sampled member states.
    states = c["memberStates"]
    for e in events:
        m = e["member"]
        if e["kind"] == "fork":
            f = [x for x in c["forks"] if abs(x["t"] - e["fault"]) < 10]
            e["fork"] = f[0] if f else None
            continue
        nxt = [x["fault"] for x in events if x["fault"] > e["fault"]]
        horizon = min(nxt) if nxt else t0 + len(buckets) * bs
        ej = [s for s in states if s["member"] == m and e["fault"] <= s["t"] < horizon and s["state"] != 1]
        e["ejectedAfter"] = round(ej[0]["t"] - e["fault"], 3) if ej else None
        e["ejectedAs"] = STATE_NAMES.get(ej[0]["state"], "?") if ej else None
        seen = []
        for s in states:
            if s["member"] == m and e["fault"] <= s["t"] < horizon and STATE_NAMES.get(s["state"], "?") not in seen:
                seen.append(STATE_NAMES.get(s["state"], "?"))
        e["statesSeen"] = seen
        if ej and e["recover"]:
            # The first "up" after the ejection, counted from the recovery. The recovery time
            # is taken when soak.py has seen the restarted device's ready line (polled every
            # 50 ms), so a member back a little earlier than that counts as 0.
            up = [s for s in states if s["member"] == m and s["t"] > ej[0]["t"] and s["state"] == 1]
            e["rejoinedAfter"] = round(max(0.0, up[0]["t"] - e["recover"]), 3) if up and up[0]["t"] < horizon else None
        else:
            e["rejoinedAfter"] = None
    rss0, rss1, fd0, fd1 = c["rssKbStart"], c["rssKbEnd"], c["fdsStart"], c["fdsEnd"]
    rss_bound = max(rss0 * 1.2, rss0 + 16384)
    fd_bound = fd0 + 8
    forks_ok = all(f["childOk"] for f in c["forks"]) and len(c["forks"]) == sum(1 for e in events if e["kind"] == "fork")
    ok = c["failed"] == 0 and c["wrong"] == 0 and rss1 <= rss_bound and fd1 <= fd_bound and forks_ok
    machine = "%s, %d cores, %s, Python %s" % (platform.machine(), os.cpu_count() or 0, platform.platform(), platform.python_version())
    try:
        model = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
        machine = model + "; " + machine
    except (OSError, IndexError):
        pass
    res = {
        "seed": seed, "seconds": o.seconds, "threads": c["threads"], "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t0)),
        "machine": machine, "calls": c["calls"], "failed": c["failed"], "wrong": c["wrong"],
        "client": {"rssKbStart": rss0, "rssKbEnd": rss1, "rssKbBound": int(rss_bound), "fdsStart": fd0, "fdsEnd": fd1, "fdsBound": fd_bound,
                   "rssKbSeries": client_rss[::10]},
        "evsm": [{"member": i + 1, "rssKbMax": d.rss_max_kb, "fdsMax": d.fds_max, "rssKbLast": d.rss_kb[-1] if d.rss_kb else None} for i, d in enumerate(devs)],
        "otherDmkCheckValue": other_cv,
        "schedule": schedule, "events": [{k: (round(v - t0, 3) if k in ("fault", "recover") and v else v) for k, v in e.items()} for e in events],
        "phases": phases, "forks": c["forks"], "failures": c["failures"], "passed": ok,
    }
    base = os.path.join(o.results, "soak-latest")
    json.dump(res, open(base + ".json", "w"), indent=1)
    # Plot
    series = []
    for bi, b in enumerate(buckets):
        h = {int(k): v for k, v in b["hist"].items()}
        series.append((bi * bs, percentile(h, 0.99) if h else None, b["maxMicros"] or None))
    marks = [{"t": e["fault"] - t0, "label": label(e)} for e in events]
    title = "make soak: %d calls, %d failed, %d wrong, seed %d (%s)" % (c["calls"], c["failed"], c["wrong"], seed, res["date"])
    plot = None
    try:
        png_plot(base + ".png", series, marks, title)
        plot = base + ".png"
    except ImportError:
        svg_plot(base + ".svg", series, marks, title)
        plot = base + ".svg"

    def us(v):
        return "-" if v is None else ("%.1f ms" % (v / 1000) if v >= 1000 else "%d us" % v)

    lines = ["# make soak: latest run", "",
             "%s, %g s, %d client threads, seed %d (replay: `make soak SOAK_SEED=%d SOAK_SECONDS=%g`)." % (res["date"], o.seconds, c["threads"], seed, seed, o.seconds),
             "Machine: %s." % machine, "",
             "| calls | failed | wrong | client RSS start -> end (bound) | client fds start -> end (bound) | result |",
             "|---|---|---|---|---|---|",
             "| %d | %d | %d | %d -> %d kB (%d) | %d -> %d (%d) | %s |" % (c["calls"], c["failed"], c["wrong"], rss0, rss1, int(rss_bound), fd0, fd1, fd_bound, "PASS" if ok else "FAIL"),
             "", "## Latency per phase (histogram bins of 8 %; max exact)", "",
             "| phase | from | s | calls | failed | wrong | p50 | p99 | p99.9 | max |", "|---|---|---|---|---|---|---|---|---|---|"]
    for p in phases:
        lines.append("| %s | %.1f s | %.1f | %d | %d | %d | %s | %s | %s | %s |" % (p["phase"], p["start"], p["seconds"], p["calls"], p["failed"], p["wrong"],
                                                                              us(p["p50Micros"]), us(p["p99Micros"]), us(p["p999Micros"]), us(p["maxMicros"])))
    lines += ["", "## Chaos events", "", "| t | fault | member | recovered at | ejected after (as) | rejoined after recovery | note |", "|---|---|---|---|---|---|---|"]
    for e in res["events"]:
        if e["kind"] == "fork":
            f = e.get("fork")
            note = "workers parked %.1f ms; child's 50 calls %s" % (f["pauseMillis"], "ok" if f["childOk"] else "FAILED") if f else "no fork recorded"
            lines.append("| %.1f s | fork | client | - | - | - | %s |" % (e["fault"], note))
            continue
        ej = "%.2f s (%s)" % (e["ejectedAfter"], " -> ".join(x for x in e["statesSeen"] if x != "up")) if e.get("ejectedAfter") is not None else "not ejected"
        rj = "%.2f s" % e["rejoinedAfter"] if e.get("rejoinedAfter") is not None else "-"
        lines.append("| %.1f s | %s | %d | %s | %s | %s | %s |" % (e["fault"], e["kind"], e["member"], "%.1f s" % e["recover"] if e["recover"] else "-", ej, rj, e.get("note", "")))
    lines += ["", "## evsm processes", "", "| member | RSS max | RSS at the end | fds max |", "|---|---|---|---|"]
    for x in res["evsm"]:
        lines.append("| %d | %d kB | %s kB | %d |" % (x["member"], x["rssKbMax"], x["rssKbLast"], x["fdsMax"]))
    if c["failures"]:
        lines += ["", "## First failures", ""] + ["- t+%.2f s %s rc %d: %s" % (f["t"] - t0, f["op"], f["rc"], f["message"]) for f in c["failures"][:20]]
    lines += ["", "Plot: `%s` (latency over time, chaos events marked)." % os.path.basename(plot), ""]
    open(base + ".md", "w").write("\n".join(lines))
    print("\n".join(lines))
    log("wrote %s.md, %s.json, %s" % (base, base, plot))
    log("%s: %d calls, %d failed, %d wrong, seed %d" % ("PASS" if ok else "FAIL", c["calls"], c["failed"], c["wrong"], seed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
