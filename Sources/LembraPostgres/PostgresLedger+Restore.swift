import Foundation
import LembraCore
import LembraStore

/// `lembra restore --since TIME` on PostgreSQL: what a database put back from a dump records
/// before any daemon starts on it, as `SQLiteLedger+Backup` does for a restored file. The dump
/// itself is put back with PostgreSQL's tools; Lembra only records what it can't know.
extension PostgresLedger {
    /// Records a restore in one transaction that no daemon can get into: the attempts and their
    /// steps locked against writers first (a daemon that connects meanwhile waits for the commit,
    /// then finds the steps taken and the attempts in doubt), then no other Lembra session may be
    /// connected (`.busy` otherwise: a daemon running would send what is being recorded), then
    /// the open cases are read and `mayHaveGoneOut` (the planner) says what each may have been
    /// sent since the dump. What it returns is recorded as `recordRestored` says.
    public func recordRestoreExclusively(mayHaveGoneOut: (CustomerCase) -> [PlannedMessage], now: Date) throws(StoreError) -> (pending: Int, steps: Int) {
        let operation = "record restored"
        return try transaction(operation) { c -> (pending: Int, steps: Int) in
            try c.query("LOCK TABLE attempts, attempt_items IN SHARE ROW EXCLUSIVE MODE", operation: operation)
            let others = try c.query("""
                SELECT count(*) AS n FROM pg_stat_activity
                WHERE application_name = 'lembra' AND datname = current_database() AND pid <> pg_backend_pid()
                """, operation: operation)[0].int64("n")
            guard others == 0 else {
                throw StoreError(.busy, operation, "\(others) other Lembra \(others == 1 ? "session is" : "sessions are") connected to the database "
                                 + "(daemons or commands): stop every daemon first; nothing recorded")
            }
            return try record(c, try openCases(c, now: now).flatMap(mayHaveGoneOut), now: now)
        }
    }

    /// What a restored database records, in one commit: every attempt still pending in it
    /// (claimed, sending, retry) and every message in `mayHaveGoneOut` (the steps that fell due
    /// since the dump was taken, from the planner) become `in_doubt` with reason `restored`, so
    /// they are never sent again blindly (a duplicate charge is repaid in double, CDC art. 42) and
    /// `status` lists them. A step already in the ledger is left as it is. Returns how many
    /// pending attempts and new steps were recorded.
    public func recordRestored(mayHaveGoneOut messages: [PlannedMessage], now: Date) throws(StoreError) -> (pending: Int, steps: Int) {
        try transaction("record restored") { c in try record(c, messages, now: now) }
    }

    private func record(_ c: PostgresConnection, _ messages: [PlannedMessage], now: Date) throws(PostgresError) -> (pending: Int, steps: Int) {
        let operation = "record restored"
        let pending = try c.query("""
            WITH moved AS (
                UPDATE attempts SET state = 'in_doubt', reason = $1, may_have_arrived = true, owner = NULL, lease_until = NULL, updated_at = $2
                WHERE \(AttemptTransition.restore.postgresGuard()) RETURNING 1)
            SELECT count(*) AS n FROM moved
            """, [AttemptTransition.restoredReason, PostgresValue.time(now)], operation: operation)[0].int64("n")
        var steps = 0
        for m in messages {
            var message = m
            message.items = []
            for item in m.items {
                let inLedger = try c.query("SELECT 1 FROM attempt_items WHERE debt_id = $1 AND due_date = $2 AND step_id = $3",
                                           [item.key.debtID, item.key.dueDate.iso, item.key.stepID], operation: operation)
                if inLedger.isEmpty { message.items.append(item) }
            }
            let id = ClaimRequest.newAttemptID(now: now)
            guard !message.items.isEmpty, try insertAttempt(c, id: id, message: message, state: .inDoubt, reason: AttemptTransition.restoredReason,
                                                            payload: Data(), steps: message.items.map(\.key), now: now) else { continue }
            try c.query("UPDATE attempts SET may_have_arrived = true WHERE id = $1", [id], operation: operation)
            if m.kind == .thanks {
                try c.query("UPDATE debts SET thanks_pending = false WHERE id = ANY($1::text[])", [PostgresValue.array(message.items.map(\.debt.id))],
                            operation: operation)
            }
            steps += message.items.count
        }
        return (Int(pending), steps)
    }
}
