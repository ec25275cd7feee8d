import HSMCrypto
import HostProtocol

/// Shared by the card and PIN verification commands `CW`, `CY` (Visa CVV), `DG` (Visa PVV),
/// `DE`, `EA` (IBM 3624 offset) and `JA` (random PIN): the key checks, the Visa
/// decimalisation, and the three algorithms. DES runs through `Prim` (HSMCrypto): an 8-byte
/// key is single DES, 16/24 bytes 3DES.
///
/// Errors: `10`/`11` a key that fails its parity / authenticator check for the type (a key
/// of another type), `27` a `K` index stored as another type or a CVK that is not
/// double-length, `26` an SM4/AES key where the algorithm needs DES, `15` a field out of
/// range, `24` PIN length.
enum PINVerifyHandlerSupport {
    // MARK: keys

    /// The CVK as a 16-byte double-length DES key (CVK A || CVK B).
    static func cvk(_ ctx: HandlerContext, _ field: CVKField) throws -> ClearKey {
        switch field {
        case let .key(f):
            var k = try ctx.clearKey(f, type: .cvk)
            guard k.cipher == .des else { k.wipe(); throw HostFailure(.invalidKeyScheme) }
            guard k.bytes.count == 16 else { k.wipe(); throw HostFailure(.keyTypeNotPermitted) }
            return k
        case let .pair(fa, fb):
            var a = try ctx.clearKey(fa, type: .cvk)
            defer { a.wipe() }
            var b = try ctx.clearKey(fb, type: .cvk)
            defer { b.wipe() }
            guard a.bytes.count == 8, b.bytes.count == 8 else { throw HostFailure(.keyTypeNotPermitted) }
            return ClearKey(bytes: a.bytes + b.bytes, scheme: .doubleX917)
        }
    }

    /// A PVK (type `002`): any DES key (8 bytes: single DES; 16/24: 3DES).
    static func pvk(_ ctx: HandlerContext, _ field: KeyField, parity: HostErrorCode = .sourceKeyParity) throws -> ClearKey {
        var k = try ctx.clearKey(field, type: .pvk, parity: parity)
        guard k.cipher == .des else { k.wipe(); throw HostFailure(.invalidKeyScheme) }
        return k
    }

    // MARK: decimalisation

    /// Visa decimalisation of a block: its hex digits 0-9 left to right, then its digits A-F
    /// (minus 10) left to right. Digit values.
    static func visaDigits(_ block: [UInt8]) -> [UInt8] {
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(block.count * 2)
        for b in block {
            nibbles.append(b >> 4)
            nibbles.append(b & 0x0F)
        }
        defer { SecureBytes.wipe(&nibbles) }
        return nibbles.filter { $0 <= 9 } + nibbles.filter { $0 > 9 }.map { $0 - 10 }
    }

    static func text(_ digits: [UInt8]) -> String { String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self) }

    /// Packs hex digit values (an even count) into bytes.
    static func pack(_ nibbles: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i + 1 < nibbles.count {
            out.append(nibbles[i] << 4 | nibbles[i + 1])
            i += 2
        }
        return out
    }

    static func digitValues(_ s: String) -> [UInt8] { s.utf8.map { $0 &- 0x30 } }

    // MARK: Visa CVV

    /// Visa CVV: PAN || expiry || service code, padded on the right with `0` to 32 digits,
    /// is two blocks B1 B2. R = 3DES-EDE(K)(DES(A)(B1) XOR B2); the CVV is the first three
    /// digits of R's Visa decimalisation.
    static func cvv(key: ClearKey, pan: String, expiry: String, serviceCode: String) throws -> String {
        var data = digitValues(pan + expiry + serviceCode)
        guard data.count <= 32, data.allSatisfy({ $0 <= 9 }), key.bytes.count == 16 else { throw HostFailure(.invalidInput) }
        data += [UInt8](repeating: 0, count: 32 - data.count)
        let blocks = pack(data)
        var keyA = Array(key.bytes.prefix(8))
        defer { SecureBytes.wipe(&keyA) }
        var r = try Prim.crypt(.des, key: keyA, data: Array(blocks[0..<8]), encrypt: true)
        for i in 0..<8 { r[i] ^= blocks[8 + i] }
        r = try Prim.crypt(.des, key: key.bytes, data: r, encrypt: true)
        return text(Array(visaDigits(r).prefix(3)))
    }

    // MARK: Visa PVV

    /// Visa PVV: the TSP is the 11 rightmost digits of the account field (the PAN without its
    /// check digit), the PVKI, the 4 leftmost PIN digits; encrypted under the PVK; the PVV is
    /// the first four digits of the result's Visa decimalisation.
    static func pvv(key: ClearKey, account: String, pvki: Int, pin: [UInt8]) throws -> String {
        let acct = digitValues(account)
        guard acct.count == 12, (0...15).contains(pvki), pin.count >= 4 else { throw HostFailure(.invalidInput) }
        var tsp = Array(acct.suffix(11)) + [UInt8(pvki)] + Array(pin.prefix(4))
        defer { SecureBytes.wipe(&tsp) }
        var block = pack(tsp)
        defer { SecureBytes.wipe(&block) }
        var r = try Prim.crypt(.des, key: key.bytes, data: block, encrypt: true)
        defer { SecureBytes.wipe(&r) }
        return text(Array(visaDigits(r).prefix(4)))
    }

    // MARK: IBM 3624

    /// Check lengths `DE` and `EA` take.
    static let checkLengths = 4...12

    /// The 16 hex digits of the validation block: the 12A validation data with its one `N`
    /// replaced by the last 5 digits of the account. No `N`, or more than one: `15`.
    static func validationBlock(_ p: IBMOffsetParameters) throws -> [UInt8] {
        let v = Array(p.validationData.utf8)
        guard v.filter({ $0 == UInt8(ascii: "N") }).count == 1, let at = v.firstIndex(of: UInt8(ascii: "N")) else {
            throw HostFailure(.invalidInput)
        }
        let text = Array(v[..<at]) + Array(p.account.utf8.suffix(5)) + Array(v[(at + 1)...])
        guard text.count == 16, let block = Hex.decode(text) else { throw HostFailure(.invalidInput) }
        return block
    }

    /// The natural PIN digits (16 of them; the PIN uses as many as it is long): the
    /// validation block encrypted under the PVK, each hex digit replaced by the
    /// decimalisation table's digit at that position.
    static func naturalPIN(key: ClearKey, _ p: IBMOffsetParameters) throws -> [UInt8] {
        let table = digitValues(p.decimalisationTable)
        guard table.count == 16, table.allSatisfy({ $0 <= 9 }) else { throw HostFailure(.invalidInput) }
        var r = try Prim.crypt(.des, key: key.bytes, data: try validationBlock(p), encrypt: true)
        defer { SecureBytes.wipe(&r) }
        var out: [UInt8] = []
        for b in r {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0x0F)])
        }
        return out
    }

    /// Offset digit i = (PIN digit i - natural digit i) mod 10, for every PIN digit.
    static func offset(pin: [UInt8], natural: [UInt8]) -> String {
        var o: [UInt8] = []
        for i in 0..<min(pin.count, natural.count) { o.append((pin[i] + 10 - natural[i]) % 10) }
        return text(o)
    }

    /// Whether the leftmost `checkLength` PIN digits equal natural + offset (mod 10), in a
    /// time that does not depend on where they differ.
    static func matches(pin: [UInt8], natural: [UInt8], offset: [UInt8], checkLength: Int) -> Bool {
        guard pin.count >= checkLength, offset.count >= checkLength, natural.count >= checkLength else { return false }
        var diff: UInt8 = 0
        for i in 0..<checkLength { diff |= pin[i] ^ ((natural[i] + offset[i]) % 10) }
        return diff == 0
    }

    // MARK: random PIN

    /// `count` uniformly random decimal digits (rejection sampling of random bytes; bounded).
    static func randomDigits(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var rounds = 0
        while out.count < count {
            rounds += 1
            guard rounds <= 64 else { throw HostFailure(.internalError) }
            var r = try Prim.random(32)
            for b in r where b < 250 && out.count < count { out.append(b % 10) }
            SecureBytes.wipe(&r)
        }
        return out
    }
}
