package apps;

import cn.tass.exceptions.TAException;
import cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance;
import cn.tass.kits.Forms;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The shape of a database-field encryptor in a Spring / MyBatis service (the vendor spec's S2):
 * application properties name the HSMs as {@code ip[:port],ip[:port],...} with a default port,
 * the key type and the key index (an {@code Integer}) and optionally {@code linkNum} (default
 * -10); the inline configuration is assembled from them with one {@code [HOST n]} section per
 * address, numbered from 1, each ending in {@code ;} and the whole closed by {@code ;}}; one
 * process-wide instance is built lazily and shared by every thread; a value is S4/S3 under the
 * key (ECB, PKCS#5, no derivation) and stored as upper-case hex; every TAException becomes an
 * {@code IllegalArgumentException} with the TAException as its cause.
 */
final class FieldEncryptor {
    private static FieldEncryptor shared;

    private final hsmGeneralFinance hsm;
    private final String keyType;
    private final Integer key;

    private FieldEncryptor(hsmGeneralFinance hsm, String keyType, Integer key) {
        this.hsm = hsm;
        this.keyType = keyType;
        this.key = key;
    }

    /** The configuration string built from the properties hsm.ip, hsm.port, hsm.linkNum and log.path. */
    static String configFor(Properties p) {
        String linkNum = p.getProperty("hsm.linkNum", "").trim().isEmpty() ? "-10" : p.getProperty("hsm.linkNum").trim();
        StringBuilder s = new StringBuilder("{[LOGGER];logsw=error;logPath=" + p.getProperty("log.path", "./log/") + ";");
        String[] hosts = p.getProperty("hsm.ip").split(",");
        for (int i = 0; i < hosts.length; i++) {
            String h = hosts[i].trim();
            String port = p.getProperty("hsm.port");
            int colon = h.indexOf(':');
            if (colon >= 0) {
                port = h.substring(colon + 1);
                h = h.substring(0, colon);
            }
            s.append("[HOST ").append(i + 1).append("];hsmModel=EHSM;host=").append(h).append(";linkNum=").append(linkNum)
             .append(";timeout=3;port=").append(port).append(';');
        }
        return s.append('}').toString();
    }

    /** The process-wide encryptor, built on the first call (later properties are ignored, as in the original). */
    static synchronized FieldEncryptor get(Properties p) {
        if (shared == null) {
            String key = p.getProperty("hsm.key");
            if (key == null || p.getProperty("hsm.ip") == null || p.getProperty("hsm.keyType") == null) {
                throw new IllegalArgumentException("hsm.ip, hsm.keyType and hsm.key are required");
            }
            try {
                shared = new FieldEncryptor(hsmGeneralFinance.getInstance(configFor(p)), p.getProperty("hsm.keyType"), Integer.valueOf(key));
            } catch (TAException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return shared;
    }

    String encrypt(String value) {
        if (value == null || value.trim().isEmpty() || "null".equals(value)) return value;
        try {
            return Forms.byteToHexString(hsm.generalDataEnc(0, keyType, key, "", 0, "", 4, value.getBytes(StandardCharsets.UTF_8), ""));
        } catch (TAException e) {
            throw new IllegalArgumentException(e);
        }
    }

    String decrypt(String value) {
        if (value == null || value.trim().isEmpty() || "null".equals(value)) return value;
        try {
            return new String(hsm.generalDataDec(0, keyType, key, "", 0, "", 4, Forms.hexStringToByte(value), ""), StandardCharsets.UTF_8);
        } catch (TAException e) {
            throw new IllegalArgumentException(e);
        }
    }

    hsmGeneralFinance hsm() {
        return hsm;
    }
}
