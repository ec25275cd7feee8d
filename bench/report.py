#!/usr/bin/env python3
"""Turns results/bench-latest.json (written by bench/run.sh) into a short markdown report
and a PNG plot of the failure drill (throughput, latency and member states over time);
with results/bench-stall.json beside it, also the stall scenario (a table and bench-stall.png);
with bench-quorum.json / bench-outlier.json beside it, their tables.

    python3 bench/report.py RESULTS.json REPORT.md PLOT.png

matplotlib is installed from PyPI (pip) when it is missing; only `make bench` runs this.
"""
import json
import subprocess
import sys


def ensure_matplotlib():
    try:
        import matplotlib  # noqa: F401
        return
    except ImportError:
        pass
    print("report: installing matplotlib from PyPI", file=sys.stderr)
    for extra in ([], ["--user"], ["--break-system-packages"]):
        r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "matplotlib"] + extra)
        if r.returncode == 0:
            return
    sys.exit("report: cannot install matplotlib")


def fmt(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


def markdown(doc):
    m = doc["machine"]
    out = []
    out.append("# Benchmark results (latest)\n")
    out.append(f"Taken {m['date']} at commit `{m['commit']}`, libcacipher {m['library']}.\n")
    out.append(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memoryGiB']} GiB memory, {m['os']} "
               f"(kernel {m['kernel']}), {m['swift']}; load average before the run {m['load']}. "
               "The machine is shared with other builds, so absolute numbers vary between runs; "
               "the ratios of back-to-back cells are the more stable figures.\n")
    out.append("## libcacipher vs a minimal C client (`bench/baseline.c`)\n")
    out.append("Same `evsm` (release, `--test-lmk`), same command, one connection per thread on both sides "
               "(library: one `[HOST1]` with `linkNum=-threads`, logging off), one request in flight per connection. "
               "Each side ran several times, alternating; the median run is shown (every run's calls/s is in the JSON).\n")
    out.append("| command | threads | baseline calls/s | library calls/s | ratio | baseline p50 / p99 (us) | library p50 / p99 (us) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    for c in doc["comparison"]:
        b, l = c["baseline"], c["library"]
        out.append(f"| {c['command']} | {c['threads']} | {fmt(b['callsPerSecond'])} | {fmt(l['callsPerSecond'])} | "
                   f"{fmt(c['ratio']['callsPerSecond'], 2)} | {fmt(b['p50Micros'])} / {fmt(b['p99Micros'])} | "
                   f"{fmt(l['p50Micros'])} / {fmt(l['p99Micros'])} |")
    out.append("\n`B2`: echo of 16 bytes. `CC`: PIN block translation ZPK->ZPK with the published known-answer keys "
               "(every reply compared with the expected one).\n")
    if doc.get("tls"):
        out.append("## libcacipher over TLSv1.3 vs over TCP\n")
        out.append("The same library, the same `evsm` process (release, `--test-lmk`), the same command, threads and pool "
                   "(`linkNum=-threads`, one connection per thread): once to its plain host port, once to its TLS host "
                   "port with `socketProtocol=TLSv1.3`, the server certificate verified against the test CA and a client "
                   "certificate (mutual TLS). Connections are pooled, so the handshakes happen once per connection at "
                   "the start of a run; what remains per call is the record encryption on both sides. "
                   "**The two columns also differ in the server**: evsm's plain port is SwiftNIO (event loops), its "
                   "TLS port a thread-per-connection OpenSSL listener, so the ratio measures library and server "
                   "together, not the cost of TLS in the library alone. Median of the alternating runs.\n")
        out.append("| command | threads | TCP calls/s | TLSv1.3 calls/s | TLS / TCP | TCP p50 / p99 (us) | TLSv1.3 p50 / p99 (us) "
                   "| library CPU per call, TCP / TLS (us) | evsm CPU per call, TCP / TLS (us) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in doc["tls"]:
            a, t = c["tcp"], c["tls"]
            out.append(f"| {c['command']} | {c['threads']} | {fmt(a['callsPerSecond'])} | {fmt(t['callsPerSecond'])} | "
                       f"{fmt(c['ratio']['callsPerSecond'], 2)} | {fmt(a['p50Micros'])} / {fmt(a['p99Micros'])} | "
                       f"{fmt(t['p50Micros'])} / {fmt(t['p99Micros'])} | "
                       f"{fmt(a.get('clientCpuMicrosPerCall'), 1)} / {fmt(t.get('clientCpuMicrosPerCall'), 1)} | "
                       f"{fmt(a.get('serverCpuMicrosPerCall'), 1)} / {fmt(t.get('serverCpuMicrosPerCall'), 1)} |")
        out.append("\nCPU per call: the client process's CPU time (user + system, `getrusage`) and the evsm "
                   "process's (`/proc/PID/stat`) during the run, divided by the calls; the library's column is the cost "
                   "of TLS in the library itself, whatever the server does.\n")
    if doc.get("vendorApi"):
        out.append("## The vendor API (libcacipher-tass) vs the native typed call\n")
        out.append("The same `TI` PIN translation (published known answer, every reply checked) through "
                   "`CACipher_TranslatePIN` (libcacipher) and `HSM_RCL_TransferCipherPin_Zpk2Zpk` (libcacipher-tass, "
                   "the vendor's function), same evsm, same pool. The compat layer reads the vendor's C arguments, "
                   "checks them by the vendor's rules and calls the same typed call. Median of the alternating runs.\n")
        out.append("| command | threads | native calls/s | compat calls/s | compat / native | native p50 / p99 (us) | "
                   "compat p50 / p99 (us) | client CPU per call, native / compat (us) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for c in doc["vendorApi"]:
            a, t = c["native"], c["compat"]
            out.append(f"| {c['command']} | {c['threads']} | {fmt(a['callsPerSecond'])} | {fmt(t['callsPerSecond'])} | "
                       f"{fmt(c['ratio']['callsPerSecond'], 3)} | {fmt(a['p50Micros'])} / {fmt(a['p99Micros'])} | "
                       f"{fmt(t['p50Micros'])} / {fmt(t['p99Micros'])} | "
                       f"{fmt(a.get('clientCpuMicrosPerCall'), 1)} / {fmt(t.get('clientCpuMicrosPerCall'), 1)} |")
        out.append("")
    if doc["evsmBench"]:
        conns = list(doc["evsmBench"][0]["perConnections"].keys())
        out.append("## evsm throughput per command class (`evsm --bench`, commands/second)\n")
        out.append("| command | " + " | ".join(f"{c} conn" for c in conns) + " | direct |")
        out.append("|---|" + "---:|" * (len(conns) + 1))
        for e in doc["evsmBench"]:
            out.append(f"| {e['command']} | " + " | ".join(fmt(e['perConnections'].get(c)) for c in conns) + f" | {fmt(e.get('direct'))} |")
        out.append("")
    r = doc.get("rsaVsOpenSSL")
    if r:
        out.append("## evsm RSA-2048 sign vs `openssl speed rsa2048`\n")
        out.append("`EW` RSA-2048 sign (SHA-256, PKCS#1 v1.5, a carried private key blob) from `evsm --bench` on one "
                   "connection and directly against `openssl speed -seconds 2 rsa2048` (one thread, the same OpenSSL) "
                   "on the same machine, back to back. Goal: evsm >= 80% of OpenSSL's single-core sign rate.\n")
        pct = lambda v: "-" if v is None else f"{v:.0%}"
        out.append("| measure | openssl sign/s | evsm sign/s | evsm / openssl | goal |")
        out.append("|---|---:|---:|---:|---:|")
        out.append(f"| per CPU second: `openssl speed` / evsm handler on one thread (direct) | {fmt(r['opensslSignPerCPUSecond'])} | "
                   f"{fmt(r.get('evsmSignPerCPUSecondDirect'))} | {pct(r.get('ratioDirect'))} | {r['goal']:.0%} |")
        out.append(f"| wall clock: `openssl speed -elapsed` / evsm on one connection (free to use both cores) | {fmt(r['opensslSignPerSecondElapsed'])} | "
                   f"{fmt(r.get('evsmSignPerSecondOneConnection'))} | {pct(r.get('ratioOneConnection'))} | {r['goal']:.0%} |")
        if r.get("evsmSignPerSecondOneConnectionOneCore"):
            out.append(f"| one core (`taskset -c 0`), wall clock: `openssl speed -elapsed` / evsm on one connection, its listener and client on that core | "
                       f"{fmt(r['opensslSignPerSecondElapsedOneCore'])} | {fmt(r['evsmSignPerSecondOneConnectionOneCore'])} | "
                       f"{pct(r.get('ratioOneConnectionOneCore'))} | {r['goal']:.0%} |")
            out.append(f"| one core, wall clock: evsm on one connection, two requests in flight | {fmt(r['opensslSignPerSecondElapsedOneCore'])} | "
                       f"{fmt(r.get('evsmSignPerSecondOneConnectionOneCorePipelined'))} | {pct(r.get('ratioOneConnectionOneCorePipelined'))} | - |")
        if r.get("evsmSignPerSecondOneConnectionPipelined"):
            out.append(f"| wall clock: evsm on one connection, two requests in flight | {fmt(r['opensslSignPerSecondElapsed'])} | "
                       f"{fmt(r['evsmSignPerSecondOneConnectionPipelined'])} | {pct(r.get('ratioOneConnectionPipelined'))} | {r['goal']:.0%} |")
        if r.get("evsmSignPerSecondOneConnectionSpinningClient"):
            out.append(f"| wall clock: evsm on one connection, client busy-polling for the reply | {fmt(r['opensslSignPerSecondElapsed'])} | "
                       f"{fmt(r['evsmSignPerSecondOneConnectionSpinningClient'])} | {pct(r.get('ratioOneConnectionSpinningClient'))} | - |")
        if r.get("evsmSignPerSecondOneConnectionThreadPool"):
            out.append(f"| baseline, wall clock: evsm on one connection, every request on the thread pool | {fmt(r['opensslSignPerSecondElapsed'])} | "
                       f"{fmt(r['evsmSignPerSecondOneConnectionThreadPool'])} | {pct(r.get('ratioOneConnectionThreadPool'))} | - |")
        out.append("\n`openssl speed` counts CPU time unless `-elapsed` is given, so each evsm figure is set against "
                   "the OpenSSL figure counted the same way. The connection row adds the loopback round trip (two thread "
                   "wake-ups: client and event loop) to each signature, and on a loaded machine waits for a CPU at each; "
                   "the baseline row is the same listener with every request handed to its thread pool and back "
                   "(two more wake-ups per signature).")
        out.append("")
    d = doc["drill"]
    out.append("## Failure drill\n")
    out.append(f"{d['threads']} threads sending `CC` through libcacipher to three `evsm` for {d['seconds']:.0f} s "
               f"(`connTimeout=1`, `readTimeout=1`): {d['calls']:,} calls, **{d['failed']} failed**.\n")
    out.append("| scenario | failed calls | worst latency (ms) | ejected after (s) | up again after recovery (s) | back in use after recovery (s) |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for s in d["scenarios"]:
        out.append(f"| {s['fault']} | {s['failedCalls']} | {fmt(s['worstLatencyMicros'] / 1000, 1)} | {fmt(s['ejectedAfter'], 3)} | "
                   f"{fmt(s['rejoinedAfter'], 3)} | {fmt(s['backInUseAfter'], 3)} |")
    out.append("\n![drill](bench-latest.png)\n")
    return "\n".join(out) + "\n"


def plot(doc, path):
    ensure_matplotlib()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = doc["drill"]
    tl = d["timeline"]
    t = [b["t"] for b in tl]
    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(11, 8), sharex=True,
                                        gridspec_kw={"height_ratios": [3, 3, 1.2]})
    ax1.plot(t, [b["callsPerSecond"] for b in tl], color="tab:blue", lw=1.2)
    fails = [(b["t"], b["callsPerSecond"]) for b in tl if b["failed"]]
    if fails:
        ax1.scatter([f[0] for f in fails], [f[1] for f in fails], color="red", zorder=3, label="buckets with failed calls")
        ax1.legend(loc="lower right")
    ax1.set_ylabel("calls/s (100 ms buckets)")
    ax1.set_ylim(bottom=0)
    ax1.set_title(f"Failure drill: {d['threads']} threads of CC through libcacipher, three evsm; "
                  f"{d['calls']:,} calls, {d['failed']} failed")
    ax2.plot(t, [max(b["p50Micros"], 1) / 1000 for b in tl], label="p50", color="tab:green", lw=1.2)
    ax2.plot(t, [max(b["p99Micros"], 1) / 1000 for b in tl], label="p99", color="tab:orange", lw=1.2)
    ax2.plot(t, [max(b["maxMicros"], 1) / 1000 for b in tl], label="max", color="tab:red", lw=0.8, alpha=0.7)
    ax2.set_yscale("log")
    ax2.set_ylabel("latency (ms)")
    ax2.legend(loc="upper right")
    colours = {"up": "tab:green", "ejected": "tab:red", "unknown": "lightgrey", "dmk-mismatch": "purple",
               "not-initialised": "black"}
    n = d["members"]
    for m in range(n):
        start = 0
        for i in range(1, len(tl) + 1):
            if i == len(tl) or tl[i]["states"][m] != tl[start]["states"][m]:
                st = tl[start]["states"][m]
                end = tl[i]["t"] if i < len(tl) else tl[-1]["t"] + 0.1
                ax3.barh(m, end - tl[start]["t"], left=tl[start]["t"], color=colours.get(st, "grey"), height=0.6)
                start = i
    ax3.set_yticks(range(n))
    ax3.set_yticklabels([f"HOST{m + 1}" for m in range(n)])
    ax3.invert_yaxis()
    ax3.set_xlabel("seconds since the start of the load (green: up, red: ejected)")
    for s in d["scenarios"]:
        end = s["recoveryAt"] if s["recoveryAt"] is not None else s["faultAt"] + 0.5
        for ax in (ax1, ax2, ax3):
            ax.axvspan(s["faultAt"], end, color="grey", alpha=0.12)
        ax1.text(s["faultAt"], ax1.get_ylim()[1] * 0.97, " (" + s["scenario"] + ")", va="top", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


# --- stall scenario (issue 15): bench-stall.json beside RESULTS.json, its own plot ---
def stall_markdown(st):
    out = ["## Stall: one member SIGSTOPped for 5 s, hedging off and on\n",
           "| run | hedgeDelay | calls | failed | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | hedges sent | extra requests |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in st["runs"]:
        out.append(f"| {r['run']} | {r['hedgeDelay']} | {r['calls']:,} | {r['failed']} | {fmt(r['p50Micros'] / 1000, 2)} | "
                   f"{fmt(r['p99Micros'] / 1000, 2)} | {fmt(r['p999Micros'] / 1000, 2)} | {fmt(r['maxMicros'] / 1000, 1)} | "
                   f"{r['hedgesSent']:,} | {fmt(r['extraRequestsPercent'], 2)} % |")
    out.append("\n" + st["notes"] + "\n\n![stall](bench-stall.png)\n")
    return "\n".join(out) + "\n"


def stall_plot(st, path):
    ensure_matplotlib()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    runs = st["runs"]
    keys = [("p50Micros", "p50"), ("p99Micros", "p99"), ("p999Micros", "p99.9"), ("maxMicros", "max")]
    fig, ax = plt.subplots(figsize=(9, 4))
    w = 0.8 / len(keys)
    for k, (key, label) in enumerate(keys):
        ax.bar([i + k * w for i in range(len(runs))], [max(r[key], 1) / 1000 for r in runs], w, label=label)
    ax.set_xticks([i + 0.4 - w / 2 for i in range(len(runs))])
    ax.set_xticklabels([f"{r['run']}\n{r['failed']} failed, {r['hedgesSent']} hedges" for r in runs])
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms)")
    ax.set_title("Stall: 8 threads of CC, three evsm, HOST2 SIGSTOPped 5 s")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
# --- end of the stall scenario ---


# --- quorum scenario (issue 15, DMK goal): bench-quorum.json beside RESULTS.json ---
def quorum_markdown(q):
    out = ["## Quorum: fresh client processes, no dmkCheckValue, one member with another DMK\n",
           "| arrangement | clients | calls ok | calls failed | commands to the odd member | odd member up | a good member refused |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in q["runs"] + [dict(q["total"], arrangement="total")]:
        out.append(f"| {r['arrangement']} | {r['clients']} | {r['callsOk']:,} | {r['callsFailed']} | {r['commandsToOddMember']} | "
                   f"{r['clientsWithOddMemberUp']} | {r['clientsWithAGoodMemberRefused']} |")
    out.append("\n" + q["notes"] + "\n")
    return "\n".join(out) + "\n"
# --- end of the quorum scenario ---


# --- outlier scenarios (issue 15): bench-outlier.json beside RESULTS.json ---
def outlier_markdown(o):
    out = ["## Outliers: a wrong-reply member, a slow member, every member blackholed\n",
           "| run | calls | failed | p50 (ms) | p99.9 (ms) | max (ms) | ejections (HOST1, 2, 3) | hedges | failed calls: max (ms) | over readTimeout + 100 ms |",
           "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    for r in o["runs"]:
        ej = ", ".join(str(m["ejections"]) for m in r["memberList"])
        fmax = fmt(r["failedMaxMicros"] / 1000, 0) if r["failed"] else "-"
        over = str(r["failedOverBound"]) if r["boundMs"] else "-"
        out.append(f"| {r['run']} | {r['calls']:,} | {r['failed']:,} | {fmt(r['p50Micros'] / 1000, 2)} | {fmt(r['p999Micros'] / 1000, 2)} | "
                   f"{fmt(r['maxMicros'] / 1000, 1)} | {ej} | {r['hedgesSent']:,} | {fmax} | {over} |")
    if o.get("slowP999Ratio") is not None:
        out.append(f"\nslow / nofault p99.9: {o['slowP999Ratio']}x (goal <= 2x)")
    out.append("\n" + o["notes"] + "\n")
    return "\n".join(out) + "\n"
# --- end of the outlier scenarios ---


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: report.py RESULTS.json REPORT.md PLOT.png")
    doc = json.load(open(sys.argv[1]))
    import os
    stall_path = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "bench-stall.json")
    stall = json.load(open(stall_path)) if os.path.exists(stall_path) else None
    with open(sys.argv[2], "w") as f:
        f.write(markdown(doc))
        if stall:
            f.write("\n" + stall_markdown(stall))
        for name, render in (("bench-quorum.json", quorum_markdown), ("bench-outlier.json", outlier_markdown)):
            extra = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), name)
            if os.path.exists(extra):
                f.write("\n" + render(json.load(open(extra))))
    plot(doc, sys.argv[3])
    if stall:
        stall_plot(stall, os.path.join(os.path.dirname(os.path.abspath(sys.argv[3])), "bench-stall.png"))
    print("wrote " + sys.argv[2] + " and " + sys.argv[3])


if __name__ == "__main__":
    main()
