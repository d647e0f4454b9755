/// How the daemon's run ended: the exit status for the `lembra` executable, and why. The library
/// never ends the process itself; the daemon returns this (a tick throws it when the ledger
/// became unusable) and `lembra run` exits with its status.
public struct DaemonOutcome: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: ExitStatus
    /// Why it stopped, when that was not a clean stop: the `stopped` line's `reason=`.
    public let reason: String?

    public init(_ status: ExitStatus, reason: String? = nil) { self.status = status; self.reason = reason }

    /// SIGTERM or SIGINT, and everything in flight finished in time.
    public static let stopped = DaemonOutcome(.ok)

    public var description: String { reason.map { "exit \(status.rawValue): \($0)" } ?? "exit \(status.rawValue)" }
}
