import Foundation
import LembraDelivery
import LembraStore

/// Sends one channel's claimed attempts. Each sender owns its transport; the tick drives each
/// lane from its own thread, one thread per lane.
protocol ChannelSender: AnyObject {
    /// Attempts marked `sending` in one commit and then sent together on one lane.
    var batchLimit: Int { get }
    /// Batches that can be in flight at once (SMTP: one per connection), each on its own thread,
    /// so one lane's commits overlap the others' network calls.
    var lanes: Int { get }
    /// Whether a lane marks its next batch while it sends the current one (`LaneLoop`).
    var marksAhead: Bool { get }
    /// Whether re-sending an attempt a crash left `sending` is harmless (receivers deduplicate).
    var resendIsSafe: Bool { get }
    /// One outcome per attempt, in order, sent on lane `lane` (in `0..<lanes`); `events` hears of
    /// each attempt (by its index in `attempts`) as it starts and as it ends.
    func send(_ attempts: [Attempt], lane: Int, now: Date, events: TransferEvents?) -> [DeliveryOutcome]
    func close()
}
