import Foundation
import GRDB
import LembraCore
@testable import LembraStore
import Testing
import TestSupport

/// A debts import that lowers an open debt's amount to what was already paid settles it exactly
/// as the payment that paid it up would have: paid, thank-you queued, pending reminders cancelled.
struct SettleByAmountTests {
    static let now = LedgerFixture.now
    static let due = CalendarDate(iso: "2026-11-17")!

    func reimport(_ f: LedgerFixture, cents: Int64, paidAt: Date? = nil) throws -> ImportSummary {
        try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d1", customerID: "c1", amount: Money(cents: cents), dueDate: Self.due,
                                                                paidAt: paidAt))], now: Self.now)
    }

    func d1(_ f: LedgerFixture) throws -> Debt {
        try #require(try f.ledger.dueCases(now: Self.now).flatMap(\.debts).first { $0.id == "d1" })
    }

    @Test func loweringTheAmountToWhatWasPaidSettlesTheDebt() throws {
        let f = try LedgerFixture()
        let claimed = try #require(try f.claim(f.message(["d1"])).first)
        let paidAt = Self.now.addingTimeInterval(-3_600)
        #expect(try !f.ledger.pay(debtID: "d1", amount: Money(cents: 5_000), at: paidAt, now: Self.now))

        let summary = try reimport(f, cents: 5_000)
        #expect(summary.updated == 1 && summary.newlyPaid == 1)
        let debt = try d1(f)
        #expect(!debt.isOpen && debt.paidAt == paidAt, "paid when the last payment came in")
        #expect(try f.ledger.dueCases(now: Self.now).first?.thanksDue == ["d1"])
        #expect(try f.ledger.sendable(now: Self.now).isEmpty, "the claimed reminder is cancelled")
        let history = try f.ledger.history(id: "d1")
        #expect(history.contains { $0.summary.contains("attempt=\(claimed)") && $0.summary.contains("state=cancelled") && $0.summary.contains("reason=paid") })
        #expect(history.contains { $0.kind == "settled" && $0.summary == "amount_cents=5000 paid_cents=5000 source=import" }, "\(history)")
        #expect(try f.ledger.status().openTotalByCurrency.values.reduce(0, +) == 5_000, "only d2 is still owed")

        // Importing the same file again changes nothing more: no second thank-you.
        #expect(try reimport(f, cents: 5_000).newlyPaid == 0)
    }

    @Test func loweringTheAmountBelowWhatWasPaidSettlesItToo() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.pay(debtID: "d1", amount: Money(cents: 6_000), at: Self.now, now: Self.now)
        #expect(try reimport(f, cents: 5_500).newlyPaid == 1)
        #expect(try !d1(f).isOpen)
    }

    @Test func aRowThatSaysWhenItWasPaidIsBelieved() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.pay(debtID: "d1", amount: Money(cents: 5_000), at: Self.now, now: Self.now)
        let paidAt = Self.now.addingTimeInterval(-86_400)
        #expect(try reimport(f, cents: 5_000, paidAt: paidAt).newlyPaid == 1)
        #expect(try d1(f).paidAt == paidAt)
        let payments = try f.ledger.history(id: "d1").filter { $0.kind == "payment" }
        #expect(payments.count == 1, "no extra payment is invented to settle it\n\(payments)")
    }

    @Test func aPartialBalanceStillOwedStaysOpen() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.pay(debtID: "d1", amount: Money(cents: 4_000), at: Self.now, now: Self.now)
        #expect(try reimport(f, cents: 5_000).newlyPaid == 0)
        let debt = try d1(f)
        #expect(debt.isOpen && debt.amount == Money(cents: 1_000))
    }

    /// A ledger from before v4, holding an open debt an import had lowered to what was paid.
    @Test func upgradingSettlesDebtsAnOlderImportLeftPaidUp() throws {
        let legacy = try OldLedger(upTo: "v2")
        let (path, old) = (legacy.path, legacy.queue)
        let t = Self.now.timeIntervalSince1970
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('c1', 'Ana', 'ana@example.com', ?, ?);
                INSERT INTO debts (id, customer_id, amount_cents, paid_cents, due_date, next_check_at, created_at, updated_at)
                  VALUES ('d1', 'c1', 5000, 5000, '2026-11-17', ?, ?, ?), ('d2', 'c1', 9000, 1000, '2026-11-17', ?, ?, ?);
                INSERT INTO payments (debt_id, amount_cents, paid_at, source, recorded_at) VALUES ('d1', 5000, ?, 'pay', ?), ('d2', 1000, ?, 'pay', ?);
                INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
                  VALUES ('att_1', 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'forgetful.1d', 0, 'claimed', x'00', ?, ?);
                INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES ('att_1', 'd1', '2026-11-17', 'forgetful.1d');
                """, arguments: [t, t, t, t, t, t, t, t, t - 60, t, t - 60, t, t, t])
        }
        try old.close()

        let ledger = try SQLiteLedger(path: path)
        let c = try #require(try ledger.dueCases(now: Self.now).first)
        let d1 = try #require(c.debts.first { $0.id == "d1" })
        #expect(!d1.isOpen && d1.paidAt == Self.now.addingTimeInterval(-60))
        #expect(c.thanksDue == ["d1"])
        #expect(c.debts.first { $0.id == "d2" }?.isOpen == true, "a debt with a balance left is untouched")
        #expect(try ledger.history(id: "d1").contains { $0.summary.contains("attempt=att_1") && $0.summary.contains("state=cancelled") })
        #expect(try ledger.history(id: "d1").contains { $0.kind == "settled" && $0.summary.hasSuffix("source=upgrade") })
    }
}
