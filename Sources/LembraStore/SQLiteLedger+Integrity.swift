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
    /// (every index against its table, which `quick_check` skips); in a file from before the
    /// migration "attempt items: keyed by their step", whether its two records of claimed steps
    /// (`attempt_items` and `step_claims`, see migration v7) agree, both read without the unique
    /// index they were meant to back up. Opens the file read-only, without migrating it, so it is
    /// safe beside a running daemon, on a damaged file and on an old backup.
    public static func check(path: String) throws(StoreError) -> [String] {
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                let count = { (sql: String) in try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))") ?? 0 }
                if try db.tableExists("step_claims") {
                    let items = "SELECT debt_id, due_date, step_id FROM attempt_items NOT INDEXED"
                    let claims = "SELECT debt_id, due_date, step_id FROM step_claims"
                    if case let n = try count("\(items) EXCEPT \(claims)"), n > 0 { problems.append("\(n) claimed steps missing from step_claims") }
                    if case let n = try count("\(claims) EXCEPT \(items)"), n > 0 { problems.append("\(n) steps in step_claims without their claim in attempt_items") }
                    if case let n = try count("\(items) GROUP BY debt_id, due_date, step_id HAVING count(*) > 1"), n > 0 {
                        problems.append("\(n) steps claimed more than once")
                    }
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
                for (state, counted, stored) in try countDrift(db) {
                    problems.append("\(countProblem) \(counted) \(state.rawValue) attempts, the ledger holds \(stored)")
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
            let drift = try Self.countDrift(db)
            for (state, _, stored) in drift {
                try db.execute(sql: "INSERT INTO attempt_counts (state, n) VALUES (?, ?) ON CONFLICT (state) DO UPDATE SET n = excluded.n",
                               arguments: [state.rawValue, stored])
            }
            return drift.map(\.state.rawValue)
        }
    }

    /// The final states whose count in `attempt_counts` (0 when it has no row) differs from the
    /// attempts in that state, counted in one pass over every attempt row, not through an index.
    private static func countDrift(_ db: Database) throws -> [(state: AttemptState, counted: Int64, stored: Int64)] {
        let names = FinalStateTally.states.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var stored: [String: Int64] = [:], counted: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM attempts NOT INDEXED WHERE state IN (\(names)) GROUP BY state") {
            stored[row[0]] = row[1]
        }
        for row in try Row.fetchAll(db, sql: "SELECT state, n FROM attempt_counts") { counted[row[0]] = row[1] }
        return FinalStateTally.states.compactMap { state in
            let (c, s) = (counted[state.rawValue] ?? 0, stored[state.rawValue] ?? 0)
            return c == s ? nil : (state, c, s)
        }
    }

    /// The first problems SQLite listed, on one line.
    static func summary(_ problems: [String]) -> String {
        problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; and \(problems.count - 3) more" : "")
    }
}
