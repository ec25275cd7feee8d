// The ranges of the management protocol, defined once: the device checks requests against
// them and the operator's tools check arguments against them before anything is sent.
import Foundation

/// Ranges both ends of the management port check.
public enum ManagementLimits {
    /// DMK components of an initialisation (the DMK is their XOR).
    public static let componentCount: ClosedRange<Int> = 2...9
    /// Authorisation UKEYs in a set (n of k-of-n); the threshold k is 1...n.
    public static let shareCount: ClosedRange<Int> = 1...9
    /// Share abscissae a share may carry on the wire (a set's own are 1...n).
    public static let shareX: ClosedRange<Int> = 1...255
    /// Bytes of a DMK component (a 2-key 3DES key).
    public static let componentLength = 16
    /// Bytes of an authorisation set's secret (and of each Shamir share value).
    public static let authorisationSecretLength = 32
    /// The operator's connect, handshake and answer timeout, in seconds.
    public static let timeoutSeconds: ClosedRange<Int> = 1...3600
    /// The operator's default timeout (vsmctl `--timeout`).
    public static let defaultTimeoutSeconds = 5
    /// Most bytes of one frame after its length prefix.
    public static let maxFrame = 1 << 20

    /// Parses an authorisation scheme "K-of-N" (also "KofN", "K/N"); the range is not checked.
    public static func parseScheme(_ text: String) -> (threshold: Int, count: Int)? {
        let t = text.lowercased().replacingOccurrences(of: "-of-", with: "/").replacingOccurrences(of: "of", with: "/")
        let parts = t.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        return (k, n)
    }

    /// Whether k-of-n is an allowed authorisation scheme (1 <= k <= n <= 9).
    public static func isAllowedScheme(threshold k: Int, count n: Int) -> Bool {
        shareCount.contains(n) && (1...n).contains(k)
    }
}
