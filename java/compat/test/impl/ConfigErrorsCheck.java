package impl;

import cn.tass.exceptions.TAException;
import org.cacipher.CACipherException;
import org.cacipher.tass.impl.ConfigErrors;

/**
 * The adapter's table from the library's configuration kind (CACipherException.getConfigKind(),
 * CACipher_LastErrorKind) to the vendor's section 5.2 code, row by row, and what it does without
 * a kind (a configuration error raised without one, or a kind added to the library later): the
 * library code alone decides, -300 for E_CONFIG, never a guess. No device, no native call.
 * Last line: {@code java-compat: N passed, M failed}.
 *
 *   java -cp cacipher-tass-compat.jar:classes impl.ConfigErrorsCheck
 */
public final class ConfigErrorsCheck {
    public static void main(String[] args) {
        int[][] rows = {
            {CACipherException.CONFIG_SYNTAX, CACipherException.E_CONFIG, TAException.CONFIG_OBJECT_ERROR},
            {CACipherException.CONFIG_NO_HOST, CACipherException.E_CONFIG, TAException.NO_CONFIG},
            {CACipherException.CONFIG_NO_CONFIGURATION, CACipherException.E_CONFIG_FILE, TAException.NO_CONFIG},
            {CACipherException.CONFIG_FILE_UNREADABLE, CACipherException.E_CONFIG_FILE, TAException.CONFIG_FILE_READ_ERROR},
            {CACipherException.CONFIG_NOT_A_FILE, CACipherException.E_CONFIG_FILE, TAException.BAD_CONFIG_FILE_NAME},
            {CACipherException.CONFIG_BAD_VALUE, CACipherException.E_CONFIG, TAException.INVALID_CONFIG_PARAMETER},
            {CACipherException.CONFIG_UNKNOWN_MODEL, CACipherException.E_CONFIG, TAException.UNSUPPORTED_DEVICE_MODEL},
            {CACipherException.CONFIG_UNKNOWN_LOG_CATEGORY, CACipherException.E_CONFIG, TAException.LOG_UNKNOWN_CATEGORY},
            {CACipherException.CONFIG_LOG_PATH, CACipherException.E_LOG, TAException.LOG_ERROR},
            // no kind, or one this jar does not know: by the library code
            {CACipherException.CONFIG_NONE, CACipherException.E_CONFIG, TAException.CONFIG_ERROR},
            {99, CACipherException.E_CONFIG, TAException.CONFIG_ERROR},
            {CACipherException.CONFIG_NONE, CACipherException.E_CONFIG_FILE, TAException.CONFIG_FILE_READ_ERROR},
            {CACipherException.CONFIG_NONE, CACipherException.E_LOG, TAException.LOG_ERROR},
            // not a configuration error: 0, mapped as any other library error
            {CACipherException.CONFIG_NONE, CACipherException.E_CONNECT, 0},
        };
        int passed = 0, failed = 0;
        for (int[] r : rows) {
            int got = ConfigErrors.vendorCode(r[0], r[1]);
            if (got == r[2]) {
                passed++;
            } else {
                failed++;
                System.out.println("FAIL - configuration kind " + r[0] + " with library code " + r[1] + ": " + got + ", want " + r[2]);
            }
        }
        System.out.println("ok - ConfigErrors: " + rows.length + " rows of kind to section 5.2 code");
        System.out.println("java-compat: " + passed + " passed, " + failed + " failed");
    }
}
