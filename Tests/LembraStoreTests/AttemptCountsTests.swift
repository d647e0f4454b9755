import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing

/// Attempts are counted by state without an index over every attempt's state: the final states
/// in `attempt_counts`, kept by the writes (`FinalStateTally`), the others through partial
/// indexes. The counts must stay those of the attempts themselves, whatever path moved them.
@Suite struct AttemptCountsTests {
    static let now = LedgerFixture.now

    /// `status`'s counts, and the same counted the slow way, from every attempt row.
    private func counts(_ ledger: SQLiteLedger) throws -> (status: [String: Int], stored: [String: Int]) {
        let stored = try ledger.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT state, count(*) FROM attempts NOT INDEXED GROUP BY state")
                .map { ($0[0] as String, $0[1] as Int) })
        }
        return (try ledger.status().attemptsByState, stored)
    }

    @Test func everyPathThatEndsAnAttemptKeepsTheCountsExact() throws {
        let f = try LedgerFixture()
        var first = try f.message(["d1"], step: "forgetful.4d")
        first.superseded = [StepKey(debtID: "d1", dueDate: CalendarDate(iso: "2026-11-17")!, stepID: "forgetful.1d")]
        // A plan's skipped step, written with the claims.
        var plan = CustomerPlan(customerID: "c1", segment: "forgetful")
        plan.skipped = [SkippedStep(message: try f.message(["d2"], step: "upcoming.-3d"), reason: .expired)]
        let claimed = try f.ledger.claim([ClaimRequest(attemptID: "att_first", message: first, payload: Data("x".utf8))], saving: [plan],
                                         now: Self.now)
        let ids = try claimed + f.claim(f.message(["d2"])) + f.claim(f.message(["d2"], step: "forgetful.4d"))
            + f.claim(f.message(["d1"], step: "x.9d"))
        #expect(ids.count == 4)
        #expect(try f.ledger.record([], markingSending: ids, now: Self.now) == Set(ids))
        // Two lanes' outcomes in one commit, then the same again: no longer `sending`, so nothing changes or is counted.
        let lanes = [LaneCommit([(ids[0], .sent), (ids[1], .dead(reason: "550"))]),
                     LaneCommit([(ids[2], .inDoubt(reason: "timeout")), (ids[3], .sent)])]
        for _ in 0..<2 { #expect(f.ledger.record(group: lanes, now: Self.now).allSatisfy { (try? $0.get()) != nil }) }
        // Cancelled by a control, and by the tick's recheck.
        let pending = try f.claim(f.message(["d1"], step: "forgetful.7d")) + f.claim(f.message(["d2"], step: "forgetful.7d"))
        #expect(try f.ledger.settle(waiting: [], cancelling: [(pending[1], .paid)], now: Self.now) == [pending[1]])
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "test", now: Self.now) == 1)
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "test", now: Self.now) == 0)

        let (status, stored) = try counts(f.ledger)
        #expect(stored == ["sent": 2, "skipped": 2, "dead": 1, "in_doubt": 1, "cancelled": 2])
        #expect(status == stored)
        #expect(try SQLiteLedger.check(path: f.path) == [])
    }

    @Test func aCountThatDriftedFromTheAttemptsIsReportedByTheCheck() throws {
        let f = try LedgerFixture()
        let ids = try f.claim(f.message(["d1"]))
        _ = try f.ledger.record([], markingSending: ids, now: Self.now)
        try f.ledger.record([(ids[0], .sent)], now: Self.now)
        #expect(try SQLiteLedger.check(path: f.path) == [])
        try f.ledger.pool.write { db in
            try db.execute(sql: "UPDATE attempt_counts SET n = n + 2 WHERE state = 'sent'")
            try db.execute(sql: "DELETE FROM attempt_counts WHERE state = 'skipped'")
            try db.execute(sql: "UPDATE attempts SET state = 'skipped' WHERE id = ?", arguments: [ids[0]])
        }
        #expect(try SQLiteLedger.check(path: f.path) == [
            "attempt_counts says 3 sent attempts, the ledger holds 0", "attempt_counts says 0 skipped attempts, the ledger holds 1",
        ])
    }

    /// Each lookup by state, on the tick's path and in `status`, reads the partial index that
    /// holds that state (named in the plan), never every attempt.
    @Test func stateLookupsReadTheirPartialIndex() throws {
        let f = try LedgerFixture()
        let t = Self.now.timeIntervalSince1970
        let toSend = "attempts_to_send", unsettled = "attempts_unsettled"
        let queries: [(String, StatementArguments, [String])] = [
            ("SELECT DISTINCT channel FROM attempts WHERE \(SQLiteLedger.sendableCondition) ORDER BY channel", [t], [toSend]),
            ("SELECT id FROM attempts WHERE \(SQLiteLedger.sendableCondition)", [t], [toSend]),
            ("SELECT id FROM attempts WHERE state = 'sending'", [], [unsettled]),
            ("SELECT id FROM attempts WHERE state = 'in_doubt'", [], [unsettled]),
            ("SELECT id FROM attempts WHERE state = 'dead' ORDER BY updated_at DESC, id LIMIT 10", [], [unsettled]),
            ("""
             SELECT channel, count(*) FROM attempts WHERE state = 'retry' AND reason LIKE 'channel\\_down:%' ESCAPE '\\' GROUP BY channel
             """, [], [toSend]),
        ]
        for (sql, arguments, indexes) in queries {
            let plan = try plan(f.ledger, sql, arguments)
            #expect(indexes.allSatisfy { index in plan.contains { $0.contains("INDEX \(index)") } }
                    && !plan.contains { $0.hasPrefix("SCAN attempts") && !$0.contains("INDEX") }, "\(sql): \(plan)")
        }
        let counts = try plan(f.ledger, SQLiteLedger.attemptCountsSQL, [])
        #expect(counts.contains { $0.contains("INDEX \(toSend)") } && counts.contains { $0.contains("INDEX \(unsettled)") }
                && !counts.contains { $0.contains("SCAN attempts") && !$0.contains("INDEX") }, "\(counts)")
    }

    private func plan(_ ledger: SQLiteLedger, _ sql: String, _ arguments: StatementArguments) throws -> [String] {
        try ledger.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String? ?? "" }
        }
    }

    @Test func anOlderLedgerIsCountedOnceWhenItIsUpgraded() throws {
        let legacy = try OldLedger(upTo: "promises: payment promises, one per debt step")
        let states = ["sent", "sent", "skipped", "cancelled", "claimed", "retry", "sending", "dead", "in_doubt"]
        try legacy.insertAttempts(states.enumerated().map { ("a\($0.offset)", $0.element) })
        try legacy.queue.close()
        let upgraded = try SQLiteLedger(path: legacy.path)
        let indexes = try upgraded.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts'")
        }
        #expect(indexes.contains("attempts_unsettled") && !indexes.contains("attempts_pending"), "\(indexes)")
        let (status, stored) = try counts(upgraded)
        #expect(stored == ["sent": 2, "skipped": 1, "cancelled": 1, "claimed": 1, "retry": 1, "sending": 1, "dead": 1, "in_doubt": 1])
        #expect(status == stored)
        #expect(try SQLiteLedger.check(path: legacy.path) == [])
    }
}
