import Foundation
import GRDB

extension SQLiteLedger {
    /// What to do about a damaged ledger, said by every error that finds one.
    static let damagedAdvice = "the ledger is damaged: stop the daemon, run `lembra check-ledger`, "
        + "and install the last good backup with `lembra restore FILE`"

    /// SQLite's `PRAGMA quick_check`: every page of the file read once and its b-tree structure
    /// checked (not whether each index matches its table: `check(path:)` does that). The daemon
    /// runs it once at start-up, before it claims anything; it reads the whole file, so its cost
    /// grows with the ledger (README: "When the ledger is unavailable").
    public func quickCheck() throws(StoreError) {
        let problems = try read("quick_check \(path)") { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        guard problems != ["ok"] else { return }
        throw StoreError(.damaged, "quick_check \(path)", SQLiteLedger.summary(problems) + "; " + SQLiteLedger.damagedAdvice)
    }

    /// Everything wrong with the ledger at `path`, or nothing: SQLite's full `integrity_check`
    /// (every index against its table, which `quick_check` skips) and whether the two records of
    /// claimed steps (`attempt_items` and `step_claims`, see migration v7) agree, both read
    /// without the unique index they are meant to back up. Opens the file read-only, without
    /// migrating it, so it is safe beside a running daemon and on a damaged file.
    public static func check(path: String) throws(StoreError) -> [String] {
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                guard try db.tableExists("step_claims") else { return problems }
                let count = { (sql: String) in try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))") ?? 0 }
                let items = "SELECT debt_id, due_date, step_id FROM attempt_items NOT INDEXED"
                let claims = "SELECT debt_id, due_date, step_id FROM step_claims"
                if case let n = try count("\(items) EXCEPT \(claims)"), n > 0 { problems.append("\(n) claimed steps missing from step_claims") }
                if case let n = try count("\(claims) EXCEPT \(items)"), n > 0 { problems.append("\(n) steps in step_claims without their claim in attempt_items") }
                if case let n = try count("\(items) GROUP BY debt_id, due_date, step_id HAVING count(*) > 1"), n > 0 {
                    problems.append("\(n) steps claimed more than once")
                }
                guard try db.tableExists("attempt_payloads") else { return problems }
                // Attempts still to send whose message is gone would go out empty (a webhook) or
                // die unreadable (an e-mail): the message used to be a NOT NULL column of the row.
                let waiting = "SELECT a.seq FROM attempts a WHERE a.state IN ('claimed', 'retry', 'sending') "
                    + "AND NOT EXISTS (SELECT 1 FROM attempt_payloads p WHERE p.attempt = a.seq)"
                if case let n = try count(waiting), n > 0 { problems.append("\(n) attempts to send without their message") }
                if case let n = try count("SELECT * FROM pragma_foreign_key_check('attempt_payloads')"), n > 0 { problems.append("\(n) messages without their attempt") }
                guard try db.tableExists("attempt_counts") else { return problems }
                // The counts `status` shows for the final states, kept by the writes (`FinalStateTally`).
                let states = FinalStateTally.states.map { "('\($0.rawValue)')" }.joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: """
                    SELECT state, counted, stored FROM (
                      SELECT s.column1 AS state, COALESCE((SELECT n FROM attempt_counts c WHERE c.state = s.column1), 0) AS counted,
                             (SELECT count(*) FROM attempts a NOT INDEXED WHERE a.state = s.column1) AS stored
                      FROM (VALUES \(states)) s)
                    WHERE counted <> stored
                    """) {
                    problems.append("\(countProblem) \(row[1] as Int64) \(row[0] as String) attempts, the ledger holds \(row[2] as Int64)")
                }
                return problems
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
            // Damage that stops the check itself halfway is its finding.
            return [e.message ?? "\(e.resultCode)"]
        } catch { throw wrap(error, "check \(path)") }
    }

    /// How `check(path:)` begins a count of `attempt_counts` that differs from the attempts: not
    /// damage to what the ledger guarantees (only `status` reads the counts), and
    /// `recountFinalStates()` mends it.
    public static let countProblem = "attempt_counts says"

    /// Counts the attempts in each final state again, from every attempt row, and writes the
    /// counts `status` reads (`FinalStateTally`), in one transaction: the writes that keep them
    /// wait for it, so it is safe beside a running daemon. Returns the states whose count changed.
    public func recountFinalStates() throws(StoreError) -> [String] {
        try write("recount attempts") { db in
            var changed: [String] = []
            for state in FinalStateTally.states {
                let stored = try Int64.fetchOne(db, sql: "SELECT count(*) FROM attempts NOT INDEXED WHERE state = ?", arguments: [state.rawValue]) ?? 0
                let counted = try Int64.fetchOne(db, sql: "SELECT n FROM attempt_counts WHERE state = ?", arguments: [state.rawValue])
                guard counted != stored else { continue }
                try db.execute(sql: "INSERT INTO attempt_counts (state, n) VALUES (?, ?) ON CONFLICT (state) DO UPDATE SET n = excluded.n",
                               arguments: [state.rawValue, stored])
                changed.append(state.rawValue)
            }
            return changed
        }
    }

    /// The first problems SQLite listed, on one line.
    static func summary(_ problems: [String]) -> String {
        problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; and \(problems.count - 3) more" : "")
    }
}
