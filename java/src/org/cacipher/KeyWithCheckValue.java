package org.cacipher;

/**
 * A key field and its check value (16 hex): {@link CACipher#importKey} (the key under the
 * LMK), {@link CACipher#exportKey} (under the ZMK), {@link CACipher#formKeyFromComponents}.
 */
public record KeyWithCheckValue(String key, String checkValue) {
}
