// swift-tools-version:5.10
//
// libcacipher: a client library for groups of TASS/payShield-family financial HSMs,
// the evsm emulator and the vsmctl ceremony tool.
//
// Module split (each one job; data flows one way):
//   HostProtocol  - frame codec, field types, command layouts, error table (both sides)
//   HSMCrypto     - thin, known-answer-tested wrappers over OpenSSL libcrypto
//   CACipherCore  - config, logging, connections, pool, host group, typed commands
//   CACipher      - the C ABI only (@_cdecl), built as libcacipher.so
//   TassCompat    - the vendor's C API (SDF_*, Tass_*, HSM_*) over the same core, built as
//                   libcacipher-tass.so (installed also as libTassApi_LINUX_64.so)
//   EVSMKit       - the emulated device: state, LMKs, key rules, command handlers, ceremony
//   EVSMServer    - listeners around EVSMKit: the SwiftNIO plain host port, the blocking
//                   OpenSSL TLS host port and TLS management port
//   evsm, vsmctl  - executables
//
// The library path (HostProtocol, CACipherCore, CACipher) does not import Foundation,
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
        .executable(name: "evsm", targets: ["evsm"]),
        .executable(name: "vsmctl", targets: ["vsmctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "HostProtocol"),
        .target(name: "HSMCrypto", dependencies: ["COpenSSL"]),
        .target(name: "CACipherCore", dependencies: ["HostProtocol", "COpenSSL"]),
        .target(name: "CACipher", dependencies: ["CACipherCore"]),
        .target(name: "TassCompat", dependencies: ["CACipherCore", "HostProtocol"], exclude: ["README.md"]),
        .target(name: "EVSMKit", dependencies: ["HostProtocol", "HSMCrypto"]),
        .target(
            name: "EVSMServer",
            dependencies: [
                "EVSMKit", "HostProtocol", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),  // evsm --metrics-port
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "evsm",
            dependencies: [
                "EVSMServer", "EVSMKit", "CACipherCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "vsmctl",
            dependencies: [
                "EVSMKit", "EVSMServer", "HSMCrypto", "COpenSSL", "CACipherCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The Swift example of `make examples` (examples/swift): the payment flow on CACipherCore.
        // `make perf` (docs/performance.md): calls/s, instructions and allocations per call.
        .executableTarget(name: "CACipherBench", dependencies: ["CACipher", "CACipherCore", "HostProtocol", "TassCompat"], path: "bench/micro", exclude: ["measure.sh"]),
        // `make bench` (bench/run.sh): the async API's event-loop lateness and overhead.
        .executableTarget(name: "AsyncBench", dependencies: ["CACipherCore", "HostProtocol",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")], path: "bench/async"),
        .executableTarget(name: "PaymentExample", dependencies: ["CACipherCore", "HostProtocol"], path: "examples/swift"),
        .testTarget(name: "HostProtocolTests", dependencies: ["HostProtocol"]),
        .testTarget(name: "TassCompatTests", dependencies: ["TassCompat", "CACipherCore", "EVSMKit", "EVSMServer"]),
        .testTarget(name: "HSMCryptoTests", dependencies: ["HSMCrypto"]),
        .testTarget(
            name: "CACipherCoreTests",
            // EVSMKit/EVSMServer: the TLS tests run the emulator's TLS host port in process.
            dependencies: ["CACipherCore", "HostProtocol", "EVSMKit", "EVSMServer"]
        ),
        .testTarget(
            name: "EVSMKitTests",
            dependencies: [
                "EVSMKit", "EVSMServer", "HSMCrypto", "HostProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
