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
public enum FrameMasking {
    public enum Direction: Sendable { case request, response }

    /// - Parameters:
    ///   - body: the frame body (after the 2-byte length prefix).
    ///   - headerLength: the configured `msgheadlength`.
    public static func render<B: Collection>(_ body: B, headerLength: Int, _ direction: Direction) -> String
    where B.Element == UInt8 {
        let bytes = Array(body)
        let h = max(0, headerLength)
        var out = (direction == .request ? "request" : "response") + " len=\(bytes.count) hdr=\(h)"
        guard bytes.count >= h + 2 else {
            return out + " (short frame) data=*(\(max(0, bytes.count - min(h, bytes.count))))"
        }
        out += (direction == .request ? " cmd=" : " rsp=") + code(bytes[h], bytes[h + 1])
        var fieldsStart = h + 2
        if direction == .response {
            guard bytes.count >= h + 4 else { return out + " (short frame) fields=*(\(bytes.count - h - 2))" }
            out += " err=" + code(bytes[h + 2], bytes[h + 3])
            fieldsStart = h + 4
        }
        return out + " fields=*(\(bytes.count - fieldsStart))"
    }

    /// Two printable ASCII characters as they are, anything else as hex (`<0x01FF>`).
    static func code(_ a: UInt8, _ b: UInt8) -> String {
        func printable(_ x: UInt8) -> Bool { x >= 0x21 && x < 0x7F }
        if printable(a), printable(b) { return String(decoding: [a, b], as: UTF8.self) }
        let hex = Array("0123456789ABCDEF".utf8)
        return "<0x" + String(decoding: [hex[Int(a >> 4)], hex[Int(a & 15)], hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self) + ">"
    }
}
