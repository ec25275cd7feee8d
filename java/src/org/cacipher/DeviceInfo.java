package org.cacipher;

/** {@link CACipher#deviceInfo} (NC): DMK check value (16 hex, all 0 without DMK), firmware version, serial. */
public record DeviceInfo(String dmkCheckValue, String version, String serial) {
}
