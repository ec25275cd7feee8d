import HSMNet

/// How a group without `[GROUP] dmkCheckValue` decides its DMK check value: by quorum of
/// the members' `NC` answers, never by which member answered first (issue 15, item 2).
///
/// Pure decision logic; the round that collects the answers is `GroupCore.awaitQuorumLocked`
/// (HostGroup+Quorum.swift). See docs/failover.md, "DMK guard".
enum DMKQuorum {
    /// One member's answer: its position in the configuration (0 = HOST1) and its value.
    struct Answer: Equatable {
        var index: Int
        var value: String
    }

    enum Decision: Equatable {
        /// The group's value. `tieBrokenByFirst`: several values had the same support and
        /// HOST1's value was taken (the log says so).
        case decided(String, tieBrokenByFirst: Bool)
        /// Not yet: more answers may come before the round ends.
        case pending
        /// No decision possible from these answers (`reason` names members and values: DMK
        /// check values are not secret).
        case failed(String)
    }

    /// Decides from `answers` of a group of `configured` members.
    ///
    /// - A value reported by a majority of the configured members wins at once.
    /// - Otherwise, once the round is `complete` (every member answered or failed, or the
    ///   round's window passed: the largest `max(connTimeout, readTimeout)`): the value reported by the most members that answered wins;
    ///   all that answered agreeing is the common case. A tie between the most supported
    ///   values is broken by HOST1's value when HOST1 is one of them; when three or more
    ///   members answered and no two agree, or HOST1 cannot break the tie, there is no
    ///   decision.
    static func decide(configured: Int, answers: [Answer], complete: Bool) -> Decision {
        var values: [(value: String, members: [Int])] = []
        for a in answers {
            if let i = values.firstIndex(where: { $0.value == a.value }) {
                values[i].members.append(a.index)
            } else {
                values.append((a.value, [a.index]))
            }
        }
        if let v = values.first(where: { $0.members.count * 2 > configured }) {
            return .decided(v.value, tieBrokenByFirst: false)
        }
        guard complete else { return .pending }
        guard !values.isEmpty else { return .failed("no member answered NC") }
        let listing = describe(values)
        if values.count == 1 { return .decided(values[0].value, tieBrokenByFirst: false) }
        if answers.count >= 3 && values.count == answers.count {
            return .failed("every member that answered reports another DMK check value (\(listing))")
        }
        let top = values.map(\.members.count).max() ?? 0
        let tied = values.filter { $0.members.count == top }
        if tied.count == 1 { return .decided(tied[0].value, tieBrokenByFirst: false) }
        if let first = tied.first(where: { $0.members.contains(0) }) {
            return .decided(first.value, tieBrokenByFirst: true)
        }
        return .failed("a tie between DMK check values that HOST1 cannot break (\(listing))")
    }

    /// `A by HOST1, HOST3; B by HOST2` (1-based host numbers).
    static func describe(_ values: [(value: String, members: [Int])]) -> String {
        values.map { v in "\(v.value) by " + v.members.map { "HOST\($0 + 1)" }.joined(separator: ", ") }
            .joined(separator: "; ")
    }

    /// The same for a list of answers.
    static func describe(_ answers: [Answer]) -> String {
        var values: [(value: String, members: [Int])] = []
        for a in answers {
            if let i = values.firstIndex(where: { $0.value == a.value }) { values[i].members.append(a.index) } else { values.append((a.value, [a.index])) }
        }
        return describe(values)
    }
}

/// The state of the quorum round of one group. Guarded by the group's lock.
struct DMKQuorumRound {
    /// A round is collecting answers.
    var running = false
    /// Increments per round, so a late worker of an old round is recognised.
    var number = 0
    var deadline = Deadline(nanoseconds: 0)
    /// Workers of this round that have not reported yet.
    var pending = 0
    var answers: [DMKQuorum.Answer] = []
    /// After a failed round: calls fail with `failure` until then (rounds are spaced by the
    /// probe backoff, so a split group is not flooded with `NC`).
    var retryAfterNs: Int64 = 0
    var failedRounds = 0
    var failure: CACipherError?
    /// The last round ended with no answer at all (every member down or silent): calls take
    /// the normal path at once and start no round themselves (each would wait a whole
    /// window again); the next `NC` answered there or by a probe starts the next round.
    var nobodyAnswered = false
    /// That round ended by its window (members silent, not refusing): the calls that waited
    /// for it fail at once with `.timeout` instead of a second attempt.
    var silentRound = false
}
