/// Why a due reminder is not going out now. Logged, shown by `preview` and `history`.
/// Held reminders wait; they are not dropped.
public enum HoldReason: String, Sendable, CaseIterable {
    case outsideWindow = "outside_window"
    case holiday
    case minGap = "min_gap"
    case weeklyCap = "weekly_cap"
    case paused
    case disputed
    /// The customer promised to pay this debt by a date (the promise page): held until the day after.
    case promised
    case optedOut = "opted_out"
    /// The message's debts add up to more than Int64 cents hold (amounts above
    /// `Money.maxAmount`, stored by an older version): held, never sent with a wrong total.
    case amountOverflow = "amount_overflow"
}

/// Why a step was recorded as skipped: it will never be sent.
public enum SkipReason: String, Sendable, CaseIterable {
    /// A later step of the ladder was due at the same time (after downtime, or a segment change).
    case superseded
    /// The customer has no address for the step's channel.
    case noAddress = "no_address"
    /// A step for the due date or before it that had not gone out when the due date ended (the
    /// window stayed shut, a cap or a pause held it, Lembra was down): its text speaks of a due
    /// date that has passed.
    case expired
}
