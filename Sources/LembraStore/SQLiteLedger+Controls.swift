import Foundation
import GRDB
import LembraCore

extension SQLiteLedger {
    /// Stops messages to a customer through the end of `through` (nil: until resumed), and
    /// cancels those already claimed but not yet sent (a retry, a claim a running tick is about
    /// to send): a pending message is a due step like any other, and the planner holds due steps
    /// while the pause lasts. Their steps go back to the planner (see `cancelPending`), which
    /// sends the step due when the pause ends, so nothing waits in the ledger with a stale text.
    /// Returns how many pending messages were cancelled.
    @discardableResult
    public func pause(customerID: String, through: CalendarDate?, reason: String, now: Date) throws(StoreError) -> Int {
        try write("pause \(customerID)") { db in
            try requireCustomer(db, customerID)
            try db.execute(sql: "UPDATE customers SET paused_through = ?, pause_reason = ?, updated_at = ? WHERE id = ?",
                           arguments: [through?.iso ?? "forever", reason, now.timeIntervalSince1970, customerID])
            try addEvent(db, at: now, customer: customerID, debt: nil, kind: "paused", detail: "through=\(through?.iso ?? "resume") reason=\(reason)")
            return try cancelPending(db, scope: "customer_id = ?", [customerID], reason: .paused, now: now)
        }
    }

    public func resume(customerID: String, now: Date) throws(StoreError) {
        try write("resume \(customerID)") { db in
            try requireCustomer(db, customerID)
            try db.execute(sql: "UPDATE customers SET paused_through = NULL, pause_reason = NULL, updated_at = ? WHERE id = ?",
                           arguments: [now.timeIntervalSince1970, customerID])
            try lookAgain(db, customerID: customerID, now: now)
            try addEvent(db, at: now, customer: customerID, debt: nil, kind: "resumed", detail: "")
        }
    }

    /// Records that the customer asked for no more messages (LGPD, CDC): nothing is sent until
    /// `optIn`, including what was claimed but not yet sent (cancelled here, see `pause`).
    /// Returns how many pending messages were cancelled.
    @discardableResult
    public func optOut(customerID: String, reason: String, now: Date) throws(StoreError) -> Int {
        try setOptOut(customerID, true, reason: reason, now: now)
    }

    public func optIn(customerID: String, now: Date) throws(StoreError) {
        _ = try setOptOut(customerID, false, reason: nil, now: now)
    }

    private func setOptOut(_ customerID: String, _ out: Bool, reason: String?, now: Date) throws(StoreError) -> Int {
        try write(out ? "opt-out \(customerID)" : "opt-in \(customerID)") { db in
            try requireCustomer(db, customerID)
            try db.execute(sql: "UPDATE customers SET opted_out = ?, updated_at = ? WHERE id = ?", arguments: [out, now.timeIntervalSince1970, customerID])
            try lookAgain(db, customerID: customerID, now: now)
            try addEvent(db, at: now, customer: customerID, debt: nil, kind: out ? "opted_out" : "opted_in", detail: reason.map { "reason=\($0)" } ?? "")
            return out ? try cancelPending(db, scope: "customer_id = ?", [customerID], reason: .optedOut, now: now) : 0
        }
    }

    /// Has the planner look at the customer's open debts and pending thank-yous at the next tick.
    /// A step held by an open-ended pause or an opt-out has no next check of its own (only an
    /// event ends such a hold), so resume and opt-in must bring back every debt with something
    /// still to send, a paid one whose thank-you waits included. Payments and debt imports call
    /// it too: they change the numbers the customer's segment is computed from.
    func lookAgain(_ db: Database, customerID: String, now: Date) throws {
        try db.execute(sql: "UPDATE debts SET next_check_at = ? WHERE customer_id = ? AND (paid_at IS NULL OR thanks_pending = 1)",
                       arguments: [now.timeIntervalSince1970, customerID])
    }

    /// Stops reminders for one debt until `resolve`, cancelling those claimed but not yet sent
    /// (see `pause`; the other debts of a consolidated reminder are planned again at once).
    /// Returns how many pending reminders were cancelled.
    @discardableResult
    public func dispute(debtID: String, reason: String, now: Date) throws(StoreError) -> Int {
        try setDispute(debtID: debtID, reason: reason, now: now)
    }

    public func resolve(debtID: String, now: Date) throws(StoreError) {
        _ = try setDispute(debtID: debtID, reason: nil, now: now)
    }

    private func setDispute(debtID: String, reason: String?, now: Date) throws(StoreError) -> Int {
        try write(reason == nil ? "resolve \(debtID)" : "dispute \(debtID)") { db in
            guard let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM debts WHERE id = ?", arguments: [debtID]) else {
                throw StoreError(.notFound, "dispute", "no debt '\(debtID)'")
            }
            let t = now.timeIntervalSince1970
            try db.execute(sql: "UPDATE debts SET dispute_reason = ?, next_check_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [reason, t, t, debtID])
            try addEvent(db, at: now, customer: customer, debt: debtID, kind: reason == nil ? "resolved" : "disputed",
                         detail: reason.map { "reason=\($0)" } ?? "")
            guard reason != nil else { return 0 }
            return try cancelPending(db, scope: SQLiteLedger.messagesAskingForDebt, [debtID],
                                     reason: .disputed, now: now)
        }
    }

    private func requireCustomer(_ db: Database, _ id: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [id]) ?? false else {
            throw StoreError(.notFound, "customer", "no customer '\(id)'")
        }
    }
}
