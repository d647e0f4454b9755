import Foundation
import LembraDelivery
import TestSupport
import Testing

/// Happy paths against a real aiosmtpd: what arrives is parsed by Python's e-mail package.
@Suite struct SMTPTransportTests {
    static func plainSettings(_ server: SMTPTestServer) -> SMTPSettings {
        SMTPSettings(url: server.url, tls: .disabled, connectTimeout: 2, timeout: 5)
    }

    @Test func deliversOnLoopbackWithoutTLS() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.plainSettings(server))
        defer { transport.close() }
        let message = try Fixtures.message()
        #expect(transport.send([message], lane: 0) == [.delivered(detail: "smtp 250")])

        let delivered = try server.messages()
        try #require(delivered.count == 1, "server log:\n\(server.log)")
        let parsed = try ParsedEmail.parse(delivered[0])
        #expect(parsed["Return-Path"] == "<cobranca@loja.example>")
        #expect(parsed["Delivered-To"] == "<joao@cliente.example>")
        #expect(parsed["Subject"] == message.subject)
        #expect(parsed["To"] == "João Araújo <joao@cliente.example>")
        #expect(parsed.body == message.body + "\n")
        #expect(parsed.defects.isEmpty)
    }

    @Test func reusesTheConnectionAcrossMessages() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.plainSettings(server))
        defer { transport.close() }
        #expect(transport.send([try Fixtures.message(subject: "primeira", id: "a1@lembra.test")], lane: 0) == [.delivered(detail: "smtp 250")])
        #expect(transport.send([try Fixtures.message(subject: "segunda", id: "a2@lembra.test")], lane: 0) == [.delivered(detail: "smtp 250")])

        let parsed = try server.messages().map(ParsedEmail.parse)
        try #require(parsed.count == 2)
        #expect(parsed.map { $0["Subject"] } == ["primeira", "segunda"])
        // Same client ip:port means the second message went over the first connection.
        #expect(parsed[0]["X-Test-Peer"] != nil)
        #expect(parsed[0]["X-Test-Peer"] == parsed[1]["X-Test-Peer"])
    }

    @Test func authenticatesOverSTARTTLSWithAPrivateCA() throws {
        let directory = try TemporaryDirectory("lembra-tls")
        let certificates = try TestCertificates(in: directory)
        let server = try SMTPTestServer(auth: "lembra:s3cret", certificates: certificates)
        let settings = SMTPSettings(url: server.url, username: "lembra", password: "s3cret",
                                    caFile: certificates.caCertificate.path, connectTimeout: 2, timeout: 5)
        #expect(settings.tls == .starttls)
        let transport = try SMTPTransport(settings: settings)
        defer { transport.close() }
        #expect(transport.send([try Fixtures.message()], lane: 0) == [.delivered(detail: "smtp 250")], "server log:\n\(server.log)")
        #expect(try server.messages().count == 1)
    }

    @Test func malformedMessageFailsBeforeConnecting() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.plainSettings(server))
        defer { transport.close() }
        var message = try Fixtures.message()
        message.subject = "Oi\r\nBcc: intruso@example.com"
        guard case .failed(let error) = transport.send([message], lane: 0)[0] else {
            Issue.record("expected failed")
            return
        }
        #expect(error.step == "invalid_message")
        #expect(try server.messages().isEmpty)
    }

    /// What the daemon's progress file is written from: each message is announced before it can
    /// reach the server and reported as soon as its reply is read, in order; one held back is not
    /// sent at all, and its outcome proves it never arrived.
    @Test func eventsTellEachMessageAsItStartsAndEnds() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.plainSettings(server))
        defer { transport.close() }
        var seen: [String] = []
        let events = TransferEvents(
            willStart: { index in
                seen.append("start \(index) after \((try? server.messages().count) ?? -1) delivered")
                return index != 1
            },
            didFinish: { index, outcome in seen.append("end \(index) \(outcome == .delivered(detail: "smtp 250") ? "delivered" : "not")") })
        let messages = try (0..<3).map { try Fixtures.message(subject: "m\($0)", id: "m\($0)@lembra.test") }
        let outcomes = transport.send(messages, lane: 0, events: events)
        #expect(seen == ["start 0 after 0 delivered", "end 0 delivered", "start 1 after 1 delivered", "start 2 after 1 delivered", "end 2 delivered"])
        guard case .retry(let error, _) = outcomes[1] else {
            Issue.record("expected retry, got \(outcomes[1])")
            return
        }
        #expect(error.step == "not_started" && !error.mayHaveArrived)
        #expect(try server.messages().map(ParsedEmail.parse).map { $0["Subject"] } == ["m0", "m2"])
    }

    /// A lane under a `rate:` says so before it waits for each slot, so what it reported as
    /// finished is written then, not only with a start that may be far off.
    @Test func aPacedLaneSaysItWaitsBeforeEachSlot() throws {
        let server = try SMTPTestServer()
        var settings = Self.plainSettings(server)
        settings.rate = 50
        let transport = try SMTPTransport(settings: settings)
        defer { transport.close() }
        var seen: [String] = []
        let events = TransferEvents(willStart: { seen.append("start \($0)"); return true }, didFinish: { index, _ in seen.append("end \(index)") },
                                    willWait: { seen.append("wait") })
        let messages = try (0..<2).map { try Fixtures.message(subject: "m\($0)", id: "m\($0)@lembra.test") }
        #expect(transport.send(messages, lane: 0, events: events) == [.delivered(detail: "smtp 250"), .delivered(detail: "smtp 250")])
        // Waits for the server's replies come in between too, as many as the exchange takes.
        #expect(seen.filter { $0 != "wait" } == ["start 0", "end 0", "start 1", "end 1"])
        #expect(seen.first == "wait", "the first slot is waited for too")
        let end0 = try #require(seen.firstIndex(of: "end 0"))
        #expect(seen[end0 + 1] == "wait", "\(seen)")
    }

    @Test func refusesToBuildWithInvalidSettings() {
        let settings = SMTPSettings(url: "smtp://smtp.example.com:25", tls: .disabled)
        #expect(throws: DeliveryError.self) { try SMTPTransport(settings: settings) }
    }
}
