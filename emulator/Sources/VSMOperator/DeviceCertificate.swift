// What the operator reads about a device's management certificate without connecting: its
// fingerprint from the device's state directory (`vsmctl device fingerprint --state`). The
// certificate files are the management listener's (EVSMServer's `ManagementIdentity`).
import EVSMServer

/// The error a certificate or TLS setup step reports (EVSMServer's, re-exported for vsmctl).
public typealias ManagementTLSError = EVSMServer.ManagementTLSError

/// A device's management certificate, as the operator's side sees it.
public enum DeviceCertificate {
    /// The `SHA256:<64 hex>` fingerprint of `mgmt-cert.pem` in a device's state directory.
    public static func fingerprint(ofCertificateIn directory: String) throws -> String {
        try ManagementIdentity.fingerprint(ofCertificateIn: directory)
    }
}
