import Foundation

/// What happened to a sent attempt, to be recorded.
public enum AttemptOutcome: Sendable, Equatable {
    case sent
    /// Transient failure: try again at the given time.
    case retry(at: Date, reason: String)
    /// Permanent failure, or out of tries.
    case dead(reason: String)
    /// It may have arrived (no reply after the whole message went out): never re-sent blindly.
    case inDoubt(reason: String)
}

extension AttemptOutcome {
    /// `sent`, `retry` or `dead`, for logs and metrics.
    public var name: String {
        switch self {
        case .sent: "sent"
        case .retry: "retry"
        case .dead: "dead"
        case .inDoubt: "in_doubt"
        }
    }
}
