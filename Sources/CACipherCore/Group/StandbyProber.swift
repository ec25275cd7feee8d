import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Background checks of live members that carry no traffic (a standby that balancing
/// never picks, or any member idle for a while): every `standbyProbeIntervalMs` each
/// such member gets an `NC` on a fresh short-lived connection, like the prober's. A member
/// that does not answer is ejected (so a dead standby shows as ejected before it is
/// needed, and the prober takes over); one that answers joins (`unknown` -> `up`) or is
/// kept out by the DMK guard as on first use.
///
/// One thread per group (only for groups of two or more members), sleeping on its own
/// condition between rounds, never holding the group's lock across a probe. In a forked
/// child the group starts a new one on its first call (`GroupCore.forkCheckLocked`, where
/// the pools drop their inherited connections too); the parent's is never touched there.
final class StandbyProber: @unchecked Sendable {
    private unowned let group: GroupCore
    private let intervalMs: Int
    /// Internal for the fork test (a lock held at the fork stays held in the child).
    let lock = ConditionLock()
    private var stopping = false
    private var thread: NativeThread?

    private init(group: GroupCore, intervalMs: Int) {
        self.group = group
        self.intervalMs = intervalMs
    }

    /// Starts the checks when the group has several members and the interval is > 0.
    static func start(_ group: GroupCore) -> StandbyProber? {
        let ms = group.options.standbyProbeIntervalMs
        guard ms > 0, group.members.count > 1 else { return nil }
        let p = StandbyProber(group: group, intervalMs: ms)
        p.thread = NativeThread.start { [p] in p.loop() }
        return p.thread == nil ? nil : p
    }

    private func loop() {
        while true {
            let stop: Bool = lock.withLock {
                if !stopping { lock.wait(until: Deadline.after(milliseconds: intervalMs)) }
                return stopping
            }
            if stop { return }
            round()
        }
    }

    /// One pass over the members: probe each live member idle for a whole interval.
    private func round() {
        let now = Deadline.nowNanoseconds()
        let idleNs = Int64(intervalMs) * 1_000_000
        for m in group.members {
            if lock.withLock({ stopping }) { return }
            let due: Bool = group.lock.withLock {
                guard m.isLive, m.inFlight == 0, !m.probing, now - m.metrics.lastActivityNs >= idleNs else { return false }
                m.probing = true
                m.metrics.lastActivityNs = now
                m.metrics.standbyProbes += 1
                return true
            }
            guard due else { continue }
            let outcome = group.probe(m)
            switch outcome {
            case let .success(answer):
                group.lock.withLock { m.probing = false }
                _ = group.admit(m, answer, byProber: false)
            case let .failure(f):
                // Counted and judged like a failed call on the member (one attempt in flight).
                group.lock.withLock {
                    m.probing = false
                    m.inFlight += 1
                }
                var failure = f
                failure.message = "standby check (NC): " + f.message
                group.recordFailure(m, failure)
            }
        }
    }

    func stop() {
        let t: NativeThread? = lock.withLock {
            stopping = true
            lock.broadcast()
            let t = thread
            thread = nil
            return t
        }
        t?.join()
    }
}
