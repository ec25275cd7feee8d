package org.cacipher;

/** Hash algorithms of {@link CACipher#hash} (the 2-digit wire codes). */
public enum HashAlgorithm {
    SHA1(1),
    SHA224(5),
    SHA256(6),
    SHA384(7),
    SHA512(8),
    SM3(20);

    private final int code;

    HashAlgorithm(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
