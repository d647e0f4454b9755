import LembraDelivery
@testable import LembraDaemon
import Testing

/// A webhook channel's lanes share its connections and its rate, never exceeding either.
@Suite struct WebhookSenderTests {
    static func settings(connections: Int, rate: Double?) -> WebhookSettings {
        WebhookSettings(url: "http://127.0.0.1:9/hook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", maxConnections: connections, rate: rate)
    }

    @Test(arguments: [1, 2, 3, 4, 7, 64])
    func lanesShareTheConnectionsAndTheRate(connections: Int) throws {
        let shares = WebhookSender.shares(of: Self.settings(connections: connections, rate: 10))
        #expect(shares.count == (connections >= 2 ? 2 : 1))
        #expect(shares.map(\.maxConnections).reduce(0, +) == connections)
        #expect(shares.allSatisfy { $0.maxConnections >= 1 })
        #expect(abs(shares.compactMap(\.rate).reduce(0, +) - 10) < 1e-9)
        #expect(WebhookSender.shares(of: Self.settings(connections: connections, rate: nil)).allSatisfy { $0.rate == nil })
    }

    @Test func oneConnectionIsOneLane() throws {
        let sender = try WebhookSender(settings: Self.settings(connections: 1, rate: nil))
        defer { sender.close() }
        #expect(sender.lanes == 1)
        let four = try WebhookSender(settings: Self.settings(connections: 4, rate: nil))
        defer { four.close() }
        #expect(four.lanes == 2)
    }
}
