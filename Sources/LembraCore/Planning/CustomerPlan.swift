import Foundation

/// The planner's answer for one customer at one instant.
public struct CustomerPlan: Sendable, Equatable {
    public var customerID: String
    public var segment: String
    public var messages: [PlannedMessage] = []
    public var held: [HeldStep] = []
    /// Steps that fell due and never will go out (see `SkipReason.expired`): recorded, not sent.
    public var skipped: [SkippedStep] = []
    /// When to look at each debt again; a missing or nil entry means only an event (payment,
    /// import, resolve, resume) brings it back.
    public var nextCheck: [String: Date?] = [:]
    /// The segment the ledger held when the case was read (`CustomerCase.lastSegment`), so a
    /// store may skip writing `segment` when it is the same (SQLite does).
    public var lastSegment: String?

    public init(customerID: String, segment: String) { self.customerID = customerID; self.segment = segment }
}
