@testable import HSMCrypto
import XCTest

/// HSMCrypto.RSA against the values the OpenSSL command line computed (RSAFixture).
final class RSATests: XCTestCase {
    let priv = h(RSAFixture.privateDER)
    let pub = h(RSAFixture.publicDER)

    func testPublicKeyOfFixture() throws {
        XCTAssertEqual(try RSA.publicKey(ofPrivateKey: priv), pub)
        XCTAssertEqual(try RSA.modulusBits(priv, isPrivate: true), 1024)
        XCTAssertEqual(try RSA.modulusBits(pub, isPrivate: false), 1024)
        XCTAssertTrue(RSA.isValidPublicKey(pub))
    }

    func testPKCS1SignaturesMatchOpenSSLCommandLine() throws {
        XCTAssertEqual(try RSA.sign(a("abc"), digest: .sha256, privateKey: priv), h(RSAFixture.sigSHA256))
        XCTAssertEqual(try RSA.sign(a("abc"), digest: .sha1, privateKey: priv), h(RSAFixture.sigSHA1))
        XCTAssertEqual(try RSA.sign(a("abc"), digest: .sm3, privateKey: priv), h(RSAFixture.sigSM3))
        XCTAssertTrue(try RSA.verify(h(RSAFixture.sigSHA256), message: a("abc"), digest: .sha256, publicKey: pub))
        XCTAssertTrue(try RSA.verify(h(RSAFixture.sigSM3), message: a("abc"), digest: .sm3, publicKey: pub))
        XCTAssertFalse(try RSA.verify(h(RSAFixture.sigSHA256), message: a("abd"), digest: .sha256, publicKey: pub))
        XCTAssertFalse(try RSA.verify(h(RSAFixture.sigSHA256), message: a("abc"), digest: .sha1, publicKey: pub))
        XCTAssertFalse(try RSA.verify([1, 2, 3], message: a("abc"), digest: .sha256, publicKey: pub))
    }

    func testPSS() throws {
        XCTAssertTrue(try RSA.verify(h(RSAFixture.pssSHA256), message: a("abc"), digest: .sha256, publicKey: pub, padding: .pss))
        XCTAssertFalse(try RSA.verify(h(RSAFixture.pssSHA256), message: a("abc"), digest: .sha256, publicKey: pub))
        let s = try RSA.sign(a("xyz"), digest: .sha384, privateKey: priv, padding: .pss)
        XCTAssertTrue(try RSA.verify(s, message: a("xyz"), digest: .sha384, publicKey: pub, padding: .pss))
        assertThrows(.unsupported("RSA PSS with SM3"), try RSA.sign(a("xyz"), digest: .sm3, privateKey: priv, padding: .pss))
    }

    func testDecryptOpenSSLCiphertexts() throws {
        XCTAssertEqual(try RSA.decrypt(h(RSAFixture.pkcs1Cipher), privateKey: priv, padding: .pkcs1), a(RSAFixture.plain))
        XCTAssertEqual(try RSA.decrypt(h(RSAFixture.oaepCipher), privateKey: priv, padding: .oaepSHA1), a(RSAFixture.plain))
        assertThrows(.invalidArgument("RSA ciphertext"), try RSA.decrypt(h(RSAFixture.oaepCipher), privateKey: priv, padding: .pkcs1))
        assertThrows(.invalidArgument("RSA ciphertext"), try RSA.decrypt([0, 1], privateKey: priv, padding: .pkcs1))
    }

    func testEncryptRoundTripsAndLimits() throws {
        for p in [RSA.EncryptionPadding.pkcs1, .oaepSHA1] {
            let c = try RSA.encrypt(a("hello"), publicKey: pub, padding: p)
            XCTAssertEqual(c.count, 128)
            XCTAssertEqual(try RSA.decrypt(c, privateKey: priv, padding: p), a("hello"))
        }
        var block = [UInt8](repeating: 0x11, count: 128)
        block[0] = 0
        let raw = try RSA.encrypt(block, publicKey: pub, padding: .none)
        XCTAssertEqual(try RSA.decrypt(raw, privateKey: priv, padding: .none), block)
        assertThrows(.invalidArgument("RSA data length"), try RSA.encrypt([UInt8](repeating: 1, count: 118), publicKey: pub, padding: .pkcs1))
        assertThrows(.invalidArgument("RSA data length"), try RSA.encrypt([UInt8](repeating: 1, count: 87), publicKey: pub, padding: .oaepSHA1))
        assertThrows(.invalidArgument("RSA data length"), try RSA.encrypt([1], publicKey: pub, padding: .none))
    }

    func testGenerateAndComponents() throws {
        var der = try RSA.generatePrivateKey(bits: 1024, exponent: 3)
        defer { SecureBytes.wipe(&der) }
        var c = try RSA.components(ofPrivateKey: der)
        defer { c.wipe() }
        XCTAssertEqual(c.e, [3])
        XCTAssertEqual(c.n.count, 128)
        XCTAssertEqual(try RSA.privateKey(from: c), der)
        var bad = c
        bad.d[bad.d.count - 1] ^= 1
        assertThrows(.invalidArgument("RSA private key"), try RSA.privateKey(from: bad))
        let fx = try RSA.components(ofPrivateKey: priv)
        XCTAssertEqual(try RSA.privateKey(from: fx), priv)
        XCTAssertEqual(fx.e, [1, 0, 1])
        assertThrows(.invalidArgument("RSA modulus bits"), try RSA.generatePrivateKey(bits: 512))
        assertThrows(.invalidArgument("RSA public exponent"), try RSA.generatePrivateKey(bits: 1024, exponent: 17))
    }

    func testMalformedKeysRefused() {
        assertThrows(.invalidArgument("RSA public key"), try RSA.encrypt([1], publicKey: pub + [0], padding: .pkcs1))
        assertThrows(.invalidArgument("RSA public key"), try RSA.encrypt([1], publicKey: Array(pub.dropLast()), padding: .pkcs1))
        assertThrows(.invalidArgument("RSA private key"), try RSA.publicKey(ofPrivateKey: Array(priv.dropLast())))
        assertThrows(.invalidArgument("RSA private key"), try RSA.publicKey(ofPrivateKey: pub))
        XCTAssertFalse(RSA.isValidPublicKey([0x30, 0x00]))
    }
}
