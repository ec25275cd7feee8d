package org.cacipher;

/**
 * {@link CACipher#exportKeyUnderProtection} (SH): the cryptogram (header || key under the
 * protection key, hex) and the exported key's check value (16 hex).
 */
public record ProtectedKeyExport(String cryptogram, String checkValue) {
}
