import Dispatch
import Foundation

/// SIGTERM and SIGINT for `lembra run --once`: they stop its tick the way they stop the daemon's.
/// The first one sets the tick's `StopFlag`, so the batches in flight finish and their outcomes are
/// recorded, and nothing new starts; if that takes longer than `shutdown_timeout`, `expired` gets
/// the outcome to exit with (75, see `ShutdownTimeout`): the executable ends the process there.
/// Without this, a stop killed the process mid-send and left its batches `sending`, in doubt for
/// the next tick.
///
/// The signals stay blocked in every thread (see `SignalMask`) and are read here, on a queue of
/// their own, because the tick runs on the main thread. One sent before this exists is pending
/// and read as soon as it does. SIGHUP stays blocked too: one tick has nothing to reload.
///
/// The daemon reads them this way too while it opens its ledger, then hands them to its own
/// handlers (`handOff`).
public final class StopSignals: @unchecked Sendable {
    // `@unchecked Sendable`: `sources` is set once in `init`; `handedOff` is read and written on `queue` only.
    private let queue = DispatchQueue(label: "lembra.stop-signals")
    private let sources: [DispatchSourceSignal]
    private let stop: StopFlag
    private var handedOff = false

    public init(stop: StopFlag, log: Logfmt, shutdownTimeout: Double, expired: @escaping @Sendable (DaemonOutcome) -> Void) {
        let queue = self.queue
        self.stop = stop
        sources = [SIGTERM, SIGINT].map { sig in DispatchSource.makeSignalSource(signal: sig, queue: queue) }
        for source in sources {
            source.setEventHandler { [weak self] in
                // Handlers run one at a time on `queue`: only the first signal starts the stop.
                guard let self, !handedOff, !stop.isSet else { return }
                stop.set()
                log.log(.notice, "stopping", ["in_tick": true])
                queue.asyncAfter(deadline: .now() + shutdownTimeout) { expired(ShutdownTimeout.expire(log: log, seconds: shutdownTimeout)) }
            }
            source.resume()
        }
    }

    /// Stops acting on the signals and says whether one already stopped this. Call it once the
    /// next handlers are registered: a signal read from then on reaches them too (libdispatch
    /// gives a signal to every source of it), and one read before has its handler queued on
    /// `queue` already, so it runs before this answers. Checking the flag before the next
    /// handlers exist would lose a signal read in between: the daemon ran on, stopped by no one.
    public func handOff() -> Bool {
        let stopped = queue.sync { handedOff = true; return stop.isSet }
        for source in sources { source.cancel() }
        return stopped
    }

    deinit { for source in sources { source.cancel() } }
}
