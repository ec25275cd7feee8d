package org.cacipher;

/**
 * {@link CACipher#generateKey}: the new key under the LMK, under the ZMK when one was given
 * ({@code null} otherwise), and its check value (16 hex). Keys are key-field text.
 */
public record GeneratedKey(String keyUnderLmk, String keyUnderZmk, String checkValue) {
}
