// `SecureBytes` (HSMSecrets, re-exported by HSMCrypto): the buffer for secrets that zeroes its storage when the last
// holder lets go, and `SecureBytes.wipe(_:)` / `zero(_:)` for an array still in flight. Part
// of CACipherCore's public API since 1.0 (the typed calls' callers zero PINs and clear keys
// with `SecureBytes.zero`), so `import CACipherCore` keeps reaching it.
import HSMSecrets

/// The secret buffer of HSMSecrets, under the name CACipherCore has always exported.
public typealias SecureBytes = HSMSecrets.SecureBytes
