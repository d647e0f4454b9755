import Foundation
import LembraCore
import LembraStore

// Imports, each file in one transaction: the ports of `SQLiteLedger+Import`, whose doc comments
// give the rules (columns a file leaves out keep their values, a paid import is history, a
// renegotiation cancels what states the old terms, a payment is recorded once however often its
// file is imported). The same row errors, the same summary.
extension PostgresLedger: LedgerImports {
    public func importCustomers(_ rows: [Numbered<Customer>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary {
        let updates = ["name"] + ["email", "phone", "document", "timezone", "locale"].filter(columns.contains)
        // `xmax = 0` only on a row this statement inserted (an updated one carries its updater's id).
        let upsert = """
            INSERT INTO customers (id, name, email, phone, document, timezone, locale, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
            ON CONFLICT (id) DO UPDATE SET \(updates.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")), updated_at = excluded.updated_at
            RETURNING (xmax = 0) AS inserted, (email IS NULL AND phone IS NULL) AS unreachable
            """
        return try transaction("import customers") { c in
            try lockCustomers(c, where: "id = ANY($1::text[])", [PostgresValue.array(rows.map(\.value.id))])
            var summary = ImportSummary()
            var unreachable: [CSVError] = []
            let t = PostgresValue.time(now)
            for row in rows {
                let cu = row.value
                let result = try c.query(upsert, [cu.id, cu.name, cu.email, cu.phone, cu.document, cu.timezone, cu.locale?.rawValue, t],
                                         operation: "import customers")
                if result.first?.bool("inserted") == true { summary.inserted += 1 } else { summary.updated += 1 }
                if result.first?.bool("unreachable") == true {
                    unreachable.append(CSVError(row: row.row, column: "email", "needs an email or a phone (the customer would be left with neither)"))
                }
                // Contact data may have changed: let the planner look again.
                try c.query("UPDATE debts SET next_check_at = $1 WHERE customer_id = $2 AND paid_at IS NULL", [t, cu.id], operation: "import customers")
            }
            if !unreachable.isEmpty { throw Self.badRows("import customers", unreachable) }
            return summary
        }
    }

    /// Two imports adding the same new debt id at the same moment (two daemons' inboxes, a
    /// command beside a daemon) end as on SQLite, where one runs after the other: the second's
    /// insert waits for the first's commit and finds the id taken, and the file is imported
    /// again from the start. Run again, it sees the first's row: it locks that debt's customer
    /// with the others, in id order, and updates the debt (moving it, if the row names another
    /// customer). Each run is all or nothing. A file that loses `importRuns` runs in a row to
    /// other imports waits (`.busy`: the inbox's next pass, or the command's exit 75).
    public func importDebts(_ rows: [Numbered<Debt>], columns: Set<String>, now: Date) throws(StoreError) -> ImportSummary {
        let updates = ["customer_id", "amount_cents", "due_date"] + ["description", "currency", "payment_url"].filter(columns.contains)
        var run = 1
        while true {
            var raced = false
            do {
                return try transaction("import debts") { c in
                    try requireAll(c, rows, \.customerID, in: "customers", column: "customer_id", operation: "import debts") {
                        "no customer '\($0)'; import customers first"
                    }
                    try lockCustomers(c, where: "id = ANY($1::text[]) OR " + Self.customersOfDebts("$2"),
                                      [PostgresValue.array(rows.map(\.value.customerID)), PostgresValue.array(rows.map(\.value.id))])
                    var summary = ImportSummary()
                    var customers: Set<String> = []
                    for row in rows {
                        guard let touched = try upsertDebt(c, row.value, updating: updates, now: now, summary: &summary) else {
                            raced = true
                            throw StoreError(.busy, "import debts", "debt '\(row.value.id)' was added by another import at the same moment, "
                                             + "\(Self.importRuns) times in a row; nothing imported, the file can be imported again")
                        }
                        customers.formUnion(touched)
                    }
                    // A new, changed or moved debt changes its customers' segment metrics: every open debt of theirs is planned again.
                    for customer in customers.sorted() { try lookAgain(c, customerID: customer, now: now) }
                    return summary
                }
            } catch where raced && run < Self.importRuns {
                run += 1
            }
        }
    }

    /// Runs of one debts file before it waits for a quieter moment: each lost run means another
    /// import committed one of its new debts meanwhile, which the next run sees.
    static let importRuns = 3

    /// `updating`: the columns an existing debt takes from the row. Returns the customers whose
    /// debts it changed (the row's, and the one the debt was moved from), or nil when the debt
    /// was new to this import but another import added it meanwhile (`importDebts`).
    private func upsertDebt(_ c: PostgresConnection, _ d: Debt, updating: [String], now: Date,
                            summary: inout ImportSummary) throws(PostgresError) -> [String]? {
        let t = PostgresValue.time(now)
        let existing = try c.query("SELECT paid_at, amount_cents, due_date, customer_id FROM debts WHERE id = $1 FOR UPDATE", [d.id],
                                   operation: "import debts").first
        guard let existing else {
            // `ON CONFLICT DO NOTHING`: another import's uncommitted insert of this id is waited
            // for; if it commits, nothing is inserted here, and the caller runs the import again.
            let inserted = try c.query("""
                INSERT INTO debts (id, customer_id, amount_cents, paid_cents, due_date, description, currency, payment_url, paid_at,
                                   next_check_at, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, [d.id, d.customerID, String(d.amount.cents), String(d.paidAt == nil ? 0 : d.amount.cents), d.dueDate.iso, d.description,
                      d.currency, d.paymentURL, PostgresValue.time(d.paidAt), d.paidAt == nil ? t : nil, t], operation: "import debts")
            guard !inserted.isEmpty else { return nil }
            summary.inserted += 1
            return [d.customerID]
        }
        let values: [String: String?] = [
            "customer_id": d.customerID, "amount_cents": String(d.amount.cents), "due_date": d.dueDate.iso,
            "description": d.description, "currency": d.currency, "payment_url": d.paymentURL,
        ]
        let sets = updating.enumerated().map { "\($1) = $\($0 + 2)" }.joined(separator: ", ")
        let n = updating.count + 2
        try c.query("""
            UPDATE debts SET \(sets), next_check_at = CASE WHEN paid_at IS NULL THEN $\(n)::double precision ELSE next_check_at END, updated_at = $\(n)
            WHERE id = $1
            """, [d.id] + updating.map { values[$0] ?? nil } + [t], operation: "import debts")
        summary.updated += 1
        let customers = Array(Set([d.customerID, existing.text("customer_id")]))
        guard existing["paid_at"] == nil else { return customers }
        let row = try c.query("SELECT amount_cents - paid_cents AS owed, paid_cents FROM debts WHERE id = $1", [d.id], operation: "import debts")[0]
        let owed = row.int64("owed")
        if owed <= 0 {
            // Its amount was lowered to what was already paid: settled as the payment that paid it
            // up would have settled it (paid then, unless the row says when).
            let lastPayment = try c.query("SELECT max(paid_at) AS at FROM payments WHERE debt_id = $1", [d.id], operation: "import debts").first?.date("at")
            let paidAt = d.paidAt ?? lastPayment ?? now
            try addEvent(c, at: now, customer: d.customerID, debt: d.id, kind: "settled",
                         detail: "amount_cents=\(d.amount.cents) paid_cents=\(row.int64("paid_cents")) source=import")
            if try settleIfPaidUp(c, d.id, paidAt: paidAt, now: now) { summary.newlyPaid += 1 }
        } else if let paidAt = d.paidAt {
            if try recordPayment(c, Payment(debtID: d.id, amount: Money(cents: owed), paidAt: paidAt), source: "import", now: now).settled {
                summary.newlyPaid += 1
            }
        } else {
            try renegotiate(c, d, wasCents: existing.int64("amount_cents"), wasDue: existing.text("due_date"), now: now)
        }
        return customers
    }

    /// An open debt whose amount or due date the import changed: what was claimed but not sent
    /// states the old terms, and is cancelled (`renegotiated`), as `SQLiteLedger.renegotiate`.
    private func renegotiate(_ c: PostgresConnection, _ d: Debt, wasCents: Int64, wasDue: String, now: Date) throws(PostgresError) {
        guard wasCents != d.amount.cents || wasDue != d.dueDate.iso else { return }
        try addEvent(c, at: now, customer: d.customerID, debt: d.id, kind: "renegotiated",
                     detail: "amount_cents=\(d.amount.cents) due_date=\(d.dueDate.iso) was_amount_cents=\(wasCents) was_due_date=\(wasDue)")
        try cancelPending(c, .messagesAskingForDebt(d.id), reason: .renegotiated, now: now)
    }

    /// Records payments, each once however often its file is imported: the rules of
    /// `SQLiteLedger.importPayments`, row for row.
    public func importPayments(_ rows: [Numbered<Payment>], now: Date) throws(StoreError) -> ImportSummary {
        try transaction("import payments") { c in
            try requireAll(c, rows, \.debtID, in: "debts", column: "debt_id", operation: "import payments") { "no debt '\($0)'; import debts first" }
            try lockCustomers(c, where: Self.customersOfDebts("$1"), [PostgresValue.array(rows.map(\.value.debtID))])
            var matcher = PaymentMatcher(connection: c)
            var summary = ImportSummary()
            let rest = try rows.filter { row throws(PostgresError) in try !matcher.knownReference(row, &summary) }
            for row in rest {
                let p = row.value
                // Asked again: an earlier row of this file may have recorded the same reference.
                if try matcher.knownReference(row, &summary) { continue }
                if let id = try matcher.untaken(like: p, referenced: false) {
                    matcher.taken.insert(id)
                    if let reference = p.reference {
                        try c.query("UPDATE payments SET reference = $1 WHERE id = $2", [reference, String(id)], operation: "import payments")
                        let customer = try c.query("SELECT customer_id FROM debts WHERE id = $1", [p.debtID], operation: "import payments").first?["customer_id"]
                        try addEvent(c, at: now, customer: customer, debt: p.debtID, kind: "payment_reference",
                                     detail: "amount_cents=\(p.amount.cents) source=import")
                        summary.updated += 1
                    } else {
                        summary.unchanged += 1
                    }
                    continue
                }
                if p.reference == nil, let id = try matcher.untaken(like: p, referenced: true) {
                    matcher.taken.insert(id)
                    summary.unchanged += 1
                    continue
                }
                summary.inserted += 1
                let recorded = try recordPayment(c, p, source: "import", now: now)
                if recorded.settled { summary.newlyPaid += 1 }
                matcher.taken.insert(recorded.id)
            }
            if !matcher.conflicts.isEmpty { throw Self.badRows("import payments", matcher.conflicts.sorted { $0.row < $1.row }) }
            return summary
        }
    }

    public func wasImported(sha256: String) throws(StoreError) -> Bool {
        try withConnection("check import") { c throws(PostgresError) in
            try !c.query("SELECT 1 FROM imports WHERE sha256 = $1", [sha256], operation: "check import").isEmpty
        }
    }

    public func markImported(sha256: String, kind: String, name: String, now: Date) throws(StoreError) {
        _ = try withConnection("record import") { c throws(PostgresError) in
            try c.query("INSERT INTO imports (sha256, kind, name, rows, imported_at) VALUES ($1, $2, $3, 0, $4) ON CONFLICT (sha256) DO NOTHING",
                        [sha256, kind, name, PostgresValue.time(now)], operation: "record import")
        }
    }

    /// Refuses the file unless every row's reference (`key`) names a row of `table`, naming each
    /// row that does not.
    private func requireAll<T>(_ c: PostgresConnection, _ rows: [Numbered<T>], _ key: KeyPath<T, String>, in table: String, column: String,
                               operation: String, _ message: (String) -> String) throws {
        let ids = rows.map { $0.value[keyPath: key] }
        let known = Set(try c.query("SELECT id FROM \(table) WHERE id = ANY($1::text[])", [PostgresValue.array(ids)], operation: operation)
            .map { $0.text("id") })
        let missing = rows.filter { !known.contains($0.value[keyPath: key]) }
        if !missing.isEmpty {
            throw Self.badRows(operation, missing.map { CSVError(row: $0.row, column: column, message($0.value[keyPath: key])) })
        }
    }

    /// A rejected file: every bad row, nothing imported (as the SQLite ledger says it).
    static func badRows(_ operation: String, _ errors: [CSVError]) -> StoreError {
        StoreError(.invalid, operation, "\(errors.count) bad rows; nothing imported", rowErrors: errors)
    }
}

/// Which recorded payments the rows of one payments file stand for (see
/// `SQLiteLedger.importPayments`): each recorded payment for at most one row.
private struct PaymentMatcher {
    let connection: PostgresConnection
    /// Payments that rows of this file already stand for.
    var taken: Set<Int64> = []
    var conflicts: [CSVError] = []

    init(connection: PostgresConnection) { self.connection = connection }

    /// True when the row's reference is recorded (the row is that payment, or a conflict).
    mutating func knownReference(_ row: Numbered<Payment>, _ summary: inout ImportSummary) throws(PostgresError) -> Bool {
        let p = row.value
        guard let reference = p.reference, let stored = try connection.query("""
            SELECT id, amount_cents FROM payments WHERE debt_id = $1 AND reference = $2
            """, [p.debtID, reference], operation: "import payments").first else { return false }
        let cents = stored.int64("amount_cents")
        if cents != p.amount.cents {
            conflicts.append(CSVError(row: row.row, column: "reference", "already recorded for debt '\(p.debtID)' "
                + "with amount \(Money(cents: cents).decimalString), not \(p.amount.decimalString); a reference names one payment"))
        }
        taken.insert(stored.int64("id"))
        summary.unchanged += 1
        return true
    }

    /// The first recorded payment like `p`, with or without a reference, that no row took.
    func untaken(like p: Payment, referenced: Bool) throws(PostgresError) -> Int64? {
        try connection.query("""
            SELECT id FROM payments WHERE debt_id = $1 AND amount_cents = $2 AND paid_at = $3 AND reference IS \(referenced ? "NOT " : "")NULL
            ORDER BY id
            """, [p.debtID, String(p.amount.cents), PostgresValue.time(p.paidAt)], operation: "import payments")
            .map { $0.int64("id") }.first { !taken.contains($0) }
    }
}
