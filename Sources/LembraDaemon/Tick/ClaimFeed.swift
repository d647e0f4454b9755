import Foundation

/// Tells the tick's channel workers that the planner committed more claims, and when it is done.
///
/// The planner claims a chunk of customers at a time; the workers send what is claimed while it
/// plans the next chunk, so the first reminders go out long before the whole tick is planned.
/// A worker that finds nothing to send waits here instead of polling the ledger.
final class ClaimFeed: @unchecked Sendable {
    /// What a worker saw before it looked at the ledger.
    struct Mark: Equatable { var chunks: Int; var finished: Bool }

    // `@unchecked Sendable`: every field is read and written under `condition`.
    private let condition = NSCondition()
    private var chunks = 0
    private var finished = false

    /// Read *before* querying the ledger, so a chunk committed during the query is never missed.
    var mark: Mark { condition.withLock { Mark(chunks: chunks, finished: finished) } }

    /// A chunk of claims was committed.
    func published() { update { $0.chunks += 1 } }

    /// No more claims this tick (also on failure or stop, so no worker waits forever).
    func finish() { update { $0.finished = true } }

    /// Waits until something happened after `mark`: a new chunk, or the end.
    func wait(after mark: Mark) {
        condition.withLock {
            while Mark(chunks: chunks, finished: finished) == mark { condition.wait() }
        }
    }

    private func update(_ change: (ClaimFeed) -> Void) {
        condition.withLock { change(self); condition.broadcast() }
    }
}
