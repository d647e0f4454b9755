import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing

/// A ledger written before payloads had their own table (migration "attempt payloads") keeps
/// every attempt as it was when upgraded: its state, tries, reason, debts and payload, under a
/// key that VACUUM does not renumber, and the attempts still to go are read and marked as before.
@Suite struct AttemptPayloadsMigrationTests {
    static let now = LedgerFixture.now
    static let previous = "promises: payment promises, one per debt step"

    /// id, state, tries, reason, payload, debt, step (one item each).
    static let attempts: [(String, String, Int, String?, String, String, String)] = [
        ("att_claimed", "claimed", 0, nil, "claimed bytes", "d1", "forgetful.1d"),
        ("att_gone", "claimed", 0, nil, "deleted before the upgrade", "d1", "gone.1d"),
        ("att_sending", "sending", 0, nil, "sending bytes", "d2", "forgetful.1d"),
        ("att_sent", "sent", 1, nil, "sent bytes", "d3", "forgetful.1d"),
        ("att_skipped", "skipped", 0, "expired", "", "d3", "upcoming.-3d"),
        ("att_retry", "retry", 1, "step=rcpt reply_code=451", "retry bytes", "d1", "upcoming.0d"),
        ("att_dead", "dead", 3, "step=rcpt reply_code=550", "dead bytes", "d2", "upcoming.0d"),
    ]

    /// The old ledger, filled at the previous schema; one attempt deleted again, so the rowids
    /// have a gap that a VACUUM could close if the payloads were keyed by an undeclared rowid.
    static func oldLedger() throws -> OldLedger {
        let legacy = try OldLedger(upTo: previous)
        let t = now.timeIntervalSince1970
        try legacy.queue.write { db in
            try OldLedger.insertCustomer(db, debts: ["d1", "d2", "d3"], at: t)
            for (i, (id, state, tries, reason, payload, debt, step)) in attempts.enumerated() {
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, reason, tries, next_try_at,
                                          payload, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', ?, 0, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, step, state, reason, tries, state == "retry" ? t - 60 : nil, Data(payload.utf8), t + Double(i), t + Double(i)])
                try db.execute(sql: "INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES (?, ?, '2026-11-17', ?)",
                               arguments: [id, debt, step])
            }
            try db.execute(sql: "DELETE FROM attempt_items WHERE attempt_id = 'att_gone'; DELETE FROM attempts WHERE id = 'att_gone'")
        }
        try legacy.queue.close()
        return legacy
    }

    static func all(_ ledger: SQLiteLedger) throws -> [Attempt] {
        try ledger.read("test") { db in try ledger.fetchAttempts(db, where: "1", [], limit: 100) }
    }

    @Test func everyAttemptKeepsItsStateDebtsAndPayload() throws {
        let legacy = try Self.oldLedger()
        let ledger = try SQLiteLedger(path: legacy.path)
        // A VACUUM after the upgrade renumbers no payload's key.
        try ledger.pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }

        let kept = Self.attempts.filter { $0.0 != "att_gone" }
        let read = try Self.all(ledger)
        #expect(read.map(\.id) == kept.map(\.0))
        for (a, (id, state, tries, reason, payload, debt, step)) in zip(read, kept) {
            #expect(a.state.rawValue == state && a.tries == tries && a.reason == reason && a.stepID == step, "\(id)")
            #expect(a.payload == Data(payload.utf8), "\(id): \(String(decoding: a.payload, as: UTF8.self))")
            #expect(a.debtIDs == [debt], "\(id)")
        }
        let layout = try ledger.read("test") { db in
            (try db.columns(in: "attempts").map(\.name), try Int.fetchOne(db, sql: "SELECT count(*) FROM attempt_payloads") ?? 0,
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(!layout.0.contains("payload"), "the payload left the attempt row: \(layout.0)")
        #expect(layout.1 == 5, "one payload row per attempt with something to send (not the skipped one)")
        #expect(layout.2 == 0, "every item and payload refers to an attempt")
        #expect(try SQLiteLedger.check(path: legacy.path).isEmpty)

        let history = try ledger.history(id: "c1") { _ in "" }.filter { $0.kind == "attempt" }.map(\.summary)
        #expect(history.count == 6 && history.contains { $0.contains("attempt=att_dead ") && $0.contains("state=dead tries=3") }, "\(history)")
        #expect(try ledger.status().attemptsByState == ["claimed": 1, "sending": 1, "sent": 1, "skipped": 1, "retry": 1, "dead": 1])
    }

    /// What the tick does with the upgraded ledger's attempts: the interrupted one and the ones
    /// to send are read with their payloads, marked `sending` and recorded; a new claim writes
    /// its payload beside the old ones.
    @Test func theUpgradedAttemptsAreSentAsBefore() throws {
        let legacy = try Self.oldLedger()
        let ledger = try SQLiteLedger(path: legacy.path)
        #expect(try ledger.interrupted(now: Self.now).map(\.payload) == [Data("sending bytes".utf8)])
        let pending = try ledger.pending(now: Self.now, channel: "email", limit: 10).map(\.attempt)
        #expect(pending.map(\.id) == ["att_claimed", "att_retry"])
        #expect(pending.map(\.payload) == [Data("claimed bytes".utf8), Data("retry bytes".utf8)])
        #expect(try ledger.sendableChannels(now: Self.now) == ["email"])
        #expect(try ledger.record([], markingSending: ["att_claimed", "att_retry"], now: Self.now) == ["att_claimed", "att_retry"])
        try ledger.record([("att_claimed", .sent), ("att_retry", .sent)], now: Self.now)
        #expect(try ledger.sendable(now: Self.now).isEmpty)

        let debt = Debt(id: "d1", customerID: "c1", amount: Money(cents: 100), dueDate: CalendarDate(iso: "2026-11-17")!)
        let fresh = PlannedMessage(kind: .reminder, customerID: "c1", segment: "chronic", channel: "email", template: "friendly", handoff: false,
                                   items: [PlannedMessage.Item(debt: debt, stepID: "chronic.9d", day: 9)], superseded: [])
        let claimed = try ledger.claim([ClaimRequest(attemptID: "att_new", message: fresh, payload: Data("new bytes".utf8))], now: Self.now)
        #expect(claimed == ["att_new"])
        #expect(try ledger.sendable(now: Self.now).map(\.payload) == [Data("new bytes".utf8)])
        #expect(try Self.all(ledger).first { $0.id == "att_sent" }?.payload == Data("sent bytes".utf8))
    }
}
