import Foundation
import LembraCore
import LembraStore
import Testing

struct PaymentTests {
    @Test func payingCancelsPendingRemindersAndQueuesOneThankYou() throws {
        let f = try LedgerFixture()
        let claimed = try #require(try f.claim(f.message(["d1"])).first)
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: LedgerFixture.now, now: LedgerFixture.now))
        #expect(try f.ledger.sendable(now: LedgerFixture.now).isEmpty, "the claimed reminder of a paid debt is cancelled")
        #expect(try f.ledger.history(id: "d1").contains { $0.summary.contains("attempt=\(claimed)") && $0.summary.contains("state=cancelled") && $0.summary.contains("reason=paid") })
        let c = try #require(try f.ledger.dueCases(now: LedgerFixture.now).first)
        #expect(c.thanksDue == ["d1"])
        #expect(c.debts.first { $0.id == "d1" }?.isOpen == false)
        #expect(try f.claim(f.message(["d1"], step: "on_paid.thanks", kind: .thanks)).count == 1)
        #expect(try f.ledger.dueCases(now: LedgerFixture.now).first?.thanksDue.isEmpty == true)
    }

    @Test func payingAPaidDebtIsRefused() throws {
        let f = try LedgerFixture()
        try f.ledger.pay(debtID: "d1", amount: nil, at: LedgerFixture.now, now: LedgerFixture.now)
        #expect(throws: StoreError.self) { try f.ledger.pay(debtID: "d1", amount: nil, at: LedgerFixture.now, now: LedgerFixture.now) }
        #expect(throws: StoreError.self) { try f.ledger.pay(debtID: "nope", amount: nil, at: LedgerFixture.now, now: LedgerFixture.now) }
    }

    @Test func aPartialPaymentLeavesTheBalanceOpen() throws {
        let f = try LedgerFixture()
        #expect(try !f.ledger.pay(debtID: "d1", amount: Money(cents: 4_000), at: LedgerFixture.now, now: LedgerFixture.now))
        let d1 = try #require(try f.ledger.dueCases(now: LedgerFixture.now).first?.debts.first { $0.id == "d1" })
        #expect(d1.isOpen && d1.amount == Money(cents: 6_000))
        #expect(try f.ledger.pay(debtID: "d1", amount: nil, at: LedgerFixture.now, now: LedgerFixture.now))
    }

    @Test func theSamePaymentsFileTwiceRecordsEachPaymentOnce() throws {
        let f = try LedgerFixture()
        let rows = [Numbered(row: 2, value: Payment(debtID: "d1", amount: Money(cents: 10_000), paidAt: LedgerFixture.now))]
        #expect(try f.ledger.importPayments(rows, now: LedgerFixture.now).newlyPaid == 1)
        let again = try f.ledger.importPayments(rows, now: LedgerFixture.now)
        #expect(again.unchanged == 1 && again.newlyPaid == 0)
    }

    @Test func debtsImportedAlreadyPaidAreHistoryWithoutThanks() throws {
        let f = try LedgerFixture()
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "old", customerID: "c1", amount: Money(cents: 100),
            dueDate: CalendarDate(iso: "2026-01-10")!, paidAt: LedgerFixture.now.addingTimeInterval(-86_400 * 300)))], now: LedgerFixture.now)
        #expect(try f.ledger.dueCases(now: LedgerFixture.now).first?.thanksDue.isEmpty == true)
        // ...but a debts import that marks an open debt paid does queue it.
        _ = try f.ledger.importDebts([Numbered(row: 2, value: Debt(id: "d2", customerID: "c1", amount: Money(cents: 5_000),
            dueDate: CalendarDate(iso: "2026-11-16")!, paidAt: LedgerFixture.now))], now: LedgerFixture.now)
        #expect(try f.ledger.dueCases(now: LedgerFixture.now).first?.thanksDue == ["d2"])
    }
}
