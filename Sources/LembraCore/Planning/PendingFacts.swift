import Foundation

/// What the planner checks again about an attempt claimed in an earlier tick before it goes
/// out, loaded by the store with the attempt: the customer's zone and flags as they are now, and
/// whether any debt it covers was paid or disputed since.
public struct PendingFacts: Sendable, Equatable {
    public var kind: PlannedMessage.Kind
    /// The customer's stored IANA zone (nil or invalid: the business's).
    public var timezone: String?
    /// Paused until the end of this day; `.endOfTime` for an open-ended pause.
    public var pausedThrough: CalendarDate?
    public var optedOut: Bool
    /// A debt the attempt covers is paid.
    public var anyDebtPaid: Bool
    /// A debt the attempt covers is disputed.
    public var anyDebtDisputed: Bool

    public init(kind: PlannedMessage.Kind, timezone: String? = nil, pausedThrough: CalendarDate? = nil, optedOut: Bool = false,
                anyDebtPaid: Bool = false, anyDebtDisputed: Bool = false) {
        self.kind = kind; self.timezone = timezone; self.pausedThrough = pausedThrough; self.optedOut = optedOut
        self.anyDebtPaid = anyDebtPaid; self.anyDebtDisputed = anyDebtDisputed
    }
}
