import Foundation
import GRDB
import LembraCore

extension Ledger {
    /// Stops reminders to a customer through the end of `through` (nil: until resumed).
    public func pause(customerID: String, through: CalendarDate?, reason: String, now: Date) throws(StoreError) {
        try write("pause \(customerID)") { db in
            try requireCustomer(db, customerID)
            try db.execute(sql: "UPDATE customers SET paused_through = ?, pause_reason = ?, updated_at = ? WHERE id = ?",
                           arguments: [through?.iso ?? "forever", reason, now.timeIntervalSince1970, customerID])
            try addEvent(db, at: now, customer: customerID, debt: nil, kind: "paused", detail: "through=\(through?.iso ?? "resume") reason=\(reason)")
        }
    }

    public func resume(customerID: String, now: Date) throws(StoreError) {
        try write("resume \(customerID)") { db in
            try requireCustomer(db, customerID)
            try db.execute(sql: "UPDATE customers SET paused_through = NULL, pause_reason = NULL, updated_at = ? WHERE id = ?",
                           arguments: [now.timeIntervalSince1970, customerID])
            try db.execute(sql: "UPDATE debts SET next_check_at = ? WHERE customer_id = ? AND paid_at IS NULL",
                           arguments: [now.timeIntervalSince1970, customerID])
            try addEvent(db, at: now, customer: customerID, debt: nil, kind: "resumed", detail: "")
        }
    }

    /// Records that the customer asked for no more messages (LGPD, CDC): nothing is sent until `optIn`.
    public func optOut(customerID: String, reason: String, now: Date) throws(StoreError) {
        try setOptOut(customerID, true, reason: reason, now: now)
    }

    public func optIn(customerID: String, now: Date) throws(StoreError) {
        try setOptOut(customerID, false, reason: nil, now: now)
    }

    private func setOptOut(_ customerID: String, _ out: Bool, reason: String?, now: Date) throws(StoreError) {
        try write(out ? "opt-out \(customerID)" : "opt-in \(customerID)") { db in
            try requireCustomer(db, customerID)
            let t = now.timeIntervalSince1970
            try db.execute(sql: "UPDATE customers SET opted_out = ?, updated_at = ? WHERE id = ?", arguments: [out, t, customerID])
            try db.execute(sql: "UPDATE debts SET next_check_at = ? WHERE customer_id = ? AND paid_at IS NULL", arguments: [t, customerID])
            try addEvent(db, at: now, customer: customerID, debt: nil, kind: out ? "opted_out" : "opted_in", detail: reason.map { "reason=\($0)" } ?? "")
        }
    }

    /// Stops reminders for one debt until `resolve`.
    public func dispute(debtID: String, reason: String, now: Date) throws(StoreError) {
        try setDispute(debtID: debtID, reason: reason, now: now)
    }

    public func resolve(debtID: String, now: Date) throws(StoreError) {
        try setDispute(debtID: debtID, reason: nil, now: now)
    }

    private func setDispute(debtID: String, reason: String?, now: Date) throws(StoreError) {
        try write(reason == nil ? "resolve \(debtID)" : "dispute \(debtID)") { db in
            guard let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM debts WHERE id = ?", arguments: [debtID]) else {
                throw StoreError(.notFound, "dispute", "no debt '\(debtID)'")
            }
            let t = now.timeIntervalSince1970
            try db.execute(sql: "UPDATE debts SET dispute_reason = ?, next_check_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [reason, t, t, debtID])
            try addEvent(db, at: now, customer: customer, debt: debtID, kind: reason == nil ? "resolved" : "disputed",
                         detail: reason.map { "reason=\($0)" } ?? "")
        }
    }

    private func requireCustomer(_ db: Database, _ id: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [id]) ?? false else {
            throw StoreError(.notFound, "customer", "no customer '\(id)'")
        }
    }
}
