import Foundation
import LembraDelivery
import LembraStore

/// Signed JSON POSTs, concurrently through curl's multi interface. Receivers deduplicate on
/// `webhook-id` (the attempt id), so large batches and re-sends after a crash are safe.
final class WebhookSender: ChannelSender {
    private let transport: WebhookTransport
    let resendIsSafe = true
    /// 128, or about 2.5 seconds of sending under a `rate:` (`BatchPacing`): two batches are in
    /// flight, the one on the wire and the one marked ahead, as one of 256 used to be.
    let batchLimit: Int
    /// One batch at a time: curl's multi interface already sends it over `max_connections`.
    let lanes = 1
    /// The one lane would stand idle at each commit, so it marks its next batch while it sends.
    let marksAhead = true

    init(transport: WebhookTransport, rate: Double? = nil) {
        self.transport = transport
        batchLimit = BatchPacing.limit(128, rate: rate, inFlight: 2)
    }

    /// The body was rendered at claim time; `webhook-timestamp` is the system clock as each
    /// request starts, even under `--now`: receivers compare it with their own clock and reject
    /// old ones. The body's personal fields are named so that an error reply quoting them is redacted.
    func send(_ attempts: [Attempt], lane: Int, now: Date, events: TransferEvents?) -> [DeliveryOutcome] {
        transport.send(attempts.map {
            WebhookRequest(id: $0.id, body: $0.payload, personalFields: WebhookPayload.personalFields)
        }, events: events)
    }

    func close() { transport.close() }
}
