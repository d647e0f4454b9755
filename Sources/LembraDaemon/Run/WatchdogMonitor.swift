/// Decides, at each watchdog timer, whether to tell systemd `WATCHDOG=1`.
///
/// Between ticks the daemon is idle and healthy: always. During a tick, only while the tick
/// makes progress: a tick that sends at a `rate:` limit may legitimately run far longer than
/// the watchdog interval (3,000 messages at 5 a second take 10 minutes), so its length says
/// nothing; but a tick whose progress counter hasn't moved for a whole interval is stuck (a
/// deadlock, a wait that never ends), and then the pings stop so systemd restarts the service.
///
/// Times are monotonic nanoseconds, passed in, so the decision is tested with a fake clock.
struct WatchdogMonitor {
    /// systemd's `$WATCHDOG_USEC`, in nanoseconds: how long it waits for a ping.
    let interval: UInt64
    /// When the last sign of life of the tick in progress was seen; nil between ticks.
    private var lastAlive: UInt64?
    /// The progress counter's value when last looked at.
    private var progress: UInt64 = 0

    init(interval: UInt64) { self.interval = interval }

    /// A tick begins: it counts as alive from `now`, with the counter at `progress`.
    mutating func tickStarted(at now: UInt64, progress: UInt64) {
        lastAlive = now
        self.progress = progress
    }

    mutating func tickEnded() { lastAlive = nil }

    /// Whether to ping at `now`, when the progress counter reads `progress`.
    mutating func shouldPing(at now: UInt64, progress: UInt64) -> Bool {
        guard let alive = lastAlive else { return true }
        if progress != self.progress {
            self.progress = progress
            lastAlive = now
            return true
        }
        return now &- alive <= interval
    }
}
