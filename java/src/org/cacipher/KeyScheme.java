package org.cacipher;

/** How a key is encrypted: the scheme letter of key fields. */
public enum KeyScheme {
    /** Single DES, 16 hex (written without a letter in key fields). */
    SINGLE_DES('Z'),
    /** Double-length 3DES, variant method, 32 hex. */
    DOUBLE_VARIANT('U'),
    /** Double-length 3DES, ANSI X9.17 method, 32 hex. */
    DOUBLE_X917('X'),
    /** Triple-length 3DES, variant method, 48 hex. */
    TRIPLE_VARIANT('T'),
    /** Triple-length 3DES, ANSI X9.17 method, 48 hex. */
    TRIPLE_X917('Y'),
    /** SM4: 48 hex under the LMK (32 key, 16 authenticator), 32 hex under a ZMK. */
    SM4('R'),
    /** AES-128: 48 hex under the LMK (32 key, 16 authenticator), 32 hex under a ZMK. */
    AES128('L'),
    /** SM1, 32 hex; software HSMs answer 26. */
    SM1('P');

    private final char letter;

    KeyScheme(char letter) {
        this.letter = letter;
    }

    /** The scheme letter ('U', 'T', ...), as the C API takes it. */
    public char letter() {
        return letter;
    }
}
