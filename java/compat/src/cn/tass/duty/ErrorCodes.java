package cn.tass.duty;

/**
 * The framework's error codes (vendor spec section 5.2; {@code cn.tass.duty.ErrorCodes} in
 * the vendor's 1.47 / Frame 2.57 jars): the negative codes a {@link cn.tass.exceptions.TAException}
 * carries for everything that is not an HSM's own answer. The vendor's constant names are not
 * published; these are named after their meaning and equal the int constants of
 * {@code TAException} ({@code TAException.PARAMETER_NULL == ErrorCodes.PARAMETER_NULL.getCode()}).
 */
public enum ErrorCodes {
    SUCCESS(0, "success"),
    FAILED(-100, "failed"),
    THREAD_CREATE_FAILED(-101, "thread creation failed"),
    NULL_DATA(-102, "null data"),
    NOT_INITIALIZED(-103, "interface not initialised"),
    QUEUE_ERROR(-200, "queue error"),
    QUEUE_EMPTY(-201, "queue empty"),
    QUEUE_LOOKUP_FAILED(-202, "queue lookup failed"),
    CONFIG_ERROR(-300, "configuration error"),
    CONFIG_OBJECT_ERROR(-301, "configuration object error"),
    NO_CONFIG(-302, "no configuration information"),
    CONFIG_FILE_READ_ERROR(-303, "configuration file read error"),
    BAD_CONFIG_FILE_NAME(-304, "bad configuration file name"),
    UNSUPPORTED_DEVICE_MODEL(-305, "unsupported device model"),
    INVALID_CONFIG_PARAMETER(-306, "invalid configuration parameter"),
    LOG_ERROR(-400, "log error"),
    LOG_EMPTY(-401, "empty log information"),
    LOG_WRITE_FAILED(-402, "log write failed"),
    LOG_UNKNOWN_CATEGORY(-403, "unknown log category"),
    SOCKET_ERROR(-500, "socket error"),
    SOCKET_CREATE_FAILED(-501, "socket create failed"),
    CONNECT_FAILED(-502, "connect failed"),
    TIMEOUT(-503, "timeout"),
    SOCKET_CONFIG_ERROR(-504, "socket configuration read error"),
    NOT_READY(-505, "not ready"),
    WRITE_FAILED(-506, "write failed"),
    READ_FAILED(-507, "read failed"),
    NO_USABLE_DEVICE(-508, "no usable device"),
    HOST_UNREACHABLE(-509, "host port unreachable"),
    PARAMETER_ERROR(-600, "parameter error"),
    PARAMETER_NULL(-601, "parameter null"),
    BAD_PARAMETER_VALUE(-602, "bad parameter value"),
    BAD_PARAMETER_LENGTH(-603, "bad parameter length"),
    UNSUPPORTED_ALGORITHM(-604, "unsupported algorithm"),
    CHECK_FAILED(-610, "check failed"),
    UNKNOWN_ERROR(-999, "unknown error");

    private final int code;
    private final String description;

    ErrorCodes(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The numeric code (0, or negative). */
    public int getCode() {
        return code;
    }

    /** What the code means, in English. */
    public String getDescription() {
        return description;
    }

    /** The constant with {@code code}, or null when the framework has none. */
    public static ErrorCodes of(int code) {
        for (ErrorCodes e : values()) {
            if (e.code == code) return e;
        }
        return null;
    }
}
