@testable import LembraDelivery
import Testing

@Suite struct DeliveryErrorTests {
    /// Only a failure that proves the receiver never took the message lets a cancelled retry's
    /// step be planned again: a refused connection, an SMTP refusal, a connection lost before the
    /// final dot, HTTP 408/429, a message held back before it started. A gateway's 504, a
    /// timeout, a connection lost after the final dot or a webhook request without a reply may
    /// hide a delivery.
    @Test(arguments: [
        (DeliveryError.connect("couldn't connect", curlCode: 7), false),
        (.connect("service not available", curlCode: 8, replyCode: 421), false),
        (.tls("handshake failed", curlCode: 35), false),
        (.rcpt("mailbox busy", curlCode: 55, replyCode: 450), false),
        (.data("local error in processing", curlCode: 55, replyCode: 451, endSent: true), false),
        (.data("send failure: broken pipe", curlCode: 55, replyCode: nil, endSent: false), false),
        (.data("connection lost after the final dot", curlCode: 56, replyCode: nil, endSent: true), true),
        (.timeout("no reply after the final dot", curlCode: 28, replyCode: nil), true),
        (.http("request timeout", status: 408), false),
        (.http("too many requests", status: 429), false),
        (.http("bad gateway", status: 502), true),
        (.http("gateway timeout", status: 504), true),
        (.http("internal error", status: 500), true),
        (.io("disk full"), true),
        (.request("Empty reply from server", curlCode: 52), true),
        (.notStarted("held back before sending"), false),
    ])
    func mayHaveArrivedOnlyWithoutProofOtherwise(error: DeliveryError, arrived: Bool) {
        #expect(error.mayHaveArrived == arrived, "\(error)")
    }

    /// The channel's failures (every message on it would fail alike), which wait without
    /// spending tries, and never one after which the message may have arrived.
    @Test(arguments: [
        (DeliveryError.auth("Login denied", curlCode: 67, replyCode: 535), true),
        (.mailFrom("MAIL failed: 530", curlCode: 55, replyCode: 530), true),
        (.tls("STARTTLS not offered", curlCode: 64), true),
        (.tls("certificate verify failed", curlCode: 60), true),
        (.connect("Could not resolve host", curlCode: 6), true),
        (.connect("Failed to connect", curlCode: 7), true),
        (.connect("Connection timed out after 10001 milliseconds", curlCode: 28), true),
        (.http("unauthorized", status: 401), true),
        (.http("forbidden", status: 403), true),
        (.connect("service not available", curlCode: 8, replyCode: 421), false),
        (.mailFrom("MAIL failed: 550", curlCode: 55, replyCode: 550), false),
        (.rcpt("mailbox busy", curlCode: 55, replyCode: 450), false),
        (.timeout("no reply after the final dot", curlCode: 28, replyCode: nil), false),
        (.http("internal error", status: 500), false),
        (.http("gone", status: 410), false),
        (.request("Empty reply from server", curlCode: 52), false),
    ])
    func channelWideFailuresAreTheChannelsAndNeverMayHaveArrived(error: DeliveryError, wide: Bool) {
        #expect(error.isChannelWide == wide, "\(error)")
        if wide { #expect(!error.mayHaveArrived, "\(error)") }
    }

    @Test func aTimeoutWhileConnectingIsAConnectFailure() {
        #expect(DeliveryError.timedOutConnecting("Connection timed out after 10001 milliseconds"))
        #expect(DeliveryError.timedOutConnecting("Resolving timed out after 5000 milliseconds"))
        #expect(!DeliveryError.timedOutConnecting("Operation timed out after 30000 milliseconds with 0 bytes received"))
    }

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
