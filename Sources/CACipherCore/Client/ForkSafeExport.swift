import HSMNet

/// The fork-safe lock of `HSMNet` for the C ABI target (which imports `CACipherCore` only):
/// its instance table is on a forked child's call path (`ForkSafety`).
package typealias ForkSafeLocked = PThreadLocked
