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
            // The lock before the ledger: opening migrates the schema, which must never happen
            // under a running (perhaps older) daemon that this run will then refuse to join.
            // A first start creates the ledger's directory, which the lock file goes in too.
            let directory = URL(fileURLWithPath: ctx.config.database).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let lock: DatabaseLock
            do { lock = try DatabaseLock(database: ctx.config.database) } catch let held as DatabaseLock.Held {
                throw CommandFailure(.temporaryFailure, [held.description])
            } catch {
                throw CommandFailure(.cannotCreate, ["cannot create the lock file next to \(ctx.config.database): \(error)"])
            }
            // The daemon's first start creates the ledger. One that fails leaves no lock file
            // behind, which the next start would take for the trace of a deleted ledger.
            let ledger: SQLiteLedger
            do throws(CommandFailure) { ledger = try ctx.openLedger(create: true, lock: lock) } catch {
                if lock.createdFile, !FileManager.default.fileExists(atPath: ctx.config.database) { try? FileManager.default.removeItem(atPath: lock.path) }
                throw error
            }
            try Self.check(ledger, log: ctx.log)
            if once {
                defer { withExtendedLifetime(lock) {} }
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
                Foundation.exit(await daemon.run().status.rawValue)
            }
            // The main thread only keeps the process (and the lock) alive. Not `dispatchMain()`: on
            // Linux it ends the main thread, which then unblocks every signal and would take a
            // SIGTERM with its default action (see `SignalMask`).
            withExtendedLifetime(lock) { while true { RunLoop.main.run() } }
        }
    }

    /// SQLite's `quick_check` before anything is claimed: a damaged ledger may no longer refuse a
    /// second claim, so the daemon refuses it (exit 69). Logged with its duration, which grows
    /// with the file (it reads every page).
    static func check(_ ledger: SQLiteLedger, log: Logfmt) throws(CommandFailure) {
        let started = DispatchTime.now().uptimeNanoseconds
        do { try ledger.quickCheck() } catch { throw CommandContext.failure(error) }
        log.log(.info, "ledger_checked", ["ms": (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000])
    }
}
