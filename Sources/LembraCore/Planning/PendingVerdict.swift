import Foundation

/// What to do now with an attempt claimed in an earlier tick (see `Planner.recheck`).
public enum PendingVerdict: Sendable, Equatable {
    /// Nothing stops it: send it now.
    case send
    /// The customer's sending window is shut: keep it, untried, until `until` (the window's next
    /// opening). A deferral is not a try.
    case wait(until: Date, reason: HoldReason)
    /// It must not go out: the debt was paid or disputed, or the customer paused or opted out.
    case cancel(CancelReason)
}
