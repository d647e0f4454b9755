import Foundation
import LembraStore

/// `lembra check-ledger`: the full check `run` can't afford at every start. SQLite's
/// `integrity_check` (every index against its table) and the two records of claimed steps
/// compared (`SQLiteLedger.check(path:)`), read-only, so it runs beside the daemon. A damaged ledger is
/// exit 69 (EX_UNAVAILABLE), as when the daemon meets one: it can't be used safely.
public struct LedgerCheck {
    public let context: CommandContext

    public init(context: CommandContext) { self.context = context }

    public func run() throws(CommandFailure) -> String {
        try context.requireSQLite("check-ledger", instead: "check it with PostgreSQL's own tools (pg_amcheck)")
        let database = context.config.database
        guard FileManager.default.fileExists(atPath: database) else {
            throw CommandFailure(.unavailable, ["\(database): no ledger here (the file does not exist). Check `database:` in \(context.configPath)"])
        }
        let problems: [String]
        do { problems = try SQLiteLedger.check(path: database) } catch { throw CommandContext.failure(error) }
        guard problems.isEmpty else {
            let shown = problems.prefix(20).map { "  \($0)" } + (problems.count > 20 ? ["  ... and \(problems.count - 20) more"] : [])
            throw CommandFailure(.unavailable, ["\(database): the ledger is damaged:"] + shown
                + ["Stop the daemon and install the last good backup with `lembra restore FILE`: it records what may have gone out since as in doubt"])
        }
        return "\(database): ok\n"
    }
}
