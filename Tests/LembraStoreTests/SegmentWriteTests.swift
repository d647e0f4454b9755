import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Synchronization
import Testing

/// Saving the plans' next checks writes a customer's segment only when it changed: every tick
/// saves every due customer's plan, and rewriting the same value would cost a row write each.
@Suite struct SegmentWriteTests {
    @Test func theSameSegmentIsNotWrittenAgain() throws {
        let f = try LedgerFixture()
        // Counts the writes of the segment column, as SQLite sees them.
        try f.ledger.pool.write { db in
            try db.execute(sql: """
                CREATE TABLE segment_writes (segment TEXT);
                CREATE TRIGGER segment_written AFTER UPDATE OF segment ON customers BEGIN
                    INSERT INTO segment_writes VALUES (NEW.segment);
                END;
                """)
        }
        for segment in ["forgetful", "forgetful", "chronic", "chronic"] {
            try f.ledger.saveChecks([CustomerPlan(customerID: "c1", segment: segment)], now: LedgerFixture.now)
        }
        let writes = try f.ledger.pool.read { db in try String.fetchAll(db, sql: "SELECT segment FROM segment_writes") }
        #expect(writes == ["forgetful", "chronic"])
        #expect(try f.ledger.pool.read { db in try String.fetchOne(db, sql: "SELECT segment FROM customers WHERE id = 'c1'") } == "chronic")
    }

    /// The case carries the segment the ledger holds, the plan carries it on, and a plan whose
    /// segment is the one read does not even look the customer up again (a seek by text key per
    /// due customer, 12% of planning a million debts). A plan made without it (nil) or with
    /// another one still writes through the statement's own check.
    @Test func aSegmentReadWithTheCaseIsNotLookedUpAgain() throws {
        let f = try LedgerFixture()
        let statements = Mutex<[String]>([])
        f.ledger.pool.writeWithoutTransaction { db in
            db.trace(options: .statement) { event in statements.withLock { $0.append("\(event)") } }
        }
        func customerUpdates() -> Int { statements.withLock { $0.filter { $0.hasPrefix("UPDATE customers") }.count } }
        func read() throws -> CustomerCase { try #require(try f.ledger.cases(customerIDs: ["c1"], now: LedgerFixture.now).first) }
        #expect(try read().lastSegment == nil, "never planned")

        try f.ledger.saveChecks([CustomerPlan(customerID: "c1", segment: "forgetful")], now: LedgerFixture.now)
        #expect(customerUpdates() == 1)
        let planned = try read()
        #expect(planned.lastSegment == "forgetful")

        let policy = CollectionPolicy(segments: [], ladders: [:], upcoming: Ladder(name: "upcoming", steps: []),
                                      onPaid: Ladder(name: "on_paid", steps: []), timeZone: TimeZone(identifier: "America/Sao_Paulo")!)
        var plan = Planner(policy: policy).plan(planned, now: LedgerFixture.now)
        #expect(plan.lastSegment == "forgetful", "the planner carries the case's segment")
        plan.segment = "forgetful"
        try f.ledger.saveChecks([plan], now: LedgerFixture.now)
        #expect(customerUpdates() == 1, "the same segment, read with the case: no statement")

        plan.segment = "chronic"
        try f.ledger.saveChecks([plan], now: LedgerFixture.now)
        #expect(customerUpdates() == 2)
        #expect(try read().lastSegment == "chronic")
    }
}
