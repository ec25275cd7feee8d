// AsyncBench (`make bench`, bench/run.sh; docs/bench.md "Async Swift API"): the async API
// against a local evsm.
//
//   AsyncBench --port P [--header-length H] [--seconds S] [--tasks T] [--json FILE]
//
// 1. Event-loop lateness: a NIO event loop runs a task every 10 ms and records how late
//    each runs, once idle and once while T tasks call `await transmit` in a loop (goal: the
//    worst lateness under load < 5 ms).
// 2. Async vs blocking: calls/s of T threads calling the blocking `transmit` and of T tasks
//    calling `await transmit` (same command, same pool), and the same with 1 caller; the
//    async path's overhead in % of the blocking rate (goal < 10 %).
//    Each row also gives the process's CPU time per call (getrusage: the bench's and the
//    library's threads, not the evsm's), which a shared machine's load disturbs far less.
// Figures are printed and written as JSON; nothing is asserted (not a test).
import CACipherCore
import Glibc
import HostProtocol
import HSMNet
import NIOCore
import NIOPosix

struct Options {
    var port = 0
    var headerLength = 2
    var seconds = 3.0
    var tasks = 8
    var json: String?
}

func parse() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        guard let v = args.popFirst() else { fputs("missing value for \(a)\n", stderr); exit(2) }
        switch a {
        case "--port": o.port = Int(v) ?? 0
        case "--header-length": o.headerLength = Int(v) ?? 2
        case "--seconds": o.seconds = Double(v) ?? 3
        case "--tasks": o.tasks = Int(v) ?? 8
        case "--json": o.json = v
        default: fputs("unknown argument \(a)\n", stderr); exit(2)
        }
    }
    guard o.port > 0, o.tasks >= 1, o.seconds > 0 else {
        fputs("usage: AsyncBench --port P [--header-length H] [--seconds S] [--tasks T] [--json FILE]\n", stderr)
        exit(2)
    }
    return o
}

/// `x` with `digits` decimals (the library path has no Foundation, so no String(format:)).
func fmt(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let v = (abs(x) * scale).rounded()
    let whole = Int(v / scale)
    var frac = String(Int(v - Double(whole) * scale))
    while frac.count < digits { frac = "0" + frac }
    return (x < 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + frac : "")
}

func nowNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

let command: [UInt8] = Array("B20010".utf8) + Array("0123456789ABCDEF".utf8)

/// Lateness of a 10 ms repeated task on one event loop while `load` runs: (worst, p99) in ms.
func eventLoopLateness(seconds: Double, load: @escaping @Sendable () async -> Void) async -> (Double, Double, Int) {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let loop = group.next()
    final class Box: @unchecked Sendable { var late: [Double] = []; var expected: Int64 = 0 }
    let box = Box()
    let periodNs: Int64 = 10_000_000
    let loadTask = Task { await load() }
    let done = loop.makePromise(of: Void.self)
    let endNs = nowNs() + Int64(seconds * 1e9)
    @Sendable func tick() {
        let now = nowNs()
        box.late.append(Double(now - box.expected) / 1e6)
        if now >= endNs { done.succeed(()); return }
        box.expected = now + periodNs
        loop.scheduleTask(in: .nanoseconds(periodNs)) { tick() }
    }
    loop.execute {
        box.expected = nowNs() + periodNs
        loop.scheduleTask(in: .nanoseconds(periodNs)) { tick() }
    }
    try? await done.futureResult.get()
    loadTask.cancel()
    _ = await loadTask.value
    try? await group.shutdownGracefully()
    let sorted = box.late.sorted()
    let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    return (sorted.last ?? 0, p99, sorted.count)
}

/// CPU time (user + system) of the whole process so far, in nanoseconds: the bench and the
/// library's threads (the evsm is another process).
func cpuNs() -> Int64 {
    var u = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &u)
    let us = (Int64(u.ru_utime.tv_sec) + Int64(u.ru_stime.tv_sec)) * 1_000_000 + Int64(u.ru_utime.tv_usec) + Int64(u.ru_stime.tv_usec)
    return us * 1000
}

final class Counter: @unchecked Sendable {
    private let lock = PThreadLocked(0)
    func add(_ n: Int) { lock.withLock { $0 += n } }
    var value: Int { lock.withLock { $0 } }
}

/// Calls/s of `callers` threads calling the blocking transmit for `seconds`, and the
/// process's CPU time per call in microseconds.
func blockingRate(_ c: CACipherClient, callers: Int, seconds: Double) -> (Double, Double) {
    let cpu0 = cpuNs()
    let total = Counter()
    let end = nowNs() + Int64(seconds * 1e9)
    var threads: [pthread_t] = []
    final class Ctx { let c: CACipherClient; let total: Counter; let end: Int64
        init(_ c: CACipherClient, _ t: Counter, _ e: Int64) { self.c = c; total = t; end = e } }
    for _ in 0..<callers {
        var t = pthread_t()
        let ctx = Unmanaged.passRetained(Ctx(c, total, end)).toOpaque()
        pthread_create(&t, nil, { raw in
            let ctx = Unmanaged<Ctx>.fromOpaque(raw!).takeRetainedValue()
            var n = 0
            while nowNs() < ctx.end {
                if (try? blockingCall(ctx.c)) != nil { n += 1 }
            }
            ctx.total.add(n)
            return nil
        }, ctx)
        threads.append(t)
    }
    for t in threads { pthread_join(t, nil) }
    let n = total.value
    return (Double(n) / seconds, n > 0 ? Double(cpuNs() - cpu0) / 1000 / Double(n) : 0)
}

func blockingCall(_ c: CACipherClient) throws -> [UInt8] { try c.transmit(command) }

/// Calls/s of `callers` tasks calling `await transmit` for `seconds`, and the process's CPU
/// time per call in microseconds.
func asyncRate(_ c: CACipherClient, callers: Int, seconds: Double) async -> (Double, Double) {
    let cpu0 = cpuNs()
    let end = nowNs() + Int64(seconds * 1e9)
    let n = await withTaskGroup(of: Int.self) { g in
        for _ in 0..<callers {
            g.addTask {
                var n = 0
                while nowNs() < end {
                    if (try? await c.transmit(command)) != nil { n += 1 }
                }
                return n
            }
        }
        return await g.reduce(0, +)
    }
    return (Double(n) / seconds, n > 0 ? Double(cpuNs() - cpu0) / 1000 / Double(n) : 0)
}

@main
struct AsyncBench {
    static func main() async throws {
        let o = parse()
        var cfg = CACipherConfig()
        var h = HostConfig(section: "HOST1", host: "127.0.0.1", port: o.port)
        h.linkNum = -o.tasks  // a pool of T connections: every caller has one
        h.headerLength = o.headerLength
        cfg.hosts = [h]
        let c = CACipherClient(config: cfg, logSink: nil)
        defer { c.close() }
        guard (try? await c.transmit(command)) != nil else { fputs("AsyncBench: evsm on port \(o.port) does not answer\n", stderr); exit(1) }
        _ = blockingRate(c, callers: o.tasks, seconds: 0.5)  // warm-up: every pooled connection open

        let idle = await eventLoopLateness(seconds: o.seconds) {}
        let tasks = o.tasks
        let loaded = await eventLoopLateness(seconds: o.seconds) {
            await withTaskGroup(of: Void.self) { g in
                for _ in 0..<tasks {
                    g.addTask { while !Task.isCancelled { _ = try? await c.transmit(command) } }
                }
            }
        }
        print("event loop lateness (10 ms timer, \(loaded.2) ticks): idle worst \(fmt(idle.0, 2)) ms p99 \(fmt(idle.1, 2)) ms; "
              + "while \(tasks) tasks await transmit: worst \(fmt(loaded.0, 2)) ms p99 \(fmt(loaded.1, 2)) ms (goal < 5 ms)")

        var rows: [(String, Int, Double, Double, Double, Double, Double)] = []
        for callers in [1, o.tasks] {
            // Alternate, best of 2 each (shared 2-CPU machine); CPU per call of the best run.
            var b = 0.0, a = 0.0, bCPU = 0.0, aCPU = 0.0
            for _ in 0..<2 {
                let (br, bc) = blockingRate(c, callers: callers, seconds: o.seconds)
                if br > b { (b, bCPU) = (br, bc) }
                let (ar, ac) = await asyncRate(c, callers: callers, seconds: o.seconds)
                if ar > a { (a, aCPU) = (ar, ac) }
            }
            let overhead = b > 0 ? (b - a) / b * 100 : 0
            rows.append(("transmit B2", callers, b, a, overhead, bCPU, aCPU))
            print("\(callers) caller(s): blocking \(fmt(b, 0)) calls/s, async \(fmt(a, 0)) calls/s: async overhead \(fmt(overhead, 1)) % (goal < 10 %); "
                  + "CPU per call blocking \(fmt(bCPU, 1)) us, async \(fmt(aCPU, 1)) us")
        }
        if let path = o.json {
            var j = "{\"eventLoop\": {\"periodMs\": 10, \"ticks\": \(loaded.2), \"idleWorstMs\": \(idle.0), \"idleP99Ms\": \(idle.1), "
            j += "\"tasks\": \(tasks), \"loadedWorstMs\": \(loaded.0), \"loadedP99Ms\": \(loaded.1), \"goalMs\": 5},\n \"overhead\": ["
            j += rows.map { "{\"callers\": \($0.1), \"blockingPerSecond\": \(Int($0.2)), \"asyncPerSecond\": \(Int($0.3)), \"overheadPercent\": \(($0.4 * 10).rounded() / 10), \"blockingCPUMicrosPerCall\": \(($0.5 * 10).rounded() / 10), \"asyncCPUMicrosPerCall\": \(($0.6 * 10).rounded() / 10)}" }
                .joined(separator: ", ")
            j += "], \"goalPercent\": 10}\n"
            guard let f = fopen(path, "w") else { fputs("cannot write \(path)\n", stderr); exit(1) }
            fputs(j, f)
            fclose(f)
        }
    }
}
