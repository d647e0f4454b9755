/// The result of handing one message to one transport.
///
/// The split between `retry` and `failed` is the whole point: the scheduler re-queues `retry`
/// (transient: 4xx replies, timeouts, refused or dropped connections) and gives up on `failed`
/// (permanent: 5xx replies, rejected credentials, certificate problems, malformed input).
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the next hop. `detail` is safe to log (a reply code or a file name).
    case delivered(detail: String?)
    /// Transient failure; `after` is a server-suggested delay in seconds, when one was given.
    case retry(DeliveryError, after: Double?)
    /// Permanent failure: sending the same message again would fail the same way.
    case failed(DeliveryError)
    /// The whole message went out but no reply came back (a timeout or a dropped connection
    /// after the final dot): it may have been delivered. Re-sending could charge twice, so the
    /// caller decides (Lembra records it as in doubt unless the channel deduplicates).
    case unknown(DeliveryError)
}
