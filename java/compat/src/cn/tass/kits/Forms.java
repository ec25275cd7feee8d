package cn.tass.kits;

/**
 * Hex and integer helpers of the vendor SDK. Bad input (odd length, a non-hex character,
 * offsets outside the array) throws {@link IllegalArgumentException} naming the problem,
 * never the value.
 */
public final class Forms {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Forms() {
    }

    /** Upper-case hex of all of {@code b} ("" for null). */
    public static String byteToHexString(byte[] b) {
        return b == null ? "" : byteToHexString(b, 0, b.length);
    }

    /** Upper-case hex of the first {@code length} bytes of {@code b}. */
    public static String byteToHexString(byte[] b, int length) {
        return byteToHexString(b, 0, length);
    }

    /** Upper-case hex of {@code length} bytes of {@code b} from {@code offset}. */
    public static String byteToHexString(byte[] b, int offset, int length) {
        if (b == null) throw new IllegalArgumentException("Forms.byteToHexString: null array");
        if (offset < 0 || length < 0 || offset > b.length || length > b.length - offset) {
            throw new IllegalArgumentException("Forms.byteToHexString: offset/length outside the array");
        }
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int v = b[offset + i] & 0xFF;
            out[2 * i] = HEX[v >>> 4];
            out[2 * i + 1] = HEX[v & 0x0F];
        }
        return new String(out);
    }

    /** The bytes of a hex string (either case; "" gives an empty array). */
    public static byte[] hexStringToByte(String hex) {
        if (hex == null) throw new IllegalArgumentException("Forms.hexStringToByte: null string");
        int n = hex.length();
        if ((n & 1) != 0) throw new IllegalArgumentException("Forms.hexStringToByte: odd number of hex digits");
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            int hi = Character.digit(hex.charAt(i), 16), lo = Character.digit(hex.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) throw new IllegalArgumentException("Forms.hexStringToByte: a character that is not hex at " + (hi < 0 ? i : i + 1));
            out[i / 2] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** The same as {@link #hexStringToByte(String)}. */
    public static byte[] hexStringToByteArray(String hex) {
        return hexStringToByte(hex);
    }

    /** 4 bytes, big-endian. */
    public static byte[] int2bytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The big-endian value of 1...4 bytes. */
    public static int bytes2int(byte[] b) {
        if (b == null || b.length < 1 || b.length > 4) throw new IllegalArgumentException("Forms.bytes2int: 1...4 bytes");
        int v = 0;
        for (byte x : b) v = v << 8 | (x & 0xFF);
        return v;
    }

    /** a XOR b (the same length). */
    public static byte[] XOR(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != b.length) throw new IllegalArgumentException("Forms.XOR: two arrays of the same length");
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (byte) (a[i] ^ b[i]);
        return out;
    }
}
