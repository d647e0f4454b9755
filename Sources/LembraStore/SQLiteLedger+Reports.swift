import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    public func status() throws(StoreError) -> LedgerStatus {
        try read("status") { db in
            var s = LedgerStatus()
            for row in try Row.fetchAll(db, sql: """
                SELECT COALESCE(c.segment, 'unplanned') AS segment, count(*) AS n
                FROM debts d JOIN customers c ON c.id = d.customer_id WHERE d.paid_at IS NULL GROUP BY 1
                """) {
                s.openDebtsBySegment[row["segment"]] = row["n"]
            }
            // total(), not sum(): sum() fails the whole query on an integer overflow (amounts
            // above the import maximum, stored by an older version), and the tick reads this for
            // its metrics. total() adds in floating point, exactly while under 2^53 cents (every
            // amount owed on an open debt is positive, so every partial sum is too).
            for row in try Row.fetchAll(db, sql: """
                SELECT COALESCE(currency, '') AS currency, total(amount_cents - paid_cents) AS owed FROM debts WHERE paid_at IS NULL GROUP BY 1
                """) {
                let owed: Double = row["owed"]
                if owed.magnitude < 0x1p53 { s.openTotalByCurrency[row["currency"]] = Int64(owed) }
                else { s.openTotalTooLarge.insert(row["currency"]) }
            }
            s.attemptsByState = try attemptCounts(db)
            for row in try Row.fetchAll(db, sql: """
                SELECT channel, count(*) AS n, min(next_try_at) AS next FROM attempts
                WHERE state = 'retry' AND reason LIKE 'channel\\_down:%' ESCAPE '\\' GROUP BY channel
                """) {
                s.waitingForChannel[row["channel"]] = ChannelWait(count: row["n"], nextTry: Date(timeIntervalSince1970: row["next"]))
            }
            s.inDoubt = try fetchAttempts(db, where: "state = 'in_doubt'", [], limit: 50)
            s.recentDead = try fetchAttempts(db, where: "state = 'dead'", [], order: "updated_at DESC, id", limit: 10)
            return s
        }
    }

    /// How many attempts are in each state (the states none is in left out): the final ones
    /// from `attempt_counts` (`FinalStateTally`), the others through the partial indexes that
    /// hold them, so the count does not read every attempt. Each query repeats its index's
    /// condition, the form in which SQLite sees the index can serve it.
    func attemptCounts(_ db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: Self.attemptCountsSQL) { counts[row[0], default: 0] += row[1] as Int }
        return counts
    }

    static let attemptCountsSQL = """
        SELECT state, n FROM attempt_counts WHERE n > 0
        UNION ALL SELECT state, count(*) FROM attempts WHERE \(toSendCondition) GROUP BY state
        UNION ALL SELECT state, count(*) FROM attempts WHERE \(unsettledCondition) GROUP BY state
        """

    /// Every attempt and event of a debt, or of a customer when `id` names one, oldest first.
    /// `time` writes the instants in the summaries (a retry's `next=`, a hold's `until=`).
    public func history(id: String, time: (Date) -> String) throws(StoreError) -> [HistoryEntry] {
        try read("history \(id)") { db in
            let isDebt = try Bool.fetchOne(db, sql: "SELECT 1 FROM debts WHERE id = ?", arguments: [id]) ?? false
            let isCustomer = try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [id]) ?? false
            guard isDebt || isCustomer else { throw StoreError(.notFound, "history", "no debt or customer '\(id)'") }
            let attempts = isDebt
                ? try fetchAttempts(db, where: """
                    seq IN (SELECT attempt FROM attempt_items WHERE debt_id = ?
                            UNION ALL SELECT r.seq FROM released_items x JOIN attempts r ON r.id = x.attempt_id WHERE x.debt_id = ?)
                    """, [id, id], limit: 10_000)
                : try fetchAttempts(db, where: "customer_id = ?", [id], limit: 10_000)
            var entries = attempts.map { HistoryEntry.attempt($0, time: time) }
            let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE \(isDebt ? "debt_id" : "customer_id") = ? ORDER BY at, id", arguments: [id])
            entries += events.map { e in
                HistoryEntry(at: Date(timeIntervalSince1970: e["at"]), customerID: e["customer_id"] ?? "",
                             debtIDs: (e["debt_id"] as String?).map { [$0] } ?? [], kind: e["kind"], summary: e["detail"])
            }
            entries += try Row.fetchAll(db, sql: """
                SELECT id, customer_id, hold_reason, hold_until, held_at FROM debts
                WHERE hold_reason IS NOT NULL AND \(isDebt ? "id" : "customer_id") = ?
                """, arguments: [id]).map { r in
                HistoryEntry.waiting(debtID: r["id"], customerID: r["customer_id"], heldAt: Date(timeIntervalSince1970: r["held_at"]),
                                     reason: r["hold_reason"] as String? ?? "", until: (r["hold_until"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                     time: time)
            }
            return entries.sorted { $0.at < $1.at }
        }
    }
}
