package org.cacipher;

import java.util.HexFormat;

/**
 * {@link CACipher#rsaGenerateKeyPair}: the public key (hex of the DER PKCS#1
 * {@code RSAPublicKey}, SEQUENCE { n, e }) and the private key under the LMK (hex of the
 * HSM's blob; no clear secret). Both are accepted as key arguments of the RSA calls.
 */
public record RsaKeyPair(String publicKey, String privateKey) {
    /** The public key as DER bytes (PKCS#1 {@code RSAPublicKey}). */
    public byte[] publicKeyDer() {
        return HexFormat.of().parseHex(publicKey);
    }
}
