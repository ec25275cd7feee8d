package org.cacipher.test;

import static org.cacipher.test.CACipherTest.HEX;
import static org.cacipher.test.CACipherTest.check;
import static org.cacipher.test.CACipherTest.code;
import static org.cacipher.test.CACipherTest.eq;
import static org.cacipher.test.CACipherTest.hsm;
import static org.cacipher.test.CACipherTest.npe;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;

import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.HashAlgorithm;
import org.cacipher.KeyScheme;
import org.cacipher.KeyType;
import org.cacipher.RsaEncryptionPadding;
import org.cacipher.RsaKeyPair;
import org.cacipher.RsaKeyUsage;
import org.cacipher.RsaSignaturePadding;
import org.cacipher.Sm2KeyPair;

/**
 * The RSA calls of org.cacipher.CACipher (EI ER EW EY 3A 3B) against evsm, cross-checked
 * with the JDK's own RSA (java.security / javax.crypto, an implementation independent of
 * OpenSSL): HSM signatures verified by Java with the exported public key, Java signatures
 * verified by the HSM with Java's public key, Java ciphertexts decrypted by the HSM and HSM
 * ciphertexts decrypted by Java; HSM codes for wrong key types and oversize data; argument
 * errors and nulls. Run from {@link CACipherTest#main}.
 */
final class RsaTest {
    private RsaTest() {
    }

    static final byte[] MSG = "RSA through the Java binding".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SPKI_RSA_ALGORITHM = HEX.parseHex("300D06092A864886F70D0101010500");   // rsaEncryption, NULL

    // ---------------------------------------------------------------- DER helpers (test side)

    static byte[] derLength(int n) {
        if (n < 0x80) return new byte[] {(byte) n};
        if (n < 0x100) return new byte[] {(byte) 0x81, (byte) n};
        return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** The HSM's DER RSAPublicKey (hex) as a java.security key (wrapped in SubjectPublicKeyInfo). */
    static RSAPublicKey javaKey(String pkcs1Hex) throws Exception {
        byte[] spki = tlv(0x30, SPKI_RSA_ALGORITHM, tlv(0x03, new byte[] {0}, HEX.parseHex(pkcs1Hex)));
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** A java.security RSA public key as the hex DER RSAPublicKey the HSM takes. */
    static String hsmKey(PublicKey k) {
        RSAPublicKey r = (RSAPublicKey) k;
        return HEX.formatHex(tlv(0x30, tlv(0x02, r.getModulus().toByteArray()), tlv(0x02, r.getPublicExponent().toByteArray())));
    }

    static PSSParameterSpec pss(String hash, MGF1ParameterSpec mgf, int saltLength) {
        return new PSSParameterSpec(hash, "MGF1", mgf, saltLength, 1);
    }

    static boolean javaVerify(String algorithm, PSSParameterSpec params, PublicKey k, byte[] data, String signatureHex) throws Exception {
        Signature v = Signature.getInstance(algorithm);
        if (params != null) v.setParameter(params);
        v.initVerify(k);
        v.update(data);
        return v.verify(HEX.parseHex(signatureHex));
    }

    static String javaSign(String algorithm, PSSParameterSpec params, KeyPair kp, byte[] data) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        if (params != null) s.setParameter(params);
        s.initSign(kp.getPrivate());
        s.update(data);
        return HEX.formatHex(s.sign());
    }

    static byte[] javaCipher(int mode, String transformation, java.security.Key k, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(transformation);
        c.init(mode, k);
        return c.doFinal(data);
    }

    // ---------------------------------------------------------------- tests

    /** EI, ER and the exported DER against java.security; EW signatures verified by Java. */
    static void generateAndSign() throws Exception {
        RsaKeyPair kp = hsm.rsaGenerateKeyPair(2048, 65537, RsaKeyUsage.ANY);
        RSAPublicKey pub = javaKey(kp.publicKey());
        eq(pub.getModulus().bitLength(), 2048, "modulus bits of the exported public key");
        eq(pub.getPublicExponent(), BigInteger.valueOf(65537), "public exponent");
        check(Arrays.equals(kp.publicKeyDer(), HEX.parseHex(kp.publicKey())), "publicKeyDer() is the hex decoded");
        check(kp.privateKey().matches("[0-9A-F]+") && kp.privateKey().length() > 1000, "private key blob: upper-case hex");
        check(!kp.privateKey().contains(kp.publicKey().substring(20, 60)), "the blob does not carry the modulus in the clear");

        // PKCS#1 v1.5 with every SHA: Java verifies; deterministic
        String[][] algs = {{"SHA1withRSA"}, {"SHA224withRSA"}, {"SHA256withRSA"}, {"SHA384withRSA"}, {"SHA512withRSA"}};
        HashAlgorithm[] hashes = {HashAlgorithm.SHA1, HashAlgorithm.SHA224, HashAlgorithm.SHA256, HashAlgorithm.SHA384, HashAlgorithm.SHA512};
        for (int i = 0; i < hashes.length; i++) {
            String sig = hsm.rsaSign(kp.privateKey(), hashes[i], RsaSignaturePadding.PKCS1, MSG);
            eq(sig.length(), 512, "signature length, " + hashes[i]);
            check(javaVerify(algs[i][0], null, pub, MSG, sig), "Java " + algs[i][0] + " verifies the HSM's signature");
            check(!javaVerify(algs[i][0], null, pub, Arrays.copyOf(MSG, MSG.length - 1), sig), "Java: other data does not verify, " + hashes[i]);
            check(hsm.rsaVerify(kp.publicKey(), hashes[i], RsaSignaturePadding.PKCS1, MSG, sig), "EY verifies its own, " + hashes[i]);
            eq(hsm.rsaSign(kp.privateKey(), hashes[i], RsaSignaturePadding.PKCS1, MSG), sig, "PKCS#1 v1.5 is deterministic, " + hashes[i]);
        }
        // empty data is a message too
        check(javaVerify("SHA256withRSA", null, pub, new byte[0], hsm.rsaSign(kp.privateKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1,
                new byte[0])), "signature over empty data");
        // PSS (MGF1 with the hash, salt = hash length): randomised, Java verifies
        String p1 = hsm.rsaSign(kp.privateKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PSS, MSG);
        String p2 = hsm.rsaSign(kp.privateKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PSS, MSG);
        check(!p1.equals(p2), "PSS signatures are randomised");
        PSSParameterSpec pss256 = pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
        check(javaVerify("RSASSA-PSS", pss256, pub, MSG, p1) && javaVerify("RSASSA-PSS", pss256, pub, MSG, p2), "Java verifies PSS SHA-256");
        check(!javaVerify("RSASSA-PSS", pss256, pub, "other".getBytes(StandardCharsets.US_ASCII), p1), "Java: PSS over other data fails");
        String p512 = hsm.rsaSign(kp.privateKey(), HashAlgorithm.SHA512, RsaSignaturePadding.PSS, MSG);
        check(javaVerify("RSASSA-PSS", pss("SHA-512", MGF1ParameterSpec.SHA512, 64), pub, MSG, p512), "Java verifies PSS SHA-512");
        check(hsm.rsaVerify(kp.publicKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PSS, MSG, p1), "EY verifies PSS");
        check(!hsm.rsaVerify(kp.publicKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, p1), "a PSS signature is no PKCS#1 one");

        // stored pair: exponent 3, 1024 bits, sign-only, at K3001
        RsaKeyPair st = hsm.rsaGenerateKeyPair(1024, 3, RsaKeyUsage.SIGN, 3001, "java-rsa");
        eq(hsm.rsaPublicKey(3001), st.publicKey(), "ER returns the stored pair's public key");
        RSAPublicKey spub = javaKey(st.publicKey());
        eq(spub.getPublicExponent(), BigInteger.valueOf(3), "exponent 3");
        eq(spub.getModulus().bitLength(), 1024, "1024 bits");
        String ks = hsm.rsaSign("K3001", HashAlgorithm.SHA1, RsaSignaturePadding.PKCS1, MSG);
        check(javaVerify("SHA1withRSA", null, spub, MSG, ks), "Java verifies a signature made with K3001");
        eq(hsm.rsaSign(st.privateKey(), HashAlgorithm.SHA1, RsaSignaturePadding.PKCS1, MSG), ks, "the blob and K3001 are one key");
        check(hsm.rsaVerify("K3001", HashAlgorithm.SHA1, RsaSignaturePadding.PKCS1, MSG, ks), "EY with the K index");
        check(!hsm.rsaVerify("K3001", HashAlgorithm.SHA1, RsaSignaturePadding.PKCS1, MSG, ks.substring(0, 254) + "00"), "a changed signature fails");
    }

    /**
     * The largest key (4096 bits): the glue's output buffers hold its public key and blob
     * (EI generates before it copies out). Its own instance with a long read timeout, since
     * a 4096-bit key generation on a loaded machine may take seconds.
     */
    static void largestKey() throws Exception {
        String cfg = "{[LOGGER];logsw=error;logPath=" + CACipherTest.logDir + ";[HOST1];host=127.0.0.1;port=" + CACipherTest.port
                + ";msgheadlength=2;timeout=120}";
        try (CACipher big = CACipher.open(cfg)) {
            RsaKeyPair kp = big.rsaGenerateKeyPair(4096, 65537, RsaKeyUsage.ANY);
            RSAPublicKey pub = javaKey(kp.publicKey());
            eq(pub.getModulus().bitLength(), 4096, "4096-bit modulus");
            check(kp.privateKey().length() > 4000, "the 4096-bit blob: " + kp.privateKey().length() / 2 + " bytes");
            String sig = big.rsaSign(kp.privateKey(), HashAlgorithm.SHA512, RsaSignaturePadding.PKCS1, MSG);
            eq(sig.length(), 1024, "a 512-byte signature");
            check(javaVerify("SHA512withRSA", null, pub, MSG, sig), "Java verifies the 4096-bit signature");
            byte[] c = javaCipher(Cipher.ENCRYPT_MODE, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding", pub, MSG);
            check(Arrays.equals(big.rsaDecrypt(kp.privateKey(), RsaEncryptionPadding.OAEP, c), MSG), "3B with the 4096-bit key");
        }
    }

    /** Java-made signatures verified by the HSM with Java's public key (passed inline). */
    static void verifyJavaSignatures() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
        KeyPair jkp = g.generateKeyPair();
        String pub = hsmKey(jkp.getPublic());
        String s256 = javaSign("SHA256withRSA", null, jkp, MSG);
        check(hsm.rsaVerify(pub, HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, s256), "EY verifies Java's SHA256withRSA");
        check(hsm.rsaVerify(pub.toLowerCase(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, s256.toLowerCase()), "lower-case hex");
        check(!hsm.rsaVerify(pub, HashAlgorithm.SHA384, RsaSignaturePadding.PKCS1, MSG, s256), "another hash: false");
        check(!hsm.rsaVerify(pub, HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, Arrays.copyOf(MSG, 5), s256), "other data: false");
        String s1 = javaSign("SHA1withRSA", null, jkp, MSG);
        check(hsm.rsaVerify(pub, HashAlgorithm.SHA1, RsaSignaturePadding.PKCS1, MSG, s1), "EY verifies Java's SHA1withRSA");
        String ps = javaSign("RSASSA-PSS", pss("SHA-256", MGF1ParameterSpec.SHA256, 32), jkp, MSG);
        check(hsm.rsaVerify(pub, HashAlgorithm.SHA256, RsaSignaturePadding.PSS, MSG, ps), "EY verifies Java's PSS SHA-256");
        // a wrong-length signature is "does not verify", not an error
        check(!hsm.rsaVerify(pub, HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, s256.substring(0, 256)), "short signature: false");
    }

    /** 3A/3B both ways with Java: PKCS#1 v1.5, OAEP (SHA-1, MGF1-SHA-1) and raw. */
    static void encryptDecrypt() throws Exception {
        RsaKeyPair kp = hsm.rsaGenerateKeyPair(2048, 65537, RsaKeyUsage.KEY_MANAGEMENT);
        RSAPublicKey pub = javaKey(kp.publicKey());
        byte[] secret = HEX.parseHex("00112233445566778899AABBCCDDEEFF0123456789ABCDEF");
        // Java encrypts, the HSM decrypts
        byte[] c1 = javaCipher(Cipher.ENCRYPT_MODE, "RSA/ECB/PKCS1Padding", pub, secret);
        check(Arrays.equals(hsm.rsaDecrypt(kp.privateKey(), RsaEncryptionPadding.PKCS1, c1), secret), "3B decrypts Java's PKCS#1 v1.5");
        byte[] c2 = javaCipher(Cipher.ENCRYPT_MODE, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding", pub, secret);
        check(Arrays.equals(hsm.rsaDecrypt(kp.privateKey(), RsaEncryptionPadding.OAEP, c2), secret), "3B decrypts Java's OAEP");
        byte[] raw = new byte[256];
        raw[0] = 0x01;
        raw[255] = 0x42;
        byte[] c3 = javaCipher(Cipher.ENCRYPT_MODE, "RSA/ECB/NoPadding", pub, raw);
        check(Arrays.equals(hsm.rsaDecrypt(kp.privateKey(), RsaEncryptionPadding.NONE, c3), raw), "3B raw RSA of Java's raw RSA");
        // the largest PKCS#1 and OAEP messages (k - 11, k - 42)
        byte[] max1 = new byte[245], maxO = new byte[214];
        Arrays.fill(max1, (byte) 0x5A);
        Arrays.fill(maxO, (byte) 0xA5);
        check(Arrays.equals(hsm.rsaDecrypt(kp.privateKey(), RsaEncryptionPadding.PKCS1,
                javaCipher(Cipher.ENCRYPT_MODE, "RSA/ECB/PKCS1Padding", pub, max1)), max1), "k - 11 bytes");
        check(Arrays.equals(hsm.rsaDecrypt(kp.privateKey(), RsaEncryptionPadding.OAEP,
                javaCipher(Cipher.ENCRYPT_MODE, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding", pub, maxO)), maxO), "k - 42 bytes");

        // the HSM encrypts under a Java key, Java decrypts
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair jkp = g.generateKeyPair();
        byte[] e1 = hsm.rsaEncrypt(hsmKey(jkp.getPublic()), RsaEncryptionPadding.PKCS1, secret);
        eq(e1.length, 256, "ciphertext is the modulus length");
        check(Arrays.equals(javaCipher(Cipher.DECRYPT_MODE, "RSA/ECB/PKCS1Padding", jkp.getPrivate(), e1), secret), "Java decrypts 3A PKCS#1");
        byte[] e2 = hsm.rsaEncrypt(hsmKey(jkp.getPublic()), RsaEncryptionPadding.OAEP, secret);
        check(Arrays.equals(javaCipher(Cipher.DECRYPT_MODE, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding", jkp.getPrivate(), e2), secret),
                "Java decrypts 3A OAEP");
        check(!Arrays.equals(hsm.rsaEncrypt(kp.publicKey(), RsaEncryptionPadding.PKCS1, secret),
                hsm.rsaEncrypt(kp.publicKey(), RsaEncryptionPadding.PKCS1, secret)), "PKCS#1 v1.5 encryption is randomised");
        // round trip inside the HSM, with the key stored
        hsm.rsaGenerateKeyPair(1024, 65537, RsaKeyUsage.ANY, 3002, null);
        byte[] e3 = hsm.rsaEncrypt("K3002", RsaEncryptionPadding.OAEP, secret);
        check(Arrays.equals(hsm.rsaDecrypt("K3002", RsaEncryptionPadding.OAEP, e3), secret), "3A/3B with K3002");
        eq(javaKey(hsm.rsaPublicKey(3002)).getModulus().bitLength(), 1024, "ER of K3002: the 1024-bit key");
    }

    /** Wrong key types, oversize data, bad arguments and nulls: the library's codes. */
    static void errors() throws Exception {
        RsaKeyPair sign = hsm.rsaGenerateKeyPair(1024, 65537, RsaKeyUsage.SIGN);
        RsaKeyPair km = hsm.rsaGenerateKeyPair(1024, 65537, RsaKeyUsage.KEY_MANAGEMENT);
        byte[] ct = hsm.rsaEncrypt(sign.publicKey(), RsaEncryptionPadding.PKCS1, MSG);
        // key usage (HSM 27), not an RSA key of this HSM (HSM 10)
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.rsaDecrypt(sign.privateKey(), RsaEncryptionPadding.PKCS1, ct));
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.rsaSign(km.privateKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG));
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.rsaDecrypt("K3001", RsaEncryptionPadding.PKCS1, ct));
        Sm2KeyPair sm2 = hsm.sm2GenerateKeyPair();
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.rsaSign(sm2.privateKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG));
        String altered = km.privateKey().substring(0, 100) + (km.privateKey().charAt(100) == '0' ? '1' : '0') + km.privateKey().substring(101);
        code(CACipherException.HSM_SOURCE_KEY_PARITY, () -> hsm.rsaDecrypt(altered, RsaEncryptionPadding.PKCS1, ct));
        // a decryption that does not decode
        byte[] bad = hsm.rsaEncrypt(km.publicKey(), RsaEncryptionPadding.NONE, Arrays.copyOf(new byte[] {0, 1, 2}, 128));
        code(CACipherException.HSM_INVALID_INPUT, () -> hsm.rsaDecrypt(km.privateKey(), RsaEncryptionPadding.PKCS1, bad));
        // oversize data for the modulus (HSM 80), over the library's limits (E_INVALID_ARG)
        code(CACipherException.HSM_LENGTH_ERROR, () -> hsm.rsaEncrypt(km.publicKey(), RsaEncryptionPadding.PKCS1, new byte[118]));
        code(CACipherException.HSM_LENGTH_ERROR, () -> hsm.rsaEncrypt(km.publicKey(), RsaEncryptionPadding.OAEP, new byte[87]));
        code(CACipherException.HSM_LENGTH_ERROR, () -> hsm.rsaEncrypt(km.publicKey(), RsaEncryptionPadding.NONE, new byte[127]));
        code(CACipherException.HSM_LENGTH_ERROR, () -> hsm.rsaDecrypt(km.privateKey(), RsaEncryptionPadding.PKCS1, new byte[136]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaEncrypt(km.publicKey(), RsaEncryptionPadding.PKCS1, new byte[513]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaDecrypt(km.privateKey(), RsaEncryptionPadding.PKCS1, new byte[513]));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaSign(sign.privateKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, new byte[10000]));
        // PSS with SM3 is refused by the HSM
        code(CACipherException.HSM_INVALID_INPUT, () -> hsm.rsaSign(sign.privateKey(), HashAlgorithm.SM3, RsaSignaturePadding.PSS, MSG));
        // indexes, sizes, exponents, key texts
        code(CACipherException.HSM_NO_KEY_AT_INDEX, () -> hsm.rsaPublicKey(3003));
        hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, null, null, 3004, "not-rsa");
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.rsaPublicKey(3004));
        code(CACipherException.HSM_KEY_TYPE_NOT_ALLOWED, () -> hsm.rsaSign("K3004", HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaPublicKey(0));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaPublicKey(9999));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaGenerateKeyPair(1000, 65537, RsaKeyUsage.ANY));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaGenerateKeyPair(8192, 65537, RsaKeyUsage.ANY));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaGenerateKeyPair(1024, 5, RsaKeyUsage.ANY));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaGenerateKeyPair(1024, 65537, RsaKeyUsage.ANY, 9999, null));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaVerify("3005020101", HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, "00".repeat(128)));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaVerify("ZZ", HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, "00".repeat(128)));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaVerify(sign.publicKey(), HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, "0G"));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaEncrypt("K01", RsaEncryptionPadding.PKCS1, MSG));
        code(CACipherException.E_INVALID_ARG, () -> hsm.rsaSign("", HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG));
        // nulls
        npe("usage", () -> hsm.rsaGenerateKeyPair(1024, 65537, null));
        npe("privateKey", () -> hsm.rsaSign(null, HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG));
        npe("hash", () -> hsm.rsaSign("K3001", null, RsaSignaturePadding.PKCS1, MSG));
        npe("padding", () -> hsm.rsaSign("K3001", HashAlgorithm.SHA256, null, MSG));
        npe("data", () -> hsm.rsaSign("K3001", HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, null));
        npe("publicKey", () -> hsm.rsaVerify(null, HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, "00"));
        npe("signature", () -> hsm.rsaVerify("K3001", HashAlgorithm.SHA256, RsaSignaturePadding.PKCS1, MSG, null));
        npe("publicKey", () -> hsm.rsaEncrypt(null, RsaEncryptionPadding.PKCS1, MSG));
        npe("data", () -> hsm.rsaEncrypt("K3001", RsaEncryptionPadding.PKCS1, null));
        npe("ciphertext", () -> hsm.rsaDecrypt("K3001", RsaEncryptionPadding.PKCS1, null));
        npe("padding", () -> hsm.rsaDecrypt("K3001", null, ct));
    }
}
