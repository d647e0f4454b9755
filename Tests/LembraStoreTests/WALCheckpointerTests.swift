import Foundation
import GRDB
@testable import LembraStore
import Testing

/// The WAL is copied into the database file by the ledger's checkpointer, not by the commit
/// that fills it (`WALCheckpointer`).
@Suite struct WALCheckpointerTests {
    /// Six megabytes in one commit: past SQLite's default of 1,000 pages, at which that commit
    /// would have copied the WAL into the file itself before returning.
    @Test func aLargeCommitReturnsWithItsPagesInTheWALAndTheCheckpointerCopiesThem() throws {
        let f = try LedgerFixture()
        let checkpointer = try #require(f.ledger.checkpointer)
        // Held, so that no checkpoint the fixture's own commits asked for runs meanwhile.
        let before = try checkpointer.holding {
            let before = try size(f.path)
            try f.ledger.write("fill") { db in
                try db.execute(sql: """
                    CREATE TABLE filler (b BLOB);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
                    INSERT INTO filler SELECT randomblob(4000) FROM n;
                    """)
            }
            #expect(try size(f.path) == before, "the commit copied the WAL into the file")
            #expect(try size(f.path + "-wal") > 6_000_000)
            return before
        }

        checkpointer.flush()
        #expect(try size(f.path) > before + 6_000_000, "the checkpointer did not copy the WAL")
        #expect(try f.ledger.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 1500)
    }

    /// The writer's own checkpoints are off only because the checkpointer does them.
    @Test func theWriterLeavesCheckpointsToTheCheckpointer() throws {
        let f = try LedgerFixture()
        #expect(f.ledger.checkpointer != nil)
        #expect(try f.ledger.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
    }

    /// `close` stops the checkpointer first: with its connection still open, the file could not
    /// leave WAL mode and become the one self-contained file `lembra restore` installs.
    @Test func closingLeavesOneSelfContainedFile() throws {
        let f = try LedgerFixture()
        try f.ledger.write("fill") { db in try db.execute(sql: "CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (randomblob(100))") }
        try f.ledger.close()
        #expect(!FileManager.default.fileExists(atPath: f.path + "-wal"))
        let queue = try DatabaseQueue(path: f.path)
        defer { try? queue.close() }
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "delete")
    }

    private func size(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }
}
