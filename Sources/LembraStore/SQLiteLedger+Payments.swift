import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// Records a payment for `debtID` (the whole balance when `amount` is nil) and returns true
    /// when the debt is now paid. Paying a paid debt is refused: it would be money taken twice.
    @discardableResult
    public func pay(debtID: String, amount: Money?, at: Date, now: Date) throws(StoreError) -> Bool {
        try write("pay \(debtID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT amount_cents - paid_cents AS owed, paid_at FROM debts WHERE id = ?", arguments: [debtID]) else {
                throw StoreError(.notFound, "pay", "no debt '\(debtID)'")
            }
            guard (row["paid_at"] as Double?) == nil else { throw StoreError(.invalid, "pay", "debt '\(debtID)' is already paid") }
            let owed: Int64 = row["owed"]
            return try recordPayment(db, Payment(debtID: debtID, amount: amount ?? Money(cents: owed), paidAt: at), source: "pay", now: now)
        }
    }

    /// What is still owed on an open debt, and its currency; nil when there is no such open debt.
    /// `pay` uses it to point out a payment larger than the balance (fees and interest make that
    /// legitimate, a typo makes it a mistake, so it is said, not refused).
    public func balance(of debtID: String) throws(StoreError) -> (owed: Money, currency: String)? {
        try read("balance of \(debtID)") { db in
            try Row.fetchOne(db, sql: "SELECT amount_cents - paid_cents, currency FROM debts WHERE id = ? AND paid_at IS NULL",
                             arguments: [debtID]).map { (Money(cents: $0[0]), $0[1] ?? "BRL") }
        }
    }

    /// Adds the payment; when the debt's balance reaches zero, settles it (`settleIfPaidUp`).
    ///
    /// A partial payment stops nothing, but it lowers what a reminder asks for: it raises the
    /// controls version too, so a tick that read the old balance re-plans rather than claim a
    /// reminder for more than is owed (see `bumpControlsVersion`). It also lowers the customer's
    /// `overdue_total`, which may change the segment: the customer is planned again at once.
    func recordPayment(_ db: Database, _ p: Payment, source: String, now: Date) throws -> Bool {
        let t = now.timeIntervalSince1970
        try bumpControlsVersion(db)
        try db.execute(sql: "INSERT INTO payments (debt_id, amount_cents, paid_at, source, recorded_at, reference) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [p.debtID, p.amount.cents, p.paidAt.timeIntervalSince1970, source, t, p.reference])
        try db.execute(sql: "UPDATE debts SET paid_cents = paid_cents + ?, updated_at = ? WHERE id = ?", arguments: [p.amount.cents, t, p.debtID])
        let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM debts WHERE id = ?", arguments: [p.debtID])!
        try lookAgain(db, customerID: customer, now: now)
        try addEvent(db, at: now, customer: customer, debt: p.debtID, kind: "payment", detail: "amount_cents=\(p.amount.cents) source=\(source)")
        return try settleIfPaidUp(db, p.debtID, paidAt: p.paidAt, now: now)
    }

    /// When what was paid covers an open debt (a payment, or an import that lowered its amount),
    /// marks it paid at `paidAt`, queues the thank-you and cancels every reminder of it not yet
    /// sent: the one way an open debt becomes paid, so no path can leave a paid-up debt chased.
    /// Returns whether it settled the debt now.
    func settleIfPaidUp(_ db: Database, _ debtID: String, paidAt: Date, now: Date) throws -> Bool {
        let t = now.timeIntervalSince1970
        let row = try Row.fetchOne(db, sql: "SELECT amount_cents - paid_cents AS owed, paid_at FROM debts WHERE id = ?", arguments: [debtID])!
        guard (row["owed"] as Int64) <= 0, (row["paid_at"] as Double?) == nil else { return false }
        try db.execute(sql: "UPDATE debts SET paid_at = ?, thanks_pending = 1, next_check_at = ?, hold_reason = NULL WHERE id = ?",
                       arguments: [paidAt.timeIntervalSince1970, t, debtID])
        try cancelPending(db, scope: SQLiteLedger.messagesAskingForDebt, [debtID],
                          reason: .paid, now: now)
        return true
    }

    func addEvent(_ db: Database, at: Date, customer: String?, debt: String?, kind: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO events (at, customer_id, debt_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [at.timeIntervalSince1970, customer, debt, kind, detail])
    }
}
