#if canImport(Glibc)
import Glibc
#endif

/// The signals the daemon handles (SIGTERM, SIGINT, SIGHUP) are blocked in every thread, from the
/// first instruction on, so they stay pending until Dispatch's signal sources read them.
///
/// On Linux those sources read the signals from a `signalfd`, which only sees a signal while it
/// is pending: a thread that does not block it would take it instead (Dispatch installs a handler
/// that does nothing, and before the source is registered the disposition is SIG_IGN), and the
/// reload or stop would be lost. Seen before this was done: 4 SIGHUPs in 60 sent just after
/// start-up on a loaded machine were never acted on; none in 90 since. Every thread inherits the
/// mask of the thread that creates it, so `lembra` calls this before any thread exists; it also
/// makes the daemon independent of the mask its parent started it with.
public enum SignalMask {
    public static func blockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
