import Foundation
import LembraStore

/// `lembra check-ledger`: the full check `run` can't afford at every start. SQLite's
/// `integrity_check` (every index against its table) and the two records of claimed steps
/// compared (`SQLiteLedger.check(path:)`), read-only, so it runs beside the daemon. A damaged ledger is
/// exit 69 (EX_UNAVAILABLE), as when the daemon meets one: it can't be used safely.
///
/// The attempt counts `status` shows are kept apart from the attempts (`SQLiteLedger.countProblem`):
/// one that differs is not damage to anything the ledger guarantees, so it is exit 65 (EX_DATAERR)
/// with its own fix, `--recount`, which counts them again (in one write, safe beside the daemon),
/// and only when nothing else is wrong: a damaged ledger is not written to.
public struct LedgerCheck {
    public let context: CommandContext
    /// Count the attempts by state again before checking (`--recount`).
    public let recount: Bool

    public init(context: CommandContext, recount: Bool = false) { self.context = context; self.recount = recount }

    public func run() throws(CommandFailure) -> String {
        try context.requireSQLite("check-ledger", instead: "check it with PostgreSQL's own tools (pg_amcheck)")
        let database = context.config.database
        guard FileManager.default.fileExists(atPath: database) else {
            throw CommandFailure(.unavailable, ["\(database): no ledger here (the file does not exist). Check `database:` in \(context.configPath)"])
        }
        let onlyCounts = { (problems: [String]) in problems.allSatisfy { $0.hasPrefix(SQLiteLedger.countProblem) } }
        var problems = try check(database)
        var report = ""
        if recount, !problems.isEmpty, onlyCounts(problems) {
            do {
                let changed = try SQLiteLedger(path: database).recountFinalStates()
                report = "\(database): attempts counted again; changed: \(changed.joined(separator: ", "))\n"
            } catch { throw CommandContext.failure(error) }
            problems = try check(database)
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(20).map { "  \($0)" } + (problems.count > 20 ? ["  ... and \(problems.count - 20) more"] : [])
            guard onlyCounts(problems) else {
                throw CommandFailure(.unavailable, ["\(database): the ledger is damaged:"] + shown
                    + ["Stop the daemon and install the last good backup with `lembra restore FILE`: "
                       + "it records what may have gone out since as in doubt"])
            }
            throw CommandFailure(.dataError, ["\(database): the attempt counts `status` shows differ from the attempts:"] + shown
                + ["Nothing sent or claimed is affected. `lembra check-ledger --recount` counts them again (safe beside the daemon)"])
        }
        return report + "\(database): ok\n"
    }

    private func check(_ database: String) throws(CommandFailure) -> [String] {
        do { return try SQLiteLedger.check(path: database) } catch { throw CommandContext.failure(error) }
    }
}
