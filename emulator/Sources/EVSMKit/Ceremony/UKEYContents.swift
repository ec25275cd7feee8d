// What a UKEY holds once opened with its PIN: a DMK component or an authorisation share.
// Both hold secret bytes; call `wipe()` when done with them.
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
    public var bytes: [UInt8]

    public init(ceremonyID: String, index: Int, count: Int, checkValue: String, bytes: [UInt8]) {
        self.ceremonyID = ceremonyID
        self.index = index
        self.count = count
        self.checkValue = checkValue
        self.bytes = bytes
    }

    public mutating func wipe() { SecureBytes.wipe(&bytes) }
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
    public var y: [UInt8]

    public init(set: AuthorisationSet, x: UInt8, y: [UInt8]) {
        self.set = set
        self.x = x
        self.y = y
    }

    public mutating func wipe() { SecureBytes.wipe(&y) }
}
