/// What `SQLiteLedger.requeue` did, or would do (`dryRun`): the dead attempts sent again at the next
/// tick, and those the filter matched but that stay dead, each with why.
public struct RequeueResult: Sendable {
    /// Why a matching dead attempt is not requeued.
    public enum Refusal: String, Sendable {
        /// A try may have reached the customer (a timeout or a dropped connection after the
        /// whole message went out): sending it again could charge twice.
        case mayHaveArrived = "may_have_arrived"
        /// A debt of the reminder is paid since.
        case paid
        /// A later reminder for the same debt went out, or is on its way: this one is outdated.
        case superseded
        /// A debt of the reminder was renegotiated (amount or due date) or partly paid since it
        /// was written: its stored text, total and signed link state the old terms.
        case termsChanged = "terms_changed"
    }

    public var requeued: [Attempt] = []
    public var refused: [(attempt: Attempt, reason: Refusal)] = []

    public init() {}
}
