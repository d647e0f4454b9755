import Foundation

/// One webhook message to POST: the caller (the daemon) builds the JSON body and picks the id.
public struct WebhookRequest: Sendable, Equatable {
    /// The attempt id, sent as `webhook-id`. It must stay the same on every retry of the same
    /// attempt, because receivers deduplicate on it. Printable ASCII, no spaces (it is a header).
    public var id: String
    /// When this send happens (`webhook-timestamp`, unix seconds). Use the current time on every
    /// try, not the time of the first one: receivers reject timestamps older than a few minutes.
    public var timestamp: Date
    /// The JSON payload, sent and signed byte for byte as given.
    public var body: Data
    /// Where `body` holds personal data, as dotted keys into its objects (`customer.name`): a
    /// receiver's error reply that quotes those values has them cut out before it is logged.
    /// The body is only read for them when a reply is an error.
    public var personalFields: [String]

    public init(id: String, timestamp: Date, body: Data, personalFields: [String] = []) {
        self.id = id
        self.timestamp = timestamp
        self.body = body
        self.personalFields = personalFields
    }

    /// `webhook-timestamp`: whole unix seconds, as Standard Webhooks requires.
    var unixSeconds: Int64 { Int64(timestamp.timeIntervalSince1970.rounded(.down)) }

    /// Throws `invalidMessage` when the id cannot travel in a header or be signed unambiguously.
    func validate() throws(DeliveryError) {
        guard !id.isEmpty, id.utf8.count <= 256, id.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw .invalidMessage("webhook id must be 1 to 256 printable ASCII characters without spaces")
        }
        guard timestamp.timeIntervalSince1970 >= 0 else { throw .invalidMessage("webhook timestamp is before 1970") }
    }
}
