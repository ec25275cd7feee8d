package org.cacipher.tass;

import cn.tass.exceptions.TAException;
import java.util.Arrays;

/**
 * RSA public keys between the vendor's Java API (DER bytes) and the library (hex of the DER
 * PKCS#1 {@code RSAPublicKey}, SEQUENCE { n, e }). The HSM exports PKCS#1; callers may also
 * pass the X.509 {@code SubjectPublicKeyInfo} form that {@code java.security.PublicKey.getEncoded()}
 * gives (rsaEncryption, NULL parameters), which is unwrapped here. Anything else is
 * {@code BAD_PARAMETER_VALUE}; the parser checks every length against the array (no value
 * is quoted in a message).
 */
public final class RsaCodec {
    /** SEQUENCE { OID 1.2.840.113549.1.1.1 rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = Sm2Codec.hex("300D06092A864886F70D0101010500");

    private RsaCodec() {
    }

    /** A DER public key (PKCS#1 RSAPublicKey or SubjectPublicKeyInfo of rsaEncryption) as the hex PKCS#1 key. */
    public static String publicKeyHex(byte[] der, String name) throws TAException {
        if (der == null || der.length == 0) throw new TAException(TAException.PARAMETER_NULL, name + ": null");
        int[] outer = element(der, 0, 0x30, name);
        if (outer[1] != der.length) throw bad(name);
        int first = outer[0];
        if (first < der.length && der[first] == 0x02) return Sm2Codec.toHex(der);   // PKCS#1: SEQUENCE { INTEGER n, ... }
        int[] alg = element(der, first, 0x30, name);
        if (!Arrays.equals(der, first, alg[1], RSA_ALGORITHM, 0, RSA_ALGORITHM.length)) {
            throw new TAException(TAException.BAD_PARAMETER_VALUE, name + ": a SubjectPublicKeyInfo of another algorithm than rsaEncryption");
        }
        int[] bits = element(der, alg[1], 0x03, name);
        if (bits[1] != der.length || bits[0] >= bits[1] || der[bits[0]] != 0) throw bad(name);
        byte[] pkcs1 = Arrays.copyOfRange(der, bits[0] + 1, bits[1]);
        int[] inner = element(pkcs1, 0, 0x30, name);
        if (inner[1] != pkcs1.length || inner[0] >= pkcs1.length || pkcs1[inner[0]] != 0x02) throw bad(name);
        return Sm2Codec.toHex(pkcs1);
    }

    /** The DER element with {@code tag} at {@code at}: [start of its content, end of it]. */
    private static int[] element(byte[] d, int at, int tag, String name) throws TAException {
        if (at + 2 > d.length || (d[at] & 0xFF) != tag) throw bad(name);
        int len = d[at + 1] & 0xFF, start = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7F;
            if (n < 1 || n > 2 || start + n > d.length) throw bad(name);
            len = 0;
            for (int i = 0; i < n; i++) len = len << 8 | (d[start + i] & 0xFF);
            start += n;
        }
        if (len > d.length - start) throw bad(name);
        return new int[] {start, start + len};
    }

    private static TAException bad(String name) {
        return new TAException(TAException.BAD_PARAMETER_VALUE,
                name + ": not a DER RSA public key (PKCS#1 RSAPublicKey or SubjectPublicKeyInfo)");
    }
}
