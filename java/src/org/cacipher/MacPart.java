package org.cacipher;

/**
 * Which part of a message one MAC call carries. {@code FIRST} and {@code MIDDLE} return the
 * chaining value (16 hex, 32 with SM4/AES keys) to pass as {@code iv} of the next part;
 * {@code MIDDLE} and {@code LAST} need it.
 */
public enum MacPart {
    ONLY(0),
    FIRST(1),
    MIDDLE(2),
    LAST(3);

    private final int code;

    MacPart(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
