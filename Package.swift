// swift-tools-version:5.10
//
// libcacipher: a client library for groups of TASS/payShield-family financial HSMs.
// This manifest holds the library only, so a package depending on this repository resolves
// and builds no dependency but OpenSSL from the system. The emulator (EVSMKit, EVSMServer),
// the evsm and vsmctl executables and the tests that run an emulator in process are the
// nested package emulator/Package.swift, which depends on this one by path and brings in
// SwiftNIO, swift-argument-parser and swift-log (docs/architecture.md, "Packages").
//
// Module split (each one job; data flows one way):
//   HostProtocol  - frame codec, field types, command layouts, error table (both sides)
//   HSMSecrets    - SecureBytes, the secret buffer that zeroes itself (re-exported by HSMCrypto;
//                   CACipherCore links it alone, not the rest of HSMCrypto)
//   HSMCrypto     - thin, known-answer-tested wrappers over OpenSSL libcrypto
//   HSMNet        - the I/O floor (both sides): streams, connector, resolver, deadlines, locks,
//                   threads, fork epoch, TLS client and server, OpenSSL error text, atomic files
//   CACipherCore  - config, logging, connections, pool, host group, typed commands
//   CACipher      - the C ABI only (@_cdecl), built as libcacipher.so
//   TassCompat    - the vendor's C API (SDF_*, Tass_*, HSM_*) over the same core, built as
//                   libcacipher-tass.so (installed also as libTassApi_LINUX_64.so)
//   emulator/     - EVSMKit, EVSMServer, evsm, vsmctl (a separate package)
//   CACipherTestSupport - the tests' shared support (Tests/TestSupport; not the library):
//                   fake HSM, scripted peer, loopback client, RSA fixture, TLS material
//
// The library path (HostProtocol, HSMSecrets, HSMCrypto, HSMNet, CACipherCore, CACipher,
// TassCompat) does not import Foundation,
// so a release libcacipher.so links the Swift runtime statically and needs only libc,
// libm, libstdc++, libgcc_s and OpenSSL 3.
import PackageDescription

let package = Package(
    name: "cacipher",
    products: [
        .library(name: "cacipher", type: .dynamic, targets: ["CACipher"]),
        .library(name: "CACipherCore", targets: ["CACipherCore"]),
        // The vendor-compatible C library (libTassApi's functions over the same core).
        .library(name: "cacipher-tass", type: .dynamic, targets: ["TassCompat"]),
        // For the emulator package (emulator/Package.swift) and its tests; not a stable API.
        .library(name: "HostProtocol", targets: ["HostProtocol"]),
        .library(name: "HSMCrypto", targets: ["HSMCrypto"]),
        .library(name: "HSMNet", targets: ["HSMNet"]),
        .library(name: "TassCompat", targets: ["TassCompat"]),
        // The tests' shared support (Tests/TestSupport), for both packages' test targets.
        .library(name: "CACipherTestSupport", targets: ["CACipherTestSupport"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CLinuxIO", path: "Sources/CLinuxIO"),
        .target(name: "HostProtocol"),
        .target(name: "HSMSecrets", dependencies: ["COpenSSL"]),
        .target(name: "HSMCrypto", dependencies: ["HSMSecrets", "COpenSSL"]),
        .target(name: "HSMNet", dependencies: ["COpenSSL", "CLinuxIO"]),
        .target(name: "CACipherCore", dependencies: ["HostProtocol", "HSMNet", "HSMSecrets", "COpenSSL"]),
        .target(name: "CACipher", dependencies: ["CACipherCore"]),
        .target(name: "TassCompat", dependencies: ["CACipherCore", "HostProtocol", "HSMNet"], exclude: ["README.md"]),
        // The Swift example of `make examples` (examples/swift): the payment flow on CACipherCore.
        // `make perf` (docs/performance.md): calls/s, instructions and allocations per call.
        .executableTarget(name: "CACipherBench", dependencies: ["CACipher", "CACipherCore", "HostProtocol", "TassCompat"], path: "bench/micro", exclude: ["measure.sh"]),
        .executableTarget(name: "PaymentExample", dependencies: ["CACipherCore", "HostProtocol"], path: "examples/swift"),
        // Test support shared by the test targets of both packages (not part of the library):
        // a fake HSM, a scripted peer, a loopback client, the RSA fixture, temp directories.
        .target(name: "CACipherTestSupport", dependencies: ["HostProtocol", "HSMNet"], path: "Tests/TestSupport"),
        .testTarget(name: "HostProtocolTests", dependencies: ["HostProtocol"]),
        .testTarget(name: "HSMCryptoTests", dependencies: ["HSMCrypto", "HSMSecrets", "CACipherTestSupport"]),
        .testTarget(name: "HSMNetTests", dependencies: ["HSMNet", "COpenSSL"]),
        // The C API's own behaviour that needs no emulator (fork during Init / Finalize).
        .testTarget(name: "CACipherAPITests", dependencies: ["CACipher", "CACipherTestSupport"]),
    ]
)
