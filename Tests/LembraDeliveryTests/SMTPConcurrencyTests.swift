import Foundation
import Synchronization
import LembraDelivery
import TestSupport
import Testing

/// Concurrent sending through the multi interface against a real aiosmtpd: connections are
/// counted by the server (`X-Test-Peer`, the client ip:port of each message), never guessed.
@Suite struct SMTPConcurrencyTests {
    private static func settings(_ server: SMTPTestServer, maxConnections: Int, timeout: Double = 5) -> SMTPSettings {
        SMTPSettings(url: server.url, tls: .disabled, connectTimeout: 2, timeout: timeout, maxConnections: maxConnections)
    }

    /// Message `i` goes to `c<i>@cliente.example` with subject `m<i>`, so each arrival names its message.
    private static func messages(_ count: Int, from first: Int = 0) throws -> [EmailMessage] {
        try (first..<first + count).map { i in
            var message = try Fixtures.message(subject: "m\(i)", id: "c\(i)@lembra.test")
            message.to = try EmailAddress("c\(i)@cliente.example")
            return message
        }
    }

    /// The header lines of a delivered message (ASCII only here), by lowercase name.
    private static func headers(_ raw: Data) -> [String: String] {
        let text = String(decoding: raw, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            if headers[name] == nil { headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return headers
    }

    @Test func batchOfTwentyOverFourConnectionsArrivesComplete() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4))
        defer { transport.close() }
        #expect(transport.send(try Self.messages(20)) == Array(repeating: .delivered(detail: "smtp 250"), count: 20))

        let first = try server.messages().map(Self.headers)
        try #require(first.count == 20, "server log:\n\(server.log)")
        // Every message arrived once, to its own recipient.
        #expect(Set(first.compactMap { $0["subject"] }) == Set((0..<20).map { "m\($0)" }))
        #expect(first.allSatisfy { $0["delivered-to"] == "<c\($0["subject"]!.dropFirst())@cliente.example>" })
        let peers = Set(first.compactMap { $0["x-test-peer"] })
        #expect((2...4).contains(peers.count), "connections: \(peers)")

        // The next batch reuses the same connections instead of opening new ones.
        #expect(transport.send(try Self.messages(8, from: 20)).allSatisfy { $0 == .delivered(detail: "smtp 250") })
        let second = try server.messages().map(Self.headers).dropFirst(20)
        #expect(second.count == 8)
        #expect(Set(second.compactMap { $0["x-test-peer"] }).isSubset(of: peers))
    }

    /// The tick's way: a thread per lane, each lane its own connection, kept across its messages.
    @Test func eachLaneSendsOnItsOwnConnectionFromItsOwnThread() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4))
        defer { transport.close() }
        #expect(transport.lanes == 4)
        let batches = try (0..<4).map { lane in try Self.messages(5, from: lane * 5) }
        let outcomes = Mutex<[Int: [DeliveryOutcome]]>([:])
        nonisolated(unsafe) let lanes = transport // each lane driven by exactly one thread
        DispatchQueue.concurrentPerform(iterations: 4) { lane in
            let result = lanes.send(batches[lane], lane: lane)
            outcomes.withLock { $0[lane] = result }
        }
        #expect(outcomes.withLock { $0 }.values.allSatisfy { $0 == Array(repeating: .delivered(detail: "smtp 250"), count: 5) })

        let arrived = try server.messages().map(Self.headers)
        try #require(arrived.count == 20, "server log:\n\(server.log)")
        var peersByLane: [Int: Set<String>] = [:]
        for h in arrived {
            let index = Int(h["subject"]!.dropFirst())!
            peersByLane[index / 5, default: []].insert(h["x-test-peer"] ?? "?")
        }
        #expect(peersByLane.values.allSatisfy { $0.count == 1 }, "a lane keeps its connection: \(peersByLane)")
        #expect(Set(peersByLane.values.flatMap { $0 }).count == 4, "and no two lanes share one: \(peersByLane)")
    }

    @Test func oneConnectionSendsOneAtATime() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 1))
        defer { transport.close() }
        #expect(transport.send(try Self.messages(5)).allSatisfy { $0 == .delivered(detail: "smtp 250") })
        let arrived = try server.messages().map(Self.headers)
        #expect(arrived.map { $0["subject"] } == (0..<5).map { "m\($0)" })
        #expect(Set(arrived.compactMap { $0["x-test-peer"] }).count == 1)
    }

    /// Outcomes come back in message order: the rejected recipient's outcome is at its index.
    @Test func aRejectedRecipientFailsAloneAndInPlace() throws {
        let server = try SMTPTestServer(rejectRecipients: ["c7@cliente.example"])
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4))
        defer { transport.close() }
        let outcomes = transport.send(try Self.messages(20))
        guard case .failed(let error) = outcomes[7] else {
            Issue.record("expected failed at 7, got \(outcomes[7])")
            return
        }
        #expect(error.step == "rcpt")
        #expect(error.replyCode == 550)
        #expect(outcomes.enumerated().allSatisfy { $0.offset == 7 || $0.element == .delivered(detail: "smtp 250") })
        let subjects = try server.messages().map { Self.headers($0)["subject"] }
        #expect(Set(subjects) == Set((0..<20).filter { $0 != 7 }.map { "m\($0)" }))
    }

    /// A server that never answers one message's final dot: that message is in doubt (unknown),
    /// the others go out over the other connections meanwhile.
    @Test func aStalledMessageDoesNotHoldUpTheOthers() throws {
        let server = try SMTPTestServer(stall: 30, faultCount: 1)
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4, timeout: 2))
        defer { transport.close() }
        let started = Date()
        let outcomes = transport.send(try Self.messages(12))
        #expect(Date().timeIntervalSince(started) < 10)
        let unknown = outcomes.filter { if case .unknown = $0 { true } else { false } }
        #expect(unknown.count == 1, "outcomes: \(outcomes)")
        #expect(outcomes.filter { $0 == .delivered(detail: "smtp 250") }.count == 11, "outcomes: \(outcomes)")
        #expect(try server.messages().count == 11)
        // The stalled connection is dropped, never reused: the next batch is delivered in full.
        #expect(transport.send(try Self.messages(4, from: 12)).allSatisfy { $0 == .delivered(detail: "smtp 250") })
    }

    @Test func aClosedTransportFailsEveryMessage() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 2))
        transport.close()
        #expect(transport.send(try Self.messages(3)).allSatisfy {
            if case .failed(let e) = $0 { e.step == "config" } else { false }
        })
    }
}
