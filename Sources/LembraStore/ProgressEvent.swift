/// How far one attempt got in the progress file (`ProgressFile`), its last line there.
public enum ProgressEvent: Sendable, Equatable {
    /// In a batch about to be marked `sending`: written before that commit, so an attempt the
    /// ledger calls `sending` with only this line never reached the network.
    case prepared
    /// About to reach the network: written after the `sending` mark is durable, right before the
    /// transfer begins. Without a later `finished`, the transfer was cut short by the crash.
    case started
    /// The transfer ended with this outcome (what the tick was about to commit).
    case finished(AttemptOutcome)
}
