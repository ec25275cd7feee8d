/// `NC` device information.
public struct DeviceInfoRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("NC")
    public init() {}
    public func encode(into w: inout FieldWriter) throws {}
    public static func decode(_ r: inout FieldReader) throws -> DeviceInfoRequest { DeviceInfoRequest() }
}

/// `ND`: DMK check value 16H, firmware version 24A, serial number 12A.
///
/// A device without a DMK (factory-fresh) answers `00` with a check value of sixteen `0`s
/// (`noDMKCheckValue`): a client's DMK guard must treat that as "not initialised", never as
/// a group DMK.
public struct DeviceInfoResponse: HostCommandResponse, Equatable, Sendable {
    /// The check value a device without a DMK reports.
    public static let noDMKCheckValue = [UInt8](repeating: 0, count: 8)
    /// False for a factory-fresh device (check value all zeros).
    public var hasDMK: Bool { dmkCheckValue != Self.noDMKCheckValue }
    public var dmkCheckValue: [UInt8]
    public var version: String
    public var serial: String
    public init(dmkCheckValue: [UInt8], version: String, serial: String) {
        self.dmkCheckValue = dmkCheckValue
        self.version = version
        self.serial = serial
    }
    public func encode(into w: inout FieldWriter) throws {
        guard dmkCheckValue.count == 8 else { throw FieldError.invalid("check value") }
        w.append(hex: dmkCheckValue)
        w.append(raw: Self.pad(version, 24))
        w.append(raw: Self.pad(serial, 12))
    }
    public static func decode(_ r: inout FieldReader) throws -> DeviceInfoResponse {
        let kcv = try r.hexBytes(16, "check value")
        let v = try r.take(24, "version")
        let s = try r.take(12, "serial")
        return DeviceInfoResponse(dmkCheckValue: kcv, version: trim(v), serial: trim(s))
    }
    static func pad(_ s: String, _ n: Int) -> [UInt8] {
        var u = Array(s.utf8.prefix(n)).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }
        while u.count < n { u.append(0x20) }
        return u
    }
    static func trim(_ b: ArraySlice<UInt8>) -> String {
        var e = b.endIndex
        while e > b.startIndex, b[e - 1] == 0x20 { e -= 1 }
        return String(decoding: b[b.startIndex..<e], as: UTF8.self)
    }
}

/// `B2` echo: length 4H (bytes), data.
public struct EchoRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("B2")
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> EchoRequest {
        let n = try r.hexNumber(4, "length")
        return EchoRequest(data: Array(try r.take(n, "data")))
    }
}

/// `B3`: the data.
public struct EchoResponse: HostCommandResponse, Equatable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: data) }
    public static func decode(_ r: inout FieldReader) throws -> EchoResponse { EchoResponse(data: Array(r.rest())) }
}

/// `CR` random bytes: count 4N (1...2048).
public struct RandomRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("CR")
    public static let maxCount = 2048
    public var count: Int
    public init(count: Int) { self.count = count }
    public func encode(into w: inout FieldWriter) throws { try w.append(decimal: count, width: 4) }
    public static func decode(_ r: inout FieldReader) throws -> RandomRequest {
        RandomRequest(count: try r.decimal(4, "length"))
    }
}

/// `CS`: the random bytes (binary).
public struct RandomResponse: HostCommandResponse, Equatable, Sendable {
    public var bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: bytes) }
    public static func decode(_ r: inout FieldReader) throws -> RandomResponse { RandomResponse(bytes: Array(r.rest())) }
}

/// Hash algorithm codes of `3C`.
public enum HashAlgorithm: Int, Sendable, CaseIterable {
    case sha1 = 1, sha224 = 5, sha256 = 6, sha384 = 7, sha512 = 8, sm3 = 20
}

/// `3C` hash: algorithm 2N, length 4N, data, [`;` user-id length 4N, user id, SM2 public key
/// length 4N, public key (64 bytes X||Y, or 65 with a leading 04)]. With a user id and key,
/// the SM3 hash is over Z || data (GB/T 32918 Z value).
public struct HashRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("3C")
    public var algorithm: Int
    public var data: [UInt8]
    public var userID: [UInt8]?
    public var publicKey: [UInt8]?
    public init(algorithm: Int, data: [UInt8], userID: [UInt8]? = nil, publicKey: [UInt8]? = nil) {
        self.algorithm = algorithm
        self.data = data
        self.userID = userID
        self.publicKey = publicKey
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: algorithm, width: 2)
        try w.append(decimal: data.count, width: 4)
        w.append(raw: data)
        if userID != nil || publicKey != nil {
            w.append(byte: UInt8(ascii: ";"))
            let u = userID ?? []
            try w.append(decimal: u.count, width: 4)
            w.append(raw: u)
            let k = publicKey ?? []
            try w.append(decimal: k.count, width: 4)
            w.append(raw: k)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> HashRequest {
        let a = try r.decimal(2, "algorithm")
        let n = try r.decimal(4, "length")
        let d = Array(try r.take(n, "data"))
        guard r.skip(UInt8(ascii: ";")) else { return HashRequest(algorithm: a, data: d) }
        let un = try r.decimal(4, "user id length")
        let u = Array(try r.take(un, "user id"))
        let kn = try r.decimal(4, "public key length")
        let k = Array(try r.take(kn, "public key"))
        return HashRequest(algorithm: a, data: d, userID: u, publicKey: k)
    }
}

/// `3D`: hash length 2N, hash (binary).
public struct HashResponse: HostCommandResponse, Equatable, Sendable {
    public var hash: [UInt8]
    public init(hash: [UInt8]) { self.hash = hash }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: hash.count, width: 2)
        w.append(raw: hash)
    }
    public static func decode(_ r: inout FieldReader) throws -> HashResponse {
        let n = try r.decimal(2, "hash length")
        return HashResponse(hash: Array(try r.take(n, "hash")))
    }
}
