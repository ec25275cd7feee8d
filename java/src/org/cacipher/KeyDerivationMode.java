package org.cacipher;

/** How {@link CACipher#deriveKey} derives (KD). */
public enum KeyDerivationMode {
    /** PBOC 3.0 / EMV option A: 8-byte factors (16 hex) F, each level encrypts F || ~F. */
    PBOC(0),
    /** 16-byte factors (32 hex), each level encrypts the factor as is. */
    ECB16(1);

    private final int code;

    KeyDerivationMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
