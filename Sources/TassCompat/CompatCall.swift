import CACipherCore
import HostProtocol

/// How every vendor function runs: its body throws `CompatError` (a vendor code) or
/// `CACipherError` (from the typed calls and the group), and `Compat.run` turns either into
/// the `int` the vendor's callers expect, writing one log line per failure (the function,
/// the code, a message that names arguments, never their values).
enum Compat {
    static func run(_ function: StaticString, _ body: () throws -> Int32) -> Int32 {
        do {
            return try body()
        } catch let e as CompatError {
            fail(function, e.code, e.message)
            return e.code
        } catch let e as CACipherError {
            let code = map(e)
            fail(function, code, e.message)
            return code
        } catch {
            fail(function, HAR.paramUnknown, "unexpected failure")
            return HAR.paramUnknown
        }
    }

    static func fail(_ function: StaticString, _ code: Int32, _ message: String) {
        guard let log = CompatRuntime.log, log.isEnabled(.error) else { return }
        log.errorLimited(key: code, "\(function) - \(message), return code = [\(code < 100 ? String(code) : "0x" + hex8(code))]")
    }

    static func hex8(_ v: Int32) -> String {
        let s = String(UInt32(bitPattern: v), radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    /// A library error as the vendor's code. HSM answers (1...99) pass through unchanged
    /// (vendor §4.1); transport failures are the `HAR_SOCK_*` codes of the vendor's previous
    /// transport (§2.2 rule 5), never masked.
    static func map(_ e: CACipherError) -> Int32 {
        if e.isHSMError { return e.code }
        switch CACipherError.Code(rawValue: e.code) {
        case .connect?, .allMembersDown?, .poolExhausted?, .dmkMismatch?, .retryBudgetExhausted?, .tls?, .tlsVerify?:
            return HAR.sockConnect
        case .timeout?: return HAR.sockSelect
        case .io?: return HAR.sockRecv
        // A frame that could not be read (bad length, header not echoed, too short) is the
        // vendor's receive failure; a readable reply that answers another command, its
        // response-code error (vendor spec 2.3 rules 1-3).
        case .badFrame?: return e.frameUnreadable ? HAR.sockRecv : HAR.msgRspCode
        case .invalidArgument?: return HAR.paramValue
        case .bufferTooSmall?: return HAR.memLenLess
        case .notInitialized?: return HAR.notInitialized
        case .config?, .configFile?, .logSetup?: return HAR.cfgFileValueInvalid
        case .noMemory?: return HAR.memMalloc
        default: return HAR.paramUnknown
        }
    }
}

/// Whether a caller's pointer may be used. Nothing is ever mapped in the first page
/// (Linux's `vm.mmap_min_addr` is at least 4096), so a pointer there is a caller's mistake
/// (a `char` stored in a `char *`, as one of the vendor's test programs does, or an int
/// passed for a pointer): it is refused as NULL is (`HAR_PARAM_ISNULL`), or skipped where
/// NULL is allowed, instead of crashing the program.
enum Ptr {
    static let firstUsable: UInt = 4096
    static func usable(_ p: UnsafeRawPointer?) -> Bool { p.map { UInt(bitPattern: $0) >= firstUsable } ?? false }
    static func usable<T>(_ p: UnsafePointer<T>?) -> Bool { usable(p.map { UnsafeRawPointer($0) }) }
    static func usable<T>(_ p: UnsafeMutablePointer<T>?) -> Bool { usable(p.map { UnsafeRawPointer($0) }) }
}

/// Writing the vendor functions' outputs. String outputs are upper-case where hex, and
/// always NUL-terminated (the vendor copied some without the NUL; callers pass zeroed
/// buffers of the sizes in include/tass/hsmapi.h, so the extra NUL is harmless).
enum Out {
    /// Fails with `HAR_PARAM_ISNULL` unless every output is non-NULL: checked before
    /// anything is sent.
    static func require(_ outputs: (UnsafeMutableRawPointer?, String)...) throws {
        for (p, name) in outputs where !Ptr.usable(p.map { UnsafeRawPointer($0) }) {
            throw CompatError(HAR.paramIsNull, p == nil ? "output \(name) is NULL" : "output \(name) is not a valid address (first page)")
        }
    }

    static func raw<T>(_ p: UnsafeMutablePointer<T>?) -> UnsafeMutableRawPointer? { p.map { UnsafeMutableRawPointer($0) } }

    /// Writes `text` and a NUL.
    static func string(_ p: UnsafeMutablePointer<CChar>?, _ text: [UInt8]) {
        guard let p, Ptr.usable(p) else { return }
        text.withUnsafeBufferPointer { b in
            p.withMemoryRebound(to: UInt8.self, capacity: text.count + 1) { d in
                if let base = b.baseAddress, b.count > 0 { d.update(from: base, count: b.count) }
                d[text.count] = 0
            }
        }
    }

    /// Writes `bytes` as upper-case hex and a NUL (straight into the caller's buffer: no
    /// intermediate array on this per-call path).
    static func hex(_ p: UnsafeMutablePointer<CChar>?, _ bytes: [UInt8]) {
        guard let p, Ptr.usable(p) else { return }
        p.withMemoryRebound(to: UInt8.self, capacity: bytes.count * 2 + 1) { d in
            var i = 0
            for b in bytes {
                d[i] = Hex.digits[Int(b >> 4)]
                d[i + 1] = Hex.digits[Int(b & 0x0F)]
                i += 2
            }
            d[i] = 0
        }
    }

    /// Writes a key field (scheme letter and hex; a single DES key as bare 16H).
    static func key(_ p: UnsafeMutablePointer<CChar>?, _ key: KeyField) { string(p, key.wire) }

    /// Writes binary output and its length.
    static func binary(_ p: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<Int32>?, _ bytes: [UInt8]) {
        if let p, Ptr.usable(p), !bytes.isEmpty { bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: bytes.count) } }
        if let length, Ptr.usable(length) { length.pointee = Int32(bytes.count) }
    }
}
