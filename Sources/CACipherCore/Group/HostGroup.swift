import HSMNet
/// One logical HSM over all configured `[HOSTn]` members.
///
/// Callers never pick a host: `transmit` balances by least outstanding requests (config
/// order breaks ties), ejects members on transport failures (never on HSM error codes,
/// never the last live member), probes kept-out members in the background and brings them
/// back, re-sends a failed command to another member when that is safe, hedges slow safe
/// calls (HostGroup+Hedging.swift), drains outliers (OutlierPolicy.swift) and keeps out any
/// member whose DMK check value differs from the group's, decided by quorum when it is not
/// pinned (HostGroup+Quorum.swift). See `docs/failover.md`.
///
/// Thread safe; fork safe (a child process opens its own connections on first use).
public final class HostGroup: @unchecked Sendable {
    let core: GroupCore  // metrics: internal for HostGroup+Metrics.swift

    public init(hosts: [HostConfig], log: Log, options: GroupOptions = GroupOptions()) {
        core = GroupCore(hosts: hosts, log: log, options: options)
    }

    deinit { core.shutdown() }

    /// Sends one command (`payload` = command code + fields) and returns the reply from the
    /// response code on (`RSP ERR FIELDS`), whatever its `ERR`: HSM error codes are the
    /// caller's business, not transport failures.
    ///
    /// - Parameter idempotent: `true` (every stateless command): after any transport
    ///   failure the command is re-sent to another member. `false` (a command that stores
    ///   into the HSM): re-sent only when the request provably did not reach the first one.
    /// - Throws: `CACipherError` with `.invalidArgument`, `.connect`, `.timeout`, `.io`,
    ///   `.badFrame`, `.poolExhausted`, `.allMembersDown`, `.dmkMismatch`,
    ///   `.retryBudgetExhausted`, `.notInitialized` (after `shutdown`); see failover.md.
    public func transmit(_ payload: [UInt8], idempotent: Bool = true) throws -> [UInt8] {
        try core.transmit(payload, idempotent: idempotent).bytes
    }

    /// The same, with the reply's error code as the connection parsed it (the typed layer
    /// and TassCompat read it instead of parsing the reply again).
    package func transmitChecked(_ payload: [UInt8], idempotent: Bool = true) throws -> CheckedReply {
        try core.transmit(payload, idempotent: idempotent)
    }

    /// A snapshot of every member, in configuration order.
    public func memberStatus() -> [MemberStatus] { core.memberStatus() }

    /// Hedged requests sent so far, and hedges not sent for want of a retry-budget token.
    public func hedgeCounts() -> (sent: Int, refused: Int) { core.hedgeCounts() }

    /// Stops the prober and closes every connection. Later calls fail with `.notInitialized`.
    public func shutdown() { core.shutdown() }
}
