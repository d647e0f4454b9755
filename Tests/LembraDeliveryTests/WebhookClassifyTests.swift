import CCurl
@testable import LembraDelivery
import Testing

/// How a libcurl result without an HTTP answer maps to an outcome: a failure before the request
/// could go out proves it never arrived; any failure after it went out (or may have) does not,
/// and a cancelled retry must then keep its step and its `webhook-id`.
@Suite struct WebhookClassifyTests {
    /// The error of the retry `code` maps to; nil when it is not a retry.
    static func retried(_ code: CURLcode) -> DeliveryError? {
        guard case .retry(let error, _) = WebhookTransfer.classify(code, "curl says \(code.rawValue)", status: nil, retryAfter: { nil },
                                                                    excerpt: { _ in "" }) else { return nil }
        return error
    }

    @Test(arguments: [CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY])
    func aFailureAfterTheRequestWentOutMayHaveArrived(code: CURLcode) throws {
        let error = try #require(Self.retried(code))
        #expect(error.step == "request")
        #expect(error.curlCode == Int(code.rawValue))
        #expect(error.mayHaveArrived)
    }

    @Test(arguments: [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT])
    func aFailureToConnectNeverArrived(code: CURLcode) throws {
        let error = try #require(Self.retried(code))
        #expect(error.step == "connect")
        #expect(!error.mayHaveArrived)
    }

    /// Certificates are retried as for SMTP (see `SMTPTransfer.classify`).
    @Test(arguments: [CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_CONNECT_ERROR])
    func aTLSFailureIsRetriedAndNeverArrived(code: CURLcode) throws {
        let error = try #require(Self.retried(code))
        #expect(error.step == "tls")
        #expect(!error.mayHaveArrived)
    }
}
