package org.cacipher.tass.impl;

import cn.tass.exceptions.TAException;
import org.cacipher.CACipherException;

/**
 * The framework codes of the vendor spec's section 5.2 for a configuration that does not open,
 * instead of one -300 for all of them:
 *
 * <pre>
 *   -301 CONFIG_OBJECT_ERROR      CONFIG_SYNTAX: the text is not a configuration (a line neither [SECTION]
 *                                 nor key=value, a header without ']', a key missing before '=', a section twice)
 *   -302 NO_CONFIG                CONFIG_NO_HOST, CONFIG_NO_CONFIGURATION: no device configured (no [HOST n],
 *                                 one without host= / port=), or no configuration at all
 *   -303 CONFIG_FILE_READ_ERROR   CONFIG_FILE_UNREADABLE: the file does not exist or cannot be read
 *   -304 BAD_CONFIG_FILE_NAME     CONFIG_NOT_A_FILE: the path names a directory (a NUL in it: hsmGeneralFinance)
 *   -305 UNSUPPORTED_DEVICE_MODEL CONFIG_UNKNOWN_MODEL: hsmModel names no device this library serves
 *   -306 INVALID_CONFIG_PARAMETER CONFIG_BAD_VALUE: a known key with a bad value (port=abc, timeout=-1, ...)
 *   -400 LOG_ERROR                CONFIG_LOG_PATH: logPath does not exist or cannot be written
 *   -403 LOG_UNKNOWN_CATEGORY     CONFIG_UNKNOWN_LOG_CATEGORY: logsw names a category that does not exist
 * </pre>
 *
 * The kind is the library's own ({@link CACipherException#getConfigKind()}, from
 * {@code CACipher_LastErrorKind}): libcacipher sets it where it raises the error, so neither the
 * message's wording nor a list of models is repeated here. The configuration is opened with
 * {@link org.cacipher.CACipher#OPEN_KNOWN_MODELS_ONLY}, so the library's own model list decides
 * -305. A configuration error without a kind (a rule added without one) is the generic -300
 * {@code CONFIG_ERROR}. The message passed on is the library's (it names the section, key and
 * value, never a secret).
 */
public final class ConfigErrors {
    private ConfigErrors() {
    }

    /** The vendor's code for a library error raised while opening a configuration. */
    static TAException map(CACipherException e) {
        int ta = vendorCode(e.getConfigKind(), e.getCode());
        if (ta == 0) return CACipherBackend.map(e);
        String m = e.getMessage() == null ? "" : e.getMessage();
        return new TAException(ta, m + " (libcacipher " + e.getCode() + ")", e);
    }

    /**
     * The section 5.2 code for a configuration kind ({@link CACipherException#getConfigKind()})
     * and, for no kind or one this class does not know yet, by the library code alone:
     * {@code E_CONFIG} -300, {@code E_CONFIG_FILE} -303, {@code E_LOG} -400; 0 when the error is
     * not a configuration error (the caller then maps it as any other library error).
     * Public for the suite's table check (TassCompatTest), not part of the vendor's API.
     */
    public static int vendorCode(int kind, int code) {
        switch (kind) {
            case CACipherException.CONFIG_SYNTAX: return TAException.CONFIG_OBJECT_ERROR;
            case CACipherException.CONFIG_NO_HOST: return TAException.NO_CONFIG;
            case CACipherException.CONFIG_NO_CONFIGURATION: return TAException.NO_CONFIG;
            case CACipherException.CONFIG_FILE_UNREADABLE: return TAException.CONFIG_FILE_READ_ERROR;
            case CACipherException.CONFIG_NOT_A_FILE: return TAException.BAD_CONFIG_FILE_NAME;
            case CACipherException.CONFIG_BAD_VALUE: return TAException.INVALID_CONFIG_PARAMETER;
            case CACipherException.CONFIG_UNKNOWN_MODEL: return TAException.UNSUPPORTED_DEVICE_MODEL;
            case CACipherException.CONFIG_UNKNOWN_LOG_CATEGORY: return TAException.LOG_UNKNOWN_CATEGORY;
            case CACipherException.CONFIG_LOG_PATH: return TAException.LOG_ERROR;
            default: break;
        }
        switch (code) {
            case CACipherException.E_CONFIG: return TAException.CONFIG_ERROR;
            case CACipherException.E_CONFIG_FILE: return TAException.CONFIG_FILE_READ_ERROR;
            case CACipherException.E_LOG: return TAException.LOG_ERROR;
            default: return 0;
        }
    }
}
