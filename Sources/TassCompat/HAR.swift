/// The vendor library's return codes (`hsmapi_define.h`): `HAR_OK` 0, the HSM's own two-digit
/// error returned as the number 1...99, and library errors `HAR_BASE + n`. Values are the
/// vendor's ABI (include/tass/hsmapi_define.h): never change them.
enum HAR {
    static let ok: Int32 = 0
    static let base: Int32 = 0x0600_0000

    static let sockInit: Int32 = base + 0x01
    static let sockConnect: Int32 = base + 0x02
    static let sockSelect: Int32 = base + 0x03
    static let sockSend: Int32 = base + 0x04
    static let sockRecv: Int32 = base + 0x05
    static let sockInvalid: Int32 = base + 0x06
    static let sockCreate: Int32 = base + 0x07
    static let sockDataLen: Int32 = base + 0x08
    static let msgLenFlag: Int32 = base + 0x09
    static let msgRspCode: Int32 = base + 0x0A
    static let memLenLess: Int32 = base + 0x0B
    static let memMalloc: Int32 = base + 0x0C
    static let cfgFileNoExist: Int32 = base + 0x0D
    static let cfgFileOpen: Int32 = base + 0x0E
    static let cfgFileKeyNoExist: Int32 = base + 0x0F
    static let cfgFileValueNoExist: Int32 = base + 0x10
    static let cfgFileValueInvalid: Int32 = base + 0x11
    static let hexToByte: Int32 = base + 0x12
    static let byteToHex: Int32 = base + 0x13
    static let derDecode: Int32 = base + 0x14
    static let paramKeyID: Int32 = base + 0x15
    static let paramKeyType: Int32 = base + 0x16
    static let paramKeyCipher: Int32 = base + 0x17
    static let paramKeyScheme: Int32 = base + 0x18
    static let paramKeyHeader: Int32 = base + 0x19
    static let paramDeriveNum: Int32 = base + 0x1A
    static let paramDeriveData: Int32 = base + 0x1B
    static let paramSessionKeyMode: Int32 = base + 0x1C
    static let paramSessionKeyData: Int32 = base + 0x1D
    static let paramEncMode: Int32 = base + 0x1E
    static let paramMacMode: Int32 = base + 0x1F
    static let paramPrint: Int32 = base + 0x20
    static let paramElementNum: Int32 = base + 0x21
    static let paramIV: Int32 = base + 0x22
    static let paramPAN: Int32 = base + 0x23
    static let paramPaddingMode: Int32 = base + 0x24
    static let paramChar: Int32 = base + 0x25
    static let paramUnknown: Int32 = base + 0x26
    static let paramLen: Int32 = base + 0x27
    static let paramValue: Int32 = base + 0x28
    static let paramIsNull: Int32 = base + 0x29
    static let alreadyInitialized: Int32 = base + 0x2A
    static let notInitialized: Int32 = base + 0x2B
    static let openDevice: Int32 = base + 0x2C
    static let openSession: Int32 = base + 0x2D
    static let deviceHandleInvalid: Int32 = base + 0x2E
    static let sessionHandleInvalid: Int32 = base + 0x2F
    static let sockTimeout: Int32 = base + 0x30
}

/// A failure of a vendor function: its `HAR` (or HSM) code and a message for the log. The
/// message names arguments and sizes, never their values (keys, PINs, PIN blocks).
struct CompatError: Error {
    var code: Int32
    var message: String
    init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }
}
