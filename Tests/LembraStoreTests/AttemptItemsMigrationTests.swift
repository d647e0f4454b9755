import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// Claimed steps written when they named their attempt by its public id (before the migration
/// "attempt items") name it by its integer key once upgraded, every one of them; an item whose
/// attempt is missing stops the upgrade as damage instead of being dropped.
@Suite struct AttemptItemsMigrationTests {
    static let now = LedgerFixture.now
    static let previous = "attempt counts: final states counted, not indexed"

    /// An old ledger with a consolidated attempt (two debts) and a single one.
    static func oldLedger(orphan: Bool = false) throws -> OldLedger {
        let legacy = try OldLedger(upTo: previous)
        let t = now.timeIntervalSince1970
        try legacy.queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try OldLedger.insertCustomer(db, debts: ["d1", "d2"], at: t)
            for id in ["att_two", "att_one"] {
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'forgetful.1d', 0, 'dead', ?, ?)
                    """, arguments: [id, t, t])
            }
            let items = [("att_two", "d1", "forgetful.1d"), ("att_two", "d2", "forgetful.1d"), ("att_one", "d1", "forgetful.4d")]
                + (orphan ? [("att_missing", "d2", "forgetful.4d")] : [])
            for (attempt, debt, step) in items {
                try db.execute(sql: "INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES (?, ?, '2026-11-17', ?)",
                               arguments: [attempt, debt, step])
            }
        }
        try legacy.queue.close()
        return legacy
    }

    @Test func everyClaimedStepNamesItsAttemptByItsKey() throws {
        let legacy = try Self.oldLedger()
        let ledger = try SQLiteLedger(path: legacy.path)
        let items = try ledger.read("test") { db in
            try Row.fetchAll(db, sql: "SELECT a.id, i.debt_id, i.step_id FROM attempt_items i JOIN attempts a ON a.seq = i.attempt ORDER BY a.seq, i.debt_id")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" }
        }
        #expect(items == ["att_two d1 forgetful.1d", "att_two d2 forgetful.1d", "att_one d1 forgetful.4d"])
        let history = try ledger.history(id: "d2", time: { _ in "" }).map(\.summary)
        #expect(history.contains { $0.contains("att_two") }, "\(history)")
        #expect(try SQLiteLedger.check(path: legacy.path) == [])
        #expect(try OldLedger.claimAgain(ledger, debt: "d2", step: "forgetful.1d", now: Self.now).isEmpty,
                "a step claimed before the upgrade stays claimed")
    }

    /// The items are carried over from the table's rows: an old ledger whose unique index on
    /// them lost its entries (the damage `check-ledger` finds) upgrades whole, the index made anew.
    @Test func itemsAreCarriedOverFromTheRowsNotTheirDamagedIndex() throws {
        let legacy = try Self.oldLedger()
        try LedgerDamage.emptyIndex("sqlite_autoindex_attempt_items_1", of: "attempt_items", columns: "debt_id, due_date, step_id", in: legacy.path)
        #expect(try SQLiteLedger.check(path: legacy.path).contains { $0.contains("sqlite_autoindex_attempt_items_1") })
        let ledger = try SQLiteLedger(path: legacy.path)
        #expect(try ledger.read("test") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attempt_items") } == 3)
        #expect(try SQLiteLedger.check(path: legacy.path) == [])
    }

    @Test func anItemWithoutItsAttemptStopsTheUpgrade() throws {
        let legacy = try Self.oldLedger(orphan: true)
        #expect { try SQLiteLedger(path: legacy.path) } throws: { error in
            "\(error)".contains("1 claimed steps name an attempt the ledger does not hold") && "\(error)".contains("lembra restore")
        }
    }
}
