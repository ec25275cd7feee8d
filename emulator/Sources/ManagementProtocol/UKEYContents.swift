// What a UKEY holds once opened with its PIN, and what the management port carries in its
// secret part: a DMK component or an authorisation share. Their secret bytes are
// `SecureBytes`, zeroed when the last copy goes; `wipe()` drops this copy's bytes at once.
import HostProtocol
import HSMCrypto

/// One XOR component of the DMK, as made by an original initialisation.
public struct DMKComponent: Sendable {
    /// Id of the ceremony that made the component set (16 hex characters).
    public var ceremonyID: String
    /// Position of the component in the set, 1...count.
    public var index: Int
    public var count: Int
    /// Check value of the component (16H).
    public var checkValue: String
    /// The clear component (16 bytes). Secret.
    public var bytes: SecureBytes

    public init(ceremonyID: String, index: Int, count: Int, checkValue: String, bytes: SecureBytes) {
        self.ceremonyID = ceremonyID
        self.index = index
        self.count = count
        self.checkValue = checkValue
        self.bytes = bytes
    }

    /// Copies `bytes` into the component (the caller still zeroes its array).
    public init(ceremonyID: String, index: Int, count: Int, checkValue: String, bytes: [UInt8]) {
        self.init(ceremonyID: ceremonyID, index: index, count: count, checkValue: checkValue, bytes: SecureBytes(bytes))
    }

    /// Drops this copy's bytes now (zeroed when no other copy holds them).
    public mutating func wipe() { bytes.removeAll() }
}

/// What a device keeps about its authorisation set: the set's id, the quorum k of n, and a
/// verifier of the set's secret (never the secret itself).
public struct AuthorisationSet: Sendable, Equatable {
    public var setID: String
    public var threshold: Int
    public var count: Int
    /// HMAC-SHA256(salt, "evsm-auth-verifier-v1" || secret).
    public var verifier: [UInt8]
    public var salt: [UInt8]

    public init(setID: String, threshold: Int, count: Int, verifier: [UInt8], salt: [UInt8]) {
        self.setID = setID
        self.threshold = threshold
        self.count = count
        self.verifier = verifier
        self.salt = salt
    }
}

/// One Shamir share of an authorisation set's secret, with the set's public description so
/// that a device can synchronise its authorisation from a single UKEY.
public struct AuthorisationShare: Sendable {
    public var set: AuthorisationSet
    /// Share abscissa, 1...set.count.
    public var x: UInt8
    /// Share value. Secret.
    public var y: SecureBytes

    public init(set: AuthorisationSet, x: UInt8, y: SecureBytes) {
        self.set = set
        self.x = x
        self.y = y
    }

    /// Copies `y` into the share (the caller still zeroes its array).
    public init(set: AuthorisationSet, x: UInt8, y: [UInt8]) {
        self.init(set: set, x: x, y: SecureBytes(y))
    }

    /// Drops this copy's bytes now (zeroed when no other copy holds them).
    public mutating func wipe() { y.removeAll() }
}
