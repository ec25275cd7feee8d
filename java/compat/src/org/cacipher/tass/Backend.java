package org.cacipher.tass;

import cn.tass.exceptions.TAException;

/**
 * What {@code cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance} needs from
 * {@code org.cacipher.CACipher}, in JDK types only: the implementation
 * ({@code org.cacipher.tass.impl.CACipherBackend}) lives in the class loader of
 * {@link NativeLoader}, next to its own copy of the org.cacipher classes, and maps every
 * {@code CACipherException} to a {@link TAException}. Keys are key-field text, public keys
 * 128 hex (X || Y), private keys 80 hex, signatures 128 hex (r || s).
 */
public interface Backend extends AutoCloseable {
    /** Opens one unshared instance of the library for a configuration (a path or "{...}"). */
    interface Factory {
        Backend open(String config) throws TAException;
    }

    /** A0: [keyUnderLmk, keyUnderZmk (null without a ZMK), checkValue]. */
    String[] generateKey(int keyType, char scheme, String zmk, int storeIndex, String label) throws TAException;

    /** A6: [keyUnderLmk, checkValue]. */
    String[] importKey(int keyType, String zmk, String keyUnderZmk, char scheme, int storeIndex, String label) throws TAException;

    /** A8: [keyUnderZmk, checkValue]. */
    String[] exportKey(int keyType, String zmk, String key, char zmkScheme) throws TAException;

    /** 3C: the hash (algorithm: the 2-digit wire code); userId/publicKey may be null. */
    byte[] hash(int algorithm, byte[] data, byte[] userId, String sm2PublicKey) throws TAException;

    /** The digest of data of any length computed in-process with OpenSSL (algorithm: the 3C code); no HSM. */
    byte[] localHash(int algorithm, byte[] data) throws TAException;

    /** E7: [publicKey, privateKey]. */
    String[] sm2GenerateKeyPair(int storeIndex, String label) throws TAException;

    byte[] sm2Encrypt(String publicKey, byte[] data) throws TAException;

    byte[] sm2Decrypt(String privateKey, byte[] ciphertext) throws TAException;

    String sm2Sign(String privateKey, byte[] userId, byte[] data) throws TAException;

    boolean sm2Verify(String publicKey, byte[] userId, byte[] data, String signature) throws TAException;

    /** S3 (encrypt) / S4 (decrypt): padding and mode are the wire codes; derivation, sessionData, iv may be null. */
    byte[] icCipher(boolean encrypt, int keyType, String key, String derivation, int sessionMode, String sessionData, int padding,
                    int mode, String iv, byte[] data) throws TAException;

    /** S0: the MAC (hex) of data; algorithm 1 or 3, macLength in bytes. */
    String icMac(int keyType, String key, int algorithm, int macLength, String derivation, int sessionMode, String sessionData,
                 int padding, String iv, byte[] data) throws TAException;

    /** KD: [derived key under the LMK, checkValue]; mode 0 PBOC (16 hex factors), 1 ECB16 (32 hex). */
    String[] deriveKey(int sourceType, String sourceKey, int type, char scheme, int mode, String factors, int storeIndex, String label)
            throws TAException;

    /** KG: [key type (3H), scheme letter ("" when unknown), checkValue, label, time]. */
    String[] storedKeyInfo(int index) throws TAException;

    // RSA (EI ER EW EY 3A 3B). Keys: "K0001".."K9998" or hex (the DER PKCS#1 RSAPublicKey, the
    // private key blob under the LMK); hash, padding and usage are the wire codes; signatures hex.

    /** EI: [publicKey, privateKey] (hex); usage 0 sign, 1 key management, 2 both. */
    String[] rsaGenerateKeyPair(int usage, int bits, int exponent, int storeIndex, String label) throws TAException;

    /** ER: the public key (hex DER) of the pair at index. */
    String rsaPublicKey(int index) throws TAException;

    /** EW: the signature (hex); padding 1 PKCS#1 v1.5, 2 PSS. */
    String rsaSign(String privateKey, int hash, int padding, byte[] data) throws TAException;

    /** EY: true when valid, false when the HSM answers 01. */
    boolean rsaVerify(String publicKey, int hash, int padding, byte[] data, String signature) throws TAException;

    /** 3A: padding 0 none, 1 PKCS#1 v1.5, 2 OAEP. */
    byte[] rsaEncrypt(String publicKey, int padding, byte[] data) throws TAException;

    /** 3B: padding as {@link #rsaEncrypt}. */
    byte[] rsaDecrypt(String privateKey, int padding, byte[] ciphertext) throws TAException;

    /** Closes the instance after the calls in progress; later calls fail with NOT_INITIALIZED. */
    @Override
    void close();
}
