@testable import HSMSecrets
import XCTest

/// SecureBytes: storage zeroed when its last holder goes, copy-on-write, growth, no contents in
/// descriptions. The zeroing is observed through `Storage.beforeFree`, which sees each region
/// after the deinit's cleanse and before the memory is freed.
final class SecureBytesTests: XCTestCase {
    /// Regions freed while the hook is set: (capacity, all bytes zero).
    private var freed: [(count: Int, allZero: Bool)] = []

    override func setUp() {
        super.setUp()
        freed = []
        SecureBytes.Storage.beforeFree = { [unowned self] region in
            self.freed.append((region.count, region.allSatisfy { $0 == 0 }))
        }
    }

    override func tearDown() {
        SecureBytes.Storage.beforeFree = nil
        super.tearDown()
    }

    func testStorageZeroedWhenLastReferenceGoes() {
        do {
            let a = SecureBytes([0xA5, 0x5A, 0xFF, 0x01, 0x80])
            do {
                let b = a  // shares the storage
                XCTAssertEqual(b.count, 5)
            }
            XCTAssertTrue(freed.isEmpty, "a copy going away must not free or zero storage still in use")
            XCTAssertEqual(a[0], 0xA5)
        }
        XCTAssertEqual(freed.count, 1)
        XCTAssertTrue(freed[0].allZero)
        XCTAssertGreaterThanOrEqual(freed[0].count, 5)
    }

    func testCopyThenMutateLeavesOriginal() {
        let original = SecureBytes([1, 2, 3, 4])
        var copy = original
        copy[0] = 9
        copy.withUnsafeMutableBytes { $0[1] = 8 }
        XCTAssertEqual(original.withUnsafeBytes { Array($0) }, [1, 2, 3, 4])
        XCTAssertEqual(copy.withUnsafeBytes { Array($0) }, [9, 8, 3, 4])
        XCTAssertTrue(freed.isEmpty, "the original's storage is still in use: nothing may be zeroed")
        XCTAssertEqual(original[3], 4)
    }

    func testRemoveAllOnSharedCopyKeepsOther() {
        let a = SecureBytes([7, 7, 7])
        var b = a
        b.removeAll()
        XCTAssertEqual(b.count, 0)
        XCTAssertEqual(a.withUnsafeBytes { Array($0) }, [7, 7, 7])
        var c = SecureBytes([1, 2])
        c.removeAll()
        XCTAssertTrue(c.isEmpty)
        c.append(3)
        XCTAssertEqual(c.withUnsafeBytes { Array($0) }, [3])
    }

    func testGrowthZeroesOldStorage() {
        var s = SecureBytes(count: 0)
        s.append(contentsOf: [UInt8](repeating: 0xEE, count: 16))
        let before = freed.count
        s.append(contentsOf: [UInt8](repeating: 0xDD, count: 40))  // past the capacity: moves
        XCTAssertEqual(s.count, 56)
        XCTAssertGreaterThan(freed.count, before, "the old region must be freed on growth")
        XCTAssertTrue(freed.allSatisfy { $0.allZero })
        XCTAssertEqual(s[0], 0xEE)
        XCTAssertEqual(s[55], 0xDD)
        var t = SecureBytes([1])
        t.append(SecureBytes([2, 3]))
        XCTAssertEqual(t.withUnsafeBytes { Array($0) }, [1, 2, 3])
        let shared = t
        t.removeLast()
        XCTAssertEqual(t.withUnsafeBytes { Array($0) }, [1, 2])
        XCTAssertEqual(shared.withUnsafeBytes { Array($0) }, [1, 2, 3], "removeLast on a copy leaves the other")
    }

    func testDescriptionHidesContents() {
        let s = SecureBytes([0x12, 0x34, 0x56, 0x78])
        XCTAssertEqual(s.description, "SecureBytes(4 bytes)")
        XCTAssertEqual("\(s)", "SecureBytes(4 bytes)")
        XCTAssertEqual(String(reflecting: s), "SecureBytes(4 bytes)")
        var dumped = ""
        dump(s, to: &dumped)
        XCTAssertFalse(dumped.contains("18"), dumped)  // 0x12
        XCTAssertFalse(dumped.contains("120"), dumped)  // 0x78
        XCTAssertTrue(dumped.contains("4"), dumped)
    }

    func testHexCountEqualityAndTemporaryArray() {
        XCTAssertEqual(SecureBytes(hex: "01abFF")?.withUnsafeBytes { Array($0) }, [0x01, 0xAB, 0xFF])
        XCTAssertNil(SecureBytes(hex: "0"))
        XCTAssertNil(SecureBytes(hex: "0G"))
        XCTAssertEqual(SecureBytes(count: 3).withUnsafeBytes { Array($0) }, [0, 0, 0])
        XCTAssertEqual(SecureBytes([1, 2, 3]), SecureBytes([1, 2, 3]))
        XCTAssertNotEqual(SecureBytes([1, 2, 3]), SecureBytes([1, 2, 4]))
        XCTAssertNotEqual(SecureBytes([1, 2, 3]), SecureBytes([1, 2]))
        XCTAssertEqual(SecureBytes(), SecureBytes([]))
        XCTAssertEqual(SecureBytes([0xC0, 0xDE]).hexString(), "C0DE")
        let n = SecureBytes([5, 6]).withTemporaryArray { $0.reduce(0, +) }
        XCTAssertEqual(n, 11)
    }

    func testWipeArray() {
        var b: [UInt8] = [1, 2, 3, 4]
        SecureBytes.wipe(&b, prefix: 2)
        XCTAssertEqual(b, [0, 0, 3, 4])
        SecureBytes.wipe(&b, prefix: 99)
        XCTAssertEqual(b, [0, 0, 0, 0])
        var c: [UInt8] = [9]
        SecureBytes.zero(&c)
        XCTAssertEqual(c, [0])
    }
}
