import Foundation
import LembraDelivery
@testable import LembraIngress
import Testing

/// The Standard Webhooks check of `POST /payments`, on the reference library's own test vector.
struct SignedRequestTests {
    static let key = try! StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    static let body = Data(#"{"test": 2432232314}"#.utf8)
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let sent = Date(timeIntervalSince1970: 1_614_265_330)

    func request(signature: String = Self.signature, timestamp: String = "1614265330") -> SignedRequest {
        SignedRequest(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: timestamp, signature: signature)
    }

    @Test func theReferenceVectorVerifiesWithinFiveMinutes() throws {
        try request().verify(body: Self.body, with: Self.key, now: Self.sent)
        try request().verify(body: Self.body, with: Self.key, now: Self.sent.addingTimeInterval(300))
        try request().verify(body: Self.body, with: Self.key, now: Self.sent.addingTimeInterval(-300))
        // A sender rotating its secret sends two signatures; one valid is enough.
        try request(signature: "v1,AAAA " + Self.signature).verify(body: Self.body, with: Self.key, now: Self.sent)
    }

    @Test func anOldOrFutureTimestampIsRefused() {
        for offset in [301.0, -301] {
            #expect(throws: IngressRejection(.staleTimestamp, "webhook-timestamp is more than 5 minutes from now")) {
                try request().verify(body: Self.body, with: Self.key, now: Self.sent.addingTimeInterval(offset))
            }
        }
    }

    @Test func aChangedBodyIdOrTimestampIsABadSignature() {
        let changed = [
            (request(), Data(#"{"test": 2432232315}"#.utf8)),
            (SignedRequest(id: "msg_other", timestamp: "1614265330", signature: Self.signature), Self.body),
            (request(timestamp: "1614265331"), Self.body),
            (request(signature: "v1a," + Self.signature.dropFirst(3)), Self.body),
        ]
        for (r, body) in changed {
            #expect(throws: IngressRejection(.badSignature, "the signature does not match")) {
                try r.verify(body: body, with: Self.key, now: Self.sent)
            }
        }
    }

    @Test func missingHeadersAreRefused() {
        #expect(throws: IngressRejection.self) { try SignedRequest(id: nil, timestamp: "1", signature: "v1,x").verify(body: Self.body, with: Self.key, now: Self.sent) }
        #expect(throws: IngressRejection.self) { try request(timestamp: "soon").verify(body: Self.body, with: Self.key, now: Self.sent) }
    }

    @Test func theBearerTokenMustMatchExactly() {
        #expect(BearerToken.matches("Bearer 0123456789abcdef", token: "0123456789abcdef"))
        #expect(!BearerToken.matches("Bearer 0123456789abcdeg", token: "0123456789abcdef"))
        #expect(!BearerToken.matches("Bearer 0123456789abcdef0", token: "0123456789abcdef"))
        #expect(!BearerToken.matches("0123456789abcdef", token: "0123456789abcdef"))
        #expect(!BearerToken.matches(nil, token: "0123456789abcdef"))
    }
}
