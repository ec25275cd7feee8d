import COpenSSL

/// Parsed RSA keys (OpenSSL `EVP_PKEY`s) that can be kept and used again, so a caller that
/// signs or verifies many times with the same key parses its DER once. The same checks as
/// the DER-taking calls of ``RSA`` (exactly one DER structure, 1024...4096 bits). An object is
/// immutable after `init`; OpenSSL allows concurrent operations on one `EVP_PKEY`, so an
/// object may be used from several threads at once. The private key's material is freed
/// (and cleansed by OpenSSL's `RSA_free`) when the last reference goes.
extension RSA {
    /// A parsed PKCS#1 `RSAPrivateKey`.
    public final class PrivateKey: @unchecked Sendable {
        let pkey: OpaquePointer
        /// Modulus length in bits.
        public let bits: Int

        /// Parses a PKCS#1 `RSAPrivateKey` DER; `invalidArgument("RSA private key")` when it
        /// is not exactly one of 1024...4096 bits.
        public init(der: [UInt8]) throws {
            pkey = try RSA.loadPrivate(der)
            bits = Int(EVP_PKEY_get_bits(pkey))
        }

        deinit { EVP_PKEY_free(pkey) }

        /// Modulus length in bytes.
        public var modulusBytes: Int { (bits + 7) / 8 }
    }

    /// A parsed PKCS#1 `RSAPublicKey`.
    public final class PublicKey: @unchecked Sendable {
        let pkey: OpaquePointer
        /// Modulus length in bits.
        public let bits: Int

        /// Parses a PKCS#1 `RSAPublicKey` DER; `invalidArgument("RSA public key")` when it is
        /// not exactly one of 1024...4096 bits.
        public init(der: [UInt8]) throws {
            pkey = try RSA.loadPublic(der)
            bits = Int(EVP_PKEY_get_bits(pkey))
        }

        deinit { EVP_PKEY_free(pkey) }

        /// Modulus length in bytes.
        public var modulusBytes: Int { (bits + 7) / 8 }
    }
}
