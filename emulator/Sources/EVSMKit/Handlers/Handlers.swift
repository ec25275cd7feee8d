import HostProtocol

/// What a handler returns: an error code (normally `00`, `01` for a failed verification)
/// and the reply fields.
struct HandlerOutput {
    var code: HostErrorCode = .ok
    var fields: [UInt8]
}

/// One host command's implementation.
struct CommandHandler {
    /// `NC` and `B2` answer on a factory-fresh device; everything else gets `13`.
    var worksUninitialised = false
    /// Takes a time with no useful bound (RSA key generation: a prime search, up to seconds
    /// for 4096 bits). The NIO host port never runs such a command on an event loop; every
    /// other command takes at most a few milliseconds and may run there.
    var runsLong = false
    /// May store a key by index, which writes the device's state file (and fsyncs it) when
    /// the device has a state directory: then it is not run on an event loop either.
    var writesState = false
    var run: (HandlerContext, ArraySlice<UInt8>) throws -> HandlerOutput
}

enum Handlers {
    /// Command code -> handler. Each handler file (`Handlers/<family>/<Name>Handler.swift`)
    /// holds one command and its `entry`; a family's shared code is in its `...Support.swift`.
    static let entries: [(CommandCode, CommandHandler)] = [
        // Device
        DeviceInfoHandler.entry, EchoHandler.entry, RandomHandler.entry, HashHandler.entry,
        // Keys
        GenerateKeyHandler.entry, ImportKeyHandler.entry, ExportKeyHandler.entry, FormKeyHandler.entry,
        KeyCheckValueHandler.entry,
        // PIN
        TranslatePINTPKHandler.entry, TranslatePINZPKHandler.entry, TranslatePINTASSHandler.entry,
        PINBlockToLMKHandler.entry, PINFromLMKHandler.entry, EncryptPINHandler.entry, DecryptPINHandler.entry,
        // MAC
        GenerateMACHandler.entry, VerifyMACHandler.entry,
        // Data
        EncryptDataHandler.entry, DecryptDataHandler.entry,
        // SM2
        SM2GenerateHandler.entry, SM2LoadHandler.entry, SM2PublicKeyHandler.entry, SM2EncryptHandler.entry,
        SM2DecryptHandler.entry, SM2SignHandler.entry, SM2VerifyHandler.entry,
        // PIN and card verification
        GenerateCVVHandler.entry, VerifyCVVHandler.entry, GeneratePVVHandler.entry, GenerateIBMOffsetHandler.entry, VerifyPINIBMOffsetHandler.entry, GenerateRandomPINHandler.entry,
        // IC keys
        KeyInfoHandler.entry, GenerateStoredKeyHandler.entry, DeriveKeyHandler.entry, ProtectedExportHandler.entry, ProtectedImportHandler.entry, KeyTypeConversionHandler.entry, ClearComponentsHandler.entry,
        // Racal data and MAC
        RacalDataCipherHandler.entry, RacalZPKMACHandler.entry, RacalZAKTAKMACHandler.entry,
        // IC data and MAC
        ICGenerateMACHandler.entry, ICEncryptHandler.entry, ICDecryptHandler.entry, ICTranslateHandler.entry,
        ARQCHandler.entry, EncryptScriptHandler.entry, ScriptMACHandler.entry, OfflinePINHandler.entry, EMV4ARQCHandler.entry, // EMV
        SM2ExportByTKHandler.entry, SM2ImportByTKHandler.entry,
        SM2PublicKeyMACHandler.entry, SM2ExportSymmetricKeyHandler.entry, SM2ImportSymmetricKeyHandler.entry,
        // RSA
        RSAGenerateHandler.entry, RSAPublicKeyHandler.entry, RSAEncryptHandler.entry, RSADecryptHandler.entry, RSASignHandler.entry, RSAVerifyHandler.entry, RSAExportHandler.entry, RSAImportHandler.entry, RSAPublicKeyMACHandler.entry, RSAExportSymmetricKeyHandler.entry, RSAImportSymmetricKeyHandler.entry,
    ]

    static let table: [CommandCode: CommandHandler] = {
        var t: [CommandCode: CommandHandler] = [:]
        for (c, h) in entries { t[c] = h }
        return t
    }()

    /// Decodes a request layout (nothing may follow it), runs `body`, encodes the response.
    static func typed<Req: HostCommandRequest, Rsp: HostCommandResponse>(
        _ body: @escaping (HandlerContext, Req) throws -> Rsp
    ) -> (HandlerContext, ArraySlice<UInt8>) throws -> HandlerOutput {
        { ctx, fields in
            let req = try Req.decodeAll(fields)
            let rsp = try body(ctx, req)
            return HandlerOutput(fields: try rsp.fields())
        }
    }
}
