import Foundation

/// One webhook message to POST: the caller (the daemon) builds the JSON body and picks the id.
public struct WebhookRequest: Sendable, Equatable {
    /// The attempt id, sent as `webhook-id`. It must stay the same on every retry of the same
    /// attempt, because receivers deduplicate on it. Printable ASCII, no spaces (it is a header).
    public var id: String
    /// The JSON payload, sent and signed byte for byte as given.
    public var body: Data
    /// Where `body` holds personal data, as dotted keys into its objects (`customer.name`): a
    /// receiver's error reply that quotes those values has them cut out before it is logged.
    /// The body is only read for them when a reply is an error.
    public var personalFields: [String]

    public init(id: String, body: Data, personalFields: [String] = []) {
        self.id = id
        self.body = body
        self.personalFields = personalFields
    }

    /// Throws `invalidMessage` when the id cannot travel in a header or be signed unambiguously.
    func validate() throws(DeliveryError) {
        guard !id.isEmpty, id.utf8.count <= 256, id.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw .invalidMessage("webhook id must be 1 to 256 printable ASCII characters without spaces")
        }
    }
}
