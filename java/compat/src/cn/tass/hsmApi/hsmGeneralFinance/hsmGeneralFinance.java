package cn.tass.hsmApi.hsmGeneralFinance;

import cn.tass.exceptions.TAException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.cacipher.tass.Backend;
import org.cacipher.tass.NativeLoader;
import org.cacipher.tass.RsaCodec;
import org.cacipher.tass.Sm2Codec;

/**
 * The vendor SDK's financial API (TASS SJJ1310 / EVSM), implemented over libcacipher's Java
 * binding: applications written for the vendor's jar run with this one on the classpath.
 *
 * <p>{@link #getInstance(String)} returns one shared instance per configuration string (a
 * path of a cacipher.ini, or the content as {@code "{[LOGGER];logsw=error;...}"});
 * {@link #getInstance(String, String)} one per configuration and instance name. The
 * instance is not closeable: it lives until the process ends, so no holder can close it under
 * another (the vendor's has no close either). {@link #updateConfigure(String)} replaces the
 * configuration of the instance in place. Every method may be called from any number of
 * threads.
 *
 * <p>Key arguments of type {@code Object}: an {@link Integer} is a key index in the HSM
 * (1...9999, sent as {@code K0001}...), a {@link String} a key cryptogram under the LMK
 * (with its scheme letter, or 16 hex). Key types: names (ZMK, KEK, ZPK, PVK, TPK, TMK, TAK,
 * ZAK, BDK, MK_AC, MDK, MK_SMI, MK_SMC, MK_DAK, MK_DN, CVK, ZEK, DEK, TEK, HMAC, KMC, EDK;
 * '-' and '_' alike, any case) or 3-character codes ("00A"). Errors: {@link TAException}
 * with the HSM's code 1...99 or a negative framework code; never a
 * {@code NullPointerException} for a null argument ({@code PARAMETER_NULL}, -601).
 */
public class hsmGeneralFinance {
    /** The largest data block one command takes (bytes; the packet size of the bigData methods). */
    public static int maxBlockSize = 4096;

    private static final Map<String, hsmGeneralFinance> INSTANCES = new HashMap<>();
    private static final int HASH_SM3 = 20;
    private static final int HASH_LIMIT = 9999;

    private volatile Backend backend;

    private hsmGeneralFinance(Backend backend) {
        this.backend = backend;
    }

    // ---------------------------------------------------------------- instances

    /**
     * The shared instance for {@code cfg}: a path to a configuration file, or the
     * configuration itself in braces, {@code ';'} standing for a line break. The first call
     * with a string opens the instance (parses the configuration and opens the log; connects
     * to no HSM); later calls with the same string (compared exactly) return it.
     *
     * @throws TAException when the configuration does not open, with the spec's section 5.2 codes:
     *     -302 none given, no {@code [HOST n]}, or one without host= / port=; -303 the file cannot
     *     be read; -304 the path is a directory or holds a NUL; -301 the text is not a configuration
     *     (a line neither [SECTION] nor key = value); -306 a bad value (port=abc, timeout=-1, ...);
     *     -305 an hsmModel without a driver; -403 an unknown logsw category; -400 logPath missing
     */
    public static synchronized hsmGeneralFinance getInstance(String cfg) throws TAException {
        if (cfg == null || cfg.trim().isEmpty()) throw new TAException(TAException.NO_CONFIG, "getInstance: no configuration");
        hsmGeneralFinance api = INSTANCES.get(cfg);
        if (api == null) {
            api = new hsmGeneralFinance(open(cfg));
            INSTANCES.put(cfg, api);
        }
        return api;
    }

    /**
     * The 2.1.44 SDK's two-string factory. The vendor's spec gives its signature only; this jar
     * reads it as (configuration, instance name): one shared instance per pair, so an
     * application can hold several independent instances (pools, logs) of one configuration
     * under different names. A null or empty {@code name} is {@link #getInstance(String) getInstance(cfg)}.
     * The name is 1...64 printable ASCII characters (else -602); {@code cfg} as in
     * {@link #getInstance(String)}.
     */
    public static synchronized hsmGeneralFinance getInstance(String cfg, String name) throws TAException {
        if (name == null || name.isEmpty()) return getInstance(cfg);
        if (cfg == null || cfg.trim().isEmpty()) throw new TAException(TAException.NO_CONFIG, "getInstance: no configuration");
        if (name.length() > 64 || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new TAException(TAException.BAD_PARAMETER_VALUE, "getInstance: the instance name must be 1...64 printable ASCII characters");
        }
        // "\0" cannot occur in a configuration that opens (open refuses it), so the key is unambiguous.
        String key = name + '\0' + cfg;
        hsmGeneralFinance api = INSTANCES.get(key);
        if (api == null) {
            api = new hsmGeneralFinance(open(cfg));
            INSTANCES.put(key, api);
        }
        return api;
    }

    /** {@link #getInstance(String)} of the environment variable TACFG_INTERFACE_J, or of "cacipher.ini" (working directory) when it is unset. */
    public static synchronized hsmGeneralFinance getInstance() throws TAException {
        String env = System.getenv("TACFG_INTERFACE_J");
        return getInstance(env == null || env.isEmpty() ? "cacipher.ini" : env);
    }

    private static Backend open(String cfg) throws TAException {
        if (cfg.indexOf('\0') >= 0) throw new TAException(TAException.BAD_CONFIG_FILE_NAME, "configuration: contains a NUL character");
        return NativeLoader.factory().open(cfg);
    }

    /**
     * Replaces this instance's configuration ({@code cfg} as in {@link #getInstance(String)}).
     * True when the new configuration opened; false (the old one stays in use) when it did
     * not. Calls in progress finish on the old configuration, later calls use the new one.
     */
    public synchronized boolean updateConfigure(String cfg) {
        if (cfg == null || cfg.trim().isEmpty()) return false;
        Backend next;
        try {
            next = open(cfg);
        } catch (TAException e) {
            return false;
        }
        Backend old = backend;
        backend = next;
        old.close();
        return true;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(Backend b) throws TAException;
    }

    /** Runs f on the current backend; again on the new one if updateConfigure closed it meanwhile. */
    private <T> T call(Call<T> f) throws TAException {
        for (int attempt = 0; ; attempt++) {
            Backend b = backend;
            try {
                return f.run(b);
            } catch (TAException e) {
                if (e.getErrorCode() != TAException.NOT_INITIALIZED || b == backend || attempt >= 3) throw e;
            }
        }
    }

    // ---------------------------------------------------------------- argument helpers

    private static <T> T need(T v, String name) throws TAException {
        if (v == null) throw new TAException(TAException.PARAMETER_NULL, name + ": null");
        return v;
    }

    /** A key type name or 3H code as the library's code (variant << 8 | pair). */
    static int keyType(String t, String name) throws TAException {
        need(t, name);
        String s = t.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (s) {
            case "ZMK": case "KEK": return 0x000;
            case "ZPK": return 0x001;
            case "PVK": case "TPK": case "TMK": return 0x002;
            case "TAK": return 0x003;
            case "EDK": return 0x007;
            case "ZAK": return 0x008;
            case "BDK": return 0x009;
            case "ZEK": case "DEK": return 0x00A;
            case "TEK": return 0x00B;
            case "KMC": return 0x011;
            case "MK_AC": case "MDK": return 0x109;
            case "HMAC": return 0x10C;
            case "MK_SMI": return 0x209;
            case "MK_SMC": return 0x309;
            case "CVK": return 0x402;
            case "MK_DAK": return 0x409;
            case "MK_DN": return 0x509;
            default: break;
        }
        if (s.length() == 3 && s.charAt(0) >= '0' && s.charAt(0) <= '9'
                && Character.digit(s.charAt(1), 16) >= 0 && Character.digit(s.charAt(2), 16) >= 0) {
            return Integer.parseInt(s, 16);
        }
        throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": not a key type name or 3-character code");
    }

    /** An Object key argument: Integer index 1...9999 as "Knnnn", String cryptogram as is. */
    static String key(Object k, String name) throws TAException {
        need(k, name);
        if (k instanceof Integer) {
            int i = (Integer) k;
            if (i < 1 || i > 9999) throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": key index out of 1...9999");
            return String.format("K%04d", i);
        }
        if (k instanceof String) {
            String s = ((String) k).trim();
            if (s.isEmpty()) throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": empty key");
            return s;
        }
        throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": an Integer key index or a String cryptogram");
    }

    private static String label(String l) {
        return l == null || l.isEmpty() ? null : l;
    }

    private static byte[] bytes(String hex) {
        return hex == null ? null : Sm2Codec.fromHex(hex);
    }

    // ---------------------------------------------------------------- keys (A0, A6, A8)

    /** A0: a new key under the LMK; storeIndex 0 or the HSM index to keep it at. Returns [key under LMK, check value]. */
    public String[] genWorkKey(String keyType, char scheme, int storeIndex, String label) throws TAException {
        int t = keyType(keyType, "keyType");
        String[] r = call(b -> b.generateKey(t, scheme, null, storeIndex, label(label)));
        return new String[] {r[0], r[2]};
    }

    /** A0 with a ZMK: returns [key under LMK, key under the ZMK, check value]. */
    public String[] genWorkKeyEnc(String keyType, char scheme, Object zmkKey, int storeIndex, String label) throws TAException {
        int t = keyType(keyType, "keyType");
        String zmk = key(zmkKey, "zmkKey");
        String[] r = call(b -> b.generateKey(t, scheme, zmk, storeIndex, label(label)));
        return new String[] {r[0], r[1], r[2]};
    }

    /** A6: imports a key received under a ZMK; returns [key under LMK in scheme {@code alg}, check value]. */
    public String[] importWorkKey(String importedKeyType, Object zmkKey, String keyUnderZmk, char alg, int storeKeyIndex, String storeKeyLabel)
            throws TAException {
        int t = keyType(importedKeyType, "importedKeyType");
        String zmk = key(zmkKey, "zmkKey");
        need(keyUnderZmk, "keyUnderZmk");
        return call(b -> b.importKey(t, zmk, keyUnderZmk, alg, storeKeyIndex, label(storeKeyLabel)));
    }

    /** A8: exports a key under a ZMK in scheme {@code targetKeyFlag}; returns [key under the ZMK, check value]. */
    public String[] exportWorkKey(String targetKeyType, Object zmkKey, Object targetKey, char targetKeyFlag) throws TAException {
        int t = keyType(targetKeyType, "targetKeyType");
        String zmk = key(zmkKey, "zmkKey");
        String k = key(targetKey, "targetKey");
        return call(b -> b.exportKey(t, zmk, k, targetKeyFlag));
    }

    // ---------------------------------------------------------------- hash (3C)

    /** The SM3 digest of {@code data} of any length (a file): one 3C up to 9999 bytes, computed in-process beyond. */
    public byte[] generateHASH(byte[] data) throws TAException {
        return generateHASH(data, HASH_SM3, null, null);
    }

    /**
     * The digest of {@code data} with {@code alg} (1 SHA-1, 5 SHA-224, 6 SHA-256, 7 SHA-384,
     * 8 SHA-512, 20 SM3). With an SM2 public key (DER) and SM3: SM3 over Z || data, Z from
     * {@code userId} (null or empty: the default id 1234567812345678). Data up to 9999 bytes
     * is one 3C command; longer data (the vendor's multi-part H1/H2/H3, whose layout is not
     * published and which the library does not send) is digested in this process with
     * OpenSSL, the same value (the data is public input). SM3 with Z over more than 9999
     * bytes is -603.
     */
    public byte[] generateHASH(byte[] data, int alg, byte[] userId, byte[] pubKey) throws TAException {
        need(data, "data");
        String pub = pubKey == null || pubKey.length == 0 ? null : Sm2Codec.publicKeyHex(pubKey, "pubKey");
        if (pub == null && userId != null && userId.length > 0) {
            throw new TAException(TAException.BAD_PARAMETER_VALUE, "userId: needs pubKey");
        }
        if (data.length > HASH_LIMIT) {
            if (pub != null) {
                throw new TAException(TAException.BAD_PARAMETER_LENGTH,
                        "data: SM3 with an SM2 public key (Z) takes at most 9999 bytes (one 3C); the multi-part H1/H2/H3 is not sent");
            }
            return call(b -> b.localHash(alg, data));
        }
        byte[] uid = pub == null ? null : userId;
        return call(b -> b.hash(alg, data, uid, pub));
    }

    // ---------------------------------------------------------------- SM2 (E7, E3, E4, E5, E6)

    /**
     * E7: a new SM2 key pair, kept in the HSM at {@code index} (0: not kept) with {@code label}.
     * Returns [public key (DER SubjectPublicKeyInfo, 91 bytes), private key under the LMK (40 bytes)].
     */
    public ArrayList<byte[]> generateSm2KeyPair(int index, String label) throws TAException {
        String[] r = call(b -> b.sm2GenerateKeyPair(index, label(label)));
        ArrayList<byte[]> out = new ArrayList<>(2);
        out.add(Sm2Codec.publicKeyDer(r[0]));
        out.add(bytes(r[1]));
        return out;
    }

    /** E3: SM2-encrypts {@code inData} (1...9902 bytes) under a DER public key; returns C1 || C3 || C2. */
    public byte[] SM2PublicKeyEnc(byte[] inData, byte[] derPublicKey) throws TAException {
        need(inData, "inData");
        String pub = Sm2Codec.publicKeyHex(derPublicKey, "derPublicKey");
        return call(b -> b.sm2Encrypt(pub, inData));
    }

    /** E4: decrypts C1 || C3 || C2 with a private key under the LMK (40 bytes). */
    public byte[] SM2PrivateKeyDec(byte[] cipher, byte[] privateKeyUnderLmk) throws TAException {
        need(cipher, "cipher");
        String priv = Sm2Codec.toHex(need(privateKeyUnderLmk, "privateKeyUnderLmk"));
        return call(b -> b.sm2Decrypt(priv, cipher));
    }

    /**
     * E5: signs {@code indata} (SM3 over Z || data) with {@code privateKey} (under the LMK);
     * {@code userID} null or empty: the default id. {@code flag}: the signature's encoding,
     * 0 r || s (64 bytes), 1 DER. {@code publicKey} is not needed (the HSM derives it) and
     * may be null; when given it must be an SM2 public key.
     */
    public byte[] genSM2Signature(byte[] userID, int flag, byte[] indata, byte[] publicKey, byte[] privateKey) throws TAException {
        need(indata, "indata");
        Sm2Codec.checkFlag(flag);
        if (publicKey != null && publicKey.length > 0) Sm2Codec.publicKeyHex(publicKey, "publicKey");
        String priv = Sm2Codec.toHex(need(privateKey, "privateKey"));
        byte[] uid = userID == null || userID.length == 0 ? null : userID;
        String sig = call(b -> b.sm2Sign(priv, uid, indata));
        return Sm2Codec.signatureOut(sig, flag);
    }

    /** E6: true when {@code signature} (encoded as {@code flag} says) is valid for {@code indata}, false when not. */
    public boolean verifySM2Signature(byte[] userID, int flag, byte[] indata, byte[] signature, byte[] publicKey) throws TAException {
        need(indata, "indata");
        String sig = Sm2Codec.signatureIn(signature, flag);
        String pub = Sm2Codec.publicKeyHex(publicKey, "publicKey");
        byte[] uid = userID == null || userID.length == 0 ? null : userID;
        return call(b -> b.sm2Verify(pub, uid, indata, sig));
    }

    // ---------------------------------------------------------------- RSA (EI, ER, EW, EY, 3A, 3B)
    // Public keys: DER PKCS#1 RSAPublicKey as the HSM exports it (a SubjectPublicKeyInfo, e.g.
    // java.security.PublicKey.getEncoded(), is accepted as input too); private keys: the HSM's
    // blob under the LMK; key indexes 1...9998. hashFlag: 1 SHA-1, 5 SHA-224, 6 SHA-256,
    // 7 SHA-384, 8 SHA-512, 20 SM3 (the C library's HASH ids). Signature padFlag: 1 PKCS#1 v1.5,
    // 2 PSS; encryption padFlag: 0 none, 1 PKCS#1 v1.5, 2 OAEP. Other flags: -604.

    private static final int RSA_DATA_LIMIT = 9999;
    private static final int RSA_MODULUS_MAX = 512;

    private static String rsaIndex(int index, String name) throws TAException {
        if (index < 1 || index > 9998) throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": RSA key index out of 1...9998");
        return String.format("K%04d", index);
    }

    private static void rsaLength(byte[] data, int max, String name) throws TAException {
        need(data, name);
        if (data.length > max) throw new TAException(TAException.BAD_PARAMETER_LENGTH, name + ": over " + max + " bytes");
    }

    /**
     * EI: a new RSA key pair. {@code keyUserWay} 0 signing only, 1 key management (encrypt /
     * decrypt) only, 2 both; {@code keyLen} 1024...4096 bits (a multiple of 8); {@code exponent}
     * 3 or 65537; {@code storeindex} 0 (not kept) or 1...9998 to keep the pair in the HSM with
     * {@code keyLable}. Returns [public key (DER PKCS#1 RSAPublicKey), private key under the LMK].
     */
    public ArrayList<byte[]> genRSAKeyPair(int keyUserWay, int keyLen, int exponent, int storeindex, String keyLable) throws TAException {
        String[] r = call(b -> b.rsaGenerateKeyPair(keyUserWay, keyLen, exponent, storeindex, label(keyLable)));
        ArrayList<byte[]> out = new ArrayList<>(2);
        out.add(bytes(r[0]));
        out.add(bytes(r[1]));
        return out;
    }

    /** ER: the public key (DER PKCS#1 RSAPublicKey) of the pair kept at {@code index}. */
    public byte[] getRSAPublicKey(int index) throws TAException {
        rsaIndex(index, "index");
        return bytes(call(b -> b.rsaPublicKey(index)));
    }

    /** EW: the HSM hashes {@code indata} (at most 9999 bytes) with {@code hashFlag} and signs it with the pair at index {@code key}. */
    public byte[] genRsaSignature(int hashFlag, int padFlag, byte[] indata, int key) throws TAException {
        rsaLength(indata, RSA_DATA_LIMIT, "indata");
        String k = rsaIndex(key, "key");
        return bytes(call(b -> b.rsaSign(k, hashFlag, padFlag, indata)));
    }

    /** EY: true when {@code signature} over {@code indata} verifies with the DER {@code publicKey}, false when not. */
    public boolean verifyRsaSignature(int hashFlag, int padFlag, byte[] indata, byte[] publicKey, byte[] signature) throws TAException {
        rsaLength(indata, RSA_DATA_LIMIT, "indata");
        String pub = RsaCodec.publicKeyHex(publicKey, "publicKey");
        String sig = rsaSignature(signature);
        return call(b -> b.rsaVerify(pub, hashFlag, padFlag, indata, sig));
    }

    /** EY with the pair kept at {@code keyIndex}. */
    public boolean verifyRsaSignature(int hashFlag, int padFlag, byte[] indata, int keyIndex, byte[] signature) throws TAException {
        rsaLength(indata, RSA_DATA_LIMIT, "indata");
        String k = rsaIndex(keyIndex, "keyIndex");
        String sig = rsaSignature(signature);
        return call(b -> b.rsaVerify(k, hashFlag, padFlag, indata, sig));
    }

    private static String rsaSignature(byte[] signature) throws TAException {
        rsaLength(signature, RSA_MODULUS_MAX, "signature");
        if (signature.length == 0) throw new TAException(TAException.BAD_PARAMETER_LENGTH, "signature: empty");
        return Sm2Codec.toHex(signature);
    }

    /** 3A: encrypts {@code indata} with the public key of the pair at {@code keyIndex}; returns the modulus-length ciphertext (HSM 80 when the data is too long for the key and padding). */
    public byte[] RsaPublicKeyEnc(int padFlag, byte[] indata, int keyIndex) throws TAException {
        rsaLength(indata, RSA_MODULUS_MAX, "indata");
        String k = rsaIndex(keyIndex, "keyIndex");
        return call(b -> b.rsaEncrypt(k, padFlag, indata));
    }

    /** 3B: decrypts a modulus-length {@code cipher} with the private key of the pair at {@code keyIndex}. */
    public byte[] RsaPrivateKeyDec(int padFlag, int keyIndex, byte[] cipher) throws TAException {
        rsaLength(cipher, RSA_MODULUS_MAX, "cipher");
        String k = rsaIndex(keyIndex, "keyIndex");
        return call(b -> b.rsaDecrypt(k, padFlag, cipher));
    }

    // ---------------------------------------------------------------- data (S3, S4), MAC (S0)

    private static String opt(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    private static byte[] hexArg(String hex, String name) throws TAException {
        need(hex, name);
        String h = hex.trim();
        if ((h.length() & 1) != 0) throw new TAException(TAException.BAD_PARAMETER_LENGTH, name + ": odd number of hex digits");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(h.charAt(2 * i), 16), lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": not hex");
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /**
     * S3: encrypts {@code inData} (1...60000 bytes) under a working key. {@code algType} 0 ECB,
     * 1 CBC, 2 CFB (whole-block feedback: CFB64 under DES keys, CFB128 under SM4/AES keys),
     * 3 OFB; {@code IV} one block in hex for 1, 2, 3 (16H DES keys, 32H SM4/AES keys).
     * {@code disperFactor}: derivation data, 32 hex per level (0...8 levels; null or "" for none).
     * {@code sessionType} 0 none, else the session-key mode with {@code sessionFactor} (hex).
     * {@code padFlag}: 0 PBOC encipherment, 1 PBOC MAC (80 00..), 2 zeros, 3 ANSI X9.23, 4 PKCS#5,
     * 5 none (ECB / CBC: the data must be whole blocks; CFB / OFB: any length, the output as
     * long as the input). The vendor's 10, 11 and 16 ({@code PBOC3_ENC}) have no published
     * definition and are refused (-604) before anything is sent.
     */
    public byte[] generalDataEnc(int algType, String srcKeyType, Object srcKey, String disperFactor, int sessionType, String sessionFactor,
                                 int padFlag, byte[] inData, String IV) throws TAException {
        return dataCipher(true, algType, srcKeyType, srcKey, disperFactor, sessionType, sessionFactor, padFlag, inData, IV);
    }

    /** S4: the inverse of {@link #generalDataEnc}; the padding is removed (zero padding stays). */
    public byte[] generalDataDec(int algType, String srcKeyType, Object srcKey, String disperFactor, int sessionType, String sessionFactor,
                                 int padFlag, byte[] inData, String IV) throws TAException {
        return dataCipher(false, algType, srcKeyType, srcKey, disperFactor, sessionType, sessionFactor, padFlag, inData, IV);
    }

    private byte[] dataCipher(boolean encrypt, int algType, String srcKeyType, Object srcKey, String disperFactor, int sessionType,
                              String sessionFactor, int padFlag, byte[] inData, String IV) throws TAException {
        int t = keyType(srcKeyType, "srcKeyType");
        String k = key(srcKey, "srcKey");
        need(inData, "inData");
        checkDataLength(inData.length, "inData");
        checkPadFlag(padFlag);
        int block = blockOf(k);
        // whole blocks: ECB and CBC cryptograms and unpadded clear data, and every padded cryptogram
        // (CFB and OFB without padding are stream modes: any length)
        boolean blocks = (algType == 0 || algType == 1) ? !encrypt || padFlag == PAD_NONE : !encrypt && padFlag != PAD_NONE;
        if (blocks && inData.length % block != 0) {
            throw new TAException(TAException.BAD_PARAMETER_LENGTH, "inData: " + inData.length + " bytes are not whole " + block
                    + "-byte blocks (" + (encrypt ? "padFlag 5, no padding" : "a cryptogram") + ")");
        }
        String iv = algType == 0 ? null : opt(IV);
        if (algType >= 1 && algType <= 3) {
            if (iv == null) throw new TAException(TAException.PARAMETER_NULL, "IV: needed for CBC, CFB and OFB");
            boolean known = block == 16 || isCryptogram(k);
            if (known ? iv.length() != 2 * block : iv.length() != 16 && iv.length() != 32) {
                throw new TAException(TAException.BAD_PARAMETER_LENGTH, "IV: " + iv.length() + " hex digits; one cipher block is "
                        + (known ? 2 * block + " hex for this key" : "16 hex (DES keys) or 32 hex (SM4 / AES keys)"));
            }
        }
        return call(b -> b.icCipher(encrypt, t, k, opt(disperFactor), sessionType, opt(sessionFactor), padFlag, algType, iv, inData));
    }

    /** The data limit of one S0 / S3 / S4 command (bytes). */
    private static final int DATA_LIMIT = 60000;

    /** -603 (BAD_PARAMETER_LENGTH) for data that one S0 / S3 / S4 command cannot take: none, or more than 60000 bytes. */
    private static void checkDataLength(int length, String name) throws TAException {
        if (length < 1 || length > DATA_LIMIT) {
            throw new TAException(TAException.BAD_PARAMETER_LENGTH, name + ": " + length + " bytes; one command takes 1 to " + DATA_LIMIT);
        }
    }

    /**
     * The cipher block of a key argument: 16 bytes for an SM4, AES or SM1 cryptogram (R, L, P), else
     * 8 (DES; a key index's kind is the HSM's to know, which answers for a 16-byte key itself).
     */
    private static boolean isCryptogram(String key) {
        return !key.isEmpty() && Character.toUpperCase(key.charAt(0)) != 'K';
    }

    private static int blockOf(String key) {
        char c = key.isEmpty() ? ' ' : Character.toUpperCase(key.charAt(0));
        return c == 'R' || c == 'L' || c == 'P' ? 16 : 8;
    }

    /**
     * Refuses the vendor's padding flags without a published definition: 10 and 11 (accepted
     * by the vendor's C check, Q7 of the spec) and 16 ({@code SJJ1310$PaddingMode.PBOC3_ENC}).
     * Guessing a padding would give ciphertexts another HSM does not read back.
     */
    private static void checkPadFlag(int padFlag) throws TAException {
        if (padFlag == 10 || padFlag == 11 || padFlag == 16) {
            throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "padFlag: " + padFlag + (padFlag == 16 ? " (PBOC3_ENC)" : "")
                    + " has no published definition; not supported (0...5)");
        }
    }

    /**
     * S0: the MAC (hex) of {@code inData} (hex; 1...60000 bytes) under a working key (ZAK,
     * TAK, MDK / MK-AC, MK-SMI). {@code algType} 1 ISO 9797-1 algorithm 1, 3 algorithm 3 (DES
     * keys). {@code valueType}: the MAC length in bytes (1...9 or 16, at most the key's
     * block). {@code disperFactor}, {@code sessionType}, {@code sessionFactor}, {@code padFlag}
     * as {@link #generalDataEnc}; {@code IV}: the initial chaining value (hex) or null / "".
     */
    public String generalCalMAC(int algType, int valueType, String srcKeyType, Object srcKey, String disperFactor, int sessionType,
                                String sessionFactor, int padFlag, String inData, String IV) throws TAException {
        int t = keyType(srcKeyType, "srcKeyType");
        String k = key(srcKey, "srcKey");
        byte[] data = hexArg(inData, "inData");
        checkDataLength(data.length, "inData");
        checkPadFlag(padFlag);
        return call(b -> b.icMac(t, k, algType, valueType, opt(disperFactor), sessionType, opt(sessionFactor), padFlag, opt(IV), data));
    }

    /** S0, then compares with {@code mac} (hex, either case): true when equal. */
    public boolean generalVerifyMAC(int algType, int valueType, String srcKeyType, Object srcKey, String disperFactor, int sessionType,
                                    String sessionFactor, int padFlag, String inData, String IV, String mac) throws TAException {
        byte[] want = hexArg(mac, "mac");
        String got = generalCalMAC(algType, valueType, srcKeyType, srcKey, disperFactor, sessionType, sessionFactor, padFlag, inData, IV);
        return MessageDigest.isEqual(Sm2Codec.fromHex(got), want);
    }

    // ---------------------------------------------------------------- big data (S3 / S4 in packets)

    /**
     * S3 over data of any length, sent in packets of {@link #maxBlockSize} bytes (rounded down to
     * whole 16-byte blocks): the padding ({@code padFlag}) only on the last packet; the IV of a
     * packet continues the chain of the one before (CBC and CFB: its last cipher block; OFB: its
     * last key-stream block), so the result equals one S3 over the whole data. {@code key}: an
     * Integer index or a cryptogram of a ZEK/DEK ({@code 00A}). {@code algType} 0 ECB, 1 CBC,
     * 2 CFB, 3 OFB ({@code IV} 16H for Z X U Y T keys, 32H for R P L keys).
     */
    public byte[] bigDatageneralEnc(int algType, Object key, int padFlag, String IV, byte[] data) throws TAException {
        return bigData(true, algType, key, padFlag, IV, data);
    }

    /** S4 in packets: the inverse of {@link #bigDatageneralEnc} ("Dnc" as in the vendor's name). */
    public byte[] bigDatageneralDnc(int algType, Object key, int padFlag, String IV, byte[] data) throws TAException {
        return bigData(false, algType, key, padFlag, IV, data);
    }

    private static final int DATA_KEY = 0x00A;
    private static final int PAD_NONE = 5;

    private byte[] bigData(boolean encrypt, int algType, Object key, int padFlag, String IV, byte[] data) throws TAException {
        String k = key(key, "key");
        need(data, "data");
        if (algType < 0 || algType > 3) throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "algType: 0 ECB, 1 CBC, 2 CFB or 3 OFB");
        checkPadFlag(padFlag);
        boolean chained = algType != 0;
        String iv = chained ? opt(need(IV, "IV")) : null;
        if (chained && iv == null) throw new TAException(TAException.PARAMETER_NULL, "IV: needed for CBC, CFB and OFB");
        int block = iv == null ? 16 : iv.length() / 2;
        if (chained && block != 8 && block != 16) throw new TAException(TAException.BAD_PARAMETER_LENGTH, "IV: 16 or 32 hex");
        int packet = Math.max(16, Math.min(maxBlockSize, 60000) / 16 * 16);
        // One buffer of the final size (no copies left behind by growth); decrypted packets and the
        // buffer are zeroed once copied, as the binding does with its native copies.
        byte[] buf = new byte[data.length + 16];
        int at = 0, len = 0;
        try {
            do {
                int n = Math.min(packet, data.length - at);
                boolean last = at + n >= data.length;
                byte[] part = Arrays.copyOfRange(data, at, at + n);
                String partIv = iv;
                byte[] r = call(b -> b.icCipher(encrypt, DATA_KEY, k, null, 0, null, last ? padFlag : PAD_NONE, algType, partIv, part));
                if (chained && !last) {
                    if (r.length != part.length) {
                        throw new TAException(TAException.BAD_PARAMETER_LENGTH, "data: the HSM returned a packet of another length");
                    }
                    byte[] c = encrypt ? r : part;
                    byte[] next = Arrays.copyOfRange(c, c.length - block, c.length);
                    if (algType == 3) {
                        // OFB: the last key-stream block, cipher XOR clear of the packet's last block
                        byte[] p = encrypt ? part : r;
                        for (int i = 0; i < block; i++) next[i] ^= p[p.length - block + i];
                    }
                    iv = Sm2Codec.toHex(next);
                    Arrays.fill(next, (byte) 0);
                }
                if (r.length > buf.length - len) {
                    throw new TAException(TAException.BAD_PARAMETER_LENGTH, "data: the HSM returned more than expected");
                }
                System.arraycopy(r, 0, buf, len, r.length);
                len += r.length;
                if (!encrypt) Arrays.fill(r, (byte) 0);
                else Arrays.fill(part, (byte) 0);
                at += n;
            } while (at < data.length);
            return Arrays.copyOf(buf, len);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    // ---------------------------------------------------------------- key derivation (KD), key information (KG)

    /**
     * KD: derives a key of {@code subKeyType} (under the LMK in scheme {@code subKeyAlgFlag})
     * from {@code srcKey} (of {@code srcKeyType}); {@code disperAlgType} 0 PBOC/EMV option A
     * (16 hex per level in {@code disperFactor}), 1 ECB of 16-byte factors (32 hex per level);
     * other values (the vendor's 5 with an {@code IV}) are not supported (-604). Returns
     * [key under the LMK, check value].
     */
    public String[] diverAndGenNewKey(String srcKeyType, Object srcKey, String subKeyType, char subKeyAlgFlag, int disperAlgType,
                                      String disperFactor, String IV, int storeKeyIndex, String storeKeyLabel) throws TAException {
        int st = keyType(srcKeyType, "srcKeyType");
        String k = key(srcKey, "srcKey");
        int t = keyType(subKeyType, "subKeyType");
        String f = need(disperFactor, "disperFactor").trim();
        if (opt(IV) != null) throw new TAException(TAException.UNSUPPORTED_ALGORITHM, "IV: derivation with an IV is not supported");
        return call(b -> b.deriveKey(st, k, t, subKeyAlgFlag, disperAlgType, f, storeKeyIndex, label(storeKeyLabel)));
    }

    /** KG: what the HSM holds at {@code index} (1...9999). */
    public SymmKeyAttribute getKeyInfo(int index) throws TAException {
        String[] r = call(b -> b.storedKeyInfo(index));
        return new SymmKeyAttribute(index, r[0], r[1].isEmpty() ? '\0' : r[1].charAt(0), r[2], r[3], r[4]);
    }

    /** The attributes of a key stored in the HSM ({@link #getKeyInfo(int)}). */
    public static class SymmKeyAttribute {
        private final int index;
        private final String keyType;
        private final char scheme;
        private final String checkValue;
        private final String label;
        private final String time;

        SymmKeyAttribute(int index, String keyType, char scheme, String checkValue, String label, String time) {
            this.index = index;
            this.keyType = keyType;
            this.scheme = scheme;
            this.checkValue = checkValue;
            this.label = label;
            this.time = time;
        }

        public int getIndex() {
            return index;
        }

        /** The key type as its 3-character code ("00A"). */
        public String getKeyType() {
            return keyType;
        }

        /** The scheme letter ('U', 'R', ...; '\0' when the HSM names none). */
        public char getKeyScheme() {
            return scheme;
        }

        public String getCheckValue() {
            return checkValue;
        }

        public String getLabel() {
            return label;
        }

        /** The storage time as the HSM reports it. */
        public String getTime() {
            return time;
        }
    }
}
