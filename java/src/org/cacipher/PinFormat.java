package org.cacipher;

/** PIN block formats (the 2-digit wire codes). */
public enum PinFormat {
    /** ISO 9564 format 0 / ANSI X9.8. */
    ISO0(1),
    /** Diebold / IBM 3624. */
    IBM3624(3),
    /** ISO 9564 format 1. */
    ISO1(5),
    /** ISO 9564 format 3. */
    ISO3(47);

    private final int code;

    PinFormat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
