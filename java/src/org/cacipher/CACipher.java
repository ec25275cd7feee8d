package org.cacipher;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * libcacipher from Java: one instance per configuration, each an independent instance of
 * the C library ({@code CACipher_Open}) with its own HSM group, connection pools and log.
 *
 * <pre>{@code
 * CACipher hsm = CACipher.getInstance("cacipher.ini");          // or "{[LOGGER];...;[HOST1];...}"
 * GeneratedKey zpk = hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, zmk, null);
 * String mac = hsm.generateMac(MacAlgorithm.ALG3, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, tak, message);
 * }</pre>
 *
 * <p><b>Instances.</b> {@link #getInstance(String)} returns a new <em>holder</em> on the one
 * shared instance of the library for that configuration string (compared exactly, as given:
 * a path and the same file's content are two instances), opening the instance on the first
 * call. Every holder closes itself: {@link #close()} (try-with-resources) ends that holder
 * only, and the instance is closed when its last holder closes; the next
 * {@code getInstance} with that string then opens a new one. {@link #open(String)} always
 * opens a new, unshared instance with one holder. An instance is not closed by the garbage
 * collector: close every holder or let the process end.
 *
 * <p><b>Threads.</b> Every method may be called from any number of threads at once on the
 * same holder or on several. The last holder's {@code close()} waits for calls in progress
 * on the instance to return; calls on a closed holder throw {@link CACipherException} with
 * code {@link CACipherException#E_NOT_INITIALIZED}.
 *
 * <p><b>Values.</b> Keys are key-field text exactly as on the wire ({@code "U0B7C..."},
 * 16 hex for single DES, {@code "K0001"} for a key held in the HSM). PIN blocks, PINs under
 * the LMK, MACs, IVs, check values, SM2 keys and signatures are hex strings; data, hashes,
 * random bytes and SM2 cipher/plain texts are {@code byte[]}. Accounts are the 12-digit
 * account field. Clear PINs are {@code char[]} so the caller can wipe them
 * ({@code Arrays.fill(pin, '\0')}); the native layer zeroes its own copies.
 *
 * <p><b>Errors.</b> Every HSM call throws {@link CACipherException} with the C code (HSM
 * 1...99 or a negative library code) and the library's message. {@code null} for a
 * required argument throws {@link NullPointerException} naming the argument before anything
 * is sent; arguments documented as "may be null" are optional.
 *
 * <p><b>Native libraries.</b> The class loads {@code libcacipher.so} (if found on
 * {@code java.library.path}) and then {@code libcacipher_jni.so}: run with
 * {@code -Djava.library.path=PREFIX/lib}. See docs/java.md.
 */
public final class CACipher implements AutoCloseable {
    static {
        try {
            // libcacipher.so first, from java.library.path: the glue's dependency is then
            // found already loaded, so LD_LIBRARY_PATH is not needed.
            System.loadLibrary("cacipher");
        } catch (UnsatisfiedLinkError e) {
            // Not on java.library.path: the dynamic linker finds it (rpath, LD_LIBRARY_PATH).
        }
        System.loadLibrary("cacipher_jni");
    }

    /** The shared instances by configuration string; also the lock of every holder count. */
    private static final Map<String, Instance> INSTANCES = new HashMap<>();

    /**
     * One open instance of the C library ({@code cacipher_t *}) and the number of holders
     * (CACipher objects) using it. Calls hold the read lock, the final close the write lock.
     */
    private static final class Instance {
        final String config;
        final boolean shared;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        long handle;   // 0 once closed; guarded by lock
        int holders;   // guarded by INSTANCES

        Instance(String config, long handle, boolean shared) {
            this.config = config;
            this.handle = handle;
            this.shared = shared;
        }

        void closeNative() {
            lock.writeLock().lock();
            try {
                if (handle != 0) {
                    try {
                        nClearStateListener(handle);  // metrics: releases the listener's native reference
                    } catch (CACipherException e) {
                        // closing anyway
                    }
                    nClose(handle);
                    handle = 0;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private final Instance instance;
    private volatile boolean closed;   // this holder; set under INSTANCES

    /** A new holder of {@code instance}; the caller has counted it (under INSTANCES). */
    private CACipher(Instance instance) {
        this.instance = instance;
    }

    // ---------------------------------------------------------------- instances

    /**
     * A new holder of the shared instance for this configuration: a path to a cacipher.ini,
     * or the content in the string form {@code "{[LOGGER];logsw=error;...;[HOST1];host=...;port=...}"}
     * (the first non-blank character decides: '{' content, anything else a path).
     * The first call with this exact string opens the instance (parses the configuration and
     * opens the log; connects to no HSM); later calls return new holders of the same
     * instance (one HSM group, pool and log) until its last holder is closed. Close each
     * holder when done with it ({@link #close()}, try-with-resources): that ends this holder
     * only; the other holders keep working.
     *
     * @throws CACipherException {@code E_CONFIG}, {@code E_CONFIG_FILE}, {@code E_LOG}, ...
     */
    public static CACipher getInstance(String fileOrConfig) throws CACipherException {
        Objects.requireNonNull(fileOrConfig, "fileOrConfig");
        synchronized (INSTANCES) {
            Instance i = INSTANCES.get(fileOrConfig);
            if (i == null) {
                i = new Instance(fileOrConfig, nOpen(configBytes(fileOrConfig), 0), true);
                INSTANCES.put(fileOrConfig, i);
            }
            i.holders++;
            return new CACipher(i);
        }
    }

    /** A new instance of its own (not shared through {@link #getInstance}) with one holder; close it when done. */
    public static CACipher open(String fileOrConfig) throws CACipherException {
        return open(fileOrConfig, 0);
    }

    /**
     * Option of {@link #open(String, int)} ({@code CACIPHER_OPEN_KNOWN_MODELS_ONLY}): an
     * {@code hsmModel} this library serves no device for is {@code E_CONFIG} with
     * {@link CACipherException#getConfigKind()} {@link CACipherException#CONFIG_UNKNOWN_MODEL}
     * instead of a warning in the log.
     */
    public static final int OPEN_KNOWN_MODELS_ONLY = 1;

    /**
     * {@link #open(String)} with options ({@code CACipher_OpenWithOptions}): 0 or
     * {@link #OPEN_KNOWN_MODELS_ONLY}; other bits are {@code E_INVALID_ARG}.
     */
    public static CACipher open(String fileOrConfig, int options) throws CACipherException {
        Objects.requireNonNull(fileOrConfig, "fileOrConfig");
        Instance i = new Instance(fileOrConfig, nOpen(configBytes(fileOrConfig), options), false);
        i.holders = 1;
        return new CACipher(i);
    }

    private static byte[] configBytes(String s) throws CACipherException {
        if (s.indexOf('\0') >= 0) {
            throw new CACipherException(CACipherException.E_INVALID_ARG, "CACipher: fileOrConfig contains a NUL character");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Closes this holder; idempotent. Later calls on it throw {@code E_NOT_INITIALIZED}. When
     * it is the instance's last open holder, the instance is removed from the
     * {@link #getInstance} table and closed ({@code CACipher_Close}) after the calls in
     * progress on it return; otherwise the other holders keep using it.
     */
    @Override
    public void close() {
        boolean last;
        synchronized (INSTANCES) {
            if (closed) return;
            closed = true;
            last = --instance.holders == 0;
            if (last && instance.shared && INSTANCES.get(instance.config) == instance) INSTANCES.remove(instance.config);
        }
        if (last) instance.closeNative();
    }

    /** True after {@link #close()} of this holder (or once its instance is closed). */
    public boolean isClosed() {
        if (closed) return true;
        instance.lock.readLock().lock();
        try {
            return instance.handle == 0;
        } finally {
            instance.lock.readLock().unlock();
        }
    }

    /** The configuration string this instance was opened with. */
    public String config() {
        return instance.config;
    }

    /** The library version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        return nVersion();
    }

    /**
     * The version of this binding: the jar manifest's Implementation-Version (the VERSION
     * file of the build), or null when the classes are not loaded from the jar. Equal to
     * {@link #version()} when the jar and the native library belong together.
     */
    public static String bindingVersion() {
        Package p = CACipher.class.getPackage();
        return p == null ? null : p.getImplementationVersion();
    }

    /** The library's short text for any result code. */
    public static String errorString(int code) {
        return nErrorString(code);
    }

    private long enter() throws CACipherException {
        if (closed) throw new CACipherException(CACipherException.E_NOT_INITIALIZED, "CACipher: this holder is closed");
        instance.lock.readLock().lock();
        if (instance.handle == 0) {
            instance.lock.readLock().unlock();
            throw new CACipherException(CACipherException.E_NOT_INITIALIZED, "CACipher: the instance is closed");
        }
        return instance.handle;
    }

    private void leave() {
        instance.lock.readLock().unlock();
    }

    /** A native call on this instance's handle, which close() cannot free meanwhile. */
    @FunctionalInterface
    private interface NativeCall<T> {
        T run(long handle) throws CACipherException;
    }

    private <T> T call(NativeCall<T> f) throws CACipherException {
        long h = enter();
        try {
            return f.run(h);
        } finally {
            leave();
        }
    }

    private static <T> T need(T value, String name) {
        return Objects.requireNonNull(value, name);
    }

    private static int schemeOrZero(KeyScheme s) {
        return s == null ? 0 : s.letter();
    }

    // ---------------------------------------------------------------- configuration and group

    /** The number of configured HSMs. */
    public int hostCount() throws CACipherException {
        return call(h -> nHostCount(h));
    }

    /** The configuration of HSM {@code index} (0 for [HOST1]). */
    public HostInfo hostInfo(int index) throws CACipherException {
        return call(h -> {
            String[] s = new String[4];
            int[] n = new int[7];
            nHostInfo(h, index, s, n);
            return new HostInfo(s[0], s[1], n[0], n[1], n[2], n[3], n[4], s[2], s[3], n[5], n[6] != 0);
        });
    }

    // ---------------------------------------------------------------- live group state (docs/java.md)

    /**
     * Sets (or with {@code null} removes) the listener told of every member state change
     * ({@code CACipher_SetStateCallback}). When this returns, a previous listener is not
     * running and is not called again. {@link #close()} removes it.
     */
    public void setStateListener(StateListener listener) throws CACipherException {
        call(h -> {
            if (listener == null) nClearStateListener(h);
            else nSetStateListener(h, new StateListenerBridge(listener));
            return null;
        });
    }

    /** The group's counters as Prometheus/OpenMetrics text ({@code CACipher_MetricsText}). */
    public String metricsText() throws CACipherException {
        return call(h -> nMetricsText(h));
    }

    /**
     * {@link #transmit(byte[])} with a deadline of its own ({@code CACipher_TransmitTimeout}):
     * the whole call, re-sends included, ends by {@code timeoutMillis} (at least 1) with
     * {@code E_TIMEOUT}.
     */
    public byte[] transmit(byte[] command, int timeoutMillis) throws CACipherException {
        need(command, "command");
        return call(h -> nTransmitTimeout(h, command, timeoutMillis));
    }

    /** What the group knows of HSM {@code index} now. */
    public HostStatus hostStatus(int index) throws CACipherException {
        return call(h -> {
            long[] n = new long[5];
            double[] latency = new double[1];
            String[] s = new String[2];
            nHostStatus(h, index, n, latency, s);
            return new HostStatus(HostStatus.State.of((int) n[0]), (int) n[1], n[2], n[3], n[4], latency[0], s[0], s[1]);
        });
    }

    /** The log directory (logPath) of this instance. */
    public String logPath() throws CACipherException {
        return call(h -> nLogPath(h));
    }

    /**
     * Sends one raw host command (command code and fields, e.g. {@code "B20004ABCD"} as
     * bytes) through the group and returns the reply from the response code on
     * ({@code "B300ABCD"}). An HSM error code in the reply is not an exception: it is in
     * bytes 2..3 of the reply.
     */
    public byte[] transmit(byte[] command) throws CACipherException {
        need(command, "command");
        return call(h -> nTransmit(h, command));
    }

    // ---------------------------------------------------------------- keys

    /** A0: a new key of {@code type} under the LMK in {@code scheme}. */
    public GeneratedKey generateKey(KeyType type, KeyScheme scheme) throws CACipherException {
        return generateKey(type, scheme, null, null, 0, null);
    }

    /**
     * A0: a new key, also under {@code zmk} (may be null) in {@code zmkScheme} (null: the
     * same as {@code scheme}).
     */
    public GeneratedKey generateKey(KeyType type, KeyScheme scheme, String zmk, KeyScheme zmkScheme) throws CACipherException {
        return generateKey(type, scheme, zmk, zmkScheme, 0, null);
    }

    /**
     * A0 in full: {@code storeIndex} 0, or 1...9999 to also keep the key at K{@code index}
     * with {@code label} (may be null; then the command is not re-sent after a failure that
     * may have reached an HSM).
     */
    public GeneratedKey generateKey(KeyType type, KeyScheme scheme, String zmk, KeyScheme zmkScheme, int storeIndex, String label)
            throws CACipherException {
        need(type, "type");
        need(scheme, "scheme");
        return call(h -> {
            String[] r = nGenerateKey(h, type.code(), scheme.letter(), zmk, schemeOrZero(zmkScheme), storeIndex, label);
            return new GeneratedKey(r[0], r[1], r[2]);
        });
    }

    /** A6: imports a key received under {@code zmk}; returns it under the LMK in {@code scheme}. */
    public KeyWithCheckValue importKey(KeyType type, String zmk, String keyUnderZmk, KeyScheme scheme) throws CACipherException {
        return importKey(type, zmk, keyUnderZmk, scheme, 0, null);
    }

    /** A6 with {@code storeIndex}/{@code label} as {@link #generateKey(KeyType, KeyScheme, String, KeyScheme, int, String)}. */
    public KeyWithCheckValue importKey(KeyType type, String zmk, String keyUnderZmk, KeyScheme scheme, int storeIndex, String label)
            throws CACipherException {
        need(type, "type");
        need(zmk, "zmk");
        need(keyUnderZmk, "keyUnderZmk");
        need(scheme, "scheme");
        return call(h -> {
            String[] r = nImportKey(h, type.code(), zmk, keyUnderZmk, scheme.letter(), storeIndex, label);
            return new KeyWithCheckValue(r[0], r[1]);
        });
    }

    /** A8: exports {@code key} (under the LMK of {@code type}, or a K index) under {@code zmk} in {@code zmkScheme}. */
    public KeyWithCheckValue exportKey(KeyType type, String zmk, String key, KeyScheme zmkScheme) throws CACipherException {
        need(type, "type");
        need(zmk, "zmk");
        need(key, "key");
        need(zmkScheme, "zmkScheme");
        return call(h -> {
            String[] r = nExportKey(h, type.code(), zmk, key, zmkScheme.letter());
            return new KeyWithCheckValue(r[0], r[1]);
        });
    }

    /** A4: forms a key as the XOR of 2...9 components, each under the LMK of {@code type}. */
    public KeyWithCheckValue formKeyFromComponents(KeyType type, KeyScheme scheme, String... components) throws CACipherException {
        need(type, "type");
        need(scheme, "scheme");
        need(components, "components");
        for (int i = 0; i < components.length; i++) need(components[i], "components[" + i + "]");
        return call(h -> {
            String[] r = nFormKey(h, type.code(), scheme.letter(), components.clone());
            return new KeyWithCheckValue(r[0], r[1]);
        });
    }

    /** BU: the check value (16 hex) of {@code key} under the LMK of {@code type}. */
    public String keyCheckValue(KeyType type, String key) throws CACipherException {
        need(type, "type");
        need(key, "key");
        return call(h -> nKeyCheckValue(h, type.code(), key));
    }

    // ---------------------------------------------------------------- PIN

    /** CA: translates a PIN block from a TPK to a ZPK ({@code maxPinLength} 4...12). */
    public TranslatedPin translatePinTpkToZpk(String tpk, String zpk, int maxPinLength, String pinBlock,
                                              PinFormat sourceFormat, PinFormat destinationFormat, String account)
            throws CACipherException {
        return translate(false, tpk, zpk, maxPinLength, pinBlock, sourceFormat, destinationFormat, account);
    }

    /** CC: translates a PIN block from one ZPK to another. */
    public TranslatedPin translatePinZpkToZpk(String sourceZpk, String destinationZpk, int maxPinLength, String pinBlock,
                                              PinFormat sourceFormat, PinFormat destinationFormat, String account)
            throws CACipherException {
        return translate(true, sourceZpk, destinationZpk, maxPinLength, pinBlock, sourceFormat, destinationFormat, account);
    }

    private TranslatedPin translate(boolean fromZpk, String source, String destination, int maxPinLength, String pinBlock,
                                    PinFormat sourceFormat, PinFormat destinationFormat, String account) throws CACipherException {
        need(source, fromZpk ? "sourceZpk" : "tpk");
        need(destination, fromZpk ? "destinationZpk" : "zpk");
        need(pinBlock, "pinBlock");
        need(sourceFormat, "sourceFormat");
        need(destinationFormat, "destinationFormat");
        need(account, "account");
        return call(h -> {
            int[] pinLength = new int[1];
            String block = nTranslatePin2(h, fromZpk, source, destination, maxPinLength, pinBlock, sourceFormat.code(),
                                          destinationFormat.code(), account, pinLength);
            return new TranslatedPin(block, pinLength[0]);
        });
    }

    /** TI (TASS form): translates a PIN block between any TPK/ZPK pair, with an account per side. */
    public String translatePin(PinKeyKind sourceKind, String sourceKey, PinKeyKind destinationKind, String destinationKey,
                               int maxPinLength, String pinBlock, PinFormat sourceFormat, String sourceAccount,
                               PinFormat destinationFormat, String destinationAccount) throws CACipherException {
        need(sourceKind, "sourceKind");
        need(sourceKey, "sourceKey");
        need(destinationKind, "destinationKind");
        need(destinationKey, "destinationKey");
        need(pinBlock, "pinBlock");
        need(sourceFormat, "sourceFormat");
        need(sourceAccount, "sourceAccount");
        need(destinationFormat, "destinationFormat");
        need(destinationAccount, "destinationAccount");
        return call(h -> nTranslatePin(h, sourceKind.code(), sourceKey, destinationKind.code(), destinationKey, maxPinLength, pinBlock,
                             sourceFormat.code(), sourceAccount, destinationFormat.code(), destinationAccount));
    }

    /** JE: a PIN block under a ZPK to the PIN under the LMK (16 hex). */
    public String pinBlockToLmk(String zpk, String pinBlock, PinFormat format, String account) throws CACipherException {
        need(zpk, "zpk");
        need(pinBlock, "pinBlock");
        need(format, "format");
        need(account, "account");
        return call(h -> nPinBlockToLmk(h, zpk, pinBlock, format.code(), account));
    }

    /** JG: a PIN under the LMK to a PIN block under a ZPK (16 hex, 32 under SM4/AES ZPKs). */
    public String pinLmkToBlock(String zpk, PinFormat format, String account, String pinUnderLmk) throws CACipherException {
        need(zpk, "zpk");
        need(format, "format");
        need(account, "account");
        need(pinUnderLmk, "pinUnderLmk");
        return call(h -> nPinLmkToBlock(h, zpk, format.code(), account, pinUnderLmk));
    }

    /**
     * BA: a clear PIN (4...12 digits) to the PIN under the LMK (16 hex). The array is not
     * changed; wipe it yourself. The native copies are zeroed.
     */
    public String encryptPin(char[] pin, String account) throws CACipherException {
        need(pin, "pin");
        need(account, "account");
        return call(h -> nEncryptPin(h, pin, account));
    }

    /**
     * NG: the clear PIN digits of a PIN under the LMK. The caller owns the array: wipe it
     * with {@code Arrays.fill(pin, '\0')} when done (the native copies are zeroed).
     */
    public char[] decryptPin(String account, String pinUnderLmk) throws CACipherException {
        need(account, "account");
        need(pinUnderLmk, "pinUnderLmk");
        return call(h -> nDecryptPin(h, account, pinUnderLmk));
    }

    // ---------------------------------------------------------------- MAC

    /** M6 over a whole message: the MAC, 8 hex ({@code BYTES_4}) or 16 hex ({@code BYTES_8}). */
    public String generateMac(MacAlgorithm algorithm, MacPadding padding, MacSize size, KeyType keyType, String key, byte[] data)
            throws CACipherException {
        return generateMac(MacPart.ONLY, algorithm, padding, size, keyType, key, null, data);
    }

    /**
     * M6 for one part of a message: {@code FIRST}/{@code MIDDLE} return the chaining value,
     * {@code LAST} the MAC. {@code iv}: null for {@code ONLY}/{@code FIRST}, the previous
     * chaining value for {@code MIDDLE}/{@code LAST}. {@code keyType}: TAK or ZAK.
     */
    public String generateMac(MacPart part, MacAlgorithm algorithm, MacPadding padding, MacSize size, KeyType keyType, String key,
                              String iv, byte[] data) throws CACipherException {
        need(part, "part");
        need(algorithm, "algorithm");
        need(padding, "padding");
        need(size, "size");
        need(keyType, "keyType");
        need(key, "key");
        need(data, "data");
        return call(h -> nGenerateMac(h, part.code(), algorithm.code(), padding.code(), size.code(), keyType.code(), key, iv, data));
    }

    /** M8 over a whole message: true when {@code mac} matches, false when the HSM answers 01. */
    public boolean verifyMac(MacAlgorithm algorithm, MacPadding padding, MacSize size, KeyType keyType, String key, byte[] data,
                             String mac) throws CACipherException {
        return verifyMac(MacPart.ONLY, algorithm, padding, size, keyType, key, null, data, mac);
    }

    /** M8 for a whole message ({@code ONLY}) or its last part ({@code LAST} with the chaining value as {@code iv}). */
    public boolean verifyMac(MacPart part, MacAlgorithm algorithm, MacPadding padding, MacSize size, KeyType keyType, String key,
                             String iv, byte[] data, String mac) throws CACipherException {
        need(part, "part");
        need(algorithm, "algorithm");
        need(padding, "padding");
        need(size, "size");
        need(keyType, "keyType");
        need(key, "key");
        need(data, "data");
        need(mac, "mac");
        return call(h -> nVerifyMac(h, part.code(), algorithm.code(), padding.code(), size.code(), keyType.code(), key, iv, data, mac));
    }

    // ---------------------------------------------------------------- data

    /**
     * M0: encrypts whole blocks (8 bytes, 16 with SM4/AES keys) under a ZEK/DEK or TEK.
     * {@code iv}: null for ECB, 16/32 hex for CBC.
     */
    public DataResult encryptData(CipherMode mode, KeyType keyType, String key, String iv, byte[] data) throws CACipherException {
        return cipher(true, mode, keyType, key, iv, data);
    }

    /** M2: the inverse of {@link #encryptData}. Wipe the returned plaintext when done. */
    public DataResult decryptData(CipherMode mode, KeyType keyType, String key, String iv, byte[] data) throws CACipherException {
        return cipher(false, mode, keyType, key, iv, data);
    }

    private DataResult cipher(boolean encrypt, CipherMode mode, KeyType keyType, String key, String iv, byte[] data)
            throws CACipherException {
        need(mode, "mode");
        need(keyType, "keyType");
        need(key, "key");
        need(data, "data");
        return call(h -> {
            String[] nextIv = new String[1];
            byte[] out = nCipher(h, encrypt, mode.code(), keyType.code(), key, iv, data, nextIv);
            return new DataResult(out, nextIv[0]);
        });
    }

    // ---------------------------------------------------------------- device

    /** CR: {@code count} (1...2048) random bytes from the HSM. */
    public byte[] random(int count) throws CACipherException {
        return call(h -> nRandom(h, count));
    }

    /** 3C: the hash of {@code data} (0...9999 bytes). */
    public byte[] hash(HashAlgorithm algorithm, byte[] data) throws CACipherException {
        return hash(algorithm, data, null, null);
    }

    /**
     * 3C with an SM2 public key (128 hex): SM3 over Z || data (GB/T 32918 Z value with
     * {@code userId}; null or empty: the default "1234567812345678"). {@code sm2PublicKey}
     * may be null (then {@code userId} must be null too).
     */
    public byte[] hash(HashAlgorithm algorithm, byte[] data, byte[] userId, String sm2PublicKey) throws CACipherException {
        need(algorithm, "algorithm");
        need(data, "data");
        return call(h -> nHash(h, algorithm.code(), data, userId, sm2PublicKey));
    }

    /**
     * The digest of {@code data} of any length, computed in this process with OpenSSL (no HSM,
     * no instance needed): the value {@link #hash(HashAlgorithm, byte[])} gives for data the
     * 3C command takes, for data of any size (a file). The data is public input; nothing
     * secret is involved. For the vendor SDK's {@code generateHASH} of data beyond one 3C
     * (its multi-part H1/H2/H3, which the library does not send).
     */
    public static byte[] localHash(HashAlgorithm algorithm, byte[] data) throws CACipherException {
        need(algorithm, "algorithm");
        need(data, "data");
        return nLocalHash(algorithm.code(), data);
    }

    /** NC: the HSM's DMK check value, firmware version and serial number. */
    public DeviceInfo deviceInfo() throws CACipherException {
        return call(h -> {
            String[] r = nDeviceInfo(h);
            return new DeviceInfo(r[0], r[1], r[2]);
        });
    }

    /** B2: the HSM sends {@code data} back (a health check; 0...65529 bytes). */
    public byte[] echo(byte[] data) throws CACipherException {
        need(data, "data");
        return call(h -> nEcho(h, data));
    }

    // ---------------------------------------------------------------- SM2

    /** E7: a new SM2 key pair. */
    public Sm2KeyPair sm2GenerateKeyPair() throws CACipherException {
        return sm2GenerateKeyPair(0, null);
    }

    /** E7, also kept inside the HSM at K{@code storeIndex} (1...9998; 0 = not kept) with {@code label} (may be null). */
    public Sm2KeyPair sm2GenerateKeyPair(int storeIndex, String label) throws CACipherException {
        return call(h -> {
            String[] r = nSm2GenerateKeyPair(h, storeIndex, label);
            return new Sm2KeyPair(r[0], r[1]);
        });
    }

    /** E2 then E1: keeps {@code privateKey} (80 hex under the LMK) at K{@code storeIndex}; returns its public key. */
    public String sm2LoadPrivateKey(String privateKey, int storeIndex, String label) throws CACipherException {
        need(privateKey, "privateKey");
        return call(h -> nSm2LoadPrivateKey(h, privateKey, storeIndex, label));
    }

    /** E2: the public key (128 hex) of a private key (80 hex or a K index). */
    public String sm2PublicKey(String privateKey) throws CACipherException {
        need(privateKey, "privateKey");
        return call(h -> nSm2PublicKey(h, privateKey));
    }

    /** E5: signs {@code data} (SM3 over Z || data); {@code userId} null = the default id. Signature: 128 hex. */
    public String sm2Sign(String privateKey, byte[] userId, byte[] data) throws CACipherException {
        need(privateKey, "privateKey");
        need(data, "data");
        return call(h -> nSm2Sign(h, privateKey, userId, data));
    }

    /** E6: true when {@code signature} is valid, false when the HSM answers 01. */
    public boolean sm2Verify(String publicKey, byte[] userId, byte[] data, String signature) throws CACipherException {
        need(publicKey, "publicKey");
        need(data, "data");
        need(signature, "signature");
        return call(h -> nSm2Verify(h, publicKey, userId, data, signature));
    }

    /** E3: encrypts 1...9902 bytes; the result is C1 || C3 || C2 (data length + 97 bytes). */
    public byte[] sm2Encrypt(String publicKey, byte[] data) throws CACipherException {
        need(publicKey, "publicKey");
        need(data, "data");
        return call(h -> nSm2Encrypt(h, publicKey, data));
    }

    /** E4: decrypts C1 || C3 || C2. Wipe the returned plaintext when done. */
    public byte[] sm2Decrypt(String privateKey, byte[] ciphertext) throws CACipherException {
        need(privateKey, "privateKey");
        need(ciphertext, "ciphertext");
        return call(h -> nSm2Decrypt(h, privateKey, ciphertext));
    }

    // ---------------------------------------------------------------- RSA (EI ER EW EY 3A 3B)
    // Key arguments: "K0001".."K9998" (a pair kept in the HSM) or hex: a public key is the DER
    // PKCS#1 RSAPublicKey, a private key the blob under the LMK from rsaGenerateKeyPair.

    /** EI: a new key pair of {@code bits} (1024...4096, a multiple of 8) with public exponent 3 or 65537, not stored. */
    public RsaKeyPair rsaGenerateKeyPair(int bits, int exponent, RsaKeyUsage usage) throws CACipherException {
        return rsaGenerateKeyPair(bits, exponent, usage, 0, null);
    }

    /**
     * EI in full: {@code storeIndex} 0, or 1...9998 to also keep the pair in the HSM at
     * K{@code index} with {@code label} (may be null; then the command is not re-sent after a
     * failure that may have reached an HSM).
     */
    public RsaKeyPair rsaGenerateKeyPair(int bits, int exponent, RsaKeyUsage usage, int storeIndex, String label) throws CACipherException {
        need(usage, "usage");
        return call(h -> {
            String[] r = nRsaGenerateKeyPair(h, bits, exponent, usage.code(), storeIndex, label);
            return new RsaKeyPair(r[0], r[1]);
        });
    }

    /** ER: the public key (hex of the DER RSAPublicKey) of the pair kept at {@code index} (1...9998); HSM 27 when none. */
    public String rsaPublicKey(int index) throws CACipherException {
        return call(h -> nRsaPublicKey(h, index));
    }

    /**
     * EW: the HSM hashes {@code data} (0...9999 bytes) with {@code hash} and signs it with
     * {@code privateKey}; returns the signature (hex, the modulus length). HSM 27 for a
     * key-management-only key, 10 for a blob that is not this HSM's RSA key.
     */
    public String rsaSign(String privateKey, HashAlgorithm hash, RsaSignaturePadding padding, byte[] data) throws CACipherException {
        need(privateKey, "privateKey");
        need(hash, "hash");
        need(padding, "padding");
        need(data, "data");
        return call(h -> nRsaSign(h, privateKey, hash.code(), padding.code(), data));
    }

    /** EY: true when {@code signature} (hex) over {@code data} verifies with {@code publicKey}, false when the HSM answers 01. */
    public boolean rsaVerify(String publicKey, HashAlgorithm hash, RsaSignaturePadding padding, byte[] data, String signature)
            throws CACipherException {
        need(publicKey, "publicKey");
        need(hash, "hash");
        need(padding, "padding");
        need(data, "data");
        need(signature, "signature");
        return call(h -> nRsaVerify(h, publicKey, hash.code(), padding.code(), data, signature));
    }

    /**
     * 3A: encrypts {@code data} with {@code publicKey}; returns the modulus-length ciphertext.
     * Data over the padding's limit (k - 11 PKCS#1, k - 42 OAEP, exactly k for NONE) is HSM 80.
     */
    public byte[] rsaEncrypt(String publicKey, RsaEncryptionPadding padding, byte[] data) throws CACipherException {
        need(publicKey, "publicKey");
        need(padding, "padding");
        need(data, "data");
        return call(h -> nRsaEncrypt(h, publicKey, padding.code(), data));
    }

    /**
     * 3B: decrypts a modulus-length {@code ciphertext} with {@code privateKey}. HSM 15 when it
     * does not decode, 27 for a sign-only key, 80 for a wrong length. Wipe the result when done.
     */
    public byte[] rsaDecrypt(String privateKey, RsaEncryptionPadding padding, byte[] ciphertext) throws CACipherException {
        need(privateKey, "privateKey");
        need(padding, "padding");
        need(ciphertext, "ciphertext");
        return call(h -> nRsaDecrypt(h, privateKey, padding.code(), ciphertext));
    }

    // ---------------------------------------------------------------- IC data and keys (S0 S3 S4 KD KG)

    /**
     * S3: {@code data} padded by the HSM and encrypted under the working key: {@code key}
     * (key field or K index, under the LMK of {@code keyType}: ZEK/DEK, TEK, MK-AC ...),
     * derived once per factor of {@code derivation} (hex, 32 hex per level, 0...8 levels;
     * null or "" for none), then turned into a session key ({@code sessionMode} 0...5, 0 =
     * none; {@code sessionData} hex: 16 hex for mode 1, 32 for modes 2 and 5, else null or "").
     * {@code iv}: null for ECB, one block (16/32 hex) for CBC, CFB and OFB. {@code data}:
     * 1...60000 bytes (CFB/OFB with {@code IcPadding.NONE}: any length).
     */
    public byte[] icEncrypt(KeyType keyType, String key, String derivation, int sessionMode, String sessionData,
                            IcPadding padding, CipherMode mode, String iv, byte[] data) throws CACipherException {
        return icCipher(true, keyType, key, derivation, sessionMode, sessionData, padding, mode, iv, data);
    }

    /**
     * S4: the inverse of {@link #icEncrypt} ({@code data} whole blocks); the padding is
     * removed ({@code ZEROS} padding stays). Wipe the returned plaintext when done.
     */
    public byte[] icDecrypt(KeyType keyType, String key, String derivation, int sessionMode, String sessionData,
                            IcPadding padding, CipherMode mode, String iv, byte[] data) throws CACipherException {
        return icCipher(false, keyType, key, derivation, sessionMode, sessionData, padding, mode, iv, data);
    }

    private byte[] icCipher(boolean encrypt, KeyType keyType, String key, String derivation, int sessionMode, String sessionData,
                            IcPadding padding, CipherMode mode, String iv, byte[] data) throws CACipherException {
        need(keyType, "keyType");
        need(key, "key");
        need(padding, "padding");
        need(mode, "mode");
        need(data, "data");
        return call(h -> nIcCipher(h, encrypt, keyType.code(), key, derivation, sessionMode, sessionData, padding.code(), mode.code(),
                iv, data));
    }

    /**
     * S0: the MAC (2 * {@code macLength} hex) of {@code data} (1...60000 bytes) under the
     * working key, after the HSM pads it. {@code keyType}: ZAK or TAK (evsm also MK-AC and
     * MK-SMI 0x209). {@code algorithm}: ALG1, or ALG3 with double/triple DES keys.
     * {@code macLength}: 1...9 or 16 bytes, at most the key's block. {@code derivation}: at
     * most 3 levels, as {@link #icEncrypt}. {@code iv}: null (a zero block; a K index needs
     * one) or the initial chaining value (16/32 hex).
     */
    public String icGenerateMac(KeyType keyType, String key, MacAlgorithm algorithm, int macLength, String derivation, int sessionMode,
                                String sessionData, IcPadding padding, String iv, byte[] data) throws CACipherException {
        need(keyType, "keyType");
        need(key, "key");
        need(algorithm, "algorithm");
        need(padding, "padding");
        need(data, "data");
        return call(h -> nIcGenerateMac(h, keyType.code(), key, algorithm.code(), macLength, derivation, sessionMode, sessionData,
                padding.code(), iv, data));
    }

    /**
     * KD: a key of {@code type} (under the LMK in {@code scheme}) derived from
     * {@code sourceKey} (under the LMK of {@code sourceType}, or a K index), one level per
     * factor of {@code factors} (hex: 16 hex each for {@code PBOC}, 32 for {@code ECB16}; 1...99).
     */
    public KeyWithCheckValue deriveKey(KeyType sourceType, String sourceKey, KeyType type, KeyScheme scheme, KeyDerivationMode mode,
                                       String factors) throws CACipherException {
        return deriveKey(sourceType, sourceKey, type, scheme, mode, factors, 0, null);
    }

    /** KD, also kept inside the HSM at K{@code storeIndex} (1...9999; 0 = not kept) with {@code label} (may be null). */
    public KeyWithCheckValue deriveKey(KeyType sourceType, String sourceKey, KeyType type, KeyScheme scheme, KeyDerivationMode mode,
                                       String factors, int storeIndex, String label) throws CACipherException {
        need(sourceType, "sourceType");
        need(sourceKey, "sourceKey");
        need(type, "type");
        need(scheme, "scheme");
        need(mode, "mode");
        need(factors, "factors");
        return call(h -> {
            String[] r = nDeriveKey(h, sourceType.code(), sourceKey, type.code(), scheme.letter(), mode.code(), factors, storeIndex, label);
            return new KeyWithCheckValue(r[0], r[1]);
        });
    }

    /** KG: the type, scheme, check value, label and storage time of the key at K{@code index} (1...9999). */
    public StoredKeyInfo storedKeyInfo(int index) throws CACipherException {
        return call(h -> {
            int[] codes = new int[2];
            String[] r = nStoredKeyInfo(h, index, codes);
            KeyScheme scheme = null;
            for (KeyScheme k : KeyScheme.values()) {
                if (k.letter() == codes[1]) scheme = k;
            }
            return new StoredKeyInfo(KeyType.of(codes[0]), scheme, r[0], r[1], r[2]);
        });
    }

    /**
     * S5: the cryptogram {@code data} under the source side re-encrypted under the destination
     * side (each side as the arguments of {@link #icDecrypt} / {@link #icEncrypt}); the clear
     * data never leaves the HSM.
     */
    public byte[] icTranslate(KeyType sourceKeyType, String sourceKey, String sourceDerivation, int sourceSessionMode,
                              String sourceSessionData, IcPadding sourcePadding, CipherMode sourceMode, String sourceIv,
                              KeyType destinationKeyType, String destinationKey, String destinationDerivation, int destinationSessionMode,
                              String destinationSessionData, IcPadding destinationPadding, CipherMode destinationMode, String destinationIv,
                              byte[] data) throws CACipherException {
        need(sourceKeyType, "sourceKeyType");
        need(sourceKey, "sourceKey");
        need(sourcePadding, "sourcePadding");
        need(sourceMode, "sourceMode");
        need(destinationKeyType, "destinationKeyType");
        need(destinationKey, "destinationKey");
        need(destinationPadding, "destinationPadding");
        need(destinationMode, "destinationMode");
        need(data, "data");
        return call(h -> nIcTranslate(h, sourceKeyType.code(), sourceKey, sourceDerivation, sourceSessionMode, sourceSessionData,
                sourcePadding.code(), sourceMode.code(), sourceIv, destinationKeyType.code(), destinationKey, destinationDerivation,
                destinationSessionMode, destinationSessionData, destinationPadding.code(), destinationMode.code(), destinationIv, data));
    }

    /**
     * KR: a new key of {@code type} under the LMK in {@code scheme}, kept inside the HSM at
     * K{@code storeIndex} (1...9999; 0 = not kept; 9999 is sent as is: "not stored" to TASS
     * devices) with {@code label} (may be null).
     */
    public KeyWithCheckValue generateAndStoreKey(KeyType type, KeyScheme scheme, int storeIndex, String label) throws CACipherException {
        need(type, "type");
        need(scheme, "scheme");
        return call(h -> pair(nGenerateAndStoreKey(h, type.code(), scheme.letter(), storeIndex, label)));
    }

    /** AN: {@code key} (under the LMK of {@code sourceType}, or a K index) re-encrypted under the LMK of {@code type} in {@code scheme}. */
    public KeyWithCheckValue convertKeyType(KeyType sourceType, String key, KeyType type, KeyScheme scheme) throws CACipherException {
        need(sourceType, "sourceType");
        need(key, "key");
        need(type, "type");
        need(scheme, "scheme");
        return call(h -> pair(nConvertKeyType(h, sourceType.code(), key, type.code(), scheme.letter())));
    }

    /**
     * AM: a key of {@code type} formed as the XOR of 1...99 CLEAR components (each the
     * scheme's key length in bytes), kept at K{@code storeIndex} if not 0. The arrays are not
     * changed: wipe them yourself; the native copies are zeroed.
     */
    public KeyWithCheckValue formKeyFromClearComponents(KeyType type, KeyScheme scheme, int storeIndex, String label, byte[]... components)
            throws CACipherException {
        need(type, "type");
        need(scheme, "scheme");
        need(components, "components");
        for (byte[] c : components) need(c, "components");
        return call(h -> pair(nFormKeyFromClearComponents(h, type.code(), scheme.letter(), components, storeIndex, label)));
    }

    /**
     * SH: {@code key} (under the LMK of {@code type}, or a K index), derived by
     * {@code derivation} (hex, 32 per level; null or ""), exported under the protection key
     * ({@code protMode} 0 ECB / 1 CBC, {@code protKeyType}, {@code protKey}, its derivation
     * and session key as in {@link #icEncrypt}) with {@code header} (hex, 0...32 bytes; may be null) in front.
     */
    public ProtectedKeyExport exportKeyUnderProtection(int protMode, KeyType protKeyType, String protKey, String protDerivation,
                                                       int protSessionMode, String protSessionData, KeyType type, String key,
                                                       String derivation, String header) throws CACipherException {
        need(protKeyType, "protKeyType");
        need(protKey, "protKey");
        need(type, "type");
        need(key, "key");
        return call(h -> {
            String[] r = nExportKeyUnderProtection(h, protMode, protKeyType.code(), protKey, protDerivation, protSessionMode, protSessionData,
                    type.code(), key, derivation, header);
            return new ProtectedKeyExport(r[0], r[1]);
        });
    }

    /**
     * SI: a key of {@code type} in {@code scheme} imported from {@code cryptogram} (hex) under
     * the protection key (as {@link #exportKeyUnderProtection}). {@code expectedCheckValue}:
     * null (no P extension: {@code padding} 0 and {@code iv} null), or the 16-hex KCV the HSM
     * must find (code 01 otherwise), sent with {@code padding} (0 none, 1 ISO 9797-1 method 2)
     * and, in CBC mode only, {@code iv}. Kept at K{@code storeIndex} if not 0.
     */
    public KeyWithCheckValue importKeyUnderProtection(int protMode, KeyType protKeyType, String protKey, String protDerivation,
                                                      int protSessionMode, String protSessionData, KeyType type, KeyScheme scheme,
                                                      String cryptogram, String header, int padding, String iv, String expectedCheckValue,
                                                      int storeIndex, String label) throws CACipherException {
        need(protKeyType, "protKeyType");
        need(protKey, "protKey");
        need(type, "type");
        need(scheme, "scheme");
        need(cryptogram, "cryptogram");
        return call(h -> pair(nImportKeyUnderProtection(h, protMode, protKeyType.code(), protKey, protDerivation, protSessionMode,
                protSessionData, type.code(), scheme.letter(), cryptogram, header, padding, iv, expectedCheckValue, storeIndex, label)));
    }

    private static KeyWithCheckValue pair(String[] r) {
        return new KeyWithCheckValue(r[0], r[1]);
    }

    // ---------------------------------------------------------------- EMV / PBOC cards (K6 K2 K4 KX)
    // mdk: MK-AC key field or K index; pan: the rightmost 16 digits of PAN and PAN sequence
    // number; atc: 4 hex; arqc, arpc: 16 hex; arc: 4 hex; data and cryptograms: bytes.

    /** K6 mode 0: verifies {@code arqc} over {@code data} (1...255 bytes); a mismatch is a result, not an exception. */
    public ArqcResult verifyArqc(String mdk, String pan, String atc, byte[] data, String arqc) throws CACipherException {
        return arqc(mdk, pan, atc, data, arqc, null);
    }

    /** K6 mode 1: verifies {@code arqc} and, when it verifies, returns the ARPC (method 1) for {@code arc}. */
    public ArqcResult verifyArqcAndGenerateArpc(String mdk, String pan, String atc, byte[] data, String arqc, String arc)
            throws CACipherException {
        need(arc, "arc");
        return arqc(mdk, pan, atc, data, arqc, arc);
    }

    private ArqcResult arqc(String mdk, String pan, String atc, byte[] data, String arqc, String arc) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(atc, "atc");
        need(data, "data");
        need(arqc, "arqc");
        return call(h -> {
            String[] r = new String[2];
            boolean ok = nVerifyArqc(h, mdk, pan, atc, data, arqc, arc, r);
            return new ArqcResult(ok, ok ? r[0] : null, ok ? null : r[1]);
        });
    }

    /** K6 mode 2: the ARPC (16 hex) of {@code arqc} and {@code arc}, without verifying. */
    public String generateArpc(String mdk, String pan, String atc, String arqc, String arc) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(atc, "atc");
        need(arqc, "arqc");
        need(arc, "arc");
        return call(h -> nGenerateArpc(h, mdk, pan, atc, arqc, arc));
    }

    /** KW session key scheme 0: {@code skData} is the ATC (4 hex); R = ATC || 000000000000. */
    public static final int EMV_SK_ATC = 0;
    /** KW session key scheme 1: {@code skData} is ATC || UN (12 hex); R = ATC || 0000 || UN. */
    public static final int EMV_SK_ATC_UN = 1;
    /** KW session key scheme 2: {@code skData} is R (16 hex). */
    public static final int EMV_SK_R = 2;

    /**
     * KW mode 3: verifies {@code arqc} over {@code data} (1...255 bytes) under the EMV common
     * session key of {@code skScheme}/{@code skData} and, when it verifies, returns the ARPC
     * method 2 (8 hex) of {@code csu} (8 hex) and {@code pad} (null or up to 16 hex); a mismatch
     * is a result with the HSM's diagnostic value.
     */
    public ArqcResult verifyArqcAndGenerateArpcMethod2(String mdk, String pan, int skScheme, String skData, byte[] data, String arqc,
                                                       String csu, String pad) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(skData, "skData");
        need(data, "data");
        need(arqc, "arqc");
        need(csu, "csu");
        return call(h -> {
            String[] r = new String[2];
            boolean ok = nVerifyArqcArpcMethod2(h, mdk, pan, skScheme, skData, data, arqc, csu, pad, r);
            return new ArqcResult(ok, ok ? r[0] : null, ok ? null : r[1]);
        });
    }

    /**
     * KW mode 4: the ARPC method 2 (8 hex) of {@code arqc} (16 hex), the card status update
     * {@code csu} (8 hex) and the proprietary authentication data {@code pad} (null or up to 16
     * hex), under the EMV common session key of {@code skScheme}/{@code skData}; without verifying.
     */
    public String generateArpcMethod2(String mdk, String pan, int skScheme, String skData, String arqc, String csu, String pad)
            throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(skData, "skData");
        need(arqc, "arqc");
        need(csu, "csu");
        return call(h -> nGenerateArpcMethod2(h, mdk, pan, skScheme, skData, arqc, csu, pad));
    }

    /** K2: the issuer script {@code data} (1...4095 bytes) encrypted under the session encryption key. */
    public byte[] encryptIssuerScript(String mdk, String pan, String atc, byte[] data) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(atc, "atc");
        need(data, "data");
        return call(h -> nEncryptIssuerScript(h, mdk, pan, atc, data));
    }

    /** K4: the 8-byte MAC (16 hex) of the issuer script {@code data} (1...4095 bytes). */
    public String issuerScriptMac(String mdk, String pan, String atc, byte[] data) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(atc, "atc");
        need(data, "data");
        return call(h -> nIssuerScriptMac(h, mdk, pan, atc, data));
    }

    /**
     * KX with clear PINs: the enciphered PIN data for an offline PIN change (format 41, or 42
     * with {@code oldPin}; may be null). {@code account} may be null ("000000000000"). The
     * arrays are not changed; wipe them yourself (the native copies are zeroed).
     */
    public byte[] offlinePin(String mdk, String pan, String atc, char[] newPin, char[] oldPin, String account) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(atc, "atc");
        need(newPin, "newPin");
        return call(h -> nOfflinePin(h, mdk, pan, atc, newPin, oldPin, account));
    }

    /** KX with PIN blocks under a ZPK or TPK ({@code oldPinBlock} may be null); the HSM opens them. */
    public byte[] offlinePin(String mdk, String pan, String atc, PinKeyKind pinKeyKind, String pinKey, PinFormat sourceFormat,
                             String newPinBlock, String oldPinBlock, String account) throws CACipherException {
        need(mdk, "mdk");
        need(pan, "pan");
        need(atc, "atc");
        need(pinKeyKind, "pinKeyKind");
        need(pinKey, "pinKey");
        need(sourceFormat, "sourceFormat");
        need(newPinBlock, "newPinBlock");
        need(account, "account");
        return call(h -> nOfflinePinFromBlock(h, mdk, pan, atc, pinKeyKind.code(), pinKey, sourceFormat.code(), newPinBlock, oldPinBlock, account));
    }

    // ---------------------------------------------------------------- card and PIN verification (CW CY DG DE EA JA)

    /**
     * CW: the 3-digit Visa CVV. {@code cvk}: a double-length CVK key field (or K index);
     * {@code cvkB}: null, or CVK B when {@code cvk} is CVK A of a single-length pair.
     * {@code pan} 8...19 digits, {@code expiry} YYMM, {@code serviceCode} 3 digits.
     */
    public String generateCvv(String cvk, String cvkB, String pan, String expiry, String serviceCode) throws CACipherException {
        need(cvk, "cvk");
        need(pan, "pan");
        need(expiry, "expiry");
        need(serviceCode, "serviceCode");
        return call(h -> nGenerateCvv(h, cvk, cvkB, pan, expiry, serviceCode));
    }

    /** CY: true when {@code cvv} is the card's CVV, false when the HSM answers 01. */
    public boolean verifyCvv(String cvk, String cvkB, String cvv, String pan, String expiry, String serviceCode) throws CACipherException {
        need(cvk, "cvk");
        need(cvv, "cvv");
        need(pan, "pan");
        need(expiry, "expiry");
        need(serviceCode, "serviceCode");
        return call(h -> nVerifyCvv(h, cvk, cvkB, cvv, pan, expiry, serviceCode));
    }

    /** DG: the 4-digit Visa PVV of a PIN under the LMK (16 hex); {@code pvki} 0...15. */
    public String generatePvv(String pvk, String pinUnderLmk, String account, int pvki) throws CACipherException {
        need(pvk, "pvk");
        need(pinUnderLmk, "pinUnderLmk");
        need(account, "account");
        return call(h -> nGeneratePvv(h, pvk, pinUnderLmk, account, pvki));
    }

    /**
     * DE: the IBM 3624 offset (one digit per PIN digit) of a PIN under the LMK.
     * {@code checkLength} 4...12, {@code decimalisationTable} 16 digits, {@code validationData}
     * 12 characters (hex digits and one 'N').
     */
    public String generateIbmPinOffset(String pvk, String pinUnderLmk, int checkLength, String account, String decimalisationTable,
                                       String validationData) throws CACipherException {
        need(pvk, "pvk");
        need(pinUnderLmk, "pinUnderLmk");
        need(account, "account");
        need(decimalisationTable, "decimalisationTable");
        need(validationData, "validationData");
        return call(h -> nGenerateIbmPinOffset(h, pvk, pinUnderLmk, checkLength, account, decimalisationTable, validationData));
    }

    /** EA: true when the PIN in {@code pinBlock} (under {@code zpk}) verifies against {@code offset}, false when the HSM answers 01. */
    public boolean verifyPinByIbmOffset(String zpk, String pvk, String pinBlock, PinFormat format, int checkLength, String account,
                                        String decimalisationTable, String validationData, String offset, int maxPinLength)
            throws CACipherException {
        need(zpk, "zpk");
        need(pvk, "pvk");
        need(pinBlock, "pinBlock");
        need(format, "format");
        need(account, "account");
        need(decimalisationTable, "decimalisationTable");
        need(validationData, "validationData");
        need(offset, "offset");
        return call(h -> nVerifyPinByIbmOffset(h, zpk, pvk, pinBlock, format.code(), checkLength, account, decimalisationTable,
                validationData, offset, maxPinLength));
    }

    /** JA: a random PIN of {@code length} (4...12) digits for {@code account}, under the LMK (16 hex). */
    public String generateRandomPin(String account, int length) throws CACipherException {
        need(account, "account");
        return call(h -> nGenerateRandomPin(h, account, length));
    }

    // ---------------------------------------------------------------- Racal data and MAC (E0 UQ MS)

    /**
     * E0 direction 0: encrypts {@code data} under a ZEK/DEK. {@code part}: ONLY, or FIRST /
     * MIDDLE / LAST for a message in several calls (CBC FIRST/MIDDLE return the next IV in
     * {@link DataResult#nextIv()}). {@code iv}: null for ECB. {@code padded}: the only/last part
     * gets 80 then zeros (the vendor's "180000"); false: whole blocks.
     */
    public DataResult racalEncryptData(MacPart part, CipherMode mode, String key, String iv, boolean padded, byte[] data)
            throws CACipherException {
        return racal(true, part, mode, key, iv, padded, data);
    }

    /** E0 direction 1: the inverse of {@link #racalEncryptData}. Wipe the returned plaintext when done. */
    public DataResult racalDecryptData(MacPart part, CipherMode mode, String key, String iv, boolean padded, byte[] data)
            throws CACipherException {
        return racal(false, part, mode, key, iv, padded, data);
    }

    private DataResult racal(boolean encrypt, MacPart part, CipherMode mode, String key, String iv, boolean padded, byte[] data)
            throws CACipherException {
        need(part, "part");
        need(mode, "mode");
        need(key, "key");
        need(data, "data");
        return call(h -> {
            String[] nextIv = new String[1];
            byte[] out = nRacalCipher(h, encrypt, part.code(), mode.code(), key, iv, padded, data, nextIv);
            return new DataResult(out, nextIv[0]);
        });
    }

    /**
     * UQ: the UnionPay POS MAC (the first {@code macBytes} bytes, 4 usually) of {@code data}
     * under a ZPK; FIRST/MIDDLE parts return the chaining value to pass as {@code iv}.
     */
    public String zpkMac(MacPart part, String key, String iv, int macBytes, byte[] data) throws CACipherException {
        need(part, "part");
        need(key, "key");
        need(data, "data");
        return call(h -> nZpkMac(h, part.code(), key, iv, macBytes, data));
    }

    /**
     * MS: the X9.9 / X9.19 MAC (one block, hex) of {@code data} under a TAK or ZAK.
     * {@code iv}: null (zeros) for ONLY/FIRST; {@code keyLengthFlag}: -1 = from the key
     * field (a K index needs 0, 1 or 2 and an iv).
     */
    public String zakTakMac(MacPart part, KeyType keyType, String key, String iv, int keyLengthFlag, byte[] data) throws CACipherException {
        need(part, "part");
        need(keyType, "keyType");
        need(key, "key");
        need(data, "data");
        return call(h -> nZakTakMac(h, part.code(), keyType.code(), key, iv, keyLengthFlag, data));
    }

    // ---------------------------------------------------------------- native (java/jni/cacipher_jni.c)
    // Every native method throws CACipherException for a failed C call and
    // NullPointerException for a null required argument.

    private static native long nOpen(byte[] config, int options) throws CACipherException;
    private static native void nClose(long h);
    private static native String nVersion();
    private static native String nErrorString(int code);
    private static native int nHostCount(long h) throws CACipherException;
    private static native void nHostInfo(long h, int index, String[] strings, int[] ints) throws CACipherException;
    private static native void nHostStatus(long h, int index, long[] numbers, double[] latency, String[] strings) throws CACipherException;
    private static native String nLogPath(long h) throws CACipherException;
    private static native byte[] nTransmit(long h, byte[] command) throws CACipherException;
    private static native byte[] nTransmitTimeout(long h, byte[] command, int timeoutMillis) throws CACipherException;
    private static native void nSetStateListener(long h, Object bridge) throws CACipherException;  // java/jni/cacipher_jni_state.c
    private static native void nClearStateListener(long h) throws CACipherException;
    private static native String nMetricsText(long h) throws CACipherException;

    private static native String[] nGenerateKey(long h, int type, int scheme, String zmk, int zmkScheme, int storeIndex, String label)
            throws CACipherException;
    private static native String[] nImportKey(long h, int type, String zmk, String keyUnderZmk, int scheme, int storeIndex, String label)
            throws CACipherException;
    private static native String[] nExportKey(long h, int type, String zmk, String key, int zmkScheme) throws CACipherException;
    private static native String[] nFormKey(long h, int type, int scheme, String[] components) throws CACipherException;
    private static native String nKeyCheckValue(long h, int type, String key) throws CACipherException;

    private static native String nTranslatePin2(long h, boolean fromZpk, String source, String destination, int maxPinLength,
                                                String pinBlock, int sourceFormat, int destinationFormat, String account,
                                                int[] pinLength) throws CACipherException;
    private static native String nTranslatePin(long h, int sourceKind, String sourceKey, int destinationKind, String destinationKey,
                                               int maxPinLength, String pinBlock, int sourceFormat, String sourceAccount,
                                               int destinationFormat, String destinationAccount) throws CACipherException;
    private static native String nPinBlockToLmk(long h, String zpk, String pinBlock, int format, String account) throws CACipherException;
    private static native String nPinLmkToBlock(long h, String zpk, int format, String account, String pinLmk) throws CACipherException;
    private static native String nEncryptPin(long h, char[] pin, String account) throws CACipherException;
    private static native char[] nDecryptPin(long h, String account, String pinLmk) throws CACipherException;

    private static native String nGenerateMac(long h, int part, int algorithm, int padding, int size, int keyType, String key,
                                              String iv, byte[] data) throws CACipherException;
    private static native boolean nVerifyMac(long h, int part, int algorithm, int padding, int size, int keyType, String key,
                                             String iv, byte[] data, String mac) throws CACipherException;
    private static native byte[] nCipher(long h, boolean encrypt, int mode, int keyType, String key, String iv, byte[] data,
                                         String[] nextIv) throws CACipherException;

    private static native byte[] nRandom(long h, int count) throws CACipherException;
    private static native byte[] nHash(long h, int algorithm, byte[] data, byte[] userId, String publicKey) throws CACipherException;
    private static native byte[] nLocalHash(int algorithm, byte[] data) throws CACipherException;
    private static native String[] nDeviceInfo(long h) throws CACipherException;
    private static native byte[] nEcho(long h, byte[] data) throws CACipherException;

    private static native String[] nSm2GenerateKeyPair(long h, int storeIndex, String label) throws CACipherException;
    private static native String nSm2LoadPrivateKey(long h, String privateKey, int storeIndex, String label) throws CACipherException;
    private static native String nSm2PublicKey(long h, String privateKey) throws CACipherException;
    private static native String nSm2Sign(long h, String privateKey, byte[] userId, byte[] data) throws CACipherException;
    private static native boolean nSm2Verify(long h, String publicKey, byte[] userId, byte[] data, String signature)
            throws CACipherException;
    private static native byte[] nSm2Encrypt(long h, String publicKey, byte[] data) throws CACipherException;
    private static native byte[] nSm2Decrypt(long h, String privateKey, byte[] ciphertext) throws CACipherException;
    private static native String[] nRsaGenerateKeyPair(long h, int bits, int exponent, int usage, int storeIndex, String label)
            throws CACipherException;
    private static native String nRsaPublicKey(long h, int index) throws CACipherException;
    private static native String nRsaSign(long h, String privateKey, int hash, int padding, byte[] data) throws CACipherException;
    private static native boolean nRsaVerify(long h, String publicKey, int hash, int padding, byte[] data, String signature)
            throws CACipherException;
    private static native byte[] nRsaEncrypt(long h, String publicKey, int padding, byte[] data) throws CACipherException;
    private static native byte[] nRsaDecrypt(long h, String privateKey, int padding, byte[] ciphertext) throws CACipherException;

    private static native byte[] nIcCipher(long h, boolean encrypt, int keyType, String key, String derivation, int sessionMode,
                                           String sessionData, int padding, int mode, String iv, byte[] data) throws CACipherException;
    private static native String nIcGenerateMac(long h, int keyType, String key, int algorithm, int macLength, String derivation,
                                                int sessionMode, String sessionData, int padding, String iv, byte[] data)
            throws CACipherException;
    private static native String[] nDeriveKey(long h, int sourceType, String sourceKey, int type, int scheme, int mode, String factors,
                                              int storeIndex, String label) throws CACipherException;
    private static native String[] nStoredKeyInfo(long h, int index, int[] codes) throws CACipherException;
    private static native byte[] nIcTranslate(long h, int sourceKeyType, String sourceKey, String sourceDerivation, int sourceSessionMode,
                                              String sourceSessionData, int sourcePadding, int sourceMode, String sourceIv,
                                              int destinationKeyType, String destinationKey, String destinationDerivation,
                                              int destinationSessionMode, String destinationSessionData, int destinationPadding,
                                              int destinationMode, String destinationIv, byte[] data) throws CACipherException;
    private static native String[] nGenerateAndStoreKey(long h, int type, int scheme, int storeIndex, String label) throws CACipherException;
    private static native String[] nConvertKeyType(long h, int sourceType, String key, int type, int scheme) throws CACipherException;
    private static native String[] nFormKeyFromClearComponents(long h, int type, int scheme, byte[][] components, int storeIndex,
                                                               String label) throws CACipherException;
    private static native String[] nExportKeyUnderProtection(long h, int protMode, int protKeyType, String protKey, String protDerivation,
                                                             int protSessionMode, String protSessionData, int type, String key,
                                                             String derivation, String header) throws CACipherException;
    private static native String[] nImportKeyUnderProtection(long h, int protMode, int protKeyType, String protKey, String protDerivation,
                                                             int protSessionMode, String protSessionData, int type, int scheme,
                                                             String cryptogram, String header, int padding, String iv,
                                                             String expectedCheckValue, int storeIndex, String label) throws CACipherException;
    private static native boolean nVerifyArqc(long h, String mdk, String pan, String atc, byte[] data, String arqc, String arc,
                                              String[] strings) throws CACipherException;
    private static native String nGenerateArpc(long h, String mdk, String pan, String atc, String arqc, String arc) throws CACipherException;
    private static native boolean nVerifyArqcArpcMethod2(long h, String mdk, String pan, int skScheme, String skData, byte[] data,
                                                         String arqc, String csu, String pad, String[] strings) throws CACipherException;
    private static native String nGenerateArpcMethod2(long h, String mdk, String pan, int skScheme, String skData, String arqc, String csu,
                                                      String pad) throws CACipherException;
    private static native byte[] nEncryptIssuerScript(long h, String mdk, String pan, String atc, byte[] data) throws CACipherException;
    private static native String nIssuerScriptMac(long h, String mdk, String pan, String atc, byte[] data) throws CACipherException;
    private static native byte[] nOfflinePin(long h, String mdk, String pan, String atc, char[] newPin, char[] oldPin, String account)
            throws CACipherException;
    private static native byte[] nOfflinePinFromBlock(long h, String mdk, String pan, String atc, int pinKeyKind, String pinKey, int format,
                                                      String newPinBlock, String oldPinBlock, String account) throws CACipherException;
    private static native String nGenerateCvv(long h, String cvk, String cvkB, String pan, String expiry, String serviceCode)
            throws CACipherException;
    private static native boolean nVerifyCvv(long h, String cvk, String cvkB, String cvv, String pan, String expiry, String serviceCode)
            throws CACipherException;
    private static native String nGeneratePvv(long h, String pvk, String pinUnderLmk, String account, int pvki) throws CACipherException;
    private static native String nGenerateIbmPinOffset(long h, String pvk, String pinUnderLmk, int checkLength, String account,
                                                       String decimalisationTable, String validationData) throws CACipherException;
    private static native boolean nVerifyPinByIbmOffset(long h, String zpk, String pvk, String pinBlock, int format, int checkLength,
                                                        String account, String decimalisationTable, String validationData, String offset,
                                                        int maxPinLength) throws CACipherException;
    private static native String nGenerateRandomPin(long h, String account, int length) throws CACipherException;
    private static native byte[] nRacalCipher(long h, boolean encrypt, int part, int mode, String key, String iv, boolean padded, byte[] data,
                                              String[] nextIv) throws CACipherException;
    private static native String nZpkMac(long h, int part, String key, String iv, int macBytes, byte[] data) throws CACipherException;
    private static native String nZakTakMac(long h, int part, int keyType, String key, String iv, int keyLengthFlag, byte[] data)
            throws CACipherException;
}
