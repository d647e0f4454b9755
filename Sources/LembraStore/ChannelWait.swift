import Foundation

/// Reminders waiting for a channel that was down when they were tried (`retry` with reason
/// `channel_down: …`): how many, and when the first is tried again. `status` lists them apart
/// from ordinary retries, since they need the operator (a password, a secret, a server) rather
/// than time.
public struct ChannelWait: Sendable, Equatable {
    public var count: Int
    public var nextTry: Date

    public init(count: Int, nextTry: Date) {
        self.count = count
        self.nextTry = nextTry
    }
}
