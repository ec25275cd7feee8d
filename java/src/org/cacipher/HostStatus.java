package org.cacipher;

/**
 * What the group knows of one HSM now ({@link CACipher#hostStatus}): a snapshot.
 *
 * @param state         the member's state
 * @param inFlight      commands on the wire to this member now
 * @param completed     replies received since the instance opened
 * @param failures      transport failures (connect, timeout, reset, bad frame)
 * @param ejections     times the member was ejected
 * @param latencyMicros moving average of the reply time, microseconds
 * @param dmkCheckValue 16 hex from NC, "" until read
 * @param lastError     the last transport failure, "" if none
 */
public record HostStatus(State state, int inFlight, long completed, long failures, long ejections, double latencyMicros,
                         String dmkCheckValue, String lastError) {
    /** {@code CACIPHER_MEMBER_*}. */
    public enum State {
        UNKNOWN, UP, EJECTED, DMK_MISMATCH, NOT_INITIALISED;

        static State of(int code) {
            State[] all = values();
            return code >= 0 && code < all.length ? all[code] : UNKNOWN;
        }
    }
}
