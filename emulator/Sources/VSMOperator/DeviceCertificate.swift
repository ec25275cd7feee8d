// What the operator reads about a device's management certificate without connecting: its
// fingerprint from the device's state directory (`vsmctl device fingerprint --state`).
import HSMNet
import ManagementProtocol

/// The error a certificate or TLS setup step reports (HSMNet's `TLSStreamError`).
public typealias ManagementTLSError = TLSStreamError

/// A device's management certificate, as the operator's side sees it.
public enum DeviceCertificate {
    /// The `SHA256:<64 hex>` fingerprint of `mgmt-cert.pem` in a device's state directory.
    public static func fingerprint(ofCertificateIn directory: String) throws -> String {
        try ManagementCertificate.fingerprint(ofCertificateIn: directory)
    }
}
