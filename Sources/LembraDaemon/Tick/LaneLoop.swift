import Dispatch
import LembraStore

/// How a lane alternates between asking for a batch and sending it.
///
/// Asking is a commit: the previous batch's outcomes recorded and the next batch marked
/// `sending` (`BatchSource.next(recording:waiting:)`). Done between batches, the lane's
/// connections stand idle for the commit. A channel of several lanes (SMTP, one per connection)
/// hides that: while one lane commits, the others send. A channel of one lane (a webhook channel,
/// whose lane sends a batch over all its connections at once) waited for each commit, about a
/// tenth of its time. Such a lane marks ahead (`ahead`): it asks for the next batch on a queue of
/// its own while it sends the current one, and its outcomes are recorded one batch later.
///
/// Marking ahead keeps every guarantee:
/// - The batch marked ahead is in the progress file as `prepared` before its mark, so after a
///   crash of the process its messages, never started, go back to `claimed` (`Recovery`).
/// - Outcomes are in the progress file before the lane waits or asks (`Tick.send`). A request
///   made ahead never waits for the planner: with nothing queued yet it only records, and the
///   lane asks again once it has sent, recording what it sent before it waits.
/// - A reboot, which the progress file does not survive, leaves both batches in doubt, so a
///   channel that marks ahead sends batches half the size (`WebhookSender`): as many messages
///   are in flight as before.
/// - A failed request ends the lane with its error. What the lane had not recorded then (the
///   outcomes the failed commit carried, and those of the batch it was sending) is in the
///   progress file, which the next tick applies (`Tick.recover`), as for a crash.
struct LaneLoop {
    typealias Outcomes = [(id: String, outcome: AttemptOutcome)]

    /// Where the lane asks for its next batch while it sends; nil to ask between batches.
    let ahead: DispatchQueue?

    /// Sends batches until `next` has none. `next(outcomes, waiting)` records `outcomes` and
    /// returns the next batch, marked (nil when none is left; empty when not `waiting` and none
    /// is queued yet); `send` sends one and returns its outcomes.
    func run(next: @escaping @Sendable (Outcomes, _ waiting: Bool) throws(StoreError) -> [Attempt]?,
             send: ([Attempt]) throws(StoreError) -> Outcomes) throws(StoreError) {
        var unrecorded: Outcomes = []
        /// Hands `unrecorded` over in the next request: on `queue` without waiting for the
        /// planner, or now, waiting.
        func ask(on queue: DispatchQueue?) -> NextBatch {
            let outcomes = unrecorded
            unrecorded = []
            return NextBatch(on: queue) { () throws(StoreError) in try next(outcomes, queue == nil) }
        }
        var pending = ask(on: nil)
        while true {
            guard let batch = try pending.wait() else {
                if unrecorded.isEmpty { return }
                pending = ask(on: nil) // the last outcomes: nothing is left to mark
                continue
            }
            if batch.isEmpty { // asked ahead with nothing queued: ask again, recording what was sent since
                pending = ask(on: nil)
                continue
            }
            if let ahead { pending = ask(on: ahead) }
            do {
                unrecorded = try send(batch)
            } catch {
                _ = try? pending.wait() // no request left running behind the lane
                throw error
            }
            if ahead == nil { pending = ask(on: nil) }
        }
    }
}
