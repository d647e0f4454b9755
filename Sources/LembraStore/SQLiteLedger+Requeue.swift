import Foundation
import GRDB

extension SQLiteLedger {
    /// Puts the `dead` attempts `filter` matches back to `retry`, due at `now`, with their tries
    /// reset, in one commit; the next tick sends each once, under its own id (Message-ID or
    /// `webhook-id`), after the planner checked it again like any retry (paid, disputed, paused,
    /// opted out, the sending window). Each customer concerned gets a `requeued` event in
    /// `history` saying how many, by whom and with which filter.
    ///
    /// Never requeued (listed in `refused`): an attempt a try of which may have arrived, a
    /// reminder one of whose debts is paid since, a reminder a later one for the same debt
    /// and due date already went out or is pending for, and a reminder one of whose debts was
    /// renegotiated or partly paid since it was written (the message is stored as it was first
    /// rendered, so it would ask for the old amount; the next step states the new terms). Their steps stay taken, as a dead step's
    /// are, so the planner never sends them anew either.
    ///
    /// `dryRun`: only says what would be done; nothing is written.
    public func requeue(_ filter: RequeueFilter, by user: String, dryRun: Bool, now: Date) throws(StoreError) -> RequeueResult {
        try write(dryRun ? "requeue (dry run)" : "requeue") { db in
            var result = RequeueResult()
            for a in try deadAttempts(db, filter) {
                if let refusal = try refusal(db, attemptID: a.id) { result.refused.append((a, refusal)) } else { result.requeued.append(a) }
            }
            guard !dryRun else { return result }
            let t = now.timeIntervalSince1970
            for a in result.requeued {
                try db.cachedStatement(sql: """
                    UPDATE attempts SET state = 'retry', reason = 'requeued', tries = 0, next_try_at = ?, updated_at = ?
                    WHERE id = ? AND \(AttemptTransition.requeue.guardClause)
                    """).execute(arguments: [t, t, a.id])
            }
            for (customer, attempts) in Dictionary(grouping: result.requeued, by: \.customerID).sorted(by: { $0.key < $1.key }) {
                try addEvent(db, at: now, customer: customer, debt: nil, kind: "requeued",
                             detail: "requeued=\(attempts.count) attempts=\(attempts.map(\.id).joined(separator: ",")) by=\(user) filter=\(filter.description)")
            }
            return result
        }
    }

    private func deadAttempts(_ db: Database, _ filter: RequeueFilter) throws -> [Attempt] {
        var clause = "state = 'dead'", args: [any DatabaseValueConvertible] = []
        if let channel = filter.channel { clause += " AND channel = ?"; args.append(channel) }
        if let customer = filter.customerID { clause += " AND customer_id = ?"; args.append(customer) }
        if let since = filter.since { clause += " AND updated_at >= ?"; args.append(since.timeIntervalSince1970) }
        return try fetchAttempts(db, where: clause, args, limit: 1_000_000)
    }

    /// Why the dead attempt `id` must stay dead, or nil when it may be sent again.
    private func refusal(_ db: Database, attemptID id: String) throws -> RequeueResult.Refusal? {
        guard let row = try Row.fetchOne(db, sql: "SELECT may_have_arrived, kind, seq FROM attempts WHERE id = ?", arguments: [id]),
              !(row[0] as Bool) else { return .mayHaveArrived }
        guard (row[1] as String) == "reminder" else { return nil }
        let seq: Int64 = row[2]
        if try Bool.fetchOne(db, sql: """
            SELECT 1 FROM attempt_items i JOIN debts d ON d.id = i.debt_id WHERE i.attempt = ? AND d.paid_at IS NOT NULL LIMIT 1
            """, arguments: [seq]) ?? false { return .paid }
        if try Bool.fetchOne(db, sql: """
            SELECT 1 FROM attempt_items i
            JOIN attempt_items j ON j.debt_id = i.debt_id AND j.due_date = i.due_date AND j.attempt <> i.attempt
            JOIN attempts a ON a.seq = i.attempt
            JOIN attempts b ON b.seq = j.attempt
            WHERE i.attempt = ? AND b.kind = 'reminder' AND b.created_at > a.created_at
              AND b.state IN ('claimed', 'sending', 'sent', 'retry', 'in_doubt')
            LIMIT 1
            """, arguments: [seq]) ?? false { return .superseded }
        if try Bool.fetchOne(db, sql: """
            SELECT 1 FROM attempt_items i JOIN attempts a ON a.seq = i.attempt
            WHERE i.attempt = ? AND (
                EXISTS (SELECT 1 FROM debts d WHERE d.id = i.debt_id AND d.due_date <> i.due_date)
                OR EXISTS (SELECT 1 FROM events e WHERE e.debt_id = i.debt_id AND e.kind = 'renegotiated' AND e.at >= a.created_at)
                OR EXISTS (SELECT 1 FROM payments p WHERE p.debt_id = i.debt_id AND p.recorded_at >= a.created_at))
            LIMIT 1
            """, arguments: [seq]) ?? false { return .termsChanged }
        return nil
    }
}
