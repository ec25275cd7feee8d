import COpenSSL

/// Errors raised by HSMCrypto.
///
/// Messages name the field or operation that failed and, where useful, lengths; they never
/// contain key bytes, PINs, PIN blocks or other secret values.
public enum CryptoError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A key has a length the algorithm does not accept.
    case invalidKeyLength(algorithm: String, length: Int)
    /// Data is not a multiple of the cipher's block size (no padding is applied).
    case unalignedData(length: Int, blockSize: Int)
    /// An IV / chaining value has the wrong length.
    case invalidIVLength(expected: Int, actual: Int)
    /// A named argument is out of range or malformed (the message names it, not its value).
    case invalidArgument(String)
    /// An operation is not supported for this algorithm/combination.
    case unsupported(String)
    /// An OpenSSL call failed; the associated value names the operation.
    case openSSL(String)
    /// AEAD tag (or other authenticator) did not verify.
    case authenticationFailed
    /// A signature did not verify.
    case signatureInvalid

    // PIN blocks
    /// The PIN is not 4...12 decimal digits.
    case invalidPIN
    /// The PAN / account number is not made of decimal digits or has a bad length.
    case invalidAccountNumber
    /// The PIN block's control (format) nibble does not match the requested format.
    case pinBlockControlMismatch
    /// The PIN length encoded in the PIN block is outside 4...12.
    case pinBlockLengthInvalid
    /// The PIN digits in the PIN block are not all decimal.
    case pinBlockNonDecimalDigit
    /// The fill (padding) nibbles of the PIN block are not what the format requires.
    case pinBlockFillInvalid
    /// The PIN block has the wrong size for its format.
    case pinBlockSizeInvalid

    // Shamir secret sharing
    /// Threshold / share count outside 1 <= k <= n <= 255.
    case invalidThreshold
    /// Shares are malformed: empty set, x == 0, different lengths.
    case invalidShares(String)
    /// Two shares carry the same x coordinate.
    case duplicateShare

    public var description: String {
        switch self {
        case let .invalidKeyLength(alg, len): return "invalid key length \(len) for \(alg)"
        case let .unalignedData(len, bs): return "data length \(len) is not a multiple of block size \(bs)"
        case let .invalidIVLength(exp, act): return "IV length \(act), expected \(exp)"
        case let .invalidArgument(what): return "invalid argument: \(what)"
        case let .unsupported(what): return "unsupported: \(what)"
        case let .openSSL(op): return "OpenSSL failure in \(op)"
        case .authenticationFailed: return "authentication failed"
        case .signatureInvalid: return "signature invalid"
        case .invalidPIN: return "PIN must be 4 to 12 decimal digits"
        case .invalidAccountNumber: return "account number must be decimal digits of valid length"
        case .pinBlockControlMismatch: return "PIN block format (control field) mismatch"
        case .pinBlockLengthInvalid: return "PIN block PIN length out of range 4..12"
        case .pinBlockNonDecimalDigit: return "PIN block contains non-decimal PIN digit"
        case .pinBlockFillInvalid: return "PIN block fill digits invalid for format"
        case .pinBlockSizeInvalid: return "PIN block size invalid for format"
        case .invalidThreshold: return "Shamir threshold/share count must satisfy 1 <= k <= n <= 255"
        case let .invalidShares(what): return "invalid shares: \(what)"
        case .duplicateShare: return "duplicate share x coordinate"
        }
    }
}

/// Builds ``CryptoError/openSSL(_:)`` for a failed OpenSSL call and clears the thread's
/// OpenSSL error queue (so failures do not accumulate or leak into later calls).
func openSSLFailure(_ op: String) -> CryptoError {
    ERR_clear_error()
    return .openSSL(op)
}
