package org.cacipher;

/**
 * A key type: the 3-hex wire code as an int, variant digit &lt;&lt; 8 | LMK pair code
 * ({@code ZPK} = 0x001, {@code CVK} = 0x402). The constants are the usual ones; any code
 * 0x000...0x9FF can be made with {@link #of(int)} and is sent as is (the HSM decides).
 */
public final class KeyType {
    public static final KeyType ZMK = new KeyType(0x000, "ZMK");
    public static final KeyType ZPK = new KeyType(0x001, "ZPK");
    /** TPK; also PVK and TMK (same code). */
    public static final KeyType TPK = new KeyType(0x002, "TPK");
    public static final KeyType PVK = TPK;
    public static final KeyType TMK = TPK;
    public static final KeyType CVK = new KeyType(0x402, "CVK");
    public static final KeyType TAK = new KeyType(0x003, "TAK");
    public static final KeyType ZAK = new KeyType(0x008, "ZAK");
    public static final KeyType BDK = new KeyType(0x009, "BDK");
    public static final KeyType MK_AC = new KeyType(0x109, "MK-AC");
    /** ZEK; also DEK (same code). */
    public static final KeyType ZEK = new KeyType(0x00A, "ZEK");
    public static final KeyType DEK = ZEK;
    public static final KeyType TEK = new KeyType(0x00B, "TEK");
    public static final KeyType HMAC = new KeyType(0x10C, "HMAC");

    private final int code;
    private final String name;

    private KeyType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /**
     * The key type with this code (0x000...0x9FF; others are refused by the library with
     * {@link CACipherException#E_INVALID_ARG} when used).
     */
    public static KeyType of(int code) {
        for (KeyType k : new KeyType[] {ZMK, ZPK, TPK, CVK, TAK, ZAK, BDK, MK_AC, ZEK, TEK, HMAC}) {
            if (k.code == code) return k;
        }
        return new KeyType(code, String.format("%03X", code & 0xFFF));
    }

    /** The wire code (variant &lt;&lt; 8 | pair code). */
    public int code() {
        return code;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyType && ((KeyType) o).code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
