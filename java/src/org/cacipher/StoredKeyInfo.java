package org.cacipher;

/**
 * {@link CACipher#storedKeyInfo} (KG): what the HSM holds at an index (no key material): the
 * key type, its scheme, its check value (16 hex), its label and when it was stored (evsm:
 * {@code YYYYMMDDhhmmss}, UTC; a device may use its own form).
 */
public record StoredKeyInfo(KeyType keyType, KeyScheme scheme, String checkValue, String label, String time) {
}
