import HostProtocol

/// The public payShield test LMK set, used in `--test-lmk` mode.
///
/// Pairs 00-01 ... 18-19 are as in wire.md. wire.md's table then lists a second `0101...`
/// row at 20-21 and so shifts every later pair by one; the public payShield simulators
/// (leachbj/hsm-emulator, the C# Thales simulator and its ports) and published payShield
/// results (a ZAK under 26-27 giving MAC A1C911EBA50563C9) use 20-21 = 0202..0404, ...,
/// 26-27 = 1616..1919, 36-37 = 2F2F..3131, 38-39 = 0101..., and so does this emulator.
enum TestLMK {
    /// LMK pairs by first index (0, 2, ..., 38), 16 bytes each.
    static let pairs: [Int: [UInt8]] = {
        let text: [(Int, String)] = [
            (0, "01010101010101017902CD1FD36EF8BA"), (2, "20202020202020203131313131313131"),
            (4, "40404040404040405151515151515151"), (6, "61616161616161617070707070707070"),
            (8, "80808080808080809191919191919191"), (10, "A1A1A1A1A1A1A1A1B0B0B0B0B0B0B0B0"),
            (12, "C1C1010101010101D0D0010101010101"), (14, "E0E0010101010101F1F1010101010101"),
            (16, "1C587F1C13924FEF0101010101010101"), (18, "01010101010101010101010101010101"),
            (20, "02020202020202020404040404040404"), (22, "07070707070707071010101010101010"),
            (24, "13131313131313131515151515151515"), (26, "16161616161616161919191919191919"),
            (28, "1A1A1A1A1A1A1A1A1C1C1C1C1C1C1C1C"), (30, "23232323232323232525252525252525"),
            (32, "26262626262626262929292929292929"), (34, "2A2A2A2A2A2A2A2A2C2C2C2C2C2C2C2C"),
            (36, "2F2F2F2F2F2F2F2F3131313131313131"), (38, "01010101010101010101010101010101"),
        ]
        var out: [Int: [UInt8]] = [:]
        for (i, h) in text { out[i] = Hex.decode(h) ?? [] }
        return out
    }()

    /// The fixed, public test DMK a test-LMK device starts with
    /// (`0123456789ABCDEFFEDCBA9876543210`, odd parity). Not a secret: test mode only.
    static let testDMK: [UInt8] = Hex.decode("0123456789ABCDEFFEDCBA9876543210") ?? []
}
