import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol

// The prober: one background thread (started on first need) that probes every kept-out
// member with jittered exponential backoff and re-admits it through the DMK guard.
extension GroupCore {
    /// Sets the next probe time with jittered exponential backoff and wakes the prober
    /// (starting it on first need). Lock held.
    func scheduleProbeLocked(_ m: GroupMember, nominalMs: Int? = nil) {
        let delay: Int
        if let n = nominalMs {
            delay = n / 2 + Int.random(in: 0...(n - n / 2), using: &rng)  // the same equal jitter
        } else {
            delay = backoff.delayMs(attempt: m.probeAttempt, using: &rng)
        }
        m.probeAttempt += 1
        m.nextProbeNs = Deadline.nowNanoseconds() + Int64(delay) * 1_000_000
        ensureProberLocked()
        lock.signal()
    }

    /// Starts the prober thread if this process has none. Lock held.
    func ensureProberLocked() {
        guard prober == nil, !stopping else { return }
        prober = NativeThread.start { [self] in proberLoop() }
        if prober == nil { log.error("cannot start the prober thread; ejected members will not rejoin") }
    }

    private func proberLoop() {
        lock.lock()
        while !stopping {
            var due: GroupMember?
            for m in members where m.isKeptOut && !m.probing {
                if let d = due, d.nextProbeNs <= m.nextProbeNs { continue }
                due = m
            }
            guard let m = due else { lock.wait(); continue }
            if m.nextProbeNs > Deadline.nowNanoseconds() {
                lock.wait(until: Deadline(nanoseconds: m.nextProbeNs))
                continue
            }
            m.probing = true
            lock.unlock()
            let outcome = probe(m)
            lock.lock()
            m.probing = false
            guard m.isKeptOut, !stopping else { continue }
            switch outcome {
            case let .success(answer):
                lock.unlock()
                _ = admit(m, answer, byProber: true)
                lock.lock()
            case let .failure(f):
                m.lastError = "probe: \(f.message)"
                scheduleProbeLocked(m)
                if log.isEnabled(.debug) {
                    let text = "\(m.label): probe failed (\(f.message)); next in \((m.nextProbeNs - Deadline.nowNanoseconds()) / 1_000_000) ms"
                    lock.unlock()
                    log.debug(text)
                    lock.lock()
                }
            }
        }
        lock.unlock()
    }

    /// One probe: a fresh short-lived connection, `NC`, then (when the member was ejected
    /// for a command's failed reply and that command is safe to replay) that command, which
    /// must get a well-formed reply (any HSM error code); closed again.
    func probe(_ m: GroupMember) -> Result<NCAnswer, TransportFailure> {
        do {
            let probeMs = m.config.probeTimeoutMs
            let replay: [UInt8]? = lock.withLock { m.state == .ejected ? m.probeCommand : nil }
            let stream = try m.connector.connect(deadline: .after(milliseconds: min(m.config.connTimeoutMs, probeMs)))
            let conn = Connection(stream: stream, headerLength: m.config.headerLength,
                                  maxReplyLength: options.maxReplyLength, pooled: false, generation: -1)
            defer { conn.close() }
            let answer = try readDMK(on: conn, timeoutMs: probeMs)
            if let r = replay, case .checkValue = answer, let code = CommandCode(wire: r[0], r[1]) {
                do {
                    _ = try conn.exchange(r, command: code, timeoutMs: probeMs)
                } catch var f as TransportFailure {
                    f.message = "\(code) replayed: " + f.message
                    throw f
                }
            }
            return .success(answer)
        } catch let f as TransportFailure {
            return .failure(f)
        } catch {
            return .failure(TransportFailure(.internal, "\(error)", notSent: true))
        }
    }
}
