import Foundation
import LembraCore
import LembraStore

// `lembra pay` and the balance it checks, as `SQLiteLedger+Payments`. The payment itself takes
// the path every payment takes (`recordPayment`, then `settleIfPaidUp`).
extension PostgresLedger {
    /// Records a payment for `debtID` (the whole balance when `amount` is nil) and returns true
    /// when the debt is now paid. Paying a paid debt is refused: it would be money taken twice.
    @discardableResult
    public func pay(debtID: String, amount: Money?, at: Date, now: Date) throws(StoreError) -> Bool {
        try transaction("pay \(debtID)") { c in
            guard let debt = try lockDebt(c, debtID) else { throw StoreError(.notFound, "pay", "no debt '\(debtID)'") }
            guard debt["paid_at"] == nil else { throw StoreError(.invalid, "pay", "debt '\(debtID)' is already paid") }
            let p = Payment(debtID: debtID, amount: amount ?? Money(cents: debt.int64("owed")), paidAt: at)
            return try recordPayment(c, p, source: "pay", now: now).settled
        }
    }

    /// What is still owed on an open debt, and its currency; nil when there is no such open debt.
    public func balance(of debtID: String) throws(StoreError) -> (owed: Money, currency: String)? {
        try withConnection("balance of \(debtID)") { c throws(PostgresError) in
            try c.query("SELECT amount_cents - paid_cents AS owed, currency FROM debts WHERE id = $1 AND paid_at IS NULL",
                        [debtID], operation: "balance of \(debtID)")
                .first.map { (Money(cents: $0.int64("owed")), $0["currency"] ?? "BRL") }
        }
    }

    /// The debt's customer, balance (`owed`), due date and `paid_at` (nil: no such debt), the
    /// customer's row and then the debt's locked until the transaction ends. Two changes of one
    /// debt at once (two daemons' ingresses, `pay` and a promise) then go one after the other,
    /// the second seeing what the first wrote, so a debt is never settled twice nor the same
    /// confirmation recorded twice. Customers first, as a claim locks them (`lockCustomers`, then
    /// writes their debts): taken the other way round, a claim and a payment could deadlock.
    /// All of them at once, the debt's and those of its attempts (`customersOfDebts`), since a
    /// settled debt's cancellations raise those too.
    func lockDebt(_ c: PostgresConnection, _ debtID: String) throws(PostgresError) -> PostgresRow? {
        try lockCustomers(c, where: Self.customersOfDebts("$1"), [PostgresValue.array([debtID])])
        return try c.query("SELECT customer_id, amount_cents - paid_cents AS owed, due_date, paid_at FROM debts WHERE id = $1 FOR UPDATE",
                           [debtID], operation: "lock debt \(debtID)").first
    }
}
