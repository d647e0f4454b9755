import Foundation
import GRDB
import LembraCore

/// Payment promises from the ingress's promise page (see `DebtPromise`).
extension SQLiteLedger {
    /// The open debt `debtID` with due date `dueDate` (the link's), or nil when it is paid,
    /// unknown or renegotiated since the link was made.
    public func promiseSubject(debtID: String, dueDate: CalendarDate, stepID: String) throws(StoreError) -> PromiseSubject? {
        try read("promise subject") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteLedger.debtColumns) FROM debts WHERE id = ? AND due_date = ? AND paid_at IS NULL",
                                             arguments: [debtID, dueDate.iso]) else { return nil }
            let debt = SQLiteLedger.debt(row)
            let customer = try Row.fetchOne(db, sql: "SELECT locale, timezone FROM customers WHERE id = ?", arguments: [debt.customerID])
            let used = try Bool.fetchOne(db, sql: "SELECT 1 FROM promises WHERE debt_id = ? AND due_date = ? AND step_id = ?",
                                         arguments: [debtID, dueDate.iso, stepID]) ?? false
            return PromiseSubject(debt: debt, locale: (customer?[0] as String?).flatMap(MessageLocale.init(tag:)),
                                  timezone: customer?[1], alreadyUsed: used)
        }
    }

    /// Records that the customer promised to pay `debtID` through `through`, from the link of
    /// step `stepID`, in one transaction: the promise (once per step), a `promised` event for
    /// `history` (ids and the date only), reminders of the debt claimed but not yet sent
    /// cancelled (as a pause does: their steps go back to the planner, which holds them), and
    /// the debt planned again at the next tick (the hold and the confirmation).
    public func promise(debtID: String, dueDate: CalendarDate, stepID: String, through: CalendarDate,
                        now: Date) throws(StoreError) -> PromiseOutcome {
        try write("promise \(debtID)") { db in
            guard let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM debts WHERE id = ? AND due_date = ? AND paid_at IS NULL",
                                                     arguments: [debtID, dueDate.iso]) else { return .notOpen }
            let t = now.timeIntervalSince1970
            try db.execute(sql: """
                INSERT INTO promises (debt_id, due_date, step_id, promised_through, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, arguments: [debtID, dueDate.iso, stepID, through.iso, t])
            guard db.changesCount == 1 else { return .alreadyUsed }
            try db.execute(sql: "UPDATE debts SET next_check_at = ?, updated_at = ? WHERE id = ?", arguments: [t, t, debtID])
            try addEvent(db, at: now, customer: customer, debt: debtID, kind: "promised", detail: "through=\(through.iso) step=\(stepID)")
            _ = try cancelPending(db, scope: SQLiteLedger.messagesAskingForDebt, [debtID],
                                  reason: .promised, now: now)
            return .recorded
        }
    }
}
