import Foundation
import LembraDelivery

/// The Standard Webhooks check of one request to `POST /payments`: a valid `v1` signature over
/// `id.timestamp.body` with the configured secret, and a timestamp within `tolerance` of `now`
/// either way, so a captured request cannot be replayed later. A replay within the tolerance
/// carries the payment's own `reference` and is recorded once (see `SQLiteLedger.receive`).
public struct SignedRequest: Sendable {
    public static let tolerance: Double = 5 * 60

    public var id: String?
    public var timestamp: String?
    public var signature: String?

    public init(id: String?, timestamp: String?, signature: String?) {
        self.id = id; self.timestamp = timestamp; self.signature = signature
    }

    public func verify(body: Data, with key: StandardWebhooks, now: Date) throws(IngressRejection) {
        guard let id, !id.isEmpty, let timestamp, let signature else {
            throw IngressRejection(.missingHeaders, "webhook-id, webhook-timestamp and webhook-signature are required (Standard Webhooks)")
        }
        guard let seconds = Int64(timestamp) else { throw IngressRejection(.missingHeaders, "webhook-timestamp must be unix seconds") }
        // The signature first: an unsigned request learns nothing, not even whether its clock is off.
        guard key.verify(id: id, timestamp: seconds, body: body, signatureHeader: signature) else {
            throw IngressRejection(.badSignature, "the signature does not match")
        }
        guard abs(Double(seconds) - now.timeIntervalSince1970) <= Self.tolerance else {
            throw IngressRejection(.staleTimestamp, "webhook-timestamp is more than 5 minutes from now")
        }
    }
}
