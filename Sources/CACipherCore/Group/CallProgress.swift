import HSMNet
/// One call's progress through the group, across its attempts: the members tried, the
/// failures so far (in order), whether it may still be hedged, its deadline. Owned by the
/// calling thread; `nextAttemptLocked` reads it under the group's lock.
struct CallProgress {
    var tried: TriedSet
    var failed: [(member: GroupMember, failure: TransportFailure)] = []
    var hedgeable: Bool
    /// Every wait of the call (pool, connect, NC, the command, re-sends) ends by then.
    let deadline: Deadline
    /// When the call was admitted (metrics: call latency).
    var startNs: Int64 = 0

    init(tried: TriedSet, hedgeable: Bool, deadline: Deadline) {
        self.tried = tried
        self.hedgeable = hedgeable
        self.deadline = deadline
    }
}

/// The member picked for a call's next attempt, with what the pick saw under the lock.
struct Attempt {
    let member: GroupMember
    /// The member had not passed the DMK guard yet (`unknown`): a new connection is checked.
    let needsCheck: Bool
    /// The member's completed count at the pick (tells a stuck member from a busy pool).
    let completedAtPick: Int
    /// The hedge delay, when this attempt may be hedged.
    let hedgeMs: Int?
}

/// What the group gives a call for its next attempt: a member, or why there is none.
enum NextAttempt {
    case attempt(Attempt)
    /// No live member left that the call has not tried.
    case noMember
    /// After read timeouts only: no member left has answered since its last timeout.
    case noneAnswering
    /// A re-send would start after the call's deadline.
    case deadlinePassed
    /// A re-send found no retry-budget token.
    case budgetExhausted
}
