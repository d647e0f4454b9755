import Foundation
import GRDB
@testable import LembraStore
import Testing

/// The ledger's promise: a commit is on disk when it returns (WAL with `synchronous = FULL`).
@Suite struct DurabilityTests {
    @Test func theWriterCommitsWithSynchronousFull() throws {
        let fixture = try LedgerFixture()
        // 2 = FULL. GRDB's DatabasePool would leave its writer at 1 (NORMAL).
        let level = try fixture.ledger.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2)
        let mode = try fixture.ledger.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// A write whose transaction ended under it (as SQLite ends one on a full disk) fails rather
    /// than report a commit that did not happen.
    @Test func aWriteWhoseTransactionEndedUnderItFails() throws {
        let fixture = try LedgerFixture()
        #expect(throws: StoreError.self) { try fixture.ledger.write("test") { db in try db.execute(sql: "ROLLBACK") } }
        try fixture.ledger.write("test") { _ in }  // and the next write starts a transaction as usual
    }
}
