import HSMNet
/// The members a call has tried: a bit mask, with an array only for groups over 64.
struct TriedSet {
    private var bits: UInt64 = 0
    private var more: [Bool]

    init(count: Int) { more = count > 64 ? [Bool](repeating: false, count: count) : [] }

    mutating func insert(_ i: Int) {
        if i < 64 { bits |= 1 << UInt64(i) } else if i < more.count { more[i] = true }
    }

    func contains(_ i: Int) -> Bool {
        i < 64 ? bits & (1 << UInt64(i)) != 0 : (i < more.count && more[i])
    }
}
