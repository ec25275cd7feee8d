package org.cacipher;

import java.nio.charset.StandardCharsets;

/**
 * A call of libcacipher failed.
 *
 * <p>{@link #getCode()} is the C result code: {@code 1...99} an HSM answered with that error
 * code (for example {@link #HSM_KEY_TYPE_NOT_ALLOWED} 27 for a key of the wrong type), a
 * negative value a library error ({@link #E_INVALID_ARG}, {@link #E_ALL_DOWN}, ...; see
 * docs/error-codes.md). The message is the library's detailed text
 * ({@code CACipher_LastError}), for example
 * {@code "CACipher_GenerateMAC: generate MAC (M6): HSM error 27: ..."}. Messages never contain
 * keys, PINs or data.
 *
 * <p>This is a checked exception: an HSM refusing a command or a group that is down are
 * conditions a payment application must handle. Programming errors are unchecked:
 * {@code null} for a required argument is a {@link NullPointerException} naming the argument.
 */
public class CACipherException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Library codes ({@code CACIPHER_E_*} in cacipher.h). */
    public static final int E_INVALID_ARG = -1;
    public static final int E_BUFFER_TOO_SMALL = -2;
    /** No instance: also thrown by every call on a closed {@link CACipher}. */
    public static final int E_NOT_INITIALIZED = -3;
    public static final int E_ALREADY_INITIALIZED = -4;
    public static final int E_CONFIG = -5;
    public static final int E_CONFIG_FILE = -6;
    public static final int E_LOG = -7;
    public static final int E_NO_MEMORY = -8;
    public static final int E_CONNECT = -10;
    public static final int E_TIMEOUT = -11;
    public static final int E_ALL_DOWN = -12;
    public static final int E_BAD_FRAME = -13;
    public static final int E_IO = -14;
    public static final int E_POOL_EXHAUSTED = -15;
    public static final int E_DMK_MISMATCH = -16;
    public static final int E_RETRY_BUDGET = -17;
    public static final int E_TLS = -20;
    public static final int E_TLS_VERIFY = -21;
    public static final int E_INTERNAL = -99;

    /** HSM codes ({@code CACIPHER_HSM_*} in cacipher.h); others pass through unchanged. */
    public static final int HSM_VERIFICATION_FAILED = 1;
    public static final int HSM_SOURCE_KEY_PARITY = 10;
    public static final int HSM_DEST_KEY_PARITY = 11;
    public static final int HSM_NO_KEY_AT_INDEX = 12;
    public static final int HSM_NOT_INITIALISED = 13;
    public static final int HSM_INVALID_INPUT = 15;
    public static final int HSM_PIN_BLOCK_ERROR = 20;
    public static final int HSM_PIN_BLOCK_FORMAT = 23;
    public static final int HSM_PIN_LENGTH = 24;
    public static final int HSM_INVALID_KEY_SCHEME = 26;
    public static final int HSM_KEY_TYPE_NOT_ALLOWED = 27;
    public static final int HSM_NOT_SUPPORTED = 68;
    public static final int HSM_LENGTH_ERROR = 80;
    public static final int HSM_INTERNAL_ERROR = 99;

    /**
     * Configuration kinds ({@code CACIPHER_CONFIG_*} in cacipher.h, {@code CACipher_LastErrorKind}):
     * which rule a configuration error broke, as {@link #getConfigKind()} returns it. The
     * library sets the kind where it raises the error, so a caller can tell the cases apart
     * without reading the message. Values never change; new ones are only added.
     */
    public static final int CONFIG_NONE = 0;
    /** {@code E_CONFIG}: a line neither [SECTION] nor key=value, a header without ']', '=' without a key, a section twice, both host forms. */
    public static final int CONFIG_SYNTAX = 1;
    /** {@code E_CONFIG}: no [HOST1], a host section without host= or port=. */
    public static final int CONFIG_NO_HOST = 2;
    /** {@code E_CONFIG_FILE}: an empty file path. */
    public static final int CONFIG_NO_CONFIGURATION = 3;
    /** {@code E_CONFIG_FILE}: the file is missing, unreadable or over 1 MiB. */
    public static final int CONFIG_FILE_UNREADABLE = 4;
    /** {@code E_CONFIG_FILE}: the path is a directory. */
    public static final int CONFIG_NOT_A_FILE = 5;
    /** {@code E_CONFIG}: a known key with a bad value. */
    public static final int CONFIG_BAD_VALUE = 6;
    /** {@code E_CONFIG}: an hsmModel with no device family, only with {@link CACipher#OPEN_KNOWN_MODELS_ONLY}. */
    public static final int CONFIG_UNKNOWN_MODEL = 7;
    /** {@code E_CONFIG}: logsw names no category. */
    public static final int CONFIG_UNKNOWN_LOG_CATEGORY = 8;
    /** {@code E_LOG}: logPath missing, not a directory or not writable. */
    public static final int CONFIG_LOG_PATH = 9;

    private final int code;
    private final int configKind;

    public CACipherException(int code, String message) {
        this(code, message, CONFIG_NONE);
    }

    /** An error with a configuration kind ({@link #CONFIG_SYNTAX}, ...; {@link #CONFIG_NONE} for none). */
    public CACipherException(int code, String message, int configKind) {
        super(message);
        this.code = code;
        this.configKind = configKind;
    }

    /** Called by the JNI glue: the message as the library's UTF-8 bytes, and {@code CACipher_LastErrorKind()}. */
    CACipherException(int code, byte[] utf8Message, int configKind) {
        this(code, utf8Message == null ? "" : new String(utf8Message, StandardCharsets.UTF_8), configKind);
    }

    /** Called by the JNI glue without a kind (the state listener's calls). */
    CACipherException(int code, byte[] utf8Message) {
        this(code, utf8Message, CONFIG_NONE);
    }

    /** The C result code: 1...99 from the HSM, negative from the library. */
    public int getCode() {
        return code;
    }

    /**
     * Which configuration rule failed ({@link #CONFIG_SYNTAX}, {@link #CONFIG_NO_HOST}, ...) for
     * an error of opening a configuration ({@code E_CONFIG}, {@code E_CONFIG_FILE},
     * {@code E_LOG}); {@link #CONFIG_NONE} for every other error.
     */
    public int getConfigKind() {
        return configKind;
    }

    /** True when an HSM refused the command (code 1...99). */
    public boolean isHsmError() {
        return code >= 1 && code <= 99;
    }

    /** The library's short text for the code ({@code CACipher_ErrorString}). */
    public String getCodeText() {
        return CACipher.errorString(code);
    }
}
