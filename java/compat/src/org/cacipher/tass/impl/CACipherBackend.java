package org.cacipher.tass.impl;

import cn.tass.exceptions.TAException;
import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.CipherMode;
import org.cacipher.GeneratedKey;
import org.cacipher.HashAlgorithm;
import org.cacipher.IcPadding;
import org.cacipher.KeyDerivationMode;
import org.cacipher.KeyScheme;
import org.cacipher.KeyType;
import org.cacipher.KeyWithCheckValue;
import org.cacipher.MacAlgorithm;
import org.cacipher.RsaEncryptionPadding;
import org.cacipher.RsaKeyPair;
import org.cacipher.RsaKeyUsage;
import org.cacipher.RsaSignaturePadding;
import org.cacipher.Sm2KeyPair;
import org.cacipher.StoredKeyInfo;
import org.cacipher.tass.Backend;

/** {@link Backend} over one {@link CACipher#open} instance (loaded by org.cacipher.tass.NativeLoader). */
public final class CACipherBackend implements Backend {
    /** The factory NativeLoader instantiates by name. */
    public static final class Factory implements Backend.Factory {
        public Factory() {
        }

        /**
         * Opens the configuration, refusing a model the library serves no device for (the
         * vendor's SDK has no driver for it); its errors carry the vendor's distinct codes,
         * chosen by the library's configuration kind (ConfigErrors).
         */
        @Override
        public Backend open(String config) throws TAException {
            try {
                return new CACipherBackend(CACipher.open(config, CACipher.OPEN_KNOWN_MODELS_ONLY));
            } catch (CACipherException e) {
                throw ConfigErrors.map(e);
            }
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws CACipherException;
    }

    private final CACipher hsm;

    private CACipherBackend(CACipher hsm) {
        this.hsm = hsm;
    }

    private static <T> T call(Call<T> f) throws TAException {
        try {
            return f.run();
        } catch (CACipherException e) {
            throw map(e);
        }
    }

    /** The library's code to the vendor's: HSM codes 1...99 unchanged, library codes to §5.2 codes. */
    static TAException map(CACipherException e) {
        int c = e.getCode();
        int ta;
        if (c > 0 && c < 100) {
            ta = c;
        } else {
            switch (c) {
                case CACipherException.E_INVALID_ARG: ta = TAException.BAD_PARAMETER_VALUE; break;
                case CACipherException.E_BUFFER_TOO_SMALL: ta = TAException.BAD_PARAMETER_LENGTH; break;
                case CACipherException.E_NOT_INITIALIZED: ta = TAException.NOT_INITIALIZED; break;
                case CACipherException.E_CONFIG: ta = TAException.CONFIG_ERROR; break;
                case CACipherException.E_CONFIG_FILE: ta = TAException.CONFIG_FILE_READ_ERROR; break;
                case CACipherException.E_LOG: ta = TAException.LOG_ERROR; break;
                case CACipherException.E_CONNECT: ta = TAException.CONNECT_FAILED; break;
                case CACipherException.E_TIMEOUT: ta = TAException.TIMEOUT; break;
                case CACipherException.E_POOL_EXHAUSTED: ta = TAException.TIMEOUT; break;
                case CACipherException.E_ALL_DOWN: ta = TAException.NO_USABLE_DEVICE; break;
                case CACipherException.E_RETRY_BUDGET: ta = TAException.NO_USABLE_DEVICE; break;
                case CACipherException.E_BAD_FRAME: ta = TAException.READ_FAILED; break;
                case CACipherException.E_IO: ta = TAException.SOCKET_ERROR; break;
                case CACipherException.E_TLS: ta = TAException.SOCKET_ERROR; break;
                case CACipherException.E_TLS_VERIFY: ta = TAException.CHECK_FAILED; break;
                case CACipherException.E_DMK_MISMATCH: ta = TAException.CHECK_FAILED; break;
                case CACipherException.E_NO_MEMORY: ta = TAException.FAILED; break;
                default: ta = TAException.UNKNOWN_ERROR; break;
            }
        }
        String text = e.getMessage() + (c < 0 ? " (libcacipher " + c + ")" : "");
        return new TAException(ta, text, e);
    }

    private static KeyScheme scheme(char letter) throws TAException {
        for (KeyScheme s : KeyScheme.values()) {
            if (s.letter() == letter) return s;
        }
        throw new TAException(TAException.BAD_PARAMETER_VALUE, "scheme: not one of Z X U Y T P R L");
    }

    private static HashAlgorithm hashAlgorithm(int code) throws TAException {
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (a.code() == code) return a;
        }
        throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "alg: hash algorithm " + code + " is not supported (1, 5, 6, 7, 8, 20)");
    }

    @Override
    public String[] generateKey(int keyType, char scheme, String zmk, int storeIndex, String label) throws TAException {
        KeyScheme s = scheme(scheme);
        return call(() -> {
            GeneratedKey k = hsm.generateKey(KeyType.of(keyType), s, zmk, null, storeIndex, label);
            return new String[] {k.keyUnderLmk(), k.keyUnderZmk(), k.checkValue()};
        });
    }

    @Override
    public String[] importKey(int keyType, String zmk, String keyUnderZmk, char scheme, int storeIndex, String label) throws TAException {
        KeyScheme s = scheme(scheme);
        return call(() -> {
            KeyWithCheckValue k = hsm.importKey(KeyType.of(keyType), zmk, keyUnderZmk, s, storeIndex, label);
            return new String[] {k.key(), k.checkValue()};
        });
    }

    @Override
    public String[] exportKey(int keyType, String zmk, String key, char zmkScheme) throws TAException {
        KeyScheme s = scheme(zmkScheme);
        return call(() -> {
            KeyWithCheckValue k = hsm.exportKey(KeyType.of(keyType), zmk, key, s);
            return new String[] {k.key(), k.checkValue()};
        });
    }

    @Override
    public byte[] hash(int algorithm, byte[] data, byte[] userId, String sm2PublicKey) throws TAException {
        HashAlgorithm a = hashAlgorithm(algorithm);
        return call(() -> hsm.hash(a, data, userId, sm2PublicKey));
    }

    @Override
    public byte[] localHash(int algorithm, byte[] data) throws TAException {
        HashAlgorithm a = hashAlgorithm(algorithm);
        return call(() -> CACipher.localHash(a, data));
    }

    @Override
    public String[] sm2GenerateKeyPair(int storeIndex, String label) throws TAException {
        return call(() -> {
            Sm2KeyPair k = hsm.sm2GenerateKeyPair(storeIndex, label);
            return new String[] {k.publicKey(), k.privateKey()};
        });
    }

    @Override
    public byte[] sm2Encrypt(String publicKey, byte[] data) throws TAException {
        return call(() -> hsm.sm2Encrypt(publicKey, data));
    }

    @Override
    public byte[] sm2Decrypt(String privateKey, byte[] ciphertext) throws TAException {
        return call(() -> hsm.sm2Decrypt(privateKey, ciphertext));
    }

    @Override
    public String sm2Sign(String privateKey, byte[] userId, byte[] data) throws TAException {
        return call(() -> hsm.sm2Sign(privateKey, userId, data));
    }

    @Override
    public boolean sm2Verify(String publicKey, byte[] userId, byte[] data, String signature) throws TAException {
        return call(() -> hsm.sm2Verify(publicKey, userId, data, signature));
    }

    private static IcPadding padding(int code) throws TAException {
        for (IcPadding p : IcPadding.values()) {
            if (p.code() == code) return p;
        }
        throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "padFlag: " + code + " is not supported (0...5)");
    }

    private static CipherMode mode(int code) throws TAException {
        for (CipherMode m : CipherMode.values()) {
            if (m.code() == code) return m;
        }
        throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "algType: " + code + " is not supported (0 ECB, 1 CBC, 2 CFB, 3 OFB)");
    }

    @Override
    public byte[] icCipher(boolean encrypt, int keyType, String key, String derivation, int sessionMode, String sessionData, int padding,
                           int mode, String iv, byte[] data) throws TAException {
        IcPadding p = padding(padding);
        CipherMode m = mode(mode);
        KeyType t = KeyType.of(keyType);
        return call(() -> encrypt ? hsm.icEncrypt(t, key, derivation, sessionMode, sessionData, p, m, iv, data)
                                  : hsm.icDecrypt(t, key, derivation, sessionMode, sessionData, p, m, iv, data));
    }

    @Override
    public String icMac(int keyType, String key, int algorithm, int macLength, String derivation, int sessionMode, String sessionData,
                        int padding, String iv, byte[] data) throws TAException {
        IcPadding p = padding(padding);
        MacAlgorithm a;
        if (algorithm == MacAlgorithm.ALG1.code()) {
            a = MacAlgorithm.ALG1;
        } else if (algorithm == MacAlgorithm.ALG3.code()) {
            a = MacAlgorithm.ALG3;
        } else {
            throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "algType: " + algorithm + " is not supported (1, 3)");
        }
        return call(() -> hsm.icGenerateMac(KeyType.of(keyType), key, a, macLength, derivation, sessionMode, sessionData, p, iv, data));
    }

    @Override
    public String[] deriveKey(int sourceType, String sourceKey, int type, char scheme, int mode, String factors, int storeIndex, String label)
            throws TAException {
        KeyScheme s = scheme(scheme);
        KeyDerivationMode m = null;
        for (KeyDerivationMode d : KeyDerivationMode.values()) {
            if (d.code() == mode) m = d;
        }
        if (m == null) throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "disperAlgType: " + mode + " is not supported (0, 1)");
        KeyDerivationMode dm = m;
        return call(() -> {
            KeyWithCheckValue k = hsm.deriveKey(KeyType.of(sourceType), sourceKey, KeyType.of(type), s, dm, factors, storeIndex, label);
            return new String[] {k.key(), k.checkValue()};
        });
    }

    @Override
    public String[] storedKeyInfo(int index) throws TAException {
        return call(() -> {
            StoredKeyInfo i = hsm.storedKeyInfo(index);
            return new String[] {String.format("%03X", i.keyType().code()), i.scheme() == null ? "" : String.valueOf(i.scheme().letter()),
                                 i.checkValue(), i.label(), i.time()};
        });
    }

    // ---------------------------------------------------------------- RSA (EI ER EW EY 3A 3B)

    private static RsaKeyUsage rsaUsage(int code) throws TAException {
        for (RsaKeyUsage u : RsaKeyUsage.values()) {
            if (u.code() == code) return u;
        }
        throw new TAException(TAException.BAD_PARAMETER_VALUE, "keyUserWay: " + code + " is not a key usage (0 sign, 1 key management, 2 both)");
    }

    private static HashAlgorithm rsaHash(int code) throws TAException {
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (a.code() == code) return a;
        }
        throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "hashFlag: " + code + " is not supported (1, 5, 6, 7, 8, 20)");
    }

    private static RsaSignaturePadding rsaSignaturePadding(int code) throws TAException {
        for (RsaSignaturePadding p : RsaSignaturePadding.values()) {
            if (p.code() == code) return p;
        }
        throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "padFlag: " + code + " is not supported (1 PKCS#1 v1.5, 2 PSS)");
    }

    private static RsaEncryptionPadding rsaEncryptionPadding(int code) throws TAException {
        for (RsaEncryptionPadding p : RsaEncryptionPadding.values()) {
            if (p.code() == code) return p;
        }
        throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "padFlag: " + code + " is not supported (0 none, 1 PKCS#1 v1.5, 2 OAEP)");
    }

    @Override
    public String[] rsaGenerateKeyPair(int usage, int bits, int exponent, int storeIndex, String label) throws TAException {
        RsaKeyUsage u = rsaUsage(usage);
        return call(() -> {
            RsaKeyPair k = hsm.rsaGenerateKeyPair(bits, exponent, u, storeIndex, label);
            return new String[] {k.publicKey(), k.privateKey()};
        });
    }

    @Override
    public String rsaPublicKey(int index) throws TAException {
        return call(() -> hsm.rsaPublicKey(index));
    }

    @Override
    public String rsaSign(String privateKey, int hash, int padding, byte[] data) throws TAException {
        HashAlgorithm h = rsaHash(hash);
        RsaSignaturePadding p = rsaSignaturePadding(padding);
        return call(() -> hsm.rsaSign(privateKey, h, p, data));
    }

    @Override
    public boolean rsaVerify(String publicKey, int hash, int padding, byte[] data, String signature) throws TAException {
        HashAlgorithm h = rsaHash(hash);
        RsaSignaturePadding p = rsaSignaturePadding(padding);
        return call(() -> hsm.rsaVerify(publicKey, h, p, data, signature));
    }

    @Override
    public byte[] rsaEncrypt(String publicKey, int padding, byte[] data) throws TAException {
        RsaEncryptionPadding p = rsaEncryptionPadding(padding);
        return call(() -> hsm.rsaEncrypt(publicKey, p, data));
    }

    @Override
    public byte[] rsaDecrypt(String privateKey, int padding, byte[] ciphertext) throws TAException {
        RsaEncryptionPadding p = rsaEncryptionPadding(padding);
        return call(() -> hsm.rsaDecrypt(privateKey, p, ciphertext));
    }

    @Override
    public void close() {
        hsm.close();
    }
}
