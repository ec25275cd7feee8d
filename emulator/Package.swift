// swift-tools-version:5.10
//
// The emulator side of libcacipher, a package of its own so that a consumer of the library
// (the root Package.swift) never resolves SwiftNIO, swift-argument-parser or swift-log.
// It depends on the library by path (the repository root).
//
//   EVSMKit       - the emulated device: state, LMKs, key rules, command handlers, ceremony
//   EVSMServer    - listeners around EVSMKit: the SwiftNIO plain host port, the blocking
//                   OpenSSL TLS host port and TLS management port
//   evsm, vsmctl  - executables
//   AsyncBench    - `make bench`: the async API on a SwiftNIO event loop (bench/async)
//   tests         - EVSMKitTests, and the library's tests that run an emulator in process
//                   (CACipherCoreTests, TassCompatTests); shared support from the root's
//                   CACipherTestSupport (Tests/TestSupport)
//
// Build and test from the repository root: `make build`, `make swift-test`, or
// `swift build --package-path emulator`; bin path: `swift build --package-path emulator --show-bin-path`.
import PackageDescription

let package = Package(
    name: "cacipher-emulator",
    products: [
        .executable(name: "evsm", targets: ["evsm"]),
        .executable(name: "vsmctl", targets: ["vsmctl"]),
    ],
    dependencies: [
        .package(name: "cacipher", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "EVSMKit",
            dependencies: [
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMCrypto", package: "cacipher"),
            ]
        ),
        .target(
            name: "EVSMServer",
            dependencies: [
                "EVSMKit",
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMCrypto", package: "cacipher"),  // brings the COpenSSL module
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),  // evsm --metrics-port
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "evsm",
            dependencies: [
                "EVSMServer", "EVSMKit",
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "vsmctl",
            dependencies: [
                "EVSMKit", "EVSMServer",
                .product(name: "HSMCrypto", package: "cacipher"),
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench` (bench/run.sh): the async API's event-loop lateness and overhead (on NIO).
        .executableTarget(
            name: "AsyncBench",
            dependencies: [
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "bench/async"
        ),
        .testTarget(
            name: "TassCompatTests",
            dependencies: [
                "EVSMKit", "EVSMServer",
                .product(name: "TassCompat", package: "cacipher"),
                .product(name: "CACipherCore", package: "cacipher"),
            ]
        ),
        .testTarget(
            name: "CACipherCoreTests",
            // EVSMKit/EVSMServer: the TLS tests run the emulator's TLS host port in process.
            dependencies: [
                "EVSMKit", "EVSMServer",
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "CACipherTestSupport", package: "cacipher"),
            ]
        ),
        .testTarget(
            name: "EVSMKitTests",
            dependencies: [
                "EVSMKit", "EVSMServer",
                .product(name: "HSMCrypto", package: "cacipher"),
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CACipherTestSupport", package: "cacipher"),
            ]
        ),
    ]
)
