/// What recording one incoming payment did; the ingress answers and logs from it. Every case
/// is a 200 for the sender: the payment is either in the ledger or in `unmatched_payments`.
public enum IngressOutcome: Sendable, Equatable {
    /// A new payment of `debtID`; `settled` when it paid the debt up (reminders cancelled,
    /// thank-you queued).
    case recorded(debtID: String, settled: Bool)
    /// That debt already has a payment with this reference and amount: nothing new.
    case duplicate(debtID: String)
    /// Not applied to any debt, kept for the operator (`lembra status`); `new` is false when the
    /// same confirmation was kept before.
    case unmatched(UnmatchedReason, new: Bool)
}
