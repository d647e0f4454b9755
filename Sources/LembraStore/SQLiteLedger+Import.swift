import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// Inserts or updates customers by id, in one transaction. `columns` are the file's columns:
    /// an optional one the file leaves out keeps its stored value (a file with `id,name,phone`
    /// must not erase the e-mail addresses), while an empty cell in a column the file has clears
    /// it. Every customer must end up with an e-mail or a phone, stored or imported.
    public func importCustomers(_ rows: [Numbered<Customer>], columns: Set<String>,
                                now: Date) throws(StoreError) -> ImportSummary {
        let updates = ["name"] + ["email", "phone", "document", "timezone", "locale"].filter(columns.contains)
        let upsert = """
            INSERT INTO customers (id, name, email, phone, document, timezone, locale, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET \(updates.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")), updated_at = excluded.updated_at
            """
        return try write("import customers") { db in
            var summary = ImportSummary()
            var unreachable: [CSVError] = []
            let t = now.timeIntervalSince1970
            for row in rows {
                let c = row.value
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [c.id]) ?? false
                try db.execute(sql: upsert, arguments: [c.id, c.name, c.email, c.phone, c.document, c.timezone, c.locale?.rawValue, t, t])
                if exists { summary.updated += 1 } else { summary.inserted += 1 }
                if try Bool.fetchOne(db, sql: "SELECT email IS NULL AND phone IS NULL FROM customers WHERE id = ?", arguments: [c.id]) ?? false {
                    unreachable.append(CSVError(row: row.row, column: "email", "needs an email or a phone (the customer would be left with neither)"))
                }
                // Contact data may have changed: let the planner look again.
                try db.execute(sql: "UPDATE debts SET next_check_at = ? WHERE customer_id = ? AND paid_at IS NULL", arguments: [t, c.id])
            }
            if !unreachable.isEmpty { throw CSVImportError(unreachable) }
            return summary
        }
    }

    /// Inserts or updates debts by id, in one transaction. A debt imported already paid is history
    /// (no thank-you); an open debt that the import marks paid gets its thank-you, once.
    /// As for customers, an optional column the file leaves out (`description`, `currency`,
    /// `payment_url`) keeps its stored value and an empty cell clears it (`currency` back to BRL).
    /// `paid_at` only ever marks an open debt paid.
    public func importDebts(_ rows: [Numbered<Debt>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary {
        let updates = ["customer_id", "amount_cents", "due_date"] + ["description", "currency", "payment_url"].filter(columns.contains)
        return try write("import debts") { db in
            let missing = try rows.filter { try !customerExists(db, $0.value.customerID) }
            if !missing.isEmpty {
                throw CSVImportError(missing.map { CSVError(row: $0.row, column: "customer_id", "no customer '\($0.value.customerID)'; import customers first") })
            }
            var summary = ImportSummary()
            var customers: Set<String> = []
            for row in rows { customers.formUnion(try upsertDebt(db, row.value, updating: updates, now: now, summary: &summary)) }
            // A new, changed or moved debt changes its customers' segment metrics (a paid one
            // from the history, too): every open debt of theirs is planned again.
            for customer in customers.sorted() { try lookAgain(db, customerID: customer, now: now) }
            return summary
        }
    }

    private func customerExists(_ db: Database, _ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [id]) ?? false
    }

    /// `updating`: the columns an existing debt takes from the row. Returns the customers whose
    /// debts it changed (the row's, and the one the debt was moved from).
    private func upsertDebt(_ db: Database, _ d: Debt, updating: [String], now: Date, summary: inout ImportSummary) throws -> [String] {
        let t = now.timeIntervalSince1970
        let existing = try Row.fetchOne(db, sql: "SELECT paid_at, amount_cents, due_date, customer_id FROM debts WHERE id = ?", arguments: [d.id])
        guard let existing else {
            try db.execute(sql: """
                INSERT INTO debts (id, customer_id, amount_cents, paid_cents, due_date, description, currency, payment_url, paid_at, next_check_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [d.id, d.customerID, d.amount.cents, d.paidAt == nil ? 0 : d.amount.cents, d.dueDate.iso, d.description,
                                 d.currency, d.paymentURL, d.paidAt?.timeIntervalSince1970, d.paidAt == nil ? t : nil, t, t])
            summary.inserted += 1
            return [d.customerID]
        }
        let values: [String: (any DatabaseValueConvertible)?] = [
            "customer_id": d.customerID, "amount_cents": d.amount.cents, "due_date": d.dueDate.iso,
            "description": d.description, "currency": d.currency, "payment_url": d.paymentURL,
        ]
        try db.execute(sql: """
            UPDATE debts SET \(updating.map { "\($0) = ?" }.joined(separator: ", ")),
              next_check_at = CASE WHEN paid_at IS NULL THEN ? ELSE next_check_at END, updated_at = ?
            WHERE id = ?
            """, arguments: StatementArguments(updating.map { values[$0] ?? nil } + [t, t, d.id]))
        summary.updated += 1
        let customers = Array(Set([d.customerID, existing["customer_id"] as String]))
        guard (existing["paid_at"] as Double?) == nil else { return customers }
        let row = try Row.fetchOne(db, sql: "SELECT amount_cents - paid_cents AS owed, paid_cents FROM debts WHERE id = ?", arguments: [d.id])!
        let owed: Int64 = row["owed"]
        if owed <= 0 {
            // Its amount was lowered to what was already paid: it is settled like the payment that
            // paid it up would have settled it (paid then, unless the row says when).
            let lastPayment = try Double.fetchOne(db, sql: "SELECT max(paid_at) FROM payments WHERE debt_id = ?", arguments: [d.id])
            let paidAt = d.paidAt ?? lastPayment.map(Date.init(timeIntervalSince1970:)) ?? now
            try addEvent(db, at: now, customer: d.customerID, debt: d.id, kind: "settled",
                         detail: "amount_cents=\(d.amount.cents) paid_cents=\(row["paid_cents"] as Int64) source=import")
            if try settleIfPaidUp(db, d.id, paidAt: paidAt, now: now) { summary.newlyPaid += 1 }
        } else if let paidAt = d.paidAt {
            if try recordPayment(db, Payment(debtID: d.id, amount: Money(cents: owed), paidAt: paidAt), source: "import", now: now) {
                summary.newlyPaid += 1
            }
        } else {
            try renegotiate(db, d, was: existing, now: now)
        }
        return customers
    }

    /// An open debt whose amount or due date the import changed (a renegotiation): its reminders
    /// claimed but not sent yet (a retry, a claim a crash left) state the old terms, and their
    /// payment link signs the old amount and due date, so it would no longer verify. They are
    /// cancelled (`renegotiated`, in `history`), and their steps are given back unless a try may
    /// have arrived (see `cancelPending`, which also raises the controls version, so a tick that
    /// read the old terms plans again): the planner sends the new terms, freshly rendered. A new
    /// due date starts a new ladder anyway (the ledger keys on it).
    private func renegotiate(_ db: Database, _ d: Debt, was old: Row, now: Date) throws {
        let oldCents: Int64 = old["amount_cents"], oldDue: String = old["due_date"]
        guard oldCents != d.amount.cents || oldDue != d.dueDate.iso else { return }
        try addEvent(db, at: now, customer: d.customerID, debt: d.id, kind: "renegotiated",
                     detail: "amount_cents=\(d.amount.cents) due_date=\(d.dueDate.iso) was_amount_cents=\(oldCents) was_due_date=\(oldDue)")
        try cancelPending(db, scope: SQLiteLedger.messagesAskingForDebt, [d.id],
                          reason: .renegotiated, now: now)
    }

    /// Records payments, in one transaction, each once however often its file is imported:
    /// - a row with a `reference` (the bank's or Pix's transaction id) is recorded unless that
    ///   debt already has a payment with that reference; the same reference with another amount
    ///   is refused, since it would mean one of the two files is wrong;
    /// - a row without one is told apart only by (debt, amount, paid_at): the n-th such row of a
    ///   file is recorded unless n payments like it are recorded already.
    ///   So two equal rows in one file are two payments, and the same file twice is still once.
    /// A file that gains the `reference` column re-lists payments recorded before without one
    /// (by an older file or by `pay`): a referenced row whose reference is new first takes a
    /// recorded payment like it that has no reference, and gives it its reference, so it is not
    /// counted twice and later files with the reference still find it. Likewise a row without a
    /// reference may be a payment recorded with one, once no payment without one is left.
    /// Each recorded payment stands for at most one row of a file, taken in `id` order (the
    /// n-th such row the n-th such payment); rows naming a recorded reference are matched first,
    /// so that no other row of the file takes their payment whatever the order of the rows.
    public func importPayments(_ rows: [Numbered<Payment>], now: Date) throws(StoreError) -> ImportSummary {
        try write("import payments") { db in
            let unknown = try rows.filter { try !(Bool.fetchOne(db, sql: "SELECT 1 FROM debts WHERE id = ?", arguments: [$0.value.debtID]) ?? false) }
            if !unknown.isEmpty {
                throw CSVImportError(unknown.map { CSVError(row: $0.row, column: "debt_id", "no debt '\($0.value.debtID)'; import debts first") })
            }
            var summary = ImportSummary()
            var conflicts: [CSVError] = []
            var taken: Set<Int64> = []   // payments that rows of this file already stand for
            /// True when the row's reference is recorded (the row is that payment, or a conflict).
            func knownReference(_ row: Numbered<Payment>) throws -> Bool {
                let p = row.value
                guard let reference = p.reference, let stored = try Row.fetchOne(db, sql: """
                    SELECT id, amount_cents FROM payments WHERE debt_id = ? AND reference = ?
                    """, arguments: [p.debtID, reference]) else { return false }
                let cents: Int64 = stored["amount_cents"]
                if cents != p.amount.cents {
                    conflicts.append(CSVError(row: row.row, column: "reference", "already recorded for debt '\(p.debtID)' "
                        + "with amount \(Money(cents: cents).decimalString), not \(p.amount.decimalString); a reference names one payment"))
                }
                taken.insert(stored["id"])
                summary.unchanged += 1
                return true
            }
            /// The first recorded payment like `p`, with or without a reference, that no row took.
            func untaken(like p: Payment, referenced: Bool) throws -> Int64? {
                try Int64.fetchAll(db, sql: """
                    SELECT id FROM payments WHERE debt_id = ? AND amount_cents = ? AND paid_at = ? AND reference IS \(referenced ? "NOT " : "")NULL
                    ORDER BY id
                    """, arguments: [p.debtID, p.amount.cents, p.paidAt.timeIntervalSince1970]).first { !taken.contains($0) }
            }
            let rest = try rows.filter { try !knownReference($0) }
            for row in rest {
                let p = row.value
                // Asked again: an earlier row of this file may have recorded the same reference.
                if try knownReference(row) { continue }
                if let id = try untaken(like: p, referenced: false) {
                    taken.insert(id)
                    if let reference = p.reference {
                        try db.execute(sql: "UPDATE payments SET reference = ? WHERE id = ?", arguments: [reference, id])
                        let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM debts WHERE id = ?", arguments: [p.debtID])
                        try addEvent(db, at: now, customer: customer, debt: p.debtID, kind: "payment_reference",
                                     detail: "amount_cents=\(p.amount.cents) source=import")
                        summary.updated += 1
                    } else {
                        summary.unchanged += 1
                    }
                    continue
                }
                if p.reference == nil, let id = try untaken(like: p, referenced: true) {
                    taken.insert(id)
                    summary.unchanged += 1
                    continue
                }
                summary.inserted += 1
                if try recordPayment(db, p, source: "import", now: now) { summary.newlyPaid += 1 }
                // The new payment is this row's: the highest id (SQLite gives a new row max + 1),
                // not `lastInsertedRowID`, which the event written after it has moved on.
                if let id = try Int64.fetchOne(db, sql: "SELECT max(id) FROM payments WHERE debt_id = ?", arguments: [p.debtID]) {
                    taken.insert(id)
                }
            }
            if !conflicts.isEmpty { throw CSVImportError(conflicts.sorted { $0.row < $1.row }) }
            return summary
        }
    }

    /// Whether a file with this SHA-256 was imported before (the inbox imports each content once).
    public func wasImported(sha256: String) throws(StoreError) -> Bool {
        try read("check import") { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM imports WHERE sha256 = ?", arguments: [sha256]) ?? false }
    }

    public func markImported(sha256: String, kind: String, name: String, now: Date) throws(StoreError) {
        try write("record import") { db in
            try db.execute(sql: "INSERT OR IGNORE INTO imports (sha256, kind, name, rows, imported_at) VALUES (?, ?, ?, 0, ?)",
                           arguments: [sha256, kind, name, now.timeIntervalSince1970])
        }
    }
}
