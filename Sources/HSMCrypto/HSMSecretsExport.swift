// SecureBytes lives in HSMSecrets (a module of its own, so the C libraries link it without
// the rest of HSMCrypto); re-exported so `import HSMCrypto` is enough for it.
@_exported import HSMSecrets
