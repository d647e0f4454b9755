import Foundation

/// Money received against a debt. Recording one stops that debt's reminders and queues the thank-you.
public struct Payment: Sendable, Equatable {
    public var debtID: String
    public var amount: Money
    public var paidAt: Date

    public init(debtID: String, amount: Money, paidAt: Date) {
        self.debtID = debtID; self.amount = amount; self.paidAt = paidAt
    }
}
