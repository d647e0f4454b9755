/// A request the ingress refuses, before anything is recorded. `reason` is a fixed token for
/// the log (`event=ingress_rejected reason=bad_signature`); `message` is said to the sender.
/// Neither carries the body: it holds payers' data.
public struct IngressRejection: Error, Sendable, Equatable {
    public enum Reason: String, Sendable {
        case badSignature = "bad_signature"
        case staleTimestamp = "stale_timestamp"
        case missingHeaders = "missing_headers"
        case badToken = "bad_token"
        case tooLarge = "too_large"
        case badBody = "bad_body"
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason; self.message = message
    }

    /// 401 for who sent it, 413 for its size, 400 for what it says.
    public var status: Int {
        switch reason {
        case .badSignature, .staleTimestamp, .missingHeaders, .badToken: 401
        case .tooLarge: 413
        case .badBody: 400
        }
    }
}
