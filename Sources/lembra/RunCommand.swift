import ArgumentParser
import Foundation
import LembraDaemon

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon (or one tick with --once).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Run one tick, then exit.") var once = false
    @Flag(help: "Plan and print what would go out; send and record nothing.") var dryRun = false

    /// Whether this runs the long-lived daemon, which handles SIGTERM, SIGINT and SIGHUP itself.
    var isDaemon: Bool { !once && !dryRun }

    func run() throws {
        try global.run { (ctx) throws(CommandFailure) in
            // The daemon's first start creates the ledger; a dry run only reads it.
            let ledger = try ctx.openLedger(create: !dryRun)
            if dryRun {
                do { say(try Preview(config: ctx.config).dueNow(ledger: ledger, at: ctx.clock.now())) } catch { throw CommandContext.failure(error) }
                return
            }
            let lock: DatabaseLock
            do { lock = try DatabaseLock(database: ctx.config.database) } catch let held as DatabaseLock.Held {
                throw CommandFailure(.temporaryFailure, [held.description])
            } catch {
                throw CommandFailure(.cannotCreate, ["cannot create the lock file next to \(ctx.config.database): \(error)"])
            }
            if once {
                defer { withExtendedLifetime(lock) {} }
                do {
                    let summary = try Tick(config: ctx.config, ledger: ledger, log: ctx.log).run(now: ctx.clock.now())
                    say("\(summary)\n")
                    if let outbox = ctx.config.outboxPaths.first, summary.sent > 0 { say("outbox: \(outbox)/new\n") }
                } catch { throw CommandContext.failure(error) }
                return
            }
            MainActor.assumeIsolated {
                withExtendedLifetime(lock) {
                    Daemon(config: ctx.config, configPath: ctx.configPath, ledger: ledger, log: ctx.log, clock: ctx.clock.advancingFromNow()).run()
                }
            }
        }
    }
}
