package org.cacipher;

/** Padding the HSM applies in the IC commands (S0 MAC, S3/S4 encrypt/decrypt): the 2-digit wire code. */
public enum IcPadding {
    /** PBOC / EMV encipherment: a length byte, the data, then 80 and zeros if not whole blocks (at most 255 bytes). */
    PBOC_ENCRYPTION(0),
    /** PBOC MAC / ISO 9797-1 method 2: 80 then zeros, always added. */
    PBOC_MAC(1),
    /** ANSI X9.19 / ISO 9797-1 method 1: zeros to a whole block (none if aligned; not removed on decryption). */
    ZEROS(2),
    /** ANSI X9.23: zeros, then the count of added bytes, always added. */
    ANSI_X923(3),
    /** PKCS#5 (PKCS#7 for 16-byte blocks): n bytes of value n, always added. */
    PKCS5(4),
    /** None: the data must be whole blocks. */
    NONE(5);

    private final int code;

    IcPadding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
