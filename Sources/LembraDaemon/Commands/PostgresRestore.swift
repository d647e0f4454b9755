import Foundation
import LembraCore
import LembraPostgres
import LembraStore

/// `lembra restore --since TIME` on a PostgreSQL ledger, once the database has been put back from
/// a dump (`pg_restore`) or recovered to a point in time by PostgreSQL's own tools.
///
/// Like a SQLite backup, such a database knows nothing of the messages sent after TIME: a daemon
/// started on it would send them all again. So, before any daemon starts, this records as in
/// doubt (reason `restored`, never sent again blindly, listed by `status`) every attempt still
/// pending in it and every step the planner finds due between TIME and now
/// (`Planner.mayHaveGoneOut`), in one transaction no daemon can get into
/// (`PostgresLedger.recordRestoreExclusively`). TIME is the operator's to give: a dump carries no mark
/// Lembra wrote, and a time too late would let a step that went out go out again.
struct PostgresRestore {
    let context: CommandContext
    let settings: PostgresLedgerSettings

    /// Records what may have gone out since `since` and says what was recorded.
    func run(since: String?, file: String?) throws(CommandFailure) -> String {
        guard file == nil else {
            throw CommandFailure(.usage, ["restore: the ledger is on PostgreSQL (`database:` in \(context.configPath)): put the dump back with "
                                          + "pg_restore (or recover to a point in time), then run `lembra restore --since TIME` with the time it was taken"])
        }
        guard let takenAt = try CommandContext.instant(since, timeZone: context.config.timeZone, flag: "--since") else {
            throw CommandFailure(.usage, ["restore: on PostgreSQL, --since TIME is needed: when the dump put back was taken "
                                          + "(`pg_restore --list FILE` shows it as \"Archive created at\")"])
        }
        let now = context.clock.now()
        guard takenAt <= now else {
            throw CommandFailure(.usage, ["--since: \(context.times.text(takenAt)) is later than now (\(context.times.text(now)))"])
        }
        let planner = Planner(policy: context.config.policy)
        let recorded: (pending: Int, steps: Int)
        do {
            recorded = try PostgresLedger(settings).recordRestoreExclusively(mayHaveGoneOut: { planner.mayHaveGoneOut($0, from: takenAt, through: now) }, now: now)
        } catch {
            throw CommandContext.failure(error)
        }
        return (["recorded the restore of \(context.config.database) (taken at \(context.times.text(takenAt)))"]
            + Restore.summary(recorded, copy: "the dump", takenAt: takenAt, times: context.times)).joined(separator: "\n") + "\n"
    }
}
