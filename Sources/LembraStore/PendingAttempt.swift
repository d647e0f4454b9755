import LembraCore

/// An attempt claimed in an earlier tick and due now, with what the planner checks again before
/// it goes out (`Planner.recheck`).
public struct PendingAttempt: Sendable, Equatable {
    public var attempt: Attempt
    public var facts: PendingFacts

    public init(attempt: Attempt, facts: PendingFacts) { self.attempt = attempt; self.facts = facts }
}
