import LembraDelivery
import Testing

@Suite struct DeliveryErrorTests {
    @Test func descriptionIsLogfmt() {
        let error = DeliveryError.config("tls \"none\" needs a loopback host")
        #expect(error.description == #"step=config error="tls \"none\" needs a loopback host""#)
        #expect(error.curlCode == nil && error.replyCode == nil)
    }

    @Test func messagesAreScrubbedOfAddressesAndLineBreaks() {
        let error = DeliveryError.io("cannot write\r\nfor ana@example.com now")
        #expect(error.message == "cannot write for <redacted> now")
        #expect(!error.description.contains("@"))
    }

    @Test func messagesAreScrubbedOfPhonesAndDocuments() {
        let error = DeliveryError.io("rejected +55 11 91234-5678 (cpf 529.982.247-25) at 2026-11-18 10:00:00")
        #expect(error.message == "rejected <redacted> (cpf <redacted>) at 2026-11-18 10:00:00")
    }

    @Test func equalityIncludesTheStep() {
        #expect(DeliveryError.io("x") == DeliveryError.io("x"))
        #expect(DeliveryError.io("x") != DeliveryError.config("x"))
    }
}
