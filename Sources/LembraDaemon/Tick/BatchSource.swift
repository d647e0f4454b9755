import Foundation
import LembraStore

/// One channel's attempts waiting to go out this tick, handed to its lanes a batch at a time.
///
/// It starts with what the ledger already holds (retries now due, claims a crash left unsent)
/// that the planner checked again, then the planner adds each chunk's claims as soon as they
/// are committed, so the lanes send the first reminders while later customers are still being
/// planned, without reading back what was just written.
///
/// A lane gives back its last batch's outcomes when it asks for the next batch; both go into one
/// commit (outcomes recorded, next batch marked `sending`). The mark only moves attempts still
/// waiting, so one a payment cancelled in the meantime is never sent.
///
/// A long tick (a `rate:` limit, a slow gateway) may reach the end of a customer's sending
/// window before it reaches her message: one whose `sendBy` has passed on the tick's clock is
/// not handed out nor marked. It stays in the ledger as it was, and the next tick's re-check
/// makes it wait for the window's next opening (`late` lists them for the tick's log).
///
/// Before each batch is marked, its ids go to the tick's progress file (`ProgressFile.prepared`),
/// so that after a crash an attempt the ledger calls `sending` and the file never saw start is
/// known never to have gone out.
///
/// Once a message fails for a reason of the channel's (`DeliveryError.isChannelWide`: a refused
/// login, TLS, an unreachable server, a webhook's 401/403), the others would fail the same way:
/// the source is marked down (`markDown`), its lanes hold back what they have not started, and
/// every batch handed out after that is not marked `sending` but recorded as waiting, `retry`
/// with the same `channel_down` reason and time and no try spent (`held` lists them).
///
/// The lanes commit through the channel's `GroupCommit`: lanes that want to commit while another
/// lane's commit is in flight share the next one, each still getting back only its own marks.
///
/// Outcomes in hand are recorded nowhere else but the progress file, which a reboot may lose: a
/// ledger another process keeps locked past the busy timeout (an import holding the write lock)
/// must not lose them. So a busy ledger is waited out, a while.
final class BatchSource: @unchecked Sendable {
    /// Leftovers read from the ledger at the start of a tick, per channel; more wait for the next tick.
    static let leftoverLimit = 10_000
    /// How many times a commit is tried while the ledger stays busy. Each try waits the ledger's
    /// busy timeout itself (5 s by default), so about a minute in all before the lane gives up.
    static let busyTries = 12

    let channel: String
    private let log: Logfmt
    private let limit: Int
    /// The lanes taking from this source: a small queue is shared out among them, not taken whole by one.
    private let lanes: Int
    private let stop: StopFlag
    /// The tick's clock: `now` when the tick began, advancing with it.
    private let clock: @Sendable () -> Date
    private let progress: ProgressFile?
    /// The channel's lanes' shared committer.
    let committer: GroupCommit

    // `@unchecked Sendable`: the fields below are read and written under `condition` only.
    private let condition = NSCondition()
    private var queue: [QueuedAttempt] = []
    /// Where the next batch starts in `queue` (taken attempts are dropped in bulk, not one by one).
    private var head = 0
    private var finished = false
    private var lateAttempts: [Attempt] = []
    private var down: ChannelDown?
    private var heldAttempts: [Attempt] = []

    /// Starts with `leftovers`: the channel's attempts the ledger already held, read at the
    /// start of the tick (at most `leftoverLimit`) and checked again by the planner (`Tick.recheck`).
    init(channel: String, ledger: any LedgerClaims, log: Logfmt, leftovers: [QueuedAttempt], limit: Int, lanes: Int, stop: StopFlag,
         clock: @escaping @Sendable () -> Date, progress: ProgressFile? = nil) {
        self.channel = channel; self.log = log; self.limit = limit; self.lanes = max(1, lanes); self.stop = stop
        self.clock = clock; self.progress = progress
        committer = GroupCommit(ledger: ledger, clock: clock)
        queue = leftovers
    }

    /// Attempts the planner just claimed (committed) for this channel.
    func add(_ attempts: [QueuedAttempt]) {
        guard !attempts.isEmpty else { return }
        condition.withLock { queue += attempts; condition.broadcast() }
    }

    /// The attempts not handed out because the customer's window had closed by their turn.
    var late: [Attempt] { condition.withLock { lateAttempts } }

    /// The attempts not sent because the channel was down, recorded as waiting for it.
    var held: [Attempt] { condition.withLock { heldAttempts } }

    /// Why the channel is down this tick, once a message failed for the channel's reason.
    var channelDown: ChannelDown? { condition.withLock { down } }

    /// Marks the channel down for the rest of the tick; the first failure wins, so every message
    /// held this tick waits until the same time. Returns the channel's state after the call.
    func markDown(_ failure: ChannelDown) -> ChannelDown {
        condition.withLock {
            if down == nil { down = failure }
            return down ?? failure
        }
    }

    /// No more attempts this tick (also on failure or stop, so no lane waits forever).
    func finish() {
        condition.withLock { finished = true; condition.broadcast() }
    }

    /// Records `outcomes` and returns the next batch, already marked `sending`; nil once the
    /// planner is done and nothing is left, or when the daemon is stopping. The outcomes are
    /// recorded either way, and before waiting for the planner. Not `waiting` (a lane asking
    /// ahead, `LaneLoop`), it never waits for the planner: an empty batch says nothing is queued
    /// yet. A busy ledger is tried again (`busyTries`) before its error is thrown. Written at the
    /// tick's clock, not its start: a shared ledger's lease on a `sending` mark runs from the
    /// moment it is written, and a tick that a `rate:` stretches over hours must not mark its late
    /// batches already expired.
    func next(recording outcomes: LaneLoop.Outcomes, waiting: Bool = true) throws(StoreError) -> [Attempt]? {
        var unrecorded = outcomes
        while true {
            guard let taken = take(waiting: waiting && unrecorded.isEmpty) else {
                if unrecorded.isEmpty { return [] }
                _ = try retryingWhileBusy(outcomes: unrecorded.count) { () throws(StoreError) in try committer.commit(LaneCommit(unrecorded)).get() }
                unrecorded = []
                continue
            }
            if let down = channelDown {
                let held = try retryingWhileBusy(outcomes: unrecorded.count) { () throws(StoreError) in
                    try committer.commit(LaneCommit(unrecorded, holding: taken.map(\.id), until: down.until, reason: down.reason)).get()
                }
                unrecorded = []
                if taken.isEmpty { return nil }
                condition.withLock { heldAttempts += taken.filter { held.contains($0.id) } }
                continue
            }
            progress?.prepared(taken.map(\.id))
            let marked = try retryingWhileBusy(outcomes: unrecorded.count) { () throws(StoreError) in
                try committer.commit(LaneCommit(unrecorded, markingSending: taken.map(\.id))).get()
            }
            unrecorded = []
            if taken.isEmpty { return nil }
            let batch = taken.filter { marked.contains($0.id) }
            if !batch.isEmpty { return batch }
        }
    }

    /// Runs the ledger write `body`, again while it fails with `.busy`, up to `busyTries` times in
    /// all, logging each busy try. Each try is one transaction that a busy error rolls back, so
    /// trying again records nothing twice. A stop request does not cut this short: the outcomes
    /// are worth the wait.
    private func retryingWhileBusy<T>(outcomes: Int, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        var tries = 0
        while true {
            do {
                return try body()
            } catch where error.kind == .busy {
                tries += 1
                if tries >= Self.busyTries { throw error }
                log.log(.warning, "ledger_busy", ["channel": channel, "outcomes": outcomes, "try": tries, "of": Self.busyTries,
                                                  "error": error.description])
            }
        }
    }

    /// Up to `limit` attempts, and no more than a lane's share of what is queued (10 queued for 4
    /// connections go out 3, 2, 2, 1…, not 8 on one); empty when done or stopping. When nothing
    /// is queued it waits for the planner, or returns nil at once if `waiting` is false (the lane
    /// has outcomes to record first). Attempts past their `sendBy` are set aside, not returned.
    private func take(waiting: Bool) -> [Attempt]? {
        condition.withLock {
            while true {
                while head == queue.count, !finished, !stop.isSet {
                    guard waiting else { return nil }
                    condition.wait()
                }
                if stop.isSet || head == queue.count { return [] }
                let share = min(limit, (queue.count - head + lanes - 1) / lanes)
                let taken = queue[head..<head + share]
                head += share
                if head >= 4_096, head * 2 >= queue.count { queue.removeFirst(head); head = 0 }
                let batch = onTime(taken)
                if !batch.isEmpty { return batch }
            }
        }
    }

    /// The attempts whose customer's window is still open on the tick's clock; the others go to
    /// `lateAttempts`. Called under `condition`.
    private func onTime(_ taken: ArraySlice<QueuedAttempt>) -> [Attempt] {
        let time = clock()
        var batch: [Attempt] = []
        for q in taken {
            if let by = q.sendBy, time >= by { lateAttempts.append(q.attempt) } else { batch.append(q.attempt) }
        }
        return batch
    }
}
