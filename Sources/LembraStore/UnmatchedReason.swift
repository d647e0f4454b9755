/// Why an incoming payment was kept aside instead of applied to a debt.
public enum UnmatchedReason: String, Sendable, Equatable {
    /// No debt has the id the confirmation names.
    case unknownDebt = "unknown_debt"
    /// No debt's Pix code carries the txid.
    case unknownTxid = "unknown_txid"
    /// The debt was already paid: money received twice, for a person to refund or re-apply.
    case alreadyPaid = "already_paid"
    /// The debt has a payment with this reference but another amount: one of them is wrong.
    case referenceConflict = "reference_conflict"
}
