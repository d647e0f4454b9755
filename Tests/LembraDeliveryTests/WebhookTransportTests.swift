import Foundation
import Synchronization
import LembraDelivery
import TestSupport
import Testing

/// The webhook transport against a real receiver that verifies every request with the
/// Standard Webhooks reference library (so a signature we got wrong shows up as a 401).
@Suite struct WebhookTransportTests {
    /// A payload like the daemon's: accents, a no-break space in the amount, an escaped newline.
    static let body = Data((#"{"type":"reminder","customer":{"id":"c-0001","name":"João Araújo"},"#
        + #""amount_cents":"123456","amount":"R$\#u{00A0}1.234,56","step":"forgetful.1d","#
        + #""text":"Olá, João!\nSua fatura venceu."}"#).utf8)

    static func settings(_ receiver: WebhookReceiver, secret: String? = nil, headers: [(String, String)] = [],
                         caFile: String? = nil, timeout: Double = 5, maxConnections: Int = 4,
                         rate: Double? = nil) -> WebhookSettings {
        WebhookSettings(url: receiver.url, secret: secret ?? receiver.secret, headers: headers, caFile: caFile,
                        connectTimeout: 2, timeout: timeout, maxConnections: maxConnections, rate: rate)
    }

    static func request(_ id: String = "att_0001") -> WebhookRequest {
        WebhookRequest(id: id, body: body)
    }

    /// Sends one request through a fresh transport.
    private func sendOne(_ settings: WebhookSettings, _ request: WebhookRequest = request()) throws -> DeliveryOutcome {
        let transport = try WebhookTransport(settings: settings)
        defer { transport.close() }
        return try #require(transport.send([request]).first)
    }

    @Test func deliveredSignedAndVerifiedByTheReferenceLibrary() throws {
        let receiver = try WebhookReceiver()
        let request = Self.request("att_deliver")
        let settings = Self.settings(receiver, headers: [("X-Tenant", "loja-1"), ("Authorization", "Bearer t0k3n")])
        let sentAt = Date()
        let transport = try WebhookTransport(settings: settings, wallClock: { sentAt })
        defer { transport.close() }
        #expect(transport.send([request]) == [.delivered(detail: "http 200")])

        let received = try receiver.requests()
        try #require(received.count == 1, "receiver log:\n\(receiver.log)")
        let seen = received[0]
        let timestamp = Int64(sentAt.timeIntervalSince1970.rounded(.down))
        #expect(seen.id == "att_deliver")
        #expect(seen.headers["webhook-id"] == "att_deliver")
        #expect(seen.headers["webhook-timestamp"] == String(timestamp))
        #expect(seen.headers["webhook-signature"]
            == (try StandardWebhooks(secret: receiver.secret)).signature(id: "att_deliver", timestamp: timestamp, body: Self.body))
        #expect(seen.headers["content-type"] == "application/json")
        #expect(seen.headers["x-tenant"] == "loja-1")
        #expect(seen.headers["authorization"] == "Bearer t0k3n")
        #expect(seen.headers["expect"] == nil)
        #expect(seen.body == Self.body)
    }

    /// Behind a slow receiver the last of a batch starts long after the first, and receivers
    /// reject an old `webhook-timestamp` for good (401): each request is stamped, and signed, as
    /// it starts. The clock here moves a second per reading, one connection sends in order.
    @Test func eachRequestIsStampedWhenItStarts() throws {
        let receiver = try WebhookReceiver()
        let base = Date()
        let readings = Mutex(0)
        let transport = try WebhookTransport(settings: Self.settings(receiver, maxConnections: 1), wallClock: {
            base.addingTimeInterval(Double(readings.withLock { n in defer { n += 1 }; return n }))
        })
        defer { transport.close() }
        let requests = (0..<3).map { Self.request("att_stamp_\($0)") }
        #expect(transport.send(requests) == Array(repeating: .delivered(detail: "http 200"), count: 3), "\(receiver.log)")
        let first = Int64(base.timeIntervalSince1970.rounded(.down))
        #expect(try receiver.requests().map { $0.headers["webhook-timestamp"] } == (0..<3).map { String(first + $0) },
                "verified by the reference library with these timestamps, so each signature covers its own")
    }

    @Test func httpsWithTheConfiguredCAIsDelivered() throws {
        let directory = try TemporaryDirectory("lembra-tls")
        let certificates = try TestCertificates(in: directory)
        let receiver = try WebhookReceiver(certificates: certificates)
        let settings = Self.settings(receiver, caFile: certificates.caCertificate.path)
        #expect(try sendOne(settings) == .delivered(detail: "http 200"), "receiver log:\n\(receiver.log)")
        #expect(try receiver.requests().map(\.body) == [Self.body])
    }

    /// As for SMTP: a receiver's certificate that does not verify fails every message alike until
    /// fixed, so it is retried (up to `max_tries`), never dead at once; nothing went out.
    @Test func untrustedCertificateIsRetriedAndNeverArrived() throws {
        let directory = try TemporaryDirectory("lembra-tls")
        let receiver = try WebhookReceiver(certificates: try TestCertificates(in: directory))
        guard case .retry(let error, _) = try sendOne(Self.settings(receiver)) else { // system CAs only
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "tls")
        #expect(error.curlCode == 60)
        #expect(!error.mayHaveArrived)
        #expect(try receiver.requests().isEmpty)
    }

    /// The receiver read the request and hung up without a reply (curl: empty reply): it may
    /// have acted on it, so a cancelled retry must keep the step (`mayHaveArrived`).
    @Test func anEmptyReplyIsRetriedAndMayHaveArrived() throws {
        let receiver = try WebhookReceiver(drop: true)
        guard case .retry(let error, _) = try sendOne(Self.settings(receiver)) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "request")
        #expect(error.curlCode == 52)
        #expect(error.mayHaveArrived)
        #expect(try receiver.requests().count == 1)
    }

    @Test func aRetryKeepsTheWebhookID() throws {
        let receiver = try WebhookReceiver(failFirst: 1)
        let transport = try WebhookTransport(settings: Self.settings(receiver))
        defer { transport.close() }
        let first = transport.send([Self.request("att_retry")])
        guard case .retry = first[0] else {
            Issue.record("expected retry, got \(first)")
            return
        }
        // The daemon retries the same attempt later, with a fresh timestamp.
        #expect(transport.send([Self.request("att_retry")]) == [.delivered(detail: "http 200")])
        let received = try receiver.requests()
        #expect(received.map(\.id) == ["att_retry", "att_retry"])
        #expect(received.map(\.status) == [500, 200])
    }

    @Test func serverErrorIsRetriedWithASafeExcerpt() throws {
        let receiver = try WebhookReceiver(status: 500)
        guard case .retry(let error, let after) = try sendOne(Self.settings(receiver)) else {
            Issue.record("expected retry")
            return
        }
        #expect(after == nil)
        #expect(error.step == "http")
        #expect(error.replyCode == 500)
        #expect(error.curlCode == nil)
        // The receiver echoes our signature and answers many lines with control characters.
        #expect(error.message.hasPrefix("http 500: signature was <redacted> receiver error line two"))
        #expect(!error.message.contains("v1,"))
        #expect(error.message.count <= 200)
        #expect(!error.message.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func tooManyRequestsHonoursRetryAfterSeconds() throws {
        let receiver = try WebhookReceiver(status: 429, retryAfter: "7")
        guard case .retry(let error, let after) = try sendOne(Self.settings(receiver)) else {
            Issue.record("expected retry")
            return
        }
        #expect(after == 7)
        #expect(error.replyCode == 429)
    }

    @Test func tooManyRequestsHonoursRetryAfterDate() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let receiver = try WebhookReceiver(status: 429, retryAfter: formatter.string(from: Date().addingTimeInterval(120)))
        guard case .retry(_, let after) = try sendOne(Self.settings(receiver)) else {
            Issue.record("expected retry")
            return
        }
        #expect((60...121).contains(after ?? 0), "after: \(String(describing: after))")
    }

    @Test(arguments: [410, 400, 404, 422])
    func clientErrorsFail(status: Int) throws {
        let receiver = try WebhookReceiver(status: status)
        guard case .failed(let error) = try sendOne(Self.settings(receiver)) else {
            Issue.record("expected failed")
            return
        }
        #expect(error.step == "http")
        #expect(error.replyCode == status)
        #expect(error.message.hasPrefix("http \(status): "))
    }

    @Test func requestTimeoutIsRetried() throws {
        let receiver = try WebhookReceiver(status: 408)
        guard case .retry(let error, _) = try sendOne(Self.settings(receiver)) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.replyCode == 408)
    }

    @Test func stalledReceiverTimesOutAndIsRetried() throws {
        let receiver = try WebhookReceiver(stall: 30)
        guard case .retry(let error, let after) = try sendOne(Self.settings(receiver, timeout: 1)) else {
            Issue.record("expected retry")
            return
        }
        #expect(after == nil)
        #expect(error.step == "timeout")
        #expect(error.curlCode == 28)
    }

    @Test func refusedConnectionIsRetried() throws {
        // A port that was just listening and is now closed: nothing accepts there.
        let receiver = try WebhookReceiver()
        let settings = Self.settings(receiver)
        receiver.stop()
        guard case .retry(let error, _) = try sendOne(settings) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "connect")
        #expect(error.curlCode == 7)
    }

    @Test func wrongSecretIsRejectedByTheReceiverAndFails() throws {
        let receiver = try WebhookReceiver()
        let other = try WebhookReceiver() // a different random secret
        guard case .failed(let error) = try sendOne(Self.settings(receiver, secret: other.secret)) else {
            Issue.record("expected failed")
            return
        }
        #expect(error.replyCode == 401)
        #expect(try receiver.requests().isEmpty)
    }

    @Test func badIDFailsWithoutSendingAndOutcomesKeepRequestOrder() throws {
        let receiver = try WebhookReceiver()
        let transport = try WebhookTransport(settings: Self.settings(receiver))
        defer { transport.close() }
        let outcomes = transport.send([Self.request("att_a"), Self.request("att\r\nx-injected: 1"), Self.request("att_c")])
        #expect(outcomes[0] == .delivered(detail: "http 200"))
        guard case .failed(let error) = outcomes[1] else {
            Issue.record("expected failed, got \(outcomes[1])")
            return
        }
        #expect(error.step == "invalid_message")
        #expect(outcomes[2] == .delivered(detail: "http 200"))
        #expect(Set(try receiver.requests().map(\.id)) == ["att_a", "att_c"])
    }

    /// A receiver that rejects the request quoting the customer back: the reason keeps the
    /// receiver's own words and loses every personal value, in whatever shape it was quoted.
    @Test func anErrorReplyQuotingTheCustomerHasThePersonalDataCutOut() throws {
        let reply = #"{"error": "invalid destination", "to": "+55 11 91234-5678", "name": "Jo\u00e3o Ara\u00fajo", "#
            + #""digits": "5511912345678", "first": "JOAO", "email": "joao.araujo@example.com"}"#
        let receiver = try WebhookReceiver(status: 422, errorBody: reply)
        let body = Data(#"{"customer":{"email":"joao.araujo@example.com","id":"c-0001","name":"João Araújo","phone":"+55 11 91234-5678"}}"#.utf8)
        let request = WebhookRequest(id: "att_pii", body: body,
                                     personalFields: ["customer.name", "customer.email", "customer.phone"])
        guard case .failed(let error) = try sendOne(Self.settings(receiver), request) else {
            Issue.record("expected failed")
            return
        }
        #expect(error.message.hasPrefix(#"http 422: {"error": "invalid destination", "to": "<redacted>""#), "\(error.message)")
        for leak in ["91234", "5678", "João", "Jo\\u00e3o", "JOAO", "joao", "Araújo", "Ara", "example"] {
            #expect(!error.message.contains(leak), "'\(leak)' in \(error.message)")
        }
    }

    /// The daemon's watchdog reads this counter to tell a slow tick from a stuck one.
    @Test func progressAdvancesAsEachRequestEnds() throws {
        let receiver = try WebhookReceiver(failFirst: 1)
        let progress = ProgressCounter()
        let transport = try WebhookTransport(settings: Self.settings(receiver, maxConnections: 2), progress: progress)
        defer { transport.close() }
        _ = transport.send([Self.request("att_1"), Self.request("att_2"), Self.request("att_3")])
        #expect(progress.value == 3, "a failed request (500) ended too")
        _ = transport.send([Self.request("att_4")])
        #expect(progress.value == 4)
    }

    /// A request that ended is followed by a wait when the next one is held back (here by the
    /// rate): the transport says so first, so its outcome is written before the wait.
    @Test func aWaitAfterAnEndIsAnnounced() throws {
        let receiver = try WebhookReceiver()
        let transport = try WebhookTransport(settings: Self.settings(receiver, maxConnections: 2, rate: 2))
        defer { transport.close() }
        var seen: [String] = []
        let events = TransferEvents(willStart: { seen.append("start \($0)"); return true }, didFinish: { index, _ in seen.append("end \(index)") },
                                    willWait: { seen.append("wait") })
        _ = transport.send([Self.request("att_1"), Self.request("att_2")], events: events)
        #expect(seen.first == "start 0" && seen.last == "end 1")
        let end0 = try #require(seen.firstIndex(of: "end 0"))
        #expect(seen[end0 + 1] == "wait", "\(seen)")
        #expect(seen.filter { $0.hasPrefix("start") } == ["start 0", "start 1"])
    }

    @Test func connectionIsReusedAcrossSends() throws {
        let receiver = try WebhookReceiver()
        let transport = try WebhookTransport(settings: Self.settings(receiver))
        defer { transport.close() }
        #expect(transport.send([Self.request("att_1")]) == [.delivered(detail: "http 200")])
        #expect(transport.send([Self.request("att_2")]) == [.delivered(detail: "http 200")])
        let peers = try receiver.requests().map(\.peer)
        #expect(peers.count == 2 && peers[0] == peers[1], "peers: \(peers)")
    }

    @Test func closedTransportFails() throws {
        let receiver = try WebhookReceiver()
        let transport = try WebhookTransport(settings: Self.settings(receiver))
        transport.close()
        guard case .failed(let error) = transport.send([Self.request()])[0] else {
            Issue.record("expected failed")
            return
        }
        #expect(error.step == "config")
        #expect(try receiver.requests().isEmpty)
    }
}
