package org.cacipher.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.cacipher.ArqcResult;
import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.CipherMode;
import org.cacipher.DataResult;
import org.cacipher.DeviceInfo;
import org.cacipher.GeneratedKey;
import org.cacipher.HashAlgorithm;
import org.cacipher.HostInfo;
import org.cacipher.HostStatus;
import org.cacipher.IcPadding;
import org.cacipher.KeyDerivationMode;
import org.cacipher.KeyScheme;
import org.cacipher.KeyType;
import org.cacipher.KeyWithCheckValue;
import org.cacipher.MacAlgorithm;
import org.cacipher.MacPadding;
import org.cacipher.MacPart;
import org.cacipher.MacSize;
import org.cacipher.PinFormat;
import org.cacipher.PinKeyKind;
import org.cacipher.ProtectedKeyExport;
import org.cacipher.Sm2KeyPair;
import org.cacipher.StoredKeyInfo;
import org.cacipher.TranslatedPin;

/**
 * Every public method of org.cacipher.CACipher against one evsm in test-LMK mode, through
 * the installed libcacipher and libcacipher_jni: known answers (the same public values as
 * the C typed suite, tests/typed/typed.c, which names their sources), round trips, HSM codes
 * in the exception, argument errors and null arguments. No JUnit: a small harness; each
 * test counts once and the last line is {@code java: N passed, M failed}.
 *
 *   java -Djava.library.path=PREFIX/lib -cp cacipher.jar:classes org.cacipher.test.CACipherTest CONFIG PORT LOGDIR
 */
public final class CACipherTest {
    // Public fixtures (test LMK): see tests/typed/typed.c for their sources.
    static final String ZMK = "UE13D662B185F5F3B08594F89F1FF903A";
    static final String K_UNDER_ZMK = "XF7EADC2F5D816B05E754C72C084E2244";   // K under the ZMK (X9.17)
    static final String K_KCV = "08D7B4FB629D0885";
    static final String ACCT = "987654321098";
    static final String ISO0_1234 = "C967C8198151A458";                       // PIN 1234 under K, ISO 0
    static final String TAK = "U90A17A99E4BA32475E692D7AAE177BBD";
    static final String ZAK = "U2549A1834EFDDC9629CBD8DC5C982D75";
    static final byte[] DATA16 = "1234567887654321".getBytes(StandardCharsets.US_ASCII);
    static final HexFormat HEX = HexFormat.of().withUpperCase();

    static String config;
    static int port;
    static String logDir;
    static CACipher hsm;

    static int passed, failed, checks;

    interface Body {
        void run() throws Exception;
    }

    interface Call {
        Object call() throws Exception;
    }

    static void test(String name, Body body) {
        checks = 0;
        try {
            body.run();
        } catch (Throwable t) {
            checks++;
            System.err.println("  unexpected " + t);
            t.printStackTrace();
        }
        if (checks == 0) {
            passed++;
            System.out.println("ok - " + name);
        } else {
            failed++;
            System.out.println("FAIL - " + name);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            checks++;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println("  line " + at.getLineNumber() + ": " + what);
        }
    }

    static void eq(Object got, Object want, String what) {
        boolean same = got == null ? want == null : got.equals(want);
        if (!same) {
            checks++;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println("  line " + at.getLineNumber() + ": " + what + " = " + got + ", expected " + want);
        }
    }

    /** The call throws CACipherException with this code; returns it (null otherwise). */
    static CACipherException code(int want, Call c) {
        StackTraceElement at = new Throwable().getStackTrace()[1];
        try {
            Object r = c.call();
            checks++;
            System.err.println("  line " + at.getLineNumber() + ": returned " + r + ", expected code " + want);
        } catch (CACipherException e) {
            if (e.getCode() != want) {
                checks++;
                System.err.println("  line " + at.getLineNumber() + ": code " + e.getCode() + " (" + e.getMessage() + "), expected " + want);
            }
            return e;
        } catch (Throwable t) {
            checks++;
            System.err.println("  line " + at.getLineNumber() + ": threw " + t + ", expected code " + want);
        }
        return null;
    }

    /** The call throws NullPointerException whose message is the argument's name. */
    static void npe(String arg, Call c) {
        StackTraceElement at = new Throwable().getStackTrace()[1];
        try {
            c.call();
            checks++;
            System.err.println("  line " + at.getLineNumber() + ": no exception, expected NullPointerException(" + arg + ")");
        } catch (NullPointerException e) {
            if (!arg.equals(e.getMessage())) {
                checks++;
                System.err.println("  line " + at.getLineNumber() + ": NullPointerException(" + e.getMessage() + "), expected " + arg);
            }
        } catch (Throwable t) {
            checks++;
            System.err.println("  line " + at.getLineNumber() + ": threw " + t + ", expected NullPointerException(" + arg + ")");
        }
    }

    static void mentions(CACipherException e, String text) {
        if (e != null && !e.getMessage().contains(text)) {
            checks++;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println("  line " + at.getLineNumber() + ": message \"" + e.getMessage() + "\" does not mention \"" + text + "\"");
        }
    }

    /** The shared library instance a holder uses (reflection: it is private). */
    static Object instanceOf(CACipher c) throws Exception {
        java.lang.reflect.Field f = CACipher.class.getDeclaredField("instance");
        f.setAccessible(true);
        return f.get(c);
    }

    /** The holder's instance's native handle (cacipher_t *), 0 once the instance is closed. */
    static long nativeHandle(CACipher c) throws Exception {
        Object i = instanceOf(c);
        java.lang.reflect.Field f = i.getClass().getDeclaredField("handle");
        f.setAccessible(true);
        return f.getLong(i);
    }

    /** K imported as a key of {@code type} (its KCV checked). */
    static String importK(KeyType type) throws CACipherException {
        KeyWithCheckValue k = hsm.importKey(type, ZMK, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT);
        eq(k.checkValue(), K_KCV, "KCV of K as " + type);
        return k.key();
    }

    // ---------------------------------------------------------------- instances

    static void instances() throws Exception {
        try (CACipher second = CACipher.getInstance(config)) {
            check(second != hsm && instanceOf(second) == instanceOf(hsm), "getInstance: a new holder of the same instance");
        }
        check(!hsm.isClosed(), "another holder's close leaves this one open");
        eq(hsm.config(), config, "config()");
        check(CACipher.version().matches("[0-9]+\\.[0-9]+\\.[0-9]+"), "version " + CACipher.version());
        check(CACipher.version().equals(CACipher.bindingVersion()), "jar manifest version " + CACipher.bindingVersion() + " = library " + CACipher.version());
        check(!CACipher.errorString(27).isEmpty() && !CACipher.errorString(-1).isEmpty(), "errorString");
        eq(hsm.hostCount(), 1, "hostCount");
        HostInfo hi = hsm.hostInfo(0);
        eq(hi.section(), "HOST1", "section");
        eq(hi.host(), "127.0.0.1", "host");
        eq(hi.port(), port, "port");
        eq(hi.headerLength(), 2, "headerLength");
        eq(hi.linkNum(), -2, "linkNum");
        eq(hi.connTimeoutMs(), 2000, "connTimeoutMs");
        eq(hi.readTimeoutMs(), 5000, "readTimeoutMs");
        eq(hi.socketProtocol(), "TCP", "socketProtocol");
        check(!hi.hsmModel().isEmpty(), "hsmModel");
        code(CACipherException.E_INVALID_ARG, () -> hsm.hostInfo(1));
        code(CACipherException.E_INVALID_ARG, () -> hsm.hostStatus(-1));
        eq(Path.of(hsm.logPath()).toRealPath(), Path.of(logDir).toRealPath(), "logPath");
        hsm.echo(new byte[] {1});
        HostStatus st = hsm.hostStatus(0);
        eq(st.state(), HostStatus.State.UP, "state after a command");
        check(st.completed() >= 1, "completed " + st.completed());
        eq(st.inFlight(), 0, "inFlight");
        eq(st.failures(), 0L, "failures");

        // an independent instance: its own object, works, closed -> E_NOT_INITIALIZED
        CACipher other = CACipher.open(config);
        check(other != hsm, "open() is a new instance");
        eq(other.deviceInfo().dmkCheckValue(), K_KCV, "device info through open()");
        other.close();
        check(other.isClosed(), "isClosed after close");
        other.close();   // idempotent
        mentions(code(CACipherException.E_NOT_INITIALIZED, other::deviceInfo), "closed");
        code(CACipherException.E_NOT_INITIALIZED, () -> other.keyCheckValue(KeyType.ZMK, ZMK));

        // getInstance after close: a new instance for the same string
        CACipher shared = CACipher.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST1];host=127.0.0.1;port=" + port
                + ";msgheadlength=2;timeout=5}");
        CACipher sameString = CACipher.getInstance(shared.config());
        check(instanceOf(sameString) == instanceOf(shared), "same string, same instance");
        sameString.close();
        shared.close();
        CACipher again = CACipher.getInstance(shared.config());
        check(again != shared && !again.isClosed() && instanceOf(again) != instanceOf(shared), "getInstance after the last close opens a new one");
        eq(again.deviceInfo().dmkCheckValue(), K_KCV, "string-form configuration works");
        try (CACipher closing = again) {
            eq(closing.hostCount(), 1, "try-with-resources");
        }
        check(again.isClosed(), "closed by try-with-resources");

        // configuration errors
        code(CACipherException.E_CONFIG_FILE, () -> CACipher.getInstance(logDir + "/no-such.ini"));
        mentions(code(CACipherException.E_CONFIG, () -> CACipher.open("{[LOGGER];logsw=error;logPath=" + logDir
                + ";[HOST1];host=127.0.0.1;port=80a18}")), "port");
        code(CACipherException.E_INVALID_ARG, () -> CACipher.open("{\0}"));
        // the kind of each (CACipher_LastErrorKind), and none for other errors
        String log = "{[LOGGER];logsw=error;logPath=" + logDir + ";";
        String one = "[HOST1];host=127.0.0.1;port=" + port + ";";
        eq(code(CACipherException.E_CONFIG_FILE, () -> CACipher.open(logDir + "/no-such.ini")).getConfigKind(),
           CACipherException.CONFIG_FILE_UNREADABLE, "a missing file: its kind");
        eq(code(CACipherException.E_CONFIG_FILE, () -> CACipher.open(logDir)).getConfigKind(), CACipherException.CONFIG_NOT_A_FILE,
           "a directory: its kind");
        eq(code(CACipherException.E_CONFIG, () -> CACipher.open(log + "[HOST1];host=127.0.0.1;port=80a18}")).getConfigKind(),
           CACipherException.CONFIG_BAD_VALUE, "a bad port: its kind");
        eq(code(CACipherException.E_CONFIG, () -> CACipher.open(log + one + "timeout 3}")).getConfigKind(), CACipherException.CONFIG_SYNTAX,
           "a line without '=': its kind");
        eq(code(CACipherException.E_CONFIG, () -> CACipher.open(log + "}")).getConfigKind(), CACipherException.CONFIG_NO_HOST,
           "no host: its kind");
        eq(code(CACipherException.E_CONFIG, () -> CACipher.open("{[LOGGER];logsw=error,verbose;logPath=" + logDir + ";" + one + "}"))
           .getConfigKind(), CACipherException.CONFIG_UNKNOWN_LOG_CATEGORY, "an unknown logsw category: its kind");
        eq(code(CACipherException.E_LOG, () -> CACipher.open("{[LOGGER];logsw=error;logPath=" + logDir + "/no-such;" + one + "}"))
           .getConfigKind(), CACipherException.CONFIG_LOG_PATH, "a missing logPath: its kind");
        eq(code(CACipherException.E_INVALID_ARG, () -> CACipher.open(log + one + "}", 2)).getConfigKind(), CACipherException.CONFIG_NONE,
           "an unknown option bit: E_INVALID_ARG without a kind");
        // OPEN_KNOWN_MODELS_ONLY: an unknown hsmModel is refused by the library's own model list
        String acme = log + one + "hsmModel=ACME9000}";
        CACipherException unknown = code(CACipherException.E_CONFIG, () -> CACipher.open(acme, CACipher.OPEN_KNOWN_MODELS_ONLY));
        eq(unknown.getConfigKind(), CACipherException.CONFIG_UNKNOWN_MODEL, "an unknown model with OPEN_KNOWN_MODELS_ONLY: its kind");
        mentions(unknown, "ACME9000");
        try (CACipher lenient = CACipher.open(acme)) {
            eq(lenient.hostInfo(0).hsmModel(), "ACME9000", "without the option an unknown model opens (with a warning)");
        }
        try (CACipher family = CACipher.open(log + one + "hsmModel=svsm}", CACipher.OPEN_KNOWN_MODELS_ONLY)) {
            eq(family.hostCount(), 1, "one of the vendor's other families opens with OPEN_KNOWN_MODELS_ONLY");
        }
        eq(new CACipherException(CACipherException.E_CONFIG, "x").getConfigKind(), CACipherException.CONFIG_NONE, "no kind unless given");
        npe("fileOrConfig", () -> CACipher.getInstance(null));
        npe("fileOrConfig", () -> CACipher.open(null));
    }

    /**
     * Issue 16: getInstance hands each caller its own holder of one shared instance; a
     * holder's close (try-with-resources) ends that holder only, the last close releases it.
     */
    static void holders() throws Exception {
        String cfg = "{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST1];host=127.0.0.1;port=" + port + ";msgheadlength=2;timeout=4}";
        CACipher a = CACipher.getInstance(cfg);
        CACipher b = CACipher.getInstance(cfg);
        check(a != b, "each getInstance is its own holder");
        check(instanceOf(a) == instanceOf(b), "both hold one instance");
        eq(a.config(), cfg, "config() of a holder");
        a.echo(new byte[] {1});
        check(b.hostStatus(0).completed() >= 1, "b sees the call made through a: one group");
        // the documented use: a third holder with try-with-resources
        try (CACipher c = CACipher.getInstance(cfg)) {
            eq(c.deviceInfo().dmkCheckValue(), K_KCV, "a try-with-resources holder works");
        }
        eq(a.deviceInfo().dmkCheckValue(), K_KCV, "a works after another holder's try-with-resources");
        eq(b.deviceInfo().dmkCheckValue(), K_KCV, "b works after another holder's try-with-resources");
        a.close();
        a.close();   // idempotent: one holder counts once
        check(a.isClosed() && !b.isClosed(), "only a is closed");
        mentions(code(CACipherException.E_NOT_INITIALIZED, a::deviceInfo), "holder");
        code(CACipherException.E_NOT_INITIALIZED, () -> a.rsaPublicKey(1));
        eq(b.deviceInfo().dmkCheckValue(), K_KCV, "b still works after a closed twice");
        check(nativeHandle(b) != 0, "the instance is open while b holds it");
        Object first = instanceOf(b);
        b.close();
        eq(nativeHandle(b), 0L, "the last holder's close releases the instance");
        code(CACipherException.E_NOT_INITIALIZED, b::deviceInfo);
        CACipher d = CACipher.getInstance(cfg);
        check(instanceOf(d) != first, "after the last close getInstance opens a new instance");
        eq(d.hostStatus(0).completed(), 0L, "the new instance has its own group (no calls yet)");
        eq(d.deviceInfo().dmkCheckValue(), K_KCV, "the new instance works");
        // holders opened and closed by 8 threads while d keeps calling: d never loses its instance
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            ts.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    try (CACipher x = CACipher.getInstance(cfg)) {
                        if (x.echo(new byte[] {(byte) i}).length != 1) wrong.incrementAndGet();
                        if (d.echo(new byte[] {2}).length != 1) wrong.incrementAndGet();
                    } catch (CACipherException e) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join(60_000);
        eq(wrong.get(), 0, "failed calls while holders come and go");
        eq(d.deviceInfo().dmkCheckValue(), K_KCV, "d works after 200 other holders closed");
        check(instanceOf(d) == instanceOf(CACipher.getInstance(cfg)), "still one instance (this holder is left open)");
        d.close();
        check(nativeHandle(d) != 0, "the holder left open keeps the instance open");
        // open(): an unshared instance of its own
        CACipher own = CACipher.open(cfg);
        CACipher shared = CACipher.getInstance(cfg);
        check(instanceOf(own) != instanceOf(shared), "open() is not the shared instance");
        own.close();
        eq(shared.deviceInfo().dmkCheckValue(), K_KCV, "closing an open() instance leaves the shared one");
        shared.close();
    }

    // ---------------------------------------------------------------- keys

    static void keysImport() throws Exception {
        KeyWithCheckValue k = hsm.importKey(KeyType.ZPK, ZMK, "X7BC09407A015F72FC59C32147D2AAE57", KeyScheme.DOUBLE_VARIANT);
        eq(k.key(), "U0B7C6F68A38FA3C2CB42C2991576A986", "published A6 key");
        check(k.checkValue().startsWith("DA24FF") && k.checkValue().length() == 16, "published KCV " + k.checkValue());
        k = hsm.importKey(KeyType.ZPK, "Ue13d662b185f5f3b08594f89f1ff903a", "X7bc09407a015f72fc59c32147d2aae57", KeyScheme.DOUBLE_VARIANT);
        eq(k.key(), "U0B7C6F68A38FA3C2CB42C2991576A986", "lower-case hex accepted");
        // the ZPK presented as the ZMK: 10 in the exception, with the C function in the message
        CACipherException e = code(10, () -> hsm.importKey(KeyType.ZPK, "U0B7C6F68A38FA3C2CB42C2991576A986", K_UNDER_ZMK,
                KeyScheme.DOUBLE_VARIANT));
        mentions(e, "CACipher_ImportKey");
        check(e != null && e.isHsmError(), "isHsmError");
        // bad hex / wrong length: invalid argument, the message names the argument
        CACipherException bad = code(CACipherException.E_INVALID_ARG,
                () -> hsm.importKey(KeyType.ZPK, ZMK, "XG7EADC2F5D816B05E754C72C084E2244", KeyScheme.DOUBLE_VARIANT));
        check(bad != null && !bad.isHsmError(), "a library error is not an HSM error");
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.importKey(KeyType.ZPK, "UE13D662B185F5F3B08594F89F1FF903", K_UNDER_ZMK,
                KeyScheme.DOUBLE_VARIANT)), "zmk is not a key field");
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.importKey(KeyType.of(0xA01), ZMK, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT)),
                "keyType");
        code(CACipherException.E_INVALID_ARG, () -> hsm.importKey(KeyType.ZPK, ZMK, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT, 10000, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.importKey(KeyType.ZPK, ZMK, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT, 7, "tab\there"));
        // stored import, then used through its index
        KeyWithCheckValue stored = hsm.importKey(KeyType.ZPK, ZMK, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT, 7, "java-import");
        eq(stored.checkValue(), K_KCV, "stored import KCV");
        eq(hsm.keyCheckValue(KeyType.ZPK, "K0007"), K_KCV, "KCV of K0007");
        npe("type", () -> hsm.importKey(null, ZMK, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT));
        npe("zmk", () -> hsm.importKey(KeyType.ZPK, null, K_UNDER_ZMK, KeyScheme.DOUBLE_VARIANT));
        npe("keyUnderZmk", () -> hsm.importKey(KeyType.ZPK, ZMK, null, KeyScheme.DOUBLE_VARIANT));
        npe("scheme", () -> hsm.importKey(KeyType.ZPK, ZMK, K_UNDER_ZMK, null));
    }

    static void keysGenerateExport() throws Exception {
        // mode 1: under the LMK and the ZMK; importing the latter gives the same key
        GeneratedKey g = hsm.generateKey(KeyType.ZAK, KeyScheme.DOUBLE_VARIANT, ZMK, null);
        check(g.keyUnderLmk().length() == 33 && g.keyUnderLmk().startsWith("U"), "key under LMK " + g.keyUnderLmk());
        check(g.keyUnderZmk() != null && g.keyUnderZmk().startsWith("U"), "key under ZMK");
        eq(g.checkValue().length(), 16, "KCV length");
        KeyWithCheckValue back = hsm.importKey(KeyType.ZAK, ZMK, g.keyUnderZmk(), KeyScheme.DOUBLE_VARIANT);
        eq(back.key(), g.keyUnderLmk(), "import of the exported key");
        eq(back.checkValue(), g.checkValue(), "KCV after import");
        // another export scheme, without a ZMK: no key under ZMK
        GeneratedKey gx = hsm.generateKey(KeyType.ZAK, KeyScheme.DOUBLE_VARIANT, ZMK, KeyScheme.DOUBLE_X917);
        check(gx.keyUnderZmk().startsWith("X"), "X9.17 export scheme");
        eq(hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT).keyUnderZmk(), null, "no ZMK, no key under ZMK");
        // A8 keeps the KCV
        KeyWithCheckValue x = hsm.exportKey(KeyType.ZAK, ZMK, g.keyUnderLmk(), KeyScheme.DOUBLE_X917);
        check(x.key().startsWith("X") && x.key().length() == 33, "A8 X scheme " + x.key());
        eq(x.checkValue(), g.checkValue(), "A8 KCV");
        eq(hsm.importKey(KeyType.ZAK, ZMK, x.key(), KeyScheme.DOUBLE_VARIANT).key(), g.keyUnderLmk(), "A8 then A6");
        // SM4: R + 48H under the LMK, R + 32H under an SM4 ZMK; the ZAK as a ZPK is refused
        String sm4Zmk = hsm.generateKey(KeyType.ZMK, KeyScheme.SM4).keyUnderLmk();
        GeneratedKey sg = hsm.generateKey(KeyType.ZAK, KeyScheme.SM4, sm4Zmk, KeyScheme.SM4);
        eq(sg.keyUnderLmk().length(), 49, "SM4 key under the LMK");
        eq(sg.keyUnderZmk().length(), 33, "SM4 key under a ZMK");
        eq(hsm.importKey(KeyType.ZAK, sm4Zmk, sg.keyUnderZmk(), KeyScheme.SM4).key(), sg.keyUnderLmk(), "SM4 import gives the same LMK form");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.keyCheckValue(KeyType.ZPK, sg.keyUnderLmk()));
        code(CACipherException.HSM_DEST_KEY_PARITY, () -> hsm.exportKey(KeyType.ZPK, sm4Zmk, sg.keyUnderLmk(), KeyScheme.SM4));
        code(CACipherException.E_INVALID_ARG, () -> hsm.keyCheckValue(KeyType.ZAK, sg.keyUnderZmk()));
        // every scheme: BU gives the generated KCV
        for (KeyScheme s : new KeyScheme[] {KeyScheme.SINGLE_DES, KeyScheme.DOUBLE_VARIANT, KeyScheme.DOUBLE_X917, KeyScheme.TRIPLE_VARIANT,
                KeyScheme.TRIPLE_X917, KeyScheme.SM4, KeyScheme.AES128}) {
            GeneratedKey k = hsm.generateKey(KeyType.ZPK, s);
            eq(hsm.keyCheckValue(KeyType.ZPK, k.keyUnderLmk()), k.checkValue(), "BU of a generated " + s + " key");
        }
        code(CACipherException.HSM_INVALID_KEY_SCHEME, () -> hsm.generateKey(KeyType.ZPK, KeyScheme.SM1));
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.generateKey(KeyType.of(0x00F), KeyScheme.DOUBLE_VARIANT));
        // stored at K0042, used by index; as another type 27; an empty index 12
        GeneratedKey st = hsm.generateKey(KeyType.TAK, KeyScheme.DOUBLE_VARIANT, null, null, 42, "java-tak");
        eq(hsm.keyCheckValue(KeyType.TAK, "K0042"), st.checkValue(), "KCV of K0042");
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.keyCheckValue(KeyType.ZPK, "K0042"));
        code(CACipherException.HSM_NO_KEY_AT_INDEX, () -> hsm.keyCheckValue(KeyType.TAK, "K0043"));
        // the ZAK exported as a TAK does not decrypt: 11
        code(CACipherException.HSM_DEST_KEY_PARITY, () -> hsm.exportKey(KeyType.TAK, ZMK, g.keyUnderLmk(), KeyScheme.DOUBLE_VARIANT));
        // argument errors
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, null, null, -1, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateKey(KeyType.of(-1), KeyScheme.DOUBLE_VARIANT));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, "nothex", null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.exportKey(KeyType.ZAK, ZMK, "K0000", KeyScheme.DOUBLE_VARIANT));
        code(CACipherException.E_INVALID_ARG, () -> hsm.exportKey(KeyType.ZAK, ZMK, "K12345", KeyScheme.DOUBLE_VARIANT));
        npe("type", () -> hsm.generateKey(null, KeyScheme.DOUBLE_VARIANT));
        npe("scheme", () -> hsm.generateKey(KeyType.ZPK, null));
        npe("type", () -> hsm.exportKey(null, ZMK, g.keyUnderLmk(), KeyScheme.DOUBLE_VARIANT));
        npe("zmk", () -> hsm.exportKey(KeyType.ZAK, null, g.keyUnderLmk(), KeyScheme.DOUBLE_VARIANT));
        npe("key", () -> hsm.exportKey(KeyType.ZAK, ZMK, null, KeyScheme.DOUBLE_VARIANT));
        npe("zmkScheme", () -> hsm.exportKey(KeyType.ZAK, ZMK, g.keyUnderLmk(), null));
    }

    static void keysFormAndKcv() throws Exception {
        // published triple-length ZPK KCVs
        check(hsm.keyCheckValue(KeyType.ZPK, "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1").startsWith("6EC2A9AE788F"), "published KCV 1");
        check(hsm.keyCheckValue(KeyType.ZPK, "TCF7471F997A26A9A82B16A616434312FD101DF4F6C426E97").startsWith("D58C6BB34AA6"), "published KCV 2");
        // A4: K ^ G ^ K = G
        String k = importK(KeyType.ZMK);
        GeneratedKey gen = hsm.generateKey(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT);
        KeyWithCheckValue f = hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, k, gen.keyUnderLmk(), k);
        eq(f.key(), gen.keyUnderLmk(), "K ^ G ^ K");
        eq(f.checkValue(), gen.checkValue(), "KCV of K ^ G ^ K");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.formKeyFromComponents(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, k, k));
        code(CACipherException.E_INVALID_ARG, () -> hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, k));
        String[] ten = new String[10];
        Arrays.fill(ten, k);
        code(CACipherException.E_INVALID_ARG, () -> hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, ten));
        code(CACipherException.E_INVALID_ARG, () -> hsm.keyCheckValue(KeyType.ZPK, ""));
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.keyCheckValue(KeyType.ZPK, ZMK));
        npe("components[1]", () -> hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, k, null));
        npe("components", () -> hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, (String[]) null));
        npe("type", () -> hsm.formKeyFromComponents(null, KeyScheme.DOUBLE_VARIANT, k, k));
        npe("scheme", () -> hsm.formKeyFromComponents(KeyType.ZMK, null, k, k));
        npe("type", () -> hsm.keyCheckValue(null, k));
        npe("key", () -> hsm.keyCheckValue(KeyType.ZMK, null));
    }

    // ---------------------------------------------------------------- PIN

    static void pinLmk() throws Exception {
        String zpk = importK(KeyType.ZPK);
        String lmk = hsm.pinBlockToLmk(zpk, ISO0_1234, PinFormat.ISO0, ACCT);
        eq(lmk.length(), 16, "PIN under LMK length");
        char[] pin = hsm.decryptPin(ACCT, lmk);
        eq(new String(pin), "1234", "decrypted PIN");
        Arrays.fill(pin, '\0');
        char[] clear = "1234".toCharArray();
        eq(hsm.encryptPin(clear, ACCT), lmk, "BA gives the same PIN under LMK");
        eq(new String(clear), "1234", "encryptPin leaves the caller's array alone");
        eq(hsm.pinLmkToBlock(zpk, PinFormat.ISO0, ACCT, lmk), ISO0_1234, "JG gives the block back");
        // HSM refusals
        CACipherException e = code(CACipherException.HSM_PIN_BLOCK_ERROR, () -> hsm.decryptPin("000000000001", lmk));
        check(e == null || !e.getMessage().contains("1234"), "no PIN in the message");
        String tak = importK(KeyType.TAK);
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.pinBlockToLmk(tak, ISO0_1234, PinFormat.ISO0, ACCT));
        // argument errors: the message names the argument, never the PIN
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptPin("123".toCharArray(), ACCT));
        CACipherException a = code(CACipherException.E_INVALID_ARG, () -> hsm.encryptPin("12a4".toCharArray(), ACCT));
        check(a == null || !a.getMessage().contains("12a4"), "no PIN in the message");
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptPin("12\u00e94".toCharArray(), ACCT));
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptPin("1234567890123".toCharArray(), ACCT));
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.encryptPin(clear, "98765432109")), "account");
        code(CACipherException.E_INVALID_ARG, () -> hsm.decryptPin(ACCT, "C967C8198151A45Z"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.pinBlockToLmk(zpk, "C967C8198151A4", PinFormat.ISO0, ACCT));
        npe("pin", () -> hsm.encryptPin(null, ACCT));
        npe("account", () -> hsm.encryptPin(clear, null));
        npe("account", () -> hsm.decryptPin(null, lmk));
        npe("pinUnderLmk", () -> hsm.decryptPin(ACCT, null));
        npe("zpk", () -> hsm.pinBlockToLmk(null, ISO0_1234, PinFormat.ISO0, ACCT));
        npe("pinBlock", () -> hsm.pinBlockToLmk(zpk, null, PinFormat.ISO0, ACCT));
        npe("format", () -> hsm.pinBlockToLmk(zpk, ISO0_1234, null, ACCT));
        npe("account", () -> hsm.pinBlockToLmk(zpk, ISO0_1234, PinFormat.ISO0, null));
        npe("zpk", () -> hsm.pinLmkToBlock(null, PinFormat.ISO0, ACCT, lmk));
        npe("format", () -> hsm.pinLmkToBlock(zpk, null, ACCT, lmk));
        npe("account", () -> hsm.pinLmkToBlock(zpk, PinFormat.ISO0, null, lmk));
        npe("pinUnderLmk", () -> hsm.pinLmkToBlock(zpk, PinFormat.ISO0, ACCT, null));
    }

    static void pinTranslate() throws Exception {
        String tpk = importK(KeyType.TPK);
        String zpk = importK(KeyType.ZPK);
        // same clear key, ISO 0 -> ISO 0, same account: the block is unchanged
        TranslatedPin t = hsm.translatePinTpkToZpk(tpk, zpk, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT);
        eq(t.pinBlock(), ISO0_1234, "CA block");
        eq(t.pinLength(), 4, "CA PIN length");
        // published CC
        TranslatedPin cc = hsm.translatePinZpkToZpk("T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1", "U247078713614BE11F819054C5FFB08FF", 6,
                "F2B66A1070EADC47", PinFormat.ISO1, PinFormat.ISO0, "000001000376");
        eq(cc.pinBlock(), "DBEEBF06C9ED0A48", "published CC");
        // to an SM4 ZPK in ISO 3 and back
        String sm4 = hsm.generateKey(KeyType.ZPK, KeyScheme.SM4).keyUnderLmk();
        TranslatedPin out = hsm.translatePinZpkToZpk(zpk, sm4, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO3, ACCT);
        eq(out.pinBlock().length(), 32, "32 hex under an SM4 ZPK");
        eq(hsm.translatePinZpkToZpk(sm4, zpk, 12, out.pinBlock(), PinFormat.ISO3, PinFormat.ISO0, ACCT).pinBlock(), ISO0_1234, "SM4 round trip");
        // TI: TPK -> ZPK to another account, and back
        String ti = hsm.translatePin(PinKeyKind.TPK, tpk, PinKeyKind.ZPK, sm4, 12, ISO0_1234, PinFormat.ISO0, ACCT, PinFormat.ISO0,
                "111122223333");
        eq(hsm.translatePin(PinKeyKind.ZPK, sm4, PinKeyKind.TPK, tpk, 12, ti, PinFormat.ISO0, "111122223333", PinFormat.ISO0, ACCT),
                ISO0_1234, "TI round trip");
        // HSM refusals: PIN longer than the maximum (24), wrong key types (10, 11)
        String lmk6 = hsm.encryptPin("123456".toCharArray(), ACCT);
        String block6 = hsm.pinLmkToBlock(zpk, PinFormat.ISO0, ACCT, lmk6);
        code(CACipherException.HSM_PIN_LENGTH, () -> hsm.translatePinZpkToZpk(zpk, sm4, 5, block6, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        eq(hsm.translatePinZpkToZpk(zpk, sm4, 6, block6, PinFormat.ISO0, PinFormat.ISO0, ACCT).pinLength(), 6, "6-digit PIN");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.translatePinZpkToZpk(tpk, zpk, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        code(CACipherException.HSM_DEST_KEY_PARITY, () -> hsm.translatePinTpkToZpk(tpk, tpk, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.translatePin(PinKeyKind.TPK, zpk, PinKeyKind.ZPK, sm4, 12, ISO0_1234,
                PinFormat.ISO0, ACCT, PinFormat.ISO0, ACCT));
        // argument errors
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.translatePinTpkToZpk(tpk, zpk, 3, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0,
                ACCT)), "maximum PIN length");
        code(CACipherException.E_INVALID_ARG, () -> hsm.translatePinTpkToZpk(tpk, zpk, 12, ISO0_1234 + "FF", PinFormat.ISO0, PinFormat.ISO0, ACCT));
        code(CACipherException.E_INVALID_ARG, () -> hsm.translatePin(PinKeyKind.TPK, tpk, PinKeyKind.ZPK, zpk, 12, ISO0_1234, PinFormat.ISO0,
                ACCT, PinFormat.ISO0, "x"));
        npe("tpk", () -> hsm.translatePinTpkToZpk(null, zpk, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        npe("zpk", () -> hsm.translatePinTpkToZpk(tpk, null, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        npe("sourceZpk", () -> hsm.translatePinZpkToZpk(null, zpk, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        npe("destinationZpk", () -> hsm.translatePinZpkToZpk(zpk, null, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        npe("pinBlock", () -> hsm.translatePinZpkToZpk(zpk, zpk, 12, null, PinFormat.ISO0, PinFormat.ISO0, ACCT));
        npe("sourceFormat", () -> hsm.translatePinZpkToZpk(zpk, zpk, 12, ISO0_1234, null, PinFormat.ISO0, ACCT));
        npe("destinationFormat", () -> hsm.translatePinZpkToZpk(zpk, zpk, 12, ISO0_1234, PinFormat.ISO0, null, ACCT));
        npe("account", () -> hsm.translatePinZpkToZpk(zpk, zpk, 12, ISO0_1234, PinFormat.ISO0, PinFormat.ISO0, null));
        npe("sourceKind", () -> hsm.translatePin(null, tpk, PinKeyKind.ZPK, zpk, 12, ISO0_1234, PinFormat.ISO0, ACCT, PinFormat.ISO0, ACCT));
        npe("destinationKey", () -> hsm.translatePin(PinKeyKind.TPK, tpk, PinKeyKind.ZPK, null, 12, ISO0_1234, PinFormat.ISO0, ACCT,
                PinFormat.ISO0, ACCT));
        npe("destinationAccount", () -> hsm.translatePin(PinKeyKind.TPK, tpk, PinKeyKind.ZPK, zpk, 12, ISO0_1234, PinFormat.ISO0, ACCT,
                PinFormat.ISO0, null));
    }

    // ---------------------------------------------------------------- MAC and data

    static void mac() throws Exception {
        // published X9.19 retail MACs
        eq(hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16), "934F05263310B6D3", "X9.19 TAK");
        eq(hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.ZAK, ZAK, DATA16), "A1C911EBA50563C9", "X9.19 ZAK");
        eq(hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_4, KeyType.TAK, TAK, DATA16), "934F0526", "4-byte MAC");
        check(hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16, "934F05263310B6D3"), "verify match");
        check(!hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16, "934F05263310B6D4"), "verify mismatch");
        check(hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_4, KeyType.TAK, TAK, DATA16, "934F0526"), "verify 4-byte");
        // ISO/IEC 9797-1 alg 3, padding 1, key K; then in three parts
        String k = importK(KeyType.TAK);
        byte[] msg = "Now is the time for all ".getBytes(StandardCharsets.US_ASCII);
        eq(hsm.generateMac(MacAlgorithm.ALG3, MacPadding.ZEROS, MacSize.BYTES_8, KeyType.TAK, k, msg), "A1C72E74EA3FA9B6", "ISO 9797 alg 3");
        String c1 = hsm.generateMac(MacPart.FIRST, MacAlgorithm.ALG3, MacPadding.ZEROS, MacSize.BYTES_8, KeyType.TAK, k, null,
                Arrays.copyOfRange(msg, 0, 8));
        eq(c1.length(), 16, "chaining value length");
        String c2 = hsm.generateMac(MacPart.MIDDLE, MacAlgorithm.ALG3, MacPadding.ZEROS, MacSize.BYTES_8, KeyType.TAK, k, c1,
                Arrays.copyOfRange(msg, 8, 16));
        byte[] last = Arrays.copyOfRange(msg, 16, 24);
        eq(hsm.generateMac(MacPart.LAST, MacAlgorithm.ALG3, MacPadding.ZEROS, MacSize.BYTES_8, KeyType.TAK, k, c2, last), "A1C72E74EA3FA9B6",
                "MAC in parts");
        check(hsm.verifyMac(MacPart.LAST, MacAlgorithm.ALG3, MacPadding.ZEROS, MacSize.BYTES_8, KeyType.TAK, k, c2, last, "A1C72E74EA3FA9B6"),
                "verify last part");
        // method 2 padding, any bytes (binary data goes as hex on the wire)
        byte[] bin = new byte[37];
        for (int i = 0; i < bin.length; i++) bin[i] = (byte) (i * 7 - 100);
        String m2 = hsm.generateMac(MacAlgorithm.ALG1, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, k, bin);
        check(hsm.verifyMac(MacAlgorithm.ALG1, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, k, bin, m2), "alg 1 method 2 round trip");
        bin[0] ^= 1;
        check(!hsm.verifyMac(MacAlgorithm.ALG1, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, k, bin, m2), "changed data fails");
        // HSM refusals: wrong key type 27, a TAK as a ZAK 10, no padding on a partial block 80
        mentions(code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED,
                () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.ZPK, TAK, DATA16)), "27");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.ZAK,
                TAK, DATA16));
        code(CACipherException.HSM_LENGTH_ERROR, () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK,
                Arrays.copyOf(DATA16, 5)));
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.ZPK,
                TAK, DATA16, "934F05263310B6D3"));
        // argument errors
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK,
                "U90A17A99E4BA32475E692D7AAE177BBZ", DATA16));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateMac(MacPart.ONLY, MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8,
                KeyType.TAK, TAK, c1, DATA16));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateMac(MacPart.LAST, MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8,
                KeyType.TAK, TAK, null, DATA16));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateMac(MacPart.LAST, MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8,
                KeyType.TAK, TAK, "00112233445566ZZ", DATA16));
        code(CACipherException.E_INVALID_ARG, () -> hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK,
                DATA16, "934F0526"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.verifyMac(MacPart.FIRST, MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8,
                KeyType.TAK, TAK, null, DATA16, "934F05263310B6D3"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK,
                new byte[32001]));
        npe("data", () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, null));
        npe("key", () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, null, DATA16));
        npe("keyType", () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, null, TAK, DATA16));
        npe("algorithm", () -> hsm.generateMac(null, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16));
        npe("padding", () -> hsm.generateMac(MacAlgorithm.ALG3, null, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16));
        npe("size", () -> hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, null, KeyType.TAK, TAK, DATA16));
        npe("part", () -> hsm.generateMac(null, MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, null, DATA16));
        npe("mac", () -> hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16, null));
        npe("data", () -> hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, null, "934F05263310B6D3"));
    }

    static void data() throws Exception {
        String dek = importK(KeyType.DEK);
        byte[] zero = new byte[16];
        DataResult ecb = hsm.encryptData(CipherMode.ECB, KeyType.DEK, dek, null, Arrays.copyOf(zero, 8));
        eq(HEX.formatHex(ecb.data()), "08D7B4FB629D0885", "3DES ECB known answer");
        eq(ecb.nextIv(), null, "no IV in ECB");
        check(Arrays.equals(hsm.decryptData(CipherMode.ECB, KeyType.DEK, dek, null, ecb.data()).data(), Arrays.copyOf(zero, 8)), "ECB back");
        DataResult cbc = hsm.encryptData(CipherMode.CBC, KeyType.ZEK, dek, "1111111111111111", zero);
        eq(HEX.formatHex(cbc.data()), "9B3A7B883A100F7377FBE60179FE985B", "3DES CBC known answer");
        eq(cbc.nextIv(), "77FBE60179FE985B", "next IV");
        // the same in two parts, chained through nextIv
        DataResult p1 = hsm.encryptData(CipherMode.CBC, KeyType.ZEK, dek, "1111111111111111", Arrays.copyOf(zero, 8));
        DataResult p2 = hsm.encryptData(CipherMode.CBC, KeyType.ZEK, dek, p1.nextIv(), Arrays.copyOf(zero, 8));
        eq(HEX.formatHex(p1.data()) + HEX.formatHex(p2.data()), "9B3A7B883A100F7377FBE60179FE985B", "CBC in parts");
        DataResult dec = hsm.decryptData(CipherMode.CBC, KeyType.ZEK, dek, "1111111111111111", cbc.data());
        check(Arrays.equals(dec.data(), zero), "CBC back");
        eq(dec.nextIv(), "77FBE60179FE985B", "decrypt next IV = last cipher block");
        // SM4 and AES TEKs: 16-byte blocks, 32-hex IVs
        for (KeyScheme s : new KeyScheme[] {KeyScheme.SM4, KeyScheme.AES128}) {
            String key = hsm.generateKey(KeyType.TEK, s).keyUnderLmk();
            byte[] plain = new byte[32];
            for (int i = 0; i < 32; i++) plain[i] = (byte) (i * 11);
            DataResult e = hsm.encryptData(CipherMode.CBC, KeyType.TEK, key, "000102030405060708090A0B0C0D0E0F", plain);
            eq(e.nextIv().length(), 32, s + " next IV");
            check(Arrays.equals(hsm.decryptData(CipherMode.CBC, KeyType.TEK, key, "000102030405060708090A0B0C0D0E0F", e.data()).data(), plain),
                    s + " round trip");
            code(CACipherException.E_INVALID_ARG, () -> hsm.encryptData(CipherMode.ECB, KeyType.TEK, key, null, new byte[8]));
            // key usage: the TEK offered as a ZEK fails its authenticator
            eq(key.length(), 49, s + " key under the LMK is a letter and 48 hex");
            code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.encryptData(CipherMode.ECB, KeyType.ZEK, key, null, new byte[16]));
        }
        // HSM refusals: a TAK type 27, the DEK as a TEK 10
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.encryptData(CipherMode.ECB, KeyType.TAK, dek, null, new byte[8]));
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.encryptData(CipherMode.ECB, KeyType.TEK, dek, null, new byte[8]));
        // argument errors
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptData(CipherMode.ECB, KeyType.DEK, dek, null, new byte[7]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptData(CipherMode.ECB, KeyType.DEK, dek, null, new byte[0]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptData(CipherMode.ECB, KeyType.DEK, dek, "1111111111111111", new byte[8]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.encryptData(CipherMode.CBC, KeyType.DEK, dek, null, new byte[8]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.decryptData(CipherMode.CBC, KeyType.DEK, dek, "11111111111111", new byte[8]));
        npe("data", () -> hsm.encryptData(CipherMode.ECB, KeyType.DEK, dek, null, null));
        npe("key", () -> hsm.decryptData(CipherMode.ECB, KeyType.DEK, null, null, new byte[8]));
        npe("mode", () -> hsm.decryptData(null, KeyType.DEK, dek, null, new byte[8]));
        npe("keyType", () -> hsm.encryptData(CipherMode.ECB, null, dek, null, new byte[8]));
    }

    // ---------------------------------------------------------------- device, hash, raw

    static void device() throws Exception {
        DeviceInfo d = hsm.deviceInfo();
        eq(d.dmkCheckValue(), K_KCV, "test DMK check value");
        eq(d.serial().length(), 12, "serial length");
        check(!d.version().isEmpty(), "version");
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        check(Arrays.equals(hsm.echo(data), data), "binary echo");
        eq(hsm.echo(new byte[0]).length, 0, "empty echo");
        code(CACipherException.E_INVALID_ARG, () -> hsm.echo(new byte[65530]));
        npe("data", () -> hsm.echo(null));
        byte[] r1 = hsm.random(64), r2 = hsm.random(64);
        check(r1.length == 64 && r2.length == 64 && !Arrays.equals(r1, r2), "two random draws differ");
        eq(hsm.random(2048).length, 2048, "largest draw");
        code(CACipherException.E_INVALID_ARG, () -> hsm.random(0));
        code(CACipherException.E_INVALID_ARG, () -> hsm.random(2049));
        code(CACipherException.E_INVALID_ARG, () -> hsm.random(-5));
    }

    static void hash() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        eq(HEX.formatHex(hsm.hash(HashAlgorithm.SM3, abc)), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0", "SM3(abc)");
        eq(HEX.formatHex(hsm.hash(HashAlgorithm.SHA256, abc)), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
                "SHA-256(abc)");
        eq(HEX.formatHex(hsm.hash(HashAlgorithm.SHA1, abc)), "A9993E364706816ABA3E25717850C26C9CD0D89D", "SHA-1(abc)");
        eq(hsm.hash(HashAlgorithm.SHA512, new byte[0]).length, 64, "SHA-512 of nothing");
        eq(hsm.hash(HashAlgorithm.SHA224, abc).length, 28, "SHA-224 size");
        eq(hsm.hash(HashAlgorithm.SHA384, abc).length, 48, "SHA-384 size");
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.hash(HashAlgorithm.SM3, abc, "id".getBytes(StandardCharsets.US_ASCII), null)),
                "userID needs publicKey");
        code(CACipherException.E_INVALID_ARG, () -> hsm.hash(HashAlgorithm.SM3, new byte[10000]));
        npe("data", () -> hsm.hash(HashAlgorithm.SM3, null));
        npe("algorithm", () -> hsm.hash(null, abc));
        // localHash: in-process (OpenSSL), any length; the HSM's 3C value for every algorithm
        for (HashAlgorithm a : HashAlgorithm.values()) {
            check(Arrays.equals(CACipher.localHash(a, abc), hsm.hash(a, abc)), "localHash " + a + "(abc) = 3C");
            check(Arrays.equals(CACipher.localHash(a, new byte[0]), hsm.hash(a, new byte[0])), "localHash " + a + " of nothing = 3C");
        }
        byte[] million = new byte[1_000_000];
        Arrays.fill(million, (byte) 'a');
        eq(HEX.formatHex(CACipher.localHash(HashAlgorithm.SHA256, million)), "CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0",
                "localHash SHA-256 of a million 'a' (FIPS 180-2)");
        eq(HEX.formatHex(CACipher.localHash(HashAlgorithm.SM3, million)), "C8AAF89429554029E231941A2ACC0AD61FF2A5ACD8FADD25847A3A732B3B02C3",
                "localHash SM3 of a million 'a' (openssl dgst -sm3)");
        npe("data", () -> CACipher.localHash(HashAlgorithm.SM3, null));
        npe("algorithm", () -> CACipher.localHash(null, abc));
    }

    static void transmit() throws Exception {
        byte[] reply = hsm.transmit("B20004ABCD".getBytes(StandardCharsets.US_ASCII));
        eq(new String(reply, StandardCharsets.US_ASCII), "B300ABCD", "raw B2");
        // an HSM error code is in the reply, not an exception: BU of the ZMK as a ZPK -> BV10
        byte[] bad = hsm.transmit(("BUFF1" + ZMK + ";001").getBytes(StandardCharsets.US_ASCII));
        eq(new String(bad, StandardCharsets.US_ASCII), "BV10", "raw BU error reply");
        byte[] nc = hsm.transmit("NC".getBytes(StandardCharsets.US_ASCII));
        check(new String(nc, StandardCharsets.US_ASCII).startsWith("ND00" + K_KCV), "raw NC");
        code(CACipherException.E_INVALID_ARG, () -> hsm.transmit(new byte[1]));
        npe("command", () -> hsm.transmit(null));
    }

    // ---------------------------------------------------------------- SM2

    static void sm2() throws Exception {
        Sm2KeyPair kp = hsm.sm2GenerateKeyPair();
        eq(kp.publicKey().length(), 128, "public key length");
        eq(kp.privateKey().length(), 80, "private key length");
        eq(hsm.sm2PublicKey(kp.privateKey()), kp.publicKey(), "E2 gives the same public key");
        byte[] uid = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
        byte[] msg = "message digest".getBytes(StandardCharsets.US_ASCII);
        String sig = hsm.sm2Sign(kp.privateKey(), uid, msg);
        eq(sig.length(), 128, "signature length");
        check(hsm.sm2Verify(kp.publicKey(), uid, msg, sig), "valid signature");
        check(!hsm.sm2Verify(kp.publicKey(), null, msg, sig), "another user id: invalid");
        check(!hsm.sm2Verify(kp.publicKey(), uid, Arrays.copyOf(msg, 13), sig), "other data: invalid");
        byte[] ct = hsm.sm2Encrypt(kp.publicKey(), msg);
        check(ct.length == msg.length + 97 && ct[0] == 0x04, "C1 || C3 || C2");
        check(Arrays.equals(hsm.sm2Decrypt(kp.privateKey(), ct), msg), "SM2 round trip");
        ct[80] ^= 1;
        code(CACipherException.HSM_INVALID_INPUT, () -> hsm.sm2Decrypt(kp.privateKey(), ct));
        // stored at K0100 (default user id), loaded copy at K0101
        Sm2KeyPair st = hsm.sm2GenerateKeyPair(100, "java-sm2");
        eq(hsm.sm2PublicKey("K0100"), st.publicKey(), "public key of K0100");
        String s2 = hsm.sm2Sign("K0100", null, msg);
        check(hsm.sm2Verify("K0100", null, msg, s2), "verify with the stored key");
        check(hsm.sm2Verify(st.publicKey(), "1234567812345678".getBytes(StandardCharsets.US_ASCII), msg, s2), "the default user id");
        eq(hsm.sm2LoadPrivateKey(st.privateKey(), 101, null), st.publicKey(), "E2 + E1 return the public key");
        eq(hsm.sm2PublicKey("K0101"), st.publicKey(), "public key of K0101");
        code(CACipherException.HSM_NO_KEY_AT_INDEX, () -> hsm.sm2PublicKey("K0102"));
        hsm.generateKey(KeyType.TAK, KeyScheme.DOUBLE_VARIANT, null, null, 103, null);
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.sm2Sign("K0103", null, msg));
        // 3C with the public key = SM3(Z || M), Z = SM3(ENTL || ID || a || b || Gx || Gy || x || y) (GB/T 32918)
        byte[] curve = HEX.parseHex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"
                + "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"
                + "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
                + "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
        byte[] zin = concat(new byte[] {0, (byte) (uid.length * 8)}, uid, curve, HEX.parseHex(kp.publicKey()));
        byte[] z = hsm.hash(HashAlgorithm.SM3, zin);
        byte[] expect = hsm.hash(HashAlgorithm.SM3, concat(z, msg));
        check(Arrays.equals(hsm.hash(HashAlgorithm.SM3, msg, uid, kp.publicKey()), expect), "SM3 with the Z value");
        code(CACipherException.E_INVALID_ARG, () -> hsm.hash(HashAlgorithm.SHA256, msg, uid, kp.publicKey()));
        // argument errors
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2GenerateKeyPair(10000, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2PublicKey("K01"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2PublicKey(kp.publicKey()));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2Verify(kp.publicKey(), null, msg, "00"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2Verify(kp.privateKey(), null, msg, sig));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2Encrypt(kp.publicKey(), new byte[0]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2Decrypt(kp.privateKey(), new byte[97]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2Decrypt(kp.privateKey(), new byte[3]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.sm2LoadPrivateKey(kp.privateKey(), 0, null));
        npe("privateKey", () -> hsm.sm2PublicKey(null));
        npe("privateKey", () -> hsm.sm2Sign(null, uid, msg));
        npe("data", () -> hsm.sm2Sign(kp.privateKey(), uid, null));
        npe("publicKey", () -> hsm.sm2Verify(null, uid, msg, sig));
        npe("signature", () -> hsm.sm2Verify(kp.publicKey(), uid, msg, null));
        npe("publicKey", () -> hsm.sm2Encrypt(null, msg));
        npe("data", () -> hsm.sm2Encrypt(kp.publicKey(), null));
        npe("ciphertext", () -> hsm.sm2Decrypt(kp.privateKey(), null));
        npe("privateKey", () -> hsm.sm2LoadPrivateKey(null, 5, null));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    // ---------------------------------------------------------------- the native layer itself

    /**
     * The JNI functions are called directly (reflection past the Java layer's checks): with
     * null for every reference argument each throws NullPointerException or
     * CACipherException, and with handle 0 (a closed instance) each refuses with
     * E_NOT_INITIALIZED instead of using the C global instance. The JVM must survive.
     */
    static void nativeLayer() throws Exception {
        CACipher own = CACipher.open(config);
        long h = nativeHandle(own);
        check(h != 0, "open handle");
        int methods = 0;
        for (java.lang.reflect.Method m : CACipher.class.getDeclaredMethods()) {
            if (!java.lang.reflect.Modifier.isNative(m.getModifiers()) || m.getName().equals("nClose")) continue;
            m.setAccessible(true);
            Class<?>[] ps = m.getParameterTypes();
            boolean hasRef = false, hasHandle = ps.length > 0 && ps[0] == long.class;
            for (Class<?> p : ps) hasRef |= !p.isPrimitive();
            for (long handle : new long[] {h, 0}) {
                if (handle == 0 && !hasHandle) continue;
                if (handle != 0 && !hasRef) continue;
                Object[] args = new Object[ps.length];
                for (int i = 0; i < ps.length; i++) {
                    if (ps[i] == long.class) args[i] = handle;
                    else if (ps[i] == int.class) args[i] = 0;
                    else if (ps[i] == boolean.class) args[i] = false;
                    else args[i] = null;
                }
                methods++;
                try {
                    Object r = m.invoke(null, args);
                    // only label is a reference argument there, and it is optional
                    if (handle != 0 && m.getName().equals("nSm2GenerateKeyPair")) continue;
                    check(false, m.getName() + "(handle " + (handle == 0 ? "0" : "h") + ", nulls) returned " + r);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    Throwable c = e.getCause();
                    if (handle == 0) {
                        check(c instanceof CACipherException && ((CACipherException) c).getCode() == CACipherException.E_NOT_INITIALIZED
                                || c instanceof NullPointerException && m.getName().equals("nOpen"), m.getName() + "(0, ...) threw " + c);
                    } else {
                        check(c instanceof NullPointerException || c instanceof CACipherException, m.getName() + "(h, nulls) threw " + c);
                    }
                }
            }
        }
        check(methods >= 40, "native methods exercised: " + methods);
        eq(own.deviceInfo().dmkCheckValue(), K_KCV, "the instance still works");
        own.close();
    }

    // ---------------------------------------------------------------- threads

    static void threads() throws Exception {
        // 8 threads share one instance; each checks a known answer many times
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            ts.add(new Thread(() -> {
                for (int i = 0; i < 40; i++) {
                    try {
                        String m = hsm.generateMac(MacAlgorithm.ALG3, MacPadding.NONE, MacSize.BYTES_8, KeyType.TAK, TAK, DATA16);
                        if (!m.equals("934F05263310B6D3")) wrong.incrementAndGet();
                        // a failing call on this thread: its own code and message
                        hsm.keyCheckValue(KeyType.TAK, "K0043");
                        wrong.incrementAndGet();
                    } catch (CACipherException e) {
                        if (e.getCode() != CACipherException.HSM_NO_KEY_AT_INDEX || !e.getMessage().contains("CACipher_KeyCheckValue")) {
                            wrong.incrementAndGet();
                        }
                    }
                }
            }));
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join(60_000);
        eq(wrong.get(), 0, "wrong answers under 8 threads");
        // close racing with calls: each call succeeds or gets E_NOT_INITIALIZED, nothing crashes
        CACipher racing = CACipher.open(config);
        AtomicInteger bad = new AtomicInteger(), ok = new AtomicInteger(), closed = new AtomicInteger();
        List<Thread> rs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            rs.add(new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        if (racing.echo(new byte[] {(byte) i}).length == 1) ok.incrementAndGet();
                        else bad.incrementAndGet();
                    } catch (CACipherException e) {
                        if (e.getCode() == CACipherException.E_NOT_INITIALIZED) closed.incrementAndGet();
                        else bad.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : rs) t.start();
        Thread.sleep(20);
        racing.close();
        for (Thread t : rs) t.join(60_000);
        eq(bad.get(), 0, "unexpected results racing close");
        eq(ok.get() + closed.get(), 800, "every call answered");
        code(CACipherException.E_NOT_INITIALIZED, racing::hostCount);
        code(CACipherException.E_NOT_INITIALIZED, () -> racing.hostStatus(0));
        code(CACipherException.E_NOT_INITIALIZED, racing::logPath);
        // getInstance from 8 threads at once with a new string: one instance for all
        String cfg = "{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST1];host=127.0.0.1;port=" + port + ";msgheadlength=2}";
        CACipher[] got = new CACipher[8];
        List<Thread> gs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            final int i = t;
            gs.add(new Thread(() -> {
                try {
                    got[i] = CACipher.getInstance(cfg);
                } catch (CACipherException e) {
                    got[i] = null;
                }
            }));
        }
        for (Thread t : gs) t.start();
        for (Thread t : gs) t.join(60_000);
        boolean same = got[0] != null;
        for (CACipher c : got) same &= c != null && instanceOf(c) == instanceOf(got[0]);
        check(same, "getInstance from 8 threads gives holders of one instance");
        for (CACipher c : got) if (c != null) c.close();
        check(got[0] == null || nativeHandle(got[0]) == 0, "the last of the 8 holders closed the instance");
    }

    // ---------------------------------------------------------------- IC data and keys (S0 S3 S4 KD KG)

    // Fixtures as tests/typed/typed.c (test_ic_data, test_ic_keys), which names their sources.
    static final String IC_FACTOR = "1234567890123456EDCBA98765432109";
    static final String IC_ATC = "0000000000000012";

    static void icData() throws Exception {
        String zek = importK(KeyType.ZEK), mdk = importK(KeyType.MK_AC), zak = importK(KeyType.ZAK);
        byte[] msg = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        byte[] c = hsm.icEncrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, CipherMode.CBC, "0102030405060708", msg);
        eq(HEX.formatHex(c), "DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8", "S3 CBC PKCS#5 known answer");
        check(Arrays.equals(hsm.icDecrypt(KeyType.ZEK, zek, "", 0, "", IcPadding.PKCS5, CipherMode.CBC, "0102030405060708", c), msg), "S4 back");
        byte[] plain = HEX.parseHex("0123456789ABCDEF0123456789ABCDEF");
        byte[] d = hsm.icEncrypt(KeyType.MK_AC, mdk, IC_FACTOR, 1, IC_ATC, IcPadding.NONE, CipherMode.ECB, null, plain);
        eq(HEX.formatHex(d), "66E77B3EB1826A8C66E77B3EB1826A8C", "S3 derived session key known answer");
        check(Arrays.equals(hsm.icDecrypt(KeyType.MK_AC, mdk, IC_FACTOR, 1, IC_ATC, IcPadding.NONE, CipherMode.ECB, null, d), plain), "S4 derived back");
        byte[] all = "Now is the time for all ".getBytes(StandardCharsets.US_ASCII);
        eq(hsm.icGenerateMac(KeyType.ZAK, zak, MacAlgorithm.ALG3, 8, null, 0, null, IcPadding.ZEROS, null, all), "A1C72E74EA3FA9B6",
                "S0 ISO 9797-1 alg 3 known answer");
        eq(hsm.icGenerateMac(KeyType.ZAK, zak, MacAlgorithm.ALG3, 8, IC_FACTOR, 1, IC_ATC, IcPadding.PBOC_MAC, "0102030405060708", all),
                "BAD0042FB39ABC8A", "S0 derived session key known answer");
        // HSM refusals in the exception
        mentions(code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED,
                () -> hsm.icEncrypt(KeyType.ZAK, zak, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[1])), "CACipher_ICEncrypt");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.icDecrypt(KeyType.ZEK, zak, null, 0, null, IcPadding.NONE, CipherMode.ECB, null, new byte[8]));
        code(CACipherException.HSM_INVALID_INPUT, () -> hsm.icDecrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[8]));
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED,
                () -> hsm.icGenerateMac(KeyType.ZPK, zak, MacAlgorithm.ALG1, 8, null, 0, null, IcPadding.ZEROS, null, new byte[1]));
        // argument errors and nulls
        mentions(code(CACipherException.E_INVALID_ARG,
                () -> hsm.icEncrypt(KeyType.ZEK, zek, "1234", 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[1])), "derivation");
        mentions(code(CACipherException.E_INVALID_ARG,
                () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 1, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[1])), "sessionData");
        code(CACipherException.E_INVALID_ARG, () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 6, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[1]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, CipherMode.CBC, null, new byte[1]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.NONE, CipherMode.ECB, null, new byte[3]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[0]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.icDecrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[3]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.icGenerateMac(KeyType.ZAK, zak, MacAlgorithm.ALG1, 16, null, 0, null, IcPadding.ZEROS, null, new byte[1]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.icGenerateMac(KeyType.ZAK, "K0004", MacAlgorithm.ALG1, 8, null, 0, null, IcPadding.ZEROS, null, new byte[1]));
        npe("key", () -> hsm.icEncrypt(KeyType.ZEK, null, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[1]));
        npe("data", () -> hsm.icDecrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, null));
        npe("padding", () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 0, null, null, CipherMode.ECB, null, new byte[1]));
        npe("mode", () -> hsm.icEncrypt(KeyType.ZEK, zek, null, 0, null, IcPadding.PKCS5, null, null, new byte[1]));
        npe("keyType", () -> hsm.icDecrypt(null, zek, null, 0, null, IcPadding.PKCS5, CipherMode.ECB, null, new byte[8]));
        npe("algorithm", () -> hsm.icGenerateMac(KeyType.ZAK, zak, null, 8, null, 0, null, IcPadding.ZEROS, null, new byte[1]));
        npe("data", () -> hsm.icGenerateMac(KeyType.ZAK, zak, MacAlgorithm.ALG1, 8, null, 0, null, IcPadding.ZEROS, null, null));
    }

    static void icKeys() throws Exception {
        String mdk = hsm.importKey(KeyType.MK_AC, ZMK, "XF7EADC2F5D816B05F7EADC2F5D816B05", KeyScheme.DOUBLE_VARIANT).key();
        KeyWithCheckValue udk = hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC,
                "1987654321098700", 32, "udk");
        check(udk.checkValue().startsWith("0DA897"), "KD published UDK check value: " + udk.checkValue());
        eq(udk.key().length(), 33, "UDK key field");
        StoredKeyInfo info = hsm.storedKeyInfo(32);
        eq(info.keyType(), KeyType.MK_AC, "KG key type");
        eq(info.scheme(), KeyScheme.DOUBLE_VARIANT, "KG scheme");
        eq(info.checkValue(), udk.checkValue(), "KG check value");
        eq(info.label(), "udk", "KG label");
        eq(info.time().length(), 14, "KG time");
        KeyWithCheckValue e16 = hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.ECB16, IC_FACTOR);
        check(!e16.checkValue().equals(udk.checkValue()), "ECB16 derives another key");
        mentions(code(CACipherException.HSM_NO_KEY_AT_INDEX, () -> hsm.storedKeyInfo(9876)), "CACipher_StoredKeyInfo");
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED,
                () -> hsm.deriveKey(KeyType.ZPK, mdk, KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC, "1987654321098700"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.storedKeyInfo(0));
        code(CACipherException.E_INVALID_ARG, () -> hsm.storedKeyInfo(10000));
        mentions(code(CACipherException.E_INVALID_ARG,
                () -> hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC, "123456789012345678901234")), "factors");
        code(CACipherException.E_INVALID_ARG, () -> hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC, ""));
        code(CACipherException.E_INVALID_ARG,
                () -> hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC, "1987654321098700", 10000, null));
        npe("sourceKey", () -> hsm.deriveKey(KeyType.MK_AC, null, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC, "00"));
        npe("factors", () -> hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, KeyDerivationMode.PBOC, null));
        npe("mode", () -> hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, KeyScheme.DOUBLE_VARIANT, null, "1987654321098700"));
        npe("scheme", () -> hsm.deriveKey(KeyType.MK_AC, mdk, KeyType.MK_AC, null, KeyDerivationMode.PBOC, "1987654321098700"));
    }

    static void icTranslateAndKeys() throws Exception {
        String a = hsm.generateKey(KeyType.ZEK, KeyScheme.DOUBLE_VARIANT).keyUnderLmk();
        String b = hsm.generateKey(KeyType.ZEK, KeyScheme.SM4).keyUnderLmk();
        byte[] plain = "6222020200112233445=2512101".getBytes(StandardCharsets.US_ASCII);
        byte[] c = hsm.icEncrypt(KeyType.ZEK, a, IC_FACTOR, 0, null, IcPadding.PBOC_ENCRYPTION, CipherMode.CBC, "0303030303030303", plain);
        byte[] t = hsm.icTranslate(KeyType.ZEK, a, IC_FACTOR, 0, null, IcPadding.PBOC_ENCRYPTION, CipherMode.CBC, "0303030303030303",
                KeyType.ZEK, b, null, 2, IC_FACTOR, IcPadding.ANSI_X923, CipherMode.ECB, null, c);
        eq(t.length, 32, "S5 output length");
        check(Arrays.equals(hsm.icDecrypt(KeyType.ZEK, b, null, 2, IC_FACTOR, IcPadding.ANSI_X923, CipherMode.ECB, null, t), plain), "S5 round trip");
        String zak = hsm.generateKey(KeyType.ZAK, KeyScheme.SM4).keyUnderLmk();
        code(CACipherException.HSM_DEST_KEY_PARITY, () -> hsm.icTranslate(KeyType.ZEK, a, IC_FACTOR, 0, null, IcPadding.PBOC_ENCRYPTION,
                CipherMode.CBC, "0303030303030303", KeyType.ZEK, zak, null, 0, null, IcPadding.ANSI_X923, CipherMode.ECB, null, c));
        npe("destinationKey", () -> hsm.icTranslate(KeyType.ZEK, a, null, 0, null, IcPadding.NONE, CipherMode.ECB, null,
                KeyType.ZEK, null, null, 0, null, IcPadding.NONE, CipherMode.ECB, null, c));
        // KR then KG
        KeyWithCheckValue kr = hsm.generateAndStoreKey(KeyType.ZAK, KeyScheme.SM4, 21, "mak");
        StoredKeyInfo info = hsm.storedKeyInfo(21);
        eq(info.checkValue(), kr.checkValue(), "KR stored KCV");
        eq(info.scheme(), KeyScheme.SM4, "KR stored scheme");
        eq(info.label(), "mak", "KR stored label");
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateAndStoreKey(KeyType.ZAK, KeyScheme.SM4, 10000, null));
        npe("scheme", () -> hsm.generateAndStoreKey(KeyType.ZAK, null, 0, null));
        // AN
        GeneratedKey g = hsm.generateKey(KeyType.ZAK, KeyScheme.DOUBLE_VARIANT);
        KeyWithCheckValue tak = hsm.convertKeyType(KeyType.ZAK, g.keyUnderLmk(), KeyType.TAK, KeyScheme.DOUBLE_VARIANT);
        eq(tak.checkValue(), g.checkValue(), "AN keeps the KCV");
        eq(hsm.keyCheckValue(KeyType.TAK, tak.key()), g.checkValue(), "AN result is a TAK");
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.convertKeyType(KeyType.ZAK, g.keyUnderLmk(), KeyType.ZMK, KeyScheme.DOUBLE_VARIANT));
        npe("key", () -> hsm.convertKeyType(KeyType.ZAK, null, KeyType.TAK, KeyScheme.DOUBLE_VARIANT));
        // AM [LB]
        byte[] clear = HEX.parseHex("8A7C04A1CD916464D6B361B05BBF6780");
        eq(hsm.formKeyFromClearComponents(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, 0, null, clear, new byte[16]).key(), ZMK, "AM published ZMK");
        eq(hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.SINGLE_DES, 9, "zpk", HEX.parseHex("0123456789ABCDEF"),
                HEX.parseHex("1111111111111111"), HEX.parseHex("1111111111111111")).checkValue(), "D5D44FF720683D0D", "AM single DES KCV");
        code(CACipherException.HSM_INVALID_KEY_SCHEME, () -> hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.SM1, 0, null, new byte[16]));
        CACipherException e = code(CACipherException.E_INVALID_ARG, () -> hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, 0, null, clear, new byte[8]));
        mentions(e, "components[1]");
        check(e == null || !e.getMessage().contains("8A7C"), "no component in the message");
        code(CACipherException.E_INVALID_ARG, () -> hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, 0, null));
        npe("components", () -> hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, 0, null, clear, null));
        // SH / SI
        GeneratedKey sub = hsm.generateKey(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT);
        String f5c = "5C5C5C5C5C5C5C5C5C5C5C5C5C5C5C5C";
        ProtectedKeyExport x = hsm.exportKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK, sub.keyUnderLmk(), f5c, null);
        eq(x.cryptogram().length(), 32, "SH cryptogram hex");
        KeyWithCheckValue back = hsm.importKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK, KeyScheme.DOUBLE_X917,
                x.cryptogram(), null, 0, null, x.checkValue(), 4, "sub");
        eq(back.checkValue(), x.checkValue(), "SI with the expected KCV");
        eq(hsm.storedKeyInfo(4).label(), "sub", "SI stored");
        ProtectedKeyExport plainExport = hsm.exportKeyUnderProtection(0, KeyType.ZMK, ZMK, "", 0, "", KeyType.ZMK, sub.keyUnderLmk(), null, "");
        eq(plainExport.checkValue(), sub.checkValue(), "SH without derivation: the key's KCV");
        eq(hsm.importKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK, KeyScheme.DOUBLE_VARIANT, plainExport.cryptogram(),
                null, 0, null, null, 0, null).key(), sub.keyUnderLmk(), "SI without the P extension");
        code(CACipherException.HSM_VERIFICATION_FAILED, () -> hsm.importKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK,
                KeyScheme.DOUBLE_X917, x.cryptogram(), null, 0, null, "0000000000000000", 0, null));
        code(CACipherException.HSM_DEST_KEY_PARITY, () -> hsm.exportKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZPK,
                sub.keyUnderLmk(), null, null));
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.exportKeyUnderProtection(2, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK,
                sub.keyUnderLmk(), null, null)), "protMode");
        code(CACipherException.E_INVALID_ARG, () -> hsm.importKeyUnderProtection(1, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK,
                KeyScheme.DOUBLE_X917, x.cryptogram(), null, 0, null, x.checkValue(), 0, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.importKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK,
                KeyScheme.DOUBLE_X917, "", null, 0, null, null, 0, null));
        npe("cryptogram", () -> hsm.importKeyUnderProtection(0, KeyType.ZMK, ZMK, null, 0, null, KeyType.ZMK, KeyScheme.DOUBLE_X917,
                null, null, 0, null, null, 0, null));
        npe("protKey", () -> hsm.exportKeyUnderProtection(0, KeyType.ZMK, null, null, 0, null, KeyType.ZMK, sub.keyUnderLmk(), null, null));
    }

    // ---------------------------------------------------------------- EMV (K6 K2 K4 KX): fixtures as typed.c test_emv

    static void emv() throws Exception {
        String mdk = importK(KeyType.MK_AC), zpk = importK(KeyType.ZPK);
        String pan = "1234567890123445", atc = "0001", arqc = "2C064758BA227276";
        byte[] tx = HEX.parseHex("0123456789ABCDEF0123456789ABCDEF");
        ArqcResult v = hsm.verifyArqc(mdk, pan, atc, tx, arqc);
        check(v.verified() && v.arpc() == null && v.diagnostic() == null, "K6 mode 0 verifies: " + v);
        ArqcResult v1 = hsm.verifyArqcAndGenerateArpc(mdk, pan, atc, tx, arqc, "3030");
        check(v1.verified(), "K6 mode 1 verifies");
        eq(v1.arpc(), "DCEEDD0B828A19A2", "K6 mode 1 ARPC");
        eq(hsm.generateArpc(mdk, pan, atc, arqc, "3030"), "DCEEDD0B828A19A2", "K6 mode 2 ARPC");
        ArqcResult bad = hsm.verifyArqc(mdk, pan, atc, tx, "2C064758BA227277");
        check(!bad.verified(), "wrong ARQC does not verify");
        eq(bad.diagnostic(), "7E572103ED70B2EC", "diagnostic value");
        ArqcResult bad1 = hsm.verifyArqcAndGenerateArpc(mdk, pan, atc, tx, "2C064758BA227277", "3030");
        check(!bad1.verified() && bad1.arpc() == null, "mode 1 mismatch has no ARPC");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.verifyArqc(zpk, pan, atc, tx, arqc));
        byte[] script = HEX.parseHex("842400000811223344556677");
        eq(hsm.issuerScriptMac(mdk, pan, atc, script), "0C09BA4F207F23BC", "K4 known answer");
        eq(HEX.formatHex(hsm.encryptIssuerScript(mdk, pan, atc, script)), "38C365A7800B00CF71ED9BF920DD17CA", "K2 known answer");
        eq(HEX.formatHex(hsm.offlinePin(mdk, pan, atc, "1234".toCharArray(), null, null)), "7B53BA0118A692DDA3EA3A7C1C85E24A", "KX format 41");
        eq(HEX.formatHex(hsm.offlinePin(mdk, pan, atc, "1234".toCharArray(), "9876".toCharArray(), "000000000000")),
                "CFCA41E649D98BACA3EA3A7C1C85E24A", "KX format 42");
        eq(HEX.formatHex(hsm.offlinePin(mdk, pan, atc, PinKeyKind.ZPK, zpk, PinFormat.ISO0, ISO0_1234, null, ACCT)),
                "7B53BA0118A692DDA3EA3A7C1C85E24A", "KX from a PIN block");
        mentions(code(CACipherException.E_INVALID_ARG, () -> hsm.verifyArqc(mdk, "123456789012344", atc, tx, arqc)), "pan");
        code(CACipherException.E_INVALID_ARG, () -> hsm.verifyArqc(mdk, pan, "01", tx, arqc));
        code(CACipherException.E_INVALID_ARG, () -> hsm.verifyArqc(mdk, pan, atc, new byte[0], arqc));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateArpc(mdk, pan, atc, arqc, "30"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.issuerScriptMac(mdk, pan, atc, new byte[4096]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.offlinePin(mdk, pan, atc, "123".toCharArray(), null, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.offlinePin(mdk, pan, atc, "1234567890123".toCharArray(), null, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.offlinePin(mdk, pan, atc, "1234".toCharArray(), null, "1"));
        npe("mdk", () -> hsm.verifyArqc(null, pan, atc, tx, arqc));
        npe("arc", () -> hsm.verifyArqcAndGenerateArpc(mdk, pan, atc, tx, arqc, null));
        npe("newPin", () -> hsm.offlinePin(mdk, pan, atc, null, null, null));
        npe("account", () -> hsm.offlinePin(mdk, pan, atc, PinKeyKind.ZPK, zpk, PinFormat.ISO0, ISO0_1234, null, null));
        npe("data", () -> hsm.encryptIssuerScript(mdk, pan, atc, null));
    }

    // ---------------------------------------------------------------- KW ARPC method 2: fixtures as typed.c test_emv_arpc2 (pyemv)

    static void emvArpcMethod2() throws Exception {
        String mdk = importK(KeyType.MK_AC), zpk = importK(KeyType.ZPK);
        String pan = "0123456789012345", r = "1234567890123456", arqc = "4B46013359B7A58B";
        eq(hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", "1234567890ABCDEF"), "4962B76C", "KW mode 4 ARPC with PAD");
        eq(hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", null), "7DFB1188", "KW mode 4 ARPC without PAD");
        eq(hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_ATC, "0001", "8C6A1F9CF11BE1A9", "00000000", ""), "B68E3D93", "KW scheme 0");
        code(10, () -> hsm.generateArpcMethod2(zpk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", null));
        byte[] tx = HEX.parseHex("0123456789ABCDEF0123456789ABCDEF");
        ArqcResult v = hsm.verifyArqcAndGenerateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, tx, arqc, "00000000", "1234567890ABCDEF");
        check(v.verified() && v.diagnostic() == null, "KW mode 3 verifies: " + v);
        eq(v.arpc(), "4962B76C", "KW mode 3 ARPC");
        ArqcResult bad = hsm.verifyArqcAndGenerateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, tx, "4B46013359B7A58C", "00000000", null);
        check(!bad.verified() && bad.arpc() == null, "KW mode 3 wrong ARQC does not verify");
        eq(bad.diagnostic(), "099592B326448AF5", "KW diagnostic value");
        npe("data", () -> hsm.verifyArqcAndGenerateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, null, arqc, "00000000", null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, "000000", null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", "1234567890ABCDEF12"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateArpcMethod2(mdk, pan, 3, r, arqc, "00000000", null));
        npe("csu", () -> hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, null, null));
    }

    // ---------------------------------------------------------------- KW ARPC method 2, SM4 MK-AC: fixtures as typed.c test_emv_arpc2_sm4
    // (scripts/emv-csk-known-answers.py, openssl enc -sm4-ecb / -sm4-cbc)

    static void emvArpcMethod2Sm4() throws Exception {
        byte[] clear = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
        String mdk = hsm.formKeyFromClearComponents(KeyType.MK_AC, KeyScheme.SM4, 0, null, clear).key();
        String zpk = hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.SM4, 0, null, clear).key();
        String pan = "0123456789012345", r = "1234567890123456", arqc = "287D7DAF8DD1DCE8";
        eq(hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", "1234567890ABCDEF"), "F6BDB700", "KW SM4 mode 4 ARPC with PAD");
        eq(hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", null), "C31E4B2A", "KW SM4 mode 4 ARPC without PAD");
        eq(hsm.generateArpcMethod2(mdk, pan, CACipher.EMV_SK_ATC, "0001", "2CFF0D7C79D5F5B1", "00000000", ""), "1ACD37B5", "KW SM4 scheme 0");
        code(10, () -> hsm.generateArpcMethod2(zpk, pan, CACipher.EMV_SK_R, r, arqc, "00000000", null));
        byte[] tx = HEX.parseHex("0123456789ABCDEF0123456789ABCDEF");
        ArqcResult v = hsm.verifyArqcAndGenerateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, tx, arqc, "00000000", "1234567890ABCDEF");
        check(v.verified() && v.diagnostic() == null, "KW SM4 mode 3 verifies: " + v);
        eq(v.arpc(), "F6BDB700", "KW SM4 mode 3 ARPC");
        ArqcResult bad = hsm.verifyArqcAndGenerateArpcMethod2(mdk, pan, CACipher.EMV_SK_R, r, tx, "4B46013359B7A58B", "00000000", null);
        check(!bad.verified() && bad.arpc() == null, "KW SM4 mode 3 wrong ARQC does not verify");
        eq(bad.diagnostic(), "DACE0D1DD32D906A", "KW SM4 diagnostic value");
    }

    // ---------------------------------------------------------------- CW CY DG DE EA JA: fixtures as typed.c test_pin_verify

    static void pinVerify() throws Exception {
        String cvk = importK(KeyType.CVK), zpk = importK(KeyType.ZPK);
        eq(hsm.generateCvv(cvk, null, "4123456789012345", "8701", "101"), "561", "CW [VISA]");
        check(hsm.verifyCvv(cvk, null, "561", "4123456789012345", "8701", "101"), "CY verifies");
        check(!hsm.verifyCvv(cvk, null, "165", "4123456789012345", "8701", "101"), "CY mismatch is false");
        eq(hsm.generateCvv("U479D751977AA598CB481F548226DBF2B", null, "123456789012", "1108", "000"), "204", "CW [JPOS]");
        eq(hsm.generateCvv("56FBB74CDEAD6949", "69E636CF27A47EEE", "123456789012", "1108", "000"), "453", "CW pair [JPOS]");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.generateCvv(zpk, null, "4123456789012345", "8701", "101"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateCvv(cvk, null, "4123456789012345", "870", "101"));
        npe("serviceCode", () -> hsm.generateCvv(cvk, null, "4123456789012345", "8701", null));
        String pin = hsm.encryptPin("1234".toCharArray(), "123456789012");
        eq(hsm.generatePvv("UE9F05D2F2DB8A8579CA3E806B35E336F", pin, "123456789012", 0), "1226", "DG [JPOS]");
        code(CACipherException.HSM_PIN_BLOCK_ERROR, () -> hsm.generatePvv("UE9F05D2F2DB8A8579CA3E806B35E336F", pin, "123456789013", 0));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generatePvv("UE9F05D2F2DB8A8579CA3E806B35E336F", pin, "123456789012", 16));
        String pvk = "TAF9958474101D950930D1FC86F99447E10B3BADFAA10458E", lzpk = "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1";
        String acct = "000001000376", dec = "0123456789012345", val = "1234567890NF";
        String p = hsm.encryptPin("14789".toCharArray(), acct);
        eq(hsm.generateIbmPinOffset(pvk, p, 5, acct, dec, val), "17702", "DE [LB]");
        check(hsm.verifyPinByIbmOffset(lzpk, pvk, "F2B66A1070EADC47", PinFormat.ISO1, 5, acct, dec, val, "17702", 12), "EA verifies");
        check(!hsm.verifyPinByIbmOffset(lzpk, pvk, "F2B66A1070EADC47", PinFormat.ISO1, 5, acct, dec, val, "17703", 12), "EA mismatch");
        code(CACipherException.HSM_PIN_LENGTH, () -> hsm.verifyPinByIbmOffset(lzpk, pvk, "F2B66A1070EADC47", PinFormat.ISO1, 5, acct, dec, val, "17702", 4));
        code(CACipherException.HSM_PIN_LENGTH, () -> hsm.generateIbmPinOffset(pvk, p, 6, acct, dec, val));
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateIbmPinOffset(pvk, p, 5, acct, "0123", val));
        npe("format", () -> hsm.verifyPinByIbmOffset(lzpk, pvk, "F2B66A1070EADC47", null, 5, acct, dec, val, "17702", 12));
        String rp = hsm.generateRandomPin("123456789012", 6);
        eq(rp.length(), 16, "JA PIN under the LMK");
        char[] clear = hsm.decryptPin("123456789012", rp);
        eq(clear.length, 6, "JA PIN length");
        Arrays.fill(clear, '\0');
        code(CACipherException.E_INVALID_ARG, () -> hsm.generateRandomPin("123456789012", 13));
        npe("account", () -> hsm.generateRandomPin(null, 6));
    }

    // ---------------------------------------------------------------- E0 UQ MS: fixtures as typed.c test_racal

    static void racal() throws Exception {
        String zek = hsm.formKeyFromClearComponents(KeyType.ZEK, KeyScheme.SINGLE_DES, 0, null, HEX.parseHex("0123456789ABCDEF")).key();
        String mak = hsm.formKeyFromClearComponents(KeyType.ZPK, KeyScheme.SINGLE_DES, 0, null, HEX.parseHex("2323232323232323")).key();
        String tak = importK(KeyType.TAK);
        byte[] all = "Now is the time for all ".getBytes(StandardCharsets.US_ASCII);
        DataResult e = hsm.racalEncryptData(MacPart.ONLY, CipherMode.ECB, zek, null, false, all);
        eq(HEX.formatHex(e.data()), "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53", "E0 ECB [FIPS 81]");
        DataResult c = hsm.racalEncryptData(MacPart.ONLY, CipherMode.CBC, zek, "1234567890ABCDEF", false, all);
        eq(HEX.formatHex(c.data()), "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6", "E0 CBC [FIPS 81]");
        check(Arrays.equals(hsm.racalDecryptData(MacPart.ONLY, CipherMode.CBC, zek, "1234567890ABCDEF", false, c.data()).data(), all), "E0 back");
        byte[] msg = "Racal E0 with PBOC padding".getBytes(StandardCharsets.US_ASCII);
        DataResult p = hsm.racalEncryptData(MacPart.ONLY, CipherMode.CBC, zek, "0000000000000000", true, msg);
        DataResult first = hsm.racalEncryptData(MacPart.FIRST, CipherMode.CBC, zek, "0000000000000000", true, Arrays.copyOf(msg, 16));
        DataResult last = hsm.racalEncryptData(MacPart.LAST, CipherMode.CBC, zek, first.nextIv(), true, Arrays.copyOfRange(msg, 16, 26));
        eq(HEX.formatHex(first.data()) + HEX.formatHex(last.data()), HEX.formatHex(p.data()), "E0 in parts");
        check(Arrays.equals(hsm.racalDecryptData(MacPart.ONLY, CipherMode.CBC, zek, "0000000000000000", true, p.data()).data(), msg), "E0 padded back");
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.racalEncryptData(MacPart.ONLY, CipherMode.ECB, mak, null, false, all));
        code(CACipherException.E_INVALID_ARG, () -> hsm.racalEncryptData(MacPart.ONLY, CipherMode.ECB, zek, null, false, new byte[7]));
        npe("part", () -> hsm.racalEncryptData(null, CipherMode.ECB, zek, null, false, all));
        byte[] mab = HEX.parseHex("1234567890ABCDEFABCDEF1234567890");
        eq(hsm.zpkMac(MacPart.ONLY, mak, null, 4, mab), "E267B6E2", "UQ [pgate]");
        String cv = hsm.zpkMac(MacPart.FIRST, mak, null, 4, Arrays.copyOf(mab, 8));
        eq(hsm.zpkMac(MacPart.LAST, mak, cv, 4, Arrays.copyOfRange(mab, 8, 16)), "E267B6E2", "UQ in parts");
        code(CACipherException.E_INVALID_ARG, () -> hsm.zpkMac(MacPart.ONLY, mak, null, 3, mab));
        eq(hsm.zakTakMac(MacPart.ONLY, KeyType.TAK, tak, null, -1, all), "A1C72E74EA3FA9B6", "MS [ISO 9797-1]");
        code(CACipherException.E_INVALID_ARG, () -> hsm.zakTakMac(MacPart.ONLY, KeyType.ZPK, tak, null, -1, all));
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.zakTakMac(MacPart.ONLY, KeyType.ZAK, tak, null, -1, all));
        npe("keyType", () -> hsm.zakTakMac(MacPart.ONLY, null, tak, null, -1, all));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: CACipherTest CONFIG PORT LOGDIR");
            System.exit(2);
        }
        config = args[0];
        port = Integer.parseInt(args[1]);
        logDir = args[2];
        check(Files.isReadable(Path.of(config)), "configuration readable");
        try {
            hsm = CACipher.getInstance(config);
        } catch (CACipherException e) {
            System.err.println("getInstance: " + e.getCode() + " " + e.getMessage());
            System.out.println("java: 0 passed, 1 failed");
            System.exit(1);
        }
        test("instances: getInstance/open/close, hostCount/hostInfo/hostStatus/logPath, version, config errors, null", CACipherTest::instances);
        test("holders (issue 16): getInstance per-caller holders of one instance, one holder's close leaves the others, last close releases",
                CACipherTest::holders);
        test("live state: setStateListener (UNKNOWN -> UP), metricsText, transmit with a deadline", LiveStateTest::run);
        test("reply tolerance: A0 A6 A8 A4 BU AN KR KCVs of 6H/8H/16H as received, other lengths E_BAD_FRAME, NG payShield layout (scripted peer)",
                ReplyToleranceTest::run);
        test("importKey: published A6, lower case, stored, HSM 10, bad hex, nulls", CACipherTest::keysImport);
        test("generateKey/exportKey/keyCheckValue: mode 1 round trip, schemes, 26/27/12/11, K index, argument errors, nulls",
                CACipherTest::keysGenerateExport);
        test("formKeyFromComponents/keyCheckValue: published KCVs, K^G^K = G, 10, count, nulls", CACipherTest::keysFormAndKcv);
        test("pinBlockToLmk/pinLmkToBlock/encryptPin/decryptPin: ISO 0 known answer, 20/10, argument errors, nulls", CACipherTest::pinLmk);
        test("translatePinTpkToZpk/ZpkToZpk/translatePin: published CC, round trips, 24/10/11, argument errors, nulls",
                CACipherTest::pinTranslate);
        test("generateMac/verifyMac: published X9.19, ISO 9797 alg 3, parts, mismatch false, 27/10/80, argument errors, nulls",
                CACipherTest::mac);
        test("encryptData/decryptData: 3DES ECB/CBC known answers, chaining, SM4/AES, 27/10, argument errors, nulls", CACipherTest::data);
        test("deviceInfo/echo/random: test DMK, binary echo, draws, argument errors", CACipherTest::device);
        test("hash: SM3/SHA known answers, sizes, argument errors", CACipherTest::hash);
        test("transmit: raw B2, HSM error in the reply, argument errors", CACipherTest::transmit);
        test("sm2*: generate, public key, sign/verify, encrypt/decrypt, K index, load, Z value, 12/15/27, argument errors, nulls",
                CACipherTest::sm2);
        test("rsaGenerateKeyPair/rsaPublicKey/rsaSign: EI ER EW, DER public key and PKCS#1 v1.5/PSS signatures verified by java.security",
                RsaTest::generateAndSign);
        test("rsaVerify: EY verifies java.security PKCS#1 v1.5 and PSS signatures with Java's public key; false on mismatch",
                RsaTest::verifyJavaSignatures);
        test("rsaEncrypt/rsaDecrypt: 3A/3B with javax.crypto both ways (PKCS#1 v1.5, OAEP, raw), limits, K index", RsaTest::encryptDecrypt);
        test("rsa 4096 bits: EI output sizes, EW signature verified by java.security, OAEP decrypt", RsaTest::largestKey);
        test("rsa errors: key usage 27, no pair 12, not an RSA pair 27, foreign/altered blob 10, 15, oversize 80, E_INVALID_ARG, nulls", RsaTest::errors);
        test("native layer: every JNI function with null arguments and with handle 0", CACipherTest::nativeLayer);
        test("threads: 8 threads on one instance with per-thread errors; close racing with calls; getInstance from 8 threads", CACipherTest::threads);
        test("icEncrypt/icDecrypt/icGenerateMac: S3/S4/S0 known answers, derivation and session keys, 27/10/15, argument errors, nulls",
                CACipherTest::icData);
        test("deriveKey/storedKeyInfo: KD published UDK check value, stored, KG, 12/27, argument errors, nulls", CACipherTest::icKeys);
        test("icTranslate/generateAndStoreKey/convertKeyType/formKeyFromClearComponents/export-/importKeyUnderProtection: S5 KR AN AM SH SI",
                CACipherTest::icTranslateAndKeys);
        test("verifyArqc/verifyArqcAndGenerateArpc/generateArpc/issuerScriptMac/encryptIssuerScript/offlinePin: K6 K4 K2 KX known answers, mismatch, 10, argument errors, nulls",
                CACipherTest::emv);
        test("verifyArqcAndGenerateArpcMethod2/generateArpcMethod2: KW modes 3/4 pyemv known answers, mismatch, scheme 0, 10, argument errors, nulls", CACipherTest::emvArpcMethod2);
        test("verifyArqcAndGenerateArpcMethod2/generateArpcMethod2 with an SM4 MK-AC: KW modes 3/4 openssl SM4 known answers, mismatch, scheme 0, 10", CACipherTest::emvArpcMethod2Sm4);
        test("generateCvv/verifyCvv/generatePvv/generateIbmPinOffset/verifyPinByIbmOffset/generateRandomPin: published values, false on 01, 10/20/24, argument errors, nulls",
                CACipherTest::pinVerify);
        test("racalEncryptData/racalDecryptData/zpkMac/zakTakMac: E0 UQ MS known answers, padding, parts, 10, argument errors, nulls",
                CACipherTest::racal);
        hsm.close();
        System.out.println("java: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
