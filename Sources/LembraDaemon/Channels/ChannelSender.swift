import Foundation
import LembraDelivery
import LembraStore

/// Sends one channel's claimed attempts. Each sender owns its transport and is used by one
/// thread at a time (the tick gives every channel its own worker).
protocol ChannelSender: AnyObject {
    /// Attempts marked `sending` in one commit and then sent together.
    var batchLimit: Int { get }
    /// Whether re-sending an attempt a crash left `sending` is harmless (receivers deduplicate).
    var resendIsSafe: Bool { get }
    /// One outcome per attempt, in order.
    func send(_ attempts: [Attempt], now: Date) -> [DeliveryOutcome]
    func close()
}
