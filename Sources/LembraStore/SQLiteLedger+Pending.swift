import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// One channel's attempts ready to go (as `sendable`), each with the customer's zone and
    /// flags and whether a debt it covers was paid or disputed since: the tick reads its
    /// leftovers this way, once, at its start, and has the planner check them again before any
    /// is sent. Per attempt that is a primary-key join and two lookups through the items index,
    /// paid once per tick, not per batch.
    public func pending(now: Date, channel: String, limit: Int) throws(StoreError) -> [PendingAttempt] {
        try read("load pending attempts") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteLedger.attemptColumns), \(SQLiteLedger.pendingFactColumns)
                FROM \(SQLiteLedger.attemptsWithPayloads) LEFT JOIN customers c ON c.id = a.customer_id
                WHERE \(SQLiteLedger.sendableClause(limit: limit)) ORDER BY a.created_at, a.seq LIMIT \(limit)
                """, arguments: [channel, channel, now.timeIntervalSince1970])
            return rows.map { row in
                typealias F = PendingFactColumn
                let attempt = SQLiteLedger.attempt(row)
                return PendingAttempt(attempt: attempt, facts: PendingFacts(
                    kind: PlannedMessage.Kind(rawValue: attempt.kind) ?? .reminder, timezone: row[F.timezone.position],
                    pausedThrough: (row[F.pausedThrough.position] as String?).flatMap(SQLiteLedger.pauseDay),
                    optedOut: row[F.optedOut.position],
                    anyDebtPaid: row[F.anyDebtPaid.position], anyDebtDisputed: row[F.anyDebtDisputed.position]))
            }
        }
    }

    /// The facts `pending` reads beside each attempt (`PendingFactColumn`).
    static let pendingFactColumns = PendingFactColumn.selectList

    /// Records the tick's recheck of its leftovers, in one commit: attempts that wait for the
    /// sending window become `retry` at its next opening with the closure as reason (`tries`
    /// unchanged: no try was made), the others are cancelled (`cancelPending`). Only attempts
    /// still pending are touched. Returns the ids cancelled.
    @discardableResult
    public func settle(waiting: [(id: String, until: Date, reason: HoldReason)], cancelling: [(id: String, reason: CancelReason)],
                       now: Date) throws(StoreError) -> Set<String> {
        guard !waiting.isEmpty || !cancelling.isEmpty else { return [] }
        return try write("recheck pending attempts") { db in
            for w in waiting {
                try db.cachedStatement(sql: """
                    UPDATE attempts SET state = 'retry', next_try_at = ?, reason = ?, updated_at = ?
                    WHERE id = ? AND \(AttemptTransition.waitForWindow.guardClause)
                    """).execute(arguments: [w.until.timeIntervalSince1970, w.reason.rawValue, now.timeIntervalSince1970, w.id])
            }
            var cancelled = Set<String>()
            for c in cancelling where try cancelPending(db, scope: "id = ?", [c.id], reason: c.reason, now: now) > 0 {
                cancelled.insert(c.id)
            }
            return cancelled
        }
    }
}
