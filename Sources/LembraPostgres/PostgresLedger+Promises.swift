import Foundation
import LembraCore
import LembraStore

/// Payment promises from the ingress's promise page, as `SQLiteLedger+Promises`.
extension PostgresLedger {
    /// The open debt `debtID` with due date `dueDate` (the link's), or nil when it is paid,
    /// unknown or renegotiated since the link was made.
    public func promiseSubject(debtID: String, dueDate: CalendarDate, stepID: String) throws(StoreError) -> PromiseSubject? {
        try readSnapshot("promise subject") { c throws(PostgresError) -> PromiseSubject? in
            guard let row = try c.query("SELECT \(Self.debtColumns) FROM debts WHERE id = $1 AND due_date = $2 AND paid_at IS NULL",
                                        [debtID, dueDate.iso], operation: "promise subject").first else { return nil }
            let debt = Self.debt(row)
            let customer = try c.query("SELECT locale, timezone FROM customers WHERE id = $1", [debt.customerID], operation: "promise subject").first
            let used = try !c.query("SELECT 1 FROM promises WHERE debt_id = $1 AND due_date = $2 AND step_id = $3",
                                    [debtID, dueDate.iso, stepID], operation: "promise subject").isEmpty
            return PromiseSubject(debt: debt, locale: customer?["locale"].flatMap(MessageLocale.init(tag:)),
                                  timezone: customer?["timezone"], alreadyUsed: used)
        }
    }

    /// Records that the customer promised to pay `debtID` through `through`, from the link of
    /// step `stepID`, in one transaction: the promise (once per step), a `promised` event (ids
    /// and the date only), the messages asking for the debt claimed but not yet sent cancelled,
    /// and the debt planned again at the next tick (the hold and the confirmation).
    public func promise(debtID: String, dueDate: CalendarDate, stepID: String, through: CalendarDate,
                        now: Date) throws(StoreError) -> PromiseOutcome {
        try transaction("promise \(debtID)") { c throws(PostgresError) -> PromiseOutcome in
            let operation = "promise \(debtID)"
            guard let debt = try lockDebt(c, debtID), debt["due_date"] == dueDate.iso, debt["paid_at"] == nil,
                  let customer = debt["customer_id"] else { return .notOpen }
            let t = PostgresValue.time(now)
            guard try !c.query("""
                INSERT INTO promises (debt_id, due_date, step_id, promised_through, created_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING RETURNING debt_id
                """, [debtID, dueDate.iso, stepID, through.iso, t], operation: operation).isEmpty else { return .alreadyUsed }
            try c.query("UPDATE debts SET next_check_at = $1, updated_at = $1 WHERE id = $2", [t, debtID], operation: operation)
            try addEvent(c, at: now, customer: customer, debt: debtID, kind: "promised", detail: "through=\(through.iso) step=\(stepID)")
            try cancelPending(c, .messagesAskingForDebt(debtID), reason: .promised, now: now)
            return .recorded
        }
    }
}
