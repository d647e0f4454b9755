import Foundation

/// One lane's part of a group commit (`LedgerClaims.record(group:now:)`): the outcomes of the
/// batch it just sent, and what to do with the batch it takes next: mark it `sending` (the
/// channel is up) or hold it as waiting for the channel (`holding`, the channel went down this
/// tick). The two halves are one request because they are one decision of the lane's: whatever
/// else shares the commit, its outcomes and its next batch's mark are durable together, as with
/// `record(_:markingSending:now:)`.
public struct LaneCommit: Sendable {
    /// The outcomes of attempts this lane had `sending`.
    public var outcomes: [(id: String, outcome: AttemptOutcome)]
    /// The lane's next batch (claimed, or retries now due); empty when it only records.
    public var ids: [String]
    /// Set when the channel is down: `ids` wait as `retry` until then, for this reason, instead
    /// of being marked `sending` (as `record(_:holding:until:reason:now:)`).
    public var holding: (until: Date, reason: String)?

    /// Records `outcomes` and marks `ids` `sending`.
    public init(_ outcomes: [(id: String, outcome: AttemptOutcome)], markingSending ids: [String] = []) {
        self.outcomes = outcomes
        self.ids = ids
        holding = nil
    }

    /// Records `outcomes` and holds `ids` for their channel until `until`.
    public init(_ outcomes: [(id: String, outcome: AttemptOutcome)], holding ids: [String], until: Date, reason: String) {
        self.outcomes = outcomes
        self.ids = ids
        holding = (until, reason)
    }

    /// Nothing to write: no outcome and no next batch.
    public var isEmpty: Bool { outcomes.isEmpty && ids.isEmpty }
}
