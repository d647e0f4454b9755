import Foundation
import GRDB
import LembraCore

extension Ledger {
    /// The customers with at least one debt whose next check is due, with everything the planner
    /// needs. Reads through the `next_check_at` index: cost follows the work due, not the table size.
    public func dueCases(now: Date, limit: Int = 10_000) throws(StoreError) -> [CustomerCase] {
        try read("load due debts") { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT DISTINCT customer_id FROM debts WHERE next_check_at IS NOT NULL AND next_check_at <= ? LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit])
            return try cases(db, customerIDs: ids, now: now)
        }
    }

    /// Every customer with an open debt or a pending thank-you (for `preview`).
    public func openCases(now: Date) throws(StoreError) -> [CustomerCase] {
        try read("load open debts") { db in
            let ids = try String.fetchAll(db, sql: "SELECT DISTINCT customer_id FROM debts WHERE paid_at IS NULL OR thanks_pending = 1")
            return try cases(db, customerIDs: ids, now: now)
        }
    }

    func cases(_ db: Database, customerIDs: [String], now: Date) throws -> [CustomerCase] {
        var result: [CustomerCase] = []
        for chunk in stride(from: 0, to: customerIDs.count, by: 500).map({ Array(customerIDs[$0..<min($0 + 500, customerIDs.count)]) }) {
            result += try loadChunk(db, chunk, now: now)
        }
        return result
    }

    private func loadChunk(_ db: Database, _ ids: [String], now: Date) throws -> [CustomerCase] {
        let marks = databaseQuestionMarks(count: ids.count)
        let args = StatementArguments(ids)
        var cases: [String: CustomerCase] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM customers WHERE id IN (\(marks))", arguments: args) {
            let c = Ledger.customer(row)
            cases[c.id] = CustomerCase(customer: c, debts: [], pausedThrough: (row["paused_through"] as String?).flatMap(Ledger.pauseDay),
                                       optedOut: row["opted_out"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM debts WHERE customer_id IN (\(marks))", arguments: args) {
            let d = Ledger.debt(row)
            cases[d.customerID]?.debts.append(d)
            if (row["dispute_reason"] as String?) != nil { cases[d.customerID]?.disputed.insert(d.id) }
            if row["thanks_pending"] as Bool { cases[d.customerID]?.thanksDue.insert(d.id) }
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT d.customer_id, i.debt_id, i.due_date, i.step_id FROM attempt_items i JOIN debts d ON d.id = i.debt_id
            WHERE d.customer_id IN (\(marks))
            """, arguments: args) {
            guard let due = CalendarDate(iso: row["due_date"]) else { continue }
            cases[row["customer_id"]]?.ledger.insert(StepKey(debtID: row["debt_id"], dueDate: due, stepID: row["step_id"]))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT customer_id, created_at FROM attempts
            WHERE customer_id IN (\(marks)) AND handoff = 0 AND kind = 'reminder' AND created_at > ?
              AND state IN ('claimed', 'sending', 'sent', 'retry', 'in_doubt')
            """, arguments: args + [now.timeIntervalSince1970 - 7 * 86_400]) {
            cases[row["customer_id"]]?.recentContacts.append(Date(timeIntervalSince1970: row["created_at"]))
        }
        return ids.compactMap { cases[$0] }
    }

    /// Stores when each debt is next looked at, why a due reminder waits (if it does), and the
    /// customers' current segments.
    public func saveChecks(_ plans: [CustomerPlan], now: Date) throws(StoreError) {
        try write("save next checks") { db in
            for plan in plans {
                try db.cachedStatement(sql: "UPDATE customers SET segment = ? WHERE id = ?").execute(arguments: [plan.segment, plan.customerID])
                for (debt, next) in plan.nextCheck {
                    let hold = plan.held.first { $0.key.debtID == debt }
                    try db.cachedStatement(sql: "UPDATE debts SET next_check_at = ?, hold_reason = ?, hold_until = ?, held_at = ? WHERE id = ?")
                        .execute(arguments: [next?.timeIntervalSince1970, hold?.reason.rawValue, hold?.until?.timeIntervalSince1970,
                                             hold == nil ? nil : now.timeIntervalSince1970, debt])
                }
            }
        }
    }

    static func customer(_ row: Row) -> Customer {
        Customer(id: row["id"], name: row["name"], email: row["email"], phone: row["phone"], document: row["document"],
                 timezone: row["timezone"], locale: (row["locale"] as String?).flatMap(MessageLocale.init(tag:)))
    }

    /// A debt as the planner sees it: `amount` is what is still owed while open, the original once paid.
    static func debt(_ row: Row) -> Debt {
        let amount: Int64 = row["amount_cents"], paid: Int64 = row["paid_cents"]
        let open = (row["paid_at"] as Double?) == nil
        return Debt(id: row["id"], customerID: row["customer_id"], amount: Money(cents: open ? max(amount - paid, 0) : amount),
                    dueDate: CalendarDate(iso: row["due_date"]) ?? CalendarDate(dayNumber: 0), description: row["description"],
                    currency: row["currency"], paymentURL: row["payment_url"],
                    paidAt: (row["paid_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    static func pauseDay(_ text: String) -> CalendarDate? { text == "forever" ? .endOfTime : CalendarDate(iso: text) }
}

extension Ledger {
    /// SQLite's plan for the due-debts query, so a test can prove it reads the index.
    public func explainDueQuery() throws(StoreError) -> String {
        try read("explain") { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT DISTINCT customer_id FROM debts WHERE next_check_at IS NOT NULL AND next_check_at <= 0 LIMIT 10")
                .map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
        }
    }
}
