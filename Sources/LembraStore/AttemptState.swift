/// Where an attempt is in its life. The ledger is written before every network call, so after a
/// crash `claimed` means "not sent yet" and only `sending` is in doubt.
public enum AttemptState: String, Sendable, CaseIterable, Codable {
    /// Recorded, not yet handed to the network.
    case claimed
    /// Handed to the network; an outcome was not recorded yet.
    case sending
    case sent
    /// Waits for `next_try_at`: it failed transiently, or it was due while the customer's sending
    /// window was shut (`reason` says `outside_window` or `holiday`; that deferral is not a try).
    case retry
    /// Failed permanently or ran out of tries.
    case dead
    /// Never to be sent (superseded by a later step, no address for the channel).
    case skipped
    /// Was `sending` when the daemon stopped: it may or may not have arrived.
    case inDoubt = "in_doubt"
    /// Stopped before it was sent: the debt was paid or disputed, or the customer paused or opted
    /// out (`reason` says which).
    case cancelled
}
