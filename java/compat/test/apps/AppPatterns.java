package apps;

import cn.tass.exceptions.TAException;
import cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance;
import cn.tass.kits.Forms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How real applications use the vendor's Java SDK, replayed against the compatibility jar (vendor
 * class names only, the jar alone on the classpath) and two {@code evsm --test-lmk} with the
 * vendor's default message header length 0 (the applications' configurations name none, or
 * {@code msgheadlength = 0}). Each section is one pattern of the vendor spec's sources (S1 the
 * vendor's own test program and its cacipher.ini, S2 the field encryptors of a Spring / MyBatis
 * service, S3 an RPM signing report), written anew; the pattern, not the code, carries over.
 *
 *   (cd WORKDIR/cwd && java -cp cacipher-tass-compat.jar:classes apps.AppPatterns PORT1 PORT2 LOGDIR JAR)
 *
 * The working directory must not hold a {@code log} directory (the {@code logPath=./log/}
 * pattern). Last line: {@code java-compat: N passed, M failed}.
 */
public final class AppPatterns {
    static final String SM3_ABC = "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0";
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

    /** Runs body, expects a TAException with code whose message contains every word of {@code mentions}. */
    static TAException code(int want, Body body, String what, String... mentions) {
        try {
            body.run();
            check(false, what + ": no exception, want code " + want);
        } catch (TAException e) {
            String m = String.valueOf(e.getMessage());
            boolean named = Arrays.stream(mentions).allMatch(m::contains);
            check(e.getErrorCode() == want && named, what + ": code " + e.getErrorCode() + " (" + m + "), want " + want
                  + (mentions.length > 0 ? " naming " + Arrays.toString(mentions) : ""));
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

    static String inline(String logDir, String hosts) {
        return "{[LOGGER];logsw=error;logPath=" + logDir + ";" + hosts + "}";
    }

    public static void main(String[] args) throws Exception {
        String p1 = args[0], p2 = args[1], logDir = args[2];
        section("propertiesConfig", () -> propertiesConfig(p1, p2, logDir));
        section("sharedKeyAtIndex", () -> sharedKeyAtIndex(p1, p2, logDir));
        section("fieldEncryption", () -> fieldEncryption(p1, p2, logDir));
        section("singletonRace", () -> singletonRace(p1, logDir));
        section("staticInit", () -> staticInit(logDir));
        section("vendorSampleFile", () -> vendorSampleFile(p1, logDir));
        section("rpmSigning", () -> rpmSigning(p1, logDir));
        section("configErrors", () -> configErrors(p1, logDir));
        section("relativeLogPath", () -> relativeLogPath(p1));
        section("exceptionWrapping", () -> exceptionWrapping(p1, logDir));
        section("argumentCodes", () -> argumentCodes(p1, logDir));
        section("webApplications", () -> webApplications(args[3], p1, logDir));
        System.out.println("java-compat: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    // ---------------------------------------------------------------- S2: configuration from properties

    static Properties props(String ip, String port, String logDir) {
        Properties p = new Properties();
        p.setProperty("hsm.ip", ip);
        p.setProperty("hsm.port", port);
        p.setProperty("hsm.keyType", "00A");
        p.setProperty("hsm.key", "11");
        p.setProperty("log.path", logDir + "/");
        return p;
    }

    /** One host, "ip:port,ip:port" (two devices) and "ip,ip" with the default port: each string opens and serves. */
    static void propertiesConfig(String p1, String p2, String logDir) throws Exception {
        String one = FieldEncryptor.configFor(props("127.0.0.1", p1, logDir));
        eq(one, "{[LOGGER];logsw=error;logPath=" + logDir + "/;[HOST 1];hsmModel=EHSM;host=127.0.0.1;linkNum=-10;timeout=3;port=" + p1 + ";}",
           "the assembled single-host string");
        eq(hex(hsmGeneralFinance.getInstance(one).generateHASH(ABC)), SM3_ABC, "a single [HOST 1] with hsmModel=EHSM and ';}'");
        String two = FieldEncryptor.configFor(props("127.0.0.1:" + p1 + ",127.0.0.1:" + p2, p1, logDir));
        check(two.contains("[HOST 2];hsmModel=EHSM;host=127.0.0.1;linkNum=-10;timeout=3;port=" + p2 + ";}"), "the two-host string: " + two);
        hsmGeneralFinance group = hsmGeneralFinance.getInstance(two);
        for (int i = 0; i < 6; i++) eq(hex(group.generateHASH(ABC)), SM3_ABC, "two [HOST n] from ip:port,ip:port: call " + i);
        Properties same = props("127.0.0.1,127.0.0.1", p1, logDir);
        same.setProperty("hsm.linkNum", "-3");
        String dup = FieldEncryptor.configFor(same);
        check(dup.contains("[HOST 2];hsmModel=EHSM;host=127.0.0.1;linkNum=-3;timeout=3;port=" + p1 + ";"), "ip,ip with the default port: " + dup);
        eq(hex(hsmGeneralFinance.getInstance(dup).generateHASH(ABC)), SM3_ABC, "two sections naming the same device");
    }

    /** A key type and an Integer index from the properties: the same SM4 ZEK at index 11 on both devices. */
    static void sharedKeyAtIndex(String p1, String p2, String logDir) throws Exception {
        hsmGeneralFinance d1 = hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];host=127.0.0.1;port=" + p1 + ";"));
        hsmGeneralFinance d2 = hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];host=127.0.0.1;port=" + p2 + ";"));
        String zmk = d1.genWorkKey("ZMK", 'R', 0, "")[0];
        String[] onOne = d1.genWorkKeyEnc("00A", 'R', zmk, 11, "field-key");
        eq(onOne.length, 3, "genWorkKeyEnc: [under LMK, under ZMK, KCV]");
        String[] onTwo = d2.importWorkKey("00A", zmk, onOne[1], 'R', 11, "field-key");
        eq(onTwo[1], onOne[2], "the key imported at index 11 on the second device has the first one's check value");
        for (hsmGeneralFinance d : new hsmGeneralFinance[] {d1, d2}) {
            hsmGeneralFinance.SymmKeyAttribute a = d.getKeyInfo(11);
            eq(a.getKeyType() + a.getKeyScheme() + a.getCheckValue(), "00AR" + onOne[2], "getKeyInfo(11)");
        }
    }

    /** S2's encrypt/decrypt of database fields through a two-device group, from 16 threads at once. */
    static void fieldEncryption(String p1, String p2, String logDir) throws Exception {
        FieldEncryptor enc = FieldEncryptor.get(props("127.0.0.1:" + p1 + ",127.0.0.1:" + p2, p1, logDir));
        check(FieldEncryptor.get(props("ignored", "1", logDir)) == enc, "the encryptor is built once");
        String[] values = {"zlyyh", "123456", "1234567890abcdef", "abcdefghijklmnop", "中文姓名 张三", "13800138000", "x".repeat(100)};
        List<String> want = new ArrayList<>();
        for (String v : values) {
            String c = enc.encrypt(v);
            want.add(c);
            check(c.matches("[0-9A-F]+"), "ciphertext is upper-case hex: " + v);
            int n = v.getBytes(StandardCharsets.UTF_8).length;
            eq(c.length(), (n / 16 + 1) * 32, "PKCS#5 on 16-byte blocks, a whole block on a multiple of 16: " + v);
            eq(enc.encrypt(v), c, "deterministic (ECB): " + v);
            eq(enc.decrypt(c), v, "round trip: " + v);
            eq(enc.decrypt(c.toLowerCase(java.util.Locale.ROOT)), v, "lower-case hex decrypts too: " + v);
        }
        // two 16-byte values end in the same padding block (16 x 0x10 under the key)
        eq(want.get(2).substring(32), want.get(3).substring(32), "the full padding block is the same for every 16-byte value");
        eq(enc.encrypt(""), "", "a blank value passes unchanged (the application's rule)");
        // each device alone gives the same ciphertext: index 11 holds the same key on both
        for (String port : new String[] {p1, p2}) {
            hsmGeneralFinance d = hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];host=127.0.0.1;port=" + port + ";"));
            eq(hex(d.generalDataEnc(0, "00A", 11, "", 0, "", 4, values[0].getBytes(StandardCharsets.UTF_8), "")), want.get(0),
               "the device on port " + port + " alone");
        }
        // the MyBatis interceptors: every request thread through the one instance
        int threads = 16, rounds = 40;
        AtomicInteger bad = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        int i = (id + r) % values.length;
                        String c = enc.encrypt(values[i]);
                        if (!c.equals(want.get(i)) || !values[i].equals(enc.decrypt(c))) bad.incrementAndGet();
                    }
                } catch (Exception e) {
                    bad.incrementAndGet();
                    System.out.println("thread " + id + ": " + e);
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) th.join(120_000);
        eq(bad.get(), 0, threads + " threads x " + rounds + " field encryptions on the shared instance, wrong or failed");
        check(ts.stream().noneMatch(Thread::isAlive), "the field-encryption threads finished");
    }

    /** 16 threads making the first getInstance of one string at once get one object. */
    static void singletonRace(String p1, String logDir) throws Exception {
        String cfg = inline(logDir, "[HOST 1];hsmModel=SJJ1310;host=127.0.0.1;port=" + p1 + ";linkNum=-4;timeout=3;");
        Set<hsmGeneralFinance> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    hsmGeneralFinance h = hsmGeneralFinance.getInstance(cfg);
                    seen.add(h);
                    if (!SM3_ABC.equals(hex(h.generateHASH(ABC)))) errors.incrementAndGet();
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) th.join(60_000);
        eq(seen.size(), 1, "instances seen by 16 threads racing to the first getInstance");
        eq(errors.get(), 0, "failed calls of the racing threads");
    }

    // ---------------------------------------------------------------- static initialisers

    /** The holder of S2's utility class: a static field set in a static block that catches TAException. */
    static final class Holder {
        static hsmGeneralFinance instance;
        static TAException failure;

        static void init(String cfg) {
            instance = null;
            failure = null;
            try {
                instance = hsmGeneralFinance.getInstance(cfg);
            } catch (TAException e) {
                failure = e;
            }
        }
    }

    /** An HSM that is down at start-up: getInstance succeeds (no connection is made), the first call fails fast and clearly. */
    static void staticInit(String logDir) throws Exception {
        Holder.init(inline(logDir, "[HOST 1];hsmModel=EHSM;host=127.0.0.1;linkNum=-10;timeout=2;port=1;"));
        check(Holder.instance != null && Holder.failure == null, "getInstance of an unreachable HSM opens (it connects on first use)");
        long t0 = System.nanoTime();
        String secret = "6222020200112233445";
        try {
            Holder.instance.generalDataEnc(0, "00A", 11, "", 0, "", 4, secret.getBytes(StandardCharsets.UTF_8), "");
            check(false, "a call to an unreachable HSM fails");
        } catch (TAException e) {
            IllegalArgumentException wrapped = new IllegalArgumentException(e);
            check(e.getErrorCode() == TAException.CONNECT_FAILED || e.getErrorCode() == TAException.NO_USABLE_DEVICE,
                  "unreachable HSM: -502 or -508, got " + e.getErrorCode() + " (" + e.getMessage() + ")");
            check(wrapped.getMessage().startsWith(" Error [" + e.getErrorCode() + "] ,"), "IllegalArgumentException(e) carries toString(): " + wrapped.getMessage());
            StringWriter trace = new StringWriter();
            wrapped.printStackTrace(new PrintWriter(trace));
            check(!trace.toString().contains(secret) && !trace.toString().contains(hex(secret.getBytes(StandardCharsets.UTF_8))),
                  "the logged stack trace holds no data");
        }
        check(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 30, "the failing call returned within its timeouts");
        Holder.init(inline(logDir, "[HOST 1];hsmModel=EHSM;linkNum=-10;timeout=3;port=8018;"));
        check(Holder.instance == null && Holder.failure != null && Holder.failure.getErrorCode() == TAException.NO_CONFIG,
              "a [HOST 1] without host=: the static block catches -302");
    }

    // ---------------------------------------------------------------- S1: the vendor's test program

    /** S1's cacipher.ini (tabs, linkNum = 1, logsw = error,info, no newline at the end) and its call sequence. */
    static void vendorSampleFile(String p1, String logDir) throws Exception {
        Path ini = Path.of(logDir, "s1-cacipher.ini");
        Files.writeString(ini, "[LOGGER]\nlogsw\t\t=\terror,info\nlogPath\t\t=\t" + logDir + "\n[HOST 1]\nhsmModel\t=\tSJJ1310\nlinkNum\t\t=\t1\n"
                + "host\t\t=\t127.0.0.1\nport\t\t=\t" + p1 + "\ntimeout\t\t=\t15\nencodetype\t=\t0\nmsgheadlength\t=\t0", StandardCharsets.UTF_8);
        hsmGeneralFinance hgf = hsmGeneralFinance.getInstance(ini.toString());
        byte[] mm = "000000Af".getBytes(StandardCharsets.US_ASCII);
        eq(hgf.genWorkKey("00A", 'X', 31, "test").length, 2, "genWorkKey(00A, X, 31)");
        eq(hgf.genRSAKeyPair(2, 1024, 3, 31, "RsaKeyPair").size(), 2, "genRSAKeyPair(2, 1024, 3, 31)");
        ArrayList<byte[]> sm2 = hgf.generateSm2KeyPair(31, "Sm2KeyPair");
        // ECB with padFlag 1 (80 00..) and an IV that ECB ignores; null derivation and session data
        byte[] enc = hgf.generalDataEnc(0, "00A", 31, null, 0, null, 1, mm, "1111111111111111");
        eq(enc.length, 16, "8 bytes under PBOC MAC padding: two DES blocks");
        eq(new String(hgf.generalDataDec(0, "00A", 31, null, 0, null, 1, enc, "1111111111111111"), StandardCharsets.US_ASCII), "000000Af",
           "generalDataDec removes the 80 00.. padding");
        byte[] rsaC = hgf.RsaPublicKeyEnc(1, mm, 31);
        eq(rsaC.length, 128, "RsaPublicKeyEnc: a 1024-bit ciphertext");
        check(Arrays.equals(hgf.RsaPrivateKeyDec(1, 31, rsaC), mm), "RsaPrivateKeyDec");
        byte[] sig = hgf.genRsaSignature(5, 1, mm, 31);
        check(hgf.verifyRsaSignature(5, 1, mm, 31, sig), "verifyRsaSignature with the index");
        String mdk = hgf.genWorkKey("MDK", 'X', 0, "")[0];
        String mac = hgf.generalCalMAC(1, 8, "MDK", mdk, "", 0, "", 4, "11223344556677889900", "1122334455667788");
        eq(mac.length(), 16, "generalCalMAC: 8 bytes as hex");
        check(hgf.generalVerifyMAC(1, 8, "MDK", mdk, "", 0, "", 4, "11223344556677889900", "1122334455667788", mac), "generalVerifyMAC");
        String zmk = hgf.genWorkKey("ZMK", 'X', 0, "")[0];
        String[] out = hgf.exportWorkKey("MDK", zmk, mdk, 'X');
        String lzmk = hgf.genWorkKey("ZMK", 'L', 0, "")[0];
        String[] zek = hgf.genWorkKeyEnc("00A", 'X', lzmk, 0, "");
        String[] in = hgf.importWorkKey("00A", lzmk, zek[1], 'X', 0, "");
        eq(in[1], zek[2], "importWorkKey of an X key under an L ZMK: its check value");
        eq(out.length, 2, "exportWorkKey: [under ZMK, KCV]");
        // S1 derives from a 00A key; evsm derives only from 000 / x09 parents (docs/wire.md, KD), so an MDK here
        String[] div = hgf.diverAndGenNewKey("MDK", mdk, "209", 'X', 0, "1122334455667788", null, 0, "");
        check(div[0].startsWith("X") && div[1].length() >= 6, "diverAndGenNewKey: an X key and its check value");
        byte[] c = hgf.SM2PublicKeyEnc(mm, sm2.get(0));
        check(Arrays.equals(hgf.SM2PrivateKeyDec(c, sm2.get(1)), mm), "SM2PublicKeyEnc / SM2PrivateKeyDec with the pair's DER key and LMK blob");
        byte[] s = hgf.genSM2Signature(new byte[0], 1, mm, sm2.get(0), sm2.get(1));
        check(hgf.verifySM2Signature(new byte[0], 1, mm, s, sm2.get(0)), "genSM2Signature / verifySM2Signature (userID new byte[0], flag 1)");
        byte[] a = ("1千秒衡补伴匠颅龄菊映己".repeat(300)).getBytes(StandardCharsets.UTF_8);
        check(Arrays.equals(hgf.generateHASH(a, 20, new byte[0], null), hgf.generateHASH(a)), "generateHASH(data, 20, new byte[0], null) is SM3");
        String y = hgf.genWorkKey("00A", 'Y', 0, "")[0];
        byte[] big = hgf.bigDatageneralEnc(1, y, 3, "1111111111111111", a);
        check(Arrays.equals(hgf.bigDatageneralDnc(1, y, 3, "1111111111111111", big), a), "bigDatageneralEnc / Dnc, CBC X9.23 with a Y key");
        String[] l = hgf.genWorkKey("ZMK", 'L', 32, "test");
        String[] e = hgf.genWorkKeyEnc("000", 'X', 32, 0, "test2");
        check(l.length == 2 && e.length == 3, "genWorkKey(ZMK, L, 32) then genWorkKeyEnc(000, X, 32 as the ZMK index)");
    }

    // ---------------------------------------------------------------- S3: signing a file

    /** The DER PKCS#1 RSAPublicKey (SEQUENCE { n, e }) as a java.security key. */
    static PublicKey rsaKey(byte[] der) throws Exception {
        int[] at = {0};
        readHeader(der, at, 0x30);
        int len = readHeader(der, at, 0x02);
        BigInteger n = new BigInteger(1, Arrays.copyOfRange(der, at[0], at[0] + len));
        at[0] += len;
        len = readHeader(der, at, 0x02);
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(der, at[0], at[0] + len));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    /** Reads a DER tag (must be {@code tag}) and length at at[0]; leaves at[0] on the content and returns its length. */
    static int readHeader(byte[] d, int[] at, int tag) {
        if ((d[at[0]++] & 0xFF) != tag) throw new IllegalArgumentException("DER: tag");
        int len = d[at[0]++] & 0xFF;
        if (len >= 0x80) {
            int k = len & 0x7F;
            len = 0;
            for (int i = 0; i < k; i++) len = len << 8 | (d[at[0]++] & 0xFF);
        }
        return len;
    }

    /** S3: SM3 of a file read with Files.readAllBytes, signed with the pair at an index, checked with the exported key. */
    static void rpmSigning(String p1, String logDir) throws Exception {
        code(TAException.CONFIG_FILE_READ_ERROR, () -> hsmGeneralFinance.getInstance("D:\\cacipher.ini"), "a Windows path on Linux", "D:\\cacipher.ini");
        Path ini = Path.of(logDir, "s3-cacipher.ini");
        Files.writeString(ini, "[LOGGER]\nlogsw\t\t\t\t=\t\t\terror\nlogPath\t\t\t\t=\t\t\t./\n[HOST 1]\nhsmModel\t\t\t=\t\t\tSJJ1310\n"
                + "linkNum\t\t\t\t=\t\t\t-3\nhost\t\t\t\t=\t\t\t127.0.0.1\nport\t\t\t\t=\t\t\t" + p1 + "\ntimeout\t\t\t\t=\t\t\t3\n"
                + "encodetype\t\t\t=\t\t\t0\nmsgheadlength\t\t\t=\t\t\t0\n", StandardCharsets.UTF_8);
        hsmGeneralFinance hsm = hsmGeneralFinance.getInstance(ini.toString());
        ArrayList<byte[]> rsa = hsm.genRSAKeyPair(0, 2048, 65537, 41, "RsaKeyPair-1");
        eq(rsa.size(), 2, "genRSAKeyPair(0, 2048, 65537, 41)");
        Path rpm = Path.of(logDir, "CUnit-2.1.3-21.oe1.src.rpm");
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 31 + (i >> 8));
        Files.write(rpm, content);
        byte[] fileData = Files.readAllBytes(rpm);
        byte[] digest = hsm.generateHASH(fileData);
        eq(digest.length, 32, "the SM3 digest of a 300000-byte file");
        eq(hex(hsm.generateHASH(fileData)), hex(digest), "the digest again");
        byte[] sig = hsm.genRsaSignature(5, 1, digest, 41);
        eq(sig.length, 256, "genRsaSignature(5, 1, digest, 41): 2048 bits");
        byte[] publicKey = hsm.getRSAPublicKey(41);
        check(Arrays.equals(publicKey, rsa.get(0)), "getRSAPublicKey(41) is the generated pair's public key");
        check(hsm.verifyRsaSignature(5, 1, digest, publicKey, sig), "verifyRsaSignature with the exported key");
        Signature v = Signature.getInstance("SHA224withRSA");
        v.initVerify(rsaKey(publicKey));
        v.update(digest);
        check(v.verify(sig), "java.security verifies it as SHA-224 with RSA over the digest (hashFlag 5)");
        byte[] other = digest.clone();
        other[0] ^= 1;
        check(!hsm.verifyRsaSignature(5, 1, other, publicKey, sig), "another digest does not verify");
    }

    // ---------------------------------------------------------------- servlet containers

    /**
     * Several web applications in one container, each with the jar in its own WEB-INF/lib: each
     * gets its own class loader, hence its own copy of the SDK classes and of the native
     * libraries, and each works (three loaders, the same configuration string in each).
     */
    static void webApplications(String jar, String p1, String logDir) throws Exception {
        String cfg = inline(logDir, "[HOST 1];hsmModel=EHSM;host=127.0.0.1;linkNum=-10;timeout=3;port=" + p1 + ";");
        List<Class<?>> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            URLClassLoader webapp = new URLClassLoader("webapp" + i, new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> api = Class.forName("cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance", true, webapp);
            check(api.getClassLoader() == webapp && !seen.contains(api), "web application " + i + " has its own hsmGeneralFinance class");
            seen.add(api);
            Object h = api.getMethod("getInstance", String.class).invoke(null, cfg);
            byte[] d = (byte[]) api.getMethod("generateHASH", byte[].class).invoke(h, (Object) ABC);
            eq(hex(d), SM3_ABC, "a call in web application " + i);
        }
        eq(hex(hsmGeneralFinance.getInstance(cfg).generateHASH(ABC)), SM3_ABC, "the application class loader's copy beside them");
    }

    // ---------------------------------------------------------------- configuration errors (spec 5.2)

    static void configErrors(String p1, String logDir) throws Exception {
        String host = "[HOST 1];hsmModel=SJJ1310;host=127.0.0.1;port=" + p1 + ";";
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(""), "an empty configuration");
        code(TAException.CONFIG_FILE_READ_ERROR, () -> hsmGeneralFinance.getInstance(logDir + "/missing/cacipher.ini"), "a missing file", "cacipher.ini");
        code(TAException.BAD_CONFIG_FILE_NAME, () -> hsmGeneralFinance.getInstance(logDir), "a directory as the file", "directory");
        code(TAException.BAD_CONFIG_FILE_NAME, () -> hsmGeneralFinance.getInstance(logDir + "/a\0.ini"), "a NUL in the file name");
        code(TAException.CONFIG_OBJECT_ERROR, () -> hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1;host=127.0.0.1;port=" + p1)),
             "a section header without ']'", "]");
        code(TAException.CONFIG_OBJECT_ERROR, () -> hsmGeneralFinance.getInstance(inline(logDir, host + "timeout 3")), "a line without '='", "timeout 3");
        code(TAException.CONFIG_OBJECT_ERROR, () -> hsmGeneralFinance.getInstance(inline(logDir, host + "=3")), "a value without a key", "=3");
        Path f = Path.of(logDir, "syntax.ini");
        Files.writeString(f, "[LOGGER]\nlogsw = error\nlogPath = " + logDir + "\n[HOST 1]\nhost = 127.0.0.1\nport = " + p1 + "\nthis is not a setting\n");
        code(TAException.CONFIG_OBJECT_ERROR, () -> hsmGeneralFinance.getInstance(f.toString()), "a file with a stray line", "line 7");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(inline(logDir, "")), "no [HOST n] section", "no host");
        Path empty = Path.of(logDir, "empty.ini");
        Files.writeString(empty, "# cacipher.ini\n\n# [HOST 1]\n# host = 10.0.0.1\n");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(empty.toString()), "a file of comments only", "no host");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(inline(logDir, "[HOST 2];host=127.0.0.1;port=" + p1)),
             "the numbering starts at 2 (read until it breaks: no host)", "no host");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];hsmModel=EHSM;port=" + p1)), "no host=", "host=");
        code(TAException.NO_CONFIG, () -> hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];host=127.0.0.1")), "no port=", "port=");
        String[][] values = {
            {"port=abc", "port"}, {"port=70000", "port"}, {"port=0", "port"}, {"linkNum=many", "linkNum"}, {"timeout=-1", "timeout"},
            {"timeout=3x", "timeout"}, {"msgheadlength=65", "msgheadlength"}, {"socketProtocol=FTP", "socketProtocol"},
            {"encodetype=x", "encodetype"},
        };
        for (String[] v : values) {
            String cfg = v[0].startsWith("port=") ? "[HOST 1];host=127.0.0.1;" + v[0] : host + v[0];
            code(TAException.INVALID_CONFIG_PARAMETER, () -> hsmGeneralFinance.getInstance(inline(logDir, cfg)), v[0], v[1]);
        }
        code(TAException.UNSUPPORTED_DEVICE_MODEL, () -> hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];hsmModel=ACME9000;host=127.0.0.1;port=" + p1)),
             "an unknown hsmModel", "ACME9000");
        code(TAException.UNSUPPORTED_DEVICE_MODEL, () -> hsmGeneralFinance.getInstance(inline(logDir, host + "[HOST 2];hsmModel=NOPE;host=127.0.0.1;port=" + p1)),
             "an unknown hsmModel on the second device", "HOST 2", "NOPE");
        for (String model : new String[] {"SJJ1310", "EHSM", "EVSM", "ehsm", "GHSM", "GVSM", "SJJ19151"}) {
            eq(hex(hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];hsmModel=" + model + ";host=127.0.0.1;port=" + p1)).generateHASH(ABC)),
               SM3_ABC, "hsmModel=" + model);
        }
        code(TAException.LOG_UNKNOWN_CATEGORY, () -> hsmGeneralFinance.getInstance("{[LOGGER];logsw=error,verbose;logPath=" + logDir + ";" + host + "}"),
             "an unknown log category", "verbose");
        code(TAException.LOG_ERROR, () -> hsmGeneralFinance.getInstance("{[LOGGER];logsw=error;logPath=" + logDir + "/no-such-dir;" + host + "}"),
             "a log directory that does not exist", "no-such-dir", "logPath");
        // updateConfigure keeps the old configuration on any of these
        hsmGeneralFinance live = hsmGeneralFinance.getInstance(inline(logDir, host + "linkNum=-2;"));
        check(!live.updateConfigure(inline(logDir, "[HOST 1];host=127.0.0.1;port=abc")), "updateConfigure with a bad port: false");
        check(!live.updateConfigure(inline(logDir, "[HOST 1];hsmModel=ACME9000;host=127.0.0.1;port=" + p1)), "updateConfigure with an unknown model: false");
        eq(hex(live.generateHASH(ABC)), SM3_ABC, "the old configuration still serves");
    }

    /** S2's logPath=./log/, relative to the working directory: it must exist (spec 8.2); then the string opens as written. */
    static void relativeLogPath(String p1) throws Exception {
        String s2 = "{[LOGGER];logsw=error;logPath=./log/;[HOST 1];hsmModel=EHSM;host=127.0.0.1;linkNum=-10;timeout=3;port=" + p1 + ";}";
        check(!Files.exists(Path.of("log")), "the working directory has no log directory yet");
        code(TAException.LOG_ERROR, () -> hsmGeneralFinance.getInstance(s2), "logPath=./log/ that does not exist", "./log/", "does not exist");
        check(!Files.exists(Path.of("log")), "nothing was created");
        Files.createDirectory(Path.of("log"));
        eq(hex(hsmGeneralFinance.getInstance(s2).generateHASH(ABC)), SM3_ABC, "the same string once ./log/ exists");
    }

    /** What an application's catch block sees: the HSM's two-digit code, the vendor's toString, no data in the text. */
    static void exceptionWrapping(String p1, String logDir) throws Exception {
        hsmGeneralFinance hsm = hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];hsmModel=EHSM;host=127.0.0.1;port=" + p1 + ";"));
        byte[] data = "13800138000".getBytes(StandardCharsets.UTF_8);
        try {
            hsm.generalDataEnc(0, "00A", 999, "", 0, "", 4, data, "");
            check(false, "a key index with no key fails");
        } catch (TAException e) {
            check(e.isDeviceError() && e.getErrorCode() == 12, "no key at the index: the HSM's 12, got " + e.getErrorCode());
            RuntimeException wrapped = new IllegalArgumentException(e);
            check(wrapped.getMessage().startsWith(" Error [12] ,"), "wrapped: " + wrapped.getMessage());
            check(wrapped.getCause() == e && ((TAException) wrapped.getCause()).getErrorCode() == 12, "the cause keeps its code");
            check(!String.valueOf(e.getMessage()).contains(hex(data)) && !String.valueOf(e.getMessage()).contains("13800138000"), "no data in the message");
        }
        code(TAException.PARAMETER_NULL, () -> hsm.generalDataEnc(0, "00A", null, "", 0, "", 4, data, ""), "a key from an unset property (null)", "srcKey");
        code(TAException.BAD_PARAMETER_VALUE, () -> hsm.generalDataEnc(0, "00A", 11L, "", 0, "", 4, data, ""), "a Long key index", "Integer");
    }

    /**
     * The failures a field encryptor meets, with the codes of spec 5.2: a stored value that is not a
     * cryptogram (legacy clear text that happens to be hex), an empty or oversized value, a CBC call
     * without its IV: -603 for lengths, -601 for a missing IV, before anything is sent.
     */
    static void argumentCodes(String p1, String logDir) throws Exception {
        hsmGeneralFinance hsm = hsmGeneralFinance.getInstance(inline(logDir, "[HOST 1];hsmModel=EHSM;host=127.0.0.1;port=" + p1 + ";"));
        String des = hsm.genWorkKey("00A", 'X', 0, "")[0];
        String sm4 = hsm.genWorkKey("00A", 'R', 0, "")[0];
        byte[] three = Forms.hexStringToByte("123456");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataDec(0, "00A", 11, "", 0, "", 4, three, ""),
             "decrypting a 3-byte value (not a cryptogram)", "inData", "blocks");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataDec(0, "00A", sm4, "", 0, "", 4, new byte[8], ""),
             "8 bytes under an SM4 key", "16-byte");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataEnc(0, "00A", 11, "", 0, "", 4, new byte[0], ""), "an empty value", "inData");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataEnc(0, "00A", des, "", 0, "", 4, new byte[60001], ""), "60001 bytes", "60000");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataEnc(0, "00A", des, "", 0, "", 5, new byte[3], ""),
             "ECB without padding of 3 bytes", "blocks");
        code(TAException.PARAMETER_NULL, () -> hsm.generalDataEnc(1, "00A", des, "", 0, "", 4, new byte[3], ""), "CBC without an IV", "IV");
        code(TAException.PARAMETER_NULL, () -> hsm.generalDataDec(1, "00A", 11, null, 0, null, 4, new byte[16], null), "CBC decrypt, IV null", "IV");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataEnc(1, "00A", des, "", 0, "", 4, new byte[3], "00112233445566778899AABBCCDDEEFF"),
             "an SM4-size IV on a DES key", "IV");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalDataEnc(1, "00A", 11, "", 0, "", 4, new byte[3], "0011"), "a 4-hex IV", "IV");
        code(TAException.BAD_PARAMETER_LENGTH, () -> hsm.generalCalMAC(1, 8, "ZAK", hsm.genWorkKey("ZAK", 'X', 0, "")[0], "", 0, "", 1, "", ""),
             "a MAC over no data", "inData");
        // what still goes through: ECB ignores an IV (S1), CFB / OFB without padding take any length
        byte[] s = hsm.generalDataEnc(0, "00A", des, null, 0, null, 1, three, "1111111111111111");
        check(Arrays.equals(hsm.generalDataDec(0, "00A", des, null, 0, null, 1, s, "1111111111111111"), three), "ECB with an IV given");
        byte[] o = hsm.generalDataEnc(3, "00A", des, null, 0, null, 5, three, "0102030405060708");
        eq(o.length, 3, "OFB without padding: 3 bytes in, 3 out");
        check(Arrays.equals(hsm.generalDataDec(3, "00A", des, null, 0, null, 5, o, "0102030405060708"), three), "OFB back");
    }
}
