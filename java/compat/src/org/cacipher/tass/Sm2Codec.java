package org.cacipher.tass;

import cn.tass.exceptions.TAException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * SM2 key and signature encodings between the vendor's Java API (DER) and the library
 * (hex): public keys as DER SubjectPublicKeyInfo (id-ecPublicKey, curve sm2p256v1; 91 bytes)
 * vs 128 hex X || Y; signatures as r || s (64 bytes, flag 0) or DER SEQUENCE {r, s} (flag 1)
 * vs 128 hex.
 */
public final class Sm2Codec {
    /** SEQUENCE { SEQUENCE { id-ecPublicKey, sm2p256v1 }, BIT STRING 00 04 ... } up to the point X. */
    private static final byte[] SPKI_PREFIX = hex("3059301306072A8648CE3D020106082A811CCF5501822D03420004");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Sm2Codec() {
    }

    /** Hex (from the library: well-formed) to bytes. */
    public static byte[] fromHex(String s) {
        return hex(s);
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    public static String toHex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 15];
            out[2 * i + 1] = HEX[b[i] & 15];
        }
        return new String(out);
    }

    /** A public key (DER SubjectPublicKeyInfo, or 65 bytes 04 || X || Y, or 64 bytes X || Y) as 128 hex. */
    public static String publicKeyHex(byte[] key, String name) throws TAException {
        if (key == null) throw new TAException(TAException.PARAMETER_NULL, name + ": null");
        if (key.length == SPKI_PREFIX.length + 64 && Arrays.equals(key, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return toHex(Arrays.copyOfRange(key, SPKI_PREFIX.length, key.length));
        }
        if (key.length == 65 && key[0] == 4) return toHex(Arrays.copyOfRange(key, 1, 65));
        if (key.length == 64) return toHex(key);
        throw new TAException(TAException.BAD_PARAMETER_VALUE,
                name + ": not an SM2 public key (DER SubjectPublicKeyInfo of sm2p256v1, 04 || X || Y or X || Y)");
    }

    /** 128 hex X || Y as DER SubjectPublicKeyInfo. */
    public static byte[] publicKeyDer(String hex128) {
        byte[] xy = hex(hex128);
        byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + xy.length);
        System.arraycopy(xy, 0, out, SPKI_PREFIX.length, xy.length);
        return out;
    }

    /** 128 hex r || s in the encoding {@code flag} names (0: r || s, 1: DER). */
    public static byte[] signatureOut(String hex128, int flag) throws TAException {
        byte[] rs = hex(hex128);
        if (flag == 0) return rs;
        if (flag != 1) throw badFlag();
        byte[] r = derInteger(Arrays.copyOfRange(rs, 0, 32)), s = derInteger(Arrays.copyOfRange(rs, 32, 64));
        byte[] out = new byte[2 + r.length + s.length];
        out[0] = 0x30;
        out[1] = (byte) (r.length + s.length);
        System.arraycopy(r, 0, out, 2, r.length);
        System.arraycopy(s, 0, out, 2 + r.length, s.length);
        return out;
    }

    /** A signature in the encoding {@code flag} names as 128 hex r || s. */
    public static String signatureIn(byte[] sig, int flag) throws TAException {
        if (sig == null) throw new TAException(TAException.PARAMETER_NULL, "signature: null");
        if (flag == 0) {
            if (sig.length != 64) throw new TAException(TAException.BAD_PARAMETER_LENGTH, "signature: r || s is 64 bytes");
            return toHex(sig);
        }
        if (flag != 1) throw badFlag();
        TAException bad = new TAException(TAException.BAD_PARAMETER_VALUE, "signature: not a DER SEQUENCE of two INTEGERs");
        if (sig.length < 8 || sig[0] != 0x30 || (sig[1] & 0xFF) != sig.length - 2) throw bad;
        int at = 2;
        byte[] out = new byte[64];
        for (int part = 0; part < 2; part++) {
            if (at + 2 > sig.length || sig[at] != 0x02) throw bad;
            int len = sig[at + 1] & 0xFF;
            if (len < 1 || len > 33 || at + 2 + len > sig.length) throw bad;
            BigInteger v = new BigInteger(Arrays.copyOfRange(sig, at + 2, at + 2 + len));
            byte[] m = v.toByteArray();
            if (v.signum() < 0 || m.length > 33 || (m.length == 33 && m[0] != 0)) throw bad;
            int n = Math.min(m.length, 32);
            System.arraycopy(m, m.length - n, out, part * 32 + 32 - n, n);
            at += 2 + len;
        }
        if (at != sig.length) throw bad;
        return toHex(out);
    }

    /** Checks a signature format flag (0 or 1). */
    public static void checkFlag(int flag) throws TAException {
        if (flag != 0 && flag != 1) throw badFlag();
    }

    private static TAException badFlag() {
        return new TAException(TAException.BAD_PARAMETER_VALUE, "flag: signature format 0 (r || s) or 1 (DER)");
    }

    private static byte[] derInteger(byte[] unsigned) {
        byte[] m = new BigInteger(1, unsigned).toByteArray();
        byte[] out = new byte[2 + m.length];
        out[0] = 0x02;
        out[1] = (byte) m.length;
        System.arraycopy(m, 0, out, 2, m.length);
        return out;
    }
}
