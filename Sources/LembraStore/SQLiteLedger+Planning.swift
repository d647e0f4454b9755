import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// The customers with at least one debt whose next check is due, with everything the planner
    /// needs. Reads through the `next_check_at` index: cost follows the work due, not the table size.
    public func dueCases(now: Date, limit: Int) throws(StoreError) -> [CustomerCase] {
        try cases(customerIDs: try dueCustomerIDs(now: now, limit: limit), now: now)
    }

    /// The ids of the customers with a debt whose next check is due, so a tick can load and plan
    /// them a chunk at a time and start sending the first chunk's reminders while it plans the next.
    public func dueCustomerIDs(now: Date, limit: Int) throws(StoreError) -> [String] {
        try read("load due debts") { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT customer_id FROM debts WHERE next_check_at IS NOT NULL AND next_check_at <= ? LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit])
        }
    }

    /// The planner's view of the given customers, in the given order (unknown ids are left out).
    public func cases(customerIDs: [String], now: Date) throws(StoreError) -> [CustomerCase] {
        try read("load due debts") { db in try cases(db, customerIDs: customerIDs, now: now) }
    }

    /// The planner's view of the given customers (as `cases(customerIDs:now:)`) and the controls
    /// version, read in one transaction: the tick plans from it and claims only if no control
    /// committed since (`claim(_:saving:now:ifControlsAt:)`). One more indexed read per chunk.
    public func planningSnapshot(customerIDs: [String], now: Date) throws(StoreError) -> PlanningSnapshot {
        try read("load due debts") { db in
            PlanningSnapshot(customerIDs: customerIDs, cases: try cases(db, customerIDs: customerIDs, now: now),
                             controlsVersion: try controlsVersion(db))
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
        let most = PlanningQueries.widest
        var result: [CustomerCase] = []
        for start in stride(from: 0, to: customerIDs.count, by: most) {
            result += try loadChunk(db, Array(customerIDs[start..<min(start + most, customerIDs.count)]), now: now)
        }
        return result
    }

    private func loadChunk(_ db: Database, _ ids: [String], now: Date) throws -> [CustomerCase] {
        let (queries, args) = PlanningQueries.padded(ids)
        var cases: [String: CustomerCase] = [:]
        // Cursors, not arrays: each row is decoded where SQLite holds it, without a copy.
        try Row.fetchCursor(db.cachedStatement(sql: queries.customers), arguments: args).forEach { row in
            let c = SQLiteLedger.customer(row)
            let pausedThrough = (row[CustomerColumn.pausedThrough.position] as String?).flatMap(SQLiteLedger.pauseDay)
            cases[c.id] = CustomerCase(customer: c, debts: [], pausedThrough: pausedThrough, optedOut: row[CustomerColumn.optedOut.position],
                                       lastSegment: row[CustomerColumn.segment.position])
        }
        try Row.fetchCursor(db.cachedStatement(sql: queries.debts), arguments: args).forEach { row in
            let d = SQLiteLedger.debt(row)
            if (row[DebtColumn.disputeReason.position] as String?) != nil { cases[d.customerID]?.disputed.insert(d.id) }
            if row[DebtColumn.thanksPending.position] as Bool { cases[d.customerID]?.thanksDue.insert(d.id) }
            cases[d.customerID]?.debts.append(d)
        }
        try Row.fetchCursor(db.cachedStatement(sql: queries.ledgerItems), arguments: args).forEach { row in
            guard let due = CalendarDate(iso: row[2]) else { return }
            cases[row[0]]?.ledger.insert(StepKey(debtID: row[1], dueDate: due, stepID: row[3]))
        }
        try Row.fetchCursor(db.cachedStatement(sql: queries.promises), arguments: args).forEach { row in
            guard let through = CalendarDate(iso: row[2]) else { return }
            cases[row[0]]?.promises[row[1]] = DebtPromise(through: through, stepID: row[3])
        }
        try Row.fetchCursor(db.cachedStatement(sql: queries.recentContacts),
                            arguments: args + [now.timeIntervalSince1970 - 7 * 86_400]).forEach { row in
            cases[row[0]]?.recentContacts.append(Date(timeIntervalSince1970: row[1]))
        }
        return ids.compactMap { cases[$0] }
    }

    /// Stores when each debt is next looked at, why a due reminder waits (if it does), and the
    /// customers' current segments.
    public func saveChecks(_ plans: [CustomerPlan], now: Date) throws(StoreError) {
        try write("save next checks") { db in try saveChecks(db, plans, now: now) }
    }

    func saveChecks(_ db: Database, _ plans: [CustomerPlan], now: Date) throws {
        for plan in plans {
            // Only a changed segment is written: the same one, tick after tick, would rewrite the
            // row. One the case was read with is not even looked up again (a seek by text key per
            // customer, 12% of planning a million debts): only the planner writes a segment, and
            // one planner at a time holds a SQLite ledger (the database lock), so what it read is
            // still there. Compared as bytes, as SQL compares them; the statement's own check
            // covers a plan made without a segment read.
            if !(plan.lastSegment?.utf8.elementsEqual(plan.segment.utf8) ?? false) {
                try db.run("UPDATE customers SET segment = ?1 WHERE id = ?2 AND segment IS NOT ?1", [.text(plan.segment), .text(plan.customerID)])
            }
            for (debt, next) in plan.nextCheck {
                let hold = plan.held.first { $0.key.debtID == debt }
                try db.run("UPDATE debts SET next_check_at = ?, hold_reason = ?, hold_until = ?, held_at = ? WHERE id = ?",
                           [.real(next?.timeIntervalSince1970), .text(hold?.reason.rawValue), .real(hold?.until?.timeIntervalSince1970),
                            .real(hold == nil ? nil : now.timeIntervalSince1970), .text(debt)])
            }
        }
    }

    /// The columns `customer(_:)` and the planner read (`CustomerColumn`).
    static let customerColumns = CustomerColumn.selectList

    /// A customer from a row selected with `customerColumns`.
    static func customer(_ row: Row) -> Customer {
        typealias C = CustomerColumn
        return Customer(id: row[C.id.position], name: row[C.name.position], email: row[C.email.position], phone: row[C.phone.position],
                        document: row[C.document.position], timezone: row[C.timezone.position],
                        locale: (row[C.locale.position] as String?).flatMap(MessageLocale.init(tag:)))
    }

    /// The columns `debt(_:)` and the planner read (`DebtColumn`).
    static let debtColumns = DebtColumn.selectList

    /// A debt as the planner sees it, from a row selected with `debtColumns`: `amount` is what is
    /// still owed while open, the original once paid.
    static func debt(_ row: Row) -> Debt {
        typealias D = DebtColumn
        let amount: Int64 = row[D.amountCents.position], paid: Int64 = row[D.paidCents.position]
        let paidAt = (row[D.paidAt.position] as Double?).map(Date.init(timeIntervalSince1970:))
        return Debt(id: row[D.id.position], customerID: row[D.customerID.position],
                    amount: Money(cents: paidAt == nil ? max(amount - paid, 0) : amount),
                    dueDate: CalendarDate(iso: row[D.dueDate.position]) ?? CalendarDate(dayNumber: 0), description: row[D.description.position],
                    currency: row[D.currency.position], paymentURL: row[D.paymentURL.position], paidAt: paidAt,
                    recordedAt: Date(timeIntervalSince1970: row[D.createdAt.position]))
    }

    static func pauseDay(_ text: String) -> CalendarDate? { text == "forever" ? .endOfTime : CalendarDate(iso: text) }
}

extension SQLiteLedger {
    /// SQLite's plan for the due-debts query, so a test can prove it reads the index.
    public func explainDueQuery() throws(StoreError) -> String {
        try read("explain") { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT DISTINCT customer_id FROM debts WHERE next_check_at IS NOT NULL AND next_check_at <= 0 LIMIT 10")
                .map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
        }
    }
}
