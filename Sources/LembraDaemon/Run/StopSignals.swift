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
public final class StopSignals {
    private let queue = DispatchQueue(label: "lembra.stop-signals")
    private var sources: [DispatchSourceSignal] = []

    public init(stop: StopFlag, log: Logfmt, shutdownTimeout: Double, expired: @escaping @Sendable (DaemonOutcome) -> Void) {
        let queue = self.queue
        for sig in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                // Handlers run one at a time on `queue`: only the first signal starts the stop.
                guard !stop.isSet else { return }
                stop.set()
                log.log(.notice, "stopping", ["in_tick": true])
                queue.asyncAfter(deadline: .now() + shutdownTimeout) { expired(ShutdownTimeout.expire(log: log, seconds: shutdownTimeout)) }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit { for source in sources { source.cancel() } }
}
