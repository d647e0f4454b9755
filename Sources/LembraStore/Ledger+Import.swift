import Foundation
import GRDB
import LembraCore

extension Ledger {
    /// Inserts or updates customers by id, in one transaction.
    public func importCustomers(_ rows: [Numbered<Customer>], now: Date) throws(StoreError) -> ImportSummary {
        try write("import customers") { db in
            var summary = ImportSummary()
            let t = now.timeIntervalSince1970
            for row in rows {
                let c = row.value
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [c.id]) ?? false
                try db.execute(sql: """
                    INSERT INTO customers (id, name, email, phone, document, timezone, locale, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
                      document = excluded.document, timezone = excluded.timezone, locale = excluded.locale, updated_at = excluded.updated_at
                    """, arguments: [c.id, c.name, c.email, c.phone, c.document, c.timezone, c.locale?.rawValue, t, t])
                if exists { summary.updated += 1 } else { summary.inserted += 1 }
                // Contact data may have changed: let the planner look again.
                try db.execute(sql: "UPDATE debts SET next_check_at = ? WHERE customer_id = ? AND paid_at IS NULL", arguments: [t, c.id])
            }
            return summary
        }
    }

    /// Inserts or updates debts by id, in one transaction. A debt imported already paid is history
    /// (no thank-you); an open debt that the import marks paid gets its thank-you, once.
    public func importDebts(_ rows: [Numbered<Debt>], now: Date) throws(StoreError) -> ImportSummary {
        try write("import debts") { db in
            let missing = try rows.filter { try !customerExists(db, $0.value.customerID) }
            if !missing.isEmpty {
                throw CSVImportError(missing.map { CSVError(row: $0.row, column: "customer_id", "no customer '\($0.value.customerID)'; import customers first") })
            }
            var summary = ImportSummary()
            for row in rows { try upsertDebt(db, row.value, now: now, summary: &summary) }
            return summary
        }
    }

    private func customerExists(_ db: Database, _ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [id]) ?? false
    }

    private func upsertDebt(_ db: Database, _ d: Debt, now: Date, summary: inout ImportSummary) throws {
        let t = now.timeIntervalSince1970
        let existing = try Row.fetchOne(db, sql: "SELECT paid_at FROM debts WHERE id = ?", arguments: [d.id])
        guard let existing else {
            try db.execute(sql: """
                INSERT INTO debts (id, customer_id, amount_cents, paid_cents, due_date, description, currency, payment_url, paid_at, next_check_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [d.id, d.customerID, d.amount.cents, d.paidAt == nil ? 0 : d.amount.cents, d.dueDate.iso, d.description,
                                 d.currency, d.paymentURL, d.paidAt?.timeIntervalSince1970, d.paidAt == nil ? t : nil, t, t])
            summary.inserted += 1
            return
        }
        try db.execute(sql: """
            UPDATE debts SET customer_id = ?, amount_cents = ?, due_date = ?, description = ?, currency = ?, payment_url = ?,
              next_check_at = CASE WHEN paid_at IS NULL THEN ? ELSE next_check_at END, updated_at = ?
            WHERE id = ?
            """, arguments: [d.customerID, d.amount.cents, d.dueDate.iso, d.description, d.currency, d.paymentURL, t, t, d.id])
        summary.updated += 1
        let wasOpen = (existing["paid_at"] as Double?) == nil
        if wasOpen, let paidAt = d.paidAt {
            let owed = try Int64.fetchOne(db, sql: "SELECT amount_cents - paid_cents FROM debts WHERE id = ?", arguments: [d.id]) ?? 0
            if try recordPayment(db, Payment(debtID: d.id, amount: Money(cents: max(owed, 1)), paidAt: paidAt), source: "import", now: now) {
                summary.newlyPaid += 1
            }
        }
    }

    /// Records payments, in one transaction. A payment identical to one already recorded (same
    /// debt, amount and time) is ignored, so importing the same file twice changes nothing.
    public func importPayments(_ rows: [Numbered<Payment>], now: Date) throws(StoreError) -> ImportSummary {
        try write("import payments") { db in
            let unknown = try rows.filter { try !(Bool.fetchOne(db, sql: "SELECT 1 FROM debts WHERE id = ?", arguments: [$0.value.debtID]) ?? false) }
            if !unknown.isEmpty {
                throw CSVImportError(unknown.map { CSVError(row: $0.row, column: "debt_id", "no debt '\($0.value.debtID)'; import debts first") })
            }
            var summary = ImportSummary()
            for row in rows {
                let p = row.value
                let seen = try Bool.fetchOne(db, sql: "SELECT 1 FROM payments WHERE debt_id = ? AND amount_cents = ? AND paid_at = ?",
                                             arguments: [p.debtID, p.amount.cents, p.paidAt.timeIntervalSince1970]) ?? false
                if seen { summary.unchanged += 1; continue }
                summary.inserted += 1
                if try recordPayment(db, p, source: "import", now: now) { summary.newlyPaid += 1 }
            }
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
