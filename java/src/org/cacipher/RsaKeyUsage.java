package org.cacipher;

/** What an RSA key pair of {@link CACipher#rsaGenerateKeyPair} may do (the EI usage digit; the HSM enforces it). */
public enum RsaKeyUsage {
    /** Sign and verify only (decrypting with it is HSM code 27). */
    SIGN(0),
    /** Encrypt/decrypt and key transport only (signing with it is HSM code 27). */
    KEY_MANAGEMENT(1),
    /** Both. */
    ANY(2);

    private final int code;

    RsaKeyUsage(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
