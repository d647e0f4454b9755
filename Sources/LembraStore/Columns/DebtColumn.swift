/// The columns the planner reads of a debt (`SQLiteLedger.debt(_:)`, then whether it is
/// disputed and owes a thank-you).
enum DebtColumn: Int, ColumnList {
    case id, customerID, amountCents, paidCents, dueDate, description, currency, paymentURL, paidAt, createdAt
    case disputeReason, thanksPending
}
