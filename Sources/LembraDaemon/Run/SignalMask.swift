#if canImport(Glibc)
import Glibc
#endif

/// The signals the daemon handles must not arrive blocked. A parent may start us with them
/// blocked (Foundation's Process does, when spawning from a Dispatch thread); every thread
/// inherits the mask of the thread that creates it, so unblocking late — after Dispatch or
/// SQLite made threads — can leave the signal pending forever. `lembra` calls this first thing.
public enum SignalMask {
    public static func unblockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
