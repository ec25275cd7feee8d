package org.cacipher;

/**
 * {@code encryptData}/{@code decryptData}: the output bytes and, in CBC mode, the IV of the
 * next part (the last cipher block, hex); {@code null} in ECB mode. {@code data} is the
 * caller's array (decrypted data: wipe it with {@code Arrays.fill} when done).
 */
public record DataResult(byte[] data, String nextIv) {
}
