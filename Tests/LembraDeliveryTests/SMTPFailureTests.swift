import Foundation
import LembraDelivery
import TestSupport
import Testing

/// Failure modes against a misbehaving aiosmtpd: each must land on the right side of
/// retry (transient) versus failed (permanent), with the step and codes that explain it.
@Suite struct SMTPFailureTests {
    /// Sends the fixture message through a fresh transport to `server`.
    private func send(to server: SMTPTestServer, _ settings: SMTPSettings? = nil) throws -> DeliveryOutcome {
        let transport = try SMTPTransport(settings: settings ?? SMTPTransportTests.plainSettings(server))
        defer { transport.close() }
        return transport.send([try Fixtures.message()], lane: 0)[0]
    }

    @Test(arguments: [
        (421, SMTPTestServer.FaultStep.rcpt, true),
        (451, .rcpt, true),
        (550, .rcpt, false),
        (451, .data, true),
        (550, .data, false),
    ])
    func replyCodesDecideRetryOrFailure(code: Int, step: SMTPTestServer.FaultStep, transient: Bool) throws {
        let server = try SMTPTestServer(replyCode: code, faultStep: step)
        let outcome = try send(to: server)
        let error: DeliveryError
        switch outcome {
        case .retry(let e, _) where transient: error = e
        case .failed(let e) where !transient: error = e
        default:
            Issue.record("unexpected \(outcome)")
            return
        }
        #expect(error.replyCode == code)
        #expect(error.step == step.rawValue)
        #expect(try server.messages().isEmpty)
    }

    /// A wrong password fails every message alike until the operator fixes it: retried (with
    /// backoff, up to `max_tries`), never dead, and known never to have arrived.
    @Test func wrongPasswordIsRetried() throws {
        let directory = try TemporaryDirectory("lembra-tls")
        let certificates = try TestCertificates(in: directory)
        let server = try SMTPTestServer(auth: "lembra:s3cret", certificates: certificates)
        let settings = SMTPSettings(url: server.url, username: "lembra", password: "wrong",
                                    caFile: certificates.caCertificate.path, connectTimeout: 2, timeout: 5)
        guard case .retry(let error, _) = try send(to: server, settings) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "auth")
        #expect(error.replyCode == 535)
        #expect(error.curlCode == 67)
        #expect(!error.mayHaveArrived)
        #expect(!error.description.contains("wrong") && !error.description.contains("lembra"))
    }

    /// A certificate the system does not trust is the channel's problem (or its settings'), not
    /// the recipient's: retried, so fixing `ca_file` lets the reminders go out.
    @Test func untrustedCertificateIsRetried() throws {
        let directory = try TemporaryDirectory("lembra-tls")
        let certificates = try TestCertificates(in: directory)
        let server = try SMTPTestServer(certificates: certificates)
        let settings = SMTPSettings(url: server.url, connectTimeout: 2, timeout: 5) // system CAs only
        guard case .retry(let error, _) = try send(to: server, settings) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "tls")
        #expect(error.curlCode == 60)
        #expect(!error.mayHaveArrived)
        #expect(try server.messages().isEmpty)
    }

    @Test func serverWithoutSTARTTLSIsRetried() throws {
        let server = try SMTPTestServer()
        guard case .retry(let error, _) = try send(to: server, SMTPSettings(url: server.url, connectTimeout: 2, timeout: 5)) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "tls")
        #expect(error.curlCode == 64)
        #expect(!error.mayHaveArrived)
    }

    /// Whether curl's write of the final dot or its read of the reply fails when the server hung
    /// up is a race: either way it is never called delivered. A failed write (curl code 55) means
    /// the dot never went out: retried, and known never to have arrived. A failed read after it
    /// is `unknown` (not retried blindly).
    @Test func droppedConnectionDuringDataIsRetriedOrUnknown() throws {
        let server = try SMTPTestServer(dropInData: true)
        let error: DeliveryError
        switch try send(to: server) {
        case .retry(let e, _):
            error = e
            #expect(!e.mayHaveArrived, "\(e)")
        case .unknown(let e):
            error = e
            #expect(e.curlCode != 55, "a failed write means the final dot never went out: \(e)")
        case let other: Issue.record("expected retry or unknown, got \(other)"); return
        }
        #expect(error.step == "data")
        #expect(error.replyCode == nil)
        #expect(try server.messages().isEmpty)
    }

    /// The server got the whole message and never answered: it may have delivered it.
    @Test func stalledServerTimesOutAsUnknown() throws {
        let server = try SMTPTestServer(stall: 30)
        let settings = SMTPSettings(url: server.url, tls: .disabled, connectTimeout: 2, timeout: 2)
        let started = Date()
        guard case .unknown(let error) = try send(to: server, settings) else {
            Issue.record("expected unknown")
            return
        }
        #expect(error.step == "timeout")
        #expect(error.curlCode == 28)
        #expect(error.message.contains("may have been delivered"))
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// After a failure the connection may be out of step with the server (here: a DATA reply
    /// still pending); the next message must go over a fresh connection and be delivered.
    @Test(arguments: [
        (stall: 30.0, replyCode: nil as Int?, dropInData: false),
        (stall: nil, replyCode: 451, dropInData: false),
        (stall: nil, replyCode: nil, dropInData: true),
    ])
    func nextMessageAfterAFailureIsDelivered(stall: Double?, replyCode: Int?, dropInData: Bool) throws {
        let server = try SMTPTestServer(replyCode: replyCode, faultStep: .data, dropInData: dropInData,
                                        stall: stall, faultCount: 1)
        let settings = SMTPSettings(url: server.url, tls: .disabled, connectTimeout: 2, timeout: 2)
        let transport = try SMTPTransport(settings: settings)
        defer { transport.close() }
        let first = transport.send([try Fixtures.message(subject: "primeira", id: "b1@lembra.test")], lane: 0)[0]
        switch first {
        case .retry, .unknown: break
        default: Issue.record("expected retry or unknown, got \(first)"); return
        }
        let second = transport.send([try Fixtures.message(subject: "segunda", id: "b2@lembra.test")], lane: 0)[0]
        #expect(second == .delivered(detail: "smtp 250"), "server log:\n\(server.log)")
        #expect(try server.messages().map { try ParsedEmail.parse($0)["Subject"] } == ["segunda"])
    }

    @Test func refusedConnectionIsRetried() throws {
        // A port that was just listening and is now closed: nothing accepts there.
        let server = try SMTPTestServer()
        let settings = SMTPTransportTests.plainSettings(server)
        server.stop()
        guard case .retry(let error, _) = try send(to: server, settings) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "connect")
        #expect(error.curlCode == 7)
    }
}
