import ManagementProtocol
// What the ceremony needs from a device. `Device` (EVSMKit) conforms in
// `Device+Ceremony.swift`; tests can use any other conforming type.

public protocol CeremonyDevice: AnyObject {
    /// True once a DMK is installed.
    var ceremonyIsInitialised: Bool { get }
    /// DMK check value (16H), nil when not initialised.
    var ceremonyDMKCheckValue: String? { get }
    /// The authorisation set the device trusts, nil when none.
    var ceremonyAuthorisation: AuthorisationSet? { get }
    /// Erases every key, installs `dmk`, derives the storage keys and keeps `authorisation`.
    func ceremonyInstall(dmk: [UInt8], authorisation: AuthorisationSet) throws
    /// Erases every key and the DMK.
    func ceremonyErase() throws
}
