import Foundation
import LembraIngress
import LembraStore
import Logging
import ServiceLifecycle
import UnixSignals

/// The long-running service: one `ServiceGroup` holding the timer (`TickLoop`: a tick now and then
/// every `tick:` seconds, never overlapping) and, when `ingress:` is configured, the payments
/// listener. SIGHUP reloads; SIGTERM or SIGINT stop both gracefully: the tick in progress records
/// its batches in flight, the listener answers the confirmations in flight, and `run` returns 0;
/// 75 if that outlasts `shutdown_timeout`. The daemon never ends the process itself: `run` returns
/// how it ended, and `lembra run` exits with that.
public final class Daemon: Sendable {
    private let config: LembraConfig
    private let configPath: String
    private let ledger: any LedgerBackend
    private let log: Logfmt
    private let clock: Clock
    private let notifier = SystemdNotifier()
    /// The ticks' and the ingress's counters, written to the textfile after each tick.
    private let metrics = MetricsExporter()

    /// What the run waits for: the listener bound, the group ended, or a stop that took too long.
    private enum Event: Sendable {
        case listening(port: Int)
        case ended(DaemonOutcome)
        case timedOut(seconds: Double)
    }

    public init(config: LembraConfig, configPath: String, ledger: any LedgerBackend, log: Logfmt, clock: Clock) {
        self.config = config; self.configPath = configPath; self.ledger = ledger; self.log = log; self.clock = clock
    }

    /// Runs until stopped, and says how it ended (logged as `stopped`, or `shutdown_timeout`).
    /// `starting` read the stop signals while the ledger opened: once this daemon's own handlers
    /// are registered it hands them over (`StopSignals.handOff`), and a stop it had read ends the
    /// run before anything starts.
    public func run(handingOver starting: StopSignals? = nil) async -> DaemonOutcome {
        // The signals are blocked in every thread since start-up (see `SignalMask`), so one sent
        // before this point is still pending, and these sources read it once registered (which
        // this awaits). Not `signal(sig, SIG_IGN)`: that would discard a pending one (a stop or
        // reload sent while the ledger was opening). They are acted on once the daemon is ready.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        if starting?.handOff() == true {
            log.log(.notice, "stopped", [:])
            return .stopped
        }
        let loop = TickLoop(config: config, configPath: configPath, ledger: ledger, log: log, clock: clock, metrics: metrics,
                            notifier: notifier, watchdogInterval: watchdogInterval)
        let (events, report) = AsyncStream.makeStream(of: Event.self)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services(loop, report: report), logger: Self.quiet))
        Task {
            do {
                try await group.run()
                report.yield(.ended(.stopped))
            } catch let outcome as DaemonOutcome {
                report.yield(.ended(outcome))
            } catch {
                // The listener could not bind: payments the operator expects within seconds must
                // not silently wait for a CSV.
                report.yield(.ended(DaemonOutcome(.unavailable, reason: "\(error)")))
            }
        }
        var running: [Task<Void, Never>] = []
        defer { for task in running { task.cancel() } }
        if config.ingress == nil { running = ready(loop, group: group, signals: signals, report: report) }
        for await event in events {
            switch event {
            case .listening(let port):
                log.log(.notice, "ingress_listening", ["host": config.ingress?.host ?? "", "port": port, "pix": config.ingress?.pixToken != nil,
                                                       "tls": config.ingress?.tls != nil])
                running = ready(loop, group: group, signals: signals, report: report)
            case .ended(let outcome):
                let log = await loop.log
                if let reason = outcome.reason {
                    log.log(.error, "stopped", ["reason": reason, "exit": outcome.status.rawValue])
                } else {
                    log.log(.notice, "stopped", [:])
                }
                return outcome
            case .timedOut(let seconds):
                return ShutdownTimeout.expire(log: await loop.log, seconds: seconds)
            }
        }
        return .stopped // not reached: the stream never finishes
    }

    /// The tick, and the listener when `ingress:` is configured (its settings are read once: a
    /// reload does not move it). The group stops the listener first, then the tick loop, which
    /// was told to stop at once; a listener that fails after binding ends alone (`.ignore`).
    private func services(_ loop: TickLoop, report: AsyncStream<Event>.Continuation) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: loop)]
        if let settings = config.ingress {
            let log = self.log, clock = self.clock
            let server = IngressServer(settings: settings, ledger: ledger, now: { clock.now() }, metrics: metrics) { problem, event, fields in
                log.log(problem ? .warning : .info, event, fields: fields)
            }
            services.append(.init(service: server.listener { report.yield(.listening(port: $0)) }, successTerminationBehavior: .ignore))
        }
        return services
    }

    /// The listener is bound (or there is none): READY, the first tick, the watchdog, and the
    /// signals. Returns the tasks to cancel when the run ends.
    private func ready(_ loop: TickLoop, group: ServiceGroup, signals: UnixSignalsSequence,
                       report: AsyncStream<Event>.Continuation) -> [Task<Void, Never>] {
        log.log(.notice, "started", ["pid": getpid(), "tick_s": Int(config.tick), "database": config.database])
        notifier.notify("READY=1")
        loop.start()
        let notifier = self.notifier
        var tasks = [Task {
            for await signal in signals {
                if signal == .sighup { await loop.reload(); continue }
                // The first SIGTERM or SIGINT: stop the tick at once, then the group (the listener
                // first); the run ends when both are done, or after `shutdown_timeout`.
                guard let timeout = await loop.stop() else { continue }
                await group.triggerGracefulShutdown()
                try? await Task.sleep(for: .seconds(timeout))
                if !Task.isCancelled { report.yield(.timedOut(seconds: timeout)) }
                return
            }
        }]
        if let interval = watchdogInterval {
            // `WATCHDOG=1` at half the interval, but only while the daemon is healthy (see `WatchdogMonitor`).
            tasks.append(Task {
                while !Task.isCancelled {
                    if await loop.watchdogAlive() { notifier.notify("WATCHDOG=1") }
                    try? await Task.sleep(for: .nanoseconds(interval / 2))
                }
            })
        }
        return tasks
    }

    /// systemd's `$WATCHDOG_USEC` in nanoseconds, when it asked for pings.
    private var watchdogInterval: UInt64? {
        guard let usec = ProcessInfo.processInfo.environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 else { return nil }
        return min(usec, UInt64(Int64.max) / 1000) * 1000
    }

    /// The group's own log lines would go to stdout in another format: ours are the log.
    private static let quiet = Logger(label: "lembra.daemon", factory: { _ in SwiftLogNoOpLogHandler() })
}
