/// What a claim made against a planning snapshot did (`SQLiteLedger.claim(_:saving:now:ifControlsAt:)`).
public enum ClaimResult: Sendable, Equatable {
    /// Committed: the ids of the attempts claimed (a message whose step was already in the
    /// ledger, or one recorded as skipped, is not among them).
    case claimed([String])
    /// Nothing written: a control that stops messages (pause, opt-out, dispute, payment)
    /// committed after the snapshot was read, so the plans may send what must not go out.
    /// Read the customers again and plan anew.
    case stale
}
