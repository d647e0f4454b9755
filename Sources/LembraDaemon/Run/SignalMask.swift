#if canImport(Glibc)
import Glibc
#endif

/// The termination signals (SIGTERM, SIGINT, SIGHUP): blocked in every thread for the daemon and
/// `run --once` (see `StopSignals`), left to their default action (stop at once) for every other
/// command.
///
/// The daemon reads them through Dispatch's signal sources, which on Linux read a `signalfd`. A
/// signalfd only sees a signal while it is pending: a thread that does not block it would take
/// it instead, and the reload or stop would be lost (seen before this was done: 4 SIGHUPs in 60,
/// sent just after start-up on a loaded machine, were never acted on; none in 90 since). Every
/// thread inherits the mask of the thread that creates it, so `lembra` blocks them before any
/// thread exists, then unblocks them in the main thread for the commands that are not the daemon.
/// Blocking also makes the daemon independent of the mask its parent started it with.
public enum SignalMask {
    public static func blockTerminationSignals() { change(SIG_BLOCK) }

    /// For the main thread of a short command: Dispatch's worker threads keep them blocked, so the
    /// main thread takes them, with their default action.
    public static func unblockTerminationSignals() { change(SIG_UNBLOCK) }

    private static func change(_ how: Int32) {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(how, &set, nil)
    }
}
