import COpenSSL
import HSMNet
import XCTest

/// The one OpenSSL error drain and the one server context.
final class TLSPlumbingTests: XCTestCase {
    func testErrorQueueDrainsAtMostTheLimitAndClears() {
        ERR_clear_error()
        XCTAssertNil(OpenSSLErrorQueue.take())
        XCTAssertEqual(OpenSSLErrorQueue.drain(), "no OpenSSL error reported")
        let ctx = SSL_CTX_new(TLS_server_method())
        defer { SSL_CTX_free(ctx) }
        XCTAssertNotEqual(SSL_CTX_use_certificate_chain_file(ctx, "/nonexistent/cert.pem"), 1)
        let text = OpenSSLErrorQueue.take(limit: 1)
        XCTAssertNotNil(text)
        XCTAssertFalse(text?.contains("; ") ?? true, "one error at most: \(text ?? "")")
        XCTAssertEqual(ERR_peek_error(), 0, "the queue is cleared")
    }

    func testServerContextNamesTheUnreadableFileByItsOption() {
        XCTAssertThrowsError(try TLSServerContext.make(
            identity: .files(certificate: "/nonexistent/c.pem", certificateOption: "--tls-cert",
                             key: "/nonexistent/k.pem", keyOption: "--tls-key"))) { error in
            XCTAssertEqual((error as? TLSServerContext.Failure)?.message,
                           "--tls-cert /nonexistent/c.pem: cannot read: No such file or directory")
        }
    }

    func testClientContextNamesTheUnreadableCAFile() {
        let settings = TLSClientSettings(host: "127.0.0.1", label: "[HOST1]", minimumVersion: .tls12, caFile: "/nonexistent/ca.pem")
        XCTAssertThrowsError(try TLSClientContext.make(settings)) { error in
            guard let f = error as? TransportFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(f.code, .tls)
            XCTAssertTrue(f.notSent)
            XCTAssertEqual(f.message, "[HOST1] tlsCAFile /nonexistent/ca.pem: cannot read: No such file or directory")
        }
    }
}
