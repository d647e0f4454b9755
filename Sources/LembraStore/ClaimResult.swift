/// What a claim made against a planning snapshot did (`SQLiteLedger.claim(_:saving:now:ifControlsAt:)`).
public enum ClaimResult: Sendable, Equatable {
    /// Committed: the ids of the attempts claimed (a message whose step was already in the
    /// ledger, or one recorded as skipped, is not among them).
    case claimed([String])
    /// Nothing written: a control that stops messages (pause, opt-out, dispute, payment)
    /// committed after the snapshot was read, so the plans may send what must not go out.
    /// Read the customers again and plan anew.
    case stale
    /// Nothing written: another daemon sharing the ledger leased one of the customers since
    /// this one read them (its lease ran out while it planned), so the other may have claimed,
    /// or be planning, from a view this plan never saw (PostgreSQL only). Read the chunk again:
    /// that customer is left out of it.
    case leasedElsewhere
}
