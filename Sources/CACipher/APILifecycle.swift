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

@_cdecl("CACipher_Close")
public func CACipher_Close(_ h: OpaquePointer?) -> Int32 {
    cCall {
        guard let h else { throw CACipherError(.invalidArgument, "CACipher_Close: handle is NULL") }
        try Instances.close(h)
        return 0
    }
}
