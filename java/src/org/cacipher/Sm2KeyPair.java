package org.cacipher;

/** {@link CACipher#sm2GenerateKeyPair}: the public key (128 hex, X || Y) and the private key under the LMK (80 hex: the 40-byte blob). */
public record Sm2KeyPair(String publicKey, String privateKey) {
}
