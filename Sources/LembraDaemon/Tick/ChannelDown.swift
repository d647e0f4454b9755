import Foundation
import LembraDelivery

/// A channel found down during a tick: the first failure that was the channel's, not a message's
/// (`DeliveryError.isChannelWide`), and when its messages are tried again.
struct ChannelDown: Sendable {
    let error: DeliveryError
    /// When the messages held for it are due again (`retry.base_delay` from the tick, with jitter).
    let until: Date

    /// The ledger's reason for every message held for it: `channel_down: ` and the failure.
    var reason: String { "channel_down: \(error.description)" }
}
