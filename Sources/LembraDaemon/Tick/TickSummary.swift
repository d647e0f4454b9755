/// What one tick did: the summary log line, `STATUS=` for systemd, and the metrics.
public struct TickSummary: Sendable, Equatable, CustomStringConvertible {
    public var customersPlanned = 0
    public var claimed = 0
    public var skipped = 0
    public var held = 0
    /// Leftovers (retries, claims left unsent) that were due while the customer's window was shut.
    public var deferred = 0
    /// Leftovers cancelled when checked again: paid, disputed, paused or opted out since.
    public var cancelled = 0
    public var sent = 0
    public var retried = 0
    public var dead = 0
    public var inDoubt = 0
    /// Messages left waiting, no try spent, because their channel was down (`channel_down`).
    public var channelDown = 0
    public var imported = 0
    public var rejectedFiles = 0
    public var milliseconds = 0
    public init() {}

    /// Adds what a lane did (its sends, their outcomes and the batches it put back): every count,
    /// not the time, so a count a lane gains later is never left out.
    mutating func add(_ part: TickSummary) {
        customersPlanned += part.customersPlanned; claimed += part.claimed; skipped += part.skipped; held += part.held
        deferred += part.deferred; cancelled += part.cancelled
        sent += part.sent; retried += part.retried; dead += part.dead; inDoubt += part.inDoubt; channelDown += part.channelDown
        imported += part.imported; rejectedFiles += part.rejectedFiles
    }

    public var description: String {
        "planned=\(customersPlanned) claimed=\(claimed) sent=\(sent) retry=\(retried) dead=\(dead) held=\(held) skipped=\(skipped) in_doubt=\(inDoubt) deferred=\(deferred) cancelled=\(cancelled) channel_down=\(channelDown) ms=\(milliseconds)"
    }
}
