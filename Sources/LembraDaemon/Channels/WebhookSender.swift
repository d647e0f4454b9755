import Foundation
import LembraDelivery
import LembraStore

/// Signed JSON POSTs, concurrently through curl's multi interface. Receivers deduplicate on
/// `webhook-id` (the attempt id), so large batches and re-sends after a crash are safe.
///
/// Two lanes when the channel has at least two connections, each with its own transport and
/// half of them (and half the rate): while one lane commits its batch, the other sends.
final class WebhookSender: ChannelSender {
    private let transports: [WebhookTransport]
    let resendIsSafe = true
    let batchLimit = 256
    var lanes: Int { transports.count }

    init(settings: WebhookSettings) throws(DeliveryError) {
        var transports: [WebhookTransport] = []
        for share in Self.shares(of: settings) { transports.append(try WebhookTransport(settings: share)) }
        self.transports = transports
    }

    /// The settings of each lane: two lanes when there are at least two connections, sharing the
    /// connections and the rate so that together they never exceed the channel's.
    static func shares(of settings: WebhookSettings) -> [WebhookSettings] {
        let lanes = settings.maxConnections >= 2 ? 2 : 1
        return (0..<lanes).map { lane in
            var share = settings
            share.maxConnections = settings.maxConnections / lanes + (lane < settings.maxConnections % lanes ? 1 : 0)
            share.rate = settings.rate.map { $0 / Double(lanes) }
            return share
        }
    }

    /// The body was rendered at claim time; `webhook-timestamp` is the system clock at each try,
    /// even under `--now`: receivers compare it with their own clock and reject old ones.
    func send(_ attempts: [Attempt], lane: Int, now: Date) -> [DeliveryOutcome] {
        let sentAt = Date()
        return transports[lane].send(attempts.map { WebhookRequest(id: $0.id, timestamp: sentAt, body: $0.payload) })
    }

    func close() { for t in transports { t.close() } }
}
