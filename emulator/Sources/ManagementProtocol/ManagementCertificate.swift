// The device's management certificate as both ends read it from a state directory
// (`mgmt-cert.pem`, written by the device at its first start): its pinned fingerprint.
import Foundation
import HSMNet

public enum ManagementCertificate {
    /// The certificate's file name in a device's state directory.
    public static let fileName = "mgmt-cert.pem"

    /// The `SHA256:<64 hex>` fingerprint of `mgmt-cert.pem` in a state directory (no private
    /// key needed). Errors (`TLSStreamError`): the file is missing or is not a certificate.
    public static func fingerprint(ofCertificateIn directory: String) throws -> String {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TLSStreamError("\(path) not found (evsm makes it at its first start)")
        }
        guard let fp = CertificateFingerprint.of(pem: [UInt8](data)) else {
            throw TLSStreamError("\(path) is unreadable")
        }
        return fp
    }
}
