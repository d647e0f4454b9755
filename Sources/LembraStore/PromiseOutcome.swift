/// What recording a payment promise did; the promise page answers from it.
public enum PromiseOutcome: Sendable, Equatable {
    /// Recorded: the debt's reminders wait, the confirmation is queued.
    case recorded
    /// A promise was already made from this step's link.
    case alreadyUsed
    /// The debt is paid, unknown, or has another due date now (renegotiated): nothing to promise.
    case notOpen
}
