/// A key type code (3H): the variant digit then the LMK pair code.
///
/// The emulator enforces key usage by type: a key presented for a command is decrypted
/// under the LMK variant of the type the command requires, and a command refuses types it
/// does not permit (error 27).
public struct KeyType: Hashable, Sendable, CustomStringConvertible {
    /// Variant digit (0...9).
    public let variant: UInt8
    /// LMK pair code (two hex digits, `00`...`0D`).
    public let pairCode: UInt8

    public init(variant: UInt8, pairCode: UInt8) {
        self.variant = variant
        self.pairCode = pairCode
    }

    /// Parses `001`, `402`, `00A`, ...
    public init?<C: Collection>(wire: C) where C.Element == UInt8 {
        let b = Array(wire)
        guard b.count == 3, let v = Hex.nibble(b[0]), v <= 9,
              let hi = Hex.nibble(b[1]), let lo = Hex.nibble(b[2]) else { return nil }
        self.init(variant: v, pairCode: hi << 4 | lo)
    }

    public init?(_ text: String) { self.init(wire: Array(text.utf8)) }

    public var wire: [UInt8] {
        [Hex.digits[Int(variant)], Hex.digits[Int(pairCode >> 4)], Hex.digits[Int(pairCode & 0xF)]]
    }

    public var description: String { String(decoding: wire, as: UTF8.self) }

    public static let zmk = KeyType(variant: 0, pairCode: 0x00)
    public static let zpk = KeyType(variant: 0, pairCode: 0x01)
    /// TPK, PVK and TMK share LMK pair 14-15.
    public static let tpk = KeyType(variant: 0, pairCode: 0x02)
    public static let pvk = tpk
    public static let tmk = tpk
    public static let cvk = KeyType(variant: 4, pairCode: 0x02)
    public static let tak = KeyType(variant: 0, pairCode: 0x03)
    public static let zak = KeyType(variant: 0, pairCode: 0x08)
    public static let bdk = KeyType(variant: 0, pairCode: 0x09)
    public static let mkAC = KeyType(variant: 1, pairCode: 0x09)
    /// ZEK and DEK share type 00A.
    public static let zek = KeyType(variant: 0, pairCode: 0x0A)
    public static let dek = zek
    public static let tek = KeyType(variant: 0, pairCode: 0x0B)
    public static let hmac = KeyType(variant: 1, pairCode: 0x0C)

    /// The LMK pair (first index of the pair, 04 for `04-05`) this type's pair code names.
    public var lmkPairIndex: Int? {
        switch pairCode {
        case 0x00: return 4
        case 0x01: return 6
        case 0x02: return 14
        case 0x03: return 16
        case 0x06: return 22
        case 0x08: return 26
        case 0x09: return 28
        case 0x0A: return 30
        case 0x0B: return 32
        case 0x0C: return 34
        case 0x0D: return 36
        default: return nil
        }
    }

    /// A readable name for logs and errors ("ZPK", "TAK", ...).
    public var name: String {
        switch self {
        case .zmk: return "ZMK"
        case .zpk: return "ZPK"
        case .tpk: return "TPK/PVK/TMK"
        case .cvk: return "CVK"
        case .tak: return "TAK"
        case .zak: return "ZAK"
        case .bdk: return "BDK"
        case .mkAC: return "MK-AC"
        case .zek: return "ZEK/DEK"
        case .tek: return "TEK"
        case .hmac: return "HMAC"
        default: return "type " + description
        }
    }
}
