import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// What the tick reads back from the ledger before sending leftovers, and how it records its
/// recheck: a deferral for the window is not a try and loses nothing.
@Suite struct PendingTests {
    static let now = LedgerFixture.now

    @Test func pendingCarriesTheCustomersFlagsAndTheDebtsState() throws {
        let f = try LedgerFixture()
        let plain = try #require(try f.claim(f.message(["d2"])).first)
        // Claims that raced a pause and a payment (the planner read the customer just before).
        try f.ledger.pay(debtID: "d1", amount: nil, at: Self.now, now: Self.now)
        let paid = try #require(try f.claim(f.message(["d1"], step: "forgetful.4d")).first)
        let before = try f.ledger.pending(now: Self.now, channel: "email", limit: 10)
        #expect(before.first { $0.attempt.id == plain }?.facts == PendingFacts(kind: .reminder))
        #expect(before.first { $0.attempt.id == paid }?.facts == PendingFacts(kind: .reminder, anyDebtPaid: true))
        #expect(before.map(\.attempt) == (try f.ledger.sendable(now: Self.now, channel: "email", limit: 10)), "the same attempts as sendable")

        try f.ledger.pool.write { try $0.execute(sql: "UPDATE customers SET timezone = 'America/Manaus', paused_through = '2026-11-30' WHERE id = 'c1'") }
        let after = try #require(try f.ledger.pending(now: Self.now, channel: "email", limit: 10).first { $0.attempt.id == plain })
        #expect(after.facts.timezone == "America/Manaus" && after.facts.pausedThrough == CalendarDate(iso: "2026-11-30"))
        #expect(try f.ledger.pending(now: Self.now, channel: "sms", limit: 10).isEmpty)
    }

    @Test func aDeferralForTheWindowIsNotATryAndLosesNothing() throws {
        let f = try LedgerFixture()
        let id = try #require(try f.claim(f.message(["d1"])).first)
        let opening = Self.now.addingTimeInterval(10 * 3600)
        try f.ledger.settle(waiting: [(id, opening, .outsideWindow)], cancelling: [], now: Self.now)
        #expect(try f.ledger.sendable(now: Self.now).isEmpty)
        #expect(try f.ledger.record([], markingSending: [id], now: Self.now).isEmpty, "not marked before the window opens")
        let back = try #require(try f.ledger.sendable(now: opening).first)
        #expect(back.id == id && back.state == .retry && back.tries == 0 && back.reason == "outside_window" && back.nextTryAt == opening)
        let line = try #require(try f.ledger.history(id: "d1").first { $0.summary.contains("attempt=\(id)") }).summary
        #expect(line.contains("state=retry tries=0 next=\(Timestamp.format(opening)) reason=outside_window"), "\(line)")
    }

    @Test func settleCancelsOnlyWhatIsStillPending() throws {
        let f = try LedgerFixture()
        let pending = try #require(try f.claim(f.message(["d1"])).first)
        let sent = try #require(try f.claim(f.message(["d2"])).first)
        _ = try f.ledger.record([], markingSending: [sent], now: Self.now)
        try f.ledger.record([(sent, .sent)], now: Self.now)
        let cancelled = try f.ledger.settle(waiting: [], cancelling: [(pending, .paused), (sent, .paused)], now: Self.now)
        #expect(cancelled == [pending])
        #expect(try f.ledger.status().attemptsByState["sent"] == 1)
    }

    /// A ledger from before `may_have_arrived`: attempts ever tried count as arrived (a step
    /// wrongly kept is a missing reminder, not a double charge); untried claims do not.
    @Test func upgradedLedgersTreatTriedAttemptsAsArrived() throws {
        let legacy = try OldLedger(upTo: "v2")
        let (path, old) = (legacy.path, legacy.queue)
        let t = Self.now.timeIntervalSince1970
        try old.write { db in
            try db.execute(sql: "INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('c1', 'Ana', 'ana@example.com', ?, ?)", arguments: [t, t])
            for (debt, attempt, tries, state) in [("d1", "att_tried", 1, "retry"), ("d2", "att_claimed", 0, "claimed")] {
                try db.execute(sql: "INSERT INTO debts (id, customer_id, amount_cents, due_date, created_at, updated_at) VALUES (?, 'c1', 100, '2026-11-17', ?, ?)",
                               arguments: [debt, t, t])
                try db.execute(sql: """
                    INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, tries, next_try_at, payload, created_at, updated_at)
                    VALUES (?, 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'forgetful.1d', 0, ?, ?, ?, x'00', ?, ?)
                    """, arguments: [attempt, state, tries, t, t, t])
                try db.execute(sql: "INSERT INTO attempt_items VALUES (?, ?, '2026-11-17', 'forgetful.1d')", arguments: [attempt, debt])
            }
        }
        try old.close()
        let ledger = try SQLiteLedger(path: path)
        #expect(try ledger.pause(customerID: "c1", through: nil, reason: "r", now: Self.now) == 2)
        let keys = try ledger.dueCases(now: Self.now.addingTimeInterval(86_400 * 365)).first?.ledger.map(\.debtID)
        #expect(keys == ["d1"], "the tried attempt keeps its step; the untried claim gives it back")
    }
}
