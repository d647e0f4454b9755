import Foundation
import GRDB
import LembraCore
@testable import LembraStore
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
}
