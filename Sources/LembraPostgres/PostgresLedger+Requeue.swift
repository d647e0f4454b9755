import Foundation
import LembraCore
import LembraStore

/// `lembra requeue`, as `SQLiteLedger+Requeue` (see there for what is never requeued, and why).
extension PostgresLedger {
    /// Puts the `dead` attempts `filter` matches back to `retry`, due at `now`, with their tries
    /// reset, in one commit, with a `requeued` event per customer; `dryRun` only says what would
    /// be done. The update is guarded by `AttemptTransition.requeue`: an attempt another daemon's
    /// requeue took meanwhile is no longer `dead`, and is left as it is.
    public func requeue(_ filter: RequeueFilter, by user: String, dryRun: Bool, now: Date) throws(StoreError) -> RequeueResult {
        let operation = dryRun ? "requeue (dry run)" : "requeue"
        return try transaction(operation) { c throws(PostgresError) -> RequeueResult in
            var result = RequeueResult()
            for a in try deadAttempts(c, filter) {
                if let refusal = try refusal(c, attemptID: a.id) { result.refused.append((a, refusal)) } else { result.requeued.append(a) }
            }
            guard !dryRun else { return result }
            let t = PostgresValue.time(now)
            for a in result.requeued {
                try c.query("""
                    UPDATE attempts SET state = 'retry', reason = 'requeued', tries = 0, next_try_at = $1, updated_at = $1
                    WHERE id = $2 AND \(AttemptTransition.requeue.postgresGuard())
                    """, [t, a.id], operation: operation)
            }
            for (customer, attempts) in Dictionary(grouping: result.requeued, by: \.customerID).sorted(by: { $0.key < $1.key }) {
                try addEvent(c, at: now, customer: customer, debt: nil, kind: "requeued",
                                  detail: "requeued=\(attempts.count) attempts=\(attempts.map(\.id).joined(separator: ",")) by=\(user) filter=\(filter.description)")
            }
            return result
        }
    }

    private func deadAttempts(_ c: PostgresConnection, _ filter: RequeueFilter) throws(PostgresError) -> [Attempt] {
        var clause = "state = 'dead'", args: [String?] = []
        func add(_ condition: String, _ value: String) { args.append(value); clause += " AND \(condition) $\(args.count)" }
        if let channel = filter.channel { add("channel =", channel) }
        if let customer = filter.customerID { add("customer_id =", customer) }
        if let since = filter.since { add("updated_at >=", String(since.timeIntervalSince1970)) }
        return try fetchAttempts(c, where: clause, args, limit: 1_000_000)
    }

    /// Why the dead attempt `id` must stay dead, or nil when it may be sent again.
    private func refusal(_ c: PostgresConnection, attemptID id: String) throws(PostgresError) -> RequeueResult.Refusal? {
        func exists(_ sql: String) throws(PostgresError) -> Bool { try !c.query(sql, [id], operation: "requeue \(id)").isEmpty }
        guard let row = try c.query("SELECT may_have_arrived, kind FROM attempts WHERE id = $1", [id], operation: "requeue \(id)").first,
              !row.bool("may_have_arrived") else { return .mayHaveArrived }
        guard row.text("kind") == PlannedMessage.Kind.reminder.rawValue else { return nil }
        if try exists("""
            SELECT 1 FROM attempt_items i JOIN debts d ON d.id = i.debt_id WHERE i.attempt_id = $1 AND d.paid_at IS NOT NULL LIMIT 1
            """) { return .paid }
        if try exists("""
            SELECT 1 FROM attempt_items i
            JOIN attempt_items j ON j.debt_id = i.debt_id AND j.due_date = i.due_date AND j.attempt_id <> i.attempt_id
            JOIN attempts a ON a.id = i.attempt_id
            JOIN attempts b ON b.id = j.attempt_id
            WHERE i.attempt_id = $1 AND b.kind = 'reminder' AND b.created_at > a.created_at
              AND b.state IN ('claimed', 'sending', 'sent', 'retry', 'in_doubt')
            LIMIT 1
            """) { return .superseded }
        if try exists("""
            SELECT 1 FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
            WHERE i.attempt_id = $1 AND (
                EXISTS (SELECT 1 FROM debts d WHERE d.id = i.debt_id AND d.due_date <> i.due_date)
                OR EXISTS (SELECT 1 FROM events e WHERE e.debt_id = i.debt_id AND e.kind = 'renegotiated' AND e.at >= a.created_at)
                OR EXISTS (SELECT 1 FROM payments p WHERE p.debt_id = i.debt_id AND p.recorded_at >= a.created_at))
            LIMIT 1
            """) { return .termsChanged }
        return nil
    }
}
