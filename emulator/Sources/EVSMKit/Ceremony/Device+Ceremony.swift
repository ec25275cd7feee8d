import ManagementProtocol
// The emulated `Device` as the target of the ceremony.

extension Device: CeremonyDevice {
    public var ceremonyIsInitialised: Bool { isInitialised }
    public var ceremonyDMKCheckValue: String? { dmkCheckValue }

    public var ceremonyAuthorisation: AuthorisationSet? {
        authorisation.map {
            AuthorisationSet(setID: $0.setID, threshold: $0.threshold, count: $0.shares, verifier: $0.verifier, salt: $0.salt)
        }
    }

    public func ceremonyInstall(dmk: [UInt8], authorisation: AuthorisationSet) throws {
        try install(dmk: dmk, authorisation: AuthorisationRecord(
            setID: authorisation.setID, threshold: authorisation.threshold, shares: authorisation.count,
            verifier: authorisation.verifier, salt: authorisation.salt))
    }

    public func ceremonyErase() throws { try erase() }
}
