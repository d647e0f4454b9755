import Crypto
import Foundation

/// Signs webhook payloads as Standard Webhooks (standardwebhooks.com) prescribes, so any
/// receiver using one of its reference libraries can verify them.
///
/// The secret is `whsec_<base64 key>`; the signature of a message is
/// `v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`. The signed content binds the id
/// and the timestamp to the body, so a receiver can reject replays (old timestamps) and
/// deduplicate retries (same id).
///
/// `description` and `customMirror` never show the key.
public struct StandardWebhooks: Sendable, CustomStringConvertible, CustomReflectable {
    private static let prefix = "whsec_"
    let key: SymmetricKey
    /// An HMAC already keyed: each signature copies it instead of deriving the key's inner and
    /// outer pads again (two SHA-256 blocks a message, about 1% of a webhook tick's CPU).
    private let keyed: HMAC<SHA256>

    /// Decodes a `whsec_<base64>` secret. Unpadded base64 is accepted, as the reference
    /// libraries accept it; anything else (missing prefix, bad base64, empty key) is a config
    /// error, because every message signed with it would be rejected.
    public init(secret: String) throws(DeliveryError) {
        guard secret.hasPrefix(Self.prefix) else {
            throw .config("webhook secret must start with \(Self.prefix) followed by base64")
        }
        var encoded = String(secret.dropFirst(Self.prefix.count))
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        guard let key = Data(base64Encoded: encoded) else {
            throw .config("webhook secret is not valid base64 after \(Self.prefix)")
        }
        guard !key.isEmpty else { throw .config("webhook secret is empty") }
        self.key = SymmetricKey(data: key)
        keyed = HMAC<SHA256>(key: self.key)
    }

    /// The `webhook-signature` header value for one message.
    /// - Parameter timestamp: unix seconds, exactly as sent in `webhook-timestamp`.
    public func signature(id: String, timestamp: Int64, body: Data) -> String {
        var mac = keyed
        mac.update(data: Data("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }

    public var description: String { "StandardWebhooks(key: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["key": "<redacted>"]) }
}
