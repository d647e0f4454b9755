import LembraStore

/// What the tick does with an attempt a crash left `sending`, from what the progress file says of
/// it (`ProgressRecord`): pure, so every rule is tested on its own.
///
/// - Finished: its outcome is recorded as the live path would have (sent, retry, dead, in doubt).
/// - Prepared, never started: back to `claimed`, sent as if nothing happened (it never arrived).
/// - Started, not finished (it was on the wire), or not in a trusted file (the batch rule, as
///   without a file): it may have arrived. Re-sent under its own id where that is harmless
///   (`resendIsSafe`), otherwise in doubt.
enum Recovery: Equatable {
    /// Record this outcome, as the live path would have.
    case record(AttemptOutcome)
    /// Back to `claimed`: it never started.
    case requeue
    /// Back to `claimed`, remembered as may-have-arrived: re-sent under the same id.
    case resend
    /// In doubt: it may have arrived and is not sent again.
    case inDoubt

    /// - Parameters:
    ///   - event: its last event in the progress file, nil when the file is not trusted or
    ///     does not mention it.
    ///   - resendIsSafe: whether sending it again is harmless (a deduplicating receiver, the
    ///     outbox, a thank-you, or `in_doubt: resend`).
    static func decide(_ event: ProgressEvent?, resendIsSafe: Bool) -> Recovery {
        switch event {
        case .finished(let outcome): .record(outcome)
        case .prepared: .requeue
        case .started, nil: resendIsSafe ? .resend : .inDoubt
        }
    }
}
