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
        let ids = try f.claim(first) + f.claim(f.message(["d2"])) + f.claim(f.message(["d2"], step: "forgetful.4d"))
        #expect(ids.count == 3)
        #expect(try f.ledger.record([], markingSending: ids, now: Self.now) == Set(ids))
        let outcomes: [(id: String, outcome: AttemptOutcome)] = [(ids[0], .sent), (ids[1], .dead(reason: "550")), (ids[2], .inDoubt(reason: "timeout"))]
        try f.ledger.record(outcomes, now: Self.now)
        try f.ledger.record(outcomes, now: Self.now) // no longer `sending`: changes nothing, counts nothing
        let pending = try f.claim(f.message(["d1"], step: "forgetful.7d"))
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "test", now: Self.now) == 1)
        #expect(try f.ledger.pause(customerID: "c1", through: nil, reason: "test", now: Self.now) == 0)

        let (status, stored) = try counts(f.ledger)
        #expect(stored == ["sent": 1, "skipped": 1, "dead": 1, "in_doubt": 1, "cancelled": 1], "\(pending)")
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

    @Test func stateLookupsReadIndexesNotEveryAttempt() throws {
        let f = try LedgerFixture()
        let t = Self.now.timeIntervalSince1970
        let queries: [(String, StatementArguments)] = [
            ("SELECT DISTINCT channel FROM attempts WHERE \(SQLiteLedger.sendableCondition) ORDER BY channel", [t]),
            ("SELECT id FROM attempts WHERE \(SQLiteLedger.sendableCondition)", [t]),
            ("SELECT state, count(*) FROM attempts WHERE \(SQLiteLedger.toSendCondition) GROUP BY state", []),
            ("SELECT state, count(*) FROM attempts WHERE \(SQLiteLedger.unsettledCondition) GROUP BY state", []),
            ("SELECT id FROM attempts WHERE state = 'sending'", []),
            ("SELECT id FROM attempts WHERE state = 'in_doubt'", []),
            ("SELECT id FROM attempts WHERE state = 'dead' ORDER BY updated_at DESC, id LIMIT 10", []),
        ]
        for (sql, arguments) in queries {
            let plan = try f.ledger.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String? ?? "" }
            }
            #expect(plan.contains { $0.contains("USING INDEX attempts_") || $0.contains("USING COVERING INDEX attempts_") }
                    && !plan.contains("SCAN attempts"), "\(sql): \(plan)")
        }
    }

    @Test func anOlderLedgerIsCountedOnceWhenItIsUpgraded() throws {
        let legacy = try OldLedger(upTo: "promises: payment promises, one per debt step")
        try legacy.queue.write { db in
            let states = ["sent", "sent", "skipped", "cancelled", "claimed", "retry", "sending", "dead", "in_doubt"]
            for (n, state) in states.enumerated() {
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'x.1d', 0, ?, x'00', 0, 0)
                    """, arguments: ["a\(n)", state])
            }
        }
        try legacy.queue.close()
        let upgraded = try SQLiteLedger(path: legacy.path)
        let indexes = try upgraded.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts'") }
        #expect(indexes.contains("attempts_unsettled") && !indexes.contains("attempts_pending"), "\(indexes)")
        let (status, stored) = try counts(upgraded)
        #expect(stored == ["sent": 2, "skipped": 1, "cancelled": 1, "claimed": 1, "retry": 1, "sending": 1, "dead": 1, "in_doubt": 1])
        #expect(status == stored)
        #expect(try SQLiteLedger.check(path: legacy.path) == [])
    }
}
