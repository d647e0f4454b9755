import Foundation
import Synchronization
import LembraStore

/// Hands one channel's sendable attempts to its lanes a batch at a time. Each lane gives back
/// its last batch's outcomes when it asks for the next, and both go into one commit (outcomes
/// recorded, next batch marked `sending`) under one lock, so two lanes never get the same
/// attempt, and one lane's commit overlaps the others' network calls.
///
/// Attempts are read from the ledger `prefetch` at a time, not per batch: the mark, which only
/// moves attempts still waiting, is what decides whether one goes out.
final class BatchSource: Sendable {
    let channel: String
    private let ledger: Ledger
    private let limit: Int
    private let prefetch: Int
    private let feed: ClaimFeed
    private let stop: StopFlag
    private let now: Date
    private let state = Mutex(Pending())

    /// Attempts read but not yet handed out, and every id read this tick: each attempt goes out
    /// at most once per tick, even if another process holds its row.
    private struct Pending: ~Copyable {
        var queue: [Attempt] = []
        var seen = Set<String>()
    }

    init(channel: String, ledger: Ledger, limit: Int, lanes: Int, feed: ClaimFeed, stop: StopFlag, now: Date) {
        self.channel = channel; self.ledger = ledger; self.limit = limit; self.feed = feed; self.stop = stop; self.now = now
        prefetch = max(limit * lanes * 4, 256)
    }

    /// Records `outcomes` and returns the next batch, already marked `sending`; nil once the
    /// planner is done and nothing is left, or when the daemon is stopping (the outcomes are
    /// recorded either way). Waits for the planner's next chunk rather than polling.
    func next(recording outcomes: [(id: String, outcome: AttemptOutcome)]) throws(StoreError) -> [Attempt]? {
        var unrecorded = outcomes
        while true {
            let mark = feed.mark
            let stopping = stop.isSet
            let (taken, batch) = try state.withLock { pending throws(StoreError) -> (Int, [Attempt]) in
                let taken = stopping ? [] : try take(&pending)
                let marked = try ledger.record(unrecorded, markingSending: taken.map(\.id), now: now)
                return (taken.count, taken.filter { marked.contains($0.id) })
            }
            unrecorded = []
            if !batch.isEmpty { return batch }
            if stopping || (taken == 0 && mark.finished) { return nil }
            if taken == 0 { feed.wait(after: mark) }
        }
    }

    /// Up to `limit` attempts from the queue, refilled from the ledger when empty.
    private func take(_ pending: inout Pending) throws(StoreError) -> [Attempt] {
        if pending.queue.isEmpty {
            let seen = pending.seen
            pending.queue = try ledger.sendable(now: now, channel: channel, limit: prefetch).filter { !seen.contains($0.id) }
            pending.seen.formUnion(pending.queue.map(\.id))
        }
        let batch = Array(pending.queue.prefix(limit))
        pending.queue.removeFirst(batch.count)
        return batch
    }
}
