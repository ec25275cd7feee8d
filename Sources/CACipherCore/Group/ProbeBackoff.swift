import HSMNet
/// Delays between probes of a kept-out member: exponential from `initialMs` up to `maxMs`,
/// each drawn uniformly from 50...100 % of its nominal value ("equal jitter"), so clients
/// that lost the same HSM do not reconnect in step.
struct ProbeBackoff: Sendable {
    let initialMs: Int
    let maxMs: Int

    init(initialMs: Int, maxMs: Int) {
        self.initialMs = min(max(1, initialMs), 3_600_000)
        self.maxMs = min(max(self.initialMs, maxMs), 3_600_000)
    }

    /// The nominal delay before probe number `attempt` (0-based).
    func nominalMs(attempt: Int) -> Int {
        let shift = min(max(0, attempt), 30)
        return min(maxMs, initialMs << shift)
    }

    /// The jittered delay before probe number `attempt`.
    func delayMs<R: RandomNumberGenerator>(attempt: Int, using rng: inout R) -> Int {
        let nominal = nominalMs(attempt: attempt)
        return nominal / 2 + Int.random(in: 0...(nominal - nominal / 2), using: &rng)
    }
}
