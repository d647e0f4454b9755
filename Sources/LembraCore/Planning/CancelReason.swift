/// Why an attempt already claimed was stopped before it went out: it will not be sent as it is.
/// Recorded on the attempt (`history` shows it); whether its steps may be planned again is the
/// ledger's call (see `SQLiteLedger.cancelPending`).
public enum CancelReason: String, Sendable, CaseIterable {
    /// Every debt it names is settled: a reminder now would charge a paid debt (CDC art. 42).
    case paid
    /// The customer is paused: nothing goes out until the pause ends.
    case paused
    /// A debt it names is disputed: reminders for that debt stop until resolved.
    case disputed
    /// The customer promised to pay a debt it names by a date: its reminders wait until then.
    case promised
    /// The customer asked for no messages (LGPD).
    case optedOut = "opted_out"
    /// A debt it names got a new amount or due date (a debts import): it states the old terms,
    /// and its payment link, signed over them, would no longer verify.
    case renegotiated
}
