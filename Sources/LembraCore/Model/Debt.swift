import Foundation

/// An amount a customer owes by a due date. A new due date (renegotiation) starts a new ladder,
/// because the ledger keys reminders on (debt, due date, step).
public struct Debt: Sendable, Equatable {
    public var id: String
    public var customerID: String
    public var amount: Money
    public var dueDate: CalendarDate
    public var description: String
    public var currency: String
    /// The customer's own link from their payment provider; wins over generated links.
    public var paymentURL: String?
    /// When it was paid; nil while open.
    public var paidAt: Date?
    /// When the ledger first recorded it (its first import); nil when not known. Steps whose
    /// days had all passed by then were never Lembra's to send (see `Planner.expired`).
    public var recordedAt: Date?

    public init(id: String, customerID: String, amount: Money, dueDate: CalendarDate, description: String = "",
                currency: String = "BRL", paymentURL: String? = nil, paidAt: Date? = nil, recordedAt: Date? = nil) {
        self.id = id; self.customerID = customerID; self.amount = amount; self.dueDate = dueDate
        self.description = description; self.currency = currency; self.paymentURL = paymentURL; self.paidAt = paidAt
        self.recordedAt = recordedAt
    }

    public var isOpen: Bool { paidAt == nil }
}
