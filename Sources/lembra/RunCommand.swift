import ArgumentParser
import Foundation
import LembraDaemon
import LembraStore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon (or one tick with --once).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Run one tick, then exit.") var once = false
    @Flag(help: "Plan and print what would go out; send and record nothing.") var dryRun = false

    /// Whether this command reads SIGTERM and SIGINT itself to stop gracefully: the daemon, and
    /// one tick (`--once`), which finish what is in flight and record it. A dry run sends
    /// nothing, so it keeps the default action (stop at once) like every other command.
    var readsTerminationSignals: Bool { !dryRun }

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            if dryRun {
                // A dry run only reads the ledger: it neither creates one nor takes the lock.
                let ledger = try ctx.openLedger(acceptingBackup: true)
                do { say(try Preview(config: ctx.config, times: ctx.times).dueNow(ledger: ledger, at: ctx.clock.now())) } catch { throw CommandContext.failure(error) }
                return
            }
            // The daemon waits for a PostgreSQL ledger that is down at start; a stop meanwhile
            // ends it as a stop does (0). One tick fails at once (75).
            let waiting = StopFlag()
            // Kept alive until the daemon has taken the signals over (`Daemon.run(handingOver:)`).
            let stopWhileWaiting = once ? nil : StopSignals(stop: waiting, log: ctx.log, shutdownTimeout: ctx.config.shutdownTimeout) { _ in }
            let opened = try ctx.openDaemonLedger(waitUnless: once ? nil : waiting)
            // The daemon's own handlers take the signals over from `stopWhileWaiting` (`Daemon.run`).
            guard let opened, !waiting.isSet else {
                ctx.log.log(.notice, "stopped", [:])
                return
            }
            let ledger = opened.backend
            if once {
                defer { withExtendedLifetime(opened) {} }
                let stop = StopFlag()
                let signals = StopSignals(stop: stop, log: ctx.log, shutdownTimeout: ctx.config.shutdownTimeout) { Foundation.exit($0.status.rawValue) }
                defer { withExtendedLifetime(signals) {} }
                do {
                    let summary = try Tick(config: ctx.config, ledger: ledger, log: ctx.log, stop: stop).run(now: ctx.clock.now())
                    say("\(summary)\n")
                    if let outbox = ctx.config.outboxPaths.first, summary.sent > 0 { say("outbox: \(outbox)/new\n") }
                } catch { throw CommandContext.failure(error) }
                // Stopped like the daemon: what was in flight is recorded, the rest waits for the
                // next tick, and the exit status is the daemon's for a stop (0).
                if stop.isSet { ctx.log.log(.notice, "stopped", [:]) }
                return
            }
            let daemon = Daemon(config: ctx.config, configPath: ctx.configPath, ledger: ledger, log: ctx.log, clock: ctx.clock.advancingFromNow())
            Task.detached {
                // The library never ends the process: the daemon says how it ended, and this exits
                // with that (after a stop that timed out, without the send still in flight).
                Foundation.exit(await daemon.run(handingOver: stopWhileWaiting).status.rawValue)
            }
            // The main thread only keeps the process (and the lock) alive. Not `dispatchMain()`: on
            // Linux it ends the main thread, which then unblocks every signal and would take a
            // SIGTERM with its default action (see `SignalMask`).
            withExtendedLifetime(opened) { while true { RunLoop.main.run() } }
        }
    }
}
