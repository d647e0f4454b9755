import ArgumentParser
import Foundation
import LembraDaemon
import LembraStore

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Config file (default: $LEMBRA_CONFIG, else /etc/lembra/lembra.yaml).")
    var config: String?

    @Option(help: "Pretend the clock reads this instant (testing and simulation), e.g. 2026-11-20T10:00:00-03:00.")
    var now: String?

    @Flag(help: "Show times in UTC (ISO 8601, 2026-11-25T13:00:00Z) instead of the business's time zone with its offset (2026-11-25 10:00 -03:00).")
    var utc = false

    /// Loads the config and runs `body`, printing failures and exiting with their sysexits status.
    func run(_ body: (CommandContext) throws(CommandFailure) -> Void) throws {
        do throws(CommandFailure) {
            try body(try CommandContext(configFlag: config, now: now, utc: utc))
        } catch {
            for line in error.lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            throw ExitCode(error.status.rawValue)
        }
    }
}

extension GlobalOptions {
    /// Loads the config, opens the ledger and runs `body`; any failure becomes its exit status.
    /// `acceptingBackup`: the command only reads, so a backup put back by hand may be looked at
    /// (see `CommandContext.openLedger`).
    func withLedger(acceptingBackup: Bool = false, _ body: (CommandContext, any LedgerBackend) throws -> Void) throws {
        try run { (ctx) throws(CommandFailure) in
            let ledger = try ctx.openLedger(acceptingBackup: acceptingBackup)
            do { try body(ctx, ledger) } catch { throw CommandContext.failure(error) }
        }
    }
}

/// Prints to stdout.
func say(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

/// What `pause`, `opt-out` and `dispute` add when they cancelled messages claimed but not yet sent.
func cancelledNote(_ count: Int) -> String {
    count == 0 ? "" : "; \(count) pending message\(count == 1 ? "" : "s") cancelled"
}
