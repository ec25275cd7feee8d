import HSMNet
import HostProtocol

/// Decides whether a raw command may be re-sent to another HSM after a transport failure
/// that may have reached the first one (docs/failover.md, "Re-send safety").
///
/// Every command of this protocol is stateless on the HSM except those that store a key
/// inside it (`K` index) and the key-printing commands (`PA` loads the print format, `A2` and
/// `A3` print a key mailer on the HSM's printer: a second HSM would print a second mailer of
/// another component). Those are re-sent only when the first send provably did not reach an
/// HSM. A command whose layout cannot be read is treated as storing (the safe side).
public enum ResendSafety {
    public static func isIdempotent(_ payload: [UInt8]) -> Bool {
        guard payload.count >= 2 else { return true }
        let code = CommandCode(payload[0], payload[1])
        guard mayStore(code) else { return true }
        var r = FieldReader(payload[2...])
        do {
            switch code {
            case GenerateKeyRequest.command:
                return try GenerateKeyRequest.decode(&r).store == nil
            case ImportKeyRequest.command:
                return try ImportKeyRequest.decode(&r).store == nil
            case SM2GenerateRequest.command:
                return try !SM2GenerateRequest.decode(&r).stores
            case SM2ImportByTKRequest.command:
                return try !SM2ImportByTKRequest.decode(&r).stores
            case SM2ImportSymmetricKeyRequest.command:
                return try SM2ImportSymmetricKeyRequest.decode(&r).store.map { $0.index == sm2CarriedIndex } ?? true
            // IC keys: SAVED-KEY absent or K9999 ("not stored") stores nothing
            case ICGenerateKeyRequest.command, ICDeriveKeyRequest.command, ICImportKeyRequest.command, ClearComponentsKeyRequest.command:
                return try ResendSafety.icStore(code, &r).map { $0.index == 9999 } ?? true
            case RSAGenerateRequest.command: return try RSAGenerateRequest.decode(&r).store == nil
            case RSAImportRequest.command: return try RSAImportRequest.decode(&r).store == nil
            case RSAImportSymmetricKeyRequest.command: return try RSAImportSymmetricKeyRequest.decode(&r).store == nil
            default:  // E1 (load an SM2 key pair) always stores; PA, A2 and A3 always print or load the format
                return false
            }
        } catch {
            return false
        }
    }

    /// Whether `code` is one of `storingCommands` (compares two bytes, no hashing: this
    /// runs on every raw command).
    @inline(__always)
    static func mayStore(_ code: CommandCode) -> Bool {
        switch (code.first, code.second) {
        case (GenerateKeyRequest.command.first, GenerateKeyRequest.command.second),
             (ImportKeyRequest.command.first, ImportKeyRequest.command.second),
             (SM2GenerateRequest.command.first, SM2GenerateRequest.command.second),
             (SM2LoadRequest.command.first, SM2LoadRequest.command.second),
             (SM2ImportByTKRequest.command.first, SM2ImportByTKRequest.command.second),
             (SM2ImportSymmetricKeyRequest.command.first, SM2ImportSymmetricKeyRequest.command.second),
             (RSAGenerateRequest.command.first, RSAGenerateRequest.command.second),
             (RSAImportRequest.command.first, RSAImportRequest.command.second),
             (RSAImportSymmetricKeyRequest.command.first, RSAImportSymmetricKeyRequest.command.second),
             (UInt8(ascii: "K"), UInt8(ascii: "R")), (UInt8(ascii: "K"), UInt8(ascii: "D")), (UInt8(ascii: "S"), UInt8(ascii: "I")), (UInt8(ascii: "A"), UInt8(ascii: "M")),  // IC keys
             (LoadPrintFormatRequest.command.first, LoadPrintFormatRequest.command.second),
             (PrintComponentRequest.command.first, PrintComponentRequest.command.second),
             (PrintKeyRequest.command.first, PrintKeyRequest.command.second):  // key printing
            return true
        default:
            return false
        }
    }

    /// Commands that can store into the HSM.
    static let storingCommands: Set<CommandCode> = [
        GenerateKeyRequest.command, ImportKeyRequest.command,
        SM2GenerateRequest.command, SM2LoadRequest.command, SM2ImportByTKRequest.command, SM2ImportSymmetricKeyRequest.command,
        ICGenerateKeyRequest.command, ICDeriveKeyRequest.command, ICImportKeyRequest.command, ClearComponentsKeyRequest.command,  // IC keys
        RSAGenerateRequest.command, RSAImportRequest.command, RSAImportSymmetricKeyRequest.command,
        LoadPrintFormatRequest.command, PrintComponentRequest.command, PrintKeyRequest.command,  // print
    ]
}
