package org.cacipher;

/** Signature schemes of {@link CACipher#rsaSign} / {@link CACipher#rsaVerify} (the EW/EY padding codes). */
public enum RsaSignaturePadding {
    /** RSASSA-PKCS1-v1_5 (deterministic). */
    PKCS1(1),
    /** RSASSA-PSS, MGF1 with the signature's hash, salt length = hash length (not with SM3). */
    PSS(2);

    private final int code;

    RsaSignaturePadding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
