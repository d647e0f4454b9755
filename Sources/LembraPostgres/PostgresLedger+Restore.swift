import Foundation
import LembraCore
import LembraStore

/// `lembra restore --since TIME` on PostgreSQL: what a database put back from a dump records
/// before any daemon starts on it, as `SQLiteLedger+Backup` does for a restored file. The dump
/// itself is put back with PostgreSQL's tools; Lembra only records what it can't know.
extension PostgresLedger {
    /// The other sessions connected to this database as Lembra (`application_name`, set by every
    /// connection Lembra opens): daemons, or commands, that must not run while a restore is
    /// recorded. A daemon would send what the restore is about to call in doubt.
    public func otherLembraSessions() throws(StoreError) -> Int {
        try withConnection("look for running daemons") { c throws(PostgresError) in
            Int(try c.query("""
                SELECT count(*) AS n FROM pg_stat_activity
                WHERE application_name = 'lembra' AND datname = current_database() AND pid <> pg_backend_pid()
                """, operation: "look for running daemons")[0].int64("n"))
        }
    }

    /// What a restored database records, in one commit: every attempt still pending in it
    /// (claimed, sending, retry) and every message in `mayHaveGoneOut` (the steps that fell due
    /// since the dump was taken, from the planner) become `in_doubt` with reason `restored`, so
    /// they are never sent again blindly (a duplicate charge is repaid in double, CDC art. 42) and
    /// `status` lists them. A step already in the ledger is left as it is. Returns how many
    /// pending attempts and new steps were recorded.
    public func recordRestored(mayHaveGoneOut messages: [PlannedMessage], now: Date) throws(StoreError) -> (pending: Int, steps: Int) {
        let operation = "record restored"
        return try transaction(operation) { c -> (pending: Int, steps: Int) in
            let t = PostgresValue.time(now)
            let pending = try c.query("""
                WITH moved AS (
                    UPDATE attempts SET state = 'in_doubt', reason = $1, may_have_arrived = true, updated_at = $2
                    WHERE \(AttemptTransition.restore.postgresGuard()) RETURNING 1)
                SELECT count(*) AS n FROM moved
                """, [SQLiteLedger.restoredReason, t], operation: operation)[0].int64("n")
            var steps = 0
            for m in messages {
                var items: [PlannedMessage.Item] = []
                for item in m.items {
                    let inLedger = try c.query("SELECT 1 FROM attempt_items WHERE debt_id = $1 AND due_date = $2 AND step_id = $3",
                                               [item.key.debtID, item.key.dueDate.iso, item.key.stepID], operation: operation)
                    if inLedger.isEmpty { items.append(item) }
                }
                guard !items.isEmpty else { continue }
                let id = ClaimRequest.newAttemptID(now: now)
                var message = m
                message.items = items
                try insertAttempt(c, id: id, message: message, state: .inDoubt, reason: SQLiteLedger.restoredReason, payload: Data(),
                                  steps: items.map(\.key), now: now)
                try c.query("UPDATE attempts SET may_have_arrived = true WHERE id = $1", [id], operation: operation)
                if m.kind == .thanks {
                    try c.query("UPDATE debts SET thanks_pending = false WHERE id = ANY($1::text[])", [PostgresValue.array(items.map(\.debt.id))],
                                operation: operation)
                }
                steps += items.count
            }
            return (Int(pending), steps)
        }
    }
}
