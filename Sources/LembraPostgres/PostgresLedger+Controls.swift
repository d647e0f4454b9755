import Foundation
import LembraCore
import LembraStore

// The operator's controls, as `SQLiteLedger+Controls` (see there for why each does what it
// does): the same checks, messages, events and cancellations, in one transaction each. What
// differs is the controls version: `cancelPending` raises it for the customer concerned only.
extension PostgresLedger: LedgerControls {
    /// Stops messages to a customer through the end of `through` (nil: until resumed), and
    /// cancels those claimed but not yet sent. Returns how many were cancelled.
    @discardableResult
    public func pause(customerID: String, through: CalendarDate?, reason: String, now: Date) throws(StoreError) -> Int {
        try transaction("pause \(customerID)") { c in
            try requireCustomer(c, customerID)
            try c.query("UPDATE customers SET paused_through = $1, pause_reason = $2, updated_at = $3 WHERE id = $4",
                        [through?.iso ?? "forever", reason, PostgresValue.time(now), customerID], operation: "pause \(customerID)")
            try addEvent(c, at: now, customer: customerID, debt: nil, kind: "paused", detail: "through=\(through?.iso ?? "resume") reason=\(reason)")
            return try cancelPending(c, .customer(customerID), reason: .paused, now: now)
        }
    }

    public func resume(customerID: String, now: Date) throws(StoreError) {
        try transaction("resume \(customerID)") { c in
            try requireCustomer(c, customerID)
            try c.query("UPDATE customers SET paused_through = NULL, pause_reason = NULL, updated_at = $1 WHERE id = $2",
                        [PostgresValue.time(now), customerID], operation: "resume \(customerID)")
            try lookAgain(c, customerID: customerID, now: now)
            try addEvent(c, at: now, customer: customerID, debt: nil, kind: "resumed", detail: "")
        }
    }

    /// The customer asked for no more messages: nothing is sent until `optIn`, including what
    /// was claimed but not yet sent (cancelled here). Returns how many were cancelled.
    @discardableResult
    public func optOut(customerID: String, reason: String, now: Date) throws(StoreError) -> Int {
        try setOptOut(customerID, true, reason: reason, now: now)
    }

    public func optIn(customerID: String, now: Date) throws(StoreError) {
        _ = try setOptOut(customerID, false, reason: nil, now: now)
    }

    private func setOptOut(_ customerID: String, _ out: Bool, reason: String?, now: Date) throws(StoreError) -> Int {
        let operation = out ? "opt-out \(customerID)" : "opt-in \(customerID)"
        return try transaction(operation) { c in
            try requireCustomer(c, customerID)
            try c.query("UPDATE customers SET opted_out = $1, updated_at = $2 WHERE id = $3",
                        [PostgresValue.bool(out), PostgresValue.time(now), customerID], operation: operation)
            try lookAgain(c, customerID: customerID, now: now)
            try addEvent(c, at: now, customer: customerID, debt: nil, kind: out ? "opted_out" : "opted_in", detail: reason.map { "reason=\($0)" } ?? "")
            return out ? try cancelPending(c, .customer(customerID), reason: .optedOut, now: now) : 0
        }
    }

    /// Stops reminders for one debt until `resolve`, cancelling those claimed but not yet sent.
    /// Returns how many were cancelled.
    @discardableResult
    public func dispute(debtID: String, reason: String, now: Date) throws(StoreError) -> Int {
        try setDispute(debtID: debtID, reason: reason, now: now)
    }

    public func resolve(debtID: String, now: Date) throws(StoreError) {
        _ = try setDispute(debtID: debtID, reason: nil, now: now)
    }

    private func setDispute(debtID: String, reason: String?, now: Date) throws(StoreError) -> Int {
        let operation = reason == nil ? "resolve \(debtID)" : "dispute \(debtID)"
        return try transaction(operation) { c in
            guard let customer = try lockDebt(c, debtID)?["customer_id"] else {
                throw StoreError(.notFound, "dispute", "no debt '\(debtID)'")
            }
            let t = PostgresValue.time(now)
            try c.query("UPDATE debts SET dispute_reason = $1, next_check_at = $2, updated_at = $2 WHERE id = $3", [reason, t, debtID], operation: operation)
            try addEvent(c, at: now, customer: customer, debt: debtID, kind: reason == nil ? "resolved" : "disputed",
                         detail: reason.map { "reason=\($0)" } ?? "")
            guard reason != nil else { return 0 }
            return try cancelPending(c, .messagesAskingForDebt(debtID), reason: .disputed, now: now)
        }
    }

    private func requireCustomer(_ c: PostgresConnection, _ id: String) throws {
        guard try !c.query("SELECT 1 FROM customers WHERE id = $1", [id], operation: "customer").isEmpty else {
            throw StoreError(.notFound, "customer", "no customer '\(id)'")
        }
    }
}
