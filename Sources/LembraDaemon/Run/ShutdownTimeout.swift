import Foundation

/// A stop that outlasted `shutdown_timeout`: a send was still in flight, so its outcome is not
/// recorded and the next tick will find it `sending` (in doubt). That is not a clean stop, so it is
/// logged as an error and the process exits 75 (EX_TEMPFAIL), not 0: whoever stopped it (systemd,
/// a script) sees that work was abandoned.
enum ShutdownTimeout {
    /// Logs the timeout and returns the outcome the process exits with (the caller ends it: the
    /// tick still in flight is abandoned).
    static func expire(log: Logfmt, seconds: Double) -> DaemonOutcome {
        let reason = "a send was still in flight; its outcome is not recorded"
        log.log(.error, "shutdown_timeout", ["seconds": Int(seconds), "reason": reason, "exit": ExitStatus.temporaryFailure.rawValue])
        return DaemonOutcome(.temporaryFailure, reason: reason)
    }
}
