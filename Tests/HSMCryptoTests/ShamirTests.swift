@testable import HSMCrypto
import XCTest

final class ShamirTests: XCTestCase {
    /// All subsets of `items` of size `k`.
    func subsets<T>(_ items: [T], _ k: Int) -> [[T]] {
        if k == 0 { return [[]] }
        if items.count < k { return [] }
        let head = items[0], rest = Array(items.dropFirst())
        return subsets(rest, k - 1).map { [head] + $0 } + subsets(rest, k)
    }

    func testAnyKOfNRecombines() throws {
        let secret = try Random.bytes(16)
        for (k, n) in [(2, 3), (3, 5), (1, 3), (5, 5)] {
            let shares = try Shamir.split(secret: secret, threshold: k, shares: n)
            XCTAssertEqual(shares.count, n)
            XCTAssertEqual(shares.map { $0.x }, (1...n).map { UInt8($0) })
            for subset in subsets(shares, k) {
                XCTAssertEqual(try Shamir.combine(subset), secret, "k=\(k) n=\(n)")
                XCTAssertEqual(try Shamir.combine(subset.reversed()), secret)
            }
            // more than k also works
            XCTAssertEqual(try Shamir.combine(shares), secret)
        }
    }

    func testFewerThanKDoNotGiveSecret() throws {
        let secret = try Random.bytes(32)
        let shares = try Shamir.split(secret: secret, threshold: 3, shares: 5)
        for subset in subsets(shares, 2) {
            XCTAssertNotEqual(try Shamir.combine(subset), secret)
        }
        for s in shares { XCTAssertNotEqual(s.y, secret) }
    }

    func testOneOfOneAndEdgeSizes() throws {
        let secret: [UInt8] = [0x42]
        let one = try Shamir.split(secret: secret, threshold: 1, shares: 1)
        XCTAssertEqual(one.count, 1)
        XCTAssertEqual(one[0].y, secret) // degree 0 polynomial: share = secret
        XCTAssertEqual(try Shamir.combine(one), secret)
        let big = try Random.bytes(1024)
        let shares = try Shamir.split(secret: big, threshold: 2, shares: 255)
        XCTAssertEqual(shares.count, 255)
        XCTAssertEqual(shares.last?.x, 255)
        XCTAssertEqual(try Shamir.combine([shares[254], shares[7]]), big)
    }

    func testGF256Arithmetic() {
        // FIPS 197 section 4.2: {57} x {83} = {c1}, {57} x {13} = {fe}.
        XCTAssertEqual(GF256.mul(0x57, 0x83), 0xC1)
        XCTAssertEqual(GF256.mul(0x57, 0x13), 0xFE)
        for a in 1...255 { XCTAssertEqual(GF256.mul(UInt8(a), GF256.inverse(UInt8(a))), 1) }
    }

    func testSerialisation() throws {
        let s = Shamir.Share(x: 3, y: [9, 8, 7])
        XCTAssertEqual(s.bytes, [3, 9, 8, 7])
        XCTAssertEqual(try Shamir.Share(bytes: s.bytes), s)
        assertThrows(.invalidShares("share encoding"), try Shamir.Share(bytes: [3]))
        assertThrows(.invalidShares("share encoding"), try Shamir.Share(bytes: [0, 1]))
    }

    func testErrors() throws {
        assertThrows(.invalidThreshold, try Shamir.split(secret: [1], threshold: 0, shares: 3))
        assertThrows(.invalidThreshold, try Shamir.split(secret: [1], threshold: 4, shares: 3))
        assertThrows(.invalidThreshold, try Shamir.split(secret: [1], threshold: 2, shares: 256))
        assertThrows(.invalidArgument("empty secret"), try Shamir.split(secret: [], threshold: 1, shares: 1))
        let shares = try Shamir.split(secret: [1, 2, 3], threshold: 2, shares: 3)
        assertThrows(.duplicateShare, try Shamir.combine([shares[0], shares[0]]))
        assertThrows(.invalidShares("no shares"), try Shamir.combine([]))
        assertThrows(.invalidShares("x is zero"), try Shamir.combine([Shamir.Share(x: 0, y: [1, 2, 3]), shares[1]]))
        assertThrows(.invalidShares("share lengths differ"), try Shamir.combine([shares[0], Shamir.Share(x: 9, y: [1])]))
        assertThrows(.invalidShares("empty share"), try Shamir.combine([Shamir.Share(x: 1, y: [])]))
    }
}
