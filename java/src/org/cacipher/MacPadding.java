package org.cacipher;

/** MAC padding. */
public enum MacPadding {
    /** None: the data must be whole blocks. */
    NONE(0),
    /** ISO 9797-1 method 1: zeros to a whole block. */
    ZEROS(1),
    /** ISO 9797-1 method 2: 0x80 then zeros. */
    METHOD2(2);

    private final int code;

    MacPadding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
