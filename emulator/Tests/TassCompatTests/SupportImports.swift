// The shared test support (Tests/TestSupport, product CACipherTestSupport: fake HSM, scripted
// peer, loopback client, RSA fixture, temp directories, SplitMix64, waitUntil) for every file
// of this test target.
@_exported import CACipherTestSupport
