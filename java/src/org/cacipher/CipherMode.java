package org.cacipher;

/** Block cipher mode of {@code encryptData}/{@code decryptData} (no padding). */
public enum CipherMode {
    ECB(0),
    CBC(1);

    private final int code;

    CipherMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
