package tasscompat;

import cn.tass.duty.ErrorCodes;
import cn.tass.duty.drivers.SJJ1310;
import cn.tass.exceptions.TAException;
import cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance;
import cn.tass.kits.Forms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/**
 * The compatibility jar as a vendor-SDK application sees it: written only against the
 * vendor's class names (cn.tass.*; nothing of org.cacipher), compiled and run with the jar
 * alone on the classpath (no java.library.path). Known answers are the public fixtures of the
 * C typed suite (tests/typed/typed.c names their sources) under the test LMK.
 *
 *   java -cp cacipher-tass-compat.jar:classes tasscompat.TassCompatTest single CONFIG LOGDIR PREFIX
 *   ... failover CONFIG SECONDS THREADS STARTED_FILE     (three evsm; one is killed meanwhile)
 *   ... fallback CONFIG PREFIX      (-Dcacipher.compat.embedded=false -Djava.library.path=PREFIX/lib)
 *   ... pom POMFILE VERSION
 * Last line: {@code java-compat: N passed, M failed}.
 */
public final class TassCompatTest {
    static final String ZMK = "UE13D662B185F5F3B08594F89F1FF903A";
    static final String K_UNDER_ZMK = "XF7EADC2F5D816B05E754C72C084E2244";
    static final String K_KCV = "08D7B4FB629D0885";
    static final String PUB_ZPK_UNDER_ZMK = "X7BC09407A015F72FC59C32147D2AAE57";
    static final String PUB_ZPK = "U0B7C6F68A38FA3C2CB42C2991576A986";
    static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    static int passed, failed;

    interface Body {
        void run() throws Exception;
    }

    static synchronized void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.out.println("FAIL - " + what);
        }
    }

    static void eq(Object got, Object want, String what) {
        check(want == null ? got == null : want.equals(got), what + ": got " + got + ", want " + want);
    }

    /** Runs body, expects a TAException with code; returns it. */
    static TAException code(int want, Body body, String what) {
        try {
            body.run();
            check(false, what + ": no exception, want code " + want);
        } catch (TAException e) {
            check(e.getErrorCode() == want, what + ": code " + e.getErrorCode() + " (" + e.getMessage() + "), want " + want);
            return e;
        } catch (Exception | Error e) {
            check(false, what + ": " + e + ", want TAException " + want);
        }
        return null;
    }

    static void section(String name, Body body) {
        try {
            body.run();
        } catch (Exception | Error e) {
            check(false, name + ": " + e);
            e.printStackTrace(System.out);
        }
    }

    static String hex(byte[] b) {
        return Forms.byteToHexString(b);
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "single": single(args[1], args[2], args[3], args.length > 4 ? args[4] : null); break;
            case "failover": failover(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]); break;
            case "fallback": fallback(args[1], args[2]); break;
            case "pom": pom(args[1], args[2]); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        System.out.println("java-compat: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    // ---------------------------------------------------------------- single device

    static void single(String config, String logDir, String prefix, String port64) throws Exception {
        hsmGeneralFinance api = hsmGeneralFinance.getInstance(config);
        section("instances", () -> instances(api, config, logDir));
        section("configForms", () -> configForms(config, logDir, port64));
        section("forms", TassCompatTest::forms);
        section("exceptionForms", TassCompatTest::exceptionForms);
        section("driverTables", () -> driverTables(api));
        section("keys", () -> keys(api));
        section("hash", () -> hash(api));
        section("sm2", () -> sm2(api));
        section("rsa", () -> RsaCompat.run(api));
        section("oneIndexEachKind", () -> oneIndexEachKind(api));
        section("icData", () -> icData(api));
        section("feedbackModes", () -> feedbackModes(api));
        section("bigData", () -> bigData(api));
        section("icKeys", () -> icKeys(api));
        section("hostile", () -> hostile(api));
        section("replyTolerance", () -> replyTolerance(logDir));
        section("errors", () -> errors(api, logDir));
        section("threads", () -> threads(api));
        section("updateConfigure", () -> update(api, config));
        section("native", () -> nativeOrigin(prefix, true));
    }

    static void instances(hsmGeneralFinance api, String config, String logDir) throws Exception {
        check(hsmGeneralFinance.getInstance(config) == api, "getInstance: one instance per configuration");
        String inline = "{" + String.join(";", Files.readAllLines(Path.of(config))) + "}";
        hsmGeneralFinance other = hsmGeneralFinance.getInstance(inline);
        check(other != api, "the inline form is another configuration string: another instance");
        check(hsmGeneralFinance.getInstance(inline) == other, "inline: the same instance again");
        eq(other.genWorkKey("ZPK", 'U', 0, null).length, 2, "a call through the inline configuration");
        check(!(((Object) api) instanceof AutoCloseable), "the shared instance is not closeable");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(null), "getInstance(null)");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance("  "), "getInstance(blank)");
        code(TAException.CONFIG_FILE_READ_ERROR, () -> hsmGeneralFinance.getInstance(logDir + "/no-such.ini"), "a missing file");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + "}"),
             "a configuration without a host: no configuration information (-302)");
        eq(hsmGeneralFinance.maxBlockSize > 0, true, "maxBlockSize");
        // getInstance(String, String): (configuration, instance name)
        hsmGeneralFinance a1 = hsmGeneralFinance.getInstance(config, "payments");
        check(a1 != api, "a named instance is another instance than the unnamed one");
        check(hsmGeneralFinance.getInstance(config, "payments") == a1, "the same name and configuration: the same instance");
        check(hsmGeneralFinance.getInstance(config, "batch") != a1, "another name: another instance");
        check(hsmGeneralFinance.getInstance(inline, "payments") != a1, "the same name, another configuration: another instance");
        check(hsmGeneralFinance.getInstance(config, null) == api && hsmGeneralFinance.getInstance(config, "") == api,
              "a null or empty name: getInstance(cfg)");
        eq(a1.generateHASH(ABC).length, 32, "a call through a named instance");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(null, "x"), "getInstance(null, name)");
        code(TAException.BAD_PARAMETER_VALUE, () -> hsmGeneralFinance.getInstance(config, "tab\there"), "a name with a tab");
        code(TAException.BAD_PARAMETER_VALUE, () -> hsmGeneralFinance.getInstance(config, "n".repeat(65)), "a name of 65 characters");
        code(TAException.CONFIG_FILE_READ_ERROR, () -> hsmGeneralFinance.getInstance(logDir + "/no-such.ini", "x"), "a named instance of a missing file");
        // the run script sets TACFG_INTERFACE_J to the configuration file
        check(hsmGeneralFinance.getInstance() == api, "getInstance() uses TACFG_INTERFACE_J");
    }

    /** The port= of a configuration file (the run script's evsm). */
    static String portOf(String config) throws Exception {
        for (String l : Files.readAllLines(Path.of(config))) {
            String t = l.trim();
            if (t.toLowerCase(java.util.Locale.ROOT).startsWith("port=")) return t.substring(5).trim();
        }
        throw new IllegalStateException("no port= in " + config);
    }

    /** Spec section 8: the vendor's configuration forms, each opened and used for one call. */
    static void configForms(String config, String logDir, String port64) throws Exception {
        String port = portOf(config);
        String sm3 = "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0";
        // linkNum=0: the vendor's short-connection mode (TPL); was refused as a configuration error
        hsmGeneralFinance shortLinks = hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST 1];hsmModel=SJJ1310;host=127.0.0.1;port="
                + port + ";linkNum=0;timeout=3;msgheadlength=2}");
        for (int i = 0; i < 3; i++) eq(hex(shortLinks.generateHASH(ABC)), sm3, "linkNum=0 (short connections): call " + i);
        // the spec's inline example (section 2), on the local evsm
        hsmGeneralFinance example = hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + "/;[HOST 1];hsmModel=SJJ1310;host=127.0.0.1;port="
                + port + ";linkNum=-10;timeout=3;msgHeadLength=2;}");
        eq(hex(example.generateHASH(ABC)), sm3, "the spec's inline example");
        // a file in the vendor's style: comments, aligned "Key = Value" with tabs, names in any case, [HOST 1], ms timeouts
        Path f = Path.of(logDir, "vendor-style.ini");
        Files.writeString(f, "# cacipher.ini as the vendor documents it\n[logger]\n  LogSw = error,warn\nlogPath\t=\t" + logDir + "\n"
                + "\t# HSM 1\n[HOST 1]\nhsmModel = EVSM\nHOST = 127.0.0.1\nPort = " + port + "\nlinknum = -3\ntimeout = 3000ms\n"
                + "connTimeout = 2s\nmsgHeadLength = 2\nencodetype = 0\nsocketProtocol = TCP\nifHeart = yes\nmaxParallel = 8\n"
                + "[TLS]\nkeystorefile =\n");
        eq(hex(hsmGeneralFinance.getInstance(f.toString()).generateHASH(ABC)), sm3, "a vendor-style file");
        // msgHeadLength up to 64, the vendor jar's maximum (was refused above 32)
        code(TAException.INVALID_CONFIG_PARAMETER, () -> hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST 1];host=127.0.0.1;port="
                + port + ";msgheadlength=65}"), "msgheadlength=65: invalid configuration parameter (-306)");
        if (port64 != null) {
            hsmGeneralFinance h64 = hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST 1];host=127.0.0.1;port="
                    + port64 + ";linkNum=-2;timeout=3;msgheadlength=64}");
            eq(hex(h64.generateHASH(ABC)), sm3, "msgheadlength=64 against an HSM with a 64-byte header");
            eq(h64.genWorkKey("ZPK", 'U', 0, null).length, 2, "msgheadlength=64: A0");
        } else {
            check(false, "the run script passes the port of the evsm with a 64-byte header");
        }
    }

    static void forms() {
        eq(Forms.byteToHexString(new byte[] {0x01, (byte) 0xAB, (byte) 0xff}), "01ABFF", "byteToHexString upper-case");
        eq(Forms.byteToHexString(new byte[] {1, 2, 3}, 2), "0102", "byteToHexString(b, length)");
        eq(Forms.byteToHexString(new byte[] {1, 2, 3}, 1, 2), "0203", "byteToHexString(b, offset, length)");
        check(Arrays.equals(Forms.hexStringToByte("01abFF"), new byte[] {1, (byte) 0xAB, (byte) 0xFF}), "hexStringToByte");
        check(Arrays.equals(Forms.hexStringToByteArray(""), new byte[0]), "hexStringToByteArray empty");
        eq(Forms.bytes2int(Forms.int2bytes(0x12345678)), 0x12345678, "int2bytes/bytes2int");
        check(Arrays.equals(Forms.XOR(new byte[] {0x0F, 0x33}, new byte[] {(byte) 0xF0, 0x33}), new byte[] {(byte) 0xFF, 0}), "XOR");
        for (String bad : new String[] {"ABC", "0G", null}) {
            try {
                Forms.hexStringToByte(bad);
                check(false, "hexStringToByte(" + bad + ") throws");
            } catch (IllegalArgumentException e) {
                check(bad == null || !e.getMessage().contains(bad), "hexStringToByte(" + bad + "): IllegalArgumentException without the value");
            }
        }
        try {
            Forms.byteToHexString(new byte[2], 1, 5);
            check(false, "byteToHexString outside the array throws");
        } catch (IllegalArgumentException e) {
            check(true, "byteToHexString outside the array");
        }
    }

    /** TAException's constructors (message, error-code enum, cause) and the framework codes of spec section 5.2. */
    static void exceptionForms() {
        Object[][] table = {
            {0, "SUCCESS"}, {-100, "FAILED"}, {-101, "THREAD_CREATE_FAILED"}, {-102, "NULL_DATA"}, {-103, "NOT_INITIALIZED"},
            {-200, "QUEUE_ERROR"}, {-201, "QUEUE_EMPTY"}, {-202, "QUEUE_LOOKUP_FAILED"}, {-300, "CONFIG_ERROR"},
            {-301, "CONFIG_OBJECT_ERROR"}, {-302, "NO_CONFIG"}, {-303, "CONFIG_FILE_READ_ERROR"}, {-304, "BAD_CONFIG_FILE_NAME"},
            {-305, "UNSUPPORTED_DEVICE_MODEL"}, {-306, "INVALID_CONFIG_PARAMETER"}, {-400, "LOG_ERROR"}, {-401, "LOG_EMPTY"},
            {-402, "LOG_WRITE_FAILED"}, {-403, "LOG_UNKNOWN_CATEGORY"}, {-500, "SOCKET_ERROR"}, {-501, "SOCKET_CREATE_FAILED"},
            {-502, "CONNECT_FAILED"}, {-503, "TIMEOUT"}, {-504, "SOCKET_CONFIG_ERROR"}, {-505, "NOT_READY"}, {-506, "WRITE_FAILED"},
            {-507, "READ_FAILED"}, {-508, "NO_USABLE_DEVICE"}, {-509, "HOST_UNREACHABLE"}, {-600, "PARAMETER_ERROR"},
            {-601, "PARAMETER_NULL"}, {-602, "BAD_PARAMETER_VALUE"}, {-603, "BAD_PARAMETER_LENGTH"}, {-604, "UNSUPPORTED_ALGORITHM"},
            {-610, "CHECK_FAILED"}, {-999, "UNKNOWN_ERROR"}};
        eq(ErrorCodes.values().length, table.length, "ErrorCodes: one constant per code of section 5.2");
        for (Object[] row : table) {
            ErrorCodes c = ErrorCodes.valueOf((String) row[1]);
            eq(c.getCode(), row[0], "ErrorCodes." + row[1]);
            eq(ErrorCodes.of((Integer) row[0]), c, "ErrorCodes.of(" + row[0] + ")");
            TAException e = new TAException(c);
            eq(e.getErrorCode(), row[0], "new TAException(ErrorCodes." + row[1] + ").getErrorCode()");
            check(!e.getMessage().isEmpty() && e.toString().startsWith(" Error [" + row[0] + "] ,"), "TAException(ErrorCodes) toString: " + e);
        }
        eq(ErrorCodes.PARAMETER_NULL.getCode(), TAException.PARAMETER_NULL, "ErrorCodes and the int constants agree");
        eq(ErrorCodes.of(-1), null, "ErrorCodes.of a code the framework does not name");
        TAException m = new TAException(ErrorCodes.TIMEOUT, "waited 3 s");
        check(m.getErrorCode() == -503 && m.getMessage().equals("waited 3 s"), "TAException(ErrorCodes, message)");
        eq(new TAException((ErrorCodes) null).getErrorCode(), TAException.UNKNOWN_ERROR, "TAException(null ErrorCodes): unknown error, no NPE");
        TAException device = new TAException(15, "input data error");
        TAException wrapped = new TAException(device);
        check(wrapped.getCause() == device && wrapped.getErrorCode() == 15, "TAException(cause): keeps a TAException cause's code");
        IllegalStateException ise = new IllegalStateException("boom");
        TAException other = new TAException(ise);
        check(other.getCause() == ise && other.getErrorCode() == TAException.UNKNOWN_ERROR && other.getMessage().contains("boom"),
              "TAException(cause): another cause is -999 with the cause's text");
        check(new TAException((Throwable) null).getErrorCode() == TAException.UNKNOWN_ERROR, "TAException(null cause)");
        eq(new TAException("plain").getErrorCode(), TAException.UNKNOWN_ERROR, "TAException(message)");
    }

    /** The driver's tables (spec section 4.1, 4.2): the values and names the methods take. */
    static void driverTables(hsmGeneralFinance api) throws Exception {
        Object[][] pads = {{"PBOC2_ENC", 0}, {"PBOC2_MAC", 1}, {"ISO_9797_1_2", 1}, {"ANSI_X919", 2}, {"ISO_9797_1_1", 2},
                           {"ANSI_X923", 3}, {"PKCS_5", 4}, {"NONE", 5}, {"PBOC3_ENC", 16}};
        eq(SJJ1310.PaddingMode.values().length, pads.length, "PaddingMode: the spec's nine names");
        for (Object[] p : pads) eq(SJJ1310.PaddingMode.valueOf((String) p[0]).getValue(), p[1], "PaddingMode." + p[0]);
        String zek = api.importWorkKey(SJJ1310.KeyType.ZEK.name(), ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        byte[] msg = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        eq(hex(api.generalDataEnc(1, SJJ1310.KeyType.ZEK.getCode(), zek, null, 0, null, SJJ1310.PaddingMode.PKCS_5.getValue(), msg,
                                  "0102030405060708")),
           "DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8", "generalDataEnc with KeyType.ZEK and PaddingMode.PKCS_5: known answer");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalDataEnc(0, "ZEK", zek, null, 0, null, SJJ1310.PaddingMode.PBOC3_ENC.getValue(),
             msg, null), "PaddingMode.PBOC3_ENC: no published definition");
        String[][] types = {{"ZMK", "000"}, {"KEK", "000"}, {"ZPK", "001"}, {"PVK", "002"}, {"TPK", "002"}, {"TMK", "002"}, {"TAK", "003"},
                            {"BDK", "009"}, {"MK_AC", "109"}, {"MDK", "109"}, {"MK_SMI", "209"}, {"MK_SMC", "309"}, {"CVK", "402"},
                            {"MK_DAK", "409"}, {"MK_DN", "509"}, {"ZEK", "00A"}, {"HMAC", "10C"}, {"DEK", "00A"}, {"KMC", "011"},
                            {"ZAK", "008"}, {"TEK", "00B"}, {"EDK", "007"}};
        eq(SJJ1310.KeyType.values().length, types.length, "KeyType: the spec's 22 names");
        for (String[] t : types) {
            SJJ1310.KeyType k = SJJ1310.KeyType.valueOf(t[0]);
            eq(k.getCode(), t[1], "KeyType." + t[0]);
            // the name and the code reach the HSM as the same type: the same answer (a KCV or the same error code)
            String byName = importOutcome(api, k.name());
            check(!byName.equals("TAException " + TAException.BAD_PARAMETER_VALUE), "KeyType." + t[0] + ": the name is a key type here");
            eq(byName, importOutcome(api, k.getCode()), "KeyType." + t[0] + ": the name and the code are one type");
        }
        eq(importOutcome(api, SJJ1310.KeyType.MK_AC.name()), K_KCV, "KeyType.MK_AC imports K");
    }

    /** A6 of K under the test ZMK as {@code type}: its check value, or "TAException N". */
    static String importOutcome(hsmGeneralFinance api, String type) {
        try {
            return api.importWorkKey(type, ZMK, K_UNDER_ZMK, 'U', 0, null)[1];
        } catch (TAException e) {
            return "TAException " + e.getErrorCode();
        }
    }

    static void keys(hsmGeneralFinance api) throws Exception {
        // A6 known answer (published; tests/typed/typed.c), by name and by code
        String[] imp = api.importWorkKey("ZPK", ZMK, PUB_ZPK_UNDER_ZMK, 'U', 0, "");
        eq(imp[0], PUB_ZPK, "importWorkKey: published key under the LMK");
        check(imp[1].startsWith("DA24FF"), "importWorkKey: published KCV " + imp[1]);
        eq(api.importWorkKey("001", ZMK, PUB_ZPK_UNDER_ZMK, 'U', 0, null)[0], PUB_ZPK, "importWorkKey with the code 001");
        eq(api.importWorkKey("zpk", ZMK, K_UNDER_ZMK, 'U', 0, null)[1], K_KCV, "importWorkKey: K's KCV, lower-case type name");
        eq(api.importWorkKey("MK-AC", ZMK, K_UNDER_ZMK, 'U', 0, null)[1], K_KCV, "importWorkKey as MK-AC (109)");
        eq(api.importWorkKey("MDK", ZMK, K_UNDER_ZMK, 'X', 0, null)[1], K_KCV, "importWorkKey as MDK, X scheme");
        // A0 / A8 / A6 round trips
        String[] k = api.genWorkKey("ZPK", 'U', 0, null);
        eq(k.length, 2, "genWorkKey: [key, kcv]");
        check(k[0].startsWith("U") && k[0].length() == 33, "genWorkKey: a U key");
        String[] out = api.exportWorkKey("ZPK", ZMK, k[0], 'X');
        check(out[0].startsWith("X"), "exportWorkKey: X scheme under the ZMK");
        eq(out[1], k[1], "exportWorkKey: same KCV");
        String[] back = api.importWorkKey("ZPK", ZMK, out[0], 'U', 0, null);
        eq(back[0], k[0], "A0 -> A8 -> A6 gives the key back");
        String[] enc = api.genWorkKeyEnc("ZPK", 'U', ZMK, 0, "");
        eq(enc.length, 3, "genWorkKeyEnc: [lmk, zmk, kcv]");
        eq(api.importWorkKey("ZPK", ZMK, enc[1], 'U', 0, null)[0], enc[0], "genWorkKeyEnc: the ZMK copy imports to the LMK copy");
        String[] sm4 = api.genWorkKey("ZEK", 'R', 0, null);
        check(sm4[0].startsWith("R"), "genWorkKey SM4 ZEK");
        // Integer key indexes
        String[] zmk = api.genWorkKey("ZMK", 'U', 30, "zmk-30");
        String[] e30 = api.genWorkKeyEnc("00A", 'U', 30, 0, null);
        eq(api.importWorkKey("ZEK", 30, e30[1], 'U', 0, null)[0], e30[0], "Integer ZMK index: generate and import");
        eq(api.importWorkKey("ZEK", zmk[0], e30[1], 'U', 0, null)[0], e30[0], "the stored ZMK is the returned one");
        eq(api.exportWorkKey("ZEK", 30, e30[0], 'U')[0].length(), 33, "exportWorkKey with an Integer ZMK");
        api.genWorkKey("TAK", 'U', 31, "tak-31");
        eq(api.exportWorkKey("TAK", ZMK, Integer.valueOf(31), 'X')[0].length(), 33, "exportWorkKey of an Integer key index");
        String[] st = api.importWorkKey("ZPK", ZMK, K_UNDER_ZMK, 'U', 32, "zpk-32");
        eq(st[1], K_KCV, "importWorkKey stored at 32");
        // HSM errors: the device's code
        code(10, () -> api.importWorkKey("ZPK", PUB_ZPK, K_UNDER_ZMK, 'U', 0, null), "a ZPK as ZMK: HSM 10");
        code(12, () -> api.genWorkKeyEnc("ZPK", 'U', 9876, 0, null), "an empty index: HSM 12");
        // argument errors: framework codes, nothing sent
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("FOO", 'U', 0, null), "an unknown key type");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("ZPK", 'Q', 0, null), "an unknown scheme");
        code(TAException.PARAMETER_NULL, () -> api.genWorkKey(null, 'U', 0, null), "a null key type");
        code(TAException.PARAMETER_NULL, () -> api.genWorkKeyEnc("ZPK", 'U', null, 0, null), "a null ZMK");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKeyEnc("ZPK", 'U', 5L, 0, null), "a Long key");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKeyEnc("ZPK", 'U', 0, 0, null), "key index 0");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.exportWorkKey("ZPK", ZMK, "", 'U'), "an empty key");
        code(TAException.PARAMETER_NULL, () -> api.importWorkKey("ZPK", ZMK, null, 'U', 0, null), "a null keyUnderZmk");
        TAException e = code(TAException.BAD_PARAMETER_VALUE, () -> api.importWorkKey("ZPK", ZMK, "XNOTHEX", 'U', 0, null),
                             "bad hex: the library's E_INVALID_ARG");
        check(e != null && e.getMessage().contains("libcacipher -1"), "the message names the library code");
        check(e != null && e.toString().startsWith(" Error [-602] ,"), "toString as the vendor's: " + e);
        TAException h = code(10, () -> api.importWorkKey("ZPK", PUB_ZPK, K_UNDER_ZMK, 'U', 0, null), "HSM 10 again");
        check(h != null && h.toString().startsWith(" Error [10] ,") && h.isDeviceError(), "device error toString: " + h);
        check(h != null && !h.getMessage().contains(K_UNDER_ZMK.substring(1)), "no key in the message");
    }

    static void hash(hsmGeneralFinance api) throws Exception {
        eq(hex(api.generateHASH(ABC)), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0", "generateHASH(abc) = SM3");
        eq(hex(api.generateHASH(ABC, 20, new byte[0], null)), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0",
           "generateHASH(abc, 20, empty id, null)");
        eq(hex(api.generateHASH(ABC, 6, null, null)), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "SHA-256(abc)");
        eq(hex(api.generateHASH(ABC, 1, null, null)), "A9993E364706816ABA3E25717850C26C9CD0D89D", "SHA-1(abc)");
        eq(api.generateHASH(new byte[0], 8, null, null).length, 64, "SHA-512 size");
        eq(api.generateHASH(new byte[9999]).length, 32, "9999 bytes: one command");
        // Longer data (a file, as S3 hashes one): SM3 values of `openssl dgst -sm3` over n bytes 'a';
        // SHA-1 / SHA-256 of one million 'a' are the FIPS 180-2 test vectors. 9999 bytes go to the
        // HSM (3C), 10000 and more are digested in-process with OpenSSL: the same function.
        eq(hex(api.generateHASH(as(9999))), "7BD33B32F47261EE722E497C6618C6A378A574BE32808264B9DA3850AEDA6EDF", "SM3 of 9999 'a' (3C)");
        eq(hex(api.generateHASH(as(10000))), "8AD767FD3219A12D276510834399DD3801B29532ACF7AD19B83BC9F351F2AD01", "SM3 of 10000 'a' (beyond one 3C)");
        eq(hex(api.generateHASH(as(1_000_000))), "C8AAF89429554029E231941A2ACC0AD61FF2A5ACD8FADD25847A3A732B3B02C3", "SM3 of a million 'a'");
        eq(hex(api.generateHASH(as(1_000_000), 20, new byte[0], null)), "C8AAF89429554029E231941A2ACC0AD61FF2A5ACD8FADD25847A3A732B3B02C3",
           "generateHASH(million 'a', 20, empty id, null)");
        eq(hex(api.generateHASH(as(1_000_000), 6, null, null)), "CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0",
           "SHA-256 of a million 'a' (FIPS 180-2)");
        eq(hex(api.generateHASH(as(1_000_000), 1, null, null)), "34AA973CD4C4DAA4F61EEB2BDBAD27316534016F", "SHA-1 of a million 'a' (FIPS 180-2)");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generateHASH(as(20000), 99, null, null), "an unknown hash id over 9999 bytes");
        code(TAException.PARAMETER_NULL, () -> api.generateHASH(null, 6, null, null), "null data (4 arguments)");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generateHASH(ABC, 99, null, null), "an unknown hash id");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generateHASH(ABC, 20, "id".getBytes(StandardCharsets.US_ASCII), null),
             "a user id without a public key");
        code(TAException.PARAMETER_NULL, () -> api.generateHASH(null), "null data");
        ArrayList<byte[]> kp = api.generateSm2KeyPair(0, null);
        byte[] z1 = api.generateHASH(ABC, 20, new byte[0], kp.get(0));
        byte[] z2 = api.generateHASH(ABC, 20, "1234567812345678".getBytes(StandardCharsets.US_ASCII), kp.get(0));
        byte[] z3 = api.generateHASH(ABC, 20, "ALICE".getBytes(StandardCharsets.US_ASCII), kp.get(0));
        eq(z1.length, 32, "SM3 with Z");
        check(Arrays.equals(z1, z2), "empty user id = the default id");
        check(!Arrays.equals(z1, z3) && !hex(z1).startsWith("66C7F0F4"), "Z depends on the id and differs from the plain SM3");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generateHASH(ABC, 20, null, new byte[10]), "a bad public key");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.generateHASH(as(10000), 20, new byte[0], kp.get(0)), "SM3 with Z over 9999 bytes");
    }

    /** n bytes 'a'. */
    static byte[] as(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    static void sm2(hsmGeneralFinance api) throws Exception {
        ArrayList<byte[]> kp = api.generateSm2KeyPair(0, "");
        byte[] pub = kp.get(0), priv = kp.get(1);
        eq(pub.length, 91, "DER public key length");
        check(hex(pub).startsWith("3059301306072A8648CE3D020106082A811CCF5501822D03420004"), "DER SubjectPublicKeyInfo of sm2p256v1");
        eq(priv.length, 40, "private key under the LMK: 40 bytes");
        byte[] msg = "the message to protect".getBytes(StandardCharsets.US_ASCII);
        byte[] ct = api.SM2PublicKeyEnc(msg, pub);
        eq(ct.length, msg.length + 97, "C1 || C3 || C2");
        check(Arrays.equals(api.SM2PrivateKeyDec(ct, priv), msg), "SM2 round trip");
        byte[] bad = ct.clone();
        bad[bad.length - 1] ^= 1;
        code(15, () -> api.SM2PrivateKeyDec(bad, priv), "a changed ciphertext: HSM 15");
        byte[] uid = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
        byte[] s0 = api.genSM2Signature(uid, 0, msg, pub, priv);
        eq(s0.length, 64, "flag 0: r || s");
        check(api.verifySM2Signature(uid, 0, msg, s0, pub), "verify r || s");
        check(api.verifySM2Signature(new byte[0], 0, msg, s0, pub), "verify with the default id (empty)");
        check(!api.verifySM2Signature("other".getBytes(StandardCharsets.US_ASCII), 0, msg, s0, pub), "another id: false");
        check(!api.verifySM2Signature(uid, 0, Arrays.copyOf(msg, 5), s0, pub), "other data: false");
        byte[] s1 = api.genSM2Signature(new byte[0], 1, msg, null, priv);
        eq(s1[0], (byte) 0x30, "flag 1: DER SEQUENCE");
        check(api.verifySM2Signature(null, 1, msg, s1, pub), "verify DER");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genSM2Signature(uid, 2, msg, pub, priv), "flag 2");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.verifySM2Signature(uid, 0, msg, new byte[63], pub), "short r || s");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.verifySM2Signature(uid, 1, msg, s0, pub), "r || s where DER is expected");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.SM2PublicKeyEnc(msg, Arrays.copyOf(pub, 90)), "a cut DER key");
        code(TAException.PARAMETER_NULL, () -> api.SM2PublicKeyEnc(msg, null), "a null public key");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.SM2PublicKeyEnc(new byte[0], pub), "nothing to encrypt: the library's E_INVALID_ARG");
        ArrayList<byte[]> stored = api.generateSm2KeyPair(40, "sm2-40");
        byte[] s40 = api.genSM2Signature(null, 0, msg, stored.get(0), stored.get(1));
        check(api.verifySM2Signature(null, 0, msg, s40, stored.get(0)), "stored key pair signs");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generateSm2KeyPair(10000, null), "index out of range");
    }

    /**
     * The vendor's test program (spec S1) stores a symmetric key, an RSA pair and an SM2 pair
     * each at index 1 and then uses all three: the kinds have index spaces of their own.
     */
    static void oneIndexEachKind(hsmGeneralFinance api) throws Exception {
        int i = 60;
        byte[] data = "1234567890abcdef".getBytes(StandardCharsets.US_ASCII);
        String[] zek = api.genWorkKey("00A", 'X', i, "test");
        ArrayList<byte[]> rsa = api.genRSAKeyPair(2, 1024, 3, i, "RsaKeyPair");
        ArrayList<byte[]> sm2 = api.generateSm2KeyPair(i, "Sm2KeyPair");
        eq(hex(api.generalDataEnc(0, "00A", i, null, 0, null, 1, data, "1111111111111111")),
           hex(api.generalDataEnc(0, "00A", zek[0], null, 0, null, 1, data, null)), "the symmetric key at " + i + " after an RSA and an SM2 pair");
        eq(api.getKeyInfo(i).getCheckValue(), zek[1], "getKeyInfo(" + i + "): the symmetric key");
        eq(hex(api.getRSAPublicKey(i)), hex(rsa.get(0)), "the RSA pair at " + i + " after the SM2 pair");
        byte[] c = api.RsaPublicKeyEnc(1, data, i);
        check(Arrays.equals(api.RsaPrivateKeyDec(1, i, c), data), "RsaPublicKeyEnc / RsaPrivateKeyDec with the pair at " + i);
        byte[] sig = api.genRsaSignature(5, 1, data, i);
        check(api.verifyRsaSignature(5, 1, data, i, sig), "genRsaSignature / verifyRsaSignature with the pair at " + i);
        byte[] s2 = api.genSM2Signature(new byte[0], 1, data, sm2.get(0), sm2.get(1));
        check(api.verifySM2Signature(new byte[0], 1, data, s2, sm2.get(0)), "the SM2 pair stored at " + i + " signs");
        // S1's keys under an AES (L) ZMK: an X key generated under it, imported and exported back
        String[] zmkL = api.genWorkKey("ZMK", 'L', i + 2, "test");
        String[] enc = api.genWorkKeyEnc("000", 'X', i + 2, 0, "test2");
        eq(enc.length, 3, "genWorkKeyEnc of an X key under the L ZMK at " + (i + 2));
        String[] imp = api.importWorkKey("000", zmkL[0], enc[1], 'X', 0, "");
        eq(imp[0], enc[0], "importWorkKey of the X key under the L ZMK: the same key under the LMK");
        eq(imp[1], enc[2], "... and its check value");
        String[] mdk = api.genWorkKey("MDK", 'X', 0, null);
        String[] out = api.exportWorkKey("MDK", zmkL[0], mdk[0], 'X');
        eq(api.importWorkKey("MDK", i + 2, out[0], 'X', 0, "")[0], mdk[0], "exportWorkKey under the L ZMK, importWorkKey back (Integer ZMK)");
        // an index holding another kind only: the HSM's 27, as before
        api.genWorkKey("ZPK", 'U', i + 1, null);
        code(27, () -> api.getRSAPublicKey(i + 1), "an RSA index holding a symmetric key only: HSM 27");
    }

    // Fixtures as tests/typed/typed.c (test_ic_data, test_ic_keys), which names their sources.
    static final String IC_FACTOR = "1234567890123456EDCBA98765432109";
    static final String IC_ATC = "0000000000000012";

    static void icData(hsmGeneralFinance api) throws Exception {
        String zek = api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        String mdk = api.importWorkKey("MK_AC", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        String zak = api.importWorkKey("ZAK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        byte[] msg = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        byte[] c = api.generalDataEnc(1, "ZEK", zek, "", 0, "", 4, msg, "0102030405060708");
        eq(hex(c), "DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8", "generalDataEnc CBC PKCS#5 known answer");
        check(Arrays.equals(api.generalDataDec(1, "00A", zek, null, 0, null, 4, c, "0102030405060708"), msg), "generalDataDec back");
        byte[] plain = Forms.hexStringToByte("0123456789ABCDEF0123456789ABCDEF");
        byte[] d = api.generalDataEnc(0, "MDK", mdk, IC_FACTOR, 1, IC_ATC, 5, plain, "");
        eq(hex(d), "66E77B3EB1826A8C66E77B3EB1826A8C", "generalDataEnc with derivation and session key: known answer");
        check(Arrays.equals(api.generalDataDec(0, "MK-AC", mdk, IC_FACTOR, 1, IC_ATC, 5, d, null), plain), "derived: back");
        String all = hex("Now is the time for all ".getBytes(StandardCharsets.US_ASCII));
        eq(api.generalCalMAC(3, 8, "ZAK", zak, "", 0, "", 2, all, ""), "A1C72E74EA3FA9B6", "generalCalMAC alg 3 known answer");
        eq(api.generalCalMAC(3, 8, "ZAK", zak, IC_FACTOR, 1, IC_ATC, 1, all, "0102030405060708"), "BAD0042FB39ABC8A",
           "generalCalMAC with derivation, session key and IV: known answer");
        check(api.generalVerifyMAC(3, 8, "ZAK", zak, null, 0, null, 2, all, null, "a1c72e74ea3fa9b6"), "generalVerifyMAC: match");
        check(!api.generalVerifyMAC(3, 8, "ZAK", zak, null, 0, null, 2, all, null, "A1C72E74EA3FA9B7"), "generalVerifyMAC: no match");
        api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 33, "zek-33");
        eq(hex(api.generalDataEnc(1, "00A", 33, null, 0, null, 4, msg, "0102030405060708")), hex(c), "an Integer key index");
        code(27, () -> api.generalDataEnc(0, "ZAK", zak, null, 0, null, 4, msg, null), "a ZAK for data: HSM 27");
        code(15, () -> api.generalDataDec(0, "ZEK", zek, null, 0, null, 4, new byte[8], null), "bad padding: HSM 15");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalDataEnc(4, "ZEK", zek, null, 0, null, 4, msg, "0102030405060708"), "algType 4");
        for (int pf : new int[] {10, 11, 16}) {
            code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalDataEnc(0, "ZEK", zek, null, 0, null, pf, msg, null), "padFlag " + pf);
            code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalDataDec(1, "ZEK", zek, null, 0, null, pf, c, "0102030405060708"),
                 "padFlag " + pf + " (decrypt)");
            code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalCalMAC(3, 8, "ZAK", zak, null, 0, null, pf, all, null), "MAC padFlag " + pf);
            code(TAException.UNSUPPORTED_ALGORITHM, () -> api.bigDatageneralEnc(0, zek, pf, null, msg), "bigData padFlag " + pf);
        }
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalDataEnc(0, "ZEK", zek, null, 0, null, 6, msg, null), "padFlag 6");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.generalCalMAC(2, 8, "ZAK", zak, null, 0, null, 2, all, null), "MAC algType 2");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generalCalMAC(3, 8, "ZAK", zak, null, 0, null, 2, "XYZW", null), "inData not hex");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generalDataEnc(0, "ZEK", zek, "1234", 0, null, 4, msg, null),
             "a short derivation factor: the library's E_INVALID_ARG");
        code(TAException.PARAMETER_NULL, () -> api.generalDataEnc(0, "ZEK", zek, null, 0, null, 4, null, null), "null inData");
        code(TAException.PARAMETER_NULL, () -> api.generalCalMAC(3, 8, "ZAK", zak, null, 0, null, 2, null, null), "null MAC data");
    }

    // CFB (whole-block, CFB64 for 3DES) and OFB under K (clear 0123456789ABCDEFFEDCBA9876543210:
    // its CBC answer above is the ISO 9797-1 key's): values of `openssl enc -des-ede-cfb` /
    // `-des-ede-ofb -nopad -iv 0102030405060708` over the data (padded with 02 02 for PKCS#5),
    // the same as FeedbackCipherTests in HSMCrypto.
    static final String CFB_PKCS5 = "E6339CACB3ACD87CB664E4247EE9792D8836D125682C28AA";
    static final String OFB_PKCS5 = "E6339CACB3ACD87C8912E7C1C8C0F3580DE7B4A604ADA558";
    static final String CFB_NONE = "E6339CACB3ACD87CB664E4247EE9792D8836D125682C";
    static final String OFB_NONE = "E6339CACB3ACD87C8912E7C1C8C0F3580DE7B4A604AD";

    static void feedbackModes(hsmGeneralFinance api) throws Exception {
        String zek = api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        byte[] msg = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        String iv = "0102030405060708";
        byte[] c = api.generalDataEnc(2, "ZEK", zek, "", 0, "", 4, msg, iv);
        eq(hex(c), CFB_PKCS5, "generalDataEnc CFB PKCS#5 known answer");
        check(Arrays.equals(api.generalDataDec(2, "00A", zek, null, 0, null, 4, c, iv), msg), "generalDataDec CFB back");
        byte[] o = api.generalDataEnc(3, "ZEK", zek, null, 0, null, 4, msg, iv);
        eq(hex(o), OFB_PKCS5, "generalDataEnc OFB PKCS#5 known answer");
        check(Arrays.equals(api.generalDataDec(3, "ZEK", zek, null, 0, null, 4, o, iv), msg), "generalDataDec OFB back");
        eq(hex(api.generalDataEnc(2, "ZEK", zek, null, 0, null, 5, msg, iv)), CFB_NONE, "CFB without padding: 22 bytes, known answer");
        byte[] on = api.generalDataEnc(3, "ZEK", zek, null, 0, null, 5, msg, iv);
        eq(hex(on), OFB_NONE, "OFB without padding: 22 bytes, known answer");
        check(Arrays.equals(api.generalDataDec(3, "ZEK", zek, null, 0, null, 5, on, iv), msg), "OFB without padding back");
        api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 36, "zek-36");
        eq(hex(api.generalDataEnc(2, "ZEK", 36, null, 0, null, 4, msg, iv)), CFB_PKCS5, "CFB with an Integer key index");
        // SM4 (random key): CFB128 / OFB against the HSM's own ECB of the chaining blocks
        String sm4 = api.genWorkKey("ZEK", 'R', 0, null)[0];
        String iv32 = "000102030405060708090A0B0C0D0E0F";
        byte[] p = new byte[40];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (i * 7 + 1);
        byte[] cfb = api.generalDataEnc(2, "ZEK", sm4, null, 0, null, 5, p, iv32);
        byte[] ofb = api.generalDataEnc(3, "ZEK", sm4, null, 0, null, 5, p, iv32);
        eq(cfb.length, 40, "SM4 CFB without padding: as long as the data");
        byte[] fb = Forms.hexStringToByte(iv32), ob = fb.clone();
        boolean cfbOk = true, ofbOk = true;
        for (int at = 0; at < p.length; at += 16) {
            byte[] ecbF = api.generalDataEnc(0, "ZEK", sm4, null, 0, null, 5, fb, null);
            byte[] ecbO = api.generalDataEnc(0, "ZEK", sm4, null, 0, null, 5, ob, null);
            for (int i = 0; i < 16 && at + i < p.length; i++) {
                cfbOk &= cfb[at + i] == (byte) (p[at + i] ^ ecbF[i]);
                ofbOk &= ofb[at + i] == (byte) (p[at + i] ^ ecbO[i]);
            }
            fb = Arrays.copyOfRange(cfb, at, Math.min(at + 16, cfb.length));
            ob = ecbO;
        }
        check(cfbOk, "SM4 CFB: C(i) = P(i) XOR E(C(i-1)), E from the HSM's ECB");
        check(ofbOk, "SM4 OFB: C(i) = P(i) XOR O(i), O(i) = E(O(i-1))");
        check(Arrays.equals(api.generalDataDec(2, "ZEK", sm4, null, 0, null, 5, cfb, iv32), p), "SM4 CFB back");
        byte[] sp = api.generalDataEnc(3, "ZEK", sm4, null, 0, null, 4, p, iv32);
        eq(sp.length, 48, "SM4 OFB PKCS#5: whole 16-byte blocks");
        check(Arrays.equals(api.generalDataDec(3, "ZEK", sm4, null, 0, null, 4, sp, iv32), p), "SM4 OFB PKCS#5 back");
        // errors
        code(TAException.PARAMETER_NULL, () -> api.generalDataEnc(2, "ZEK", zek, null, 0, null, 4, msg, null), "CFB without IV (-601, as bigData)");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.generalDataEnc(3, "ZEK", zek, null, 0, null, 4, msg, iv32), "OFB with an SM4-size IV on a DES key (-603)");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.generalDataDec(2, "ZEK", zek, null, 0, null, 4, Arrays.copyOf(c, 23), iv),
             "CFB PKCS#5 cryptogram not whole blocks (-603)");
        code(15, () -> api.generalDataDec(3, "ZEK", zek, null, 0, null, 1, o, iv), "OFB: padding that does not check: HSM 15");
        code(27, () -> api.generalDataEnc(2, "ZAK", api.importWorkKey("ZAK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0], null, 0, null, 4, msg, iv),
             "CFB under a ZAK: HSM 27");
    }

    static void bigData(hsmGeneralFinance api) throws Exception {
        String zek = api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        byte[] data = new byte[10000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
        String iv = "0102030405060708";
        check(hsmGeneralFinance.maxBlockSize < data.length, "10000 bytes go in several packets");
        byte[] big = api.bigDatageneralEnc(1, zek, 4, iv, data);
        byte[] one = api.generalDataEnc(1, "ZEK", zek, null, 0, null, 4, data, iv);
        eq(hex(big), hex(one), "bigDatageneralEnc CBC in packets = one S3 over the whole");
        check(Arrays.equals(api.bigDatageneralDnc(1, zek, 4, iv, big), data), "bigDatageneralDnc CBC back");
        eq(hex(api.bigDatageneralEnc(0, zek, 4, null, data)), hex(api.generalDataEnc(0, "ZEK", zek, null, 0, null, 4, data, null)), "ECB in packets");
        String sm4 = api.genWorkKey("ZEK", 'R', 0, null)[0];
        String iv32 = "000102030405060708090A0B0C0D0E0F";
        byte[] b4 = api.bigDatageneralEnc(1, sm4, 4, iv32, data);
        eq(hex(b4), hex(api.generalDataEnc(1, "ZEK", sm4, null, 0, null, 4, data, iv32)), "SM4 CBC in packets");
        check(Arrays.equals(api.bigDatageneralDnc(1, sm4, 4, iv32, b4), data), "SM4 back");
        byte[] huge = new byte[70001];
        for (int i = 0; i < huge.length; i++) huge[i] = (byte) (i ^ (i >> 8));
        byte[] hc = api.bigDatageneralEnc(1, zek, 4, iv, huge);
        eq(hc.length, 70008, "70001 bytes: more than one command takes");
        check(Arrays.equals(api.bigDatageneralDnc(1, zek, 4, iv, hc), huge), "70001 bytes back");
        code(TAException.PARAMETER_NULL, () -> api.bigDatageneralEnc(1, zek, 4, null, data), "CBC without IV");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.bigDatageneralEnc(1, zek, 4, "0102", data), "a short IV");
        for (int mode = 2; mode <= 3; mode++) {
            String name = mode == 2 ? "CFB" : "OFB";
            for (String[] k : new String[][] {{zek, iv}, {sm4, iv32}}) {
                for (int pad : new int[] {4, 5}) {
                    byte[] in = pad == 5 ? Arrays.copyOf(data, 9999) : data;
                    byte[] b = api.bigDatageneralEnc(mode, k[0], pad, k[1], in);
                    eq(hex(b), hex(api.generalDataEnc(mode, "ZEK", k[0], null, 0, null, pad, in, k[1])),
                       "bigDatageneralEnc " + name + " pad " + pad + " (" + k[1].length() + "H IV) in packets = one S3");
                    check(Arrays.equals(api.bigDatageneralDnc(mode, k[0], pad, k[1], b), in), "bigDatageneralDnc " + name + " pad " + pad + " back");
                }
            }
        }
        byte[] hofb = api.bigDatageneralEnc(3, zek, 5, iv, huge);
        eq(hofb.length, 70001, "OFB 70001 bytes without padding");
        check(Arrays.equals(api.bigDatageneralDnc(3, zek, 5, iv, hofb), huge), "OFB 70001 bytes back");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.bigDatageneralEnc(4, zek, 4, iv, data), "algType 4");
        code(TAException.PARAMETER_NULL, () -> api.bigDatageneralEnc(2, zek, 4, null, data), "CFB without IV");
    }

    static void icKeys(hsmGeneralFinance api) throws Exception {
        String mdk = api.importWorkKey("MK_AC", ZMK, "XF7EADC2F5D816B05F7EADC2F5D816B05", 'U', 0, null)[0];
        String[] udk = api.diverAndGenNewKey("MK_AC", mdk, "MK_AC", 'U', 0, "1987654321098700", null, 34, "udk");
        check(udk[1].startsWith("0DA897"), "diverAndGenNewKey: published UDK check value " + udk[1]);
        eq(udk[0].length(), 33, "UDK key field");
        hsmGeneralFinance.SymmKeyAttribute info = api.getKeyInfo(34);
        eq(info.getKeyType(), "109", "getKeyInfo key type");
        eq(info.getKeyScheme(), 'U', "getKeyInfo scheme");
        eq(info.getCheckValue(), udk[1], "getKeyInfo check value");
        eq(info.getLabel(), "udk", "getKeyInfo label");
        eq(info.getTime().length(), 14, "getKeyInfo time");
        eq(info.getIndex(), 34, "getKeyInfo index");
        String[] e16 = api.diverAndGenNewKey("109", mdk, "109", 'U', 1, IC_FACTOR, "", 0, null);
        check(!e16[1].equals(udk[1]), "disperAlgType 1 derives another key");
        eq(api.diverAndGenNewKey("MDK", 34, "MDK", 'U', 0, "1987654321098700", null, 0, null)[1].length(), 16, "from an Integer index");
        code(12, () -> api.getKeyInfo(9876), "getKeyInfo of an empty index: HSM 12");
        code(27, () -> api.diverAndGenNewKey("ZPK", mdk, "ZPK", 'U', 0, "1987654321098700", null, 0, null), "KD from a ZPK: HSM 27");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.getKeyInfo(0), "getKeyInfo(0)");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.diverAndGenNewKey("MK_AC", mdk, "MK_AC", 'U', 5, "1987654321098700",
             "0000000000000000", 0, null), "disperAlgType 5 with an IV");
        code(TAException.PARAMETER_NULL, () -> api.diverAndGenNewKey("MK_AC", mdk, "MK_AC", 'U', 0, null, null, 0, null), "null factor");
    }

    /** Bad input from a caller: a clear TAException, never a crash, a hang or another exception. */
    // ---------------------------------------------------------------- reply tolerance (scripted peer)

    static final String SU = "U" + "AB".repeat(16);
    static final String SX = "X" + "CD".repeat(16);
    static volatile String scriptedTail = "";

    /** A scripted HSM connection: NC answered (so the member is admitted), every other command
     * with the reply code, 00, the command's usual fields and {@link #scriptedTail}. */
    static void scriptedServe(java.net.Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            java.io.OutputStream out = s.getOutputStream();
            while (true) {
                byte[] body = new byte[in.readUnsignedShort()];
                in.readFully(body);
                String cmd = new String(body, 0, 2, StandardCharsets.US_ASCII);
                String fields = switch (cmd) {
                    case "A0", "A6", "KD" -> SU;
                    case "A8" -> SX;
                    default -> "";
                };
                String reply = cmd.equals("NC") ? "ND00" + "08D7B4FB629D0885" + "REPLY-TOLERANCE-PEER    " + "SERIAL000001"
                        : cmd.charAt(0) + String.valueOf((char) (cmd.charAt(1) + 1)) + "00" + fields + scriptedTail;
                byte[] r = reply.getBytes(StandardCharsets.ISO_8859_1);
                out.write(new byte[] {(byte) (r.length >> 8), (byte) r.length});
                out.write(r);
                out.flush();
            }
        } catch (java.io.IOException e) {
            // closed by the client, or 5 s without a request
        }
    }

    interface KcvCall {
        String call(hsmGeneralFinance h) throws Exception;
    }

    /** Vendor spec 5.10 / Q7: the SDK's String[] results carry the KCV as the device sent it
     * (16H, 8H or 6H); another length is a failed read. */
    static void replyTolerance(String logDir) throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 8, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        java.net.Socket s = server.accept();
                        Thread t = new Thread(() -> scriptedServe(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            hsmGeneralFinance h = hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + ";[HOST 1];host=127.0.0.1;port="
                    + server.getLocalPort() + ";linkNum=-1;timeout=5}");
            List<String> names = List.of("genWorkKey", "importWorkKey", "exportWorkKey", "diverAndGenNewKey");
            List<KcvCall> calls = List.of(
                    a -> a.genWorkKey("00A", 'U', 0, "")[1],
                    a -> a.importWorkKey("001", SU, SX, 'U', 0, "")[1],
                    a -> a.exportWorkKey("001", SU, SU, 'X')[1],
                    a -> a.diverAndGenNewKey("109", SU, "109", 'U', 0, "1122334455667788", null, 0, "")[1]);
            for (String kcv : new String[] {"012345", "01234567", "0123456789ABCDEF"}) {
                scriptedTail = kcv;
                for (int i = 0; i < calls.size(); i++) eq(calls.get(i).call(h), kcv, names.get(i) + " with a " + kcv.length() + "H KCV");
            }
            for (String bad : new String[] {"", "0123", "0123456789", "0123456789ABCDEF01", "0123456G"}) {
                scriptedTail = bad;
                for (int i = 0; i < calls.size(); i++) {
                    KcvCall c = calls.get(i);
                    code(TAException.READ_FAILED, () -> c.call(h), names.get(i) + " with " + bad.length() + " KCV characters");
                }
            }
        }
    }

    static void hostile(hsmGeneralFinance api) throws Exception {
        byte[] msg = new byte[16];
        code(TAException.BAD_PARAMETER_VALUE, () -> api.exportWorkKey("ZPK", ZMK, "U0B7C6F68A38FA3C2\0CB42C2991576A98", 'U'), "a NUL in a key");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("ZPK", 'U', -1, null), "store index -1");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("ZPK", 'U', 10000, null), "store index 10000");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("ZPK", 'U', 35, "tab\there"), "a label with a tab");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("ZPK", 'U', 35, "x".repeat(100_000)), "a huge label");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("0ZZ", 'U', 0, null), "a key type code that is not hex");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genWorkKey("A01", 'U', 0, null), "a key type code out of range");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.SM2PrivateKeyDec(new byte[120], new byte[3]), "a 3-byte private key");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generalDataEnc(1, "ZEK", "U" + "0".repeat(32), null, 0, null, 4, msg, "01020304050607GG"),
             "an IV that is not hex");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generalDataEnc(0, "ZEK", "U" + "0".repeat(32), null, 9, null, 4, msg, null),
             "session mode 9");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.generalDataEnc(0, "ZEK", "U" + "0".repeat(32), null, 0, null, 4, new byte[60001], null),
             "60001 bytes in one S3 (-603)");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.getKeyInfo(-5), "getKeyInfo(-5)");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.generateSm2KeyPair(-1, null), "SM2 index -1");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.verifySM2Signature(null, 1, msg, new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x05, 0x01}, new byte[64]),
             "a DER signature with a lying length");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.generalCalMAC(3, 8, "ZAK", "U" + "0".repeat(32), null, 0, null, 2, "ABC", null), "odd hex");
    }

    static void errors(hsmGeneralFinance api, String logDir) throws Exception {
        // a closed port: the framework's "no usable device" (the library's all-down)
        hsmGeneralFinance dead = hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir
                + ";[HOST1];host=127.0.0.1;port=1;linkNum=-1;connTimeout=1;readTimeout=1;msgheadlength=2}");
        TAException e = null;
        try {
            dead.genWorkKey("ZPK", 'U', 0, null);
        } catch (TAException x) {
            e = x;
        }
        check(e != null && (e.getErrorCode() == TAException.NO_USABLE_DEVICE || e.getErrorCode() == TAException.CONNECT_FAILED),
              "unreachable HSM: " + (e == null ? "no error" : e.getErrorCode() + " " + e.getMessage()));
        check(e != null && !e.isDeviceError(), "not a device error");
    }

    static void threads(hsmGeneralFinance api) throws Exception {
        int n = 16, rounds = 20;
        AtomicInteger bad = new AtomicInteger();
        String zek = api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        String zak = api.importWorkKey("ZAK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        byte[] msg = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        String all = hex("Now is the time for all ".getBytes(StandardCharsets.US_ASCII));
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            ts.add(new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    try {
                        String[] k = api.genWorkKeyEnc("ZPK", 'U', ZMK, 0, null);
                        if (!api.importWorkKey("ZPK", ZMK, k[1], 'U', 0, null)[0].equals(k[0])) bad.incrementAndGet();
                        if (!hex(api.generateHASH(ABC)).startsWith("66C7F0F4")) bad.incrementAndGet();
                        // known answers: S3 CBC and CFB, S4 OFB back, S0 X9.19
                        if (!hex(api.generalDataEnc(1, "ZEK", zek, null, 0, null, 4, msg, "0102030405060708"))
                                .equals("DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8")) bad.incrementAndGet();
                        if (!hex(api.generalDataEnc(2, "ZEK", zek, null, 0, null, 4, msg, "0102030405060708")).equals(CFB_PKCS5)) bad.incrementAndGet();
                        if (!Arrays.equals(api.generalDataDec(3, "ZEK", zek, null, 0, null, 4, Forms.hexStringToByte(OFB_PKCS5), "0102030405060708"), msg)) {
                            bad.incrementAndGet();
                        }
                        if (!api.generalCalMAC(3, 8, "ZAK", zak, null, 0, null, 2, all, null).equals("A1C72E74EA3FA9B6")) bad.incrementAndGet();
                    } catch (TAException e) {
                        bad.incrementAndGet();
                        System.out.println("thread call failed: " + e);
                    }
                }
            }));
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join(120_000);
        eq(bad.get(), 0, "16 threads x " + rounds + " rounds on one instance (A0, A6, 3C, S3, S4, S0 with known answers): failed or wrong calls");
    }

    static void update(hsmGeneralFinance api, String config) throws Exception {
        check(!api.updateConfigure("{[LOGGER];logsw=error}"), "updateConfigure: a bad configuration is refused");
        check(!api.updateConfigure(null), "updateConfigure(null)");
        eq(api.genWorkKey("ZPK", 'U', 0, null).length, 2, "still works after a refused update");
        AtomicInteger bad = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        long end = System.nanoTime() + 1_500_000_000L;
        for (int t = 0; t < 4; t++) {
            ts.add(new Thread(() -> {
                while (System.nanoTime() < end && calls.get() < 20000) {
                    try {
                        api.generateHASH(ABC);
                        calls.incrementAndGet();
                    } catch (TAException e) {
                        bad.incrementAndGet();
                        System.out.println("call during updateConfigure failed: " + e);
                    }
                }
            }));
        }
        for (Thread t : ts) t.start();
        Thread.sleep(300);
        check(api.updateConfigure(config), "updateConfigure with a good configuration");
        Thread.sleep(300);
        check(api.updateConfigure("{" + String.join(";", Files.readAllLines(Path.of(config))) + "}"), "updateConfigure, inline form");
        for (Thread t : ts) t.join(60_000);
        eq(bad.get(), 0, "calls while the configuration is replaced (" + calls.get() + " calls): failed");
        check(hsmGeneralFinance.getInstance(config) == api, "the same instance after updateConfigure");
    }

    /** The mapped libcacipher*.so of this process: embedded (a deleted private copy) or from PREFIX/lib. */
    static void nativeOrigin(String prefix, boolean embedded) throws Exception {
        List<String> libs = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (l.contains("/libcacipher")) libs.add(l.substring(l.indexOf('/')));
        }
        check(libs.stream().anyMatch(l -> l.contains("libcacipher_jni.so")), "libcacipher_jni.so is mapped");
        check(libs.stream().anyMatch(l -> l.contains("libcacipher.so")), "libcacipher.so is mapped");
        String real = Path.of(prefix).toRealPath().toString();
        for (String l : new java.util.TreeSet<>(libs)) {
            if (embedded) {
                check(!l.startsWith(real) && l.endsWith("(deleted)"), "embedded copy, deleted after loading: " + l);
            } else {
                check(l.startsWith(real), "from java.library.path: " + l);
            }
        }
    }

    // ---------------------------------------------------------------- group of three, one killed

    static void failover(String config, int seconds, int threads, String startedFile) throws Exception {
        hsmGeneralFinance api = hsmGeneralFinance.getInstance(config);
        String zek = api.importWorkKey("ZEK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        String zak = api.importWorkKey("ZAK", ZMK, K_UNDER_ZMK, 'U', 0, null)[0];
        byte[] msg = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        String all = hex("Now is the time for all ".getBytes(StandardCharsets.US_ASCII));
        AtomicLong calls = new AtomicLong();
        AtomicInteger bad = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(new Thread(() -> {
                for (int i = 0; i < 100_000 && System.nanoTime() < end; i++) {
                    try {
                        String[] k = api.genWorkKeyEnc("ZPK", 'U', ZMK, 0, null);
                        calls.incrementAndGet();
                        if (!api.importWorkKey("ZPK", ZMK, k[1], 'U', 0, null)[0].equals(k[0])) bad.incrementAndGet();
                        calls.incrementAndGet();
                        if (!hex(api.generateHASH(ABC)).startsWith("66C7F0F4")) bad.incrementAndGet();
                        calls.incrementAndGet();
                        if (!hex(api.generalDataEnc(1, "ZEK", zek, null, 0, null, 4, msg, "0102030405060708"))
                                .equals("DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8")) bad.incrementAndGet();
                        calls.incrementAndGet();
                        if (!hex(api.generalDataEnc(3, "ZEK", zek, null, 0, null, 4, msg, "0102030405060708")).equals(OFB_PKCS5)) bad.incrementAndGet();
                        calls.incrementAndGet();
                        if (!api.generalCalMAC(3, 8, "ZAK", zak, null, 0, null, 2, all, null).equals("A1C72E74EA3FA9B6")) bad.incrementAndGet();
                        calls.incrementAndGet();
                    } catch (TAException e) {
                        bad.incrementAndGet();
                        System.out.println("failed call: " + e);
                    }
                }
            }));
        }
        for (Thread t : ts) t.start();
        for (int i = 0; i < 200 && calls.get() < 50; i++) Thread.sleep(10);
        Files.writeString(Path.of(startedFile), "started\n");
        for (Thread t : ts) t.join((seconds + 60) * 1000L);
        System.out.println("failover: " + calls.get() + " calls, " + bad.get() + " failed");
        check(calls.get() > 100, "calls were made (" + calls.get() + ")");
        eq(bad.get(), 0, "a member killed mid-run, " + threads + " threads: failed calls");
    }

    static void fallback(String config, String prefix) throws Exception {
        hsmGeneralFinance api = hsmGeneralFinance.getInstance(config);
        eq(hex(api.generateHASH(ABC)), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0", "SM3 through java.library.path");
        nativeOrigin(prefix, false);
    }

    static void pom(String file, String version) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(Path.of(file).toFile());
        eq(d.getDocumentElement().getLocalName(), "project", "pom: <project>");
        eq(text(d, "groupId"), "org.cacipher", "pom groupId");
        eq(text(d, "artifactId"), "cacipher-tass-compat", "pom artifactId");
        eq(text(d, "version"), version, "pom version");
        eq(text(d, "packaging"), "jar", "pom packaging");
    }

    static String text(Document d, String tag) {
        org.w3c.dom.NodeList l = d.getDocumentElement().getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (tag.equals(l.item(i).getLocalName())) return l.item(i).getTextContent().trim();
        }
        return null;
    }
}
