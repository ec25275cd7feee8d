// The host-protocol types (`HostErrorCode`, `KeyType`, `KeyField`, `HostMessage`, the
// command layouts) are part of CACipherCore's public API: typed calls take and return them.
// Re-exported so `import CACipherCore` is enough for a consumer of the CACipherCore product
// (HostProtocol is not a product of its own).
@_exported import HostProtocol
