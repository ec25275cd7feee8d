package org.cacipher;

/**
 * Block cipher mode: ECB and CBC for every data call ({@code encryptData}/{@code decryptData}:
 * no padding); CFB and OFB for {@code icEncrypt}/{@code icDecrypt} (S3/S4) only (other calls
 * refuse them with {@code E_INVALID_ARG}): whole-block feedback (CFB64 under DES keys, CFB128
 * under SM4/AES keys) and output feedback, with an IV of one block; as stream modes they take
 * data of any length with {@link IcPadding#NONE}.
 */
public enum CipherMode {
    ECB(0),
    CBC(1),
    CFB(2),
    OFB(3);

    private final int code;

    CipherMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
