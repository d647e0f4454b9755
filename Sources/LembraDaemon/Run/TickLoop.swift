import Dispatch
import Foundation
import LembraStore
import ServiceLifecycle

/// The daemon's timer, as a service of its `ServiceGroup`: once the daemon is ready, a tick now,
/// then every `tick:` seconds after the previous one ended (never overlapping). It also holds what
/// the ticks share with the signal handlers: the config (a reload is validated at once and applied
/// at the next tick boundary), whether a tick is running, and the watchdog's view of it.
///
/// A tick blocks (SQLite, fsync, curl), so it runs on a queue of its own, never on the cooperative
/// pool or an event loop; the loop awaits it, and the actor stays free meanwhile for a reload or a
/// stop. A stop sets the tick's `StopFlag`: the tick records what is in flight and ends. The loop
/// then returns when the group shuts it down, after the ingress.
actor TickLoop: Service {
    private var config: LembraConfig
    private var pendingConfig: LembraConfig?
    private let configPath: String
    private let ledger: any TickLedger
    private(set) var log: Logfmt
    private let clock: Clock
    /// Shared with the ingress, whose counters the tick writes into the textfile.
    private let metrics: MetricsExporter
    private let stopFlag = StopFlag()
    private let notifier: SystemdNotifier
    private let tickQueue = DispatchQueue(label: "lembra.tick")
    private var ticking = false
    private var stopping = false
    /// When the last tick ended: the next one starts `tick:` after it (a reload's `tick:` included).
    private var lastTickEnded: ContinuousClock.Instant?
    /// Set when systemd asked for watchdog pings (`$WATCHDOG_USEC`).
    private var watchdog: WatchdogMonitor?
    /// Ends the wait for the next tick early: a reload re-times it, a stop ends it.
    private var wake: AsyncStream<Void>.Continuation?
    /// Finished by `start()`: no tick before the daemon is ready (its ingress bound).
    private let ready: AsyncStream<Void>
    private let readyContinuation: AsyncStream<Void>.Continuation

    init(config: LembraConfig, configPath: String, ledger: any TickLedger, log: Logfmt, clock: Clock, metrics: MetricsExporter,
         notifier: SystemdNotifier, watchdogInterval: UInt64?) {
        self.config = config; self.configPath = configPath; self.ledger = ledger; self.log = log; self.clock = clock
        self.metrics = metrics; self.notifier = notifier
        watchdog = watchdogInterval.map(WatchdogMonitor.init(interval:))
        (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Lets the first tick run.
    nonisolated func start() { readyContinuation.finish() }

    func run() async throws {
        for await _ in ready {}
        while !stopping, !Task.isCancelled {
            try await tick()
            await waitForNextTick()
        }
        // Stopped (or cancelled): return when the group shuts this service down, after the ingress.
        try? await gracefulShutdown()
    }

    /// One tick on `tickQueue`, awaited. A ledger that became unusable (gone, replaced, damaged)
    /// ends the daemon with EX_UNAVAILABLE rather than a blind retry every tick: nothing can be
    /// claimed safely.
    private func tick() async throws(DaemonOutcome) {
        // The channels are checked before the first tick and before the first one under a
        // reloaded config, on the tick's queue: a failure is logged, never fatal (see `ChannelCheck`).
        var checkChannels = lastTickEnded == nil ? "start" : nil
        if let next = pendingConfig {
            config = next
            pendingConfig = nil
            checkChannels = "reload"
            log = log.showingTimes(in: next.timeZone)
            log.log(.notice, "config_applied", ["file": configPath])
        }
        ticking = true
        watchdog?.tickStarted(at: DispatchTime.now().uptimeNanoseconds, progress: metrics.progress.value)
        let tick = Tick(config: config, ledger: ledger, log: log, metrics: metrics, stop: stopFlag)
        let now = clock.now(), channelCheck = checkChannels.map { (ChannelCheck(config: config), $0) }, log = self.log
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<TickSummary, StoreError>, Never>) in
            tickQueue.async {
                if let (check, when) = channelCheck { check.log(to: log, when: when) }
                done.resume(returning: Result { () throws(StoreError) -> TickSummary in try tick.run(now: now) })
            }
        }
        ticking = false
        watchdog?.tickEnded()
        lastTickEnded = .now
        switch result {
        case .success(let summary): notifier.notify("STATUS=\(summary.description)")
        case .failure(let error):
            log.log(.error, "tick_failed", ["error": error.description])
            notifier.notify("STATUS=last tick failed: \(error.operation)")
            guard error.ledgerUnusable else { return }
            let reason = switch error.kind {
            case .replaced: "ledger replaced"
            case .damaged: "ledger damaged"
            default: "ledger unavailable"
            }
            throw DaemonOutcome(.unavailable, reason: reason)
        }
    }

    /// Until `tick:` after the last tick ended, re-timed by a reload in between (or a reload from
    /// 1h to 1m would wait the hour); a stop or cancellation ends it.
    private func waitForNextTick() async {
        while !stopping, !Task.isCancelled, let ended = lastTickEnded {
            let next = ended + .seconds((pendingConfig ?? config).tick)
            guard next > .now else { return }
            let (woken, wake) = AsyncStream.makeStream(of: Void.self)
            self.wake = wake
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(until: next, clock: .continuous) }
                group.addTask { for await _ in woken { return } }
                await group.next()
                group.cancelAll()
            }
            self.wake = nil
        }
    }

    /// SIGHUP: validate the new config; apply it at the next tick boundary, or keep the old one.
    func reload() {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(DispatchTime.now().uptimeNanoseconds / 1000)")
        var warnings: [ConfigProblem] = []
        do throws(ConfigError) {
            let next = try ConfigLoader.load(configPath, warnings: &warnings)
            // The ledger is opened once, at start; so is where its progress file is kept.
            if next.database != config.database || next.progressFile != config.progressFile {
                log.log(.error, "reload_refused", ["reason": "database or state_directory changed; restart to switch databases"])
            } else {
                pendingConfig = next
                log.log(.notice, "reload_accepted", ["file": configPath])
                wake?.yield()
            }
        } catch {
            for p in error.problems { log.log(.error, "reload_rejected", ["problem": p.description]) }
        }
        for w in warnings { log.log(.warning, "config_warning", ["problem": w.description]) }
        notifier.notify("READY=1")
    }

    /// SIGTERM or SIGINT: the tick in progress stops after the batches in flight and nothing new
    /// starts. Returns how long the stop may take (`shutdown_timeout`), or nil if already stopping.
    func stop() -> Double? {
        guard !stopping else { return nil }
        stopping = true
        stopFlag.set()
        notifier.notify("STOPPING=1")
        log.log(.notice, "stopping", ["in_tick": ticking])
        wake?.yield()
        return config.shutdownTimeout
    }

    /// Whether to send `WATCHDOG=1` now: between ticks, and during one while it makes progress.
    func watchdogAlive() -> Bool {
        watchdog?.shouldPing(at: DispatchTime.now().uptimeNanoseconds, progress: metrics.progress.value) ?? false
    }
}
