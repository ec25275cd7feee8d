/// A two-character command or response code (`A0`, `NC`, ...).
public struct CommandCode: Hashable, Sendable, CustomStringConvertible {
    public let first: UInt8
    public let second: UInt8

    public init(_ first: UInt8, _ second: UInt8) {
        self.first = first
        self.second = second
    }

    /// `CommandCode("A0")`; traps on a literal of the wrong length (programmer error).
    public init(_ text: StaticString) {
        precondition(text.utf8CodeUnitCount == 2, "a command code has two characters")
        let p = text.utf8Start
        self.init(p[0], p[1])
    }

    /// Parses two bytes off the wire: both must be printable ASCII letters or digits.
    public init?(wire a: UInt8, _ b: UInt8) {
        guard CommandCode.isCodeCharacter(a), CommandCode.isCodeCharacter(b) else { return nil }
        self.init(a, b)
    }

    /// The response code answering this command: second character incremented
    /// (`A0`->`A1`, `NC`->`ND`, `JE`->`JF`, `B2`->`B3`).
    public var responseCode: CommandCode { CommandCode(first, second &+ 1) }

    public var bytes: [UInt8] { [first, second] }

    public var description: String { String(decoding: [first, second], as: UTF8.self) }

    @inline(__always)
    static func isCodeCharacter(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
}
