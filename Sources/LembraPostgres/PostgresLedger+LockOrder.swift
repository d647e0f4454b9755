import Foundation

// The one order in which every writer of the shared ledger takes its row locks: first the rows
// of every customer it may write for, in id order (`lockCustomers`), and only then their debts
// and attempts. A claim locks its chunk's customers that way before it writes anything, and so
// do the controls, payments, imports, the tick's recheck (`settle`) and the policy re-plan: two
// of them touching the same customers then wait for each other, one commits and the other goes
// on, where locks taken in two orders would each hold what the other needs (a deadlock: one of
// them fails, a failed tick or command). Writers that touch no customer's debts (the lanes'
// outcomes, `requeue`) lock only attempt rows, each set in one order, and wait on nothing else.
extension PostgresLedger {
    /// Locks the rows of the customers `sql` selects (its parameters: `arguments`), in id order,
    /// in the transaction open on `c`.
    func lockCustomers(_ c: PostgresConnection, where sql: String, _ arguments: [String?]) throws(PostgresError) {
        try c.query("SELECT id FROM customers WHERE \(sql) ORDER BY id FOR UPDATE", arguments, operation: "lock customers")
    }

    /// The customers a change of the debts in the text array `$N` (`parameter`) may write for,
    /// as a condition on `customers`: each debt's customer, and the customers of the attempts
    /// asking for it (a debt moved to another customer keeps its old customer's attempts, whose
    /// version a payment or a dispute raises when it cancels them, see `PendingScope`).
    static func customersOfDebts(_ parameter: String) -> String {
        """
        id IN (SELECT customer_id FROM debts WHERE id = ANY(\(parameter)::text[]))
        OR id IN (SELECT a.customer_id FROM attempts a JOIN attempt_items i ON i.attempt_id = a.id WHERE i.debt_id = ANY(\(parameter)::text[]))
        """
    }

    /// The customers a change of the attempts in the text array `$N` (`parameter`) may write
    /// for, as a condition on `customers`: each attempt's customer, and the customers of the
    /// debts it asks for (whose next checks a cancellation moves, `cancelPending`).
    static func customersOfAttempts(_ parameter: String) -> String {
        """
        id IN (SELECT customer_id FROM attempts WHERE id = ANY(\(parameter)::text[]))
        OR id IN (SELECT d.customer_id FROM debts d JOIN attempt_items i ON i.debt_id = d.id WHERE i.attempt_id = ANY(\(parameter)::text[]))
        """
    }
}
