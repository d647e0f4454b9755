import Foundation
import LembraDelivery
import Testing

@Suite struct StandardWebhooksTests {
    /// The vector from the Standard Webhooks reference library's own tests.
    @Test func reproducesTheReferenceVector() throws {
        let signer = try StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                         body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    /// Unpadded base64 decodes to the same key, as in the reference libraries.
    @Test func acceptsUnpaddedBase64() throws {
        let body = Data("{}".utf8)
        let padded = try StandardWebhooks(secret: "whsec_c2VjcmV0LWtleQ==").signature(id: "a", timestamp: 1, body: body)
        let unpadded = try StandardWebhooks(secret: "whsec_c2VjcmV0LWtleQ").signature(id: "a", timestamp: 1, body: body)
        #expect(padded == unpadded)
    }

    @Test(arguments: ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", "whsec_@@@@", "WHSEC_MfKQ9r8G"])
    func rejectsMalformedSecrets(secret: String) {
        let error = #expect(throws: DeliveryError.self) { try StandardWebhooks(secret: secret) }
        #expect(error?.step == "config")
        #expect(error?.message.contains("whsec_") == true || error?.message.contains("empty") == true)
    }

    @Test func neverPrintsTheKey() throws {
        let signer = try StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        var dumped = ""
        dump(signer, to: &dumped)
        for text in [signer.description, String(reflecting: signer), dumped] {
            #expect(!text.contains("MfKQ9r8G"))
        }
    }
}
