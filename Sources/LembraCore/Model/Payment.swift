import Foundation

/// Money received against a debt. Recording one stops that debt's reminders and queues the thank-you.
public struct Payment: Sendable, Equatable {
    public var debtID: String
    public var amount: Money
    public var paidAt: Date
    /// The bank's or Pix's id of the transaction (e.g. the Pix E2E id), when known. It tells two
    /// equal payments (same amount, same day) apart, and the same payment in two files together.
    public var reference: String?

    public init(debtID: String, amount: Money, paidAt: Date, reference: String? = nil) {
        self.debtID = debtID; self.amount = amount; self.paidAt = paidAt; self.reference = reference
    }
}
