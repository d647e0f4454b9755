import Foundation
import LembraDelivery
import TestSupport
import Testing

/// Lanes sending at once, each from its own thread, against a real aiosmtpd: connections are
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

    /// The connection (client ip:port) each lane's messages arrived over, by lane; `lane` maps a
    /// message's number (from its subject) to the lane that sent it.
    private static func peersByLane(_ arrived: [[String: String]], lane: (Int) -> Int) -> [Int: Set<String>] {
        var peers: [Int: Set<String>] = [:]
        for h in arrived {
            guard let index = number(h) else { continue }
            peers[lane(index), default: []].insert(h["x-test-peer"] ?? "?")
        }
        return peers
    }

    /// The message's number, from its subject `m<i>`.
    private static func number(_ headers: [String: String]) -> Int? {
        headers["subject"].flatMap { Int($0.dropFirst()) }
    }

    private static func isDelivered(_ outcome: DeliveryOutcome) -> Bool { outcome == .delivered(detail: "smtp 250") }

    /// The tick's way: a thread per lane, each lane its own connection, kept across its messages
    /// and its next batches, and never shared with another lane.
    @Test func fourLanesSendOnFourConnectionsKeptAcrossBatches() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4))
        defer { transport.close() }
        #expect(transport.lanes == 4)
        let outcomes = LaneThreads.sendInOrder(try Self.messages(20), over: transport)
        #expect(outcomes == Array(repeating: .delivered(detail: "smtp 250"), count: 20))

        let first = try server.messages().map(Self.headers)
        try #require(first.count == 20, "server log:\n\(server.log)")
        // Every message arrived once, to its own recipient.
        #expect(Set(first.compactMap { $0["subject"] }) == Set((0..<20).map { "m\($0)" }))
        #expect(first.allSatisfy { $0["delivered-to"] == "<c\($0["subject"]!.dropFirst())@cliente.example>" })
        let peers = Self.peersByLane(first) { $0 / 5 }
        #expect(peers.count == 4 && peers.values.allSatisfy { $0.count == 1 }, "a lane keeps its connection: \(peers)")
        #expect(Set(peers.values.flatMap { $0 }).count == 4, "and no two lanes share one: \(peers)")

        // The lanes' next batches reuse their connections instead of opening new ones.
        #expect(LaneThreads.sendInOrder(try Self.messages(8, from: 20), over: transport).allSatisfy(Self.isDelivered))
        let second = try server.messages().map(Self.headers).filter { (Self.number($0) ?? 0) >= 20 }
        #expect(second.count == 8)
        #expect(Self.peersByLane(second) { ($0 - 20) / 2 } == peers)
    }

    @Test func oneConnectionSendsOneAtATime() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 1))
        defer { transport.close() }
        #expect(transport.send(try Self.messages(5), lane: 0).allSatisfy(Self.isDelivered))
        let arrived = try server.messages().map(Self.headers)
        #expect(arrived.map { $0["subject"] } == (0..<5).map { "m\($0)" })
        #expect(Set(arrived.compactMap { $0["x-test-peer"] }).count == 1)
    }

    /// Outcomes come back in message order: the rejected recipient's outcome is at its index.
    @Test func aRejectedRecipientFailsAloneAndInPlace() throws {
        let server = try SMTPTestServer(rejectRecipients: ["c7@cliente.example"])
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4))
        defer { transport.close() }
        let outcomes = LaneThreads.sendInOrder(try Self.messages(20), over: transport)
        guard case .failed(let error) = outcomes[7] else {
            Issue.record("expected failed at 7, got \(outcomes[7])")
            return
        }
        #expect(error.step == "rcpt")
        #expect(error.replyCode == 550)
        #expect(outcomes.enumerated().allSatisfy { $0.offset == 7 || Self.isDelivered($0.element) })
        let subjects = try server.messages().map { Self.headers($0)["subject"] }
        #expect(Set(subjects) == Set((0..<20).filter { $0 != 7 }.map { "m\($0)" }))
    }

    /// A server that never answers one message's final dot: that message is in doubt (unknown)
    /// and its connection is dropped; the other lanes finish meanwhile and keep their connections.
    @Test func aStalledMessageHoldsUpOnlyItsOwnLane() throws {
        let server = try SMTPTestServer(stall: 30, faultCount: 1)
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 4, timeout: 2))
        defer { transport.close() }
        let lanes = LaneThreads.send(LaneThreads.split(try Self.messages(12), lanes: 4), over: transport)
        let outcomes = lanes.flatMap(\.outcomes)
        let stalled = try #require(lanes.firstIndex { $0.outcomes.contains { if case .unknown = $0 { true } else { false } } },
                                   "outcomes: \(outcomes)")
        #expect(outcomes.filter(Self.isDelivered).count == 11, "outcomes: \(outcomes)")
        #expect(try server.messages().count == 11)
        // The other lanes did not wait for the stalled one's timeout.
        #expect(lanes.indices.allSatisfy { $0 == stalled || lanes[$0].seconds < lanes[stalled].seconds },
                "seconds by lane: \(lanes.map(\.seconds)), stalled lane \(stalled)")
        #expect(lanes[stalled].seconds < 10)

        // The stalled connection is dropped, never reused: the next batch is delivered in full,
        // and the other lanes still send over the connections they had.
        let before = Self.peersByLane(try server.messages().map(Self.headers)) { $0 / 3 }
        #expect(LaneThreads.sendInOrder(try Self.messages(4, from: 12), over: transport).allSatisfy(Self.isDelivered))
        let second = try server.messages().map(Self.headers).filter { (Self.number($0) ?? 0) >= 12 }
        let after = Self.peersByLane(second) { $0 - 12 }
        #expect(before.count == 4 && before.keys.allSatisfy { $0 == stalled || after[$0] == before[$0] }, "before: \(before), after: \(after)")
    }

    @Test func aClosedTransportFailsEveryMessage() throws {
        let server = try SMTPTestServer()
        let transport = try SMTPTransport(settings: Self.settings(server, maxConnections: 2))
        transport.close()
        let outcomes = LaneThreads.sendInOrder(try Self.messages(3), over: transport)
        #expect(outcomes.count == 3 && outcomes.allSatisfy {
            if case .failed(let e) = $0 { e.step == "config" } else { false }
        })
    }
}
