/// What a transport tells its caller as each message of a `send` goes out, on the sending thread:
/// right before the message can reach the network, as soon as its outcome is known (before
/// `send` returns the whole batch), and before it waits.
///
/// The daemon writes its progress file from these (see `ProgressFile` in LembraStore), so that
/// after a crash it knows which messages of a batch were answered, which one was on the wire and
/// which never started. Transports stay ignorant of that file: they only report.
public struct TransferEvents {
    /// Message `index` (its position in the batch) is about to start. False holds it back: it is
    /// not sent, and its outcome is a `retry` that proves it never went out (`notStarted`).
    public var willStart: (_ index: Int) -> Bool
    /// Message `index` is done, with this outcome. Called once for every message whose
    /// `willStart` returned true.
    public var didFinish: (_ index: Int, _ outcome: DeliveryOutcome) -> Void
    /// The transport is about to wait: for replies, or for its `rate` to let the next message
    /// start. A caller that holds finished outcomes back to write them with the next start (the
    /// progress file) writes them now: the next start may be far off.
    public var willWait: () -> Void

    public init(willStart: @escaping (_ index: Int) -> Bool, didFinish: @escaping (_ index: Int, _ outcome: DeliveryOutcome) -> Void,
                willWait: @escaping () -> Void = {}) {
        self.willStart = willStart
        self.didFinish = didFinish
        self.willWait = willWait
    }

    /// The same events for a transport that sends a subset of the batch: its message `i` is the
    /// batch's `index(i)`.
    public func mapped(_ index: @escaping (Int) -> Int) -> TransferEvents {
        TransferEvents(willStart: { willStart(index($0)) }, didFinish: { didFinish(index($0), $1) }, willWait: willWait)
    }
}
