import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// Claimed steps upgraded to a table keyed by the step (the migration "attempt items: keyed by
/// their step"): every one carried over from the items' rows with its attempt, still claimed, and
/// `step_claims` gone; a claim left without its item stops the upgrade as damage.
@Suite struct StepKeyedItemsMigrationTests {
    static let now = LedgerFixture.now
    static let previous = "attempt items: their attempt by its integer key"
    static let migration = "attempt items: keyed by their step"

    /// An old ledger with a consolidated attempt (two debts) and a single one; its triggers fill
    /// `step_claims` as the items are written.
    static func oldLedger() throws -> OldLedger {
        let legacy = try OldLedger(upTo: previous)
        let t = now.timeIntervalSince1970
        try legacy.queue.write { db in
            try OldLedger.insertCustomer(db, debts: ["d1", "d2"], at: t)
            for id in ["att_two", "att_one"] {
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'forgetful.1d', 0, 'dead', ?, ?)
                    """, arguments: [id, t, t])
            }
            for (attempt, debt, step) in [("att_two", "d1", "forgetful.1d"), ("att_two", "d2", "forgetful.1d"), ("att_one", "d1", "forgetful.4d")] {
                try db.execute(sql: """
                    INSERT INTO attempt_items (attempt, debt_id, due_date, step_id) SELECT seq, ?, '2026-11-17', ? FROM attempts WHERE id = ?
                    """, arguments: [debt, step, attempt])
            }
        }
        return legacy
    }

    @Test func everyClaimedStepIsCarriedOverWithItsAttempt() throws {
        let legacy = try Self.oldLedger()
        try legacy.queue.close()
        let ledger = try SQLiteLedger(path: legacy.path)
        let items = try ledger.read("test") { db in
            try Row.fetchAll(db, sql: "SELECT a.id, i.debt_id, i.step_id FROM attempt_items i JOIN attempts a ON a.seq = i.attempt ORDER BY a.seq, i.debt_id")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" }
        }
        #expect(items == ["att_two d1 forgetful.1d", "att_two d2 forgetful.1d", "att_one d1 forgetful.4d"])
        #expect(try ledger.read("test") { db in try db.tableExists("step_claims") } == false)
        #expect(try SQLiteLedger.check(path: legacy.path) == [])
        let history = try ledger.history(id: "d2", time: { _ in "" }).map(\.summary)
        #expect(history.contains { $0.contains("att_two") }, "\(history)")
        #expect(try OldLedger.claimAgain(ledger, debt: "d2", step: "forgetful.1d", now: Self.now).isEmpty,
                "a step claimed before the upgrade stays claimed")
    }

    /// A ledger from before `step_claims` (v6) upgraded through every migration since: its
    /// claimed step stays claimed.
    @Test func aStepClaimedBeforeV7StaysClaimed() throws {
        let legacy = try OldLedger(upTo: "v6")
        try legacy.queue.write { db in
            try OldLedger.insertCustomer(db, debts: ["d1"], at: Self.now.timeIntervalSince1970)
            try db.execute(sql: """
                INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
                VALUES ('a1', 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'forgetful.1d', 0, 'sent', x'', 0, 0);
                INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES ('a1', 'd1', '2026-11-17', 'forgetful.1d');
                """)
        }
        try legacy.queue.close()
        let ledger = try SQLiteLedger(path: legacy.path)
        #expect(try OldLedger.claimAgain(ledger, debt: "d1", step: "forgetful.1d", now: Self.now).isEmpty)
        #expect(try OldLedger.claimAgain(ledger, debt: "d1", step: "forgetful.4d", now: Self.now).count == 1, "another step is free")
    }

    /// `step_claims` lacks a step whose item is there (v7 filled it through a unique index that
    /// may have lost entries): the item is carried over and the step stays claimed.
    @Test func aStepMissingFromStepClaimsStaysClaimed() throws {
        let legacy = try Self.oldLedger()
        try legacy.queue.write { db in try db.execute(sql: "DELETE FROM step_claims WHERE debt_id = 'd2'") }
        try legacy.queue.close()
        let ledger = try SQLiteLedger(path: legacy.path)
        #expect(try OldLedger.claimAgain(ledger, debt: "d2", step: "forgetful.1d", now: Self.now).isEmpty)
        #expect(try SQLiteLedger.check(path: legacy.path) == [])
    }

    /// `step_claims` holds a step whose item is gone: nothing says which attempt claimed it, so
    /// the upgrade stops as damage and changes nothing.
    @Test func aClaimWithoutItsItemStopsTheUpgrade() throws {
        let legacy = try Self.oldLedger()
        try legacy.queue.write { db in
            try db.execute(sql: "INSERT INTO step_claims (debt_id, due_date, step_id) VALUES ('d2', '2026-11-17', 'forgetful.4d')")
        }
        try legacy.queue.close()
        #expect { try SQLiteLedger(path: legacy.path) } throws: { error in
            (error as? StoreError)?.kind == .damaged && "\(error)".contains("1 steps recorded as claimed have lost their claim")
                && "\(error)".contains("lembra restore")
        }
        let applied = try DatabaseQueue(path: legacy.path).read { db in try SQLiteLedger.migrator.appliedIdentifiers(db) }
        #expect(applied.contains(Self.previous) && !applied.contains(Self.migration))
        #expect(try DatabaseQueue(path: legacy.path).read { db in try db.tableExists("step_claims") })
    }
}
