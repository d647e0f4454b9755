import Crypto
import Foundation

extension StandardWebhooks {
    /// Whether `signatureHeader` (the `webhook-signature` value: one or more space-separated
    /// `v1,<base64>`, as a sender rotating its secret sends) holds a valid signature of the
    /// message. The comparison is constant-time (HMAC's own check), so timing tells an attacker
    /// nothing about the expected signature. The timestamp's freshness is the caller's check.
    public func verify(id: String, timestamp: Int64, body: Data, signatureHeader: String) -> Bool {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        return signatureHeader.split(separator: " ").contains { candidate in
            guard candidate.hasPrefix("v1,"), let mac = Data(base64Encoded: String(candidate.dropFirst(3))) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: key)
        }
    }
}
