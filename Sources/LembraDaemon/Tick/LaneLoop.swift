import Dispatch
import LembraStore

/// How a lane alternates between asking for a batch and sending it.
///
/// Asking is a commit: the previous batch's outcomes recorded and the next batch marked
/// `sending` (`BatchSource.next(recording:)`). Done between batches, the lane's connections
/// stand idle for the commit. A channel of several lanes (SMTP, one per connection) hides that:
/// while one lane commits, the others send. A channel of one lane (a webhook channel, whose lane
/// sends a batch over all its connections at once) waited for each commit, about a third of its
/// time. Such a lane marks ahead (`ahead`): it asks for the next batch on a queue of its own
/// while it sends the current one, and its outcomes are recorded one batch later.
///
/// Marking ahead keeps every guarantee. The batch marked ahead is in the progress file as
/// `prepared` before its mark, so after a crash of the process its messages, never started, go
/// back to `claimed` (`Recovery`); outcomes are in the progress file as each is decided. A
/// reboot, which the progress file does not survive, leaves both batches in doubt, so a channel
/// that marks ahead sends batches half the size (`WebhookSender`), and as many messages are in
/// flight as before.
struct LaneLoop {
    typealias Outcomes = [(id: String, outcome: AttemptOutcome)]

    /// Where the lane asks for its next batch while it sends; nil to ask between batches.
    let ahead: DispatchQueue?

    /// Sends batches until `next` has none: `next(outcomes)` records `outcomes` and returns the
    /// next batch, marked; `send` sends one and returns its outcomes. Every outcome `send`
    /// returns is handed to `next` exactly once, the last ones after `next` said nothing is left.
    func run(next: @escaping @Sendable (Outcomes) throws(StoreError) -> [Attempt]?, send: ([Attempt]) -> Outcomes) throws(StoreError) {
        var unrecorded: Outcomes = []
        /// Hands `unrecorded` over in the next request, on `queue` or now.
        func ask(on queue: DispatchQueue?) -> NextBatch {
            let outcomes = unrecorded
            unrecorded = []
            return NextBatch(on: queue) { () throws(StoreError) in try next(outcomes) }
        }
        var pending = ask(on: nil)
        while true {
            guard let batch = try pending.wait() else {
                if unrecorded.isEmpty { return }
                pending = ask(on: nil) // the last outcomes: nothing is left to mark
                continue
            }
            if let ahead { pending = ask(on: ahead) }
            unrecorded = send(batch)
            if ahead == nil { pending = ask(on: nil) }
        }
    }
}
