import Foundation
import LembraCore
import LembraStore

/// Which pending attempts a control stops (`PostgresLedger.cancelPending`), and whose plans it
/// makes stale. Each is one id, the statement's `$1`.
enum PendingScope {
    /// Every message to a customer (pause, opt-out).
    case customer(String)
    /// What a payment, a dispute, new terms or a newer promise make wrong about a debt: its
    /// reminders and a promise confirmation not yet sent, which state the amount and the date
    /// promised (as `SQLiteLedger.messagesAskingForDebt`). A thank-you is not among them.
    case messagesAskingForDebt(String)
    /// One attempt (the tick's recheck of its leftovers).
    case attempt(String)

    var id: String {
        switch self {
        case .customer(let id), .messagesAskingForDebt(let id), .attempt(let id): id
        }
    }

    /// The attempts in scope, as a condition on `attempts`.
    var clause: String {
        switch self {
        case .customer: "customer_id = $1"
        case .messagesAskingForDebt: "kind IN ('reminder', 'promise_confirmed') AND id IN (SELECT attempt_id FROM attempt_items WHERE debt_id = $1)"
        case .attempt: "id = $1"
        }
    }

    /// The customers whose plans the control makes stale: the scope's own, and those of the
    /// attempts in it (a debt moved to another customer keeps its old customer's attempts).
    var customers: String {
        switch self {
        case .customer: "SELECT $1::text"
        case .messagesAskingForDebt: "SELECT customer_id FROM debts WHERE id = $1 UNION SELECT customer_id FROM attempts WHERE \(clause)"
        case .attempt: "SELECT customer_id FROM attempts WHERE id = $1"
        }
    }
}

extension PostgresLedger {
    /// Cancels the attempts in `scope` still pending (`claimed`, or `retry`) with `reason`, in the
    /// transaction open on `c`, and returns how many: the port of `SQLiteLedger.cancelPending`,
    /// whose doc comment gives the rules (an attempt already `sending` is left alone; the steps of
    /// one that cannot have arrived go back to the planner, the others stay taken).
    ///
    /// It raises the controls version of the customers in scope first, whether or not anything
    /// was pending, so a plan read before this control is refused at its claim. First, because
    /// that update waits for a claim that locked these customers (`claim`) to commit: the
    /// statements after it then see that claim's attempts, and cancel them.
    @discardableResult
    func cancelPending(_ c: PostgresConnection, _ scope: PendingScope, reason: CancelReason, now: Date) throws(PostgresError) -> Int {
        try c.query("UPDATE customers SET controls_version = controls_version + 1 WHERE id IN (\(scope.customers))", [scope.id],
                    operation: "raise controls version")
        let cancelled = try c.query("""
            UPDATE attempts SET state = 'cancelled', reason = $2, updated_at = $3
            WHERE \(AttemptTransition.cancel.postgresGuard()) AND \(scope.clause)
            RETURNING id, kind, may_have_arrived
            """, [scope.id, reason.rawValue, PostgresValue.time(now)], operation: "cancel pending attempts")
        for row in cancelled where !row.bool("may_have_arrived") {
            try release(c, attemptID: row.text("id"), thanks: row.text("kind") == PlannedMessage.Kind.thanks.rawValue, now: now)
        }
        return cancelled.count
    }

    /// Raises the controls version of `customerIDs` (a control that stops messages without
    /// cancelling through `cancelPending`, or a payment: see `recordPayment`).
    func raiseControlsVersion(_ c: PostgresConnection, customerIDs: [String]) throws(PostgresError) {
        guard !customerIDs.isEmpty else { return }
        try c.query("UPDATE customers SET controls_version = controls_version + 1 WHERE id = ANY($1::text[])",
                    [PostgresValue.array(customerIDs)], operation: "raise controls version")
    }

    /// Gives a cancelled attempt's steps back to the planner (see `SQLiteLedger.cancelPending`).
    private func release(_ c: PostgresConnection, attemptID id: String, thanks: Bool, now: Date) throws(PostgresError) {
        let debts = "id IN (SELECT debt_id FROM attempt_items WHERE attempt_id = $1)"
        if thanks {
            try c.query("UPDATE debts SET thanks_pending = true WHERE paid_at IS NOT NULL AND \(debts)", [id], operation: "release steps")
        }
        // Open debts and pending thank-yous only: a paid debt the planner has nothing for would stay due forever.
        try c.query("UPDATE debts SET next_check_at = $2 WHERE (paid_at IS NULL OR thanks_pending) AND \(debts)",
                    [id, PostgresValue.time(now)], operation: "release steps")
        try c.query("""
            INSERT INTO released_items (attempt_id, debt_id, due_date, step_id)
            SELECT attempt_id, debt_id, due_date, step_id FROM attempt_items WHERE attempt_id = $1
            """, [id], operation: "release steps")
        try c.query("DELETE FROM attempt_items WHERE attempt_id = $1", [id], operation: "release steps")
    }
}
