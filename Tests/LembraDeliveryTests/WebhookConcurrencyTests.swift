import Foundation
import LembraDelivery
import TestSupport
import Testing

/// Concurrency and pacing, measured by the receiver (requests in flight on arrival, arrival
/// times on its monotonic clock), never by timing the test itself.
@Suite struct WebhookConcurrencyTests {
    private func requests(_ count: Int) -> [WebhookRequest] {
        (0..<count).map { WebhookTransportTests.request("att_\($0)") }
    }

    @Test func sendsConcurrentlyWithinMaxConnections() throws {
        let receiver = try WebhookReceiver(delay: 0.2)
        let transport = try WebhookTransport(settings: WebhookTransportTests.settings(receiver, maxConnections: 4))
        defer { transport.close() }
        let outcomes = transport.send(requests(20))
        #expect(outcomes == Array(repeating: .delivered(detail: "http 200"), count: 20))
        let received = try receiver.requests()
        #expect(Set(received.map(\.id)).count == 20)
        let overlap = received.map(\.inFlight).max() ?? 0
        #expect((2...4).contains(overlap), "max requests in flight: \(overlap)")
        // At most maxConnections connections are opened, and they are reused.
        #expect(Set(received.map(\.peer)).count <= 4)
        // One at a time, the last request would arrive 19 × 0.2 s after the first.
        let arrivals = received.map(\.arrived).sorted()
        #expect(arrivals[19] - arrivals[0] < 2, "arrivals: \(arrivals)")
    }

    @Test func oneConnectionMeansOneAtATime() throws {
        let receiver = try WebhookReceiver(delay: 0.05)
        let transport = try WebhookTransport(settings: WebhookTransportTests.settings(receiver, maxConnections: 1))
        defer { transport.close() }
        #expect(transport.send(requests(5)).allSatisfy { $0 == .delivered(detail: "http 200") })
        let received = try receiver.requests()
        #expect(received.map(\.inFlight).max() == 1)
        // A freed connection starts the next request at once (not after an idle poll timeout).
        let arrivals = received.map(\.arrived).sorted()
        #expect(arrivals[4] - arrivals[0] < 1, "arrivals: \(arrivals)")
    }

    @Test func rateSpacesTheStarts() throws {
        let receiver = try WebhookReceiver()
        let transport = try WebhookTransport(settings: WebhookTransportTests.settings(receiver, maxConnections: 4, rate: 10))
        defer { transport.close() }
        #expect(transport.send(requests(5)).allSatisfy { $0 == .delivered(detail: "http 200") })
        let arrivals = try receiver.requests().map(\.arrived).sorted()
        try #require(arrivals.count == 5)
        // Starts are 0.1 s apart, so 5 arrivals span about 0.4 s; allow for network jitter.
        #expect(arrivals[4] - arrivals[0] >= 0.3, "arrivals: \(arrivals)")
        // No two together, as four connections each paced alone would start them. Not 0.1 s each:
        // the first arrival also waits for its connection to be accepted, which the others reuse.
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 0.02 }, "gaps: \(gaps)")
    }
}
