package org.cacipher;

/** Paddings of {@link CACipher#rsaEncrypt} / {@link CACipher#rsaDecrypt} (the 3A/3B padding codes). */
public enum RsaEncryptionPadding {
    /** Raw RSA: the data is exactly the modulus length. */
    NONE(0),
    /** RSAES-PKCS1-v1_5: at most modulus length - 11 bytes. */
    PKCS1(1),
    /** RSAES-OAEP with SHA-1, MGF1-SHA-1 and an empty label: at most modulus length - 42 bytes. */
    OAEP(2);

    private final int code;

    RsaEncryptionPadding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
