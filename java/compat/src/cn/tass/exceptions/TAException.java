package cn.tass.exceptions;

import cn.tass.duty.ErrorCodes;

/**
 * The exception of the vendor-compatible API (cn.tass.*), thrown by every method of
 * {@code hsmGeneralFinance}. {@link #getErrorCode()} is the HSM's error code (1...99) for a
 * command the HSM refused, or one of the framework's negative codes below for everything
 * else (bad arguments, configuration, network). Messages name arguments and fields, never
 * keys, PINs or data.
 */
public class TAException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final int SUCCESS = 0;
    public static final int FAILED = -100;
    public static final int THREAD_CREATE_FAILED = -101;
    public static final int NULL_DATA = -102;
    public static final int NOT_INITIALIZED = -103;
    public static final int QUEUE_ERROR = -200;
    public static final int QUEUE_EMPTY = -201;
    public static final int QUEUE_LOOKUP_FAILED = -202;
    public static final int CONFIG_ERROR = -300;
    public static final int CONFIG_OBJECT_ERROR = -301;
    public static final int NO_CONFIG = -302;
    public static final int CONFIG_FILE_READ_ERROR = -303;
    public static final int BAD_CONFIG_FILE_NAME = -304;
    public static final int UNSUPPORTED_DEVICE_MODEL = -305;
    public static final int INVALID_CONFIG_PARAMETER = -306;
    public static final int LOG_ERROR = -400;
    public static final int LOG_EMPTY = -401;
    public static final int LOG_WRITE_FAILED = -402;
    public static final int LOG_UNKNOWN_CATEGORY = -403;
    public static final int SOCKET_ERROR = -500;
    public static final int SOCKET_CREATE_FAILED = -501;
    public static final int CONNECT_FAILED = -502;
    public static final int TIMEOUT = -503;
    public static final int SOCKET_CONFIG_ERROR = -504;
    public static final int NOT_READY = -505;
    public static final int WRITE_FAILED = -506;
    public static final int READ_FAILED = -507;
    public static final int NO_USABLE_DEVICE = -508;
    public static final int HOST_UNREACHABLE = -509;
    public static final int PARAMETER_ERROR = -600;
    public static final int PARAMETER_NULL = -601;
    public static final int BAD_PARAMETER_VALUE = -602;
    public static final int BAD_PARAMETER_LENGTH = -603;
    public static final int UNSUPPORTED_ALGORITHM = -604;
    public static final int CHECK_FAILED = -610;
    public static final int UNKNOWN_ERROR = -999;

    private final int errorCode;

    /** A framework error with {@link #UNKNOWN_ERROR}. */
    public TAException(String message) {
        this(UNKNOWN_ERROR, message);
    }

    public TAException(String message, Throwable cause) {
        this(UNKNOWN_ERROR, message, cause);
    }

    public TAException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public TAException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /**
     * An exception caused by {@code cause}: its code when {@code cause} is a TAException (a
     * rethrow keeps the HSM's or the framework's code), else {@link #UNKNOWN_ERROR}. The
     * message is the cause's {@code toString()}, as {@link Exception#Exception(Throwable)}.
     */
    public TAException(Throwable cause) {
        super(cause);
        this.errorCode = cause instanceof TAException ? ((TAException) cause).getErrorCode() : UNKNOWN_ERROR;
    }

    /** A framework error by its {@link ErrorCodes} constant; the message is the code's description ({@link #UNKNOWN_ERROR} for null). */
    public TAException(ErrorCodes code) {
        this(code == null ? UNKNOWN_ERROR : code.getCode(), code == null ? ErrorCodes.UNKNOWN_ERROR.getDescription() : code.getDescription());
    }

    /** A framework error by its {@link ErrorCodes} constant with a message of its own. */
    public TAException(ErrorCodes code, String message) {
        this(code == null ? UNKNOWN_ERROR : code.getCode(), message);
    }

    /** A framework error by its {@link ErrorCodes} constant, a message and a cause. */
    public TAException(ErrorCodes code, String message, Throwable cause) {
        this(code == null ? UNKNOWN_ERROR : code.getCode(), message, cause);
    }

    /** The HSM's code 1...99, or a negative framework code (the constants of this class). */
    public int getErrorCode() {
        return errorCode;
    }

    /** True when the HSM answered with an error code (1...99). */
    public boolean isDeviceError() {
        return errorCode > 0 && errorCode < 100;
    }

    /** {@code " Error [NN] ,<description>"} as the vendor's, for device and framework errors alike. */
    @Override
    public String toString() {
        String code = isDeviceError() ? String.format("%02d", errorCode) : Integer.toString(errorCode);
        return " Error [" + code + "] ," + getMessage();
    }
}
