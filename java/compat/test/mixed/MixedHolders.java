package mixed;

import cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance;
import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.KeyScheme;
import org.cacipher.KeyType;

/**
 * One process using both APIs on the same configuration: org.cacipher.CACipher (from
 * java.library.path) and the compat classes (their embedded copy). Closing the org.cacipher
 * shared instance, as its try-with-resources use does, must not break the compat singleton
 * (issue 16): the compat instance is its own CACipher.open. Last line:
 * {@code java-compat: N passed, M failed}.
 *
 *   java -Djava.library.path=PREFIX/lib -cp cacipher-tass-compat.jar:classes mixed.MixedHolders CONFIG
 */
public final class MixedHolders {
    public static void main(String[] args) throws Exception {
        int passed = 0, failed = 0;
        String config = args[0];
        hsmGeneralFinance api = hsmGeneralFinance.getInstance(config);
        try (CACipher other = CACipher.getInstance(config)) {
            other.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT);
        }
        try {
            CACipher.getInstance(config).close();
        } catch (RuntimeException e) {
            failed++;
        }
        try {
            if (api.genWorkKey("ZPK", 'U', 0, null).length == 2 && hsmGeneralFinance.getInstance(config) == api) passed++;
            else failed++;
        } catch (Exception e) {
            System.out.println("FAIL - the compat instance after an org.cacipher holder closed its instance: " + e);
            failed++;
        }
        try {
            CACipher.getInstance(config).generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT);
            passed++;
        } catch (CACipherException e) {
            System.out.println("FAIL - org.cacipher reopens: " + e);
            failed++;
        }
        System.out.println("java-compat: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
