/// The attempt lifecycle, written down once: every way an attempt's state may change, the
/// states it may leave and the states it may reach. The ledger guards each of its updates with
/// `from` (`WHERE state IN …`, see `guardClause`), so an update that lost a race touches nothing:
/// a lane marking an attempt `sending` after a payment cancelled it, an outcome recorded for an
/// attempt the recovery moved on. Any ledger, whatever its database, follows this table, and
/// the guarantees read off it: `sent`, `skipped` and `cancelled` are final, `sending` is
/// entered only by `markSending` (the last write before the network), and only an interrupted
/// send goes back to `claimed`.
public enum AttemptTransition: String, CaseIterable, Sendable {
    /// A claim writes the attempt; a step that will not be sent is written `skipped`.
    case claim
    /// The last write before the network; a retry only once its time has come.
    case markSending = "mark_sending"
    /// The transfer's outcome; only the attempt still `sending` takes it.
    case recordOutcome = "record_outcome"
    /// Its channel went down this tick: it waits, without spending a try.
    case holdForChannel = "hold_for_channel"
    /// The customer's sending window is shut (night, holiday): it waits for the next opening.
    case waitForWindow = "wait_for_window"
    /// A payment, pause, dispute, opt-out or promise stopped it before it left.
    case cancel
    /// The daemon stopped while it was `sending`: back to `claimed` when the progress file shows
    /// nothing left, `in_doubt` otherwise.
    case recoverInterrupted = "recover_interrupted"
    /// `lembra requeue`: a dead attempt gets a fresh set of tries.
    case requeue
    /// A restored backup: whatever was pending in the copy may have gone out since.
    case restore

    /// The reason `restore` gives, on every ledger: a copy was put back over what went out after it.
    public static let restoredReason = "restored"

    /// The states the attempt may be in for the change to apply; empty for `claim`, which
    /// writes a new attempt.
    public var from: Set<AttemptState> {
        switch self {
        case .claim: []
        case .markSending, .holdForChannel, .waitForWindow, .cancel: [.claimed, .retry]
        case .recordOutcome, .recoverInterrupted: [.sending]
        case .requeue: [.dead]
        case .restore: [.claimed, .sending, .retry]
        }
    }

    /// The states the change may leave it in.
    public var to: Set<AttemptState> {
        switch self {
        case .claim: [.claimed, .skipped]
        case .markSending: [.sending]
        case .recordOutcome: [.sent, .retry, .dead, .inDoubt]
        case .holdForChannel, .waitForWindow, .requeue: [.retry]
        case .cancel: [.cancelled]
        case .recoverInterrupted: [.claimed, .inDoubt]
        case .restore: [.inDoubt]
        }
    }

    /// A `retry` may leave only once its `next_try_at` has come: before that another process
    /// may be trying it, or its wait (a channel down, a shut window) is not over.
    public var onlyDueRetries: Bool { self == .markSending || self == .holdForChannel }
}
