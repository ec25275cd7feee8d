package cn.tass.duty.drivers;

/**
 * The vendor driver's value tables (vendor spec section 4, {@code cn.tass.duty.drivers.SJJ1310}
 * of TassHsmDriver 3.83): {@link PaddingMode} and {@link KeyType}, with the values the
 * {@code hsmGeneralFinance} methods take ({@code padFlag} ints, key-type strings). This jar has
 * no driver to instantiate: every call goes through libcacipher.
 */
public final class SJJ1310 {
    private SJJ1310() {
    }

    /**
     * {@code SJJ1310$PaddingMode}: the {@code padFlag} values. {@code PBOC2_MAC} and
     * {@code ISO_9797_1_2} are the same padding (1), as are {@code ANSI_X919} and
     * {@code ISO_9797_1_1} (2). {@code PBOC3_ENC} (16) has no published definition: the
     * methods refuse it with -604 before anything is sent.
     */
    public enum PaddingMode {
        PBOC2_ENC(0),
        PBOC2_MAC(1),
        ISO_9797_1_2(1),
        ANSI_X919(2),
        ISO_9797_1_1(2),
        ANSI_X923(3),
        PKCS_5(4),
        NONE(5),
        PBOC3_ENC(16);

        private final int value;

        PaddingMode(int value) {
            this.value = value;
        }

        /** The {@code padFlag} value. */
        public int getValue() {
            return value;
        }
    }

    /**
     * {@code SJJ1310$KeyType}: key type names and their 3-character codes (vendor C spec
     * section 5.4, plus EDK {@code 007}). The methods taking a key-type {@code String} accept
     * {@link #name()} and {@link #getCode()} alike.
     */
    public enum KeyType {
        ZMK("000"),
        KEK("000"),
        ZPK("001"),
        PVK("002"),
        TPK("002"),
        TMK("002"),
        TAK("003"),
        BDK("009"),
        MK_AC("109"),
        MDK("109"),
        MK_SMI("209"),
        MK_SMC("309"),
        CVK("402"),
        MK_DAK("409"),
        MK_DN("509"),
        ZEK("00A"),
        HMAC("10C"),
        DEK("00A"),
        KMC("011"),
        ZAK("008"),
        TEK("00B"),
        EDK("007");

        private final String code;

        KeyType(String code) {
            this.code = code;
        }

        /** The 3-character code ("00A"). */
        public String getCode() {
            return code;
        }
    }
}
