import Foundation
import LembraCore
import LembraStore

// What every path that records money shares (imports, `pay`, the ingress), in the caller's
// transaction: the ports of `SQLiteLedger.recordPayment`, `settleIfPaidUp`, `lookAgain` and
// `addEvent`, whose doc comments give the rules.
extension PostgresLedger {
    /// Adds the payment and settles the debt when its balance reaches zero; returns whether it
    /// did, and the new payment's id. Raises the debt's customer's controls version first, even
    /// for a partial payment: a plan read before it asks for more than is owed.
    func recordPayment(_ c: PostgresConnection, _ p: Payment, source: String, now: Date) throws(PostgresError) -> (settled: Bool, id: Int64) {
        let t = PostgresValue.time(now)
        guard let customer = try c.query("SELECT customer_id FROM debts WHERE id = $1", [p.debtID], operation: "record payment").first?["customer_id"] else {
            throw PostgresError(operation: "record payment", message: "no debt for the payment", kind: .failed)
        }
        try raiseControlsVersion(c, customerIDs: [customer])
        let id = try c.query("""
            INSERT INTO payments (debt_id, amount_cents, paid_at, source, recorded_at, reference) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, [p.debtID, String(p.amount.cents), PostgresValue.time(p.paidAt), source, t, p.reference], operation: "record payment")
            .first?.int64("id") ?? 0
        try c.query("UPDATE debts SET paid_cents = paid_cents + $1, updated_at = $2 WHERE id = $3", [String(p.amount.cents), t, p.debtID],
                    operation: "record payment")
        try lookAgain(c, customerID: customer, now: now)
        try addEvent(c, at: now, customer: customer, debt: p.debtID, kind: "payment", detail: "amount_cents=\(p.amount.cents) source=\(source)")
        return (try settleIfPaidUp(c, p.debtID, paidAt: p.paidAt, now: now), id)
    }

    /// When what was paid covers an open debt, marks it paid at `paidAt`, queues the thank-you and
    /// cancels every message asking for it not yet sent. Returns whether it settled the debt now.
    func settleIfPaidUp(_ c: PostgresConnection, _ debtID: String, paidAt: Date, now: Date) throws(PostgresError) -> Bool {
        let settled = try c.query("""
            UPDATE debts SET paid_at = $2, thanks_pending = true, next_check_at = $3, hold_reason = NULL
            WHERE id = $1 AND paid_at IS NULL AND amount_cents - paid_cents <= 0 RETURNING id
            """, [debtID, PostgresValue.time(paidAt), PostgresValue.time(now)], operation: "settle debt")
        guard !settled.isEmpty else { return false }
        try cancelPending(c, .messagesAskingForDebt(debtID), reason: .paid, now: now)
        return true
    }

    /// Has the planner look at the customer's open debts and pending thank-yous at the next tick.
    func lookAgain(_ c: PostgresConnection, customerID: String, now: Date) throws(PostgresError) {
        try c.query("UPDATE debts SET next_check_at = $1 WHERE customer_id = $2 AND (paid_at IS NULL OR thanks_pending)",
                    [PostgresValue.time(now), customerID], operation: "plan again")
    }

    func addEvent(_ c: PostgresConnection, at: Date, customer: String?, debt: String?, kind: String, detail: String) throws(PostgresError) {
        try c.query("INSERT INTO events (at, customer_id, debt_id, kind, detail) VALUES ($1, $2, $3, $4, $5)",
                    [PostgresValue.time(at), customer, debt, kind, detail], operation: "add event")
    }
}
