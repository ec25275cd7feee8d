package org.cacipher;

/**
 * {@link CACipher#verifyArqc} / {@link CACipher#verifyArqcAndGenerateArpc} (K6 modes 0/1):
 * {@code verified} true, with the ARPC (16 hex) for mode 1 ({@code null} for mode 0); or
 * {@code verified} false (the HSM answered 01) with its diagnostic value (16 hex) and no ARPC.
 * Also {@link CACipher#verifyArqcAndGenerateArpcMethod2} (KW mode 3), whose ARPC is 8 hex.
 */
public record ArqcResult(boolean verified, String arpc, String diagnostic) {
}
