import HSMNet
import XCTest
@testable import CACipherCore

/// The pure policies behind the group: probe backoff, retry budget, tried-member set.
final class GroupPolicyTests: XCTestCase {
    func testProbeBackoffGrowsExponentiallyToTheCap() {
        let b = ProbeBackoff(initialMs: 100, maxMs: 5_000)
        XCTAssertEqual((0..<8).map { b.nominalMs(attempt: $0) }, [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000])
        XCTAssertEqual(b.nominalMs(attempt: 1_000), 5_000, "no overflow on long outages")
    }

    func testProbeBackoffIsJitteredWithinHalfToFull() {
        let b = ProbeBackoff(initialMs: 100, maxMs: 5_000)
        var rng = SystemRandomNumberGenerator()
        var seen = Set<Int>()
        for _ in 0..<200 {
            let d = b.delayMs(attempt: 3, using: &rng)
            XCTAssertGreaterThanOrEqual(d, 400)
            XCTAssertLessThanOrEqual(d, 800)
            seen.insert(d)
        }
        XCTAssertGreaterThan(seen.count, 10, "delays vary (jitter)")
    }

    func testProbeBackoffClampsNonsense() {
        let b = ProbeBackoff(initialMs: -5, maxMs: Int.max)
        XCTAssertEqual(b.nominalMs(attempt: 0), 1)
        XCTAssertLessThanOrEqual(b.nominalMs(attempt: 60), 3_600_000)
    }

    func testRetryBudgetAllowsRatioOfCallsPlusBurst() {
        var budget = RetryBudget(ratio: 0.2, perSecond: 0, burst: 2)
        let t0 = Deadline.nowNanoseconds()
        XCTAssertTrue(budget.withdraw(nowNs: t0))
        XCTAssertTrue(budget.withdraw(nowNs: t0))
        XCTAssertFalse(budget.withdraw(nowNs: t0), "burst spent")
        for _ in 0..<4 { budget.deposit() }
        XCTAssertFalse(budget.withdraw(nowNs: t0), "4 calls x 0.2 < 1 token")
        budget.deposit()
        XCTAssertTrue(budget.withdraw(nowNs: t0), "5 calls earn one re-send")
        for _ in 0..<100 { budget.deposit() }
        XCTAssertTrue(budget.withdraw(nowNs: t0))
        XCTAssertTrue(budget.withdraw(nowNs: t0))
        XCTAssertFalse(budget.withdraw(nowNs: t0), "never more than the burst in a row")
    }

    func testRetryBudgetRefillsOverTime() {
        var budget = RetryBudget(ratio: 0, perSecond: 10, burst: 1)
        let t0 = Deadline.nowNanoseconds()
        XCTAssertTrue(budget.withdraw(nowNs: t0))
        XCTAssertFalse(budget.withdraw(nowNs: t0 + 50_000_000), "half a token after 50 ms")
        XCTAssertTrue(budget.withdraw(nowNs: t0 + 110_000_000))
    }

    func testTriedSetSmallAndLarge() {
        for n in [1, 3, 64, 65, 200] {
            var t = TriedSet(count: n)
            for i in stride(from: 0, to: n, by: 3) { t.insert(i) }
            for i in 0..<n { XCTAssertEqual(t.contains(i), i % 3 == 0, "n=\(n) i=\(i)") }
        }
    }
}
