package org.cacipher;

/**
 * {@code translatePinTpkToZpk}/{@code translatePinZpkToZpk}: the PIN block under the
 * destination ZPK (16 hex, 32 under SM4/AES keys) and the number of PIN digits.
 */
public record TranslatedPin(String pinBlock, int pinLength) {
}
