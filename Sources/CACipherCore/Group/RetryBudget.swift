import HSMNet

/// A token bucket bounding re-sends across all calls of a group, so a dying group is not
/// hammered: re-sends stay below `ratio` of calls plus `perSecond` per second, with at
/// most `burst` in a row. Not thread safe; the group guards it.
struct RetryBudget {
    let ratio: Double
    let perSecond: Double
    let burst: Double
    private var balance: Double
    private var lastNs: Int64

    init(ratio: Double, perSecond: Double, burst: Double) {
        self.ratio = max(0, ratio)
        self.perSecond = max(0, perSecond)
        self.burst = max(0, burst)
        self.balance = self.burst
        self.lastNs = Deadline.nowNanoseconds()
    }

    /// One call started.
    mutating func deposit() {
        balance = min(burst, balance + ratio)
    }

    /// Takes one re-send token if there is one.
    mutating func withdraw(nowNs: Int64 = Deadline.nowNanoseconds()) -> Bool {
        let elapsed = Double(max(0, nowNs - lastNs)) / 1e9
        lastNs = nowNs
        balance = min(burst, balance + perSecond * elapsed)
        guard balance >= 1 else { return false }
        balance -= 1
        return true
    }
}
