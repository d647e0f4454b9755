import Foundation

/// One message in the ledger: a reminder (or thank-you) to one customer over one channel,
/// covering one or more debts' steps.
public struct Attempt: Sendable, Equatable {
    public var id: String
    public var customerID: String
    public var kind: String
    public var channel: String
    public var template: String
    public var segment: String
    public var stepID: String
    public var handoff: Bool
    public var state: AttemptState
    public var reason: String?
    public var tries: Int
    public var nextTryAt: Date?
    /// The rendered message, opaque to the store: retries and in-doubt re-sends send these bytes.
    public var payload: Data
    public var createdAt: Date
    public var updatedAt: Date
    /// The debts this attempt covers.
    public var debtIDs: [String]
}

extension Attempt {
    /// The attempt a claim just wrote, as `sendable` would read it back.
    public init(claimed r: ClaimRequest, now: Date) {
        let m = r.message
        self.init(id: r.attemptID, customerID: m.customerID, kind: m.kind.rawValue, channel: m.channel, template: m.template,
                  segment: m.segment, stepID: m.stepID, handoff: m.handoff, state: .claimed, reason: nil, tries: 0, nextTryAt: nil,
                  payload: r.payload, createdAt: now, updatedAt: now, debtIDs: m.items.map(\.debt.id))
    }
}
