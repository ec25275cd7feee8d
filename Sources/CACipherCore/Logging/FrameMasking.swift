/// Renders a frame for `trace` dumps without revealing what it carries.
///
/// Field layouts differ per command, so this default shows only what is never secret:
/// the body length, the header length, the 2-character command (or response) code and,
/// for responses, the 2-digit error code. Every other byte is masked: the fields appear as
/// `*(N)` (their length only). Typed commands that know which fields are harmless may
/// render more themselves; nothing here ever prints field bytes.
///
/// ```
/// request  len=38 hdr=8 cmd=A0 fields=*(28)
/// response len=56 hdr=8 rsp=A1 err=00 fields=*(42)
/// ```
///
/// Frames of the commands whose fields carry a clear PIN of variable length (`BA`/`BB`,
/// `NG`/`NH`, `KX`/`KY`, `PE`/`PF`) would still reveal the PIN's length through the body
/// length: for those every length is shown as `*`:
///
/// ```
/// request  len=* hdr=8 cmd=BA fields=*
/// response len=* hdr=8 rsp=NH err=00 fields=*
/// ```
public enum FrameMasking {
    public enum Direction: Sendable { case request, response }

    /// - Parameters:
    ///   - body: the frame body (after the 2-byte length prefix).
    ///   - headerLength: the configured `msgheadlength`.
    public static func render<B: Collection>(_ body: B, headerLength: Int, _ direction: Direction) -> String
    where B.Element == UInt8 {
        let bytes = Array(body)
        let h = max(0, headerLength)
        let hidden = bytes.count >= h + 2 && carriesPIN(bytes[h], bytes[h + 1], direction)
        func length(_ n: Int) -> String { hidden ? "*" : String(n) }
        var out = (direction == .request ? "request" : "response") + " len=\(length(bytes.count)) hdr=\(h)"
        guard bytes.count >= h + 2 else {
            return out + " (short frame) data=*(\(max(0, bytes.count - min(h, bytes.count))))"
        }
        out += (direction == .request ? " cmd=" : " rsp=") + code(bytes[h], bytes[h + 1])
        var fieldsStart = h + 2
        if direction == .response {
            guard bytes.count >= h + 4 else {
                return out + " (short frame) fields=" + (hidden ? "*" : "*(\(bytes.count - h - 2))")
            }
            out += " err=" + code(bytes[h + 2], bytes[h + 3])
            fieldsStart = h + 4
        }
        return out + " fields=" + (hidden ? "*" : "*(\(bytes.count - fieldsStart))")
    }

    /// Request codes whose fields (or whose reply's fields) hold a clear PIN of variable
    /// length: `BA` (encrypt a PIN), `NG` (decrypt one: the reply is the digits), `KX`
    /// (offline PIN change, input mode 1 takes clear PINs), `PE` (PIN mailer).
    static let pinCommands: [(UInt8, UInt8)] = [("B", "A"), ("N", "G"), ("K", "X"), ("P", "E")].map {
        (UInt8(ascii: $0.0), UInt8(ascii: $0.1))
    }

    /// Whether a frame with this command (request) or response code may carry a clear PIN
    /// whose length its body length would give away.
    static func carriesPIN(_ a: UInt8, _ b: UInt8, _ direction: Direction) -> Bool {
        // A response code is the request's with the second character incremented.
        let second = direction == .request ? b : b &- 1
        return pinCommands.contains { $0.0 == a && $0.1 == second }
    }

    /// Two printable ASCII characters as they are, anything else as hex (`<0x01FF>`).
    static func code(_ a: UInt8, _ b: UInt8) -> String {
        func printable(_ x: UInt8) -> Bool { x >= 0x21 && x < 0x7F }
        if printable(a), printable(b) { return String(decoding: [a, b], as: UTF8.self) }
        let hex = Array("0123456789ABCDEF".utf8)
        return "<0x" + String(decoding: [hex[Int(a >> 4)], hex[Int(a & 15)], hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self) + ">"
    }
}
