package tasscompat;

import static tasscompat.TassCompatTest.check;
import static tasscompat.TassCompatTest.code;
import static tasscompat.TassCompatTest.eq;
import static tasscompat.TassCompatTest.hex;

import cn.tass.exceptions.TAException;
import cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance;
import cn.tass.kits.Forms;
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
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * The vendor's RSA methods of hsmGeneralFinance (genRSAKeyPair, getRSAPublicKey,
 * genRsaSignature, verifyRsaSignature (both forms), RsaPublicKeyEnc, RsaPrivateKeyDec), with
 * the argument orders and values of the vendor's public call sites (S1, S3 of the spec),
 * cross-checked with the JDK's own RSA (java.security / javax.crypto), and their
 * TAException codes. Vendor class names only. Run from {@link TassCompatTest#single}.
 */
final class RsaCompat {
    private RsaCompat() {
    }

    static final byte[] DATA = "document to sign".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    /** SM3("abc"), GB/T 32905-2016 appendix A example 1. */
    static final String SM3_ABC = "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0";
    /** The SM3 OID 1.2.156.10197.1.401 as DER content bytes. */
    static final String SM3_OID = "2A811CCF55018311";

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) out.write(n);
        else if (n < 0x100) out.writeBytes(new byte[] {(byte) 0x81, (byte) n});
        else out.writeBytes(new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n});
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** The HSM's PKCS#1 RSAPublicKey as a java.security key. */
    static RSAPublicKey javaKey(byte[] pkcs1) throws Exception {
        byte[] spki = tlv(0x30, Forms.hexStringToByte("300D06092A864886F70D0101010500"), tlv(0x03, new byte[] {0}, pkcs1));
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
    }

    static boolean javaVerify(String alg, PSSParameterSpec p, PublicKey k, byte[] data, byte[] sig) throws Exception {
        Signature v = Signature.getInstance(alg);
        if (p != null) v.setParameter(p);
        v.initVerify(k);
        v.update(data);
        return v.verify(sig);
    }

    static byte[] javaSign(String alg, PSSParameterSpec p, KeyPair kp, byte[] data) throws Exception {
        Signature s = Signature.getInstance(alg);
        if (p != null) s.setParameter(p);
        s.initSign(kp.getPrivate());
        s.update(data);
        return s.sign();
    }

    static byte[] javaEncrypt(String transformation, PublicKey k, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(transformation);
        c.init(Cipher.ENCRYPT_MODE, k);
        return c.doFinal(data);
    }

    static final PSSParameterSpec PSS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    static void run(hsmGeneralFinance api) throws Exception {
        signVerify(api);
        encryptDecrypt(api);
        errors(api);
    }

    static void signVerify(hsmGeneralFinance api) throws Exception {
        // not stored: [DER public key, private key under the LMK]
        ArrayList<byte[]> free = api.genRSAKeyPair(2, 2048, 65537, 0, null);
        eq(free.size(), 2, "genRSAKeyPair: a list of two");
        RSAPublicKey fk = javaKey(free.get(0));
        eq(fk.getModulus().bitLength(), 2048, "genRSAKeyPair: 2048-bit modulus (java.security parses the DER)");
        eq(fk.getPublicExponent(), BigInteger.valueOf(65537), "genRSAKeyPair: exponent 65537");
        check(free.get(1).length > 1000, "genRSAKeyPair: the private key blob, " + free.get(1).length + " bytes");

        // S3's call: sign-only pair stored at an index, then EW/ER/EY on it
        ArrayList<byte[]> kp = api.genRSAKeyPair(0, 2048, 65537, 3101, "RsaKeyPair-1");
        check(Arrays.equals(api.getRSAPublicKey(3101), kp.get(0)), "getRSAPublicKey: the stored pair's DER public key");
        RSAPublicKey pub = javaKey(kp.get(0));
        String[] javaAlg = {"SHA1withRSA", "SHA224withRSA", "SHA256withRSA", "SHA384withRSA", "SHA512withRSA"};
        int[] hashFlag = {1, 5, 6, 7, 8};
        for (int i = 0; i < hashFlag.length; i++) {
            byte[] sig = api.genRsaSignature(hashFlag[i], 1, DATA, 3101);
            eq(sig.length, 256, "genRsaSignature length, hashFlag " + hashFlag[i]);
            check(javaVerify(javaAlg[i], null, pub, DATA, sig), "java.security " + javaAlg[i] + " verifies genRsaSignature(" + hashFlag[i] + ", 1, ...)");
            check(Arrays.equals(api.genRsaSignature(hashFlag[i], 1, DATA, 3101), sig), "PKCS#1 v1.5 is deterministic, hashFlag " + hashFlag[i]);
            check(api.verifyRsaSignature(hashFlag[i], 1, DATA, kp.get(0), sig), "verifyRsaSignature (DER key), hashFlag " + hashFlag[i]);
            check(api.verifyRsaSignature(hashFlag[i], 1, DATA, 3101, sig), "verifyRsaSignature (index), hashFlag " + hashFlag[i]);
        }
        byte[] s256 = api.genRsaSignature(6, 1, DATA, 3101);
        check(api.verifyRsaSignature(6, 1, DATA, pub.getEncoded(), s256), "verifyRsaSignature takes a SubjectPublicKeyInfo (getEncoded())");
        check(!api.verifyRsaSignature(6, 1, Arrays.copyOf(DATA, 3), kp.get(0), s256), "verifyRsaSignature: other data -> false");
        check(!api.verifyRsaSignature(7, 1, DATA, 3101, s256), "verifyRsaSignature: another hash -> false");
        byte[] changed = s256.clone();
        changed[100] ^= 1;
        check(!api.verifyRsaSignature(6, 1, DATA, 3101, changed), "verifyRsaSignature: a changed signature -> false");
        // SM3 (hashFlag 20): the signature opened with the public key (BigInteger) holds the SM3 DigestInfo of the published digest
        byte[] sm3sig = api.genRsaSignature(20, 1, ABC, 3101);
        byte[] em = new BigInteger(1, sm3sig).modPow(pub.getPublicExponent(), pub.getModulus()).toByteArray();
        String emHex = hex(em);   // leading 00 dropped by BigInteger: starts 01 FF ...
        check(emHex.startsWith("01FFFFFFFF") && emHex.endsWith(SM3_ABC) && emHex.contains("0608" + SM3_OID),
                "genRsaSignature(20, 1, \"abc\"): EMSA-PKCS1-v1_5 of SM3(\"abc\") with the SM3 OID, got " + emHex.substring(Math.max(0, emHex.length() - 120)));
        check(api.verifyRsaSignature(20, 1, ABC, 3101, sm3sig), "verifyRsaSignature with SM3");
        // PSS (padFlag 2)
        byte[] pss = api.genRsaSignature(6, 2, DATA, 3101);
        check(javaVerify("RSASSA-PSS", PSS256, pub, DATA, pss), "java.security RSASSA-PSS verifies genRsaSignature(6, 2, ...)");
        check(api.verifyRsaSignature(6, 2, DATA, 3101, pss), "verifyRsaSignature PSS");

        // signatures made by java.security, checked by the HSM with Java's public key
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair jkp = g.generateKeyPair();
        byte[] js = javaSign("SHA256withRSA", null, jkp, DATA);
        check(api.verifyRsaSignature(6, 1, DATA, jkp.getPublic().getEncoded(), js), "verifyRsaSignature of a java.security SHA256withRSA signature");
        check(!api.verifyRsaSignature(6, 1, ABC, jkp.getPublic().getEncoded(), js), "... over other data -> false");
        byte[] jp = javaSign("RSASSA-PSS", PSS256, jkp, DATA);
        check(api.verifyRsaSignature(6, 2, DATA, jkp.getPublic().getEncoded(), jp), "verifyRsaSignature of a java.security PSS signature");

        // S1's call: exponent 3, 1024 bits, usage 2, stored
        ArrayList<byte[]> s1 = api.genRSAKeyPair(2, 1024, 3, 3103, "RsaKeyPair");
        RSAPublicKey p3 = javaKey(s1.get(0));
        eq(p3.getPublicExponent(), BigInteger.valueOf(3), "genRSAKeyPair(2, 1024, 3, ...): exponent 3");
        eq(p3.getModulus().bitLength(), 1024, "genRSAKeyPair(2, 1024, 3, ...): 1024 bits");
        byte[] s5 = api.genRsaSignature(5, 1, DATA, 3103);
        check(javaVerify("SHA224withRSA", null, p3, DATA, s5), "hashFlag 5 is SHA-224 (java.security SHA224withRSA verifies)");
        check(api.verifyRsaSignature(5, 1, DATA, 3103, s5), "S1's verifyRsaSignature(5, 1, data, 1, sig) form");
    }

    static void encryptDecrypt(hsmGeneralFinance api) throws Exception {
        byte[] secret = Forms.hexStringToByte("0123456789ABCDEFFEDCBA98765432100011223344556677");
        ArrayList<byte[]> kp = api.genRSAKeyPair(1, 2048, 65537, 3102, "rsa-enc");
        RSAPublicKey pub = javaKey(api.getRSAPublicKey(3102));
        // java.security encrypts, RsaPrivateKeyDec decrypts
        check(Arrays.equals(api.RsaPrivateKeyDec(1, 3102, javaEncrypt("RSA/ECB/PKCS1Padding", pub, secret)), secret),
                "RsaPrivateKeyDec(1, ...) of a javax.crypto PKCS#1 v1.5 ciphertext");
        check(Arrays.equals(api.RsaPrivateKeyDec(2, 3102, javaEncrypt("RSA/ECB/OAEPWithSHA-1AndMGF1Padding", pub, secret)), secret),
                "RsaPrivateKeyDec(2, ...) of a javax.crypto OAEP ciphertext");
        byte[] raw = new byte[256];
        raw[1] = 0x33;
        raw[255] = 0x44;
        check(Arrays.equals(api.RsaPrivateKeyDec(0, 3102, javaEncrypt("RSA/ECB/NoPadding", pub, raw)), raw), "RsaPrivateKeyDec(0, ...): raw RSA");
        // RsaPublicKeyEnc round trips (S1: RsaPublicKeyEnc(1, data, 1), RsaPrivateKeyDec(1, 1, cipher))
        for (int pad = 0; pad <= 2; pad++) {
            byte[] in = pad == 0 ? raw : secret;
            byte[] c = api.RsaPublicKeyEnc(pad, in, 3102);
            eq(c.length, 256, "RsaPublicKeyEnc: the modulus length, padFlag " + pad);
            check(Arrays.equals(api.RsaPrivateKeyDec(pad, 3102, c), in), "RsaPublicKeyEnc -> RsaPrivateKeyDec, padFlag " + pad);
        }
        byte[] c3 = api.RsaPublicKeyEnc(1, secret, 3103);
        check(Arrays.equals(api.RsaPrivateKeyDec(1, 3103, c3), secret), "round trip with the exponent-3 pair (usage 2)");
        check(kp.get(1).length > 1000, "the key-management pair's blob");
    }

    static void errors(hsmGeneralFinance api) throws Exception {
        // key usage and key type: the HSM's codes
        code(27, () -> api.genRsaSignature(6, 1, DATA, 3102), "genRsaSignature with a key-management pair: HSM 27");
        byte[] c = api.RsaPublicKeyEnc(1, DATA, 3101);
        code(27, () -> api.RsaPrivateKeyDec(1, 3101, c), "RsaPrivateKeyDec with a sign-only pair: HSM 27");
        code(12, () -> api.getRSAPublicKey(3104), "getRSAPublicKey of an empty index: HSM 12");
        api.genWorkKey("ZEK", 'U', 3105, "not-rsa");
        code(27, () -> api.genRsaSignature(6, 1, DATA, 3105), "genRsaSignature with a symmetric key's index: HSM 27");
        code(27, () -> api.getRSAPublicKey(3105), "getRSAPublicKey of a symmetric key's index: HSM 27");
        // oversize data for the modulus, a ciphertext that does not decode, PSS with SM3
        code(80, () -> api.RsaPublicKeyEnc(1, new byte[118], 3103), "RsaPublicKeyEnc: k - 10 bytes for PKCS#1: HSM 80");
        code(80, () -> api.RsaPublicKeyEnc(2, new byte[87], 3103), "RsaPublicKeyEnc: k - 41 bytes for OAEP: HSM 80");
        code(80, () -> api.RsaPrivateKeyDec(1, 3103, new byte[136]), "RsaPrivateKeyDec: not the modulus length: HSM 80");
        byte[] notPkcs1 = api.RsaPublicKeyEnc(0, Arrays.copyOf(new byte[] {0, 7, 7}, 128), 3103);
        code(15, () -> api.RsaPrivateKeyDec(1, 3103, notPkcs1), "RsaPrivateKeyDec: padding does not decode: HSM 15");
        code(15, () -> api.genRsaSignature(20, 2, DATA, 3103), "genRsaSignature PSS with SM3: HSM 15");
        // framework codes
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.RsaPublicKeyEnc(1, new byte[513], 3103), "RsaPublicKeyEnc: over 512 bytes: -603");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.genRsaSignature(6, 1, new byte[10000], 3103), "genRsaSignature: over 9999 bytes: -603");
        code(TAException.BAD_PARAMETER_LENGTH, () -> api.verifyRsaSignature(6, 1, DATA, 3103, new byte[0]), "verifyRsaSignature: empty signature: -603");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.genRsaSignature(2, 1, DATA, 3103), "hashFlag 2 (MD5): -604");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.genRsaSignature(6, 3, DATA, 3103), "signature padFlag 3: -604");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.RsaPublicKeyEnc(4, DATA, 3103), "encryption padFlag 4: -604");
        code(TAException.UNSUPPORTED_ALGORITHM, () -> api.RsaPrivateKeyDec(3, 3103, c), "decryption padFlag 3: -604");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genRSAKeyPair(3, 1024, 65537, 0, null), "keyUserWay 3: -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genRSAKeyPair(2, 1000, 65537, 0, null), "keyLen 1000: -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genRSAKeyPair(2, 1024, 5, 0, null), "exponent 5: -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genRSAKeyPair(2, 1024, 65537, 9999, null), "storeindex 9999: -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.getRSAPublicKey(0), "getRSAPublicKey(0): -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.genRsaSignature(6, 1, DATA, 9999), "key index 9999: -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.RsaPrivateKeyDec(1, -1, c), "keyIndex -1: -602");
        code(TAException.BAD_PARAMETER_VALUE, () -> api.verifyRsaSignature(6, 1, DATA, Forms.hexStringToByte("3005020101"), c),
                "verifyRsaSignature: truncated DER: -602");
        byte[] sm2Pub = api.generateSm2KeyPair(0, null).get(0);
        code(TAException.BAD_PARAMETER_VALUE, () -> api.verifyRsaSignature(6, 1, DATA, sm2Pub, c), "verifyRsaSignature: an SM2 public key: -602");
        code(TAException.PARAMETER_NULL, () -> api.genRsaSignature(6, 1, null, 3103), "genRsaSignature: null indata: -601");
        code(TAException.PARAMETER_NULL, () -> api.verifyRsaSignature(6, 1, DATA, (byte[]) null, c), "verifyRsaSignature: null publicKey: -601");
        code(TAException.PARAMETER_NULL, () -> api.verifyRsaSignature(6, 1, DATA, 3103, null), "verifyRsaSignature: null signature: -601");
        code(TAException.PARAMETER_NULL, () -> api.RsaPublicKeyEnc(1, null, 3103), "RsaPublicKeyEnc: null indata: -601");
        code(TAException.PARAMETER_NULL, () -> api.RsaPrivateKeyDec(1, 3103, null), "RsaPrivateKeyDec: null cipher: -601");
    }
}
