package org.cacipher;

/** ISO 9797-1 MAC algorithm of {@code generateMac}/{@code verifyMac}. */
public enum MacAlgorithm {
    /** Algorithm 1: CBC-MAC (ANSI X9.9); DES, SM4 and AES keys. */
    ALG1(1),
    /** Algorithm 3: retail MAC (ANSI X9.19); DES keys only. */
    ALG3(3);

    private final int code;

    MacAlgorithm(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
