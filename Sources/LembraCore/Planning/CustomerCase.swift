import Foundation

/// Everything the planner knows about one customer at one tick, loaded by the store.
public struct CustomerCase: Sendable {
    public var customer: Customer
    /// Every debt of the customer, open and paid (paid ones feed the metrics).
    public var debts: [Debt]
    /// Steps already in the ledger for these debts, in any state (claimed, sent, skipped, dead...).
    public var ledger: Set<StepKey>
    /// When non-handoff messages to this customer were claimed in the last 7 days.
    public var recentContacts: [Date]
    /// Paused until the end of this day; `.distantFuture` day for an open-ended pause.
    public var pausedThrough: CalendarDate?
    public var optedOut: Bool
    /// Debts under dispute: no reminders until resolved.
    public var disputed: Set<String>
    /// Paid debts whose thank-you is still to be sent.
    public var thanksDue: Set<String>
    /// Each open debt's latest payment promise for its current due date.
    public var promises: [String: DebtPromise] = [:]
    /// The segment the ledger holds for the customer (the last planning's), nil if never planned
    /// or not read: the plan carries it so that an unchanged segment is not written again.
    public var lastSegment: String?

    public init(customer: Customer, debts: [Debt], ledger: Set<StepKey> = [], recentContacts: [Date] = [],
                pausedThrough: CalendarDate? = nil, optedOut: Bool = false, disputed: Set<String> = [], thanksDue: Set<String> = [],
                lastSegment: String? = nil) {
        self.customer = customer; self.debts = debts; self.ledger = ledger; self.recentContacts = recentContacts
        self.pausedThrough = pausedThrough; self.optedOut = optedOut; self.disputed = disputed; self.thanksDue = thanksDue
        self.lastSegment = lastSegment
    }
}
