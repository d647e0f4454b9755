import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing

/// The index a lane reads its channel's waiting attempts from holds only those (claimed and
/// retries), so a state change past them costs no index write; older ledgers get it on opening.
@Suite struct SendableIndexTests {
    @Test func aChannelsWaitingAttemptsAreReadThroughThePartialIndex() throws {
        let f = try LedgerFixture()
        let plan = try f.ledger.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT a.id FROM attempts a WHERE \(SQLiteLedger.sendableClause(limit: 10)) ORDER BY created_at, id",
                             arguments: ["email", "email", 0]).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("attempts_to_send (channel=? AND state=?)") }, "\(plan)")
    }

    @Test func anOlderLedgerGetsTheIndexAndKeepsItsWaitingAttempts() throws {
        let legacy = try OldLedger(upTo: "v8")
        try legacy.insertAttempts([("a1", "claimed"), ("a2", "sent"), ("a3", "sending")])
        try legacy.queue.close()
        let upgraded = try SQLiteLedger(path: legacy.path)
        let indexes = try upgraded.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts'") }
        #expect(indexes.contains("attempts_to_send") && !indexes.contains("attempts_sendable"), "\(indexes)")
        #expect(try upgraded.sendable(now: LedgerFixture.now, channel: "email").map(\.id) == ["a1"])
        #expect(try upgraded.record([], markingSending: ["a1"], now: LedgerFixture.now) == ["a1"])
        #expect(try upgraded.sendable(now: LedgerFixture.now, channel: "email").isEmpty)
        #expect(try upgraded.interrupted(now: LedgerFixture.now).map(\.id).sorted() == ["a1", "a3"])
    }
}
