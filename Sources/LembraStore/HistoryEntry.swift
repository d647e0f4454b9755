import Foundation

/// One line of `lembra history`: an attempt or an event (payment, pause, dispute...).
public struct HistoryEntry: Sendable, Equatable {
    public var at: Date
    public var customerID: String
    public var debtIDs: [String]
    /// `attempt` or the event kind.
    public var kind: String
    public var summary: String

    public init(at: Date, customerID: String, debtIDs: [String], kind: String, summary: String) {
        self.at = at; self.customerID = customerID; self.debtIDs = debtIDs; self.kind = kind; self.summary = summary
    }
}
