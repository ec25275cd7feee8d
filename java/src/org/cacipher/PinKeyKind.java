package org.cacipher;

/** The kind of a PIN key in {@link CACipher#translatePin} (TI). */
public enum PinKeyKind {
    TPK(1),
    ZPK(2);

    private final int code;

    PinKeyKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
