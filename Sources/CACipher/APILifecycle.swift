import CACipherCore

// Init / Finalize of the global instance, Open / Close of independent instances.

@_cdecl("CACipher_Init")
public func CACipher_Init(_ fileOrContent: UnsafePointer<CChar>?) -> Int32 {
    cCall {
        let arg = try cString(fileOrContent, "fileOrContent", "CACipher_Init")
        try Instances.initGlobal { try ConfigParser.parse(fileOrContent: arg) }
        return 0
    }
}

@_cdecl("CACipher_InitWithFile")
public func CACipher_InitWithFile(_ path: UnsafePointer<CChar>?) -> Int32 {
    cCall {
        let arg = try cString(path, "path", "CACipher_InitWithFile")
        try Instances.initGlobal { try ConfigParser.parse(file: arg) }
        return 0
    }
}

@_cdecl("CACipher_InitWithString")
public func CACipher_InitWithString(_ content: UnsafePointer<CChar>?) -> Int32 {
    cCall {
        let arg = try cString(content, "content", "CACipher_InitWithString")
        try Instances.initGlobal { try ConfigParser.parse(content: arg) }
        return 0
    }
}

@_cdecl("CACipher_Finalize")
public func CACipher_Finalize() -> Int32 {
    cCall {
        try Instances.finalizeGlobal()
        return 0
    }
}

@_cdecl("CACipher_Open")
public func CACipher_Open(_ fileOrContent: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    cCall {
        guard let out else { throw CACipherError(.invalidArgument, "CACipher_Open: out is NULL") }
        out.pointee = nil
        let arg = try cString(fileOrContent, "fileOrContent", "CACipher_Open")
        let client = try CACipherClient.open(fileOrContent: arg)
        out.pointee = Instances.open(client)
        return 0
    }
}

/// `CACIPHER_OPEN_KNOWN_MODELS_ONLY`: an `hsmModel` this library serves no device for is
/// `CACIPHER_E_CONFIG` (kind `CACIPHER_CONFIG_UNKNOWN_MODEL`) instead of a warning.
let openKnownModelsOnly: UInt32 = 1

@_cdecl("CACipher_OpenWithOptions")
public func CACipher_OpenWithOptions(_ fileOrContent: UnsafePointer<CChar>?, _ options: UInt32,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    cCall {
        guard let out else { throw CACipherError(.invalidArgument, "CACipher_OpenWithOptions: out is NULL") }
        out.pointee = nil
        let arg = try cString(fileOrContent, "fileOrContent", "CACipher_OpenWithOptions")
        guard options & ~openKnownModelsOnly == 0 else {
            throw CACipherError(.invalidArgument, "CACipher_OpenWithOptions: options has unknown bits (0x\(String(options & ~openKnownModelsOnly, radix: 16)); known: CACIPHER_OPEN_KNOWN_MODELS_ONLY 0x1)")
        }
        let config = try ConfigParser.parse(fileOrContent: arg)
        if options & openKnownModelsOnly != 0 { try config.requireKnownModels() }
        out.pointee = Instances.open(try CACipherClient(config: config))
        return 0
    }
}

@_cdecl("CACipher_Close")
public func CACipher_Close(_ h: OpaquePointer?) -> Int32 {
    cCall {
        guard let h else { throw CACipherError(.invalidArgument, "CACipher_Close: handle is NULL") }
        try Instances.close(h)
        return 0
    }
}
