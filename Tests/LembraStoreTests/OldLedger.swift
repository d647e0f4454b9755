import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import TestSupport

/// A ledger file as an older Lembra left it: the schema migrated up to `version` only, open as a
/// plain queue so a test can fill it with rows of that era before the current code upgrades it.
struct OldLedger {
    let dir: TemporaryDirectory
    let path: String
    let queue: DatabaseQueue

    init(upTo version: String) throws {
        dir = try TemporaryDirectory("lembra-upgrade")
        path = dir.path("old.sqlite").path
        queue = try DatabaseQueue(path: path)
        try SQLiteLedger.migrator.migrate(queue, upTo: version)
    }

    /// Writes attempts of customer `c1` on channel `email`, one per (id, state), as the schema
    /// before the payload's own table held them (a ledger migrated up to at most "promises").
    func insertAttempts(_ attempts: [(id: String, state: String)]) throws {
        try queue.write { db in
            for (id, state) in attempts {
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'x.1d', 0, ?, x'00', 0, 0)
                    """, arguments: [id, state])
            }
        }
    }

    /// Writes customer `c1` (Ana) and one debt of 100 cents due 17/11/2026 per id in `debts`, at
    /// `t` (seconds since 1970), in `db`'s transaction.
    static func insertCustomer(_ db: Database, debts: [String], at t: Double) throws {
        try db.execute(sql: "INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('c1', 'Ana', 'ana@example.com', ?, ?)",
                       arguments: [t, t])
        for debt in debts {
            try db.execute(sql: "INSERT INTO debts (id, customer_id, amount_cents, due_date, created_at, updated_at) VALUES (?, 'c1', 100, '2026-11-17', ?, ?)",
                           arguments: [debt, t, t])
        }
    }

    /// Claims step `step` of debt `debt` (customer `c1`, due 17/11/2026) on the upgraded `ledger`
    /// again; returns the ids claimed: none when the step was claimed before the upgrade.
    static func claimAgain(_ ledger: SQLiteLedger, debt: String, step: String, now: Date) throws -> [String] {
        let d = Debt(id: debt, customerID: "c1", amount: Money(cents: 100), dueDate: CalendarDate(iso: "2026-11-17")!)
        let again = PlannedMessage(kind: .reminder, customerID: "c1", segment: "forgetful", channel: "email", template: "friendly", handoff: false,
                                   items: [PlannedMessage.Item(debt: d, stepID: step, day: 1)], superseded: [])
        return try ledger.claim([ClaimRequest(attemptID: "att_again", message: again, payload: Data("x".utf8))], now: now)
    }
}
