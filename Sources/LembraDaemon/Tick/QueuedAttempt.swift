import Foundation
import LembraStore

/// An attempt waiting in a `BatchSource`, with the instant after which it must not go out this
/// tick: the end of the customer's sending window when it was planned or re-checked. Kept out
/// of `Attempt` (a ledger row) because it is this tick's decision, never stored.
struct QueuedAttempt: Sendable {
    let attempt: Attempt
    /// nil: no limit (tests, and channels whose messages the window does not govern).
    let sendBy: Date?

    init(_ attempt: Attempt, sendBy: Date? = nil) {
        self.attempt = attempt
        self.sendBy = sendBy
    }
}
