// swift-tools-version:5.10
//
// The emulator side of libcacipher, a package of its own so that a consumer of the library
// (the root Package.swift) never resolves SwiftNIO, swift-argument-parser or swift-log.
// It depends on the library by path (the repository root).
//
//   ManagementProtocol - the management port's frame, typed requests/responses, ranges
//   EVSMKit       - the emulated device: state, LMKs, key rules, command handlers, ceremony
//   EVSMServer    - listeners around EVSMKit: the SwiftNIO plain host port, the blocking
//                   OpenSSL TLS host port and TLS management port (one set of host frame rules)
//   EVSMBench     - `evsm --bench`: host commands per second against an in-process listener
//   VSMOperator   - the operator's side of the ceremony (client, steps, UKEY files, PINs)
//   evsm, vsmctl  - executables (vsmctl depends on VSMOperator alone)
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
        // The management port's protocol (what HostProtocol is to the host port): the frame,
        // typed requests and responses, the ranges both ends check, the ceremony error codes.
        .target(
            name: "ManagementProtocol",
            dependencies: [
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMCrypto", package: "cacipher"),
                .product(name: "HSMNet", package: "cacipher"),  // the frames over BlockingTLSStream
            ]
        ),
        .target(
            name: "EVSMKit",
            dependencies: [
                "ManagementProtocol",
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMCrypto", package: "cacipher"),
                .product(name: "HSMNet", package: "cacipher"),
            ]
        ),
        .target(
            name: "EVSMServer",
            dependencies: [
                "EVSMKit", "ManagementProtocol",
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMCrypto", package: "cacipher"),  // brings the COpenSSL module
                .product(name: "HSMNet", package: "cacipher"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),  // evsm --metrics-port
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `evsm --bench`: host commands per second against an in-process listener.
        .target(
            name: "EVSMBench",
            dependencies: [
                "EVSMKit", "EVSMServer",
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMNet", package: "cacipher"),
            ]
        ),
        .executableTarget(
            name: "evsm",
            dependencies: [
                "EVSMServer", "EVSMKit", "EVSMBench",
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The operator's side of the ceremony: management client, original / recovery / UKEY
        // write batch, the UKEY file format, the PIN source; over HSMNet's blocking TLS stream
        // (no EVSMKit, EVSMServer or NIO: vsmctl links the operator's side only).
        .target(
            name: "VSMOperator",
            dependencies: [
                "ManagementProtocol",
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMCrypto", package: "cacipher"),  // brings the COpenSSL module
                .product(name: "HSMNet", package: "cacipher"),
            ]
        ),
        .executableTarget(
            name: "vsmctl",
            dependencies: [
                "VSMOperator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench` (bench/run.sh): the async API's event-loop lateness and overhead (on NIO).
        .executableTarget(
            name: "AsyncBench",
            dependencies: [
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMNet", package: "cacipher"),
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
                .product(name: "CACipherTestSupport", package: "cacipher"),
            ]
        ),
        .testTarget(
            name: "CACipherCoreTests",
            // EVSMKit/EVSMServer: the TLS tests run the emulator's TLS host port in process.
            dependencies: [
                "EVSMKit", "EVSMServer",
                .product(name: "CACipherCore", package: "cacipher"),
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "HSMNet", package: "cacipher"),
                .product(name: "CACipherTestSupport", package: "cacipher"),
            ]
        ),
        .testTarget(
            name: "EVSMKitTests",
            dependencies: [
                "EVSMKit", "EVSMServer", "ManagementProtocol", "VSMOperator",
                .product(name: "HSMCrypto", package: "cacipher"),
                .product(name: "HostProtocol", package: "cacipher"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CACipherTestSupport", package: "cacipher"),
            ]
        ),
    ]
)
