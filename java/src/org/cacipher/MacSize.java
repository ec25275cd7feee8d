package org.cacipher;

/** MAC size. */
public enum MacSize {
    /** 4 bytes: 8 hex. */
    BYTES_4(0),
    /** 8 bytes: 16 hex. */
    BYTES_8(1);

    private final int code;

    MacSize(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
