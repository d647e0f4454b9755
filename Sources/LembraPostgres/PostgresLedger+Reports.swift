import Foundation
import LembraCore
import LembraStore

// `status` and `history`, as `SQLiteLedger+Reports`; reads only. The unmatched payments are read
// with the ingress (`PostgresLedger+Ingress`), the planner's reads in `PostgresLedger+Planning`.
extension PostgresLedger: LedgerReports {
    public func status() throws(StoreError) -> LedgerStatus {
        try readSnapshot("status") { c throws(PostgresError) in try status(c) }
    }

    private func status(_ c: PostgresConnection) throws(PostgresError) -> LedgerStatus {
        var s = LedgerStatus()
        for row in try c.query("""
            SELECT COALESCE(c.segment, 'unplanned') AS segment, count(*) AS n
            FROM debts d JOIN customers c ON c.id = d.customer_id WHERE d.paid_at IS NULL GROUP BY 1
            """, operation: "status: open debts") {
            s.openDebtsBySegment[row["segment"] ?? ""] = Int(row.int64("n"))
        }
        // sum() of bigint is numeric in PostgreSQL: it never overflows. A total of 2^53 cents or
        // more is still shown as too large, as SQLite's floating-point total() must.
        for row in try c.query("""
            SELECT COALESCE(currency, '') AS currency, sum(amount_cents - paid_cents)::text AS owed FROM debts WHERE paid_at IS NULL GROUP BY 1
            """, operation: "status: open totals") {
            let currency = row["currency"] ?? ""
            if let owed = row["owed"].flatMap({ Int64($0) }), owed.magnitude < 1 << 53 { s.openTotalByCurrency[currency] = owed }
            else { s.openTotalTooLarge.insert(currency) }
        }
        for row in try c.query("SELECT state, count(*) AS n FROM attempts GROUP BY state", operation: "status: attempts") {
            s.attemptsByState[row["state"] ?? ""] = Int(row.int64("n"))
        }
        for row in try c.query("""
            SELECT channel, count(*) AS n, min(next_try_at) AS next FROM attempts
            WHERE state = 'retry' AND reason LIKE 'channel\\_down:%' ESCAPE '\\' GROUP BY channel
            """, operation: "status: channels down") {
            s.waitingForChannel[row["channel"] ?? ""] = ChannelWait(count: Int(row.int64("n")), nextTry: row.date("next") ?? .distantPast)
        }
        s.inDoubt = try fetchAttempts(c, where: "state = 'in_doubt'", [], limit: 50)
        s.recentDead = try fetchAttempts(c, where: "state = 'dead'", [], order: "updated_at DESC, id", limit: 10)
        return s
    }

    /// Every attempt and event of a debt, or of a customer when `id` names one, oldest first.
    /// `time` writes the instants in the summaries (a retry's `next=`, a hold's `until=`).
    public func history(id: String, time: (Date) -> String) throws(StoreError) -> [HistoryEntry] {
        let found = try readSnapshot("history \(id)") { c throws(PostgresError) in try history(c, id: id, time: time) }
        guard let found else { throw StoreError(.notFound, "history", "no debt or customer '\(id)'") }
        return found
    }

    /// The entries of `id`, or nil when it names neither a debt nor a customer.
    private func history(_ c: PostgresConnection, id: String, time: (Date) -> String) throws(PostgresError) -> [HistoryEntry]? {
        let operation = "history \(id)"
        let isDebt = try !c.query("SELECT 1 FROM debts WHERE id = $1", [id], operation: operation).isEmpty
        let isCustomer = try !c.query("SELECT 1 FROM customers WHERE id = $1", [id], operation: operation).isEmpty
        guard isDebt || isCustomer else { return nil }
        let attempts = isDebt
            ? try fetchAttempts(c, where: """
                id IN (SELECT attempt_id FROM attempt_items WHERE debt_id = $1 UNION ALL SELECT attempt_id FROM released_items WHERE debt_id = $1)
                """, [id], limit: 10_000)
            : try fetchAttempts(c, where: "customer_id = $1", [id], limit: 10_000)
        var entries = attempts.map { HistoryEntry.attempt($0, time: time) }
        entries += try c.query("SELECT at, customer_id, debt_id, kind, detail FROM events WHERE \(isDebt ? "debt_id" : "customer_id") = $1 ORDER BY at, id",
                               [id], operation: operation).map { e in
            HistoryEntry(at: e.date("at") ?? .distantPast, customerID: e["customer_id"] ?? "", debtIDs: e["debt_id"].map { [$0] } ?? [],
                         kind: e["kind"] ?? "", summary: e["detail"] ?? "")
        }
        entries += try c.query("""
            SELECT id, customer_id, hold_reason, hold_until, held_at FROM debts
            WHERE hold_reason IS NOT NULL AND \(isDebt ? "id" : "customer_id") = $1
            """, [id], operation: operation).map { r in
            HistoryEntry.waiting(debtID: r["id"] ?? "", customerID: r["customer_id"] ?? "", heldAt: r.date("held_at") ?? .distantPast,
                                 reason: r["hold_reason"] ?? "", until: r.date("hold_until"), time: time)
        }
        return entries.sorted { $0.at < $1.at }
    }

    /// The attempts matching `clause` (on `attempts a`, with `$1…` from `args`), as `history`,
    /// `status` and `requeue` list them.
    func fetchAttempts(_ c: PostgresConnection, where clause: String, _ args: [String?], order: String = "created_at, id",
                       limit: Int) throws(PostgresError) -> [Attempt] {
        try c.query("SELECT \(Self.attemptColumns) FROM attempts a WHERE \(clause) ORDER BY \(order) LIMIT \(limit)", args,
                    operation: "read attempts").map(Self.attempt)
    }
}
