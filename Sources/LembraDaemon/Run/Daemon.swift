import Dispatch
import Foundation
import LembraDelivery
import LembraIngress
import LembraStore

/// The long-running service: a tick now and then every `tick:` seconds, never overlapping (the
/// next is scheduled when the previous ends), SIGHUP to reload, SIGTERM/SIGINT to stop after
/// the tick in progress (exit 0; 75 if that outlasts `shutdown_timeout`). All state lives on the
/// main queue; ticks run on their own queue.
@MainActor
public final class Daemon {
    private var config: LembraConfig
    private var pendingConfig: LembraConfig?
    private let configPath: String
    private let ledger: Ledger
    private var log: Logfmt
    private let clock: Clock
    private let metrics = MetricsExporter()
    private let stopFlag = StopFlag()
    private let notifier = SystemdNotifier()
    private let tickQueue = DispatchQueue(label: "lembra.tick")
    private var timer: DispatchSourceTimer?
    private var signals: [DispatchSourceSignal] = []
    private var ticking = false
    private var watchdog: DispatchSourceTimer?
    /// Set when systemd asked for watchdog pings (`$WATCHDOG_USEC`).
    private var watchdogMonitor: WatchdogMonitor?
    private var stopping = false
    /// When the last tick ended: a reload that changes `tick:` schedules the next one from here.
    private var lastTickEnded: DispatchTime?
    /// The payments listener (`ingress:`), from start until it has stopped after SIGTERM.
    private var ingress: IngressServer?

    public init(config: LembraConfig, configPath: String, ledger: Ledger, log: Logfmt, clock: Clock) {
        self.config = config; self.configPath = configPath; self.ledger = ledger; self.log = log; self.clock = clock
    }

    /// Starts ticking and never returns; the process exits from the stop handler.
    public func run() -> Never {
        // The signals are blocked in every thread since start-up (see `SignalMask`), so one sent
        // before this point is still pending and the source reads it. Not `signal(sig, SIG_IGN)`:
        // that would discard a pending one (a stop or reload sent while the ledger was opening).
        for (sig, handler) in [(SIGTERM, stop), (SIGINT, stop), (SIGHUP, reload)] as [(Int32, @MainActor () -> Void)] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { MainActor.assumeIsolated { handler() } }
            source.resume()
            signals.append(source)
        }
        startIngress()
        log.log(.notice, "started", ["pid": getpid(), "tick_s": Int(config.tick), "database": config.database])
        notifier.notify("READY=1")
        startWatchdog()
        startTick()
        // The main thread stays alive in the run loop, which drains the main queue. The signals
        // are blocked in every thread (see `SignalMask`) and reach the sources above through
        // Dispatch's signalfd.
        while true { RunLoop.main.run() }
    }

    private func schedule(at deadline: DispatchTime) {
        timer?.cancel()
        let t = DispatchSource.makeTimerSource(queue: .main)
        t.schedule(deadline: deadline)
        t.setEventHandler { MainActor.assumeIsolated { self.startTick() } }
        t.resume()
        timer = t
    }

    private func startTick() {
        guard !stopping, !ticking else { return }
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
        watchdogMonitor?.tickStarted(at: DispatchTime.now().uptimeNanoseconds, progress: metrics.progress.value)
        let tick = Tick(config: config, ledger: ledger, log: log, metrics: metrics, stop: stopFlag)
        let now = clock.now()
        let channelCheck = checkChannels.map { (ChannelCheck(config: config), $0) }, log = self.log
        tickQueue.async {
            if let (check, when) = channelCheck { check.log(to: log, when: when) }
            let result = Result { () throws(StoreError) -> TickSummary in try tick.run(now: now) }
            DispatchQueue.main.async { MainActor.assumeIsolated { self.finishTick(result) } }
        }
    }

    private func finishTick(_ result: Result<TickSummary, StoreError>) {
        ticking = false
        watchdogMonitor?.tickEnded()
        switch result {
        case .success(let summary): notifier.notify("STATUS=\(summary.description)")
        case .failure(let error):
            log.log(.error, "tick_failed", ["error": error.description])
            notifier.notify("STATUS=last tick failed: \(error.operation)")
            if error.ledgerUnusable {
                // The ledger is gone, replaced or damaged: nothing can be claimed safely. Stop
                // with EX_UNAVAILABLE rather than retry blindly every tick.
                let reason = switch error.kind {
                case .replaced: "ledger replaced"
                case .damaged: "ledger damaged"
                default: "ledger unavailable"
                }
                log.log(.error, "stopped", ["reason": reason, "exit": ExitStatus.unavailable.rawValue])
                exit(ExitStatus.unavailable.rawValue)
            }
        }
        if stopping {
            if ingress == nil { exitCleanly() }
            return
        }
        // A config reloaded during the tick is applied when the next one starts, but its `tick:`
        // already sets when that is.
        let ended = DispatchTime.now()
        lastTickEnded = ended
        schedule(at: ended + (pendingConfig ?? config).tick)
    }

    /// `WATCHDOG=1` at half of `$WATCHDOG_USEC`, but only while the daemon is healthy: between
    /// ticks, and during a tick while its work moves on (see `WatchdogMonitor`). A tick that has
    /// made no progress for the whole interval stops the pings and systemd restarts the service.
    private func startWatchdog() {
        guard let usec = ProcessInfo.processInfo.environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 else { return }
        watchdogMonitor = WatchdogMonitor(interval: min(usec, UInt64.max / 1000) * 1000)
        let t = DispatchSource.makeTimerSource(queue: .main)
        t.schedule(deadline: .now(), repeating: Double(usec) / 1_000_000 / 2)
        t.setEventHandler {
            MainActor.assumeIsolated {
                let now = DispatchTime.now().uptimeNanoseconds
                if self.watchdogMonitor?.shouldPing(at: now, progress: self.metrics.progress.value) == true {
                    self.notifier.notify("WATCHDOG=1")
                }
            }
        }
        t.resume()
        watchdog = t
    }

    /// SIGHUP: validate the new config; apply it at the next tick boundary, or keep the old one.
    private func reload() {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(DispatchTime.now().uptimeNanoseconds / 1000)")
        var warnings: [ConfigProblem] = []
        do throws(ConfigError) {
            let next = try ConfigLoader.load(configPath, warnings: &warnings)
            if next.database != config.database {
                log.log(.error, "reload_refused", ["reason": "database path changed; restart to switch databases"])
            } else {
                pendingConfig = next
                log.log(.notice, "reload_accepted", ["file": configPath])
                // Between ticks, the timer was set with the old `tick:`: reset it with the new one
                // (from the end of the last tick), or a reload from 1h to 1m would wait the hour.
                if !ticking, !stopping, let ended = lastTickEnded { schedule(at: max(.now(), ended + next.tick)) }
            }
        } catch {
            for p in error.problems { log.log(.error, "reload_rejected", ["problem": p.description]) }
        }
        for w in warnings { log.log(.warning, "config_warning", ["problem": w.description]) }
        notifier.notify("READY=1")
    }

    private func stop() {
        guard !stopping else { return }
        stopping = true
        stopFlag.set()
        notifier.notify("STOPPING=1")
        log.log(.notice, "stopping", ["in_tick": ticking])
        timer?.cancel()
        stopIngress()
        if !ticking, ingress == nil { exitCleanly() }
        let deadline = DispatchSource.makeTimerSource(queue: .main)
        deadline.schedule(deadline: .now() + config.shutdownTimeout)
        let log = self.log, seconds = config.shutdownTimeout
        deadline.setEventHandler { ShutdownTimeout.expire(log: log, seconds: seconds) }
        deadline.resume()
        timer = deadline
    }

    /// Listens for payment confirmations when `ingress:` is configured; a listener that cannot
    /// start (the port taken) stops the daemon with EX_UNAVAILABLE, before READY: payments the
    /// operator expects to arrive within seconds must not silently wait for a CSV. Its settings
    /// are read once: a reload does not move the listener.
    private func startIngress() {
        guard let settings = config.ingress else { return }
        let log = self.log, clock = self.clock
        let server = IngressServer(settings: settings, ledger: ledger, now: { clock.now() }, metrics: metrics) { problem, event, fields in
            log.log(problem ? .warning : .info, event, fields: fields)
        }
        do throws(IngressServer.StartFailure) {
            let port = try server.start()
            log.log(.notice, "ingress_listening", ["host": settings.host, "port": port, "pix": settings.servesPix, "tls": settings.tls != nil])
            ingress = server
        } catch {
            log.log(.error, "stopped", ["reason": error.description, "exit": ExitStatus.unavailable.rawValue])
            exit(ExitStatus.unavailable.rawValue)
        }
    }

    /// Stops the listener gracefully: confirmations in flight are committed and answered. The
    /// process exits once both it and the tick in progress are done.
    private func stopIngress() {
        ingress?.stop {
            DispatchQueue.main.async {
                MainActor.assumeIsolated {
                    self.ingress = nil
                    if !self.ticking { self.exitCleanly() }
                }
            }
        }
    }

    private func exitCleanly() -> Never {
        log.log(.notice, "stopped", [:])
        exit(0)
    }
}
