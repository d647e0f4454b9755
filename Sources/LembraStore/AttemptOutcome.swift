import Foundation

/// What happened to a sent attempt, to be recorded.
public enum AttemptOutcome: Sendable, Equatable {
    case sent
    /// Transient failure: try again at the given time. `mayHaveArrived` is false only when the
    /// server answered and refused it (an SMTP 4xx, an HTTP 5xx/429/408): without an answer (a
    /// timeout, a dropped connection) it may be there already. The ledger remembers it, because
    /// an attempt that may have arrived can only ever be sent again under its own id (see
    /// `SQLiteLedger.cancelPending`).
    case retry(at: Date, reason: String, mayHaveArrived: Bool = true)
    /// Permanent failure, or out of tries.
    case dead(reason: String)
    /// It may have arrived (no reply after the whole message went out): never re-sent blindly.
    case inDoubt(reason: String)
    /// Its channel is down (a refused login, TLS, an unreachable server, a webhook's 401/403):
    /// it waits as `retry` until `at` without spending a try, since the failure says nothing of
    /// the message, and never arrived (see `DeliveryError.isChannelWide`). The reason starts
    /// with `channel_down`.
    case channelDown(at: Date, reason: String)
}

extension AttemptOutcome {
    /// `sent`, `retry`, `dead`, `in_doubt` or `channel_down`, for logs and metrics.
    public var name: String {
        switch self {
        case .sent: "sent"
        case .retry: "retry"
        case .dead: "dead"
        case .inDoubt: "in_doubt"
        case .channelDown: "channel_down"
        }
    }
}
