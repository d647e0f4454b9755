import Foundation
import LembraCore

/// A planned message with its rendered payload, to be written to the ledger before sending.
public struct ClaimRequest: Sendable {
    public var attemptID: String
    public var message: PlannedMessage
    public var payload: Data
    /// Set when the message must not be sent (e.g. no address): it is recorded as skipped.
    public var skipReason: String?

    public init(attemptID: String, message: PlannedMessage, payload: Data, skipReason: String? = nil) {
        self.attemptID = attemptID; self.message = message; self.payload = payload; self.skipReason = skipReason
    }

    /// A fresh attempt id (`AttemptIDSequence.next`): unique across processes, and in the order
    /// made within a millisecond.
    public static func newAttemptID(now: Date) -> String {
        let ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        return AttemptIDSequence.shared.withLock { sequence in
            var random = SystemRandomNumberGenerator()
            return sequence.next(ms: ms, using: &random)
        }
    }
}
