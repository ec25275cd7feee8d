/// HSMCrypto: thin wrappers over OpenSSL libcrypto (filled in by the crypto work).
public enum HSMCrypto {}
